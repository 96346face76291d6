/* Consultation pages. No inline scripts (CSP). Progressive enhancement only:
   - a check-in confirmation form marked data-autosubmit="1" submits itself once;
   - "select all" boxes (data-select-all="name") tick every checkbox of that name in the form;
   - charts: <div data-chart="key"> drawn from the JSON in #online-stats-data (ECharts), each
     with a data table beside it as its text alternative. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit='1']");
  if (form && !form.dataset.sent) {
    form.dataset.sent = "1";
    if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
  }
  document.addEventListener("change", function (event) {
    var box = event.target.closest("[data-select-all]");
    if (!box) return;
    var scope = box.closest("form") || document;
    scope.querySelectorAll("input[type=checkbox][name='" + box.getAttribute("data-select-all") + "']")
      .forEach(function (item) { item.checked = box.checked; });
  });
  var source = document.getElementById("online-stats-data");
  if (source && window.echarts) {
    var data;
    try { data = JSON.parse(source.textContent); } catch (error) { data = null; }
    if (!data) return;
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var entry = data[node.getAttribute("data-chart")];
      if (!entry || !entry.categories || !entry.categories.length) return;
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      var size = Math.round((parseFloat(getComputedStyle(document.documentElement).fontSize) || 16) * 0.9);
      chart.setOption({
        color: ["#0b4f9c", "#a8121a"],
        textStyle: { color: "#1a1a1a", fontSize: size },
        legend: { top: 0, textStyle: { fontSize: size } },
        tooltip: { trigger: "axis", textStyle: { fontSize: size } },
        grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: entry.categories, axisLabel: { fontSize: size, color: "#1a1a1a" } },
        yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: size, color: "#4a4a4a" } },
        series: entry.series.map(function (s) { return { name: s.name, type: "line", data: s.data, smooth: true, symbolSize: 8 }; })
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
})();
