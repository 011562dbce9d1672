// Confirmation before destructive actions: <form data-confirm="确定…？">
document.addEventListener("submit", function (event) {
  const form = event.target;
  const submitter = event.submitter;
  const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
// A form is sent once: after its first submit (not cancelled above) a second
// is ignored and its buttons are disabled until the next page. The server
// refuses a repeated post too (its one-time token, {% form_once %}).
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (event.defaultPrevented || form.method.toLowerCase() !== "post") {
    return;
  }
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  // Disabled after this event, so that the pressed button's name still goes with the form.
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])").forEach(function (button) {
      button.disabled = true;
    });
  }, 0);
});
// A page restored by the back button may be sent again (the server answers).
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) {
    return;
  }
  document.querySelectorAll("form[data-submitted]").forEach(function (form) {
    delete form.dataset.submitted;
    form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });
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
