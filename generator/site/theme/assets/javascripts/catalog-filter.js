// A year's catalog page, enhanced: the specialty links (each a page of its own without
// JavaScript) filter the table in place, the module and form selects appear, the choice
// is kept in the address (?specialty=…&module=…&form=…) and an empty result offers a
// reset. Without JavaScript the links lead to the specialty pages, the selects stay hidden
// and the whole table is shown.
(function () {
  "use strict";
  var KEYS = ["specialty", "module", "form"];

  function setup() {
    var table = document.getElementById("ce-course-table");
    var form = document.getElementById("ce-course-filter");
    if (!table || !form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var links = Array.prototype.slice.call(document.querySelectorAll("a[data-ce-specialty]"));
    var empty = document.getElementById("ce-course-empty");
    var count = form.querySelector("output");
    // A Map, not a plain object: a visitor's ?specialty=constructor (or __proto__) must not
    // find Object.prototype's properties and take them for a specialty.
    var names = new Map();
    links.forEach(function (a) { names.set(a.dataset.ceSpecialty, a.textContent); });

    function fromUrl() {
      var params = new URLSearchParams(location.search);
      var state = {};
      KEYS.forEach(function (k) { state[k] = params.get(k) || ""; });
      if (!names.has(state.specialty)) state.specialty = "";
      return state;
    }

    function toUrl(state) {
      var params = new URLSearchParams();
      KEYS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
      var query = params.toString();
      return location.pathname + (query ? "?" + query : "") + location.hash;
    }

    var state = fromUrl();

    function apply() {
      form.elements.module.value = state.module;
      form.elements.form.value = state.form;
      if (form.elements.module.value !== state.module) state.module = "";
      if (form.elements.form.value !== state.form) state.form = "";
      var shown = 0;
      rows.forEach(function (row) {
        var specialties = row.dataset.specialties ? row.dataset.specialties.split(" ") : [];
        var ok = (!state.module || row.dataset.module === state.module) &&
          (!state.form || row.dataset.form === state.form) &&
          // A course without listed specialties is open to every specialty.
          (!state.specialty || specialties.length === 0 || specialties.indexOf(state.specialty) >= 0);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      links.forEach(function (a) {
        if (a.dataset.ceSpecialty === state.specialty) a.setAttribute("aria-current", "page");
        else a.removeAttribute("aria-current");
      });
      var what = state.specialty ? names.get(state.specialty) + "专业及各专业均可选的课程" : "课程";
      count.textContent = "显示" + what + " " + shown + " / " + rows.length + " 门";
      empty.hidden = shown > 0;
      table.hidden = shown === 0;
    }

    function choose(change) {
      KEYS.forEach(function (k) {
        if (Object.prototype.hasOwnProperty.call(change, k)) state[k] = change[k];
      });
      history.pushState(null, "", toUrl(state));
      apply();
    }

    links.forEach(function (a) {
      a.addEventListener("click", function (event) {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        choose({specialty: a.dataset.ceSpecialty});
      });
    });
    form.addEventListener("change", function () {
      choose({module: form.elements.module.value, form: form.elements.form.value});
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    empty.querySelector("[data-ce-reset]").addEventListener("click", function () {
      choose({specialty: "", module: "", form: ""});
    });
    window.addEventListener("popstate", function () { state = fromUrl(); apply(); });
    form.hidden = false;
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
