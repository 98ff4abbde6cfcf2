/* cocity's one map component, on Leaflet and leaflet.markercluster (served from static/vendor).
 *
 * Markup (see templates/maps/): an element with data-map holding the server-drawn SVG in a
 * .map-fallback child. This script adds the interactive map in front of it and hides the SVG;
 * without JavaScript the SVG stays, and the table after it is the text alternative either way.
 *
 *   data-map-points="URL"    GeoJSON points from a bbox endpoint, reloaded when the view moves
 *                            (the URL keeps the page's filters; "&bbox=w,s,e,n" is added)
 *   data-map-features="id"   id of a json_script FeatureCollection (points and/or polygons);
 *                            properties: title, status, url, fill, label, name
 *   data-map-labels          polygons carry their name as a permanent label
 *   data-map-area-names      polygons are named where they are large enough at the current
 *                            zoom to hold the name, never two names overlapping (choropleths,
 *                            the pacts map's neighbourhoods); recomputed as the view changes
 *   data-map-bounds="w,s,e,n" the first view (else the features' extent)
 *   data-map-picker-lat/-lon ids of the form's latitude and longitude fields: a place picker
 *   data-map-limit="id"      id of a json_script polygon the picked place must fall inside
 *   data-map-limit-field="id" and data-map-limit-url="URL": the limit is the place chosen in
 *                            that select (the form's territory), its outline fetched from
 *                            URL?id=<value> (a GeoJSON Feature) whenever it changes
 *   data-map-empty="text"    (with data-map-points) when the first answer, before any bbox,
 *                            has no point at all, the map is folded away and the text said
 *   data-map-approximate     the outline drawn is approximate (as features carrying
 *                            properties.approximate, or compact areas with approximate: true):
 *                            a note under the map says so
 *
 * The base map comes from #map-config (COCITY_MAP_TILES_URL...); with no tiles the map says so
 * and draws on a plain background. Wheel zoom is off and on a phone one finger scrolls the page,
 * so the map never traps scroll; markers and areas are reachable with Tab, Enter opens them.
 */
