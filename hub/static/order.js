/* The registrant's order pages: the reservation countdown, and the order's progress
   (reservation, confirmation) while the registrant is on the page. No build step, no
   library. The progress is a long-poll: one request that the hub answers when the order
   moves on (GET /api/orders/<id>?wait=&since=, docs/api.md), never a poll on a timer. */
(function () {
  "use strict";

  var WAIT_SECONDS = 25;      // the API's longest wait; the hub may answer sooner
  var AGAIN_MS = 1000;        // the wait ran out with nothing new: ask again after this
  var RETRY_MS = 3000;        // the network failed: try again after this

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

  // Call onChange(order) once the order is no longer what data-since says (a status or a
  // version). The API reads the order with this page's session cookie (same origin).
  function follow(el, onChange) {
    var since = el.getAttribute("data-since");
    var url = el.getAttribute("data-wait-url") + "?wait=" + WAIT_SECONDS +
              "&since=" + encodeURIComponent(since);
    function ask() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 401 || response.status === 404) {
            window.location.reload();  // the session no longer holds the order: the hub says so
            return null;
          }
          if (!response.ok) { throw new Error("order not read: " + response.status); }
          return response.json();
        })
        .then(function (order) {
          if (order === null) { return; }
          var unchanged = order.status === since || order.version === since;
          if (unchanged) { setTimeout(ask, AGAIN_MS); return; }   // the wait ran out: again
          onChange(order);
        })
        .catch(function () { setTimeout(ask, RETRY_MS); });
    }
    ask();
  }

  function reload() { window.location.reload(); }

  // The details page: say what was reserved, in place (the form keeps what was typed).
  function showReservation(el) {
    return function (order) {
      if (order.status === "expired") { reload(); return; }
      var text = order.status === "partially_reserved" ? "data-partial-text" : "data-reserved-text";
      el.textContent = el.getAttribute(text);
      el.className = "status status-" + order.status;
    };
  }

  document.querySelectorAll("[data-wait-url]").forEach(function (el) {
    follow(el, el.hasAttribute("data-reload") ? reload : showReservation(el));
  });
})();
