/* A "find by name" box over a long list of check boxes (the practice form's partner
 * cities): progressive enhancement, the list works without it.
 *
 * Every <fieldset data-checkbox-filter="label"> gets a search field labelled with the
 * attribute's (translated) text. Typing hides the boxes whose label does not contain the
 * words, ignoring case and accents ("sao" finds "São Paulo"); ticked boxes always stay in
 * view, so nothing chosen is hidden. Enter in the box does not submit the form.
 */
(function () {
  "use strict";

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  document.querySelectorAll("fieldset[data-checkbox-filter]").forEach(function (group) {
    var items = Array.prototype.slice.call(group.querySelectorAll(".check"));
    var list = group.querySelector(".checkbox-columns");
    if (!items.length || !list) {
      return;
    }
    var id = group.id + "-filter";
    var wrapper = document.createElement("div");
    wrapper.className = "field checkbox-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = group.getAttribute("data-checkbox-filter");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    group.insertBefore(wrapper, list);

    var names = items.map(function (item) {
      return plain(item.textContent);
    });
    input.addEventListener("input", function () {
      var words = plain(input.value);
      items.forEach(function (item, index) {
        var box = item.querySelector("input");
        item.hidden = Boolean(words) && !(box && box.checked) && names[index].indexOf(words) === -1;
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  });
})();
