"use strict";
(function () {
  const base = location.pathname.replace(/\/$/, "");
  const hosts = document.getElementById("hosts");
  const queue = document.getElementById("queue");
  const live = document.getElementById("live");
  let skew = 0;
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
  function render(state) {
    skew = Date.parse(state.now) - Date.now();
    const b = state.board;
    const q = [];
    if (b.queue.length) {
      const w = el("div", "waiting");
      w.append(el("h2", "", "Waiting for a host (" + b.queue.length + ")"));
      b.queue.forEach(function (n) {
        w.append(el("div", "nc", n.name + " · " + n.minutes_waiting + " min"));
      });
      q.push(w);
    }
    queue.replaceChildren.apply(queue, q);
    hosts.replaceChildren.apply(hosts, b.hosts.map(function (h) {
      const d = el("div", "host");
      d.append(el("h2", "", h.name + (h.present ? "" : " (not here)") +
        " · " + h.newcomers.length + "/" + h.capacity));
      h.newcomers.forEach(function (n) {
        let words = n.name;
        if (n.answer === "on_my_way") words += " — " + h.name + " is on the way · " + ago(n.answered_at);
        d.append(el("div", "nc", words));
      });
      return d;
    }));
  }
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
