"use strict";
(function () {
  const base = location.pathname.replace(/\/$/, "");
  const cards = document.getElementById("cards");
  const empty = document.getElementById("empty");
  const live = document.getElementById("live");
  const note = document.getElementById("note");
  const soundButton = document.getElementById("sound");
  let csrf = "", known = null, skew = 0, last = null, audio = null;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function ago(iso) {
    const s = Math.max(0, Math.round((Date.now() + skew - Date.parse(iso)) / 1000));
    return s < 60 ? s + " s ago" : Math.floor(s / 60) + " min ago";
  }
  function beep() {
    try {
      if (navigator.vibrate) navigator.vibrate([300, 120, 300]);
      if (!audio) return;
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880; g.gain.value = 0.25;
      o.connect(g); g.connect(audio.destination);
      o.start(); o.stop(audio.currentTime + 0.35);
    } catch (e) { /* a browser that allows neither stays silent */ }
  }
  soundButton.addEventListener("click", function () {
    try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) {}
    beep();
    soundButton.hidden = true;
  });
  function row(label, value) {
    const r = el("div", "row");
    r.append(el("span", "label", label), el("span", "value", value));
    return r;
  }
  function card(n, fresh) {
    const c = el("article", "card" + (fresh ? " fresh" : ""));
    c.dataset.id = n.id;
    c.append(el("p", "name", n.name));
    if (n.company) c.append(el("p", "company", n.company));
    if (n.shared_interests.length) c.append(row("You share", n.shared_interests.join(", ")));
    c.append(row("Meet at", n.meet_at));
    if (n.introductions.length) c.append(row("Introduce them to", n.introductions.join(", ")));
    if (n.answer === "on_my_way") {
      const a = el("p", "answered", "You're on your way · " + ago(n.answered_at));
      a.dataset.at = n.answered_at;
      c.append(a);
    }
    const b = el("div", "buttons");
    if (n.answer !== "on_my_way") b.append(button("go", "On my way", n.id, "on_my_way"));
    b.append(button("met", "Met", n.id, "met"), button("later", "Can't now", n.id, "cant_now"));
    c.append(b);
    return c;
  }
  function button(cls, words, id, reply) {
    const b = el("button", cls, words);
    b.dataset.reply = reply;
    b.addEventListener("click", function () { answer(id, reply, b); });
    return b;
  }
  function answer(id, reply, b) {
    b.parentNode.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
    fetch(base + "/answer", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ id: id, reply: reply })
    }).then(function (r) { return r.ok ? r.json() : { message: "Not sent: try again." }; })
      .then(function (d) { note.textContent = d.message || ""; })
      .catch(function () { note.textContent = "Not sent (no connection): try again."; })
      .finally(function () { if (last) render(last); });
  }
  function render(state) {
    last = state;
    if (state.csrf) csrf = state.csrf;
    if (state.now) skew = Date.parse(state.now) - Date.now();
    const ids = state.newcomers.map(function (n) { return n.id; });
    const fresh = known === null ? [] : ids.filter(function (i) { return !known.has(i); });
    known = new Set(ids);
    cards.replaceChildren.apply(cards, state.newcomers.map(function (n) {
      return card(n, fresh.indexOf(n.id) >= 0);
    }));
    empty.hidden = ids.length > 0;
    document.title = (ids.length ? "(" + ids.length + ") " : "") + document.title.replace(/^\(\d+\) /, "");
    if (fresh.length) beep();
  }
  // Reminders: buzz again 30 s and 60 s after an arrival nobody has answered yet.
  const REMINDERS_S = [30, 60];
  const reminded = {};
  setInterval(function () {
    document.querySelectorAll(".answered").forEach(function (a) {
      a.textContent = "You're on your way · " + ago(a.dataset.at);
    });
    if (!last) return;
    last.newcomers.forEach(function (n) {
      if (n.answer) return;
      const waited = (Date.now() + skew - Date.parse(n.assigned_at)) / 1000;
      const due = REMINDERS_S.filter(function (s) { return waited >= s; }).length;
      if (due > (reminded[n.id] || 0)) { reminded[n.id] = due; beep(); }
    });
  }, 5000);
  function connect() {
    const es = new EventSource(base + "/events");
    es.addEventListener("state", function (e) {
      live.textContent = "Live"; live.className = "live";
      render(JSON.parse(e.data));
    });
    es.onerror = function () {
      live.textContent = "Reconnecting…"; live.className = "live off";
      if (es.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    };
  }
  connect();
})();
