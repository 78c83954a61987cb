/* 识别助手 (/triage/): rank the customer types from the signals the agent ticks.

   The data (triage.json) is built from data/ at build time; nothing else is requested. Listeners are
   delegated from the document and the page is set up on every document$ emission, so it keeps working
   under Material's instant navigation. Keys act only while focus is inside the tool (.kb-triage), and
   are then kept from Material's own shortcuts; elsewhere Material's keys work as usual. Every data
   value reaches the page through textContent. */
(function () {
  "use strict";

  var SHOWN = 3; // results per family
  var STORE = "kb-triage"; // sessionStorage: ticks survive a look at a type page and the way back

  /* The ranking, explained on the page: a type's score is the sum of the weights of the ticked signals
     it lists; ties go to the type more of whose signal weight is ticked, then to data order. */
  function rank(data, ticked) {
    // a Map and a Set, not plain objects: an id like "constructor" is a property of every object
    var weight = new Map(), on = new Set(ticked), out = {};
    data.signals.forEach(function (s) { weight.set(s.id, s.weight); });
    data.families.forEach(function (f) { out[f] = []; });
    data.types.forEach(function (t, order) {
      var hits = t.signals.filter(function (id) { return on.has(id); });
      if (!hits.length) return;
      var sum = function (ids) { return ids.reduce(function (a, id) { return a + weight.get(id); }, 0); };
      var score = sum(hits);
      out[t.family].push({ type: t, score: score, share: score / sum(t.signals), hits: hits, order: order });
    });
    data.families.forEach(function (f) {
      out[f].sort(function (a, b) { return b.score - a.score || b.share - a.share || a.order - b.order; });
    });
    return out;
  }

  if (typeof module !== "undefined" && module.exports) { // node, for the tests
    module.exports = { rank: rank };
    return;
  }

  // the side file and the page's elements (kb-sidefile.js, loaded before this file)
  var sideFile = window.kbSideFile, el = sideFile.el, link = sideFile.link;

  function load(root) {
    return sideFile.load(root, "data-kb-triage", "triage data");
  }

  function boxes(root) { return Array.prototype.slice.call(root.querySelectorAll("input[data-key]")); }

  function ticked(root) {
    return boxes(root).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
  }

  // the legal notes and escalation levels the hit signals point to, each once
  function toOpen(data, bySignal, hits) {
    var legal = [], esc = [];
    hits.forEach(function (id) {
      bySignal[id].legal.forEach(function (x) { if (legal.indexOf(x) < 0) legal.push(x); });
      bySignal[id].escalation.forEach(function (x) { if (esc.indexOf(x) < 0) esc.push(x); });
    });
    esc.sort(function (a, b) { return data.escalation[a].level - data.escalation[b].level; });
    return { legal: legal, escalation: esc };
  }

  function result(data, bySignal, r, rank) {
    var item = el("article", "kb-result" + (rank === 0 ? " kb-result--top" : ""));
    var head = el("h3", "kb-result__title");
    head.appendChild(link(data, r.type.url, r.type.title));
    head.appendChild(el("span", "kb-result__score", "得分 " + r.score));
    item.appendChild(head);
    item.appendChild(el("p", "kb-result__why", "因为：" + r.hits.map(function (id) {
      return bySignal[id].label + "（+" + bySignal[id].weight + "）";
    }).join("；")));
    var first = el("p", "kb-result__first");
    first.appendChild(el("strong", null, "第一步："));
    first.appendChild(document.createTextNode(r.type.first_move));
    item.appendChild(first);
    r.type.say.forEach(function (text) { // the same markup as the phrase pages: kb.js copies it
      var say = el("div", "kb-say");
      say.appendChild(el("span", "kb-say__text", text));
      var button = el("button", "kb-copy md-button", "复制");
      button.type = "button";
      button.title = "复制这句话";
      button.setAttribute("data-kb-copy", "");
      say.appendChild(button);
      item.appendChild(say);
    });
    var open = toOpen(data, bySignal, r.hits);
    if (open.legal.length || open.escalation.length) {
      var p = el("p", "kb-result__open");
      p.appendChild(el("strong", null, "要打开："));
      open.legal.forEach(function (id, i) {
        var note = data.legal[id];
        if (i) p.appendChild(document.createTextNode("；"));
        p.appendChild(link(data, note.url, note.title));
        if (note.review) p.appendChild(el("span", "kb-review", note.review));
      });
      open.escalation.forEach(function (id, i) {
        var level = data.escalation[id];
        if (i || open.legal.length) p.appendChild(document.createTextNode("；"));
        p.appendChild(link(data, level.url, "升级第" + level.level + "级 " + level.title));
      });
      item.appendChild(p);
    }
    return item;
  }

  function render(root, data) {
    var on = ticked(root), ranked = rank(data, on), bySignal = {};
    data.signals.forEach(function (s) { bySignal[s.id] = s; });
    try { sessionStorage.setItem(STORE, JSON.stringify(on)); } catch (e) { /* storage off: nothing kept */ }
    root.querySelector(".kb-triage__status").textContent =
      on.length ? "已勾选 " + on.length + " 个信号。" : "还没有勾选信号。";
    var leaders = data.families.map(function (f) { return ranked[f][0]; }).filter(Boolean);
    var jump = root.querySelector(".kb-triage__jump");
    jump.hidden = !leaders.length;
    jump.textContent = "看结果：" + leaders.map(function (r) { return r.type.title; }).join(" · ") + " ↓";
    data.families.forEach(function (family) {
      var list = root.querySelector('[data-kb-family="' + family + '"]');
      list.textContent = "";
      var rows = ranked[family].slice(0, SHOWN);
      if (!rows.length) list.appendChild(el("p", "kb-triage__empty",
        on.length ? "勾选的信号还没有指向" + family + "的。" : "勾选信号后在这里显示。"));
      rows.forEach(function (r, i) { list.appendChild(result(data, bySignal, r, i)); });
    });
  }

  function update(root) { load(root).then(function (data) { render(root, data); }); }

  function clear(root) {
    boxes(root).forEach(function (b) { b.checked = false; });
    update(root);
    var first = boxes(root)[0];
    if (first) first.focus();
  }

  function setup() {
    var root = document.querySelector(".kb-triage");
    if (!root) return;
    var saved = [];
    try { saved = JSON.parse(sessionStorage.getItem(STORE) || "[]"); } catch (e) { /* ignore */ }
    boxes(root).forEach(function (b) { b.checked = saved.indexOf(b.value) >= 0; });
    update(root);
    var active = document.activeElement;
    if (!active || active === document.body) boxes(root)[0].focus({ preventScroll: true });
  }

  document.addEventListener("change", function (event) {
    var root = event.target.closest && event.target.closest(".kb-triage");
    if (root) update(root);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-triage-clear]");
    if (button) clear(button.closest(".kb-triage"));
  });

  document.addEventListener("submit", function (event) {
    if (event.target.closest(".kb-triage")) event.preventDefault();
  });

  // Bubbling from the focused element: stopping it here keeps it from Material's listener on window.
  document.addEventListener("keydown", function (event) {
    var root = event.target.closest && event.target.closest(".kb-triage");
    if (!root || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "Escape" || key === "0") {
      clear(root);
    } else if (/^[1-9a-z]$/.test(key) && root.querySelector('input[data-key="' + key + '"]')) {
      var box = root.querySelector('input[data-key="' + key + '"]');
      box.checked = !box.checked;
      box.focus(); // the results are redrawn: keep focus in the form, where the keys work
      update(root);
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  });

  if (window.document$) window.document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
