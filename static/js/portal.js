/* Reading aids (font size, contrast) kept in localStorage; no inline scripts (CSP). */
(function () {
  "use strict";
  var root = document.documentElement;
  /* Four type sizes (标准 / 大 / 较大 / 特大) and the high-contrast theme. The buttons show their
     state with aria-pressed; charts listen for clicks on [data-a11y] and redraw. */
  var sizes = ["", "zx-font-lg", "zx-font-xl", "zx-font-xxl"];
  function stored(key) {
    try { return localStorage.getItem(key); } catch (error) { return null; }
  }
  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (error) { /* private mode: this page only */ }
  }
  var state = {
    size: Math.min(Math.max(parseInt(stored("zx-font") || "0", 10) || 0, 0), sizes.length - 1),
    contrast: stored("zx-contrast") === "1"
  };
  function apply() {
    sizes.forEach(function (c, index) { if (c) root.classList.toggle(c, index === state.size); });
    root.classList.toggle("zx-contrast", state.contrast);
    document.querySelectorAll("[data-a11y]").forEach(function (button) {
      var action = button.getAttribute("data-a11y");
      if (action === "font") {
        button.setAttribute("aria-pressed", String(parseInt(button.getAttribute("data-size"), 10) === state.size));
      } else if (action === "contrast") {
        button.setAttribute("aria-pressed", String(state.contrast));
      }
    });
  }
  apply();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apply);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-a11y]");
    if (!button) return;
    var action = button.getAttribute("data-a11y");
    if (action === "font") {
      state.size = Math.min(Math.max(parseInt(button.getAttribute("data-size"), 10) || 0, 0), sizes.length - 1);
      store("zx-font", String(state.size));
    } else if (action === "contrast") {
      state.contrast = !state.contrast;
      store("zx-contrast", state.contrast ? "1" : "0");
    }
    apply();
  });
  /* The browser's own file chooser and date fields speak the browser's language ("Choose
     Files", "No file chosen", "mm/dd/yyyy"), whatever the page's: portal widgets in Chinese
     replace their faces. A file field keeps its native input (its label, keyboard use, the
     form's own validation and tests' set_input_files) laid transparently over a Chinese face;
     a date field becomes a labelled text field taking 2027-03-02 or 2027/3/2 (the formats the
     forms accept), with the format shown. */
  function fileNames(input) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) return "未选择文件";
    var names = files.map(function (file) { return file.name; }).join("、");
    return files.length > 1 ? "已选择 " + files.length + " 个文件：" + names : "已选择：" + names;
  }
  function enhanceFile(input) {
    if (input.getAttribute("data-zx-widget")) return;
    input.setAttribute("data-zx-widget", "file");
    var wrap = document.createElement("span");
    wrap.className = "zx-file";
    input.parentNode.insertBefore(wrap, input);
    var face = document.createElement("span");
    face.className = "zx-file-face";
    face.setAttribute("aria-hidden", "true");
    var button = document.createElement("span");
    button.className = "btn btn-outline-primary zx-file-button";
    button.textContent = input.multiple ? "选择文件（可多选）" : "选择文件";
    var names = document.createElement("span");
    names.className = "zx-file-names";
    names.textContent = fileNames(input);
    face.appendChild(button);
    face.appendChild(names);
    wrap.appendChild(face);
    wrap.appendChild(input);
    input.addEventListener("change", function () { names.textContent = fileNames(input); });
    if (input.form) {
      input.form.addEventListener("reset", function () {
        window.setTimeout(function () { names.textContent = fileNames(input); }, 0);
      });
    }
  }
  function enhanceDate(input) {
    if (input.getAttribute("data-zx-widget")) return;
    var withTime = input.type === "datetime-local";
    input.setAttribute("data-zx-widget", withTime ? "datetime" : "date");
    var value = input.value;
    input.type = "text";
    input.value = withTime ? value.replace("T", " ").slice(0, 16) : value;
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("autocomplete", "off");
    if (!input.placeholder) input.placeholder = withTime ? "年-月-日 时:分" : "年-月-日";
    var hint = document.createElement("span");
    hint.className = "form-text d-block zx-date-hint";
    hint.id = (input.id || input.name) + "-format";
    hint.textContent = withTime ? "格式：年-月-日 时:分，如 2027-03-02 14:30" : "格式：年-月-日，如 2027-03-02";
    input.insertAdjacentElement("afterend", hint);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? described + " " + hint.id : hint.id);
  }
  function enhance(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("input[type=file]").forEach(enhanceFile);
    root.querySelectorAll("input[type=date], input[type=datetime-local]").forEach(enhanceDate);
  }
  /* A table wider than the screen scrolls inside .table-responsive: keyboard users can only
     scroll it if it can take focus, so an overflowing one becomes a named, focusable group. */
  function scrollables(root) {
    (root || document).querySelectorAll(".table-responsive").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-zx-scroll", "1");
        if (!box.hasAttribute("role")) box.setAttribute("role", "group");
        var caption = box.querySelector("caption");
        var name = caption ? caption.textContent.trim() : "";
        box.setAttribute("aria-label", name ? name + "（可左右滚动）" : "表格（可左右滚动）");
      } else if (!overflows && box.getAttribute("data-zx-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-zx-scroll");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  enhance(document);
  scrollables(document);
  var scrollTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(scrollTimer);
    scrollTimer = window.setTimeout(function () { scrollables(document); }, 150);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail && event.detail.elt);
    scrollables(document);
  });

  /* Donut charts (ECharts) for every page's script: window.zxCharts.donut(element, rows,
     {palette, size, text, unit}) returns the option. No labels around the ring (they were cut
     off — "女 7…" — or ran into each other and into the legend): the legend lists every slice
     with its count and share, beside the ring when the chart is wide enough and under it
     otherwise, and the chart element is made tall enough for the whole list — so build the
     option before echarts.init, and again (then chart.resize()) when the width changes. */
  function textWidth(label, size) {
    var width = 0;
    for (var i = 0; i < label.length; i += 1) width += label.charCodeAt(i) > 0x2e7f ? 1 : 0.6;
    return width * size;
  }
  function donut(element, rows, options) {
    var size = options.size;
    var unit = options.unit || "";
    var total = rows.reduce(function (sum, row) { return sum + (row.value || 0); }, 0);
    var labels = {};
    rows.forEach(function (row) {
      var share = total ? Math.round((row.value / total) * 100) : 0;
      labels[row.name] = row.name + " " + row.value + " " + unit + "（" + share + "%）";
    });
    var width = element.clientWidth || 320;
    var lineHeight = Math.round(size * 1.9);
    var listWidth = Math.max.apply(null, rows.map(function (row) { return textWidth(labels[row.name], size); })) + 40;
    var listHeight = rows.length * lineHeight;
    var beside = width - listWidth >= 200;
    var ring = beside ? Math.min(width - listWidth - 24, 260) : Math.min(width - 16, 220);
    var height = beside ? Math.max(ring + 16, listHeight + 16) : ring + 24 + listHeight;
    element.style.height = Math.ceil(height) + "px";
    var legend = { orient: "vertical", textStyle: options.text, itemWidth: 18, itemHeight: 14, itemGap: lineHeight - size,
                   formatter: function (name) { return labels[name] || name; } };
    if (beside) { legend.left = ring + 24; legend.top = "middle"; } else { legend.left = 8; legend.top = ring + 24; }
    return {
      color: options.palette,
      textStyle: options.text,
      tooltip: { trigger: "item", formatter: "{b}：{c} " + unit + "（{d}%）", textStyle: { fontSize: size } },
      legend: legend,
      series: [{
        type: "pie",
        radius: [Math.round(ring * 0.27), Math.round(ring / 2)],
        center: beside ? [8 + ring / 2, height / 2] : [width / 2, 8 + ring / 2],
        label: { show: false },
        labelLine: { show: false },
        emphasis: { label: { show: false } },
        data: rows
      }]
    };
  }
  window.zxCharts = { donut: donut, textWidth: textWidth };

  /* Buttons that ask for confirmation: data-confirm="确定要……吗？" */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  /* A draft form that autosaves through htmx (hx-post, after typing or a short delay after
     leaving a field) and is also sent normally (保存 / 提交): once the form is sent, no autosave
     follows it — leaving the text box for the button schedules one, which would reach the
     server after the submission and be refused. (htmx's own submissions were prevented before
     this listener runs.) */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute || !form.hasAttribute("hx-post")) return;
    form.setAttribute("data-sent", "1");
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.target;
    var form = source && source.closest ? source.closest("form") : null;
    if (form && form.getAttribute("data-sent") === "1") event.preventDefault();
  });
  /* Back to a draft from the browser's page cache: it autosaves again. */
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      form.removeAttribute("data-sent");
    });
  });
})();
