/* kg article page: the article text, every mention highlighted by class, the relations
   of each sentence beside it, and the article's subgraph. Click a mention to select its
   node; click a node to light up its mentions. Entities: #kg-data's own "nodes", or the
   build's shared table (window.KG_DATA, assets/graph-data.js). */
(function () {
  "use strict";
  var mark = kgPage.mark, el = kgPage.el, clear = kgPage.clear;
  var A = JSON.parse(document.getElementById("kg-data").textContent);
  var G = window.KG_DATA || {};
  var N = A.nodes || G.nodes, CL = A.classes || G.classes, ST = A.styles || G.styles;
  var status = document.getElementById("kg-status");
  var details = document.getElementById("kg-details");
  var text = A.text;
  function core(i) { return CL[N[i].c][1]; }
  function style(i) { return ST[core(i)] || ST[""]; }
  function markClass(i) { return "k-" + (ST[core(i)] ? core(i) : "Other"); }
  function pred(p) { return A.preds[p] || p; }

  // ---- the text: one row per sentence (text | its relations), paragraphs apart
  var box = document.getElementById("kg-text");
  var byNode = {};  // node index -> [mark elements]
  var relsOf = {};  // sentence index -> [relation rows]
  A.rels.forEach(function (r) { (relsOf[r[0]] = relsOf[r[0]] || []).push(r); });
  var m = 0, para = null, lastPara = null, nMarks = 0;
  A.sents.forEach(function (s, si) {
    if (para === null || s[2] !== lastPara) {
      para = el("div", "kg-para");
      box.appendChild(para);
      lastPara = s[2];
    }
    var row = el("div", "kg-sent");
    row.id = "s" + si;
    var st = el("div", "kg-stext");
    // mentions of this sentence (by start, the longer of two that start together first),
    // nested when one holds another; a crossing one is skipped
    while (m < A.ments.length && A.ments[m][0] < s[0]) { m += 1; }
    var stack = [{end: s[1], node: st}], pos = s[0];
    function closeTo(limit) {
      while (stack.length > 1 && stack[stack.length - 1].end <= limit) {
        var top = stack.pop();
        if (pos < top.end) { top.node.appendChild(document.createTextNode(text.slice(pos, top.end))); pos = top.end; }
      }
    }
    for (; m < A.ments.length && A.ments[m][0] < s[1]; m += 1) {
      var ment = A.ments[m], start = ment[0], end = Math.min(ment[1], s[1]);
      closeTo(start);
      var parent = stack[stack.length - 1];
      if (end > parent.end || start < pos) { continue; }  // crosses an open mention
      if (start > pos) { parent.node.appendChild(document.createTextNode(text.slice(pos, start))); pos = start; }
      var mk = el("mark", markClass(ment[2]));
      mk.setAttribute("data-e", String(ment[2]));
      mk.title = N[ment[2]].l + " · " + CL[N[ment[2]].c][2] + " " + CL[N[ment[2]].c][0];
      parent.node.appendChild(mk);
      stack.push({end: end, node: mk});
      (byNode[ment[2]] = byNode[ment[2]] || []).push(mk);
      nMarks += 1;
    }
    closeTo(s[1]);
    if (pos < s[1]) { st.appendChild(document.createTextNode(text.slice(pos, s[1]))); }
    row.appendChild(st);
    var ul = el("ul", "kg-srels");
    (relsOf[si] || []).forEach(function (r) {
      var li = el("li");
      li.appendChild(entityLink(r[1]));
      li.appendChild(document.createTextNode(" —" + pred(r[2]) + "→ "));
      li.appendChild(entityLink(r[3]));
      li.title = "规则 rule: " + A.rules[r[4]];
      ul.appendChild(li);
    });
    row.appendChild(ul);
    para.appendChild(row);
  });
  mark("mentions", nMarks);
  mark("sentence-relations", A.rels.length);
  function entityLink(i) {
    var a = el("a", markClass(i), N[i].l);
    a.setAttribute("data-e", String(i));
    return a;
  }

  // ---- the subgraph: the entities mentioned and the relations of this article
  var ids = {};
  A.ments.forEach(function (x) { ids[x[2]] = true; });
  A.rels.forEach(function (r) { ids[r[1]] = true; ids[r[3]] = true; });
  var nodeIds = Object.keys(ids).map(Number).sort(function (a, b) { return a - b; });
  var edgeRows = {}, edgeList = [];
  A.rels.forEach(function (r) {
    var key = r[1] + " " + r[2] + " " + r[3];
    if (!edgeRows[key]) { edgeRows[key] = {id: "e" + edgeList.length, from: r[1], to: r[3], label: pred(r[2]), rows: []}; edgeList.push(edgeRows[key]); }
    edgeRows[key].rows.push(r);
  });
  var degree = {};
  edgeList.forEach(function (e) { degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1; });
  var legend = {};
  var nodes = new vis.DataSet(nodeIds.map(function (i) {
    var s = style(i), d = degree[i] || 0;
    legend[core(i)] = (legend[core(i)] || 0) + 1;
    return {id: i, label: N[i].l.length <= 14 ? N[i].l : N[i].l.slice(0, 13) + "…", shape: s[1],
            size: Math.round(Math.min(40, 9 + 5 * Math.sqrt(d)) * 100) / 100,
            color: {background: s[0], border: s[0], highlight: {background: s[0], border: "#1f2d3d"}},
            title: N[i].l + " · " + CL[N[i].c][2]};
  }));
  var ul = document.querySelector("#kg-legend ul");
  Object.keys(legend).sort().forEach(function (c) {
    var s = ST[c] || ST[""], li = el("li");
    li.appendChild(el("mark", "k-" + (ST[c] ? c : "Other"), ""));
    li.appendChild(document.createTextNode(" " + s[2] + " " + c + " "));
    li.appendChild(el("span", "kg-count", legend[c]));
    ul.appendChild(li);
  });
  var edges = new vis.DataSet(edgeList.map(function (e) { return {id: e.id, from: e.from, to: e.to, label: e.label}; }));
  mark("nodes", nodes.length);
  mark("edges", edges.length);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, {
    autoResize: true,
    layout: {improvedLayout: false, randomSeed: 7},
    physics: {enabled: true, solver: "forceAtlas2Based",
              forceAtlas2Based: {gravitationalConstant: -60, centralGravity: 0.015, springLength: 100,
                                 springConstant: 0.08, avoidOverlap: 0.2},
              stabilization: {enabled: true, iterations: 150, updateInterval: 10, fit: false},
              minVelocity: 1, timestep: 0.5},
    nodes: {font: {size: 14, strokeWidth: 3, strokeColor: "#ffffff"}, borderWidth: 1},
    edges: {smooth: false, arrows: {to: {enabled: true, scaleFactor: 0.5}},
            color: {color: "#9aa5b1", highlight: "#33475b"},
            font: {size: 11, align: "middle", color: "#33475b", strokeWidth: 3, strokeColor: "#ffffff"}},
    interaction: {hover: true, tooltipDelay: 120, multiselect: true}
  });
  window.kgNetwork = network;

  // ---- click from text to node and back
  var lit = [];
  function light(i) {
    lit.forEach(function (x) { x.classList.remove("kg-on"); });
    lit = (byNode[i] || []).slice();
    lit.forEach(function (x) { x.classList.add("kg-on"); });
    mark("lit", lit.length);
  }
  function select(i, from) {
    var n = N[i];
    if (!n) { return; }
    light(i);
    clear(details);
    details.appendChild(el("div", "kg-d-title", n.l));
    details.appendChild(el("div", "kg-d-row", "类别 class: " + CL[n.c][2] + " (" + CL[n.c][0] + ")"));
    if (n.a) { details.appendChild(el("div", "kg-d-row", "别名 aliases: " + n.a.join("、"))); }
    details.appendChild(el("div", "kg-d-row", "文中提及 mentions here: " + (byNode[i] || []).length));
    var whole = el("a", null, "在全图中查看 see in the whole graph");
    whole.href = "../graph.html#find=" + encodeURIComponent(n.l);
    details.appendChild(el("div", "kg-d-row")).appendChild(whole);
    A.rels.forEach(function (r) {
      if (r[1] !== i && r[3] !== i) { return; }
      var b = el("div", "kg-d-rel");
      var go = el("a", null, N[r[1]].l + " —" + pred(r[2]) + "→ " + N[r[3]].l);
      go.href = "#s" + r[0];
      b.appendChild(go);
      b.appendChild(el("div", "kg-rule", "规则 rule: " + A.rules[r[4]]));
      details.appendChild(b);
    });
    if (from !== "graph" && nodes.get(i)) {
      network.selectNodes([i]);
      network.focus(i, {scale: Math.max(network.getScale(), 1.0), animation: false});
    }
    if (from !== "text" && lit.length) { lit[0].scrollIntoView({block: "center"}); }
    mark("selected", i);
  }
  box.addEventListener("click", function (ev) {
    var t = ev.target;
    while (t && t !== box && !(t.getAttribute && t.getAttribute("data-e") !== null)) { t = t.parentNode; }
    if (t && t !== box) { select(Number(t.getAttribute("data-e")), "text"); }
  });
  network.on("click", function (p) { if (p.nodes.length) { select(p.nodes[0], "graph"); } });
  function fromHash() {
    var q = kgPage.hashQuery();
    if (q === null) { return; }
    var hit = nodeIds.filter(function (i) { return N[i].l === q || (N[i].a && N[i].a.indexOf(q) >= 0); });
    if (hit.length) { select(hit[0], "link"); status.textContent = ""; }
    else { status.textContent = "未找到 not found: " + q; }
  }
  window.addEventListener("hashchange", fromHash);

  var layout = kgPage.layout(network, container, function () {
    network.setOptions({physics: {enabled: false}});
    network.fit({animation: false});
    mark("stable", "1");
    fromHash();
    network.redraw();
  });
  if (!nodes.length) { layout.now(); mark("ink", 0); mark("drawn", "empty"); }
}());
