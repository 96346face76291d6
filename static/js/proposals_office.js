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

  function pieOption(element, entry, size, text) {
    return window.zxCharts.donut(element, entry.rows, { palette: PALETTE, size: size, text: text, unit: "件" });
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

  function optionFor(element, entry) {
    var size = fontSize();
    var text = { color: "#1a1a1a", fontSize: size };
    return entry.kind === "pie" ? pieOption(element, entry, size, text) : barOption(entry, size, text);
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
      // The option first: a donut sets its chart's height to fit its legend.
      var option = optionFor(element, entry);
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option);
      charts.push(chart);
    });
  }

  /* Redraw with the current width and type size (a donut's legend moves under the ring on
     narrow screens; the reading bar can enlarge the type). */
  function redraw() {
    var data = chartData();
    if (!data) return;
    charts.forEach(function (chart) {
      var element = chart.getDom();
      chart.setOption(optionFor(element, data[element.getAttribute("data-chart")]), true);
      chart.resize();
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(redraw, 150);
  });

  document.addEventListener("click", function (event) {
    /* The reading bar can enlarge the type: redraw the charts with larger labels. */
    if (event.target.closest("[data-a11y]") && charts.length) {
      window.setTimeout(redraw, 50);
      return;
    }
    /* A suggested unit is taken with one click: as the 单办/主办 unit, or added as a 分办/会办
       unit (then 单办 becomes 主办 + 会办). Nothing is chosen before the click. */
    var pick = event.target.closest("[data-pick-unit]");
    if (pick) {
      var form = pick.closest("[data-assign-form]");
      if (!form) return;
      var id = pick.getAttribute("data-pick-unit");
      var asMain = pick.getAttribute("data-pick-as") === "main";
      var radio = form.querySelector("input[name='unit'][value='" + id + "']");
      var box = form.querySelector("input[name='others'][value='" + id + "']");
      if (asMain && radio) {
        radio.checked = true;
        if (box) box.checked = false;
      } else if (box) {
        box.checked = true;
        if (radio && radio.checked) radio.checked = false;
        var sole = form.querySelector("input[name='mode'][value='sole']");
        var leadCo = form.querySelector("input[name='mode'][value='lead_co']");
        if (sole && sole.checked && leadCo) leadCo.checked = true;
      }
      syncAssignForm(form);
      var status = form.querySelector("[data-pick-status]");
      var name = pick.closest("[data-hint-unit]");
      if (status && name) {
        var label = name.querySelector(".fw-semibold");
        status.textContent = status.getAttribute(asMain ? "data-picked-main" : "data-picked-others") +
          (label ? label.textContent : "");
      }
    }
  });

  /* 交办: 单办 needs no other units (their boxes are off); the unit list can be searched. */
  function syncAssignForm(form) {
    var checked = form.querySelector("input[name='mode']:checked");
    if (!checked) return;
    var sole = checked.value === "sole";
    form.querySelectorAll("input[name='others']").forEach(function (input) {
      input.disabled = sole;
      if (sole) input.checked = false;
    });
  }

  function filterUnits(input) {
    var form = input.closest("[data-assign-form]");
    if (!form) return;
    var text = input.value.trim();
    var shown = 0;
    form.querySelectorAll("[data-unit-group]").forEach(function (group) {
      var visible = 0;
      group.querySelectorAll("[data-unit-name]").forEach(function (row) {
        var match = !text || row.getAttribute("data-unit-name").indexOf(text) !== -1;
        row.hidden = !match;
        if (match) visible += 1;
      });
      group.hidden = visible === 0;
      shown += visible;
    });
    var status = form.querySelector("[data-unit-filter-status]");
    if (status) status.textContent = shown ? "" : status.getAttribute("data-none");
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-unit-filter]")) filterUnits(event.target);
  });

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

  document.body.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-assign-form]").forEach(syncAssignForm);
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
