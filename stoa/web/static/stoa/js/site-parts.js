/* Page of one public space: its boundary, labelled zones and access points on the map, and
 * drawing or moving zones and access points for the forms below the map (leaflet-geoman).
 *
 * Each add/edit form that has a shape carries data-draws (Polygon or Marker), data-kind and
 * data-geometry-input (the id of its GeoJSON text field, the keyboard alternative). Forms are
 * posted with HTMX; after every swap the layers are redrawn from the sections' json_script data.
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
  var canEdit = element.dataset.canEdit === "true" && Boolean(map.pm);
  var status = document.getElementById("draw-status");
  var site = S.readJSON("site-data") || { type: "FeatureCollection", features: [] };
  var siteColour = site.features.length ? site.features[0].properties.colour : "#1d4e89";
  var ZONE_STYLE = { color: "#4a4a4a", weight: 2, dashArray: "5 3", fillColor: "#ffd166", fillOpacity: 0.35 };
  var EDIT_STYLE = { color: "#d35400", weight: 3, dashArray: null, fillColor: "#f39c12", fillOpacity: 0.35 };

  var boundary = L.geoJSON(site, {
    style: { color: siteColour, weight: 3, fillColor: siteColour, fillOpacity: 0.08 }
  }).addTo(map);
  var zones = L.featureGroup().addTo(map);
  var points = L.featureGroup().addTo(map);
  var byId = {};
  var framed = false;
  var draft = null;       // a shape just drawn for an add form
  var drawingFor = null;  // the add form the next drawn shape belongs to
  var editing = null;     // { layer, form } while an edit form is open

  function announce(text) { if (status) { status.textContent = text || ""; } }

  function geometryInput(form) { return document.getElementById(form.dataset.geometryInput); }

  function writeGeometry(form, layer) {
    var input = geometryInput(form);
    if (input && layer) { input.value = JSON.stringify(layer.toGeoJSON().geometry); }
  }

  function shapeFor(geometry, kind, props) {
    var shape = null;
    L.geoJSON(geometry, {
      style: ZONE_STYLE,
      pointToLayer: function (f, latlng) {
        var name = props ? props.name : "";
        return L.marker(latlng, { icon: S.accessIcon(props ? props.kind : "mixed"), title: name, alt: name });
      },
      onEachFeature: function (f, layer) { shape = layer; }
    });
    return shape;
  }

  function render() {
    zones.clearLayers();
    points.clearLayers();
    byId = {};
    var zoneData = S.readJSON("zones-data") || { features: [] };
    var pointData = S.readJSON("access-points-data") || { features: [] };
    zoneData.features.forEach(function (f) {
      var shape = shapeFor(f.geometry, "zones", f.properties);
      if (shape) { zones.addLayer(shape); byId["zones:" + f.properties.id] = { layer: shape, props: f.properties }; }
    });
    pointData.features.forEach(function (f) {
      var shape = shapeFor(f.geometry, "access-points", f.properties);
      if (shape) { points.addLayer(shape); byId["access-points:" + f.properties.id] = { layer: shape, props: f.properties }; }
    });
    if (!framed) {
      S.frame(map, [boundary, zones, points, created.outline]);
      framed = true;
    }
    // Tooltips only after the map has a view (Leaflet fails on permanent tooltips before).
    Object.keys(byId).forEach(function (key) {
      var entry = byId[key];
      var p = entry.props;
      if (key.indexOf("zones:") === 0) {
        entry.layer.bindTooltip(S.el("span", p.name), { permanent: true, direction: "center", className: "zone-label" });
      } else {
        var text = p.name + " — " + p.kind_label + ", " + labels.width.replace("%(metres)s", p.width);
        entry.layer.bindTooltip(S.el("span", text), { direction: "top" });
      }
    });
  }

  function stopEditing() {
    if (editing) {
      if (editing.layer.pm) { editing.layer.pm.disable(); }
      editing = null;
    }
  }

  function clearDraft() {
    if (draft) { map.removeLayer(draft); draft = null; }
  }

  function startEditing(form) {
    var entry = byId[form.dataset.kind + ":" + form.dataset.editId];
    if (!entry || !entry.layer.pm) { return; }
    editing = { layer: entry.layer, form: form };
    if (entry.layer.setStyle) { entry.layer.setStyle(EDIT_STYLE); }
    entry.layer.pm.enable({ allowSelfIntersection: false, draggable: true });
    entry.layer.on("pm:edit pm:dragend pm:markerdragend", function () { writeGeometry(form, entry.layer); });
    announce(labels.edit_hint);
  }

  function syncForms() {
    stopEditing();
    if (drawingFor && !document.body.contains(drawingFor)) {
      drawingFor = null;
      clearDraft();
      if (map.pm) { map.pm.disableDraw(); }
    }
    if (!canEdit) { return; }
    var form = document.querySelector("form[data-edit-id]");
    if (form) { startEditing(form); }
  }

  function legend() {
    var entries = [
      { label: labels.boundary, colour: siteColour },
      { label: labels.zone, colour: ZONE_STYLE.fillColor, outline: ZONE_STYLE.color }
    ];
    (S.readJSON("access-kinds") || []).forEach(function (kind) {
      entries.push({ label: S.ACCESS_LETTERS[kind.kind] + " — " + kind.label, className: "ap-key ap-" + kind.kind });
    });
    if (created.outline) { entries.push({ label: labels.city_outline, outline: "#5c6b7a" }); }
    S.legend(document.getElementById("map-legend"), labels.legend, entries);
  }

  if (canEdit) {
    map.pm.setLang(config.lang === "fr" ? "fr" : "en");
    map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: true, snapDistance: 15 });

    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-draw-button]");
      if (!button) { return; }
      var form = button.closest("form[data-draws]");
      if (!form) { return; }
      stopEditing();
      clearDraft();
      drawingFor = form;
      if (form.dataset.draws === "Marker") {
        map.pm.enableDraw("Marker", { markerStyle: { icon: S.accessIcon("mixed") } });
        announce(labels.place_hint);
      } else {
        map.pm.enableDraw("Polygon");
        announce(labels.draw_hint);
      }
      element.scrollIntoView({ block: "center" });
      element.focus();
    });

    map.on("pm:create", function (event) {
      if (!drawingFor) { map.removeLayer(event.layer); return; }
      clearDraft();
      draft = event.layer;
      var form = drawingFor;
      writeGeometry(form, draft);
      draft.pm.enable({ allowSelfIntersection: false, draggable: true });
      draft.on("pm:edit pm:dragend pm:markerdragend", function () { writeGeometry(form, draft); });
      announce(labels.drawn);
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });

    // Text typed or pasted into a geometry field is drawn on the map.
    document.addEventListener("change", function (event) {
      var form = event.target.closest("form[data-geometry-input]");
      if (!form || event.target.id !== form.dataset.geometryInput) { return; }
      var shape;
      try { shape = shapeFor(JSON.parse(event.target.value), form.dataset.kind, null); } catch (e) { shape = null; }
      if (!shape) { announce(labels.bad_text); return; }
      if (form.dataset.editId) {
        stopEditing();
        var key = form.dataset.kind + ":" + form.dataset.editId;
        var group = form.dataset.kind === "zones" ? zones : points;
        if (byId[key]) { group.removeLayer(byId[key].layer); byId[key].layer = shape; }
        group.addLayer(shape);
        startEditing(form);
      } else {
        clearDraft();
        draft = shape.addTo(map);
        drawingFor = form;
      }
    });
  }

  document.body.addEventListener("htmx:afterSettle", function () {
    render();
    syncForms();
  });

  render();
  legend();
  syncForms();
})();

/* A form fetched into a section's editor (add or edit) takes the keyboard focus on its first field,
 * so keyboard and screen-reader users land where they asked to go. */
(function () {
  "use strict";
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id || target.id.slice(-7) !== "-editor") { return; }
    var first = target.querySelector("form input:not([type=hidden]), form select, form textarea");
    if (first) { first.focus(); }
  });
})();
