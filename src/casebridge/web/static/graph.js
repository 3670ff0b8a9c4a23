// The link graph page: draws the JSON of /intel/graph/data with Cytoscape.js (vendored).
document.addEventListener("DOMContentLoaded", async () => {
  const box = document.getElementById("graph");
  const summary = document.getElementById("graph-summary");
  if (!box || typeof cytoscape !== "function") return;
  const response = await fetch(box.dataset.source, { credentials: "same-origin" });
  if (!response.ok) {
    summary.textContent = "The graph could not be loaded.";
    return;
  }
  const data = await response.json();
  const elements = [
    ...data.nodes.map((n) => ({ data: { ...n, kind: n.type } })),
    ...data.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, label: e.type } })),
  ];
  const cy = cytoscape({
    container: box,
    elements,
    layout: { name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 90 },
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 140, "background-color": "#8aa4c0", width: 14, height: 14 } },
      { selector: 'node[kind = "case"]', style: { "background-color": "#1f4e79", shape: "round-rectangle", width: 26, height: 18, "font-weight": "bold" } },
      { selector: 'node[kind = "held_elsewhere"]', style: { "background-color": "#c9a227", shape: "diamond", width: 20, height: 20 } },
      { selector: "edge", style: { width: 1.2, "line-color": "#b8c4d2", "curve-style": "bezier" } },
    ],
  });
  cy.on("tap", 'node[kind = "case"]', (event) => {
    window.location.href = `/cases/${event.target.id().slice("case:".length)}`;
  });
  const cases = data.nodes.filter((n) => n.type === "case").length;
  const held = data.nodes.filter((n) => n.type === "held_elsewhere").length;
  summary.textContent = `${cases} cases, ${data.nodes.length - cases - held} shared values, ${held} held elsewhere`;
  box.dataset.ready = "true";
});
