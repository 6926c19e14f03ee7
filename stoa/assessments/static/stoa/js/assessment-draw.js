/* Drawing where an existing measure or a scenario is, on the assessment map (leaflet-geoman).
 *
 * A form that has a location carries data-geometry-input (the id of its GeoJSON text field),
 * data-map-kind (measures or scenarios) and, when it edits a saved item, data-item-id. Its buttons
 * [data-draw=Marker|Polygon] start drawing on the page's map and [data-draw-clear] empties the
 * field. The drawn shape is written into the text field, which is also the keyboard alternative:
 * text typed or pasted there is drawn on the map. Nothing is saved until the form is submitted.
 */
(function () {
  "use strict";

  if (!window.L || !window.StoaMap || !window.StoaAssessmentMap) { return; }
  var S = window.StoaMap;
  var instance = window.StoaAssessmentMap.get("assessment-map");
  if (!instance || !instance.map.pm) { return; }
  var map = instance.map;
  var labels = instance.labels;
  var status = document.getElementById("assessment-map-status");
  var DRAFT_STYLE = { color: "#d35400", weight: 3, fillColor: "#f39c12", fillOpacity: 0.35 };
  var draft = null;       // the shape drawn (or typed) for the form below, not saved yet
  var draftForm = null;   // the form the draft belongs to
  var drawingFor = null;  // the form the next drawn shape goes to
  var returnTo = null;    // the button to focus again once the shape is drawn

  function announce(form, text) {
    var local = form && form.querySelector("[data-draw-status]");
    if (local) { local.textContent = text || ""; }
    if (status) { status.textContent = text || ""; }
  }

  function inputOf(form) { return document.getElementById(form.dataset.geometryInput); }

  function write(form, layer) {
    var input = inputOf(form);
    if (input) { input.value = layer ? JSON.stringify(layer.toGeoJSON().geometry) : ""; }
  }

  function clearDraft() {
    if (draft) { map.removeLayer(draft); }
    draft = null;
    draftForm = null;
  }

  function hideSaved(form, yes) {
    if (form.dataset.itemId) { instance.hide(form.dataset.mapKind, form.dataset.itemId, yes); }
  }

  function adopt(form, layer) {
    clearDraft();
    draft = layer;
    draftForm = form;
    if (draft.setStyle) { draft.setStyle(DRAFT_STYLE); }
    draft.addTo(map);
    hideSaved(form, true);
    if (draft.pm) {
      draft.pm.enable({ allowSelfIntersection: false, draggable: true });
      draft.on("pm:edit pm:dragend pm:markerdragend", function () { write(form, draft); });
    }
  }

  function shapeFrom(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) {
      var pair = /^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
      if (!pair) { return null; }
      data = { type: "Point", coordinates: [parseFloat(pair[1]), parseFloat(pair[2])] };
    }
    if (data && data.type === "FeatureCollection" && data.features && data.features.length === 1) { data = data.features[0]; }
    if (data && data.type === "Feature") { data = data.geometry; }
    if (!data || (data.type !== "Point" && data.type !== "Polygon")) { return null; }
    var shape = null;
    try {
      L.geoJSON(data, {
        pointToLayer: function (f, latlng) { return L.marker(latlng, { icon: instance.draftIcon(), title: labels.draft, alt: labels.draft }); },
        onEachFeature: function (f, layer) { shape = layer; }
      });
    } catch (e) { return null; }
    return shape;
  }

  map.pm.setLang(instance.config.lang === "fr" ? "fr" : "en");
  map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: true, snapDistance: 15 });

  // The buttons only work with the map, so they are shown only when it is there.
  function showTools() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-draw-tools]"), function (tools) { tools.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-draw], [data-draw-clear]");
    if (!button) { return; }
    var form = button.closest("form[data-geometry-input]");
    if (!form) { return; }
    event.preventDefault();
    map.pm.disableDraw();
    if (button.hasAttribute("data-draw-clear")) {
      if (draftForm === form) { clearDraft(); }
      drawingFor = null;
      write(form, null);
      hideSaved(form, true);
      announce(form, labels.cleared);
      return;
    }
    drawingFor = form;
    returnTo = button;
    if (button.dataset.draw === "Marker") {
      map.pm.enableDraw("Marker", { markerStyle: { icon: instance.draftIcon(), title: labels.draft, alt: labels.draft } });
      announce(form, labels.point_hint);
    } else {
      map.pm.enableDraw("Polygon", { pathOptions: DRAFT_STYLE });
      announce(form, labels.area_hint);
    }
    // At once, not smoothly: the next click lands where the map is now.
    instance.element.scrollIntoView({ block: "center", behavior: "instant" });
    instance.element.focus({ preventScroll: true });
  });

  map.on("pm:create", function (event) {
    var form = drawingFor;
    drawingFor = null;
    if (!form || !document.body.contains(form)) { map.removeLayer(event.layer); return; }
    adopt(form, event.layer);
    write(form, draft);
    announce(form, labels.drawn);
    if (returnTo && document.body.contains(returnTo)) { returnTo.focus({ preventScroll: false }); }
  });

  // Text typed or pasted into a location field is drawn on the map.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-geometry-input]");
    if (!form || event.target.id !== form.dataset.geometryInput) { return; }
    var text = event.target.value.trim();
    if (!text) {
      if (draftForm === form) { clearDraft(); }
      hideSaved(form, true);
      return;
    }
    var shape = shapeFrom(text);
    if (!shape) { announce(form, labels.bad_text); return; }
    adopt(form, shape);
    S.frame(map, [L.featureGroup([shape])], 19);
    announce(form, "");
  });

  // After a card is saved (or refused) and swapped, its own draft is gone: show what is stored.
  document.body.addEventListener("htmx:afterSettle", function () {
    if (draftForm && !document.body.contains(draftForm)) { clearDraft(); }
    if (drawingFor && !document.body.contains(drawingFor)) { drawingFor = null; map.pm.disableDraw(); }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-item-id]"), function (form) {
      instance.hide(form.dataset.mapKind, form.dataset.itemId, false);
    });
    showTools();
  });

  showTools();
  S.labelDrawControls(map);
})();
