// The inbox's live updates: an EventSource on /alerts/stream prepends each new alert.
// Built with DOM nodes and textContent only (never innerHTML): alert text is data, not markup.
(() => {
  const list = document.getElementById("alerts");
  if (!list || !window.EventSource) return;
  const live = document.getElementById("live");
  const unread = document.getElementById("unread");
  const say = (text) => { if (live) live.textContent = text; };

  function item(alert) {
    const li = document.createElement("li");
    li.className = "alert-item unread fresh";
    li.dataset.id = alert.id;
    const topic = document.createElement("span");
    topic.className = "tag";
    topic.textContent = alert.topic;
    let head;
    if (alert.access === "full" && alert.link && alert.link.startsWith("/")) {
      head = document.createElement("a");
      head.href = alert.link;
    } else {
      head = document.createElement("strong");
    }
    head.textContent = alert.headline;
    const time = document.createElement("time");
    time.className = "muted";
    time.textContent = alert.created_at.replace("T", " ").slice(0, 16) + " UTC";
    li.append(topic, " ", head, " ", time);
    if (alert.summary) {
      const p = document.createElement("p");
      p.className = "alert-summary";
      p.textContent = alert.summary;
      li.append(p);
    }
    return li;
  }

  const source = new EventSource(list.dataset.stream);
  source.addEventListener("open", () => say("live"));
  source.addEventListener("error", () => say("reconnecting…"));
  source.addEventListener("alert", (event) => {
    const alert = JSON.parse(event.data);
    if (list.querySelector(`[data-id="${CSS.escape(alert.id)}"]`)) return;
    const empty = list.querySelector(".empty");
    if (empty) empty.remove();
    list.prepend(item(alert));
    if (unread) {
      const count = parseInt(unread.textContent, 10) || 0;
      unread.textContent = `${count + 1} unread`;
    }
  });
})();
