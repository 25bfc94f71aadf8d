/* Conditional questions: hide a question while the answer it depends on does not match.
   Only an improvement: without this script every question stays, saying when it applies,
   and the server drops the answers of questions that do not apply. */
(function () {
  "use strict";

  function answered(name) {
    var values = [];
    document.getElementsByName(name).forEach(function (control) {
      if (control.type === "radio" || control.type === "checkbox") {
        if (control.checked) values.push(control.value);
      } else {
        values.push(control.value);
      }
    });
    return values;
  }

  function update() {
    document.querySelectorAll("[data-show-if]").forEach(function (input) {
      var wanted = JSON.parse(input.getAttribute("data-show-values") || "[]");
      var show = answered(input.getAttribute("data-show-if")).some(function (value) {
        return wanted.indexOf(value) >= 0;
      });
      var field = input.closest(".field");
      if (field) field.hidden = !show;
    });
  }

  document.addEventListener("change", update);
  document.addEventListener("DOMContentLoaded", function () {
    update();
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();
