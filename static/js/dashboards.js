/* Home pages and the organisation page. No inline scripts (CSP): chart data arrives as JSON in
   <script type="application/json" id="dashboard-data"> (Django's json_script), and each chart
   container names its series with data-chart and its shape with data-kind (bar, hbar, pie).
   Every chart has a data table beside it as its text alternative. */
(function () {
  "use strict";

  var PALETTE = ["#a8121a", "#0b4f9c", "#b76e00", "#237804", "#6f42c1", "#0e7c86",
                 "#c41d7f", "#595959", "#874d00", "#1d39c4", "#5b8c00"];
  var charts = [];

  function baseFontSize() {
    var px = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.round(px * 0.9);
  }

  function optionFor(element, kind, rows) {
    var size = baseFontSize();
    var text = { color: "#1a1a1a", fontSize: size };
    var names = rows.map(function (row) { return row.name; });
    var values = rows.map(function (row) { return row.value; });
    if (kind === "pie") {
      return window.zxCharts.donut(element, rows, { palette: PALETTE, size: size, text: text, unit: "人" });
    }
    var horizontal = kind === "hbar";
    var category = {
      type: "category",
      data: horizontal ? names.slice().reverse() : names,
      axisLabel: { fontSize: size, color: "#1a1a1a", interval: 0 }
    };
    if (!horizontal) {
      // Every label under its bar, wrapped to the bar's width rather than running into the next
      // one ("40岁及以下41至50岁" on a phone).
      category.axisLabel.width = Math.max(Math.floor(((element.clientWidth || 320) - 64) / Math.max(names.length, 1)) - 6, size * 2);
      category.axisLabel.overflow = "break";
    }
    var value = { type: "value", minInterval: 1, axisLabel: { fontSize: size, color: "#4a4a4a" } };
    return {
      color: PALETTE,
      textStyle: text,
      grid: { left: 8, right: 48, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontSize: size } },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{
        type: "bar",
        data: horizontal ? values.slice().reverse() : values,
        barMaxWidth: 36,
        label: { show: true, position: horizontal ? "right" : "top", fontSize: size, color: "#1a1a1a" }
      }]
    };
  }

  function drawCharts() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data;
    try { data = JSON.parse(source.textContent); } catch (error) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var rows = data[element.getAttribute("data-chart")];
      if (!rows || !rows.length) return;
      // The option first: a donut sets its chart's height to fit its legend.
      var option = optionFor(element, element.getAttribute("data-kind"), rows);
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option);
      charts.push(chart);
    });
  }

  /* Redraw with the current width and type size (the donut's legend moves under the ring on
     narrow screens; the reading bar can enlarge the type). */
  function redraw() {
    var source = document.getElementById("dashboard-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    charts.forEach(function (chart) {
      var element = chart.getDom();
      var rows = data[element.getAttribute("data-chart")];
      chart.setOption(optionFor(element, element.getAttribute("data-kind"), rows), true);
      chart.resize();
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(redraw, 150);
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-a11y]")) return;
    window.setTimeout(redraw, 50);
  });

  /* After an htmx edit on the organisation page, move focus to the section's status line so
     keyboard and screen-reader users hear what happened and keep their place. */
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.elt;
    var section = target && target.id ? document.getElementById(target.id) : null;
    var message = section ? section.querySelector(".zx-section-message") : null;
    if (message) message.focus();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawCharts);
  } else {
    drawCharts();
  }
})();
