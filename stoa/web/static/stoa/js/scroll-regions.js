// Wide tables scroll sideways inside .table-responsive. A keyboard user can scroll such a region
// only if it can take the focus, so each region that really overflows gets a tab stop and a name
// (its table's caption, else the nearest heading); regions that fit stay out of the tab order.
(function () {
  "use strict";
  function label(region) {
    const caption = region.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    let el = region;
    while (el && el !== document.body) {
      let prev = el.previousElementSibling;
      while (prev) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.trim();
        prev = prev.previousElementSibling;
      }
      el = el.parentElement;
    }
    return document.title;
  }
  function mark(root) {
    (root || document).querySelectorAll(".table-responsive").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        if (!region.hasAttribute("aria-label")) region.setAttribute("aria-label", label(region));
      } else if (region.getAttribute("tabindex") === "0") {
        region.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { mark(document); });
  window.addEventListener("resize", function () { mark(document); });
  document.addEventListener("htmx:afterSettle", function () { mark(document); });
})();
