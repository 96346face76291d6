/* Handling-unit proposal pages: no inline scripts (CSP). Everything here only helps; the
   server checks every rule again. */
(function () {
  "use strict";

  /* Check a chosen file before uploading it: type and size from the committee's settings
     (data-allowed, data-max-bytes on the input). The message appears next to the field and the
     browser refuses to submit until another file is chosen. */
  function checkFile(input) {
    var file = input.files && input.files[0];
    var box = document.querySelector('[data-file-message="' + input.id + '"]');
    var message = "";
    if (file) {
      var allowed = (input.getAttribute("data-allowed") || "").split(",").filter(Boolean);
      var maxBytes = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
      var ext = (file.name.split(".").pop() || "").toLowerCase();
      if (allowed.length && allowed.indexOf(ext) === -1) {
        message = "不支持“" + file.name + "”的文件类型；只能上传 " + allowed.join("、").toUpperCase() + "。";
      } else if (maxBytes && file.size > maxBytes) {
        message = "文件“" + file.name + "”超过了 " + Math.round(maxBytes / 1048576) + " MB 的上限。";
      } else if (file.size === 0) {
        message = "文件“" + file.name + "”是空文件。";
      }
    }
    input.setCustomValidity(message);
    input.classList.toggle("is-invalid", Boolean(message));
    if (box) {
      box.textContent = message;
      box.classList.toggle("text-danger", Boolean(message));
    }
    return !message;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]")) checkFile(input);
  });

  /* After htmx puts a section back (the contact log), move focus to its message so keyboard
     and screen-reader users hear that the record was saved, or land on the first error. */
  document.addEventListener("htmx:afterSwap", function () {
    var scope = "[data-swap-focus] ";
    var target = document.querySelector(scope + "[data-focus-after-swap]") ||
      document.querySelector(scope + ".alert-danger, " + scope + "[aria-invalid=true]");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
})();
