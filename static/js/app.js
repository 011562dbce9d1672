// Confirmation before destructive actions: <form data-confirm="确定…？">
document.addEventListener("submit", function (event) {
  const form = event.target;
  const submitter = event.submitter;
  const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
