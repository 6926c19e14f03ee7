// Answers are checked by the server: a refused answer comes back as 400 with the question and its
// message, which htmx would otherwise drop. Swap it in so the person sees what to fix.
document.body.addEventListener("htmx:beforeSwap", function (event) {
  var form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (event.detail.xhr.status === 400 && form && form.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// A 409 means the assessment was submitted or signed off meanwhile: keep the question as it is and
// say why the answer was not saved, in the question's own status line.
document.body.addEventListener("htmx:responseError", function (event) {
  var form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (event.detail.xhr.status !== 409 || !form || !form.closest("[data-swap-errors]")) {
    return;
  }
  var holder = document.createElement("div");
  holder.innerHTML = event.detail.xhr.responseText;
  var status = form.querySelector("[role=status]");
  if (status) {
    status.classList.remove("text-success");
    status.classList.add("text-danger");
    status.textContent = holder.textContent.trim();
  }
});
