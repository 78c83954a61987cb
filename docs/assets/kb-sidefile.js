/* Shared by triage.js and practice.js: a page's JSON side file, fetched from this site once per address,
   and the two ways their pages are built from it, with every data value through textContent. */
(function () {
  "use strict";

  var cache = {};

  // the JSON named by the root element's `attribute` (relative to the page), with `base` for its links
  function load(root, attribute, what) {
    var url = new URL(root.getAttribute(attribute), location.href).href;
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(what + ": HTTP " + r.status);
        return r.json();
      }).then(function (data) { data.base = url; return data; });
    }
    return cache[url];
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  // a link to a site address given relative to the side file
  function link(data, url, text) {
    var a = el("a", null, text);
    a.href = new URL(url, data.base).href;
    return a;
  }

  window.kbSideFile = { load: load, el: el, link: link };
})();
