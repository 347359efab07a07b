/* Delegate rows of the registration forms: progressive enhancement of the "more rows" button.
 *
 * Without JavaScript the button submits the form, and the server answers the same page with
 * everything typed kept and more empty rows. With it, the rows are added in place from the
 * <template> of an empty row (its "__prefix__" and "__number__" replaced), the formset's
 * TOTAL_FORMS raised, and the focus moved to the first new name field.
 */
(function () {
  "use strict";

  var button = document.querySelector("button[data-add-rows]");
  if (!button) {
    return;
  }
  var form = button.form;
  var rows = document.getElementById(button.getAttribute("data-rows"));
  var template = document.getElementById(button.getAttribute("data-template"));
  var total = form && form.querySelector('input[name$="-TOTAL_FORMS"]');
  var max = form && form.querySelector('input[name$="-MAX_NUM_FORMS"]');
  if (!rows || !template || !total) {
    return;
  }
  var step = parseInt(button.getAttribute("data-add-rows"), 10) || 1;
  var limit = max ? parseInt(max.value, 10) : Infinity;

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var count = parseInt(total.value, 10) || 0;
    var first = null;
    for (var added = 0; added < step && count < limit; added += 1, count += 1) {
      var html = template.innerHTML
        .replace(/__prefix__/g, String(count))
        .replace(/__number__/g, String(count + 1));
      rows.insertAdjacentHTML("beforeend", html);
      if (!first) {
        first = rows.lastElementChild;
      }
    }
    total.value = String(count);
    if (count >= limit) {
      button.hidden = true;
    }
    var field = first && first.querySelector("input:not([type=hidden])");
    if (field) {
      field.focus();
    }
  });
})();