(function () {
  "use strict";

  const MANY_AREAS = 2000;
  const MAX_NAMES = 150; // names drawn at once on data-map-area-names maps

  function config() {
    const node = document.getElementById("map-config");
    return node ? JSON.parse(node.textContent) : { tiles: "", texts: {} };
  }

  // Numbers as the page's language writes them (<html lang>: 1,234.5 / 1.234,5 / 1 234,5), in
  // Western digits as the server writes them (cocity/formats; Arabic too).
  function formatNumber(value, digits) {
    const options = { numberingSystem: "latn" };
    if (digits !== undefined) {
      options.minimumFractionDigits = digits;
      options.maximumFractionDigits = digits;
    }
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, options).format(value);
    } catch (_error) {
      return digits === undefined ? String(value) : value.toFixed(digits);
    }
  }

  function fill(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (_m, key) {
      const value = values[key];
      if (value === undefined) {
        return "";
      }
      return typeof value === "number" ? formatNumber(value) : String(value);
    });
  }

  function escapeHtml(text) {
    return String(text === undefined || text === null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function readJson(id) {
    const node = id ? document.getElementById(id) : null;
    const data = node ? JSON.parse(node.textContent) : null;
    return data && data.type === "cocity-areas" ? expandAreas(data) : data;
  }

  // The server's compact choropleth (insights/maps.py, interactive): quantised, delta-encoded
  // rings, null closing each polygon; back to GeoJSON features.
  function expandAreas(data) {
    const step = data.step;
    return {
      type: "FeatureCollection",
      approximate: Boolean(data.approximate),
      features: data.areas.map(function (area) {
        const polygons = [];
        let rings = [];
        area[4].forEach(function (ring) {
          if (ring === null) {
            if (rings.length) {
              polygons.push(rings);
            }
            rings = [];
            return;
          }
          let x = 0;
          let y = 0;
          rings.push(ring.map(function (d) {
            x += d[0];
            y += d[1];
            return [x * step, y * step];
          }));
        });
        const geometry = !polygons.length ? null : polygons.length === 1
          ? { type: "Polygon", coordinates: polygons[0] }
          : { type: "MultiPolygon", coordinates: polygons };
        return { type: "Feature", geometry: geometry, properties: { code: area[0], name: area[1], label: area[2], k: area[3] } };
      }),
    };
  }

  function parseBounds(text) {
    const parts = String(text || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(function (n) { return !isFinite(n); })) {
      return null;
    }
    return L.latLngBounds([parts[1], parts[0]], [parts[3], parts[2]]);
  }

  function pinIcon(label, extra) {
    return L.divIcon({
      className: "map-pin" + (extra ? " " + extra : ""),
      html: '<span class="visually-hidden">' + escapeHtml(label) + "</span>",
      iconSize: [26, 26], // a 24 px touch target at least (WCAG 2.2, 2.5.8)
      iconAnchor: [13, 13],
      popupAnchor: [0, -10],
    });
  }

  function popupContent(props, texts) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const title = document.createElement("p");
    title.className = "map-popup-title";
    if (props.url) {
      const link = document.createElement("a");
      link.href = props.url;
      link.textContent = props.title || texts.open;
      title.appendChild(link);
    } else {
      title.textContent = props.title || "";
    }
    box.appendChild(title);
    [props.status_label || props.status, props.place || props.commons].forEach(function (text) {
      if (text) {
        const line = document.createElement("p");
        line.textContent = text;
        box.appendChild(line);
      }
    });
    return box;
  }

  function pointMarker(feature, latlng, texts) {
    const props = feature.properties || {};
    const label = [props.title, props.status_label || props.status].filter(Boolean).join(", ");
    const marker = L.marker(latlng, { icon: pinIcon(label), title: label, riseOnHover: true });
    marker.bindPopup(function () { return popupContent(props, texts); });
    return marker;
  }

  function clusterGroup(texts) {
    return L.markerClusterGroup({
      showCoverageOnHover: false,
      chunkedLoading: true,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        const count = cluster.getChildCount();
        const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
        return L.divIcon({
          html: '<div><span aria-hidden="true">' + formatNumber(count) + '</span><span class="visually-hidden">' +
            escapeHtml(fill(texts.cluster, { count: count })) + "</span></div>",
          className: "marker-cluster marker-cluster-" + size,
          iconSize: L.point(40, 40),
        });
      },
    });
  }

  // Areas (polygons): focusable, their value in a tooltip on hover and focus, Enter or a click
  // opens the unit's page.
  // Compact choropleth features carry their class (k) and code: the colours come once in
  // data-map-fills, the unit's address from data-map-url-pattern ("CODE" replaced).
  function areaLayer(collection, withLabels, root) {
    const fills = (root.dataset.mapFills || "").split(",").filter(Boolean);
    const pattern = root.dataset.mapUrlPattern;
    (collection.features || []).forEach(function (feature) {
      const props = feature.properties || (feature.properties = {});
      if (props.k !== undefined && !props.fill) {
        props.fill = props.k === null ? "#d9d9d9" : fills[props.k];
      }
      if (pattern && props.code && !props.url) {
        props.url = pattern.replace("CODE", encodeURIComponent(props.code));
      }
    });
    // Many areas are drawn on a canvas (an SVG path each takes too long past a few thousand);
    // they are then reached by keyboard through the table, which lists each with its link.
    const many = (collection.features || []).length > MANY_AREAS;
    return L.geoJSON(collection, {
      renderer: many ? L.canvas({ padding: 0.2 }) : undefined,
      filter: function (feature) {
        return feature.geometry && feature.geometry.type !== "Point";
      },
      style: function (feature) {
        const props = feature.properties || {};
        return {
          color: props.stroke || "#252525",
          weight: props.weight || 1,
          fillColor: props.fill || "#cfe3d2",
          fillOpacity: props.dashed ? 0 : props.fill ? 0.75 : 0.35,
          dashArray: props.dashed ? "6 4" : null,
        };
      },
      onEachFeature: function (feature, layer) {
        const props = feature.properties || {};
        const name = props.name || props.title || "";
        const text = props.label ? name + ": " + props.label : name;
        if (props.dashed) {
          return; // the outline of the page's own place: no label, nothing to open
        }
        if (withLabels && name) {
          layer.bindTooltip(escapeHtml(name), { permanent: true, direction: "center", className: "map-label" });
        } else if (text) {
          layer.bindTooltip(escapeHtml(text), { sticky: true, className: "map-value" });
        }
        layer.on("add", function () {
          const path = layer.getElement();
          if (!path) {
            return;
          }
          path.setAttribute("data-area", props.code || name);
          if (!props.url) {
            path.setAttribute("aria-hidden", "true"); // its name is drawn on it; nothing to open
          } else {
            path.setAttribute("aria-label", text);
            path.setAttribute("tabindex", "0");
            path.setAttribute("role", "link");
            path.addEventListener("keydown", function (event) {
              if (event.key === "Enter") {
                window.location.assign(props.url);
              }
            });
          }
          path.addEventListener("focus", function () {
            layer.setStyle({ weight: 3 });
            if (!withLabels) {
              layer.openTooltip(layer.getBounds().getCenter());
            }
          });
          path.addEventListener("blur", function () {
            layer.setStyle({ weight: props.weight || 1 });
            if (!withLabels) {
              layer.closeTooltip();
            }
          });
        });
        layer.on("mouseover", function () { layer.setStyle({ weight: 3 }); });
        layer.on("mouseout", function () { layer.setStyle({ weight: props.weight || 1 }); });
        if (props.url) {
          layer.on("click", function () { window.location.assign(props.url); });
        }
      },
    });
  }

  // Names on the areas wide and tall enough, at the current zoom, to hold them (a rough width
  // from the name's length), the largest first, none overlapping another: recognisable places
  // without burying small ones under text.
  function areaNames(root, map, areas) {
    const group = L.layerGroup().addTo(map);
    const items = [];
    areas.eachLayer(function (layer) {
      const props = (layer.feature && layer.feature.properties) || {};
      if (props.dashed || !(props.name || props.title) || !layer.getBounds) {
        return;
      }
      const bounds = layer.getBounds();
      let centre = bounds.getCenter();
      const rings = layer.getLatLngs ? layer.getLatLngs() : null;
      const outer = rings && rings[0];
      if (outer && outer.length > 2 && outer[0] instanceof L.LatLng && L.PolyUtil.polygonCenter) {
        centre = L.PolyUtil.polygonCenter(outer, map.options.crs); // inside a concave shape too
      }
      items.push({ name: String(props.name || props.title), bounds: bounds, centre: centre });
    });
    function draw() {
      group.clearLayers();
      const view = map.getBounds();
      const taken = [];
      const fitting = [];
      items.forEach(function (item) {
        if (!view.intersects(item.bounds)) {
          return;
        }
        const nw = map.latLngToLayerPoint(item.bounds.getNorthWest());
        const se = map.latLngToLayerPoint(item.bounds.getSouthEast());
        const width = se.x - nw.x;
        const height = se.y - nw.y;
        const needed = item.name.length * 7 + 8;
        if (width >= needed && height >= 18) {
          fitting.push({ item: item, size: width * height, half: needed / 2 });
        }
      });
      fitting.sort(function (a, b) { return b.size - a.size; });
      let shown = 0;
      fitting.forEach(function (candidate) {
        if (shown >= MAX_NAMES) {
          return;
        }
        const at = map.latLngToLayerPoint(candidate.item.centre);
        const box = [at.x - candidate.half, at.y - 10, at.x + candidate.half, at.y + 10];
        const overlaps = taken.some(function (other) {
          return box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3];
        });
        if (overlaps) {
          return;
        }
        taken.push(box);
        shown += 1;
        group.addLayer(L.marker(candidate.item.centre, {
          pane: "tooltipPane", // over the areas and pins; lets clicks through to them
          interactive: false,
          keyboard: false,
          icon: L.divIcon({
            className: "map-area-name",
            html: '<span class="map-label">' + escapeHtml(candidate.item.name) + "</span>",
            iconSize: null,
          }),
        }));
      });
      root.dataset.mapNamesShown = String(shown);
    }
    map.on("zoomend moveend", draw);
    draw();
  }

  // Hand-drawn or otherwise unofficial boundaries (Territory.boundary_approximate) are said to
  // be so, once, under the map.
  function approximateNote(root, texts) {
    if (root.querySelector(".map-approximate")) {
      return;
    }
    const note = document.createElement("p");
    note.className = "map-note map-approximate";
    note.textContent = texts.approximate;
    const canvas = root.querySelector(".map-canvas");
    root.insertBefore(note, canvas ? canvas.nextSibling : null);
  }

  function isApproximate(collection) {
    return Boolean(collection && (collection.approximate || (collection.features || []).some(function (feature) {
      return feature.properties && feature.properties.approximate;
    })));
  }

  function status(root, text) {
    let node = root.querySelector(".map-status");
    if (!node) {
      node = document.createElement("p");
      node.className = "map-status";
      node.setAttribute("role", "status");
      root.appendChild(node);
    }
    node.textContent = text;
  }

  function setUp(root) {
    if (root.dataset.mapReady || typeof L === "undefined") {
      return;
    }
    root.dataset.mapReady = "1";
    const cfg = config();
    const texts = cfg.texts || {};
    const canvas = document.createElement("div");
    canvas.className = "map-canvas";
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", root.dataset.mapLabel || texts.map);
    const help = root.querySelector(".map-picker-help");
    if (help) {
      help.id = help.id || "map-help-" + Math.random().toString(36).slice(2);
      canvas.setAttribute("aria-describedby", help.id);
    }
    root.insertBefore(canvas, help ? help.nextSibling : root.firstChild);
    const fallback = root.querySelector(".map-fallback");
    if (fallback) {
      fallback.hidden = true;
    }
    const map = L.map(canvas, {
      scrollWheelZoom: false, // the page scrolls; + and - (or the keyboard) zoom
      dragging: !L.Browser.mobile, // one finger scrolls the page on a phone, two zoom and pan
      tap: false,
      maxZoom: cfg.maxZoom || 19,
      zoomSnap: 0.5,
    });
    root.leafletMap = map;
    if (cfg.tiles) {
      L.tileLayer(cfg.tiles, { attribution: cfg.attribution, maxZoom: cfg.maxZoom || 19 }).addTo(map);
    } else {
      canvas.classList.add("map-canvas-plain");
      const note = document.createElement("p");
      note.className = "map-note";
      note.textContent = texts.noTiles;
      root.insertBefore(note, canvas.nextSibling);
    }
    L.control.scale({ imperial: false }).addTo(map);

    let extent = parseBounds(root.dataset.mapBounds);
    const collection = readJson(root.dataset.mapFeatures);
    let areaNamesFrom = null;
    if (isApproximate(collection) || "mapApproximate" in root.dataset) {
      approximateNote(root, texts);
    }
    if (collection) {
      const areas = areaLayer(collection, "mapLabels" in root.dataset, root).addTo(map);
      root.dataset.mapAreas = String(areas.getLayers().length);
      if ("mapAreaNames" in root.dataset) {
        areaNamesFrom = areas; // named once the view is set
      }
      const points = clusterGroup(texts);
      L.geoJSON(collection, {
        filter: function (feature) { return feature.geometry && feature.geometry.type === "Point"; },
        pointToLayer: function (feature, latlng) { return pointMarker(feature, latlng, texts); },
      }).eachLayer(function (layer) { points.addLayer(layer); });
      points.addTo(map);
      const bounds = areas.getBounds();
      if (points.getLayers().length) {
        bounds.extend(points.getBounds());
      }
      if (!extent && bounds.isValid()) {
        extent = bounds;
      }
    }
    if (extent) {
      map.fitBounds(extent, { padding: [12, 12], maxZoom: 16 });
    } else {
      map.setView([46, 8], 4);
    }
    if (collection && root.dataset.mapAreasUrl) {
      finerAreas(root, map, collection);
    }
    if (areaNamesFrom) {
      areaNames(root, map, areaNamesFrom);
    }

    if (root.dataset.mapPoints) {
      loadPoints(root, map, texts, !root.dataset.mapBounds && !collection);
    }
    if (root.dataset.mapPickerLat) {
      picker(root, map, texts);
    }
  }

  // Zoomed in past the first view, the areas come again from the server simplified for that
  // zoom (insights/views.py zoomed_areas), so edges stay true without sending every vertex first.
  function finerAreas(root, map, collection) {
    const first = Math.round(map.getZoom());
    const cache = {};
    let layer = null;
    let current = first;
    function draw(data) {
      const next = areaLayer(data, "mapLabels" in root.dataset, root);
      map.eachLayer(function (other) {
        if (other.feature && other.feature.geometry && other.feature.geometry.type !== "Point") {
          map.removeLayer(other);
        }
      });
      layer = next.addTo(map);
      root.dataset.mapAreasZoom = String(current);
    }
    map.on("zoomend", function () {
      const zoom = Math.round(map.getZoom());
      const wanted = zoom <= first ? first : zoom;
      if (wanted === current) {
        return;
      }
      current = wanted;
      if (wanted === first) {
        draw(collection);
        return;
      }
      if (cache[wanted]) {
        draw(cache[wanted]);
        return;
      }
      const url = root.dataset.mapAreasUrl + "&zoom=" + wanted;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && wanted === current) {
            cache[wanted] = expandAreas(data);
            draw(cache[wanted]);
          }
        })
        .catch(function () { /* the first view's areas stay */ });
    });
    return layer;
  }

  // Points from the bbox endpoint, reloaded (the newest first, capped by the server) when the
  // view moves; the first answer sets the view when the page gave none.
  function loadPoints(root, map, texts, fitFirst) {
    const cluster = clusterGroup(texts).addTo(map);
    const base = root.dataset.mapPoints;
    let generation = 0;
    let timer = null;

    function url(withBox) {
      if (!withBox) {
        return base;
      }
      const b = map.getBounds();
      const box = [
        Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90),
        Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90),
      ].map(function (n) { return n.toFixed(5); }).join(",");
      return base + (base.indexOf("?") < 0 ? "?" : "&") + "bbox=" + box;
    }

    function load(withBox) {
      const mine = ++generation;
      root.setAttribute("aria-busy", "true");
      fetch(url(withBox), { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          if (mine !== generation) {
            return;
          }
          cluster.clearLayers();
          const layer = L.geoJSON(data, {
            pointToLayer: function (feature, latlng) { return pointMarker(feature, latlng, texts); },
            filter: function (feature) { return feature.geometry && feature.geometry.type === "Point"; },
          });
          cluster.addLayers(layer.getLayers());
          const count = data.features ? data.features.length : 0;
          root.dataset.mapLoaded = String((Number(root.dataset.mapLoaded) || 0) + 1);
          if (!withBox && !count && root.dataset.mapEmpty) {
            // Nothing to place anywhere (a list of online events): no empty map to scroll past.
            root.classList.add("map-empty");
            root.removeAttribute("aria-busy");
            status(root, root.dataset.mapEmpty);
            return;
          }
          status(root, fill(data.truncated ? texts.truncated : texts.shown, { count: count }));
          root.removeAttribute("aria-busy");
          if (!withBox && fitFirst && count) {
            fitFirst = false;
            map.fitBounds(cluster.getBounds(), { padding: [16, 16], maxZoom: 16 });
          }
        })
        .catch(function () {
          root.removeAttribute("aria-busy");
          status(root, texts.failed);
        });
    }

    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { load(true); }, 200);
    });
    load(!fitFirst);
  }

  // Ray casting over a Polygon or MultiPolygon's rings (holes count as outside).
  function inside(geometry, lat, lon) {
    if (!geometry) {
      return true;
    }
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates || [];
    return polygons.some(function (rings) {
      let hit = false;
      rings.forEach(function (ring) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
          if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
            hit = !hit;
          }
        }
      });
      return hit;
    });
  }

  // A place picker: a click or a drag puts the pin, the arrow keys move it once it has focus,
  // the latitude and longitude fields follow it and move it when typed into.
  function picker(root, map, texts) {
    const lat = document.getElementById(root.dataset.mapPickerLat);
    const lon = document.getElementById(root.dataset.mapPickerLon);
    if (!lat || !lon) {
      return;
    }
    const limitData = readJson(root.dataset.mapLimit);
    let limit = null;
    let limitLayer = null;
    function setLimit(geometry) {
      if (limitLayer) {
        map.removeLayer(limitLayer);
        limitLayer = null;
      }
      limit = geometry || null;
      if (limit) {
        limitLayer = L.geoJSON(limit, {
          style: { color: "#1f5f8b", weight: 2, dashArray: "6 4", fill: false },
          interactive: false,
        }).addTo(map);
      }
      root.dataset.mapLimitShown = limit ? "1" : "0";
    }
    setLimit(limitData && (limitData.geometry || limitData));
    let marker = null;

    function current() {
      const a = parseFloat(String(lat.value).replace(",", "."));
      const b = parseFloat(String(lon.value).replace(",", "."));
      return isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180 ? L.latLng(a, b) : null;
    }

    function place(latlng, fromFields) {
      if (limit && !inside(limit, latlng.lat, latlng.lng)) {
        status(root, texts.outside);
        if (marker) {
          marker.setLatLng(current() || marker.getLatLng());
        }
        return false;
      }
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, icon: pinIcon(texts.pin, "map-pin-picked"), title: texts.pin });
        marker.addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), false); });
        marker.getElement().addEventListener("keydown", onKey);
      } else {
        marker.setLatLng(latlng);
      }
      if (!fromFields) {
        lat.value = latlng.lat.toFixed(5); // the 5 decimals (about a metre) the models keep
        lon.value = latlng.lng.toFixed(5);
        lat.dispatchEvent(new Event("change", { bubbles: true }));
      }
      status(root, fill(texts.pinMoved, { lat: formatNumber(latlng.lat, 5), lon: formatNumber(latlng.lng, 5) }));
      return true;
    }

    function onKey(event) {
      const moves = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      const move = moves[event.key];
      if (!move) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      const size = map.getBounds();
      const step = (event.shiftKey ? 10 : 1) / 100;
      const here = marker.getLatLng();
      const next = L.latLng(
        here.lat + move[0] * (size.getNorth() - size.getSouth()) * step,
        here.lng + move[1] * (size.getEast() - size.getWest()) * step
      );
      place(next, false);
      if (!map.getBounds().contains(next)) {
        map.panTo(next);
      }
    }

    map.on("click", function (event) { place(event.latlng, false); });
    [lat, lon].forEach(function (field) {
      field.addEventListener("change", function () {
        const point = current();
        if (point) {
          place(point, true);
          map.panTo(point);
        }
      });
    });
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary button-small map-pin-here";
    button.textContent = texts.pinHere;
    button.addEventListener("click", function () {
      if (place(map.getCenter(), false)) {
        marker.getElement().focus();
      }
    });
    root.appendChild(button);
    // The place chosen in the same form (commons: its territory) is the limit: its outline is
    // fetched when the choice changes, and the map moves to it.
    const field = root.dataset.mapLimitField ? document.getElementById(root.dataset.mapLimitField) : null;
    let asked = 0;
    function follow(first) {
      const mine = ++asked;
      const value = field.value;
      if (!value) {
        setLimit(null);
        return;
      }
      const base = root.dataset.mapLimitUrl;
      fetch(base + (base.indexOf("?") < 0 ? "?" : "&") + "id=" + encodeURIComponent(value), {
        headers: { Accept: "application/geo+json" }, credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (mine !== asked) {
            return;
          }
          setLimit(data && data.geometry);
          if (data && data.properties && data.properties.approximate) {
            approximateNote(root, texts);
          }
          if (!limit) {
            return;
          }
          const here = current();
          if (!(first && here)) {
            map.fitBounds(limitLayer.getBounds(), { padding: [8, 8] });
          }
          status(root, here && !inside(limit, here.lat, here.lng)
            ? texts.outside
            : fill(texts.outlined, { place: data.properties ? data.properties.name : "" }));
        })
        .catch(function () { setLimit(null); });
    }
    if (field && root.dataset.mapLimitUrl) {
      field.addEventListener("change", function () { follow(false); });
      if (field.value) {
        follow(true);
      }
    }
    const start = current();
    if (start) {
      place(start, true);
      if (!limit) {
        map.setView(start, Math.max(map.getZoom(), 14));
      }
    } else if (limit) {
      map.fitBounds(L.geoJSON(limit).getBounds(), { padding: [8, 8] });
    }
  }

  function setUpAll(scope) {
    scope = scope || document;
    if (scope.matches && scope.matches("[data-map]")) {
      setUp(scope);
    }
    scope.querySelectorAll("[data-map]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  document.addEventListener("htmx:load", function (event) { setUpAll(event.target); });
})();
