// Kiosk: "ask for help", requirement checklist hint, back to the start screen when left idle.
(function () {
  "use strict";
  var script = document.currentScript;
  var home = script && script.dataset.home;
  var help = document.querySelector(".kiosk-help");
  var status = document.querySelector(".kiosk-help-status");
  if (help) {
    help.addEventListener("click", function () {
      help.disabled = true;
      fetch(help.dataset.url, { method: "POST", headers: { "X-CSRFToken": help.dataset.csrf, "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) { if (status) { status.textContent = data.message; } })
        .catch(function () { help.disabled = false; });
    });
  }
  var boxes = document.querySelectorAll("input.requirement");
  var hint = document.querySelector(".requirements-hint");
  function updateHint() {
    if (!hint) { return; }
    var missing = Array.prototype.some.call(boxes, function (b) { return !b.checked; });
    hint.hidden = !missing;
  }
  Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", updateHint); });
  // A kiosk left alone returns to the start, so the next person never sees the previous ticket.
  var idleMs = 120000, timer = null;
  function resetIdle() {
    if (timer) { clearTimeout(timer); }
    if (home && window.location.pathname !== home) { timer = setTimeout(function () { window.location.href = home; }, idleMs); }
  }
  ["click", "keydown", "touchstart"].forEach(function (ev) { document.addEventListener(ev, resetIdle, { passive: true }); });
  resetIdle();
})();
