/* 自测练习 (/practice/ and /practice/<drill>/): one question at a time, the trainee answers first, then
   sees what the knowledge base says.

   The questions come from practice/<drill>.json, built from data/ at build time and read from this site;
   nothing is sent anywhere. Which questions were done is kept in localStorage only, and the pages have a
   button that clears it. Every data value reaches the page through textContent (prose arrives as runs of
   plain text and links to entries). Set up on every document$ emission, so it keeps working under
   Material's instant navigation; listeners are delegated from the document. */
(function () {
  "use strict";

  var STORE = "kb-practice"; // localStorage: {drill: {item id: {ok: true | false | null}}}

  function readStore() {
    try {
      var s = JSON.parse(localStorage.getItem(STORE) || "{}");
      return s && typeof s === "object" ? s : {};
    } catch (e) { return {}; }
  }

  function writeStore(s) {
    try { localStorage.setItem(STORE, JSON.stringify(s)); } catch (e) { /* storage off: nothing kept */ }
  }

  function progress(drill) {
    var s = readStore()[drill];
    return s && typeof s === "object" ? s : {};
  }

  function mark(drill, id, ok) {
    var s = readStore();
    if (!s[drill] || typeof s[drill] !== "object") s[drill] = {};
    s[drill][id] = { ok: ok };
    writeStore(s);
  }

  function clearProgress(which) {
    if (which === "all") {
      try { localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
    } else {
      var s = readStore();
      delete s[which];
      writeStore(s);
    }
  }

  // the side file and the page's elements (kb-sidefile.js, loaded before this file)
  var sideFile = window.kbSideFile, el = sideFile.el, link = sideFile.link;

  function load(root) {
    return sideFile.load(root, "data-kb-drill-data", "drill data");
  }

  // prose: paragraphs and list items, each a list of text runs and links to entries
  function blocks(parent, data, list) {
    var ul = null;
    list.forEach(function (b) {
      var node;
      if (b.li) {
        if (!ul) { ul = el("ul"); parent.appendChild(ul); }
        node = ul.appendChild(el("li"));
      } else {
        ul = null;
        node = parent.appendChild(el("p"));
      }
      (b.li || b.p).forEach(function (run) {
        node.appendChild(typeof run === "string" ? document.createTextNode(run) : link(data, run.u, run.t));
      });
    });
  }

  function textarea(card, label) {
    var input = card.querySelector(".kb-drill__input");
    input.appendChild(el("label", null, label)).htmlFor = "drill-own";
    var box = input.appendChild(el("textarea", "kb-drill__own"));
    box.id = "drill-own";
    box.rows = 3;
    box.setAttribute("aria-keyshortcuts", "Control+Enter");
  }

  function heading(parent, text) { parent.appendChild(el("h3", null, text)); }

  function openEntry(parent, data, url, title) {
    var p = parent.appendChild(el("p"));
    p.appendChild(document.createTextNode("宝典里的这一条："));
    p.appendChild(link(data, url, title));
  }

  // each drill: what the card shows before the answer (ask) and what it shows after (answer)
  var DRILLS = {
    swaps: {
      check: "看改说",
      ask: function (card, data, item) {
        card.querySelector(".kb-drill__question").textContent = "这句话怎么改说？";
        var p = card.querySelector(".kb-drill__prompt").appendChild(el("p", "kb-avoid"));
        p.appendChild(el("span", "kb-avoid__label", "别说"));
        p.appendChild(el("span", "kb-avoid__text", item.avoid));
        textarea(card, "你会怎么说？（写下来再看答案）");
      },
      answer: function (box, data, item) {
        heading(box, "改说");
        item.say.forEach(function (text) { // the same markup as the phrase pages: kb.js copies it
          var say = box.appendChild(el("div", "kb-say"));
          say.appendChild(el("span", "kb-say__text", text));
          var button = say.appendChild(el("button", "kb-copy md-button", "复制"));
          button.type = "button";
          button.title = "复制这句话";
          button.setAttribute("data-kb-copy", "");
        });
        heading(box, "为什么");
        blocks(box, data, item.why);
        openEntry(box, data, item.url, item.title);
        return null;
      }
    },
    legal: {
      check: "看答案",
      ask: function (card, data, item) {
        card.querySelector(".kb-drill__question").textContent = item.question;
        textarea(card, "用你自己的话回答（写下来再看答案）");
      },
      answer: function (box, data, item) {
        if (item.review) box.appendChild(el("p")).appendChild(el("span", "kb-review", item.review));
        heading(box, "简短答案");
        blocks(box, data, item.answer);
        heading(box, "依据");
        var ul = box.appendChild(el("ul"));
        item.basis.forEach(function (b) {
          var li = ul.appendChild(el("li"));
          li.appendChild(el("strong", null, b.law + " " + b.article));
          li.appendChild(document.createTextNode("：" + b.wording + "（" + b.nature + " · 可信度" + b.confidence + "）"));
        });
        openEntry(box, data, item.url, item.title);
        return null;
      }
    },
    identify: {
      check: "核对",
      ask: function (card, data, item) {
        card.querySelector(".kb-drill__question").textContent = "这位客户是哪一类？";
        var prompt = card.querySelector(".kb-drill__prompt");
        prompt.appendChild(el("p", null, "客户这样说、这样做："));
        var ul = prompt.appendChild(el("ul", "kb-drill__says"));
        item.says.forEach(function (s) { ul.appendChild(el("li", null, s.text)); });
        var input = card.querySelector(".kb-drill__input");
        Object.keys(data.families).forEach(function (family, f) {
          if (!item.answer[family]) return; // this question asks only what it knows the answer to
          var set = input.appendChild(el("fieldset", "kb-drill__choices"));
          set.appendChild(el("legend", null, family));
          data.families[family].forEach(function (id) {
            var label = set.appendChild(el("label", "kb-drill__choice"));
            var radio = label.appendChild(el("input"));
            radio.type = "radio";
            radio.name = "family-" + f;
            radio.value = id;
            radio.setAttribute("data-family", family);
            label.appendChild(document.createTextNode(data.types[id].title));
          });
        });
      },
      missing: function (card) { // the first group without a choice, or null
        var sets = card.querySelectorAll(".kb-drill__choices");
        for (var i = 0; i < sets.length; i++) if (!sets[i].querySelector("input:checked")) return sets[i];
        return null;
      },
      answer: function (box, data, item, card) {
        var allRight = true, picked = {};
        Object.keys(item.answer).forEach(function (family) {
          var chosen = card.querySelector('input[data-family="' + family + '"]:checked');
          var right = item.answer[family], ok = right.indexOf(chosen.value) >= 0;
          picked[family] = chosen.value;
          allRight = allRight && ok;
          var names = right.map(function (id) { return data.types[id].title; }).join(" 或 ");
          box.appendChild(el("p", "kb-drill__verdict kb-drill__verdict--" + (ok ? "right" : "wrong"),
            family + "：" + (ok ? "✓ 对了，是" + data.types[chosen.value].title
                                : "✗ 你选了" + data.types[chosen.value].title + "；应为" + names)));
        });
        heading(box, "哪些信号指向哪里");
        var ul = box.appendChild(el("ul", "kb-drill__signals"));
        var pointsTo = function (li, signal) {
          li.appendChild(document.createTextNode("信号「" + data.signals[signal].label + "」指向："));
          data.signals[signal].types.forEach(function (id, i) {
            if (i) li.appendChild(document.createTextNode("、"));
            li.appendChild(link(data, data.types[id].url, data.types[id].title));
          });
        };
        if (item.from === "type") {
          item.says.forEach(function (s) {
            var li = ul.appendChild(el("li"));
            li.appendChild(document.createTextNode("“" + s.text + "” → "));
            pointsTo(li, s.signal);
          });
        } else {
          var shown = [];
          Object.keys(item.answer).forEach(function (family) {
            item.answer[family].concat([picked[family]]).forEach(function (id) {
              if (shown.indexOf(id) >= 0) return;
              shown.push(id);
              var li = ul.appendChild(el("li"));
              li.appendChild(document.createTextNode(
                (item.answer[family].indexOf(id) >= 0 ? "" : "你选的") + data.types[id].title + "的信号："));
              li.appendChild(document.createTextNode(data.types[id].signals.map(function (s) {
                return data.signals[s].label;
              }).join("、")));
            });
          });
          var p = box.appendChild(el("p"));
          p.appendChild(document.createTextNode("出自场景："));
          p.appendChild(link(data, item.url, item.title));
        }
        return allRight;
      }
    }
  };

  function status(root, data, extra) {
    var drill = root.getAttribute("data-kb-drill"), done = progress(drill), n = 0, right = 0;
    data.items.forEach(function (item) {
      if (done[item.id]) { n += 1; if (done[item.id].ok) right += 1; }
    });
    var here = done[data.items[root._kb.index].id] ? "（做过）" : "";
    root.querySelector(".kb-drill__progress").textContent = "第 " + (root._kb.index + 1) + " / " + data.items.length +
      " 题" + here + " · 已做 " + n + " 题" + (drill === "identify" ? "，答对 " + right + " 题" : "") + (extra || "");
  }

  function show(root, index, focus) {
    var data = root._kb.data, drill = DRILLS[root.getAttribute("data-kb-drill")];
    root._kb.index = (index + data.items.length) % data.items.length;
    var item = data.items[root._kb.index], card = root.querySelector(".kb-drill__card");
    card.querySelector(".kb-drill__prompt").textContent = "";
    card.querySelector(".kb-drill__input").textContent = "";
    var answer = card.querySelector(".kb-drill__answer");
    answer.textContent = "";
    answer.hidden = true;
    card.querySelector(".kb-drill__check").textContent = drill.check;
    drill.ask(card, data, item);
    card.hidden = false;
    root.querySelector(".kb-drill__nav").hidden = false;
    status(root, data);
    if (focus) {
      var first = card.querySelector("textarea, input");
      if (first) first.focus({ preventScroll: false });
    }
  }

  function reveal(root) {
    var data = root._kb.data, name = root.getAttribute("data-kb-drill"), drill = DRILLS[name];
    var card = root.querySelector(".kb-drill__card"), item = data.items[root._kb.index];
    var missing = drill.missing && drill.missing(card);
    if (missing) {
      status(root, data, " · 先在“" + missing.querySelector("legend").textContent + "”里选一个");
      missing.querySelector("input").focus();
      return;
    }
    var box = card.querySelector(".kb-drill__answer");
    box.textContent = "";
    var ok = drill.answer(box, data, item, card);
    box.hidden = false;
    mark(name, item.id, ok);
    status(root, data);
    root.querySelector('[data-kb-drill-go="next"]').focus();
  }

  function firstTodo(root, from) {
    var data = root._kb.data, done = progress(root.getAttribute("data-kb-drill"));
    for (var i = 0; i < data.items.length; i++) {
      var k = (from + i) % data.items.length;
      if (!done[data.items[k].id]) return k;
    }
    return from % data.items.length;
  }

  function overview(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-kb-practice-done]"), function (span) {
      var n = Object.keys(progress(span.getAttribute("data-kb-practice-done"))).length;
      span.textContent = "，已做 " + Math.min(n, +span.getAttribute("data-kb-practice-total")) + " 题";
    });
  }

  function setup() {
    var hub = document.querySelector("[data-kb-practice]");
    if (hub) overview(hub);
    var root = document.querySelector(".kb-drill");
    if (!root) return;
    load(root).then(function (data) {
      root._kb = { data: data, index: 0 };
      if (!data.items.length) {
        root.querySelector(".kb-drill__progress").textContent = "还没有题目。";
        return;
      }
      var active = document.activeElement;
      show(root, firstTodo(root, 0), !active || active === document.body);
    }).catch(function () {
      root.querySelector(".kb-drill__progress").textContent = "题目没有载入，请刷新页面。";
    });
  }

  document.addEventListener("submit", function (event) {
    var root = event.target.closest && event.target.closest(".kb-drill");
    if (!root) return;
    event.preventDefault();
    if (root._kb) reveal(root);
  });

  document.addEventListener("click", function (event) {
    var go = event.target.closest && event.target.closest("[data-kb-drill-go]");
    var clear = event.target.closest && event.target.closest("[data-kb-practice-clear]");
    if (go) {
      var root = go.closest(".kb-drill");
      if (!root || !root._kb) return;
      var where = go.getAttribute("data-kb-drill-go"), i = root._kb.index;
      show(root, where === "prev" ? i - 1 : where === "next" ? i + 1 : firstTodo(root, i + 1), true);
    } else if (clear) {
      clearProgress(clear.getAttribute("data-kb-practice-clear"));
      var drill = clear.closest(".kb-drill"), hub = clear.closest("[data-kb-practice]");
      if (drill && drill._kb) status(drill, drill._kb.data, " · 进度已清除");
      if (hub) {
        overview(hub);
        hub.querySelector(".kb-practice__status").textContent = "全部练习进度已清除。";
      }
    }
  });

  // Ctrl+Enter in the answer, Enter on a choice: check. Stopped here, so Material's shortcuts on window
  // never see keys typed into an answer.
  document.addEventListener("keydown", function (event) {
    var root = event.target.closest && event.target.closest(".kb-drill__card");
    if (!root || event.isComposing) return;
    var submit = event.key === "Enter" && (event.ctrlKey || event.metaKey || event.target.type === "radio");
    if (submit) {
      event.preventDefault();
      root.requestSubmit();
    }
    event.stopPropagation();
  });

  if (window.document$) window.document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
