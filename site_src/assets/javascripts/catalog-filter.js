// Filters the course table of a year's catalog page by specialty, module and form.
// Without JavaScript the form stays hidden and the full table is shown.
(function () {
  "use strict";
  function setup() {
    var form = document.getElementById("ce-course-filter");
    var table = document.getElementById("ce-course-table");
    if (!form || !table || form.dataset.ready) return;
    form.dataset.ready = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = form.querySelector("output");
    function apply() {
      var specialty = form.elements.specialty.value;
      var module = form.elements.module.value;
      var kind = form.elements.form.value;
      var shown = 0;
      rows.forEach(function (row) {
        var specialties = row.dataset.specialties ? row.dataset.specialties.split(" ") : [];
        var ok = (!module || row.dataset.module === module) &&
          (!kind || row.dataset.form === kind) &&
          // A course without listed specialties is open to every specialty.
          (!specialty || specialties.length === 0 || specialties.indexOf(specialty) >= 0);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 门课程";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
