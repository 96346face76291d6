/* Notification centre: after "标为已读" replaces an item through htmx, keep keyboard focus on
   that item (its button is gone) so people using a keyboard or screen reader do not lose their
   place. No inline scripts (CSP). */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id || target.id.indexOf("notification-") !== 0) return;
    var item = document.getElementById(target.id);
    if (!item) return;
    var link = item.querySelector(".notification-link");
    (link || item).focus();
  });
})();
