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

  function optionFor(kind, rows) {
    var size = baseFontSize();
    var text = { color: "#1a1a1a", fontSize: size };
    var names = rows.map(function (row) { return row.name; });
    var values = rows.map(function (row) { return row.value; });
    if (kind === "pie") {
      return {
        color: PALETTE,
        textStyle: text,
        tooltip: { trigger: "item", formatter: "{b}：{c} 人（{d}%）", textStyle: { fontSize: size } },
        legend: { bottom: 0, textStyle: text, itemWidth: 18, itemHeight: 14 },
        series: [{
          type: "pie",
          radius: ["35%", "62%"],
          center: ["50%", "44%"],
          label: { formatter: "{b}\n{c} 人", fontSize: size, color: "#1a1a1a" },
          data: rows
        }]
      };
    }
    var horizontal = kind === "hbar";
    var category = {
      type: "category",
      data: horizontal ? names.slice().reverse() : names,
      axisLabel: { fontSize: size, color: "#1a1a1a", interval: 0 }
    };
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
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(optionFor(element.getAttribute("data-kind"), rows));
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
  /* The reading bar can enlarge the type: redraw the charts with larger labels. */
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-a11y]")) return;
    window.setTimeout(function () {
      charts.forEach(function (chart) {
        var element = chart.getDom();
        var source = document.getElementById("dashboard-data");
        var rows = JSON.parse(source.textContent)[element.getAttribute("data-chart")];
        chart.setOption(optionFor(element.getAttribute("data-kind"), rows), true);
        chart.resize();
      });
    }, 50);
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
