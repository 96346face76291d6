/* Account pages: copy-to-clipboard and print buttons. No inline scripts (CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy-target]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy-target"));
      if (!source) return;
      var text = source.value !== undefined ? source.value : source.textContent;
      var done = function () {
        var original = copy.getAttribute("data-label") || copy.textContent;
        copy.setAttribute("data-label", original);
        copy.textContent = copy.getAttribute("data-copied") || "已复制";
        window.setTimeout(function () { copy.textContent = original; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.trim()).then(done);
      } else if (source.select) {
        source.select();
        document.execCommand("copy");
        done();
      }
      return;
    }
    if (event.target.closest("[data-print-page]")) {
      window.print();
    }
  });
})();
