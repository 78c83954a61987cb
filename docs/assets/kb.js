/* Small behaviours of the knowledge base. Delegated listeners: they survive Material's instant navigation. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http intranet hosts are not a secure context: fall back to a hidden textarea.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      ok ? resolve() : reject(new Error("copy failed"));
    });
  }

  function openSearch() {
    var toggle = document.querySelector("[data-md-toggle=search]");
    var input = document.querySelector("[data-md-component=search-query]");
    if (!toggle || !input) return;
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    input.focus();
  }

  // A table wider than the screen scrolls sideways inside Material's wrapper. A keyboard user must be
  // able to reach it to scroll it (WCAG 2.1.1; axe: scrollable-region-focusable), and a screen reader
  // should say what it is: a wrapper that scrolls becomes a focusable region named after its section.
  // Only while it scrolls: a table that fits is no extra stop for the Tab key.
  function sectionTitle(element) {
    for (var e = element; e && !e.matches("article"); e = e.parentElement) {
      for (var s = e.previousElementSibling; s; s = s.previousElementSibling) {
        if (/^H[1-6]$/.test(s.tagName)) {
          var heading = s.cloneNode(true);
          heading.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
          return heading.textContent.trim();
        }
      }
    }
    return document.title;
  }

  function reachableScrollingTables() {
    var used = {};
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        var name = "表格：" + sectionTitle(wrap) + "（可左右滚动）";
        used[name] = (used[name] || 0) + 1;
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", used[name] > 1 ? name + " " + used[name] : name);
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  // after Material has wrapped the tables of each page it shows (instant navigation included)
  if (window.document$) {
    window.document$.subscribe(function () { requestAnimationFrame(reachableScrollingTables); });
  } else {
    document.addEventListener("DOMContentLoaded", reachableScrollingTables);
  }
  var resizing = null;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(reachableScrollingTables);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-kb-copy]");
    if (button) {
      var text = button.parentElement.querySelector(".kb-say__text").textContent;
      copyText(text).then(function () {
        button.textContent = "已复制";
        button.classList.add("kb-copy--done");
        setTimeout(function () {
          button.textContent = "复制";
          button.classList.remove("kb-copy--done");
        }, 1500);
      });
      return;
    }
    if (event.target.closest("[data-kb-open-search]")) {
      openSearch();
    }
  });
})();
