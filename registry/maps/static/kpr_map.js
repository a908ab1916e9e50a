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

  // Shapes. On the city map a project's own site is a circle whose area grows with 总投资 (the scale comes
  // with the data: data.size), or a small hollow square when the amount is unknown; projects placed only at a
  // district's or zone's representative point are counted in one badge per place (see badges below). The
  // small detail map keeps the precision shapes: filled dot = site, ring = district point, square = zone
  // point, large ring = city-wide. No dashes on the points: software-rasterised canvas pays for them (and
  // for stroked polygons: 18,000 hollow diamonds took 100 ms a redraw, the same squares 3 ms).
  var SHAPES = [{r: 4, mode: "fill"}, {r: 5.5, mode: "ring"}, {r: 5, mode: "square"}, {r: 8, mode: "ring"},
                {r: 0, mode: "sized"}, {r: 4.5, mode: "square"}];
  var SIZED = 4, UNKNOWN = 5;
  function precisionShape(precision) { return precision <= 2 ? 0 : precision === 3 ? 1 : precision === 4 ? 2 : 3; }
  function sizedRadius(amount, size) {  // the same rule as registry/maps/symbols.py radius()
    if (!size || !(amount > 0)) return size ? size.r_min : 3;
    return Math.max(size.r_min, size.r_max * Math.sqrt(amount / size.largest));
  }

  // The "no group" entry is interface text (the page's language), every other group name is data.
  function groupName(g, data, L) {
    if (data.group_by === "progress") { return L["class_" + g.key] || g.name; } // progress classes are words
    return g.key === "_none" ? (L["none_" + data.group_by] || g.name) : g.name;
  }

  function popupFor(row, data, cfg) {
    var L = cfg.labels, c = data.col;
    var box = el("div", {"class": "kpr-popup"});
    var title = el("b", {"class": "kpr-name"}, row[c.name]);
    box.appendChild(title);
    var dl = el("dl");
    [[L.investment, yi(row[c.investment], L)], [L.status, L["status_" + row[c.status]] || row[c.status]],
     [L.district, row[c.district] || "—"],
     [L.precision, L["precision_" + row[c.precision]] || data.precisions[String(row[c.precision])] || row[c.precision]],
     [L.group, row[c.groups].map(function (i) { return groupName(data.groups[i], data, L); }).join(L.list_sep || "、")]]
      .forEach(function (pair) { dl.appendChild(el("dt", {}, pair[0])); dl.appendChild(el("dd", {}, pair[1])); });
    box.appendChild(dl);
    if (cfg.detail_url) {
      box.appendChild(el("a", {href: cfg.detail_url.replace("__CODE__", encodeURIComponent(row[c.code]))}, L.details));
    }
    return box;
  }

  // A badge's popup: the place, how many projects are located only that far, the largest ones with links,
  // and the list page filtered to the place.
  function badgePopup(badge, data, cfg) {
    var L = cfg.labels, c = data.col, info = badge.info;
    var box = el("div", {"class": "kpr-popup kpr-badge-popup"});
    box.appendChild(el("b", {"class": "kpr-name"}, info.name + " · " + badge.n + " " + L.projects_unit));
    box.appendChild(el("div", {"class": "kpr-n"}, info.kind === "zone" ? L.badge_zone : L.badge_district));
    var rows = badge.rows.slice().sort(function (a, b) {
      var va = data.rows[a][c.investment], vb = data.rows[b][c.investment];
      return (vb === null ? -1 : vb) - (va === null ? -1 : va);
    });
    var list = el("ul", {"class": "kpr-badge-list"});
    rows.slice(0, BADGE_LIST).forEach(function (i) {
      var row = data.rows[i], li = el("li");
      if (cfg.detail_url) {
        li.appendChild(el("a", {href: cfg.detail_url.replace("__CODE__", encodeURIComponent(row[c.code]))}, row[c.name]));
      } else li.appendChild(el("span", {}, row[c.name]));
      li.appendChild(el("span", {"class": "kpr-n"}, " " + yi(row[c.investment], L)));
      list.appendChild(li);
    });
    box.appendChild(list);
    if (rows.length > BADGE_LIST) box.appendChild(el("div", {"class": "kpr-n"}, L.badge_more.replace("{n}", rows.length - BADGE_LIST)));
    if (cfg.list_url) box.appendChild(el("a", {href: withParam(cfg.list_url, info.param, info.value), "class": "kpr-badge-listlink"}, L.badge_list));
    return box;
  }
  var BADGE_LIST = 12;

  /* All project symbols on one canvas, drawn straight from the data arrays: 100,000 L.circleMarker objects
   * take seconds to build; this draws them in tens of milliseconds. Each group is a light layer in the
   * layer control that switches its points on or off; clicks and hovers find the nearest visible symbol.
   * Projects sharing an anchor (a district's or zone's representative point) become one badge with their
   * count and a ring split by group, so a district with 50 projects is one readable mark, not a hairball. */
  var PointCanvas = L.Layer.extend({
    initialize: function (data, cfg) {
      this._data = data;
      this._shown = {};
      var c = data.col, n = data.rows.length, badges = !cfg.compact && c.anchor !== undefined;
      this._x = new Float64Array(n);  // Web Mercator pixels at zoom 0, projected once
      this._y = new Float64Array(n);
      this._r = new Float32Array(n);
      this._members = data.groups.map(function () { return SHAPES.map(function () { return []; }); });
      this._anchors = {};  // anchor key → row indices
      for (var i = 0; i < n; i++) {
        var row = data.rows[i], p = L.CRS.EPSG3857.latLngToPoint(L.latLng(row[c.lat], row[c.lon]), 0);
        this._x[i] = p.x; this._y[i] = p.y;
        var key = badges ? row[c.anchor] : null;
        if (key) { (this._anchors[key] = this._anchors[key] || []).push(i); continue; }
        var shape = precisionShape(row[c.precision]);
        if (badges) shape = row[c.investment] === null ? UNKNOWN : SIZED;
        this._r[i] = shape === SIZED ? sizedRadius(row[c.investment], data.size) : SHAPES[shape].r;
        var gs = row[c.groups];
        for (var k = 0; k < gs.length; k++) this._members[gs[k]][shape].push(i);
      }
      var R = this._r;  // big circles first, so smaller ones stay on top and clickable
      this._members.forEach(function (m) { m[SIZED].sort(function (a, b) { return R[b] - R[a]; }); });
      this._badges = null;
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
      this._badges = null;
      if (this._map) this.redraw();
    },
    // Badges for the groups switched on: per anchor, its visible projects and how many of them per group.
    badges: function () {
      if (this._badges) return this._badges;
      var data = this._data, c = data.col, shown = this._shown, out = [];
      Object.keys(this._anchors).sort().forEach(function (key) {
        var rows = [], shares = {}, members = 0;
        var idx = this._anchors[key];
        for (var k = 0; k < idx.length; k++) {
          var gs = data.rows[idx[k]][c.groups], any = false;
          for (var j = 0; j < gs.length; j++) {
            if (!shown[gs[j]]) continue;
            shares[gs[j]] = (shares[gs[j]] || 0) + 1; members++; any = true;
          }
          if (any) rows.push(idx[k]);
        }
        if (!rows.length) return;
        var i0 = this._anchors[key][0];
        out.push({key: key, info: (data.anchors || {})[key] || {name: key, kind: "district"}, rows: rows, n: rows.length,
                  shares: shares, members: members, x: this._x[i0], y: this._y[i0], r: 10 + 3 * (String(rows.length).length - 1)});
      }, this);
      this._badges = out;
      return out;
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
      var drawn = 0, X = this._x, Y = this._y, R = this._r, groups = this._data.groups;
      // A symbol landing on a 2-px cell already holding one at least as big, in the same group and shape,
      // adds nothing visible: skip it (this is what keeps 100,000 points fast).
      var gw = (f.w >> 1) + 1, cells = gw * ((f.h >> 1) + 1), stamp = new Uint32Array(cells), big = new Float32Array(cells), pass = 0;
      for (var g = 0; g < groups.length; g++) {
        if (!this._shown[g]) continue;
        for (var s = 0; s < SHAPES.length; s++) {
          var idx = this._members[g][s], mode = SHAPES[s].mode;
          if (!idx.length) continue;
          pass++;
          ctx.beginPath();
          for (var k = 0; k < idx.length; k++) {
            var r = R[idx[k]], x = X[idx[k]] * f.scale - f.ox, y = Y[idx[k]] * f.scale - f.oy;
            if (x < -r || y < -r || x > f.w + r || y > f.h + r) continue;
            drawn++;
            if (x >= 0 && y >= 0 && x < f.w && y < f.h) {
              var cell = (y >> 1) * gw + (x >> 1);
              if (stamp[cell] === pass && big[cell] >= r) continue;
              stamp[cell] = pass; big[cell] = r;
            }
            if (mode === "square") { ctx.rect(x - r, y - r, 2 * r, 2 * r); continue; }
            ctx.moveTo(x + r, y);
            ctx.arc(x, y, r, 0, 6.283185307179586);
          }
          var colour = groups[g].colour;
          if (mode === "fill") { ctx.fillStyle = colour; ctx.fill(); continue; }
          if (mode === "sized") {
            ctx.globalAlpha = 0.55; ctx.fillStyle = colour; ctx.fill(); ctx.globalAlpha = 1;
            ctx.lineWidth = 1.2; ctx.strokeStyle = colour; ctx.stroke(); continue;
          }
          ctx.lineWidth = 1.8; ctx.strokeStyle = colour; ctx.stroke();
        }
      }
      drawn += this._drawBadges(ctx, f);
      this.drawn = drawn;
      document.body.setAttribute("data-kpr-visible", String(drawn));
    },
    // Badges on screen, districts first: a badge that would cover one already placed (a zone's point close to
    // its district's) moves aside along a short leader line from its true point.
    _layout: function (f) {
      var spots = [];
      function clash(x, y, r) {
        return spots.some(function (o) { return Math.hypot(o.x - x, o.y - y) < o.b.r + r + 3; });
      }
      this.badges().forEach(function (b) {
        var ax = b.x * f.scale - f.ox, ay = b.y * f.scale - f.oy, x = ax, y = ay;
        // The nearest free spot on two rings around the true point; if none is free, stay on it (overlap).
        search: for (var ring = 1; ring <= 2 && clash(x, y, b.r); ring++) {
          var dist = ring * (2 * b.r + 4);
          for (var k = 0; k < 8; k++) {
            var cx = ax + dist * Math.cos(k * Math.PI / 4), cy = ay + dist * Math.sin(k * Math.PI / 4);
            if (!clash(cx, cy, b.r)) { x = cx; y = cy; break search; }
          }
          if (ring === 2) { x = ax; y = ay; }
        }
        spots.push({b: b, x: x, y: y, ax: ax, ay: ay});
      });
      this._spots = spots;
      return spots;
    },
    // A white disc with the count, a ring split by the groups' shares; a zone's badge also has a square frame.
    _drawBadges: function (ctx, f) {
      var groups = this._data.groups, drawn = 0;
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.font = "bold 11px 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
      this._layout(f).forEach(function (spot) {
        var b = spot.b, x = spot.x, y = spot.y, r = b.r;
        if (x < -r || y < -r || x > f.w + r || y > f.h + r) return;
        drawn += b.members;
        if (x !== spot.ax || y !== spot.ay) {
          ctx.beginPath(); ctx.moveTo(spot.ax, spot.ay); ctx.lineTo(x, y);
          ctx.lineWidth = 1; ctx.strokeStyle = "#3e4c59"; ctx.stroke();
          ctx.beginPath(); ctx.arc(spot.ax, spot.ay, 2, 0, 6.283185307179586); ctx.fillStyle = "#3e4c59"; ctx.fill();
        }
        if (b.info.kind === "zone") {
          ctx.lineWidth = 1.5; ctx.strokeStyle = "#6a3d9a"; ctx.strokeRect(x - r - 3, y - r - 3, 2 * r + 6, 2 * r + 6);
        }
        ctx.beginPath(); ctx.arc(x, y, r, 0, 6.283185307179586);
        ctx.fillStyle = "#ffffff"; ctx.fill();
        var start = -Math.PI / 2;
        Object.keys(b.shares).forEach(function (g) {
          var end = start + 2 * Math.PI * b.shares[g] / b.members;
          ctx.beginPath(); ctx.arc(x, y, r - 2, start, end);
          ctx.lineWidth = 4; ctx.strokeStyle = groups[g].colour; ctx.stroke();
          start = end;
        });
        ctx.beginPath(); ctx.arc(x, y, r, 0, 6.283185307179586);
        ctx.lineWidth = 1; ctx.strokeStyle = "#3e4c59"; ctx.stroke();
        ctx.fillStyle = "#1f2933"; ctx.fillText(String(b.n), x, y + 0.5);
      });
      return drawn;
    },
    // The smallest visible symbol containing a container point (nested circles: the inner one), or -1.
    hit: function (pt) {
      var f = this._frame(), best = -1, bestR = Infinity, X = this._x, Y = this._y, R = this._r;
      for (var g = 0; g < this._members.length; g++) {
        if (!this._shown[g]) continue;
        for (var s = 0; s < SHAPES.length; s++) {
          var idx = this._members[g][s];
          for (var k = 0; k < idx.length; k++) {
            var r = R[idx[k]] + 2, dx = X[idx[k]] * f.scale - f.ox - pt.x, dy = Y[idx[k]] * f.scale - f.oy - pt.y;
            if (dx * dx + dy * dy <= r * r && r <= bestR) { bestR = r; best = idx[k]; }
          }
        }
      }
      return best;
    },
    hitBadge: function (pt) {  // the nearest badge under a container point, where the last redraw put it
      var found = null, bestD = Infinity;
      (this._spots || []).forEach(function (spot) {
        var d = Math.hypot(spot.x - pt.x, spot.y - pt.y);
        if (d <= spot.b.r + 3 && d < bestD) { bestD = d; found = spot.b; }
      });
      return found;
    },
    hitAny: function (pt) { return this.hitBadge(pt) !== null || this.hit(pt) >= 0; },
    pointOf: function (code) {  // for tests and deep links: where a project's symbol (or its badge) is on screen
      var c = this._data.col, f = this._frame();
      for (var i = 0; i < this._data.rows.length; i++) {
        if (this._data.rows[i][c.code] !== code) continue;
        var key = this._data.rows[i][c.anchor], spot = key && (this._spots || []).filter(function (s) { return s.b.key === key; })[0];
        if (spot) return {x: spot.x, y: spot.y, i: i};
        return {x: this._x[i] * f.scale - f.ox, y: this._y[i] * f.scale - f.oy, i: i};
      }
      return null;
    },
    symbolOf: function (code) {  // for tests: how a project is drawn (a badge's key, or its shape and radius)
      var at = this.pointOf(code);
      if (!at) return null;
      var key = this._data.rows[at.i][this._data.col.anchor];
      if (key && this._anchors[key]) return {badge: key};
      for (var g = 0; g < this._members.length; g++) {
        for (var s = 0; s < SHAPES.length; s++) {
          if (this._members[g][s].indexOf(at.i) >= 0) return {shape: SHAPES[s].mode, r: this._r[at.i]};
        }
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
    var c = data.col, points = new PointCanvas(data, cfg);
    activePoints = points;
    var switches = data.groups.map(function (g0, g) {
      points._shown[g] = true;
      var sw = new GroupSwitch(points, g);
      control.addOverlay(sw, '<span class="kpr-swatch" style="background:' + esc(g0.colour) + '"></span>' +
        esc(groupName(g0, data, cfg.labels)) + ' <span class="kpr-n">' + esc(g0.count) + "</span>");
      return sw;
    });
    // Drawn by attach(), once the first view is fitted: one full redraw instead of two.
    function attach() { points.addTo(map); switches.forEach(function (sw) { map.addLayer(sw); }); }
    // Popups and tooltips are built on demand from the row, with textContent.
    var tip = L.tooltip({direction: "top", offset: [0, -6]}), tipFor = null;
    map.on("mousemove", function (e) {
      var b = points.hitBadge(e.containerPoint), i = b ? -1 : points.hit(e.containerPoint), at = b ? b.key : i;
      map.getContainer().style.cursor = b || i >= 0 ? "pointer" : "";
      if (at === tipFor) return;
      tipFor = at;
      if (!b && i < 0) { map.closeTooltip(tip); return; }
      if (b) {
        tip.setContent(el("span", {"class": "kpr-tip kpr-badge-tip"}, b.info.name + "：" + b.n + " " + cfg.labels.projects_unit));
        map.openTooltip(tip, points.latLngOf(b.rows[0]));
        return;
      }
      tip.setContent(el("span", {"class": "kpr-tip"}, data.rows[i][c.name]));
      map.openTooltip(tip, points.latLngOf(i));
    });
    map.on("click", function (e) {
      var b = points.hitBadge(e.containerPoint);
      if (b) { L.popup({maxWidth: 340}).setLatLng(points.latLngOf(b.rows[0])).setContent(badgePopup(b, data, cfg)).openOn(map); return; }
      var i = points.hit(e.containerPoint);
      if (i < 0) return;
      L.popup({maxWidth: 320}).setLatLng(points.latLngOf(i)).setContent(popupFor(data.rows[i], data, cfg)).openOn(map);
    });
    return {drawn: data.rows.reduce(function (a, row) { return a + row[c.groups].length; }, 0), points: points,
            attach: attach};
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
            if (activePoints && activePoints.hitAny(e.containerPoint)) return;
            var box = el("div", {"class": "kpr-popup"});
            box.appendChild(el("b", {}, p.name));
            box.appendChild(el("div", {}, L_.count + (L_.colon || "：") + s.count));
            box.appendChild(el("div", {}, L_.investment + (L_.colon || "：") + yi(s.investment, L_)));
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
    L.DomEvent.disableClickPropagation(box);
    var open = !isSmall(map);  // folded on a small map, like the legend; a choice survives switching measure
    return function (measure) {
      while (box.firstChild) box.removeChild(box.firstChild);
      box.hidden = measure !== "count" && measure !== "investment";
      if (box.hidden) return;
      var max = Math.max.apply(null, valuesOf(measure).concat([0])), steps = cfgShades.length;
      var unit = measure === "count" ? L_.projects_unit : L_.yi;
      var body = el("details", {}), summary = el("summary", {"data-testid": "shade-key-toggle"});
      body.open = open;
      body.addEventListener("toggle", function () { open = body.open; });
      summary.appendChild(el("b", {}, (measure === "count" ? L_.shade_count : L_.shade_investment) +
                                   (L_.aside || "（{x}）").replace("{x}", unit)));
      body.appendChild(summary);
      box.appendChild(body);
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
      body.appendChild(list);
      if (measure === "investment") {
        body.appendChild(el("div", {"class": "kpr-unplaced", "data-testid": "shade-key-without"},
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
      var label = (kind === "corridor" ? cfg.labels.corridor : cfg.labels.region) + (cfg.labels.colon || "：") + f.properties.name +
        (f.properties.unconfirmed ? (cfg.labels.aside || "（{x}）").replace("{x}", cfg.labels.unconfirmed) : "");
      control.addOverlay(layer, esc(label));
      if ((cfg.corridors || []).indexOf(f.properties.code) >= 0) layer.addTo(map);
    });
  }

  // The size key: reference circles drawn with the map's own rule, their amounts in 亿元, and the rule in words.
  function sizeKey(size, L_) {
    var NS = "http://www.w3.org/2000/svg", box = el("div", {"class": "kpr-size-key", "data-testid": "size-key"});
    box.appendChild(el("b", {}, L_.size_title));
    var biggest = size.ticks[0].r, w = 2 * biggest + 4, svg = document.createElementNS(NS, "svg"), labelY = -Infinity;
    size.ticks.forEach(function (t) {  // nested circles on one baseline, each labelled level with its top
      var circle = document.createElementNS(NS, "circle"), cy = w - 2 - t.r;
      circle.setAttribute("cx", String(biggest + 2)); circle.setAttribute("cy", String(cy));
      circle.setAttribute("r", String(t.r)); circle.setAttribute("class", "kpr-size-ref");
      svg.appendChild(circle);
      labelY = Math.max(cy - t.r + 9, labelY + 13);
      var text = document.createElementNS(NS, "text");
      text.setAttribute("x", String(w + 6)); text.setAttribute("y", String(labelY));
      text.setAttribute("data-value", String(t.value));
      text.textContent = Number(t.value).toLocaleString(L_.locale, {maximumFractionDigits: 2}) + " " + L_.yi;
      svg.appendChild(text);
    });
    svg.setAttribute("width", String(w + 90)); svg.setAttribute("height", String(Math.max(w, labelY + 4)));
    box.appendChild(svg);
    box.appendChild(el("div", {"class": "kpr-n", "data-testid": "size-rule"}, L_.size_rule
      .replace("{max}", Number(size.largest).toLocaleString(L_.locale, {maximumFractionDigits: 2}))
      .replace("{min}", String(size.r_min))));
    return box;
  }

  // Panels fold on small maps, so they do not cover the city: the legend is a <details>, the layer control
  // gets a button. Both start open where the map is wide enough.
  var SMALL_MAP = 700;
  function isSmall(map) { return map.getSize().x < SMALL_MAP; }

  function legend(map, data, cfg) {
    var L_ = cfg.labels;
    var ctl = L.control({position: cfg.compact ? "bottomright" : "bottomleft"});
    ctl.onAdd = function () {
      var box = el("div", {"class": "kpr-legend", "data-testid": "legend"}), body = box;
      if (!data.count) box.appendChild(el("p", {"class": "kpr-empty", "data-testid": "map-empty"}, L_.empty));
      if (!cfg.compact) {
        body = el("details", {"class": "kpr-legend-body"});
        body.open = !isSmall(map);
        var summary = el("summary", {"data-testid": "legend-toggle"});
        var title = {strategy: L_.by_strategy, progress: L_.by_progress}[data.group_by] || L_.by_chain;
        summary.appendChild(el("b", {}, title));
        body.appendChild(summary);
        box.appendChild(body);
        var list = el("ul", {});
        data.groups.forEach(function (g) {
          var li = el("li", {"data-group": g.key, "data-count": String(g.count)});
          var sw = el("span", {"class": "kpr-swatch"});
          sw.style.background = g.colour;
          li.appendChild(sw);
          li.appendChild(el("span", {"class": "kpr-gname"}, groupName(g, data, L_)));
          li.appendChild(el("span", {"class": "kpr-n"}, g.count));
          list.appendChild(li);
        });
        body.appendChild(list);
        if (data.rule) {
          body.appendChild(el("p", {"class": "kpr-rule", "data-testid": "legend-rule"},
                              (L_.locale === "en" && data.rule_en) || data.rule));
        }
        if (data.size) body.appendChild(sizeKey(data.size, L_));
      }
      var sym = el("ul", {"class": "kpr-symbols"});
      var symbols = [["kpr-dot", L_.sym_exact, 1], ["kpr-ring", L_.sym_district, 3], ["kpr-square", L_.sym_zone, 4],
                     ["kpr-zone-line", L_.schematic_note, 0]];
      if (cfg.compact) {  // only the symbols this project's locations use
        var used = data.rows.map(function (r) { return Math.min(r[data.col.precision], 4) <= 2 ? 1 : Math.min(r[data.col.precision], 4); });
        symbols = symbols.filter(function (s) { return used.indexOf(s[2]) >= 0; });
      } else {
        symbols = [["kpr-square kpr-unknown", L_.sym_unknown], ["kpr-badge", L_.sym_badge_district],
                   ["kpr-badge kpr-badge-zone", L_.sym_badge_zone], ["kpr-zone-line", L_.schematic_note]];
      }
      symbols.forEach(function (s) {
        var li = el("li");
        li.appendChild(el("span", {"class": s[0]}, s[0].indexOf("kpr-badge") === 0 ? "3" : null));
        li.appendChild(el("span", {}, s[1]));
        sym.appendChild(li);
      });
      body.appendChild(sym);
      var unplaced = Object.keys(data.unplaced || {}).reduce(function (a, k) { return a + data.unplaced[k]; }, 0);
      if (unplaced) box.appendChild(el("p", {"class": "kpr-unplaced", "data-testid": "unplaced"},
                         L_.unplaced.replace("{n}", unplaced)));
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    ctl.addTo(map);
    return ctl.getContainer();
  }

  function foldable(map, control, cfg) {
    if (!control.getContainer) return null;
    var box = control.getContainer(), L_ = cfg.labels;
    box.classList.add("kpr-foldable");
    var button = el("button", {type: "button", "class": "kpr-layers-toggle", "data-testid": "layers-toggle"});
    function set(open) {
      box.classList.toggle("kpr-folded", !open);
      button.setAttribute("aria-expanded", String(open));
      button.textContent = (open ? "▾ " : "▸ ") + L_.layers;
    }
    button.addEventListener("click", function () { set(box.classList.contains("kpr-folded")); });
    box.insertBefore(button, box.firstChild);
    set(!isSmall(map));
    return box;
  }

  // Names from our own boundaries: each district under its badge point, each neighbouring city where it
  // meets Taiyuan. Their own pane sits below the project symbols and takes no clicks.
  function labelLayer(map, labels) {
    var pane = map.getPane("kprLabels") || map.createPane("kprLabels");
    pane.style.zIndex = 440;
    pane.style.pointerEvents = "none";
    var texts = [];
    var group = L.layerGroup(labels.map(function (l) {
      var text = el("span", {"class": "kpr-label-text", "data-kind": l.kind}, l.name);
      texts.push(text);
      return L.marker([l.lat, l.lon], {icon: L.divIcon({className: "kpr-label kpr-label-" + l.kind, html: text, iconSize: null}),
                                       interactive: false, keyboard: false, pane: "kprLabels"});
    }));
    // Where names would overprint each other (the small central districts at city zoom), the later one waits
    // for a closer zoom; districts come first, so a neighbouring city's name gives way to them.
    function declutter() {
      var kept = [];
      texts.forEach(function (t) {
        t.style.visibility = "";
        var r = t.getBoundingClientRect();
        if (!r.width) return;
        var hit = kept.some(function (k) { return r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom; });
        if (hit) t.style.visibility = "hidden"; else kept.push(r);
      });
    }
    map.on("zoomend moveend", declutter);
    group.on("add", function () { setTimeout(declutter, 0); });
    return group;
  }

  // Room for the panels in the first view: the city fits between the legend (left) and the layer control
  // and shading key (right), never squeezed below 40 % of the map's width.
  function fitPadding(map, panels) {
    var width = map.getSize().x, left = 10, right = 10;
    if (isSmall(map)) return {padding: [10, 10], animate: false};  // panels start folded there
    if (panels.left && panels.left.offsetWidth) left += panels.left.offsetWidth;
    panels.right.forEach(function (p) { if (p && p.offsetWidth) right = Math.max(right, 10 + p.offsetWidth); });
    var excess = left + right - 0.6 * width;
    if (excess > 0) { var k = (0.6 * width) / (left + right); left *= k; right *= k; }
    return {paddingTopLeft: [Math.round(left), 10], paddingBottomRight: [Math.round(right), 10], animate: false};
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
      if (!cfg.compact && base.labels && base.labels.length) {
        var names = labelLayer(map, base.labels).addTo(map);
        control.addOverlay(names, esc(cfg.labels.place_names));
      }
      timing.base = performance.now();
      var projects = drawProjects(map, control, data, cfg), drawn = projects.drawn;
      var legendBox = legend(map, data, cfg), layersBox = foldable(map, control, cfg);
      if (cfg.fit === "points" && data.rows.length) {
        var c0 = data.columns.indexOf("lat"), c1 = data.columns.indexOf("lon");
        map.fitBounds(L.latLngBounds(data.rows.map(function (r) { return [r[c0], r[c1]]; })), {padding: [30, 30], maxZoom: 11, animate: false});
      } else if (base.districts.features.length) {
        var shadeBox = document.querySelector(".kpr-shade-key");
        map.fitBounds(districts.getBounds(), fitPadding(map, {left: legendBox, right: [layersBox, shadeBox]}));
      }
      timing.fit = performance.now();
      projects.attach();
      timing.drawn = performance.now();
      window.kprMap = {ready: true, map: map, drawn: drawn, placed: data.rows.length, count: data.count,
                       points: projects.points, timing: timing, cityBounds: districts.getBounds(), visible: function () { return projects.points.drawn; },
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
