// Draw the claim's provenance graph (the same nodes and edges as the table below it) with cytoscape.
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  var data = document.getElementById("graph-data");
  if (!holder || !data || typeof cytoscape !== "function") return;
  var graph = JSON.parse(data.textContent);
  // cytoscape injects an inline <style> (position: relative, set in site.css instead) unless an
  // element with this id exists; the Content-Security-Policy blocks it and logs an error.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.appendChild(marker);
  }
  var colours = { article: "#1f6fb2", outlet: "#b36b00", speaker: "#2e7d32", anonymous: "#777777" };
  var elements = [];
  graph.nodes.forEach(function (n) {
    elements.push({ data: { id: n.id, label: n.name, kind: n.kind } });
  });
  graph.edges.forEach(function (e, i) {
    elements.push({ data: { id: "e" + i, source: e.source, target: e.target, label: e.kind } });
  });
  holder.removeAttribute("aria-hidden");
  cytoscape({
    container: holder,
    elements: elements,
    layout: { name: "breadthfirst", directed: true, spacingFactor: 1.1 },
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 140,
        "background-color": function (n) { return colours[n.data("kind")] || "#444"; }, color: "#222" } },
      { selector: "edge", style: { label: "data(label)", "font-size": 9, "curve-style": "bezier",
        "target-arrow-shape": "triangle", width: 1.5, "line-color": "#aaa", "target-arrow-color": "#aaa" } }
    ]
  });
})();
