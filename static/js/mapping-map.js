/* The joint map's markers: progressive enhancement of /mapping/.
 * Reads the cities and their top problems from the JSON the page embeds (json_script) and
 * draws them with the vendored Leaflet. No tile layer: nothing is fetched from the internet;
 * the map has a plain background and the table on the page holds the same information. */
(function () {
  "use strict";

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function popupFor(city, priorityLabel) {
    var box = element("div");
    var title = element("p");
    var strong = element("strong");
    var link = element("a", city.name);
    link.href = city.url;
    strong.appendChild(link);
    title.appendChild(strong);
    box.appendChild(title);
    var list = element("ol");
    list.className = "map-popup-problems";
    city.problems.forEach(function (problem) {
      var item = element("li");
      var problemLink = element("a", problem.name);
      problemLink.href = problem.url;
      item.appendChild(problemLink);
      item.appendChild(document.createTextNode(" (" + priorityLabel + " " + problem.priority + ")"));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function start() {
    var section = document.querySelector("[data-mapping-map]");
    var data = document.getElementById("mapping-map-data");
    var container = document.getElementById("mapping-map");
    if (!section || !data || !container || typeof window.L === "undefined") { return; }
    var cities = JSON.parse(data.textContent);
    if (!cities.length) { return; }
    section.hidden = false;
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", container.dataset.labelMap || "Map");
    var map = window.L.map(container, {
      attributionControl: false,
      zoomSnap: 0.5,
      fadeAnimation: false,
      zoomAnimation: false,
      markerZoomAnimation: false
    });
    var points = [];
    cities.forEach(function (city) {
      var icon = window.L.divIcon({ className: "map-pin", html: "", iconSize: [18, 18] });
      var marker = window.L
        .marker([city.lat, city.lon], { icon: icon, title: city.name, keyboard: true })
        .bindPopup(popupFor(city, container.dataset.labelPriority || "priority"))
        .bindTooltip(city.name, { permanent: true, direction: "right", offset: [8, 0] })
        .addTo(map);
      // The popup's close button goes with the popup: give the focus back to the marker
      // rather than let it fall to the top of the page.
      marker.on("popupclose", function () {
        var active = document.activeElement;
        if (!active || active === document.body) { marker.getElement().focus(); }
      });
      points.push([city.lat, city.lon]);
    });
    map.fitBounds(points, { padding: [40, 40], maxZoom: 7 });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
