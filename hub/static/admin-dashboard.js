// The live dashboard: fetch the figures every few seconds and swap the rendered body in.
(function () {
  var body = document.getElementById("dashboard-body");
  if (!body || !window.fetch) return;
  var status = document.getElementById("live-status");
  var text = document.getElementById("live-text");
  var every = 1000 * (parseInt(body.dataset.pollSeconds, 10) || 5);

  function show(message, state) {
    text.textContent = message;
    status.className = "live-status" + (state ? " " + state : "");
  }

  function poll() {
    fetch(body.dataset.liveUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) {
        if (r.status === 401) throw new Error("signed-out");
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        body.innerHTML = data.html;
        show("Live · updated " + data.figures.at.slice(0, 19).replace("T", " ") + " UTC", "");
        setTimeout(poll, every);
      })
      .catch(function (e) {
        if (e.message === "signed-out") {
          show("Signed out after a while without activity. Reload the page to sign in again.", "stopped");
          return;
        }
        show("Not updating: the hub did not answer. Trying again…", "stale");
        setTimeout(poll, every * 2);
      });
  }
  setTimeout(poll, every);
})();
