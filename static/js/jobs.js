// Job page: poll the status endpoint until the job is done or failed.
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const finished = (s) => s === "done" || s === "failed";
  if (finished(box.dataset.status)) return;
  const show = (id, on) => document.getElementById(id).classList.toggle("d-none", !on);
  async function poll() {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return setTimeout(poll, 3000);
    const job = await response.json();
    document.getElementById("job-status").textContent = job.status_label;
    document.getElementById("job-count").textContent = job.done + "/" + job.total;
    const bar = document.getElementById("job-bar");
    bar.style.width = job.percent + "%";
    bar.textContent = job.percent + "%";
    document.getElementById("job-error").textContent = job.error;
    show("job-error", !!job.error);
    if (job.download_url) show("job-download", true);
    // A failed job, or one queued too long: the reloaded page shows the retry button.
    if (job.can_retry && !document.getElementById("job-retry")) return window.location.reload();
    if (!finished(job.status)) setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
