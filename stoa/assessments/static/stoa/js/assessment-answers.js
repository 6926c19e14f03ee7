// Answers are checked by the server: a refused answer comes back as 400 with the question and its
// message, which htmx would otherwise drop. Swap it in so the person sees what to fix.
document.body.addEventListener("htmx:beforeSwap", function (event) {
  var form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (event.detail.xhr.status === 400 && form && form.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
