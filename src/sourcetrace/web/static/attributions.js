// Hover or click a highlighted span: mark its attribution card and every span of that attribution.
(function () {
  "use strict";
  function select(id, scroll) {
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
    if (!id) return;
    document.querySelectorAll('.hl[data-att="' + CSS.escape(id) + '"]').forEach(function (el) { el.classList.add("active"); });
    var card = document.getElementById("att-" + id);
    if (card) {
      card.classList.add("active");
      if (scroll) card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }
  document.addEventListener("mouseover", function (ev) {
    var el = ev.target.closest && ev.target.closest(".hl[data-att]");
    if (el) select(el.getAttribute("data-att"), false);
  });
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest && ev.target.closest(".hl[data-att]");
    if (el) select(el.getAttribute("data-att"), true);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches && ev.target.matches(".hl[data-att]")) select(ev.target.getAttribute("data-att"), true);
  });
})();
