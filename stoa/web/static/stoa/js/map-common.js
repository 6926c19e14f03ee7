/* Shared map helpers for every Stoa map page (no inline script or style: the CSP forbids them).
 *
 * StoaMap.create(element, config) makes a Leaflet map: with the configured tile server when
 * config.tile_url is set, otherwise on a plain background with the city outline for context.
 * Page data arrives through Django's json_script elements (StoaMap.readJSON).
 */
(function () {
  "use strict";

  var WORLD = [[35, -10], [60, 30]]; // Europe, when there is nothing to frame yet

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function create(element, config) {
    config = config || {};
    var labels = config.labels || {};
    var map = L.map(element, {
      zoomSnap: 0.25,
      zoomControl: false, // added below with titles in the page's language
      attributionControl: Boolean(config.tile_url),
      tapHold: true // long press opens popups on touch screens
    });
    L.control.zoom({
      zoomInTitle: labels.zoom_in || "Zoom in",
      zoomOutTitle: labels.zoom_out || "Zoom out"
    }).addTo(map);
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { attribution: config.tile_attribution || "", maxZoom: 20 }).addTo(map);
      element.classList.add("map-tiles");
    } else {
      element.classList.add("map-plain");
    }
    var outline = null;
    if (config.outline) {
      outline = L.geoJSON(config.outline, {
        interactive: false,
        style: { color: "#5c6b7a", weight: 2, dashArray: "6 4", fill: true, fillColor: "#ffffff", fillOpacity: 0.6 }
      }).addTo(map);
    }
    map.fitBounds(WORLD);
    return { map: map, outline: outline };
  }

  /* Frame the map on the first layer that has something in it (e.g. sites, then the outline). */
  function frame(map, layers, maxZoom) {
    for (var i = 0; i < layers.length; i++) {
      var layer = layers[i];
      if (layer && layer.getBounds) {
        var bounds = layer.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [24, 24], maxZoom: maxZoom || 18 });
          return true;
        }
      }
    }
    return false;
  }

  /* A text node wrapper: tooltip and popup content is built from DOM nodes, never from HTML strings,
   * so names typed by users cannot inject markup. */
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  /* Legend below the map (it would hide shapes inside it): a colour swatch AND the words for
   * every entry, written into CONTAINER (replacing what was there). */
  function legend(container, title, entries) {
    if (!container) { return; }
    container.textContent = "";
    container.appendChild(el("div", title, "map-legend-title"));
    var list = el("ul", null, "list-inline mb-0");
    entries.forEach(function (entry) {
      var item = el("li", null, "list-inline-item me-3");
      var swatch = el("span", null, "legend-swatch" + (entry.className ? " " + entry.className : ""));
      swatch.setAttribute("aria-hidden", "true");
      if (entry.colour) { swatch.style.backgroundColor = entry.colour; }
      if (entry.outline) { swatch.classList.add("legend-outline"); swatch.style.borderColor = entry.outline; }
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry.label));
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  /* A popup with the site's name as a link, its category and priority in words. */
  function sitePopup(props, labels) {
    var box = el("div", null, "site-popup");
    var link = el("a", props.name);
    link.href = props.url;
    box.appendChild(el("strong")).appendChild(link);
    box.appendChild(el("div", props.category));
    box.appendChild(el("div", labels.priority + ": " + props.priority + " (" + props.band_label + ")"));
    if (props.shared) { box.appendChild(el("div", labels.shared, "text-body-secondary")); }
    return box;
  }

  /* Access point markers: a letter in a coloured disc, so the kind reads without colour too. */
  var ACCESS_LETTERS = { vehicle: "V", pedestrian: "P", emergency: "E", mixed: "M" };

  function accessIcon(kind) {
    return L.divIcon({
      className: "ap-marker ap-" + (ACCESS_LETTERS[kind] ? kind : "mixed"),
      html: ACCESS_LETTERS[kind] || "?",
      iconSize: [26, 26],
      iconAnchor: [13, 13],
      tooltipAnchor: [13, 0]
    });
  }

  /* Geoman's toolbar buttons are empty links whose name sits in the parent's title attribute;
   * screen readers need the name on the control itself. */
  function labelDrawControls(map) {
    var buttons = map.getContainer().querySelectorAll(".leaflet-buttons-control-button");
    Array.prototype.forEach.call(buttons, function (button) {
      var holder = button.closest("[title]");
      if (holder && !button.getAttribute("aria-label")) {
        button.setAttribute("aria-label", holder.getAttribute("title"));
      }
    });
  }

  window.StoaMap = {
    labelDrawControls: labelDrawControls,
    readJSON: readJSON,
    create: create,
    frame: frame,
    el: el,
    legend: legend,
    sitePopup: sitePopup,
    accessIcon: accessIcon,
    ACCESS_LETTERS: ACCESS_LETTERS
  };
})();
