// The key-figure form's readback: as the editor types, the figure as each language writes it
// ("61 billion yuan" / "610亿元", with its year and growth), or why it cannot be right.
// Without JavaScript the read-only field shows the saved figure instead.
(function () {
  "use strict";

  var FIELDS = { value: "id_value", unit: "id_unit", qualifier: "id_qualifier", year: "id_year",
    period: "id_period", growth: "id_growth_percent" };

  function start() {
    var area = document.querySelector(".figure-readback[data-readback-url]");
    var form = area && area.closest("form");
    if (!form) {
      return;
    }
    var url = area.getAttribute("data-readback-url");
    var timer = null;
    var latest = 0;

    function query() {
      var params = new URLSearchParams();
      Object.keys(FIELDS).forEach(function (name) {
        var input = document.getElementById(FIELDS[name]);
        if (input) {
          params.set(name, input.value.trim());
        }
      });
      return params;
    }

    function line(language, text) {
      var span = document.createElement("span");
      span.className = "figure-readback-line";
      span.lang = language;
      span.textContent = text || "—";
      return span;
    }

    function show(data) {
      var lines = [];
      if (data.texts) {
        Object.keys(data.texts).forEach(function (language) {
          lines.push(line(language, data.texts[language].text));
        });
      } else if (data.errors) {
        Object.keys(data.errors).forEach(function (name) {
          data.errors[name].forEach(function (message) {
            var span = line("", message);
            span.removeAttribute("lang");
            span.className = "figure-readback-line figure-readback-error";
            lines.push(span);
          });
        });
      }
      area.replaceChildren.apply(area, lines);
    }

    function refresh() {
      var ask = ++latest;
      fetch(url + "?" + query().toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (ask === latest) {
            show(data);
          }
        })
        .catch(function () { /* the saved figure's readback stays */ });
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    }

    Object.keys(FIELDS).forEach(function (name) {
      var input = document.getElementById(FIELDS[name]);
      if (input) {
        input.addEventListener("input", soon);
        input.addEventListener("change", soon);
      }
    });
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
