/* Create / edit page of a public space: draw its boundary on the map (leaflet-geoman).
 * The drawn polygon is written as GeoJSON into the form's boundary field, which is also the
 * keyboard alternative: text typed or pasted there is drawn on the map.
 */
(function () {
  "use strict";

  var element = document.getElementById("map");
  var input = document.getElementById("id_boundary");
  if (!element || !input || !window.L || !window.StoaMap) { return; }
  var S = window.StoaMap;
  var config = S.readJSON("map-config") || {};
  var labels = config.labels || {};
  var created = S.create(element, config);
  var map = created.map;
  var status = document.getElementById("draw-status");
  var boundary = null;
  var BOUNDARY_STYLE = { color: "#1d4e89", weight: 3, fillColor: "#1d4e89", fillOpacity: 0.2 };

  function announce(text) { if (status) { status.textContent = text || ""; } }

  // Other spaces, faint and not editable, so the new outline can be placed beside them.
  var context = L.geoJSON(S.readJSON("context-sites") || { type: "FeatureCollection", features: [] }, {
    pmIgnore: true,
    interactive: true,
    style: { color: "#6c757d", weight: 1, fillOpacity: 0.1, dashArray: "3 3" },
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 5, color: "#6c757d", pmIgnore: true }); },
    onEachFeature: function (f, shape) { shape.bindTooltip(S.el("span", f.properties.name), { sticky: true }); }
  }).addTo(map);

  function writeField() {
    input.value = boundary ? JSON.stringify(boundary.toGeoJSON().geometry) : "";
  }

  function watch(layer) {
    layer.on("pm:edit pm:update pm:dragend", writeField);
  }

  function setBoundary(layer, write) {
    if (boundary && boundary !== layer) { map.removeLayer(boundary); }
    boundary = layer;
    if (boundary) {
      boundary.setStyle(BOUNDARY_STYLE);
      watch(boundary);
    }
    if (write) { writeField(); }
  }

  function parseField() {
    var text = input.value.trim();
    if (!text) { return null; }
    try {
      var data = JSON.parse(text);
      if (data.type === "FeatureCollection" && data.features && data.features.length === 1) { data = data.features[0]; }
      if (data.type === "Feature") { data = data.geometry; }
      if (!data || data.type !== "Polygon") { return null; }
      var polygon = null;
      L.geoJSON(data, { onEachFeature: function (f, shape) { polygon = shape; } });
      return polygon;
    } catch (e) {
      return null;
    }
  }

  function drawFromField(refit) {
    var polygon = parseField();
    if (!polygon) {
      if (input.value.trim()) { announce(labels.bad_text); }
      return;
    }
    polygon.addTo(map);
    setBoundary(polygon, false);
    if (refit) { S.frame(map, [polygon]); }
  }

  if (map.pm) {
    map.pm.setLang(config.lang === "fr" ? "fr" : "en");
    map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: true, snapDistance: 15 });
    map.pm.addControls({
      position: "topleft",
      drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawCircle: false, drawText: false,
      drawRectangle: true, drawPolygon: true,
      cutPolygon: false, rotateMode: false, editMode: true, dragMode: true, removalMode: true
    });
    S.labelDrawControls(map);
    map.on("pm:create", function (event) {
      setBoundary(event.layer, true);
      announce(labels.drawn);
    });
    map.on("pm:remove", function (event) {
      if (event.layer === boundary) { boundary = null; writeField(); }
    });
  }

  document.getElementById("draw-boundary").addEventListener("click", function () {
    if (!map.pm) { return; }
    map.pm.enableDraw("Polygon");
    announce(labels.draw_hint);
    element.focus();
  });
  document.getElementById("clear-boundary").addEventListener("click", function () {
    if (boundary) { map.removeLayer(boundary); boundary = null; }
    writeField();
    announce("");
  });
  input.addEventListener("change", function () { drawFromField(true); });

  drawFromField(false);
  S.frame(map, [boundary, context, created.outline]);
})();
