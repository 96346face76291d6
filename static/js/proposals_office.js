/* Proposal office and leadership pages. No inline scripts (CSP): chart data arrives as JSON in
   <script type="application/json" id="proposal-stats-data"> (Django's json_script); each chart
   container names its entry with data-chart. Entries are {kind: "bar"|"hbar", categories, series}
   or {kind: "pie", rows: [{name, value}]}. Every chart has a data table beside it as its text
   alternative. Everything else here is progressive enhancement: the pages work without it. */
(function () {
  "use strict";

  var PALETTE = ["#a8121a", "#0b4f9c", "#b76e00", "#237804", "#6f42c1", "#0e7c86",
                 "#c41d7f", "#595959", "#874d00", "#1d39c4", "#5b8c00"];
  var charts = [];

  function fontSize() {
    var px = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.round(px * 0.9);
  }

  function chartData() {
    var source = document.getElementById("proposal-stats-data");
    if (!source) return null;
    try { return JSON.parse(source.textContent); } catch (error) { return null; }
  }

  function pieOption(entry, size, text) {
    return {
      color: PALETTE,
      textStyle: text,
      tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）", textStyle: { fontSize: size } },
      legend: { bottom: 0, textStyle: text, itemWidth: 18, itemHeight: 14 },
      series: [{
        type: "pie",
        radius: ["35%", "62%"],
        center: ["50%", "44%"],
        label: { formatter: "{b}：{c}", fontSize: size, color: "#1a1a1a" },
        data: entry.rows
      }]
    };
  }

  function barOption(entry, size, text) {
    var horizontal = entry.kind === "hbar";
    var names = horizontal ? entry.categories.slice().reverse() : entry.categories;
    var category = {
      type: "category",
      data: names,
      axisLabel: { fontSize: size, color: "#1a1a1a", interval: 0, width: horizontal ? 160 : 90, overflow: "break" }
    };
    var value = { type: "value", minInterval: 1, axisLabel: { fontSize: size, color: "#4a4a4a" } };
    return {
      color: PALETTE,
      textStyle: text,
      legend: { top: 0, textStyle: text, show: entry.series.length > 1 },
      grid: { left: 8, right: 48, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontSize: size } },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: entry.series.map(function (series) {
        return {
          name: series.name,
          type: "bar",
          data: horizontal ? series.data.slice().reverse() : series.data,
          barMaxWidth: 28,
          label: { show: true, position: horizontal ? "right" : "top", fontSize: size - 2, color: "#1a1a1a" }
        };
      })
    };
  }

  function optionFor(entry) {
    var size = fontSize();
    var text = { color: "#1a1a1a", fontSize: size };
    return entry.kind === "pie" ? pieOption(entry, size, text) : barOption(entry, size, text);
  }

  function hasData(entry) {
    if (!entry) return false;
    if (entry.kind === "pie") return entry.rows && entry.rows.length > 0;
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
      return;
    }
    /* A suggested unit fills the unit picker of its row or form. */
    var hint = event.target.closest("[data-suggest-unit]");
    if (hint) {
      var scope = hint.closest("[data-assign-form], li, form");
      var select = scope && scope.querySelector("select[name$='unit']");
      if (select) {
        select.value = hint.getAttribute("data-suggest-unit");
        select.dispatchEvent(new Event("change", { bubbles: true }));
        select.focus();
      }
    }
  });

  /* 交办 on the detail page: 单办 needs no other units; 分办 / 主办 + 会办 name them. */
  function syncAssignForm(form) {
    var checked = form.querySelector("input[name='mode']:checked");
    var others = form.querySelector("[data-others]");
    var legend = form.querySelector("[data-others-legend]");
    if (!checked || !others) return;
    var mode = checked.value;
    others.hidden = mode === "sole";
    others.querySelectorAll("input").forEach(function (input) { input.disabled = mode === "sole"; });
    if (legend) legend.textContent = mode === "split" ? "其他分办单位（至少一个）" : "会办单位（至少一个）";
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-assign-form]");
    if (form && event.target.name === "mode") syncAssignForm(form);
    if (event.target.matches("select[data-autosubmit]") && event.target.form) {
      event.target.form.requestSubmit();
    }
  });

  /* After an htmx row update (the assignment board), move focus to what happened so keyboard
     and screen-reader users keep their place. */
  document.body.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus-after-swap]");
    if (target) {
      target.removeAttribute("data-focus-after-swap");
      target.focus();
    }
  });

  function init() {
    document.querySelectorAll("[data-assign-form]").forEach(syncAssignForm);
    drawCharts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
