/* The list page map: every public space the user may see, coloured by category or by priority.
 * The table beside it is the text alternative; both follow the same filters. When HTMX replaces
 * the table, the map redraws from the new "sites-data" element.
 */
(function () {
  "use strict";

  var element = document.getElementById("map");
  if (!element || !window.L || !window.StoaMap) { return; }
  var S = window.StoaMap;
  var config = S.readJSON("map-config") || {};
  var labels = config.labels || {};
  var created = S.create(element, config);
  var map = created.map;
  var layer = null;
  var mode = "category";

  function colourOf(props) {
    return mode === "priority" ? props.band_colour : props.colour;
  }

  function legendEntries(data) {
    if (mode === "priority") {
      return (S.readJSON("priority-legend") || []).map(function (entry) {
        return { label: entry.label, colour: entry.colour };
      });
    }
    var seen = {};
    var entries = [];
    data.features.forEach(function (feature) {
      var p = feature.properties;
      if (!seen[p.category]) {
        seen[p.category] = true;
        entries.push({ label: p.category, colour: p.colour });
      }
    });
    entries.sort(function (a, b) { return a.label.localeCompare(b.label); });
    if (created.outline) { entries.push({ label: labels.city_outline, outline: "#5c6b7a" }); }
    return entries;
  }

  function draw(refit) {
    var data = S.readJSON("sites-data") || { type: "FeatureCollection", features: [] };
    if (layer) { map.removeLayer(layer); }
    layer = L.geoJSON(data, {
      style: function (feature) {
        var colour = colourOf(feature.properties);
        return { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.35 };
      },
      pointToLayer: function (feature, latlng) {
        var colour = colourOf(feature.properties);
        return L.circleMarker(latlng, { radius: 8, color: colour, fillColor: colour, fillOpacity: 0.8 });
      },
      onEachFeature: function (feature, shape) {
        shape.bindPopup(S.sitePopup(feature.properties, labels));
        shape.bindTooltip(S.el("span", feature.properties.name), { sticky: true });
      }
    }).addTo(map);
    if (refit) { S.frame(map, [layer, created.outline]); }
    S.legend(document.getElementById("map-legend"), (mode === "priority" ? labels.priority : labels.category),
             legendEntries(data));
  }

  document.querySelectorAll("input[name='colour-mode']").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (radio.checked) { mode = radio.value; draw(false); }
    });
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "site-results") { draw(true); }
  });

  draw(true);
})();
