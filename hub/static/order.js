/* The registrant's order pages: the reservation countdown, and the reservation's
   progress while the registrant fills in their details. No build step, no library. */
(function () {
  "use strict";

  function clockTime(seconds) {
    var s = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var endsAt = Date.now() + parseInt(el.getAttribute("data-countdown"), 10) * 1000;
    var timer = setInterval(function () {
      var left = Math.round((endsAt - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(timer);
        window.location.reload();  // the hub shows the expired page
        return;
      }
      el.textContent = clockTime(left);
    }, 1000);
  });

  var status = document.querySelector("[data-poll]");
  if (!status) { return; }
  function poll() {
    // The API reads the order with this page's session cookie (same origin): no token here.
    fetch(status.getAttribute("data-poll"),
          { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401 || response.status === 404) {
          window.location.reload();  // the session no longer holds the order: the hub says so
          throw new Error("order not readable");
        }
        return response.json();
      })
      .then(function (order) {
        if (order.status === "pending_reservation") { setTimeout(poll, 1000); return; }
        if (order.status === "expired") { window.location.reload(); return; }
        var text = order.status === "partially_reserved" ? "data-partial-text" : "data-reserved-text";
        status.textContent = status.getAttribute(text);
        status.className = "status status-" + order.status;
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 700);
})();
