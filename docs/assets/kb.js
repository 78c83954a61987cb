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
