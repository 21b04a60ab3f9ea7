// Polls a background job's status and shows its progress and download link when done.
(function () {
  "use strict";
  document.querySelectorAll("[data-job-status-url]").forEach(function (box) {
    var url = box.getAttribute("data-job-status-url");
    var statusEl = box.querySelector("[data-job-status]");
    var messageEl = box.querySelector("[data-job-message]");
    var progressEl = box.querySelector("[data-job-progress]");
    var downloadEl = box.querySelector("[data-job-download]");
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          statusEl.textContent = data.status_display;
          statusEl.className = "status status--" + data.status;
          messageEl.textContent = data.message || "";
          progressEl.value = data.progress;
          progressEl.textContent = data.progress + " %";
          if (data.download_url) {
            downloadEl.hidden = false;
            downloadEl.querySelector("a").setAttribute("href", data.download_url);
          }
          if (!data.finished) { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    if (statusEl.textContent && box.querySelector(".status--done, .status--failed") === null) { poll(); }
  });
})();
