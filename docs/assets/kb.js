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

  // An entry's full address: the published one (site_url) when the build knew it, else this page's.
  function entryAddress(button) {
    return button.getAttribute("data-kb-url") || new URL(button.getAttribute("data-kb-href"), location.href).href;
  }

  function flash(button, text, restore) {
    button.textContent = text;
    button.classList.add("kb-copy--done");
    setTimeout(function () {
      button.textContent = restore;
      button.classList.remove("kb-copy--done");
    }, 1500);
  }

  // Printed pages show where each link goes: the resolved address, set as data for the print stylesheet.
  function markLinkTargets() {
    document.querySelectorAll(".md-content a[href]:not(.headerlink)").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href && href.charAt(0) !== "#") a.setAttribute("data-kb-print-href", a.href);
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(markLinkTargets);  // Material's instant navigation swaps the content
  } else {
    document.addEventListener("DOMContentLoaded", markLinkTargets);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-kb-link]");
    if (link) {
      copyText(entryAddress(link)).then(function () { flash(link, "已复制链接", "复制链接"); });
      return;
    }
    var button = event.target.closest("[data-kb-copy]");
    if (button) {
      var text = button.parentElement.querySelector(".kb-say__text").textContent;
      copyText(text).then(function () { flash(button, "已复制", "复制"); });
      return;
    }
    if (event.target.closest("[data-kb-open-search]")) {
      openSearch();
    }
  });

  /* ------------------------------------------------ a search without a good match
   * The worker marks a weak best result (.kb-weak-match); no result at all is the same case. Then the
   * help under the result list shows the customer types, the complaint categories and how to search
   * differently; when the site turns it on (data-kb-miss-log), a search that ends that way (unchanged for
   * MISS_AFTER ms) requests the site's own assets/miss.gif?q=…, so the query lands in the web server's
   * access log, with digit runs that could be phone, ID or account numbers redacted first. */
  var MISS_AFTER = 1500;
  var logged = new Set();
  var missTimer = null;

  function siteRoot() {
    return typeof __md_scope !== "undefined" ? __md_scope : new URL(".", location.href);
  }

  /* 6 or more digits (an ID card may end in X) become ＊: service numbers such as 12300 stay readable. */
  function redact(query) {
    return query.replace(/\d{6,}[xX]?/g, "＊");
  }

  function noGoodMatch(query) {
    var list = document.querySelector(".md-search-result__list");
    if (!query || !list) return false;
    return list.children.length === 0 || list.querySelector(".kb-weak-match") !== null;
  }

  function recordMiss(help, query) {
    var target = help.getAttribute("data-kb-miss-log");
    if (!target) return;
    var text = redact(query.trim()).slice(0, 100);
    if (!text || logged.has(text)) return;
    logged.add(text);
    var url = new URL(target, siteRoot());
    url.searchParams.set("q", text);
    new Image().src = url.pathname + url.search;  // a path on this host: never another one
  }

  /* The help's links (customer types, complaint categories) come from search/help.json, written with the
   * search index (kb.search.search_help): in one file, not in every page, so that retitling a type does
   * not change every page. Fetched once, when the search is first used; drawn as text, never as HTML. */
  var helpLinks = null;
  function loadHelpLinks() {
    if (!helpLinks) {
      helpLinks = fetch(new URL("search/help.json", siteRoot()).href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; })
        .then(drawHelpLinks);
    }
    return helpLinks;
  }
  function drawHelpLinks(groups) {
    var box = document.querySelector("[data-kb-search-help-links]");
    if (!box) return;
    var parts = [];
    (Array.isArray(groups) ? groups : []).forEach(function (group) {
      var heading = document.createElement("h2");
      heading.className = "kb-search-help__heading";
      heading.textContent = group.label;
      var list = document.createElement("ul");
      list.className = "kb-search-help__links";
      (group.links || []).concat(group.more ? [group.more] : []).forEach(function (link) {
        var a = document.createElement("a");
        a.setAttribute("data-kb-path", link.path);
        a.textContent = link.title;
        var item = document.createElement("li");
        item.appendChild(a);
        list.appendChild(item);
      });
      parts.push(heading, list);
    });
    box.replaceChildren.apply(box, parts);
    box.setAttribute("data-kb-drawn", "");
    pointHelpLinks();
  }
  function pointHelpLinks() {
    document.querySelectorAll("[data-kb-search-help] a[data-kb-path]").forEach(function (a) {
      a.href = new URL(a.getAttribute("data-kb-path"), siteRoot()).href;  // right after instant navigation too
    });
  }

  function updateHelp() {
    var help = document.querySelector("[data-kb-search-help]");
    var input = document.querySelector("[data-md-component=search-query]");
    if (!help || !input) return;
    var query = input.value.trim();
    var show = noGoodMatch(query);
    help.hidden = !show;
    clearTimeout(missTimer);
    if (!show) return;
    loadHelpLinks();
    pointHelpLinks();
    missTimer = setTimeout(function () {
      if (input.value.trim() === query && noGoodMatch(query)) recordMiss(help, query);
    }, MISS_AFTER);
  }

  var pending = null;
  function scheduleHelp() {
    clearTimeout(pending);
    pending = setTimeout(updateHelp, 120);  // after the worker's results are drawn
  }
  document.addEventListener("keyup", function (event) {
    if (event.target.matches && event.target.matches("[data-md-component=search-query]")) scheduleHelp();
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-md-component=search-query]")) {
      loadHelpLinks();  // fetched while the worker searches: drawn by the time the help may show
      scheduleHelp();
    }
  });
  var results = document.querySelector("[data-md-component=search-result]");
  if (results) new MutationObserver(scheduleHelp).observe(results, { childList: true, subtree: true });

  /* ------------------------------------------------ which result an agent opened
   * When the site turns it on (data-kb-open-log), opening a search result (click, or Enter on it: the
   * theme clicks the focused result) requests the site's own assets/opened.gif?q=…&rank=…&to=…: the query
   * redacted as for a miss, the result's place in the list and its address in the site. The benchmark's
   * top-1 and top-3, measured on real searches: `make misses` says how often the first result was the one
   * opened, and which entries agents opened lower down for which words. Capture phase: before instant
   * navigation takes the click and the search closes. */
  function recordOpen(link) {
    var log = document.querySelector("[data-kb-open-log]");
    var input = document.querySelector("[data-md-component=search-query]");
    var item = link.closest(".md-search-result__item");
    if (!log || !input || !item || !item.parentElement) return;
    var query = redact(input.value.trim()).slice(0, 100);
    var rank = Array.prototype.indexOf.call(item.parentElement.children, item) + 1;
    var root = new URL(siteRoot(), location.href);
    var target = new URL(link.href, location.href);
    if (!query || rank < 1 || target.origin !== location.origin) return;
    var path = target.pathname.indexOf(root.pathname) === 0 ? target.pathname.slice(root.pathname.length) : target.pathname;
    var url = new URL(log.getAttribute("data-kb-open-log"), root);
    url.searchParams.set("q", query);
    url.searchParams.set("rank", String(rank));
    url.searchParams.set("to", path + target.hash);
    // keepalive: the request outlives the page when the browser leaves it (a link opened without instant
    // navigation); a path on this host, never another one
    fetch(url.pathname + url.search, { keepalive: true, credentials: "same-origin", cache: "no-store" })
      .catch(function () {});
  }
  function openedResult(event) {
    var link = event.target.closest && event.target.closest(".md-search-result__link");
    if (link && (event.type === "click" || event.button === 1)) recordOpen(link);
  }
  document.addEventListener("click", openedResult, true);
  document.addEventListener("auxclick", openedResult, true);  // middle click: a new tab
})();
