/* Moves keyboard and screen-reader focus to an error summary when a page shows one, so the
 * person hears what went wrong first. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }
})();
