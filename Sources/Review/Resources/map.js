"use strict";
// The review map on Leaflet (served from the machine's libjs-leaflet): the run's tile pyramid in its own
// projected CRS through L.CRS.Simple, ortho / thermal base layers, water outline, plume outlines and candidates as
// vector layers, a metric scale bar and a distance measure. Coordinates are the run's metres: LatLng = [y, x].
window.ReviewMap = (function () {
  const COLOURS = { accepted: "#2fbf4f", rejected: "#e5483d", unsure: "#f2c200" };
  // Leaflet parses string content as HTML: text from the run (ids) goes in as an element instead.
  function textNode(text) { const s = document.createElement("span"); s.textContent = String(text); return s; }

  function create(container, info, T, onPick) {
    if (typeof L === "undefined" || !info.pyramid || !info.layers.length) return null;
    const p = info.pyramid, res0 = p.resolutions[0], last = p.resolutions.length - 1;
    // Pixel (at zoom z) of map point (x, y): ((x − originX), (originY − y)) / (res0 / 2^z), as the tiles are cut.
    const crs = L.extend({}, L.CRS.Simple, {
      transformation: new L.Transformation(1 / res0, -p.originX / res0, -1 / res0, p.originY / res0),
    });
    const span = p.tileSize * p.resolutions[last];
    const bounds = L.latLngBounds([p.originY - p.rows[last] * span, p.originX], [p.originY, p.originX + p.columns[last] * span]);
    const map = L.map(container, {
      crs: crs, minZoom: 0, maxZoom: last + 2, zoomSnap: 1, keyboard: false, attributionControl: false,
      maxBounds: bounds.pad(0.5), doubleClickZoom: false,
    });
    const base = {};
    const names = { ortho: T("layerOrtho"), thermal: T("layerThermal") };
    for (const layer of info.layers) {
      base[layer] = L.tileLayer("/tiles/" + layer + "/{z}/{x}/{y}.png", {
        tileSize: p.tileSize, minZoom: 0, maxZoom: last + 2, maxNativeZoom: last, bounds: bounds, noWrap: true, keepBuffer: 1,
        className: "tiles-" + layer,
      });
    }
    const water = L.layerGroup(), plumes = L.layerGroup(), candidates = L.layerGroup();
    for (const ring of info.water || []) {
      L.polyline(ring.map((q) => [q[1], q[0]]), { color: "#3c8cff", weight: 2, interactive: false, className: "water" }).addTo(water);
    }
    const overlays = {};
    if ((info.water || []).length) overlays[T("layerWater")] = water;
    overlays[T("layerPlumes")] = plumes;
    overlays[T("layerCandidates")] = candidates;
    const baseNamed = {};
    for (const l of info.layers) baseNamed[names[l] || l] = base[l];
    let current = info.layers[0];
    base[current].addTo(map);
    container.dataset.layer = current;
    water.addTo(map); plumes.addTo(map); candidates.addTo(map);
    L.control.layers(baseNamed, overlays, { collapsed: false, position: "topright" }).addTo(map);
    L.control.scale({ metric: true, imperial: false, position: "bottomleft", maxWidth: 150 }).addTo(map);
    // The thermal layer's colour scale (one ramp for the whole run: its 2nd–98th percentile).
    const Ramp = L.Control.extend({
      options: { position: "bottomright" },
      onAdd() {
        const box = L.DomUtil.create("div", "thermal-legend");
        const bar = L.DomUtil.create("div", "ramp", box), text = L.DomUtil.create("div", "range", box);
        const r = info.thermalRange;
        text.textContent = r ? r[0].toFixed(1) + " – " + r[1].toFixed(1) + " °C" : "";
        bar.title = T("layerThermal");
        return box;
      },
    });
    const ramp = info.thermalRange ? new Ramp() : null;
    function showRamp() {
      if (!ramp) return;
      if (current === "thermal") ramp.addTo(map); else ramp.remove();
    }
    map.on("baselayerchange", (e) => {
      for (const l of info.layers) if (base[l] === e.layer) current = l;
      container.dataset.layer = current;
      showRamp();
    });
    map.fitBounds(bounds);
    showRamp();

    // ---- distance measure: click points, the running total is shown; Esc or the button ends it ----
    const measure = { on: false, points: [], line: null, label: null };
    const MeasureControl = L.Control.extend({
      options: { position: "topleft" },
      onAdd() {
        const b = L.DomUtil.create("button", "measure-button");
        b.type = "button"; b.title = T("measure"); b.textContent = "⟷";
        L.DomEvent.disableClickPropagation(b);
        L.DomEvent.on(b, "click", () => api.toggleMeasure());
        this.button = b;
        return b;
      },
    });
    const measureControl = new MeasureControl().addTo(map);
    function clearMeasure() {
      if (measure.line) map.removeLayer(measure.line);
      if (measure.label) map.removeLayer(measure.label);
      measure.points = []; measure.line = null; measure.label = null;
    }
    map.on("click", (e) => {
      if (!measure.on) return;
      measure.points.push(e.latlng);
      let total = 0;
      for (let i = 1; i < measure.points.length; i++) total += map.distance(measure.points[i - 1], measure.points[i]);
      if (!measure.line) measure.line = L.polyline([], { color: "#ff00aa", weight: 2, dashArray: "6 4", className: "measure" }).addTo(map);
      measure.line.setLatLngs(measure.points);
      if (!measure.label) measure.label = L.tooltip({ permanent: true, direction: "right", className: "measure-label" });
      measure.label.setLatLng(e.latlng).setContent(textNode(T("measureTotal", total.toFixed(1))));
      if (!map.hasLayer(measure.label)) measure.label.addTo(map);
      container.dataset.measured = total.toFixed(2);
    });

    const api = {
      map: map,
      layer() { return current; },
      nextLayer() {
        if (info.layers.length < 2) return;
        const next = info.layers[(info.layers.indexOf(current) + 1) % info.layers.length];
        map.removeLayer(base[current]);
        base[next].addTo(map);
        current = next;
        container.dataset.layer = current;
        showRamp();
      },
      zoom(dz) { if (dz > 0) map.zoomIn(); else map.zoomOut(); },
      measuring() { return measure.on; },
      toggleMeasure(force) {
        measure.on = force === undefined ? !measure.on : force;
        if (!measure.on) { clearMeasure(); delete container.dataset.measured; }
        container.classList.toggle("measuring", measure.on);
        measureControl.button.classList.toggle("active", measure.on);
      },
      centre(x, y) {
        // About 120 m across, or the finest level.
        const w = container.clientWidth || 560;
        let z = 0;
        while (z < last && p.resolutions[z] * w > 120) z++;
        map.setView([y, x], z, { animate: false });
      },
      draw(all, cur) {
        plumes.clearLayers(); candidates.clearLayers();
        for (const c of all) {
          const isCur = cur && c.id === cur.id;
          for (const ring of c.plume) {
            L.polygon(ring.map((q) => [q[1], q[0]]), {
              className: "plume", color: isCur ? "#00dcff" : "#ffffff", opacity: isCur ? 1 : 0.6, weight: isCur ? 2 : 1,
              fill: isCur, fillColor: "#00dcff", fillOpacity: 0.15, interactive: false,
            }).addTo(plumes);
          }
          const m = L.circleMarker([c.y, c.x], {
            className: "cand", radius: isCur ? 9 : 5, color: COLOURS[c.decision.state] || "#ffffff", weight: isCur ? 3 : 2, fill: false,
          });
          m.bindTooltip(textNode(c.id), { permanent: true, direction: "right", offset: [8, -8], className: "cand-label" });
          m.on("click", () => { if (!measure.on) onPick(c.id); });
          m.addTo(candidates);
        }
      },
    };
    return api;
  }

  return { create: create };
})();
