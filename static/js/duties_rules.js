/* The rule editor: "增加…" buttons add a blank row to their formset (from its <template>), and a
   category added on the page gets a key and appears at once in the items' 所属类别 lists, its
   name following what is typed. Without scripts the page still works: each formset has blank
   rows, and a new category can be chosen after saving once. */
(function () {
  "use strict";

  var editor = document.getElementById("rule-editor");
  if (!editor) return;
  var added = 0;

  function totalInput(prefix) {
    return editor.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
  }

  function categorySelects() {
    return editor.querySelectorAll("select[name^='item-'][name$='-category']");
  }

  function addOption(key, label) {
    categorySelects().forEach(function (select) {
      if (select.querySelector("option[value='" + key + "']")) return;
      var option = document.createElement("option");
      option.value = key;
      option.textContent = label || key;
      select.appendChild(option);
    });
  }

  function watchCategory(row) {
    var key = row.querySelector("input[name$='-key']");
    var name = row.querySelector("input[name$='-name']");
    if (!key || !name) return;
    name.addEventListener("input", function () {
      if (!key.value) return;
      categorySelects().forEach(function (select) {
        var option = select.querySelector("option[value='" + key.value + "']");
        if (option) option.textContent = name.value || key.value;
      });
    });
  }

  function addRow(prefix) {
    var template = editor.querySelector("template[data-empty='" + prefix + "']");
    var total = totalInput(prefix);
    if (!template || !total) return;
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = template.parentElement.querySelector("tbody") || template.parentElement;
    var scratch = document.createElement(holder.tagName === "TBODY" ? "tbody" : "div");
    scratch.innerHTML = html.trim();
    var row = scratch.firstElementChild;
    if (holder.tagName === "TBODY") {
      holder.appendChild(row);
    } else {
      holder.insertBefore(row, template);
    }
    total.value = String(index + 1);
    if (prefix === "category") {
      added += 1;
      var key = row.querySelector("input[name$='-key']");
      if (key) key.value = "new" + added;
      watchCategory(row);
      addOption(key ? key.value : "", "");
    }
    if (prefix === "item") {
      editor.querySelectorAll("tbody input[name^='category-'][name$='-key']").forEach(function (input) {
        if (!input.value) return;
        var name = input.closest("[data-row]").querySelector("input[name$='-name']");
        var select = row.querySelector("select[name$='-category']");
        if (select && !select.querySelector("option[value='" + input.value + "']")) {
          var option = document.createElement("option");
          option.value = input.value;
          option.textContent = (name && name.value) || input.value;
          select.appendChild(option);
        }
      });
    }
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  editor.querySelectorAll("[data-add]").forEach(function (button) {
    button.addEventListener("click", function () { addRow(button.getAttribute("data-add")); });
  });
  editor.querySelectorAll("table[data-formset='category'] tbody [data-row]").forEach(watchCategory);
})();
