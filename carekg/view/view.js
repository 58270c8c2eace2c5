/* carekg's HTML view: draws the network at the positions carekg computed, and lets a reader
   open the statements behind any node or link, search, filter, move through time and export.
   Every text from the data is set with textContent: quotes that contain markup show as text. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("carekg-data").textContent);
  var KIND = D.kind, AFFILIATION = KIND === "affiliation";
  var N = D.nodes.length;
  var app = byId("ckg-app"), container = byId("ckg-network");

  // --- small helpers ---------------------------------------------------------------------
  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function num(w) { return Math.abs(w - Math.round(w)) < 1e-9 ? String(Math.round(w)) : Number(w).toFixed(3); }
  function plural(n, one, many) { return n.toLocaleString("en") + " " + (n === 1 ? one : (many || one + "s")); }
  function verb(stance) { return stance === "oppose" ? "opposes" : "supports"; }
  function slug(text) { return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "carekg"; }
  function button(text, cls, onClick) {
    var b = el("button", cls, text); b.type = "button"; b.addEventListener("click", onClick); return b;
  }
  function nodeName(i) { return D.nodes[i].label; }
  function proposalName(p) { return D.proposals[p].label; }

  D.brief.forEach(function (b) {  // statements beyond the page's text limit: they count, without their text
    D.statements.push({actor: b[0], proposal: b[1], stance: b[2] ? "oppose" : "support", doc: b[3]});
  });
  var indexOf = {};
  D.nodes.forEach(function (n, i) { indexOf[n.id] = i; });
  var proposalNode = {};
  D.nodes.forEach(function (n, i) { if (n.proposal >= 0) proposalNode[n.proposal] = i; });
  var byActor = D.nodes.map(function () { return []; });
  D.statements.forEach(function (s, k) { byActor[s.actor].push(k); });
  var contra = {};
  D.contradictions.forEach(function (pq) {
    (contra[pq[0]] = contra[pq[0]] || []).push(pq[1]);
    (contra[pq[1]] = contra[pq[1]] || []).push(pq[0]);
  });

  // --- time: which documents are inside the window --------------------------------------
  var dates = [], seenDates = {};
  D.documents.forEach(function (d) {
    if (d.date && !seenDates[d.date]) { seenDates[d.date] = true; dates.push({date: d.date, first: d.first, last: d.last}); }
  });
  dates.sort(function (a, b) { return a.first < b.first ? -1 : a.first > b.first ? 1 : (a.last < b.last ? -1 : a.last > b.last ? 1 : 0); });
  var undatedDocs = D.documents.filter(function (d) { return !d.date; }).length;
  var time = {from: 0, until: Math.max(0, dates.length - 1), undated: true};
  function narrowed() { return dates.length > 0 && (time.from > 0 || time.until < dates.length - 1); }
  function documentActive(d) {
    var doc = D.documents[d];
    if (!doc.date) return time.undated;
    if (!dates.length) return true;
    return doc.last >= dates[time.from].first && doc.first <= dates[time.until].last;
  }

  // --- weights, as carekg (and DNA) compute them, for the statements in the window ------------
  var active = [], cells = [], totals = [], columns = {}, current = [];
  function count() {
    var docActive = D.documents.map(function (d, k) { return documentActive(k); });
    active = D.statements.map(function (s) { return docActive[s.doc]; });
    cells = D.nodes.map(function () { return {}; });
    totals = D.nodes.map(function () { return 0; });
    columns = {};
    D.statements.forEach(function (s, k) {
      if (!active[k]) return;
      var cell = cells[s.actor][s.proposal] || (cells[s.actor][s.proposal] = [0, 0]);
      cell[s.stance === "support" ? 0 : 1] += 1;
      totals[s.actor] += 1;
      columns[s.proposal] = (columns[s.proposal] || 0) + 1;
    });
    D.hidden.forEach(function (h) { if (docActive[h[1]]) columns[h[0]] = (columns[h[0]] || 0) + 1; });
    current = D.links.map(linkValue);
  }
  function normalised(value, denominator) {
    if (D.normalization === "none") return value;
    return denominator > 0 ? value / denominator : 0;
  }
  function linkValue(link) {
    var a = link[0], b = link[1];
    if (AFFILIATION) {
      var actor = D.nodes[a].proposal >= 0 ? b : a, p = D.nodes[actor === a ? b : a].proposal;
      var x = cells[actor][p] || [0, 0], n = x[0] + x[1];
      var denominator = D.normalization === "activity" ? totals[actor] : D.normalization === "prominence" ? (columns[p] || 0) : 1;
      return {weight: normalised(n, denominator), relation: x[0] && x[1] ? "mixed" : (x[0] ? "support" : "oppose"),
              parts: {support: x[0], oppose: x[1]}};
    }
    var A = cells[a], B = cells[b], support = 0, oppose = 0, conflict = 0, contradiction = 0, shared = 0;
    Object.keys(A).forEach(function (p) {
      var x = A[p], y = B[p];
      if (y) {
        support += x[0] * y[0]; oppose += x[1] * y[1]; conflict += x[0] * y[1] + x[1] * y[0];
        shared += (x[0] && y[0] ? x[0] * y[0] : 0) + (x[1] && y[1] ? x[1] * y[1] : 0);
      }
      if (x[0] && contra[p]) contra[p].forEach(function (q) { if (B[q]) contradiction += x[0] * B[q][0]; });
    });
    var denominator = 1, na = totals[a], nb = totals[b];
    if (D.normalization === "average") denominator = (na + nb) / 2;
    else if (D.normalization === "cosine") denominator = na * nb;
    else if (D.normalization === "jaccard") denominator = jaccard(A, B, na, nb, shared);
    var agree = normalised(support + oppose, denominator), conflictW = normalised(conflict, denominator);
    var contradictionW = normalised(contradiction, denominator), weight, relation;
    if (KIND === "agreement") {
      weight = agree; relation = support && oppose ? "both-mixed" : (support ? "both-support" : "both-oppose");
    } else if (KIND === "divergence") {
      weight = conflictW + contradictionW; relation = conflict && contradiction ? "both" : (conflict ? "conflict" : "contradiction");
    } else {
      weight = agree - conflictW - contradictionW; relation = weight > 0 ? "positive" : "negative";
    }
    return {weight: weight, relation: relation,
            parts: {support: support, oppose: oppose, conflict: conflict, contradiction: contradiction}};
  }
  function jaccard(A, B, na, nb, shared) {
    // DNA's m10 + m01 + m11 over (proposal, stance) cells
    var inA = 0, inB = 0;
    Object.keys(A).forEach(function (p) {
      var y = B[p]; if (!y) return;
      inA += (y[0] ? A[p][0] : 0) + (y[1] ? A[p][1] : 0);
      inB += (A[p][0] ? y[0] : 0) + (A[p][1] ? y[1] : 0);
    });
    return (na - inA) + (nb - inB) + shared;
  }

  // --- the network -------------------------------------------------------------------------
  var RELATIONS = {}, RELATION_ORDER = D.relations.map(function (r) { RELATIONS[r[0]] = r.slice(1); return r[0]; });
  var visNodes = new vis.DataSet(D.nodes.map(function (n) {
    var node = {id: n.id, x: n.x, y: n.y, label: n.short, shape: n.shape,
                font: {size: n.font, face: D.fontFace, color: "#222222"}};
    if (n.shape === "box") {
      node.color = {background: n.colour, border: "#555555", highlight: {background: "#fff3b0", border: "#222222"},
                    hover: {background: "#ffffff", border: "#222222"}};
      node.margin = 5;
    } else {
      node.size = n.size; node.color = n.colour;
    }
    if (n.dashed) node.shapeProperties = {borderDashes: [4, 3]};
    return node;
  }));
  count();  // the weights first, so that links are created as they will be drawn (10,000 updates later cost seconds)
  var edgeState = D.links.map(function (l, k) {
    var v = current[k], size = Math.abs(v.weight);
    return {hidden: !(v.weight !== 0 && size >= D.minWeight - 1e-12), value: size, relation: v.relation};
  });
  // The most common kind of link is the default colour; a link carries only what differs from it
  // (option merging per link is what makes creating 10,000 links slow).
  var tally = {}, usual = "";
  edgeState.forEach(function (state) { tally[state.relation] = (tally[state.relation] || 0) + 1; });
  Object.keys(tally).forEach(function (r) { if (!usual || tally[r] > tally[usual]) usual = r; });
  function edgeLook(relation) {
    var r = RELATIONS[relation] || ["", "#888888", false];
    return {color: {color: r[1], highlight: r[1], hover: r[1]}, dashes: !!r[2]};
  }
  var visEdges = new vis.DataSet(D.links.map(function (l, k) {
    var state = edgeState[k], edge = {id: "e" + k, from: D.nodes[l[0]].id, to: D.nodes[l[1]].id, value: state.value};
    if (state.hidden) edge.hidden = true;
    if (state.relation !== usual) { var look = edgeLook(state.relation); edge.color = look.color; edge.dashes = look.dashes; }
    return edge;
  }));
  var large = N > 500;
  var network = new vis.Network(container, {nodes: visNodes, edges: visEdges}, {
    autoResize: true, physics: false, layout: {improvedLayout: false},
    nodes: {borderWidth: 1, scaling: {label: {drawThreshold: 6, maxVisible: 28}}},
    edges: {smooth: false, scaling: {min: 1, max: 8}, selectionWidth: 2,
            color: {color: edgeLook(usual).color.color, highlight: edgeLook(usual).color.color, hover: edgeLook(usual).color.color,
                    opacity: 0.7}, dashes: edgeLook(usual).dashes},
    interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large, multiselect: false,
                  keyboard: {enabled: true, bindToWindow: false, speed: {x: 12, y: 12, zoom: 0.04}}}
  });
  window.network = network;
  var frame = container.querySelector(".vis-network") || container;
  frame.tabIndex = 0;
  frame.setAttribute("role", "application");
  frame.setAttribute("aria-roledescription", "network view");
  frame.setAttribute("aria-label", D.title + ": " + plural(N, AFFILIATION ? "node" : "organisation"));
  frame.setAttribute("aria-describedby", "ckg-keys");
  container.removeAttribute("role");
  container.removeAttribute("aria-label");
  container.removeAttribute("aria-describedby");
  container.removeAttribute("aria-roledescription");

  // --- filters and redrawing -----------------------------------------------------------------
  var hiddenTypes = {}, hiddenCoalitions = {}, minWeight = 0, hideUnconnected = KIND === "divergence";
  var nodeState = D.nodes.map(function () { return {hidden: false, dim: false}; });
  var shownLinks = 0, shownNodes = 0, presentRelations = {};
  function filteredOut(i) {
    var n = D.nodes[i];
    return !!hiddenTypes[n.type] || (n.kind !== "proposal" && !!hiddenCoalitions[String(n.coalition)]);
  }
  function apply() {
    var off = D.nodes.map(function (n, i) { return filteredOut(i); });
    var degree = D.nodes.map(function () { return 0; });
    var edgeUpdates = [], nodeUpdates = [];
    presentRelations = {}; shownLinks = 0;
    D.links.forEach(function (l, k) {
      var v = current[k], size = Math.abs(v.weight);
      var show = v.weight !== 0 && size >= D.minWeight - 1e-12 && size >= minWeight - 1e-12 && !off[l[0]] && !off[l[1]];
      if (show) { degree[l[0]] += 1; degree[l[1]] += 1; shownLinks += 1; presentRelations[v.relation] = true; }
      // Each link updated costs vis-network about 0.1 ms: a hidden link keeps its old width and colour until shown.
      var state = edgeState[k], update = {id: "e" + k}, changed = false;
      if (state.hidden !== !show) { state.hidden = !show; update.hidden = !show; changed = true; }
      if (!show) { if (changed) edgeUpdates.push(update); return; }
      if (state.value !== size) { state.value = size; update.value = size; changed = true; }
      if (state.relation !== v.relation) {
        var look = edgeLook(v.relation);
        state.relation = v.relation; update.color = look.color; update.dashes = look.dashes; changed = true;
      }
      if (changed) edgeUpdates.push(update);
    });
    shownNodes = 0;
    D.nodes.forEach(function (n, i) {
      var hide = off[i] || (hideUnconnected && degree[i] === 0);
      var dim = (n.proposal >= 0 ? !columns[n.proposal] : !totals[i]);
      var state = nodeState[i], update = {id: n.id}, changed = false;
      if (!hide) shownNodes += 1;
      if (state.hidden !== hide) { state.hidden = hide; update.hidden = hide; changed = true; }
      if (state.dim !== dim) { state.dim = dim; update.opacity = dim ? 0.25 : 1; changed = true; }
      if (changed) nodeUpdates.push(update);
    });
    if (edgeUpdates.length) visEdges.update(edgeUpdates);
    if (nodeUpdates.length) visNodes.update(nodeUpdates);
    summarise();
    legendLinks();
    refreshDetails();
  }
  function redraw() { count(); apply(); }

  // --- tooltips: short; the details panel has the rest ---------------------------------------
  var tip = byId("ckg-tip");
  function showTip(lines, pointer) {
    tip.replaceChildren();
    lines.forEach(function (line, k) { tip.appendChild(el(k === 0 ? "b" : "div", null, line)); });
    tip.hidden = false;
    var x = pointer.x + 14, y = pointer.y + 14;
    if (x + tip.offsetWidth > container.clientWidth) x = Math.max(0, pointer.x - tip.offsetWidth - 14);
    if (y + tip.offsetHeight > container.clientHeight) y = Math.max(0, container.clientHeight - tip.offsetHeight - 4);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  function nodeFacts(i) {
    var n = D.nodes[i];
    if (n.proposal >= 0) {
      return "proposal" + (D.proposals[n.proposal].theme ? " \u00b7 theme " + D.proposals[n.proposal].theme : "") +
             " \u00b7 " + plural(columns[n.proposal] || 0, "statement");
    }
    var facts = n.type + " \u00b7 " + plural(totals[i], "statement");
    if (n.coalition >= 0) facts += " \u00b7 coalition " + (n.coalition + 1);
    if (n.camp >= 0) facts += " \u00b7 camp " + (n.camp === 0 ? "A" : "B");
    return facts;
  }
  function relationWords(k) {
    var v = current[k];
    return (RELATIONS[v.relation] || [v.relation])[0];
  }
  network.on("hoverNode", function (p) { var i = indexOf[p.node]; showTip([nodeName(i), nodeFacts(i), "Click for the statements"], p.pointer.DOM); });
  network.on("hoverEdge", function (p) {
    var k = Number(String(p.edge).slice(1)), l = D.links[k];
    showTip([nodeName(l[0]) + " \u2014 " + nodeName(l[1]), "weight " + num(current[k].weight) + " \u00b7 " + relationWords(k),
             "Click for the statements"], p.pointer.DOM);
  });
  network.on("blurNode", hideTip); network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip); network.on("zoom", hideTip);

  // --- the details panel ---------------------------------------------------------------------
  var details = byId("ckg-details"), detailsTitle = byId("ckg-details-title"), detailsBody = byId("ckg-details-body");
  var shown = null, listed = [];
  function statementItem(k) {  // the panel groups statements by proposal and organisation: each says its stance
    var s = D.statements[k], doc = D.documents[s.doc], li = el("li", "ckg-statement ckg-" + s.stance);
    li.setAttribute("data-statement", String(k));
    if (s.id) li.setAttribute("data-id", s.id);
    var head = el("div", "ckg-meta");
    head.appendChild(el("span", "ckg-stance-" + s.stance, verb(s.stance)));
    // the statement_id of statements.csv, which corrections.csv names
    if (s.id) head.appendChild(el("span", "ckg-id", " \u00b7 id " + s.id.replace(/^.*\/statement\//, "")));
    li.appendChild(head);
    var quote = el("blockquote");
    if (s.quote === undefined) {
      quote.appendChild(el("span", "ckg-context", "(quote not in this page, which holds the text of " +
        D.texts.kept.toLocaleString("en") + " of " + D.texts.total.toLocaleString("en") + " statements)"));
      li.appendChild(quote);
      li.appendChild(el("div", "ckg-meta ckg-source", sourceLine(doc)));
      return li;
    }
    // the quote may start or end mid-sentence: no space where the text had none
    if (s.before) quote.appendChild(el("span", "ckg-context", s.before + (/[(\[\u201c\u2018"']$/.test(s.before) ? "" : " ")));
    quote.appendChild(el("mark", "ckg-quote", s.quote));
    if (s.after) quote.appendChild(el("span", "ckg-context", (/^[,.;:!?)\]\u201d\u2019"']/.test(s.after) ? "" : " ") + s.after));
    li.appendChild(quote);
    li.appendChild(el("div", "ckg-meta ckg-source", sourceLine(doc)));
    return li;
  }
  function sourceLine(doc) {
    var source = [doc.title ? "\u201c" + doc.title + "\u201d" : "", doc.publisher, doc.date || "undated", doc.file];
    return source.filter(function (x) { return x; }).join(" \u00b7 ");
  }
  var PANEL_ITEMS = 300, rendered = 0;  // a panel draws this many statements at first, the rest on request
  function statementList(ks) {
    var ul = el("ul"), room = Math.max(PANEL_ITEMS - rendered, Math.min(ks.length, 3));  // every group shows a few
    var rest = ks.slice(room);
    ks.forEach(function (k) { listed.push(k); });
    ks.slice(0, room).forEach(function (k) { ul.appendChild(statementItem(k)); });
    rendered += Math.min(room, ks.length);
    if (rest.length) {
      var more = el("li");
      more.appendChild(button("Show " + plural(rest.length, "more statement"), "ckg-link ckg-more", function () {
        more.remove();
        rest.forEach(function (k) { ul.appendChild(statementItem(k)); });
      }));
      ul.appendChild(more);
    }
    return ul;
  }
  function activeOf(i, test) { return byActor[i].filter(function (k) { return active[k] && (!test || test(D.statements[k])); }); }
  function windowNote() {
    if (!narrowed() && time.undated) return "";
    return "Only statements in the time window: " + windowText() + ".";
  }
  function open(what, render) {
    var fresh = details.hidden || JSON.stringify(what) !== JSON.stringify(shown);
    shown = what; listed = []; rendered = 0;
    detailsBody.replaceChildren();
    var note = windowNote();
    if (note) detailsBody.appendChild(el("p", "ckg-small", note));
    render();
    details.hidden = false;
    hideTip();
    if (fresh) reveal(what);
  }
  function reveal(what) {
    // The panel covers part of the network: bring what it describes into the part left free.
    var ids = what.node !== undefined ? [what.node] : what.link !== undefined ? D.links[what.link].slice(0, 2) : [];
    if (!ids.length) return;
    var points = ids.map(function (i) { return network.getPositions([D.nodes[i].id])[D.nodes[i].id]; });
    var point = {x: (points[0].x + points[points.length - 1].x) / 2, y: (points[0].y + points[points.length - 1].y) / 2};
    var panel = details.getBoundingClientRect(), area = container.getBoundingClientRect(), at = network.canvasToDOM(point);
    var below = panel.top - area.top > area.height / 3;  // the narrow layout: a sheet over the lower part
    var free = below ? {x: area.width / 2, y: (panel.top - area.top) / 2} : {x: (panel.left - area.left) / 2, y: area.height / 2};
    if (below ? at.y < panel.top - area.top - 12 : at.x < panel.left - area.left - 12) return;
    var scale = network.getScale(), centre = network.getViewPosition();
    network.moveTo({position: {x: centre.x + (at.x - free.x) / scale, y: centre.y + (at.y - free.y) / scale}, animation: false});
  }
  function openNode(i) {
    var n = D.nodes[i];
    if (n.proposal >= 0) { openProposal(n.proposal); return; }
    open({node: i}, function () {
      detailsTitle.textContent = n.label;
      var ks = activeOf(i), support = 0, groups = {}, order = [];
      ks.forEach(function (k) {
        var s = D.statements[k];
        if (s.stance === "support") support += 1;
        if (!groups[s.proposal]) { groups[s.proposal] = []; order.push(s.proposal); }
        groups[s.proposal].push(k);
      });
      var docs = {};
      ks.forEach(function (k) { docs[D.statements[k].doc] = true; });
      var facts = n.type + " \u00b7 " + plural(ks.length, "statement") + " (" + support + " support, " + (ks.length - support) +
                  " oppose) on " + plural(order.length, "proposal") + " in " + plural(Object.keys(docs).length, "document");
      if (n.coalition >= 0) facts += " \u00b7 coalition " + (n.coalition + 1);
      if (n.camp >= 0) facts += " \u00b7 camp " + (n.camp === 0 ? "A" : "B");
      detailsBody.appendChild(el("p", "ckg-small", facts));
      if (n.merged.length) detailsBody.appendChild(el("p", "ckg-small", "Includes the statements of: " + n.merged.join(", ")));
      order.sort(function (p, q) { return groups[q].length - groups[p].length || (proposalName(p) < proposalName(q) ? -1 : 1); });
      order.forEach(function (p) {
        var sup = groups[p].filter(function (k) { return D.statements[k].stance === "support"; }).length, opp = groups[p].length - sup;
        var h = el("h3");
        h.appendChild(button(proposalName(p), "ckg-link", function () { openProposal(p); }));
        h.appendChild(el("span", "ckg-small", " \u2014 " + [sup ? "supports " + sup : "", opp ? "opposes " + opp : ""].filter(Boolean).join(", ")));
        detailsBody.appendChild(h);
        detailsBody.appendChild(statementList(groups[p]));
      });
      if (!ks.length) detailsBody.appendChild(el("p", null, "No statements in this time window."));
    });
  }
  function sideStatements(i, p, stance) {
    return activeOf(i, function (s) { return s.proposal === p && (!stance || s.stance === stance); });
  }
  function section(title, sides) {
    detailsBody.appendChild(el("h3", null, title));
    sides.forEach(function (side) {
      if (!side[1].length) return;
      detailsBody.appendChild(el("h4", null, nodeName(side[0]) + " (" + side[1].length + ")"));
      detailsBody.appendChild(statementList(side[1]));
    });
  }
  function openLink(k) {
    var l = D.links[k], a = l[0], b = l[1];
    open({link: k}, function () {
      detailsTitle.textContent = nodeName(a) + " \u2014 " + nodeName(b);
      var v = current[k];
      detailsBody.appendChild(el("p", "ckg-small", "weight " + num(v.weight) + " \u00b7 " + relationWords(k)));
      if (AFFILIATION) {
        var actor = D.nodes[a].proposal >= 0 ? b : a, p = D.nodes[actor === a ? b : a].proposal;
        section(nodeName(actor) + " on " + proposalName(p), [[actor, sideStatements(actor, p)]]);
        return;
      }
      var A = cells[a], B = cells[b], found = 0;
      var proposals = Object.keys(A).filter(function (p) { return B[p]; }).map(Number);
      proposals.sort(function (p, q) { return proposalName(p) < proposalName(q) ? -1 : 1; });
      proposals.forEach(function (p) {
        if (KIND !== "divergence") {
          ["support", "oppose"].forEach(function (stance, s) {
            if (A[p][s] && B[p][s]) {
              found += 1;
              section("Both " + (stance === "support" ? "support " : "oppose ") + proposalName(p),
                      [[a, sideStatements(a, p, stance)], [b, sideStatements(b, p, stance)]]);
            }
          });
        }
        if (KIND !== "agreement" && ((A[p][0] && B[p][1]) || (A[p][1] && B[p][0]))) {
          found += 1;
          section("Opposite stances on " + proposalName(p), [[a, sideStatements(a, p)], [b, sideStatements(b, p)]]);
        }
      });
      if (KIND !== "agreement") {
        Object.keys(A).map(Number).forEach(function (p) {
          if (!A[p][0] || !contra[p]) return;
          contra[p].forEach(function (q) {
            if (!B[q] || !B[q][0]) return;
            found += 1;
            section(nodeName(a) + " supports " + proposalName(p) + "; " + nodeName(b) + " supports " + proposalName(q) +
                    " (the codebook marks them as contradicting)",
                    [[a, sideStatements(a, p, "support")], [b, sideStatements(b, q, "support")]]);
          });
        });
      }
      if (!found) detailsBody.appendChild(el("p", null, "No statements behind this link in this time window."));
    });
  }
  function openProposal(p) {
    open({proposal: p}, function () {
      detailsTitle.textContent = proposalName(p);
      var holders = {support: {}, oppose: {}};
      D.statements.forEach(function (s, k) {
        if (active[k] && s.proposal === p) (holders[s.stance][s.actor] = holders[s.stance][s.actor] || []).push(k);
      });
      var theme = D.proposals[p].theme;
      var total = Object.keys(holders.support).length + Object.keys(holders.oppose).length;
      detailsBody.appendChild(el("p", "ckg-small", "proposal" + (theme ? " \u00b7 theme " + theme : "") + " \u00b7 " +
        plural(Object.keys(holders.support).length, "supporter") + ", " + plural(Object.keys(holders.oppose).length, "opponent")));
      var selected = [];
      [["support", "Supporters"], ["oppose", "Opponents"]].forEach(function (side) {
        var actors = Object.keys(holders[side[0]]).map(Number);
        actors.sort(function (x, y) { return holders[side[0]][y].length - holders[side[0]][x].length || (nodeName(x) < nodeName(y) ? -1 : 1); });
        detailsBody.appendChild(el("h3", null, side[1] + " (" + actors.length + ")"));
        if (!actors.length) detailsBody.appendChild(el("p", "ckg-small", "none in this view"));
        actors.forEach(function (i) {
          var h = el("h4");
          h.appendChild(button(nodeName(i), "ckg-link", function () { focusNode(i); openNode(i); }));
          h.appendChild(el("span", "ckg-small", " (" + holders[side[0]][i].length + ")"));
          detailsBody.appendChild(h);
          detailsBody.appendChild(statementList(holders[side[0]][i]));
          if (!nodeState[i].hidden) selected.push(D.nodes[i].id);
        });
      });
      if (proposalNode[p] !== undefined && !nodeState[proposalNode[p]].hidden) selected.push(D.nodes[proposalNode[p]].id);
      network.selectNodes(selected);
      if (!total) detailsBody.appendChild(el("p", null, "No statements on this proposal in this view."));
    });
  }
  function refreshDetails() {
    if (!shown || details.hidden) return;
    var top = detailsBody.scrollTop;
    if (shown.node !== undefined) openNode(shown.node);
    else if (shown.link !== undefined) openLink(shown.link);
    else if (shown.proposal !== undefined) openProposal(shown.proposal);
    detailsBody.scrollTop = top;
  }
  function closeDetails() { details.hidden = true; shown = null; listed = []; }
  byId("ckg-details-close").addEventListener("click", closeDetails);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { closeDetails(); hideTip(); } });
  network.on("click", function (p) {
    if (p.nodes.length) openNode(indexOf[p.nodes[0]]);
    else if (p.edges.length) openLink(Number(String(p.edges[0]).slice(1)));
  });

  // --- export: the picture and the listed statements, made here, nothing sent -----------------
  function download(blob, name) {
    var a = el("a"), url = URL.createObjectURL(blob);
    a.href = url; a.download = name; a.hidden = true;
    document.body.appendChild(a); a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }
  function csvCell(value) {
    var text = value === undefined || value === null ? "" : String(value);
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }
  function statementsCsv(ks) {
    var rows = [["statement_id", "organisation", "organisation_id", "proposal", "proposal_id", "stance", "quote",
                 "sentence_before", "sentence_after", "document", "title", "publisher", "date"]];
    ks.forEach(function (k) {
      var s = D.statements[k], doc = D.documents[s.doc], actor = D.nodes[s.actor], p = D.proposals[s.proposal];
      rows.push([s.id, actor.label, actor.id, p.label, p.id, s.stance, s.quote, s.before, s.after, doc.file, doc.title,
                 doc.publisher, doc.date]);
    });
    return "\ufeff" + rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  byId("ckg-details-csv").addEventListener("click", function () {
    download(new Blob([statementsCsv(listed)], {type: "text/csv;charset=utf-8"}),
             slug(D.title) + "-" + slug(detailsTitle.textContent).slice(0, 60) + ".csv");
  });
  byId("ckg-png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas"), out = el("canvas");
    out.width = canvas.width; out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height); ctx.drawImage(canvas, 0, 0);
    out.toBlob(function (blob) { download(blob, slug(D.title) + ".png"); }, "image/png");
  });

  // --- view buttons and the keyboard -------------------------------------------------------------
  function visibleIds() { return D.nodes.filter(function (n, i) { return !nodeState[i].hidden; }).map(function (n) { return n.id; }); }
  function fit() { if (N) network.fit({nodes: visibleIds(), maxZoomLevel: 1, animation: false}); }
  function zoom(factor) { network.moveTo({scale: network.getScale() * factor, animation: false}); }
  byId("ckg-zoom-in").addEventListener("click", function () { zoom(1.25); });
  byId("ckg-zoom-out").addEventListener("click", function () { zoom(0.8); });
  byId("ckg-fit").addEventListener("click", fit);
  byId("ckg-reset").addEventListener("click", function () {
    visNodes.update(D.nodes.map(function (n) { return {id: n.id, x: n.x, y: n.y}; }));
    network.unselectAll(); fit();
  });
  var live = byId("ckg-live"), cursor = -1;
  function focusNode(i) {
    network.selectNodes([D.nodes[i].id]);
    network.focus(D.nodes[i].id, {scale: Math.max(network.getScale(), 0.8), animation: false});
  }
  frame.addEventListener("keydown", function (ev) {
    if (ev.key === "Tab") {
      var order = D.nodes.map(function (n, i) { return i; }).filter(function (i) { return !nodeState[i].hidden; });
      var at = order.indexOf(cursor), next = at + (ev.shiftKey ? -1 : 1);
      if (at < 0) next = ev.shiftKey ? order.length - 1 : 0;
      if (next < 0 || next >= order.length) { cursor = -1; network.unselectAll(); return; }  // let Tab leave the network
      ev.preventDefault();
      cursor = order[next];
      focusNode(cursor);
      live.textContent = nodeName(cursor) + ", " + nodeFacts(cursor) + ". " + (next + 1) + " of " + order.length +
                         ". Enter opens the statements.";
    } else if (ev.key === "Enter" && cursor >= 0) {
      ev.preventDefault();
      openNode(cursor);
    }
  });
  frame.addEventListener("blur", function () { live.textContent = ""; });

  // --- narrow screens: the controls fold away ------------------------------------------------------
  var toggle = byId("ckg-controls-toggle"), narrow = window.matchMedia("(max-width: 799px)");
  function collapse(on) {
    app.classList.toggle("ckg-collapsed", on);
    toggle.setAttribute("aria-expanded", on ? "false" : "true");
  }
  toggle.addEventListener("click", function () { collapse(!app.classList.contains("ckg-collapsed")); });
  collapse(narrow.matches);
  if (narrow.addEventListener) narrow.addEventListener("change", function (ev) { collapse(ev.matches); });

  // --- the side panel: title, search, time, filters, legend --------------------------------------
  byId("ckg-title").textContent = D.title; document.title = D.title;
  var notice = byId("ckg-notice");
  if (!N) { notice.textContent = "No statements match these options: the network is empty."; notice.hidden = false; }
  if (D.notice) { notice.textContent = D.notice; notice.hidden = false; }
  if (D.texts.kept < D.texts.total) {
    notice.textContent = (D.notice ? D.notice + " " : "") + "This page holds the quotes of " + D.texts.kept.toLocaleString("en") +
      " of its " + D.texts.total.toLocaleString("en") + " statements, some of every organisation's positions; the others " +
      "count in every weight and are listed without their text (carekg export statements has them all).";
    notice.hidden = false;
  }
  function summarise() {
    var what = AFFILIATION ? "node" : "organisation", inWindow = active.filter(Boolean).length;
    var text = plural(shownNodes, what) + " \u00b7 " + plural(shownLinks, "link") + " \u00b7 " +
               plural(inWindow, "statement") + (inWindow < D.statements.length ? " of " + D.statements.length.toLocaleString("en") : "");
    byId("ckg-summary").textContent = text;
    if (dates.length) {
      byId("ckg-window").textContent = "Showing statements from " + windowText() + ": " + plural(inWindow, "statement") +
                                       ", " + plural(shownLinks, "link") + ".";
      var flags = [];
      if (narrowed() && time.from > 0) flags.push("--since " + dates[time.from].date);
      if (narrowed() && time.until < dates.length - 1) flags.push("--until " + dates[time.until].date);
      var command = flags.length ? "The same window from the command line: carekg network \u2026 " + flags.join(" ") +
        (undatedDocs ? " (which leaves undated documents out)." : ".") : "";
      if (!time.undated && undatedDocs && !flags.length) command = "The command line leaves undated documents out whenever --since or --until is given.";
      byId("ckg-command").textContent = command;
    }
  }
  function windowText() {
    var text = dates.length ? (dates[time.from].date === dates[time.until].date ? dates[time.from].date :
                               dates[time.from].date + " to " + dates[time.until].date) : "no dated documents";
    if (undatedDocs) text += time.undated ? " and " + plural(undatedDocs, "undated document") : " (undated documents left out)";
    return text;
  }

  // search: organisations and proposals, including those the page does not draw
  var entries = D.nodes.map(function (n, i) { return {label: n.label, key: n.id, node: i}; });
  D.proposals.forEach(function (p, k) { if (proposalNode[k] === undefined) entries.push({label: p.label, key: p.id, proposal: k}); });
  D.cut.forEach(function (c) { entries.push({label: c[0], key: "", cut: c[1]}); });
  var search = byId("ckg-search"), results = byId("ckg-results");
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    return entries.filter(function (e) { return e.label.toLowerCase().indexOf(q) >= 0 || e.key.toLowerCase().indexOf(q) >= 0; });
  }
  function choose(entry) {
    if (entry.node !== undefined) { focusNode(entry.node); openNode(entry.node); }
    else if (entry.proposal !== undefined) openProposal(entry.proposal);
  }
  search.addEventListener("input", function () {
    var found = matches(search.value);
    results.replaceChildren();
    found.slice(0, 12).forEach(function (entry) {
      var text = entry.label;
      if (entry.proposal !== undefined || (entry.node !== undefined && D.nodes[entry.node].proposal >= 0)) text = "\u25ad " + text + " (proposal)";
      if (entry.cut !== undefined) text += " \u2014 not shown: cut to the " + N.toLocaleString("en") + " most active";
      var b = button(text, "ckg-result", function () { choose(entry); });
      if (entry.cut !== undefined) b.disabled = true;
      results.appendChild(b);
    });
    if (found.length > 12) results.appendChild(el("div", "ckg-small", "and " + (found.length - 12) + " more"));
    if (search.value.trim() && !found.length) results.appendChild(el("div", "ckg-small", "no match"));
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var found = matches(search.value).filter(function (e) { return e.cut === undefined; });
    if (found.length) choose(found[0]);
  });

  // time
  if (dates.length > 1 || (dates.length && undatedDocs)) {
    byId("ckg-time").hidden = false;
    var from = byId("ckg-from"), until = byId("ckg-until"), undated = byId("ckg-undated");
    from.max = until.max = String(Math.max(0, dates.length - 1));
    from.value = "0"; until.value = until.max;
    from.disabled = until.disabled = dates.length < 2;
    var timeLabels = function () {
      byId("ckg-from-value").textContent = dates.length ? dates[time.from].date : "\u2014";
      byId("ckg-until-value").textContent = dates.length ? dates[time.until].date : "\u2014";
      from.setAttribute("aria-valuetext", byId("ckg-from-value").textContent);
      until.setAttribute("aria-valuetext", byId("ckg-until-value").textContent);
    };
    var undatedStatements = D.statements.filter(function (s) { return !D.documents[s.doc].date; }).length;
    byId("ckg-undated-text").textContent = "Include " + plural(undatedDocs, "undated document") + " (" +
                                           plural(undatedStatements, "statement") + ")";
    undated.parentNode.hidden = !undatedDocs;
    from.addEventListener("input", function () {
      time.from = Number(from.value);
      if (time.from > time.until) { time.until = time.from; until.value = String(time.until); }
      timeLabels(); redraw();
    });
    until.addEventListener("input", function () {
      time.until = Number(until.value);
      if (time.until < time.from) { time.from = time.until; from.value = String(time.from); }
      timeLabels(); redraw();
    });
    undated.addEventListener("change", function () { time.undated = undated.checked; redraw(); });
    timeLabels();
  }

  // filters
  function checkbox(parent, text, checked, onChange) {
    var row = el("label", "ckg-row"), box = el("input"); box.type = "checkbox"; box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); apply(); });
    row.appendChild(box); row.appendChild(el("span", null, text)); parent.appendChild(row);
    return box;
  }
  D.types.forEach(function (t) { checkbox(byId("ckg-types"), (D.symbols[t] || "") + " " + t, true, function (on) { hiddenTypes[t] = !on; }); });
  if (D.coalitions.length) {
    D.coalitions.forEach(function (c) {
      checkbox(byId("ckg-coalition-filter"), "coalition " + (c.index + 1), true, function (on) { hiddenCoalitions[String(c.index)] = !on; });
    });
    checkbox(byId("ckg-coalition-filter"), "in no coalition", true, function (on) { hiddenCoalitions["-1"] = !on; });
  }
  var slider = byId("ckg-min-weight");
  slider.max = String(D.links.reduce(function (m, l) { return Math.max(m, Math.abs(l[2])); }, 0) || 1);
  slider.addEventListener("input", function () {
    minWeight = Number(slider.value); byId("ckg-min-weight-value").textContent = num(minWeight); apply();
  });
  var unconnected = byId("ckg-hide-unconnected");
  unconnected.checked = hideUnconnected;
  unconnected.addEventListener("change", function () { hideUnconnected = unconnected.checked; apply(); fit(); });

  // legend
  var legend = byId("ckg-legend-coalitions");
  D.coalitions.forEach(function (c) {
    var row = el("div", "ckg-row"), sw = el("span", "ckg-swatch"); sw.style.background = c.colour;
    var text = "Coalition " + (c.index + 1) + " (" + c.size + "): " + c.labels.join(", ") + (c.size > c.labels.length ? ", \u2026" : "");
    if (c.proposals.length) text += " \u2014 " + c.proposals.map(function (p) { return verb(p[1]) + " " + p[0]; }).join("; ");
    row.appendChild(sw); row.appendChild(el("span", null, text)); legend.appendChild(row);
  });
  if (D.coalitions.length) {
    var none = el("div", "ckg-row"), sw0 = el("span", "ckg-swatch"); sw0.style.background = D.noCoalition;
    none.appendChild(sw0); none.appendChild(el("span", null, "in no coalition (colours: coalitions of the agreement network)"));
    legend.appendChild(none);
  }
  if (KIND === "divergence") {
    var campCount = [0, 0];
    D.nodes.forEach(function (n) { if (n.camp >= 0) campCount[n.camp] += 1; });
    legend.appendChild(el("div", "ckg-row", "Camp A (left, " + plural(campCount[0], "organisation") + ") and camp B (right, " +
      plural(campCount[1], "organisation") + "): the split that puts the most divergence between them."));
  }
  var typeLegend = byId("ckg-legend-types");
  D.types.forEach(function (t) {
    var n = D.nodes.filter(function (x) { return x.type === t; }).length;
    typeLegend.appendChild(el("div", "ckg-row", (D.symbols[t] || "") + " " + t + " (" + n + ")"));
  });
  function legendLinks() {
    var box = byId("ckg-legend-links");
    box.replaceChildren();
    RELATION_ORDER.forEach(function (r) {
      if (!presentRelations[r]) return;
      var row = el("div", "ckg-row"), line = el("span", "ckg-line"); line.style.borderTopColor = RELATIONS[r][1];
      if (RELATIONS[r][2]) line.style.borderTopStyle = "dashed";
      row.setAttribute("data-relation", r);
      row.appendChild(line); row.appendChild(el("span", null, RELATIONS[r][0])); box.appendChild(row);
    });
  }
  var words = byId("ckg-legend-words");
  ["weight", "normalisation", "duplicates", "polarisation", "size"].forEach(function (key) {
    if (D.words[key]) words.appendChild(el("p", null, D.words[key]));
  });

  // camps: a heading over each side of a divergence view
  if (KIND === "divergence") {
    network.on("afterDrawing", function (ctx) {
      var boxes = [{left: Infinity, right: -Infinity, members: 0}, {left: Infinity, right: -Infinity, members: 0}], top = Infinity;
      D.nodes.forEach(function (n, i) {
        if (n.camp < 0 || nodeState[i].hidden) return;
        var box = network.getBoundingBox(n.id), camp = boxes[n.camp];
        camp.left = Math.min(camp.left, box.left); camp.right = Math.max(camp.right, box.right); camp.members += 1;
        top = Math.min(top, box.top);
      });
      ctx.save(); ctx.font = "bold 18px " + D.fontFace; ctx.fillStyle = "#555555"; ctx.textAlign = "center";
      boxes.forEach(function (camp, k) {
        if (camp.members) ctx.fillText("Camp " + (k === 0 ? "A" : "B"), (camp.left + camp.right) / 2, top - 16);
      });
      ctx.restore();
    });
  }

  // --- start: draw, fit, and say when ready ------------------------------------------------------
  apply();
  fit();
  function ready() {
    if (window.carekgReady) return;
    window.carekgReady = true;
    window.carekgSettledMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  network.once("afterDrawing", function () { ready(); });
  if (!N) setTimeout(ready, 0);
  window.carekgView = {
    data: D, nodes: visNodes, edges: visEdges, network: network,
    weights: function () { return current.map(function (v) { return v.weight; }); },
    relations: function () { return current.map(function (v) { return v.relation; }); },
    shownLinks: function () { return shownLinks; },
    openNode: function (id) { openNode(indexOf[id]); }, openLink: openLink, openProposal: openProposal,
    listed: function () { return listed.slice(); }, statementsCsv: statementsCsv
  };
})();
