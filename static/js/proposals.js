/* Proposals pages: no inline scripts (CSP). The pages work without this file; it only adds
   confirmations on single buttons and a warning before leaving a draft with unsaved typing. */
(function () {
  "use strict";

  /* A button with data-confirm asks before its form is sent (forms use portal.js's
     form-level data-confirm; this is for one button among several, e.g. 提交提案). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (!button) return;
    if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  }, true);

  /* The draft form autosaves through htmx after a pause in typing; if the person closes the
     page within that pause, ask first. Sending the form normally clears the warning. */
  var draft = document.getElementById("draft-form");
  if (!draft) return;
  var dirty = false;
  draft.addEventListener("input", function () { dirty = true; });
  draft.addEventListener("submit", function () { dirty = false; });
  draft.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail && event.detail.successful) dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
