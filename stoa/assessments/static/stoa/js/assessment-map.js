/* Map of one assessment, read-only: the site's outline, zones and access points for context, the
 * existing measures (M1…) and the scenario locations (S1…). Data comes from the json_script named
 * by the map element's data-map-data (see partials/assessment_map.html); no inline script or style.
 *
 * window.StoaAssessmentMap.get(id) gives the drawn map to assessment-draw.js, which adds drawing.
 * Scenario cards may carry data-map-feature (the id of a json_script holding their saved location,
 * or null): those replace the page's scenario data, and are read again after every HTMX swap.
 */
(function () {
  "use strict";

  if (!window.L || !window.StoaMap) { return; }
  var S = window.StoaMap;
  var STYLES = {
    measures: { color: "#0b6e69", weight: 3, fillColor: "#12a39b", fillOpacity: 0.3 },
    scenarios: { color: "#a4161a", weight: 3, dashArray: "6 4", fillColor: "#e5383b", fillOpacity: 0.2 }
  };
  var KIND_CLASS = { measures: "measure", scenarios: "scenario" };
  var ZONE_STYLE = { color: "#4a4a4a", weight: 2, dashArray: "5 3", fillColor: "#ffd166", fillOpacity: 0.3 };
  var instances = {};

  function codeIcon(className, code) {
    var width = Math.max(26, 9 * String(code).length + 10);
    return L.divIcon({
      className: "am-marker " + className,
      html: S.el("span", code),
      iconSize: [width, 22],
      iconAnchor: [width / 2, 11],
      tooltipAnchor: [width / 2, 0]
    });
  }

  /* One layer per feature, each labelled with its code (on the mark) and its name (tooltip). */
  function featureLayer(kind, feature) {
    var props = feature.properties || {};
    var title = (props.code ? props.code + " " : "") + (props.name || "");
    var layer = null;
    L.geoJSON(feature, {
      pmIgnore: true,
      style: STYLES[kind],
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, { icon: codeIcon("am-" + KIND_CLASS[kind], props.code || "•"), title: title, alt: title,
                                  pmIgnore: true, keyboard: true });
      },
      onEachFeature: function (f, shape) { layer = shape; }
    });
    return layer;
  }

  function labelLayer(kind, layer, feature) {
    var props = feature.properties || {};
    if (layer instanceof L.Marker) {
      layer.bindTooltip(S.el("span", props.name || ""), { direction: "top" });
    } else {
      layer.bindTooltip(S.el("span", props.code || props.name || ""), {
        permanent: true, direction: "center", className: "am-label am-label-" + KIND_CLASS[kind]
      });
    }
  }

  /* The page's scenario data, with each card's own saved location in place of the page's. */
  function scenarioCollection(pageData) {
    var cards = document.querySelectorAll("[data-map-feature]");
    if (!cards.length) { return pageData; }
    var byId = {};
    var order = [];
    (pageData.features || []).forEach(function (f) { byId[f.properties.id] = f; order.push(f.properties.id); });
    Array.prototype.forEach.call(cards, function (card) {
      var id = card.dataset.scenarioId;
      var feature = S.readJSON(card.dataset.mapFeature);
      if (order.indexOf(id) < 0) { order.push(id); }
      byId[id] = feature || null;
    });
    return { type: "FeatureCollection", features: order.map(function (id) { return byId[id]; }).filter(Boolean) };
  }

  function draw(element) {
    var data = S.readJSON(element.dataset.mapData);
    if (!data) { return null; }
    var config = data.config || {};
    var labels = config.labels || {};
    var created = S.create(element, config);
    var map = created.map;
    var site = data.site || { type: "FeatureCollection", features: [] };
    var siteColour = site.features.length ? site.features[0].properties.colour : "#1d4e89";

    var boundary = L.geoJSON(site, {
      pmIgnore: true, interactive: false,
      style: { color: siteColour, weight: 3, fillColor: siteColour, fillOpacity: 0.06 },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 6, color: siteColour, pmIgnore: true }); }
    }).addTo(map);
    var zones = L.geoJSON(data.zones || { type: "FeatureCollection", features: [] }, {
      pmIgnore: true, style: ZONE_STYLE,
      onEachFeature: function (f, shape) { shape.bindTooltip(S.el("span", f.properties.name), { sticky: true }); }
    }).addTo(map);
    var access = L.geoJSON(data.access_points || { type: "FeatureCollection", features: [] }, {
      pmIgnore: true,
      pointToLayer: function (f, latlng) {
        var name = f.properties.name + " — " + f.properties.kind_label;
        return L.marker(latlng, { icon: S.accessIcon(f.properties.kind), title: name, alt: name, pmIgnore: true });
      }
    }).addTo(map);
    var groups = { measures: L.featureGroup().addTo(map), scenarios: L.featureGroup().addTo(map) };
    var current = { measures: data.measures, scenarios: data.scenarios };
    var hidden = {};  // "kind:id" of saved shapes hidden while being replaced or cleared

    function render(kind) {
      var group = groups[kind];
      group.clearLayers();
      var collection = kind === "scenarios" ? scenarioCollection(current.scenarios || { features: [] })
        : (current.measures || { features: [] });
      var added = [];
      (collection.features || []).forEach(function (feature) {
        if (hidden[kind + ":" + feature.properties.id]) { return; }
        var layer = featureLayer(kind, feature);
        if (layer) { group.addLayer(layer); added.push([layer, feature]); }
      });
      return added;
    }

    var pending = render("measures").concat(render("scenarios").map(function (pair) { pair.push("scenarios"); return pair; }));
    S.frame(map, [boundary, groups.measures, groups.scenarios, zones, access, created.outline], 19);
    // Permanent tooltips only once the map has a view (Leaflet fails on them before).
    pending.forEach(function (entry) { labelLayer(entry[2] || "measures", entry[0], entry[1]); });

    function redraw(kind) {
      render(kind).forEach(function (pair) { labelLayer(kind, pair[0], pair[1]); });
    }

    var entries = [{ label: labels.boundary, colour: siteColour }];
    if ((data.zones || {}).features && data.zones.features.length) {
      entries.push({ label: labels.zone, colour: ZONE_STYLE.fillColor, outline: ZONE_STYLE.color });
    }
    (data.access_kinds || []).forEach(function (kind) {
      entries.push({ label: S.ACCESS_LETTERS[kind.kind] + " — " + kind.label, className: "ap-key ap-" + kind.kind });
    });
    entries.push({ label: "M1, M2… — " + labels.measure, className: "am-key am-measure" });
    entries.push({ label: "S1, S2… — " + labels.scenario, className: "am-key am-scenario" });
    if (created.outline) { entries.push({ label: labels.city_outline, outline: "#5c6b7a" }); }
    S.legend(document.getElementById(element.id + "-legend"), labels.legend, entries);

    var instance = {
      map: map,
      element: element,
      labels: labels,
      config: config,
      groups: groups,
      redraw: redraw,
      /* Hide (or show again) the saved shape of one item, e.g. while the user redraws it. */
      hide: function (kind, id, yes) {
        if (yes) { hidden[kind + ":" + id] = true; } else { delete hidden[kind + ":" + id]; }
        redraw(kind);
      },
      draftIcon: function () { return codeIcon("am-draft", "+"); }
    };
    document.body.addEventListener("htmx:afterSettle", function () { redraw("scenarios"); });
    return instance;
  }

  var maps = document.querySelectorAll(".assessment-map[data-map-data]");
  Array.prototype.forEach.call(maps, function (element) {
    var instance = draw(element);
    if (instance) { instances[element.id] = instance; }
  });

  window.StoaAssessmentMap = { get: function (id) { return instances[id] || null; } };
})();
