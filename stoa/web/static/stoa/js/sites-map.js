/* The list page map: every public space the user may see, coloured by category or by priority.
 * The table beside it is the text alternative; both follow the same filters. The map loads its
 * GeoJSON from the address in "sites-map-source" (every space the filters keep, while the table
 * shows a page of them); when HTMX replaces the table with other filters, the map loads again.
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
  var data = { type: "FeatureCollection", features: [] };
  var loadedUrl = null;

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

  /* The feed sends what features share once (categories, bands) and each feature's indexes into them. */
  function expand(feed, detailUrl) {
    var categories = feed.categories || [];
    var bands = feed.bands || [];
    (feed.features || []).forEach(function (feature) {
      var p = feature.properties;
      var category = categories[p.category] || { label: "", colour: "#6c757d" };
      var band = bands[p.band] || { key: "", label: "", colour: "#6c757d" };
      p.id = feature.id;
      p.url = detailUrl.replace("00000000-0000-0000-0000-000000000000", feature.id);
      p.category = category.label;
      p.colour = category.colour;
      p.band = band.key;
      p.band_label = band.label;
      p.band_colour = band.colour;
      p.shared = !!p.shared;
    });
    return { type: "FeatureCollection", features: feed.features || [] };
  }

  function load() {
    var source = document.getElementById("sites-map-source");
    if (!source || source.dataset.url === loadedUrl) { return; }
    var url = source.dataset.url;
    loadedUrl = url;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("map data: " + response.status); }
        return response.json();
      })
      .then(function (feed) {
        if (url !== loadedUrl) { return; }  // newer filters were chosen meanwhile
        data = expand(feed, source.dataset.detailUrl);
        draw(true);
      })
      .catch(function (error) {
        if (url === loadedUrl) { loadedUrl = null; }
        window.console.error(error);
      });
  }

  function draw(refit) {
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
    if (event.detail && event.detail.target && event.detail.target.id === "site-results") { load(); }
  });

  draw(true);
  load();
})();
