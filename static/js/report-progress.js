// Polls a report's job and shows its progress; reloads the page when it is done or failed,
// so that the downloads (or the message and the Retry button) appear.
(function () {
  "use strict";
  var box = document.querySelector("[data-report-status-url]");
  if (!box || !box.querySelector("[data-job-progress]")) { return; }
  var url = box.getAttribute("data-report-status-url");
  var statusEl = box.querySelector("[data-job-status]");
  var messageEl = box.querySelector("[data-job-message]");
  var progressEl = box.querySelector("[data-job-progress]");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        statusEl.textContent = data.status_display;
        statusEl.className = "status status--" + data.status;
        messageEl.textContent = data.message || "";
        progressEl.value = data.progress;
        progressEl.textContent = data.progress + " %";
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
