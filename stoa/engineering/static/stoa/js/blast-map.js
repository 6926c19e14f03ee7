/* The blast stand-off map: the site, its zones and the rings round the assumed device location.
 * Data from the json_script block "blast-data" (the CSP forbids inline scripts). Every ring has a
 * colour AND a permanent label with its name, radius and people count, and the legend repeats them. */
(function () {
  "use strict";
  var data = StoaMap.readJSON("blast-data");
  var element = document.getElementById("blast-map");
  if (!data || !element || !data.centre) { return; }
  var made = StoaMap.create(element, data.config || {});
  var map = made.map;
  var latlng = [data.centre[1], data.centre[0]];
  if (data.site) {
    L.geoJSON(data.site, { interactive: false, style: { color: "#333333", weight: 2, fill: false } }).addTo(map);
  }
  if (data.zones) {
    L.geoJSON(data.zones, { style: { color: "#5c6b7a", weight: 1, fillOpacity: 0.15 } })
      .bindTooltip(function (layer) { return layer.feature.properties.name; }).addTo(map);
  }
  var group = L.featureGroup().addTo(map);
  data.rings.forEach(function (ring, i) {
    var dashed = ring.kind === "injury" || ring.kind === "damage";
    var circle = L.circle(latlng, {
      radius: ring.radius, color: ring.colour, weight: 2, fill: false, dashArray: dashed ? "6 4" : null
    }).addTo(group);
    circle.bindTooltip(ring.label, { direction: "top", offset: [0, 0] });
    // A permanent label on the ring's north edge, so the map reads without colour and without a pointer.
    var north = L.latLng(latlng[0] + ring.radius / 111320, latlng[1]);
    L.marker(north, { opacity: 0, interactive: false, keyboard: false })
      .bindTooltip(String(i + 1), { permanent: true, direction: "top", className: "ring-label" }).addTo(group);
  });
  L.circleMarker(latlng, { radius: 5, color: "#000000", fillOpacity: 1 }).bindTooltip(data.labels.centre).addTo(map);
  StoaMap.legend(document.getElementById("blast-legend"), data.labels.legend, data.rings.map(function (ring, i) {
    return { label: (i + 1) + ". " + ring.label, outline: ring.colour };
  }));
  StoaMap.frame(map, [group]);
}());
