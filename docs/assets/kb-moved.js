/* A collection page that grew too long is split into pages per group (hooks/kb/pages.py lay_out). Its
   old addresses, /phrases/#<entry id> or /phrases/#<group>, still land: the collection page carries a
   map from every anchor it had to the page holding it now (JSON data, never markup), and this follows
   it, on first load, after Material's instant navigation, and when only the #anchor changes. */
(function () {
  "use strict";

  // Setting location.hash fires both hashchange and popstate, and Material answers popstate by emitting
  // document$ again: without this flag the second location.replace aborts the first.
  var leaving = false;

  function follow() {
    var data = document.getElementById("kb-moved");
    if (leaving || !data || location.hash.length < 2) return;
    var anchor = decodeURIComponent(location.hash.slice(1));
    var moved = JSON.parse(data.textContent);
    if (Object.prototype.hasOwnProperty.call(moved, anchor)) {
      leaving = true;
      location.replace(new URL(moved[anchor] + "#" + encodeURIComponent(anchor), location.href).href);
    }
  }

  window.addEventListener("hashchange", follow);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(follow);
  } else {
    follow();
  }
})();
