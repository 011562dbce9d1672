// Confirmation before destructive actions: <form data-confirm="确定…？">
document.addEventListener("submit", function (event) {
  const form = event.target;
  const submitter = event.submitter;
  const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
// Widths computed on the server (progress bars): <div data-width="40">. Set
// here rather than in a style attribute, which the Content-Security-Policy forbids.
document.querySelectorAll("[data-width]").forEach(function (el) {
  el.style.width = el.dataset.width + "%";
});
// 取消 links that go back a page: <a href="#" data-history-back>.
document.addEventListener("click", function (event) {
  const link = event.target.closest("[data-history-back]");
  if (link) {
    event.preventDefault();
    window.history.back();
  }
});
