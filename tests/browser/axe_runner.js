/* The accessibility gate's in-page half (see tests/browser_fixtures.py). Added to every document
   of a gated browser context after axe-core itself, in the top frame only: scans the document
   when it has loaded and again after each htmx swap, one scan at a time, and reports each scan's
   violations to the test through the `__zxAxeReport` binding. `window.__zxAxeScan()` runs one
   more scan once the queued ones are done and resolves with its violations (used when a
   context closes, so every page is also scanned as the test last saw it). */
(function () {
  "use strict";
  if (window.top !== window || typeof window.axe !== "object") return;
  var OPTIONS = { resultTypes: ["violations"], iframes: false };
  var queue = Promise.resolve(null);
  var settleTimer = null;

  function summarise(violations) {
    return violations.map(function (violation) {
      return {
        rule: violation.id,
        impact: violation.impact || "",
        help: violation.help,
        nodes: violation.nodes.map(function (node) {
          return {
            target: node.target.map(String).join(" "),
            summary: (node.failureSummary || "").replace(/\s+/g, " ").trim()
          };
        })
      };
    });
  }

  function scannable() {
    return !!document.body && document.body.children.length > 0;
  }

  /* Colours caught half-way through a transition (a button just pressed) are not the page's:
     wait for running CSS transitions and animations, at most a second. */
  function settled() {
    var running = document.getAnimations ? document.getAnimations() : [];
    var finished = running
      .filter(function (animation) { return animation.effect && isFinite(animation.effect.getComputedTiming().endTime); })
      .map(function (animation) { return animation.finished.catch(function () { return null; }); });
    if (!finished.length) return Promise.resolve();
    return Promise.race([
      Promise.all(finished),
      new Promise(function (resolve) { window.setTimeout(resolve, 1000); })
    ]);
  }

  /* A stylesheet still loading (a scan asked for while the next page arrives) would be scanned
     as an unstyled page (browser-default link blue on the brand colour): wait for every
     stylesheet link to have its sheet, at most two seconds, then scan what is there. */
  function styled() {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel="stylesheet"]'));
    var pending = links.filter(function (link) { return !link.sheet; });
    if (!pending.length) return Promise.resolve();
    return Promise.race([
      Promise.all(pending.map(function (link) {
        return new Promise(function (resolve) {
          link.addEventListener("load", resolve, { once: true });
          link.addEventListener("error", resolve, { once: true });
        });
      })),
      new Promise(function (resolve) { window.setTimeout(resolve, 2000); })
    ]);
  }

  function scan(report) {
    queue = queue.then(styled).then(settled).then(function () {
      if (!scannable()) return null;
      return window.axe.run(document, OPTIONS).then(function (result) {
        var violations = summarise(result.violations);
        if (report && typeof window.__zxAxeReport === "function") {
          window.__zxAxeReport(location.href, violations, "");
        }
        return violations;
      });
    }).catch(function (error) {
      if (report && typeof window.__zxAxeReport === "function") {
        window.__zxAxeReport(location.href, [], String(error));
      }
      return null;
    });
    return queue;
  }

  window.__zxAxeScan = function () { return scan(false); };
  window.addEventListener("load", function () { scan(true); });
  document.addEventListener("htmx:afterSettle", function () {
    window.clearTimeout(settleTimer);
    settleTimer = window.setTimeout(function () { scan(true); }, 100);
  });
})();
