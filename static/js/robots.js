// Robot page: while a message waits or is being retried, re-read the page
// every two seconds and show the delivery list as it now stands.
(function () {
  const table = document.getElementById("deliveries");
  if (!table) return;
  const pending = (root) => root.querySelector('[data-delivery-status="queued"], [data-delivery-status="retrying"]');
  let rounds = 0;
  async function poll() {
    rounds += 1;
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
    if (response.ok) {
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("deliveries");
      if (fresh) table.tBodies[0].replaceWith(fresh.tBodies[0]);
    }
    if (pending(table) && rounds < 90) setTimeout(poll, 2000);
  }
  if (pending(table)) setTimeout(poll, 1000);
})();
