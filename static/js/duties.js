/* 我的履职: the year's progress chart (ECharts). No inline scripts (CSP): the series arrive as
   JSON in <script type="application/json" id="duties-progress-data"> (Django's json_script);
   the data table under the chart is its text alternative. Calm: no animation. */
(function () {
  "use strict";

  var charts = [];

  function fontSize() {
    var px = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.round(px * 0.85);
  }

  function option(data) {
    var size = fontSize();
    var text = { color: "#1a1a1a", fontSize: size };
    return {
      animation: false,
      color: ["#a8121a", "#0b4f9c"],
      textStyle: text,
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: text, itemWidth: 18, itemHeight: 12 },
      tooltip: { trigger: "axis", textStyle: { fontSize: size } },
      xAxis: { type: "category", data: data.labels, axisLabel: { fontSize: size, color: "#1a1a1a" } },
      yAxis: [
        { type: "value", axisLabel: { fontSize: size, color: "#4a4a4a" } },
        { type: "value", minInterval: 1, splitLine: { show: false }, axisLabel: { fontSize: size, color: "#4a4a4a" } }
      ],
      series: [
        { name: data.score_name, type: "line", data: data.scores, symbolSize: 8, lineStyle: { width: 3 } },
        { name: data.records_name, type: "bar", yAxisIndex: 1, data: data.records, barMaxWidth: 18, itemStyle: { opacity: 0.55 } }
      ]
    };
  }

  function draw() {
    var source = document.getElementById("duties-progress-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data;
    try { data = JSON.parse(source.textContent); } catch (error) { return; }
    document.querySelectorAll("[data-duties-chart]").forEach(function (element) {
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option(data));
      element.setAttribute("data-drawn", "1");
      charts.push({ chart: chart, data: data });
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      charts.forEach(function (item) { item.chart.resize(); });
    }, 150);
  });
  /* The reading bar enlarges the type: redraw with larger labels. */
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-a11y]")) return;
    window.setTimeout(function () {
      charts.forEach(function (item) { item.chart.setOption(option(item.data), true); item.chart.resize(); });
    }, 50);
  });

  /* The printable 履职档案: a real button, no inline handler. */
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
