/* Request queue: the SLA countdown of each request ticks every 30 seconds; an overdue row turns red. */
(function () {
  "use strict";
  var template = document.getElementById("sla-i18n");
  if (!template) return;
  var i18n = {};
  template.content.querySelectorAll("[data-key]").forEach(function (el) { i18n[el.dataset.key] = el.textContent; });
  function unit(key, n) { return i18n[key].replace("{n}", String(n)); }
  function left(ms) {
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    if (days > 0) return unit("days", days) + " " + unit("hours", hours);
    if (hours > 0) return unit("hours", hours) + " " + unit("minutes", mins);
    return unit("minutes", mins);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("td.sla[data-due]").forEach(function (cell) {
      var due = Date.parse(cell.dataset.due);
      if (isNaN(due)) return;
      var row = cell.closest("tr");
      var target = cell.querySelector(".sla-left");
      if (due <= now) {
        row.classList.add("overdue");
        target.textContent = i18n.overdue;
      } else {
        row.classList.remove("overdue");
        target.textContent = left(due - now);
      }
    });
  }
  tick();
  window.setInterval(tick, 30000);
})();
