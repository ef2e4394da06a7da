/* kg pages: the helpers both page scripts use (kg-graph.js, kg-article.js), loaded
   before them. Marks on <html> (data-kg-*) let tests read what a page did. */
window.kgPage = (function () {
  "use strict";
  var root = document.documentElement;
  function mark(key, value) { root.setAttribute("data-kg-" + key, String(value)); }
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) { x.className = cls; }
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    return x;
  }
  function clear(x) { while (x.firstChild) { x.removeChild(x.firstChild); } }
  // the text of a #find=… link, or null
  function hashQuery() {
    var h = window.location.hash;
    if (h.indexOf("#find=") !== 0) { return null; }
    try { return decodeURIComponent(h.slice(6)); } catch (err) { return null; }
  }
  // painted samples of the network's canvas (-1 when it cannot be read)
  function ink(container) {
    var canvas = container.querySelector("canvas"), n = 0;
    try {
      var px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      for (var i = 3; i < px.length; i += 16) { if (px[i] > 0) { n += 1; } }
    } catch (err) { n = -1; }
    return n;
  }
  // call settle() once, when the layout is done (or at once with layout.now()); after the
  // first drawing that follows, mark the canvas's ink and data-kg-drawn
  function layout(network, container, settle) {
    var settled = false;
    function once() {
      if (settled) { return; }
      settled = true;
      settle();
    }
    network.once("stabilizationIterationsDone", once);
    network.once("stabilized", once);
    network.on("afterDrawing", function () {
      if (!settled || root.hasAttribute("data-kg-drawn")) { return; }
      mark("ink", ink(container));
      mark("drawn", "1");
    });
    return {now: once, done: function () { return settled; }};
  }
  return {mark: mark, el: el, clear: clear, hashQuery: hashQuery, layout: layout};
}());
