/* Reading aids (font size, contrast) kept in localStorage; no inline scripts (CSP). */
(function () {
  "use strict";
  var root = document.documentElement;
  var sizes = ["", "zx-font-lg", "zx-font-xl"];
  function apply() {
    var size = parseInt(localStorage.getItem("zx-font") || "0", 10) || 0;
    sizes.forEach(function (c) { if (c) root.classList.remove(c); });
    if (sizes[size]) root.classList.add(sizes[size]);
    root.classList.toggle("zx-contrast", localStorage.getItem("zx-contrast") === "1");
  }
  apply();
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-a11y]");
    if (!button) return;
    var action = button.getAttribute("data-a11y");
    var size = parseInt(localStorage.getItem("zx-font") || "0", 10) || 0;
    if (action === "font-up") localStorage.setItem("zx-font", String(Math.min(size + 1, sizes.length - 1)));
    if (action === "font-reset") localStorage.setItem("zx-font", "0");
    if (action === "contrast") localStorage.setItem("zx-contrast", localStorage.getItem("zx-contrast") === "1" ? "0" : "1");
    apply();
  });
  /* Buttons that ask for confirmation: data-confirm="确定要……吗？" */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
