// CaseBridge's only script beside htmx: upload progress bars (the CSP forbids inline scripts).
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest("form");
  const bar = form && form.querySelector("progress.upload-progress");
  if (bar && event.detail.lengthComputable) {
    bar.classList.add("active");
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  }
});
