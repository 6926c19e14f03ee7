/* The vehicle run-up map: the site, its perimeter points and the worst approach paths, each
 * segment coloured by the speed the vehicle has there. Data from the json_script block
 * "vehicle-data" (the CSP forbids inline scripts). Colour never carries the speed alone: every
 * point has a permanent numbered label matching the table, each path a tooltip with its class
 * and speed, and the legend names each speed band. */
(function () {
  "use strict";
  var data = StoaMap.readJSON("vehicle-data");
  var element = document.getElementById("vehicle-map");
  if (!data || !element) { return; }
  var made = StoaMap.create(element, data.config || {});
  var map = made.map;
  var site = null;
  if (data.site) {
    site = L.geoJSON(data.site, { interactive: false, style: { color: "#333333", weight: 2, fill: false } }).addTo(map);
  }
  if (data.zones) {
    L.geoJSON(data.zones, { style: { color: "#5c6b7a", weight: 1, fillOpacity: 0.1 } })
      .bindTooltip(function (layer) { return layer.feature.properties.name; }).addTo(map);
  }
  function colour(kmh) {
    var chosen = data.bands[0].colour;
    data.bands.forEach(function (band) { if (kmh >= band.floor) { chosen = band.colour; } });
    return chosen;
  }
  var worst = {};
  data.points.forEach(function (p) { worst[p.n] = p.worst; });
  var paths = L.featureGroup().addTo(map);
  var points = L.featureGroup().addTo(map);

  function draw(vehicleClass) {
    paths.clearLayers();
    data.paths.forEach(function (path) {
      var shown = vehicleClass ? path["class"] === vehicleClass : worst[path.point] === path["class"];
      if (!shown) { return; }
      for (var i = 1; i < path.coords.length; i += 1) {
        var a = path.coords[i - 1], b = path.coords[i];
        var kmh = path.speeds[i];
        L.polyline([[a[1], a[0]], [b[1], b[0]]], { color: colour(kmh), weight: 6, opacity: 0.9 })
          .bindTooltip(path["class"] + ": " + Math.round(kmh) + " km/h").addTo(paths);
      }
    });
  }
  data.points.forEach(function (p) {
    var marker = L.circleMarker([p.lonlat[1], p.lonlat[0]], {
      radius: 7, color: "#000000", weight: 2, fillColor: p.stopped ? "#ffffff" : "#000000", fillOpacity: 1
    }).bindTooltip(p.label).addTo(points);
    L.marker([p.lonlat[1], p.lonlat[0]], { opacity: 0, interactive: false, keyboard: false })
      .bindTooltip(String(p.n), { permanent: true, direction: "right", className: "ring-label" }).addTo(points);
    return marker;
  });
  var select = document.getElementById("vehicle-class");
  if (select) { select.addEventListener("change", function () { draw(select.value); }); }
  draw("");
  StoaMap.legend(document.getElementById("vehicle-legend"), data.labels.legend, data.bands.map(function (band) {
    return { label: band.label, colour: band.colour };
  }));
  // The whole site and every path in view (the paths alone would cut the site off at the edge).
  StoaMap.frame(map, [L.featureGroup([site, paths, points].filter(Boolean))]);
}());
