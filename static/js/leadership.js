/* The leadership dashboard (履职看板), its 大屏 and its A4 version. No inline scripts (CSP):
   the charts arrive as JSON in <script type="application/json" id="leadership-charts">
   (apps.dashboards.leadership.charts), one entry per [data-leadership-chart] container. Each
   value carries the address of the records behind it: a click on a bar, a slice or a cell
   opens that list (the table under each chart has the same links for keyboard users).
   On the 大屏 (body[data-refresh-url]) the figures are fetched again every few minutes and
   redrawn in place. */
(function () {
  "use strict";

  var PALETTE = ["#a8121a", "#0b4f9c", "#b76e00", "#237804", "#6f42c1", "#0e7c86",
                 "#c41d7f", "#595959", "#874d00", "#1d39c4", "#5b8c00"];
  var ATTENDANCE_COLOURS = ["#237804", "#b76e00", "#874d00", "#0b4f9c", "#a8121a"];
  var screen = document.body.classList.contains("zx-screen");
  var printing = document.body.hasAttribute("data-print-charts");
  var charts = {};

  function ink() { return screen ? "#f5f7fa" : "#1a1a1a"; }
  function muted() { return screen ? "#dbe4f0" : "#4a4a4a"; }

  function fontSize() {
    if (screen) return 18;
    var px = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.round(px * 0.85);
  }

  function textStyle() { return { color: ink(), fontSize: fontSize() }; }

  function pairs(spec) {
    var series = spec.series[0];
    return spec.categories.map(function (name, index) {
      return { name: name, value: series.values[index] || 0, link: series.links[index] };
    });
  }

  function optionFor(spec) {
    var size = fontSize();
    var base = {
      color: PALETTE,
      textStyle: textStyle(),
      animation: !printing,
      tooltip: { trigger: spec.kind === "pie" || spec.kind === "funnel" || spec.kind === "heatmap" ? "item" : "axis",
                 textStyle: { fontSize: size }, confine: true }
    };
    if (spec.kind === "pie") {
      base.legend = { bottom: 0, textStyle: textStyle(), itemWidth: 18, itemHeight: 14 };
      base.series = [{
        type: "pie", radius: ["34%", "60%"], center: ["50%", "44%"],
        label: { formatter: "{b}\n{c}" + spec.unit, fontSize: size, color: ink() },
        data: pairs(spec)
      }];
      return base;
    }
    if (spec.kind === "funnel") {
      base.series = [{
        type: "funnel", sort: "none", left: "8%", width: "70%", top: 8, bottom: 8, minSize: "8%",
        label: { position: "right", formatter: "{b} {c}" + spec.unit, fontSize: size, color: ink() },
        data: pairs(spec)
      }];
      return base;
    }
    if (spec.kind === "heatmap") {
      var words = spec.series.map(function (s) { return s.name; });
      var data = [];
      var max = 0;
      spec.series.forEach(function (s, y) {
        s.values.forEach(function (value, x) {
          if (value) {
            data.push({ value: [x, y, value], link: s.links[x] });
            if (value > max) max = value;
          }
        });
      });
      base.grid = { left: 8, right: 16, top: 8, bottom: 56, containLabel: true };
      base.xAxis = { type: "category", data: spec.categories, axisLabel: { fontSize: size, color: ink() } };
      base.yAxis = { type: "category", data: words, inverse: true, axisLabel: { fontSize: size, color: ink() } };
      base.visualMap = { min: 0, max: max || 1, calculable: false, orient: "horizontal", left: "center",
                         bottom: 0, inRange: { color: ["#fde9e9", "#a8121a"] }, textStyle: textStyle() };
      base.series = [{ type: "heatmap", data: data, label: { show: false } }];
      return base;
    }
    var horizontal = spec.kind === "hbar" || spec.kind === "stack";
    var categories = spec.categories.slice();
    var series = spec.series;
    if (spec.extra && spec.extra.rate_series) series = series.slice(0, series.length - 1);
    var category = { type: "category", data: categories, inverse: horizontal,
                     axisLabel: { fontSize: size, color: ink(), interval: 0, width: horizontal ? 200 : 90, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1, axisLabel: { fontSize: size, color: muted() },
                  splitLine: { lineStyle: { color: screen ? "#2a4a78" : "#d9d9d9" } } };
    base.grid = { left: 8, right: 56, top: series.length > 1 ? 36 : 16, bottom: 8, containLabel: true };
    base.tooltip.axisPointer = { type: "shadow" };
    if (series.length > 1) base.legend = { top: 0, textStyle: textStyle(), itemWidth: 18, itemHeight: 14 };
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? category : value;
    base.series = series.map(function (s, index) {
      return {
        type: "bar", name: s.name, stack: spec.kind === "stack" ? "total" : undefined,
        barMaxWidth: 36,
        itemStyle: spec.kind === "stack" ? { color: ATTENDANCE_COLOURS[index % ATTENDANCE_COLOURS.length] } : undefined,
        label: { show: spec.kind !== "stack", position: horizontal ? "right" : "top", fontSize: size, color: ink() },
        data: s.values.map(function (v, i) { return { value: v === null ? 0 : v, link: s.links[i] }; })
      };
    });
    return base;
  }

  function draw(specs) {
    document.querySelectorAll("[data-leadership-chart]").forEach(function (element) {
      var key = element.getAttribute("data-leadership-chart");
      var spec = specs[key];
      if (!spec || spec.empty || typeof window.echarts === "undefined") return;
      var chart = charts[key];
      if (!chart) {
        chart = window.echarts.init(element, null, { renderer: "svg" });
        chart.on("click", function (params) {
          var link = params.data && params.data.link;
          if (link) window.location.href = link;
        });
        charts[key] = chart;
      }
      chart.setOption(optionFor(spec), true);
      element.setAttribute("data-drawn", "1");
    });
  }

  function load() {
    var source = document.getElementById("leadership-charts");
    if (!source) return;
    try { draw(JSON.parse(source.textContent)); } catch (error) { /* the tables stay */ }
  }

  /* 大屏: fetch the figures again and redraw in place. */
  function refreshScreen() {
    var url = document.body.getAttribute("data-refresh-url");
    if (!url || !window.fetch) return;
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (data.headline) {
          document.querySelectorAll("[data-headline]").forEach(function (element) {
            var value = data.headline[element.getAttribute("data-headline")];
            element.textContent = value === null || value === undefined ? "—" : value;
          });
        }
        var stamp = document.getElementById("screen-refreshed");
        if (stamp && data.refreshed_at) stamp.textContent = data.refreshed_at;
        if (data.charts) draw(data.charts);
      })
      .catch(function () { /* keep what is shown; try again next time */ });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      Object.keys(charts).forEach(function (key) { charts[key].resize(); });
    }, 150);
  });
  window.addEventListener("beforeprint", function () {
    Object.keys(charts).forEach(function (key) { charts[key].resize(); });
  });
  /* The reading bar can enlarge the type: redraw with larger labels. */
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest && target.closest("[data-print]")) { window.print(); return; }
    if (!target.closest || !target.closest("[data-a11y]")) return;
    window.setTimeout(load, 50);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
  if (screen) {
    var seconds = parseInt(document.body.getAttribute("data-refresh-seconds"), 10) || 300;
    window.setInterval(refreshScreen, seconds * 1000);
  }
})();
