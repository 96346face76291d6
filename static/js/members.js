/* Members pages: no inline scripts (CSP). */
(function () {
  "use strict";
  /* A select marked data-autosubmit submits its form when changed (the button stays for
     keyboard and no-JS users). */
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });

  /* After "显示完整" swaps in the full value, move focus to it so keyboard and screen-reader
     users are not left on a button that no longer exists. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var root = target && target.isConnected ? target : document;
    var revealed = root.querySelector ? root.querySelector("[data-reveal-focus]") : null;
    if (!revealed) revealed = document.querySelector("[data-reveal-focus]");
    if (revealed) {
      revealed.removeAttribute("data-reveal-focus");
      revealed.focus();
    }
  });

  /* Refuse an over-large or non-.xlsx roster file before uploading it. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var maxMb = parseInt(form.getAttribute("data-max-mb") || "0", 10);
    if (!maxMb) return;
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (!file) return;
    var message = "";
    if (!/\.xlsx$/i.test(file.name)) {
      message = "只能导入 .xlsx 格式的 Excel 文件。";
    } else if (file.size > maxMb * 1024 * 1024) {
      message = "文件不能超过 " + maxMb + " MB。";
    }
    if (message) {
      event.preventDefault();
      window.alert(message);
      input.focus();
    }
  });
})();
