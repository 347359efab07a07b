/* Map of the city directory: progressive enhancement over the table of cities.
 *
 * Reads the markers from <script id="city-map-data" type="application/json"> and draws them
 * with the vendored Leaflet into #city-map (hidden until this script runs, its room kept by
 * the stylesheet; removed when there is nothing to draw). No tile layer:
 * the portal makes no third-party requests, so the map is a plain background with a
 * 10-degree graticule for orientation. Each marker is a link to the city's page; keyboard
 * and screen-reader users have the same links in the table, so the markers stay out of the
 * tab order.
 */
(function () {
  "use strict";

  var container = document.getElementById("city-map");
  var source = document.getElementById("city-map-data");
  if (!container) {
    return;
  }
  var data = (source && JSON.parse(source.textContent)) || {};
  var markers = data.markers || [];
  if (!markers.length || typeof window.L === "undefined") {
    container.remove(); // nothing to draw: give back the room the stylesheet kept for it
    return;
  }
  var labels = data.labels || {};

  container.hidden = false;
  var map = L.map(container, {
    zoomControl: false,
    scrollWheelZoom: false,
    zoomSnap: 0.5,
    minZoom: 2,
    maxZoom: 12,
  });
  L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
  map.attributionControl.setPrefix(
    '<a href="https://leafletjs.com" rel="external noopener">Leaflet</a>'
  );

  var graticule = { color: "#9fb3c4", weight: 1, interactive: false };
  for (var lat = -60; lat <= 20; lat += 10) {
    L.polyline([[lat, -100], [lat, -20]], graticule).addTo(map);
  }
  for (var lon = -100; lon <= -20; lon += 10) {
    L.polyline([[-60, lon], [20, lon]], graticule).addTo(map);
  }

  function markerLink(marker) {
    var link = document.createElement("a");
    link.href = marker.url;
    link.className = "city-marker-link";
    link.title = marker.name;
    link.tabIndex = -1;
    var name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = marker.name;
    link.appendChild(name);
    return link;
  }

  var bounds = [];
  markers.forEach(function (marker) {
    var point = [marker.lat, marker.lon];
    bounds.push(point);
    L.marker(point, {
      icon: L.divIcon({ className: "city-marker", html: markerLink(marker), iconSize: [16, 16] }),
      interactive: false,
      keyboard: false,
    }).addTo(map);
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 8 });
})();
