// Polls a background import job and shows its progress; reloads the page when it has finished.
(function () {
  "use strict";
  var box = document.querySelector("[data-testid=import-job]");
  if (!box) { return; }
  var bar = box.querySelector("progress"), count = box.querySelector(".job-count");
  function poll() {
    fetch(box.dataset.jobUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.total) { bar.max = job.total; }
        bar.value = job.done;
        count.textContent = job.done + " / " + (job.total || "?") + " " + (count.dataset.rows || "行");
        if (job.state === "running") { window.setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
