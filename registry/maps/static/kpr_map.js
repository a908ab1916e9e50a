/* KPR map: draws the basemap (districts, zones, corridors) and the projects from JSON, on a Leaflet map
 * built by Folium. Every text from the data goes into the page through textContent or esc(): a project
 * named "<script>" shows as text. Sets window.kprMap.ready (and body[data-kpr-ready]) once drawn. */
(function () {
  "use strict";

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = String(text);
    return node;
  }

  function load(source) {
    if (source.inline !== undefined) return Promise.resolve(source.inline);
    if (source.element) {  // data inlined in a <script type="application/json"> (standalone files)
      return Promise.resolve(JSON.parse(document.getElementById(source.element).textContent));
    }
    return fetch(source.url, {credentials: "same-origin"}).then(function (resp) {
      if (!resp.ok) throw new Error(source.url + ": HTTP " + resp.status);
      return resp.json();
    });
  }

  function yi(value, L) {
    if (value === null || value === undefined || value === "") return L.no_amount;
    var n = Number(value);
    return n.toLocaleString(L.locale, {maximumFractionDigits: 4}) + " " + L.yi;
  }

  function withParam(base, key, value) {
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + encodeURIComponent(key) + "=" + encodeURIComponent(value);
  }

  // Filled dot = exact or near site; ring = district representative point; square = zone representative
  // point; large ring = city-wide or outside. Index = style class of a precision. No dashes and no
  // translucent fills: software-rasterised canvas pays for both at 100,000 points.
  var STYLES = [{r: 4, filled: true, square: false}, {r: 5.5, filled: false, square: false},
                {r: 5, filled: false, square: true}, {r: 8, filled: false, square: false}];
  function styleClass(precision) { return precision <= 2 ? 0 : precision === 3 ? 1 : precision === 4 ? 2 : 3; }

  function popupFor(row, data, cfg) {
    var L = cfg.labels, c = data.col;
    var box = el("div", {"class": "kpr-popup"});
    var title = el("b", {"class": "kpr-name"}, row[c.name]);
    box.appendChild(title);
    var dl = el("dl");
    [[L.investment, yi(row[c.investment], L)], [L.status, row[c.status]],
     [L.district, row[c.district] || "—"], [L.precision, data.precisions[String(row[c.precision])] || row[c.precision]],
     [L.group, row[c.groups].map(function (i) { return data.groups[i].name; }).join("、")]]
      .forEach(function (pair) { dl.appendChild(el("dt", {}, pair[0])); dl.appendChild(el("dd", {}, pair[1])); });
    box.appendChild(dl);
    if (cfg.detail_url) {
      box.appendChild(el("a", {href: cfg.detail_url.replace("__CODE__", encodeURIComponent(row[c.code]))}, L.details));
    }
    return box;
  }

  /* All project points on one canvas, drawn straight from the data arrays: 100,000 L.circleMarker objects
   * take seconds to build; this draws them in tens of milliseconds. Each group is a light layer in the
   * layer control that switches its points on or off; clicks and hovers find the nearest visible point. */
  var PointCanvas = L.Layer.extend({
    initialize: function (data) {
      this._data = data;
      this._shown = {};
      var c = data.col, n = data.rows.length;
      this._x = new Float64Array(n);  // Web Mercator pixels at zoom 0, projected once
      this._y = new Float64Array(n);
      this._members = data.groups.map(function () { return [[], [], [], []]; });
      for (var i = 0; i < n; i++) {
        var row = data.rows[i], p = L.CRS.EPSG3857.latLngToPoint(L.latLng(row[c.lat], row[c.lon]), 0);
        this._x[i] = p.x; this._y[i] = p.y;
        var cls = styleClass(row[c.precision]), gs = row[c.groups];
        for (var k = 0; k < gs.length; k++) this._members[gs[k]][cls].push(i);
      }
      this.drawn = 0;
    },
    onAdd: function (map) {
      var pane = map.getPane("kprPoints") || map.createPane("kprPoints");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
      this._canvas = L.DomUtil.create("canvas", "kpr-points", pane);
      map.on("moveend zoomend resize viewreset", this.redraw, this);
      map.on("zoomstart", this._hide, this);
      this.redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset", this.redraw, this);
      map.off("zoomstart", this._hide, this);
    },
    setGroup: function (g, on) {  // one redraw per real change: adding 16 layers must not mean 16 redraws
      if (!!this._shown[g] === on) return;
      this._shown[g] = on;
      if (this._map) this.redraw();
    },
    _hide: function () { this._canvas.style.visibility = "hidden"; },
    _frame: function () {
      var map = this._map, size = map.getSize(), scale = Math.pow(2, map.getZoom());
      var origin = map.getPixelBounds().min;
      return {w: size.x, h: size.y, scale: scale, ox: origin.x, oy: origin.y};
    },
    redraw: function () {
      var map = this._map, f = this._frame(), ratio = window.devicePixelRatio || 1, cv = this._canvas;
      cv.width = f.w * ratio; cv.height = f.h * ratio;
      cv.style.width = f.w + "px"; cv.style.height = f.h + "px";
      L.DomUtil.setPosition(cv, map.containerPointToLayerPoint([0, 0]));
      cv.style.visibility = "visible";
      var ctx = cv.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var drawn = 0, X = this._x, Y = this._y, groups = this._data.groups;
      // Points landing on a pixel already drawn in the same group and style add nothing visible: skip them.
      var gw = (f.w >> 1) + 1, stamp = new Uint32Array(gw * ((f.h >> 1) + 1)), pass = 0;  // 2-px cells
      for (var g = 0; g < groups.length; g++) {
        if (!this._shown[g]) continue;
        for (var cls = 0; cls < 4; cls++) {
          var idx = this._members[g][cls], st = STYLES[cls], r = st.r;
          if (!idx.length) continue;
          pass++;
          ctx.beginPath();
          for (var k = 0; k < idx.length; k++) {
            var x = X[idx[k]] * f.scale - f.ox, y = Y[idx[k]] * f.scale - f.oy;
            if (x < -r || y < -r || x > f.w + r || y > f.h + r) continue;
            drawn++;
            var px = x >> 1, py = y >> 1;
            if (x >= 0 && y >= 0 && x < f.w && y < f.h) {
              var cell = py * gw + px;
              if (stamp[cell] === pass) continue;
              stamp[cell] = pass;
            }
            if (st.square) { ctx.rect(x - r, y - r, 2 * r, 2 * r); continue; }
            ctx.moveTo(x + r, y);
            ctx.arc(x, y, r, 0, 6.283185307179586);
          }
          if (st.filled) { ctx.fillStyle = groups[g].colour; ctx.fill(); continue; }
          ctx.lineWidth = 1.8; ctx.strokeStyle = groups[g].colour; ctx.stroke();
        }
      }
      this.drawn = drawn;
      document.body.setAttribute("data-kpr-visible", String(drawn));
    },
    // The topmost visible point within its radius of a container point, or -1.
    hit: function (pt) {
      var f = this._frame(), best = -1, bestD = Infinity, X = this._x, Y = this._y;
      for (var g = 0; g < this._members.length; g++) {
        if (!this._shown[g]) continue;
        for (var cls = 0; cls < 4; cls++) {
          var idx = this._members[g][cls], r = STYLES[cls].r + 2;
          for (var k = 0; k < idx.length; k++) {
            var dx = X[idx[k]] * f.scale - f.ox - pt.x, dy = Y[idx[k]] * f.scale - f.oy - pt.y, d = dx * dx + dy * dy;
            if (d <= r * r && d <= bestD) { bestD = d; best = idx[k]; }
          }
        }
      }
      return best;
    },
    pointOf: function (code) {  // for tests and deep links: where a project's point is on screen
      var c = this._data.col, f = this._frame();
      for (var i = 0; i < this._data.rows.length; i++) {
        if (this._data.rows[i][c.code] === code) return {x: this._x[i] * f.scale - f.ox, y: this._y[i] * f.scale - f.oy, i: i};
      }
      return null;
    },
    latLngOf: function (i) { var c = this._data.col, row = this._data.rows[i]; return L.latLng(row[c.lat], row[c.lon]); }
  });

  var GroupSwitch = L.Layer.extend({
    initialize: function (points, g) { this._points = points; this._g = g; },
    onAdd: function () { this._points.setGroup(this._g, true); },
    onRemove: function () { this._points.setGroup(this._g, false); },
    getBounds: function () { return null; }
  });

  function drawProjects(map, control, data, cfg) {
    data.col = {};
    data.columns.forEach(function (name, i) { data.col[name] = i; });
    var c = data.col, points = new PointCanvas(data);
    activePoints = points;
    var switches = data.groups.map(function (g0, g) {
      points._shown[g] = true;
      var sw = new GroupSwitch(points, g);
      control.addOverlay(sw, '<span class="kpr-swatch" style="background:' + esc(g0.colour) + '"></span>' +
        esc(g0.name) + ' <span class="kpr-n">' + esc(g0.count) + "</span>");
      return sw;
    });
    points.addTo(map);
    switches.forEach(function (sw) { map.addLayer(sw); });
    // Popups and tooltips are built on demand from the row, with textContent.
    var tip = L.tooltip({direction: "top", offset: [0, -6]}), tipFor = -1;
    map.on("mousemove", function (e) {
      var i = points.hit(e.containerPoint);
      map.getContainer().style.cursor = i >= 0 ? "pointer" : "";
      if (i === tipFor) return;
      tipFor = i;
      if (i < 0) { map.closeTooltip(tip); return; }
      tip.setContent(el("span", {"class": "kpr-tip"}, data.rows[i][c.name]));
      map.openTooltip(tip, points.latLngOf(i));
    });
    map.on("click", function (e) {
      var i = points.hit(e.containerPoint);
      if (i < 0) return;
      L.popup({maxWidth: 320}).setLatLng(points.latLngOf(i)).setContent(popupFor(data.rows[i], data, cfg)).openOn(map);
    });
    return {drawn: data.rows.reduce(function (a, row) { return a + row[c.groups].length; }, 0), points: points};
  }

  function shadeScale(values) {
    var max = Math.max.apply(null, values.concat([0]));
    return function (v) {
      if (!v || !max) return "#ffffff";
      var steps = cfgShades.length, i = Math.min(steps - 1, Math.floor((v / max) * steps));
      return cfgShades[i];
    };
  }
  var cfgShades = [];
  var activePoints = null;  // a click on a project point is not a click on the district under it

  function districtLayers(map, control, base, data, cfg) {
    var L_ = cfg.labels, stats = data.districts || {}, highlight = data.highlight || [];
    function value(adcode, measure) {
      var s = stats[adcode];
      if (!s) return 0;
      return measure === "count" ? s.count : Number(s.investment);
    }
    function build(measure) {
      var codes = base.districts.features.map(function (f) { return f.properties.adcode; });
      var colourOf = measure ? shadeScale(codes.map(function (a) { return value(a, measure); })) : null;
      return L.geoJSON(base.districts, {
        style: function (f) {
          if (highlight.indexOf(f.properties.adcode) >= 0) return {color: "#8b1a1a", weight: 2.5, fillOpacity: 0.25, fillColor: "#f4c7c3"};
          return {color: "#5a5a5a", weight: 1.2, fillOpacity: measure ? 0.7 : 0.15,
                  fillColor: measure ? colourOf(value(f.properties.adcode, measure)) : "#f3efe6"};
        },
        onEachFeature: function (f, layer) {
          var p = f.properties, s = stats[p.adcode] || {count: 0, investment: "0", without_amount: 0};
          layer.bindTooltip(el("span", {}, p.name + " · " + s.count + " " + L_.projects_unit), {sticky: true});
          layer.on("click", function (e) {
            if (activePoints && activePoints.hit(e.containerPoint) >= 0) return;
            var box = el("div", {"class": "kpr-popup"});
            box.appendChild(el("b", {}, p.name));
            box.appendChild(el("div", {}, L_.count + "：" + s.count));
            box.appendChild(el("div", {}, L_.investment + "：" + yi(s.investment, L_)));
            if (cfg.list_url) box.appendChild(el("a", {href: withParam(cfg.list_url, "district", p.adcode), "class": "kpr-district-list"}, L_.open_list));
            L.popup().setLatLng(e.latlng).setContent(box).openOn(map);
          });
        }
      });
    }
    var choices = {none: build(null), count: build("count"), investment: build("investment")};
    var key = shadeKey(map, data, cfg, function (measure) {
      return base.districts.features.map(function (f) { return value(f.properties.adcode, measure); });
    });
    var names = {none: L_.shade_none, count: L_.shade_count, investment: L_.shade_investment};
    Object.keys(choices).forEach(function (k) { control.addBaseLayer(choices[k], esc(names[k])); });
    var current = choices[cfg.shade] ? cfg.shade : "count";
    choices[current].addTo(map);
    map.on("baselayerchange", function (e) {
      Object.keys(choices).forEach(function (k) {
        if (choices[k] === e.layer) {
          current = k;
          if (window.history && window.history.replaceState && cfg.remember_shade) {
            var url = new URL(window.location.href);
            url.searchParams.set("shade", k);
            window.history.replaceState(null, "", url.toString());
          }
          document.body.setAttribute("data-kpr-shade", k);
          key(k);
        }
      });
      e.layer.bringToBack();
    });
    document.body.setAttribute("data-kpr-shade", current);
    key(current);
    return choices[current];
  }

  // The key to the district shading: the class breaks of shadeScale with their unit, and how many projects
  // the amounts leave out. Returns update(measure); hidden when the districts are not shaded.
  function shadeKey(map, data, cfg, valuesOf) {
    var L_ = cfg.labels, box = el("div", {"class": "kpr-legend kpr-shade-key", "data-testid": "shade-key"});
    var ctl = L.control({position: "bottomright"});
    ctl.onAdd = function () { return box; };
    ctl.addTo(map);
    return function (measure) {
      while (box.firstChild) box.removeChild(box.firstChild);
      box.hidden = measure !== "count" && measure !== "investment";
      if (box.hidden) return;
      var max = Math.max.apply(null, valuesOf(measure).concat([0])), steps = cfgShades.length;
      var unit = measure === "count" ? L_.projects_unit : L_.yi;
      box.appendChild(el("b", {}, (measure === "count" ? L_.shade_count : L_.shade_investment) + "（" + unit + "）"));
      var list = el("ul", {});
      function row(colour, text) {
        var li = el("li", {"class": "kpr-break"}), sw = el("span", {"class": "kpr-swatch kpr-box"});
        sw.style.background = colour;
        li.appendChild(sw);
        li.appendChild(el("span", {}, text));
        list.appendChild(li);
      }
      var fmt = function (v) { return Number(v).toLocaleString(L_.locale, {maximumFractionDigits: measure === "count" ? 1 : 2}); };
      row("#ffffff", "0");
      for (var i = 0; i < steps && max; i++) {
        row(cfgShades[i], fmt(i * max / steps) + " – " + fmt((i + 1) * max / steps) + (i < steps - 1 ? L_.key_below : ""));
      }
      box.appendChild(list);
      if (measure === "investment") {
        box.appendChild(el("div", {"class": "kpr-unplaced", "data-testid": "shade-key-without"},
                           L_.key_without.replace("{n}", String(data.without_amount || 0))));
      }
    };
  }

  function zoneLayer(base, cfg) {
    var L_ = cfg.labels;
    return L.geoJSON(base.zones, {
      style: function (f) {
        var schematic = f.properties.status !== "official";
        return {color: "#6a3d9a", weight: 1.5, fillOpacity: 0.05, dashArray: schematic ? "6 4" : null};
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        var text = p.name + (p.status !== "official" ? " · " + L_.schematic : "");
        layer.bindTooltip(el("span", {"class": "kpr-zone-tip"}, text), {sticky: true});
      }
    });
  }

  function corridorLayers(map, control, base, cfg) {
    base.corridors.features.forEach(function (f) {
      var kind = f.properties.kind;
      var layer = L.geoJSON(f, {style: {color: kind === "corridor" ? "#d95f02" : "#1b9e77", weight: 2,
                                        fillOpacity: 0.07, dashArray: "8 6"}, interactive: false});
      var label = (kind === "corridor" ? cfg.labels.corridor : cfg.labels.region) + "：" + f.properties.name;
      control.addOverlay(layer, esc(label));
      if ((cfg.corridors || []).indexOf(f.properties.code) >= 0) layer.addTo(map);
    });
  }

  function legend(map, data, cfg) {
    var L_ = cfg.labels;
    var ctl = L.control({position: cfg.compact ? "bottomright" : "bottomleft"});
    ctl.onAdd = function () {
      var box = el("div", {"class": "kpr-legend", "data-testid": "legend"});
      var title = {strategy: L_.by_strategy, progress: L_.by_progress}[data.group_by] || L_.by_chain;
      if (!cfg.compact) box.appendChild(el("b", {}, title));
      var list = el("ul", {});
      data.groups.forEach(function (g) {
        var li = el("li", {"data-group": g.key, "data-count": String(g.count)});
        var sw = el("span", {"class": "kpr-swatch"});
        sw.style.background = g.colour;
        li.appendChild(sw);
        li.appendChild(el("span", {"class": "kpr-gname"}, g.name));
        li.appendChild(el("span", {"class": "kpr-n"}, g.count));
        list.appendChild(li);
      });
      if (!cfg.compact) box.appendChild(list);
      if (data.rule && !cfg.compact) box.appendChild(el("p", {"class": "kpr-rule", "data-testid": "legend-rule"}, data.rule));
      var sym = el("ul", {"class": "kpr-symbols"});
      var symbols = [["kpr-dot", L_.sym_exact, 1], ["kpr-ring", L_.sym_district, 3], ["kpr-square", L_.sym_zone, 4],
                     ["kpr-zone-line", L_.schematic_note, 0]];
      if (cfg.compact) {  // only the symbols this project's locations use
        var used = data.rows.map(function (r) { return Math.min(r[data.col.precision], 4) <= 2 ? 1 : Math.min(r[data.col.precision], 4); });
        symbols = symbols.filter(function (s) { return used.indexOf(s[2]) >= 0; });
      }
      symbols.forEach(function (s) {
        var li = el("li");
        li.appendChild(el("span", {"class": s[0]}));
        li.appendChild(el("span", {}, s[1]));
        sym.appendChild(li);
      });
      box.appendChild(sym);
      var unplaced = Object.keys(data.unplaced || {}).reduce(function (a, k) { return a + data.unplaced[k]; }, 0);
      if (unplaced) box.appendChild(el("p", {"class": "kpr-unplaced", "data-testid": "unplaced"},
                         L_.unplaced.replace("{n}", unplaced)));
      if (!data.count) box.insertBefore(el("p", {"class": "kpr-empty", "data-testid": "map-empty"}, L_.empty), box.firstChild);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
  }

  function start(map, control, cfg) {
    cfgShades = cfg.shades || ["#fee5d9", "#fcae91", "#fb6a4a", "#cb181d"];
    // A compact map has no layer control: layers are simply on.
    control = control || {addOverlay: function () {}, addBaseLayer: function () {}};
    window.kprMap = {ready: false, map: map};
    return Promise.all([load(cfg.base), load(cfg.data)]).then(function (loaded) {
      var base = loaded[0], data = loaded[1], timing = {loaded: performance.now()};
      (base.context.features.length ? L.geoJSON(base.context, {style: {color: "#9aa5b1", weight: 1, fill: false},
        interactive: false}) : L.layerGroup()).addTo(map);
      var districts = districtLayers(map, control, base, data, cfg);
      var zones = zoneLayer(base, cfg).addTo(map);
      control.addOverlay(zones, esc(cfg.labels.zones));
      corridorLayers(map, control, base, cfg);
      timing.base = performance.now();
      if (cfg.fit === "points" && data.rows.length) {
        var c0 = data.columns.indexOf("lat"), c1 = data.columns.indexOf("lon");
        map.fitBounds(L.latLngBounds(data.rows.map(function (r) { return [r[c0], r[c1]]; })), {padding: [30, 30], maxZoom: 11, animate: false});
      } else if (base.districts.features.length) map.fitBounds(districts.getBounds(), {padding: [10, 10], animate: false});
      timing.fit = performance.now();
      var projects = drawProjects(map, control, data, cfg), drawn = projects.drawn;
      legend(map, data, cfg);
      timing.drawn = performance.now();
      window.kprMap = {ready: true, map: map, drawn: drawn, placed: data.rows.length, count: data.count,
                       points: projects.points, timing: timing, visible: function () { return projects.points.drawn; },
                       groups: data.groups.map(function (g) { return {key: g.key, name: g.name, count: g.count}; })};
      document.body.setAttribute("data-kpr-ready", "1");
      document.body.setAttribute("data-kpr-drawn", String(drawn));
      return window.kprMap;
    }).catch(function (err) {
      var box = document.getElementById("kpr-map-error");
      if (box) { box.textContent = cfg.labels.load_failed + " " + err.message; box.hidden = false; }
      document.body.setAttribute("data-kpr-ready", "error");
      throw err;
    });
  }

  window.KprMap = {start: start, esc: esc};
})();
