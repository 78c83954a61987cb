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
