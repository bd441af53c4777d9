// Counter screen: keep the waiting count and the kiosks' help alerts fresh.
(function () {
  "use strict";
  var box = document.getElementById("help-alerts");
  if (!box) { return; }
  var poll = parseInt(box.dataset.poll, 10) || 3000;
  function render(data) {
    var count = document.getElementById("waiting-count");
    if (count) { count.textContent = data.waiting; }
    box.textContent = "";
    data.alerts.forEach(function (a) {
      var p = document.createElement("p"); p.className = "help-alert";
      p.textContent = "\u26a0 " + a.kiosk + " (" + a.since + ") ";
      var b = document.createElement("button"); b.type = "button"; b.textContent = "OK";
      b.addEventListener("click", function () {
        fetch(box.dataset.ack.replace("/0/", "/" + a.id + "/"), { method: "POST", credentials: "same-origin",
          headers: { "X-CSRFToken": box.dataset.csrf, "Accept": "application/json" } }).then(tick);
      });
      p.appendChild(b); box.appendChild(p);
    });
  }
  function tick() {
    fetch(box.dataset.url, { cache: "no-store", credentials: "same-origin" }).then(function (r) { return r.json(); }).then(render).catch(function () {});
  }
  setInterval(tick, poll);
})();
