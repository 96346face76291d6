/* Social-opinion pages: no inline scripts (CSP). The pages work without this file; it adds
   confirmations on single buttons, a warning before leaving a draft with unsaved typing, and the
   statistics charts (Apache ECharts, vendored) drawn from <script type="application/json"
   id="opinion-stats-data"> — each chart has its data table beside it as its text alternative. */
(function () {
  "use strict";

  /* A button with data-confirm asks before its form is sent (forms use portal.js's form-level
     data-confirm; this is for one button among several, e.g. 提交). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (!button) return;
    if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  }, true);

  /* The draft autosaves through htmx after a pause in typing; closing the page within that
     pause asks first. Sending the form normally clears the warning. */
  var draft = document.getElementById("draft-form");
  if (draft) {
    var dirty = false;
    draft.addEventListener("input", function () { dirty = true; });
    /* (portal.js cancels the autosave once the form itself is sent.) */
    draft.addEventListener("submit", function () { dirty = false; });
    draft.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail && event.detail.successful) dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  var PALETTE = ["#a8121a", "#0b4f9c", "#b76e00", "#237804", "#6f42c1", "#0e7c86"];
  var charts = [];

  function chartData() {
    var source = document.getElementById("opinion-stats-data");
    if (!source) return null;
    try { return JSON.parse(source.textContent); } catch (error) { return null; }
  }

  function fontSize() {
    var px = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.round(px * 0.9);
  }

  function funnelOption(entry, size) {
    return {
      animation: false,
      color: PALETTE,
      tooltip: { trigger: "item", formatter: "{b}：{c} 条", textStyle: { fontSize: size } },
      series: [{
        type: "funnel",
        sort: "none",
        left: "5%", width: "90%", top: 10, bottom: 10,
        minSize: "8%",
        gap: 3,
        label: { show: true, position: "inside", formatter: "{b}　{c}", fontSize: size, color: "#fff" },
        labelLine: { show: false },
        data: entry.rows
      }]
    };
  }

  function barOption(entry, size) {
    var text = { color: "#1a1a1a", fontSize: size };
    return {
      animation: false,
      color: PALETTE,
      textStyle: text,
      legend: { top: 0, textStyle: text },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontSize: size } },
      xAxis: { type: "category", data: entry.categories, axisLabel: { fontSize: size, color: "#1a1a1a", interval: 0, width: 80, overflow: "break" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: size, color: "#4a4a4a" } },
      series: entry.series.map(function (series) {
        return { name: series.name, type: "bar", data: series.data, barMaxWidth: 24,
                 label: { show: true, position: "top", fontSize: size - 2, color: "#1a1a1a" } };
      })
    };
  }

  function optionFor(entry) {
    var size = fontSize();
    return entry.kind === "funnel" ? funnelOption(entry, size) : barOption(entry, size);
  }

  function hasData(entry) {
    if (!entry) return false;
    if (entry.kind === "funnel") return entry.rows && entry.rows.some(function (row) { return row.value > 0; });
    return entry.categories && entry.categories.length > 0;
  }

  function drawCharts() {
    var data = chartData();
    if (!data || typeof window.echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var entry = data[element.getAttribute("data-chart")];
      if (!hasData(entry)) {
        element.style.height = "auto";
        element.textContent = "暂无数据";
        element.classList.add("text-secondary");
        return;
      }
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(optionFor(entry));
      charts.push(chart);
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 150);
  });
  document.addEventListener("click", function (event) {
    /* The reading bar can enlarge the type: redraw the charts with larger labels. */
    if (event.target.closest("[data-a11y]") && charts.length) {
      window.setTimeout(function () {
        var data = chartData();
        charts.forEach(function (chart) {
          chart.setOption(optionFor(data[chart.getDom().getAttribute("data-chart")]), true);
          chart.resize();
        });
      }, 50);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawCharts);
  } else {
    drawCharts();
  }
})();
