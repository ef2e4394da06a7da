/* kg whole-graph page: opens on the most connected entities; search, "more",
   double-click and the class filters add more. Data: #kg-data or window.KG_DATA. */
(function () {
  "use strict";
  var mark = kgPage.mark, el = kgPage.el, clear = kgPage.clear;
  var inline = document.getElementById("kg-data");
  var D = inline ? JSON.parse(inline.textContent) : window.KG_DATA;
  var N = D.nodes, E = D.edges, BIG = 300;
  var status = document.getElementById("kg-status");
  var details = document.getElementById("kg-details");
  var container = document.getElementById("kg-network");
  function cls(n) { return D.classes[n.c]; }  // [class, core class, zh label]
  // an article drawn as the object of authorOf is a node, never counted as an entity
  function isEntity(i) { return cls(N[i])[1] !== "Article"; }
  var ENTITIES = N.filter(function (n, i) { return isEntity(i); }).length;
  mark("entities", ENTITIES);
  mark("relations", E.length);

  function style(n) { return D.styles[cls(n)[1]] || D.styles[""]; }
  function short(s) { return s.length <= 14 ? s : s.slice(0, 13) + "…"; }
  var adj = N.map(function () { return []; });
  E.forEach(function (e, i) { adj[e.s].push(i); if (e.o !== e.s) { adj[e.o].push(i); } });

  function nodeTip(i) {
    var n = N[i], d = el("div", "kg-tip");
    d.appendChild(el("div", "kg-tip-title", n.l));
    d.appendChild(el("div", null, "类别 class: " + cls(n)[2] + " (" + cls(n)[0] + ")"));
    if (n.a) { d.appendChild(el("div", null, "别名 aliases: " + n.a.join("、"))); }
    d.appendChild(el("div", null, "度 degree: " + n.d));
    return d;
  }
  function edgeHead(e) { return N[e.s].l + " —" + (D.preds[e.p] || e.p) + "→ " + N[e.o].l; }
  function evidenceBlock(parent, e) {
    e.ev.forEach(function (ev) {
      var p = el("div", "kg-ev"), art = D.articles[ev[2]];
      if (D.sentences[ev[0]]) { p.appendChild(el("q", null, D.sentences[ev[0]])); }
      p.appendChild(el("div", "kg-rule", "规则 rule: " + D.rules[ev[1]] + " · " + (art ? art[0] : "")));
      parent.appendChild(p);
    });
    if (e.more) { parent.appendChild(el("div", "kg-rule", "… +" + e.more)); }
  }
  function edgeTip(e) {
    var d = el("div", "kg-tip");
    d.appendChild(el("div", "kg-tip-title", edgeHead(e)));
    d.appendChild(el("div", "kg-rule", e.p));
    evidenceBlock(d, e);
    return d;
  }
  function showNode(i) {
    var n = N[i];
    clear(details);
    details.appendChild(el("div", "kg-d-title", n.l));
    details.appendChild(el("div", "kg-d-row", "类别 class: " + cls(n)[2] + " (" + cls(n)[0] + ")"));
    if (n.a) { details.appendChild(el("div", "kg-d-row", "别名 aliases: " + n.a.join("、"))); }
    var row = el("div", "kg-d-row", "文章 articles: ");
    n.ar.forEach(function (k, j) {
      var a = D.articles[k];
      if (j) { row.appendChild(document.createTextNode(", ")); }
      if (a[2]) {
        var link = el("a", null, a[0]);
        link.href = a[2] + "#find=" + encodeURIComponent(n.l);
        link.title = a[1];
        row.appendChild(link);
      } else { row.appendChild(document.createTextNode(a[0])); }
    });
    if (n.na > n.ar.length) { row.appendChild(document.createTextNode(" … +" + (n.na - n.ar.length))); }
    if (!n.na) { row.appendChild(document.createTextNode("-")); }
    details.appendChild(row);
    adj[i].forEach(function (k) {
      var box = el("div", "kg-d-rel");
      box.appendChild(el("div", null, edgeHead(E[k])));
      evidenceBlock(box, E[k]);
      details.appendChild(box);
    });
  }
  function showEdge(k) {
    clear(details);
    details.appendChild(el("div", "kg-d-title", edgeHead(E[k])));
    details.appendChild(el("div", "kg-rule", E[k].p));
    evidenceBlock(details, E[k]);
  }

  document.getElementById("kg-notice").textContent = D.notice || "";
  var labelList = document.getElementById("kg-labels");
  if (N.length <= 20000) {
    N.map(function (n) { return n.l; }).sort().forEach(function (label) {
      var o = document.createElement("option");
      o.value = label;
      labelList.appendChild(o);
    });
  }
  if (!N.length) {
    container.appendChild(el("p", "kg-none", "没有实体 no entities in this view"));
    mark("drawn", "empty");
    return;
  }

  // The order in which entities join the view: focus, then most connected, then by label.
  var order = N.map(function (n, i) { return i; });
  order.sort(function (a, b) {
    return ((N[b].f || 0) - (N[a].f || 0)) || (N[b].d - N[a].d) || (N[a].l < N[b].l ? -1 : N[a].l > N[b].l ? 1 : a - b);
  });
  var hidden = {};  // core classes filtered out
  var shown = {};  // node index -> true when in the view
  var fontSize = 14;
  function visNode(i) {
    var n = N[i], st = style(n), focus = !!n.f;
    return {
      id: i, label: short(n.l), shape: st[1], size: Math.round(Math.min(48, 9 + 5 * Math.sqrt(n.d)) * 100) / 100,
      color: {background: st[0], border: focus ? "#1f2d3d" : st[0],
              highlight: {background: st[0], border: "#1f2d3d"}, hover: {background: st[0], border: "#1f2d3d"}},
      borderWidth: focus ? 4 : 1, title: nodeTip(i), hidden: !!hidden[cls(n)[1]],
      font: {size: fontSize}
    };
  }
  function visEdge(k) {
    var e = E[k];
    // dashed: only a class pair's default drew it (rule ids default.*), no cue word
    var weak = e.ev.length > 0 && e.ev.every(function (ev) { return D.rules[ev[1]].indexOf("default.") === 0; });
    return {id: k, from: e.s, to: e.o, label: D.preds[e.p] || e.p, title: edgeTip(e), dashes: weak, font: {size: Math.round(fontSize * 0.8)}};
  }
  // as many as the canvas holds with readable labels (fewer on a phone), at most D.first
  var room = Math.max(20, Math.floor(container.clientWidth * container.clientHeight / 12000));
  var first = [];
  var limit = N.length <= Math.min(D.first, room) ? N.length : Math.min(D.first, room);
  for (var j = 0; j < order.length && first.length < limit; j += 1) {
    if (limit === N.length || N[order[j]].d > 0 || N[order[j]].f) { first.push(order[j]); }
  }
  first.forEach(function (i) { shown[i] = true; });
  function edgesAmong(ids) {
    var seen = {}, out = [];
    ids.forEach(function (i) {
      adj[i].forEach(function (k) {
        if (!seen[k] && shown[E[k].s] && shown[E[k].o]) { seen[k] = true; out.push(k); }
      });
    });
    return out.sort(function (a, b) { return a - b; });
  }
  var nodes = new vis.DataSet(first.map(visNode));
  var edges = new vis.DataSet(edgesAmong(first).map(visEdge));
  var options = {
    autoResize: true,
    layout: {improvedLayout: false, randomSeed: 7},
    physics: {enabled: true, solver: "forceAtlas2Based",
              forceAtlas2Based: {gravitationalConstant: -60, centralGravity: 0.01, springLength: 110,
                                 springConstant: 0.08, avoidOverlap: 0.2},
              stabilization: {enabled: true, iterations: 150, updateInterval: 10, fit: false},
              minVelocity: 1, timestep: 0.5},
    nodes: {font: {size: 14, face: getComputedStyle(document.body).fontFamily, strokeWidth: 3, strokeColor: "#ffffff"},
            borderWidth: 1},
    edges: {smooth: false, arrows: {to: {enabled: true, scaleFactor: 0.5}},
            color: {color: "#9aa5b1", highlight: "#33475b", hover: "#33475b"},
            font: {size: 11, align: "middle", color: "#33475b", strokeWidth: 3, strokeColor: "#ffffff"},
            width: 1, selectionWidth: 2},
    interaction: {hover: true, tooltipDelay: 120, hideEdgesOnDrag: E.length > 1000, navigationButtons: false,
                  keyboard: false, multiselect: true}
  };
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  window.kgNetwork = network;

  function count() {
    var n = Object.keys(shown).length;
    mark("nodes", n);
    mark("edges", edges.length);
    mark("dashed", edges.get({filter: function (e) { return e.dashes; }}).length);
    return n;
  }
  function say(extra) {
    var n = count(), entities = Object.keys(shown).filter(isEntity).length;
    status.textContent = (n < N.length ? "显示 showing " + entities + " / " + ENTITIES + " 个实体 entities" : "")
      + (extra ? (n < N.length ? " · " : "") + extra : "");
  }
  // Labels readable at the first view: after fitting, fonts are sized so that they
  // show at 13 px or more on screen.
  function readable() {
    var scale = network.getScale();
    fontSize = Math.max(14, Math.ceil(13 / Math.max(scale, 0.05)));
    nodes.update(nodes.getIds().map(function (id) { return {id: id, font: {size: fontSize}}; }));
    edges.update(edges.getIds().map(function (id) { return {id: id, font: {size: Math.round(fontSize * 0.8)}}; }));
    mark("font-px", Math.round(fontSize * scale * 10) / 10);
  }

  // Add entities to the view, near a neighbour already shown, and let only them move.
  function add(ids) {
    var seen = {};
    var fresh = ids.filter(function (i) { var ok = !shown[i] && !seen[i]; seen[i] = true; return ok; });
    if (!fresh.length) { return 0; }
    var pos = network.getPositions(), centre = network.getViewPosition();
    var batch = fresh.map(function (i, j) {
      shown[i] = true;
      var anchor = null;
      adj[i].some(function (k) {
        var m = E[k].s === i ? E[k].o : E[k].s;
        if (pos[m]) { anchor = pos[m]; return true; }
        return false;
      });
      var base = anchor || centre, angle = 2.399963 * (j + 1), r = 90 + 12 * Math.sqrt(j + 1);
      var v = visNode(i);
      v.x = base.x + r * Math.cos(angle);
      v.y = base.y + r * Math.sin(angle);
      return v;
    });
    nodes.update(nodes.getIds().map(function (id) { return {id: id, fixed: true}; }));
    nodes.add(batch);
    edges.add(edgesAmong(fresh).filter(function (k) { return edges.get(k) === null; }).map(visEdge));
    network.setOptions({physics: {enabled: true}});
    network.stabilize(60);
    return fresh.length;
  }
  network.on("stabilized", function () {
    if (!layout.done()) { return; }
    network.setOptions({physics: {enabled: false}});
    nodes.update(nodes.getIds().map(function (id) { return {id: id, fixed: false}; }));
  });

  function applyFilter() {
    hidden = {};
    Array.prototype.forEach.call(document.querySelectorAll("input[data-kg-core]"), function (cb) {
      if (!cb.checked) { hidden[cb.getAttribute("data-kg-core")] = true; }
    });
    nodes.update(nodes.getIds().map(function (id) { return {id: id, hidden: !!hidden[cls(N[id])[1]]}; }));
    say();
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-kg-core]"), function (cb) {
    cb.addEventListener("change", applyFilter);
  });
  // "more": the next most connected entities of the classes shown
  document.getElementById("kg-more").addEventListener("click", function () {
    var next = [];
    for (var j = 0; j < order.length && next.length < D.first; j += 1) {
      var i = order[j];
      if (!shown[i] && !hidden[cls(N[i])[1]]) { next.push(i); }
    }
    add(next);
    say(next.length ? "" : "全部已显示 all shown");
  });

  var search = document.getElementById("kg-search");
  function find(q) {
    q = q.trim();
    if (!q) { return []; }
    var exact = [], part = [];
    N.forEach(function (n, i) {
      if (n.l === q || (n.a && n.a.indexOf(q) >= 0)) { exact.push(i); }
      else if (n.l.indexOf(q) >= 0 || (n.a && n.a.some(function (a) { return a.indexOf(q) >= 0; }))) { part.push(i); }
    });
    return exact.length ? exact : part.slice(0, 50);
  }
  function go() {
    var hits = find(search.value);
    if (!hits.length) { status.textContent = "未找到 not found: " + search.value; return; }
    hits.forEach(function (i) {
      var core = cls(N[i])[1];
      if (hidden[core]) {
        var cb = document.querySelector('input[data-kg-core="' + core + '"]');
        if (cb) { cb.checked = true; }
      }
    });
    applyFilter();
    var around = hits.slice();
    if (hits.length === 1) {
      adj[hits[0]].forEach(function (k) { around.push(E[k].s, E[k].o); });
    }
    add(around);
    network.selectNodes(hits);
    var scale = Math.max(1.0, 14 / fontSize);
    if (hits.length === 1) {
      network.focus(hits[0], {scale: Math.max(network.getScale(), scale, 13 / fontSize), animation: false});
    } else {
      network.fit({nodes: hits, animation: false});
    }
    showNode(hits[0]);
    say(hits.length + " 个匹配 match(es)");
    mark("found", hits.length);
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { go(); } });
  document.getElementById("kg-go").addEventListener("click", go);
  document.getElementById("kg-reset").addEventListener("click", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-kg-core]"), function (cb) { cb.checked = true; });
    applyFilter();
    network.unselectAll();
    network.fit({animation: {duration: 300}});
    say();
  });
  function fromHash() {
    var q = kgPage.hashQuery();
    if (q === null) { return; }
    search.value = q;
    go();
  }
  window.addEventListener("hashchange", fromHash);
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); } else if (p.edges.length) { showEdge(p.edges[0]); }
  });
  network.on("doubleClick", function (p) {
    if (!p.nodes.length) { return; }
    var around = [];
    adj[p.nodes[0]].forEach(function (k) { around.push(E[k].s, E[k].o); });
    var added = add(around);
    say("+" + added);
  });

  var layout = kgPage.layout(network, container, function () {
    network.setOptions({physics: {enabled: false}});
    network.fit({animation: false});
    readable();
    say();
    mark("stable", "1");
    mark("stable-ms", Math.round(performance.now()));
    network.redraw();
    fromHash();
  });
  network.on("stabilizationProgress", function (p) {
    if (layout.done()) { return; }
    status.textContent = "布局中 laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
}());
