// Display board: polls the café's queue, chimes and speaks each new call in Bahasa Indonesia.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script.dataset.url, poll = parseInt(script.dataset.poll, 10) || 3000, lang = script.dataset.lang || "id-ID";
  var initial = JSON.parse(document.getElementById("board-initial").textContent);
  var seen = {};
  var soundOn = false, audio = null;
  function key(s) { return s.id + ":" + s.call_count; }
  initial.serving.forEach(function (s) { seen[key(s)] = true; });
  var soundButton = document.getElementById("board-sound");
  soundButton.addEventListener("click", function () {
    soundOn = true;
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    soundButton.hidden = true;
  });
  function chime(done) {
    if (!audio) { done(); return; }
    var t = audio.currentTime;
    [660, 880].forEach(function (freq, i) {
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = freq; o.connect(g); g.connect(audio.destination);
      g.gain.setValueAtTime(0.3, t + i * 0.45); g.gain.exponentialRampToValueAtTime(0.001, t + i * 0.45 + 0.4);
      o.start(t + i * 0.45); o.stop(t + i * 0.45 + 0.42);
    });
    setTimeout(done, 1000);
  }
  function speak(text) {
    if (!("speechSynthesis" in window)) { return; }
    var u = new SpeechSynthesisUtterance(text);
    u.lang = lang; u.rate = 0.9;
    var voice = window.speechSynthesis.getVoices().filter(function (v) { return v.lang && v.lang.indexOf("id") === 0; })[0];
    if (voice) { u.voice = voice; }
    window.speechSynthesis.speak(u);
  }
  function render(data) {
    var list = document.getElementById("board-serving");
    list.textContent = "";
    data.serving.forEach(function (s) {
      var li = document.createElement("li");
      if (s.calling) { li.className = "calling"; }
      var num = document.createElement("span"); num.className = "num"; num.textContent = s.number;
      var ctr = document.createElement("span"); ctr.className = "ctr"; ctr.textContent = s.counter;
      li.appendChild(num); li.appendChild(ctr); list.appendChild(li);
    });
    document.getElementById("board-waiting").textContent = data.waiting;
    document.getElementById("board-clock").textContent = data.time;
    var by = document.getElementById("board-by-service");
    by.textContent = "";
    data.waiting_by_service.forEach(function (w) {
      var li = document.createElement("li"); li.textContent = w.prefix + " · " + w.service + ": " + w.waiting; by.appendChild(li);
    });
    var fresh = data.serving.filter(function (s) { return s.calling && !seen[key(s)]; });
    data.serving.forEach(function (s) { seen[key(s)] = true; });
    if (soundOn) { fresh.forEach(function (s) { chime(function () { speak(s.speech); }); }); }
  }
  function tick() {
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(render).catch(function () {})
      .finally(function () { setTimeout(tick, poll); });
  }
  setTimeout(tick, poll);
})();
