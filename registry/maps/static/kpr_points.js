/* L.KprPointLayer: a Leaflet plugin drawing many project symbols on one canvas straight from the map data's
 * row arrays (100,000 L.circleMarker objects take seconds to build; this draws them in tens of milliseconds).
 * Groups are switched on and off with light layers (L.KprPointLayer.GroupSwitch) that a layer control can
 * list; hit() and hitBadge() find the symbol under a container point, so the page builds tooltips and popups
 * only on demand. Projects sharing an anchor (a district's or zone's representative point) become one badge
 * with their count and a ring split by group, so a district with 50 projects is one readable mark.
 * Defines nothing but L.KprPointLayer and L.kprPointLayer. Draws no text from the data. */
(function () {
  "use strict";

  // Shapes. On the city map a project's own site is a circle whose area grows with 总投资 (the scale comes
  // with the data: data.size), or a small hollow square when the amount is unknown; projects placed only at a
  // district's or zone's representative point are counted in one badge per place. The small detail map
  // (badges: false) keeps the precision shapes: filled dot = site, ring = district point, square = zone
  // point, large ring = city-wide. No dashes on the points: software-rasterised canvas pays for them (and
  // for stroked polygons: 18,000 hollow diamonds took 100 ms a redraw, the same squares 3 ms).
  var SHAPES = [{r: 4, mode: "fill"}, {r: 5.5, mode: "ring"}, {r: 5, mode: "square"}, {r: 8, mode: "ring"},
                {r: 0, mode: "sized"}, {r: 4.5, mode: "square"}];
  var SIZED = 4, UNKNOWN = 5, TAU = 6.283185307179586, BIG = 12;
  // Leaflet's EPSG:3857 at zoom 0 inlined: one projection per row without two objects per row.
  var MAX_LAT = 85.0511287798, RAD = Math.PI / 180;

  function precisionShape(precision) { return precision <= 2 ? 0 : precision === 3 ? 1 : precision === 4 ? 2 : 3; }
  function sizedRadius(amount, size) {  // the same rule as registry/maps/symbols.py radius()
    if (!size || !(amount > 0)) return size ? size.r_min : 3;
    return Math.max(size.r_min, size.r_max * Math.sqrt(amount / size.largest));
  }
  function columns(data) {
    var col = {};
    data.columns.forEach(function (name, i) { col[name] = i; });
    return col;
  }

  var KprPointLayer = L.Layer.extend({
    options: {badges: true, pane: "kprPoints"},

    initialize: function (data, options) {
      L.setOptions(this, options);
      this._data = data;
      this._shown = {};
      var c = this.col = columns(data), rows = data.rows, n = rows.length;
      var badges = this.options.badges && c.anchor !== undefined;
      this._x = new Float64Array(n);  // Web Mercator pixels at zoom 0, projected once
      this._y = new Float64Array(n);
      this._r = new Float32Array(n);
      this._shape = new Int8Array(n);  // -1: drawn in its anchor's badge
      this._members = data.groups.map(function () { return SHAPES.map(function () { return []; }); });
      this._anchors = {};  // anchor key → row indices
      var members = 0, cLat = c.lat, cLon = c.lon, cAnchor = c.anchor, cPrec = c.precision, cInv = c.investment;
      for (var i = 0; i < n; i++) {
        var row = rows[i], lat = Math.max(Math.min(MAX_LAT, row[cLat]), -MAX_LAT), sin = Math.sin(lat * RAD);
        this._x[i] = 128 + row[cLon] * (256 / 360);
        this._y[i] = 128 - Math.log((1 + sin) / (1 - sin)) * (64 / Math.PI);
        var gs = row[c.groups];
        members += gs.length;
        var key = badges ? row[cAnchor] : null;
        if (key) { (this._anchors[key] = this._anchors[key] || []).push(i); this._shape[i] = -1; continue; }
        var shape = precisionShape(row[cPrec]);
        if (badges) shape = row[cInv] === null ? UNKNOWN : SIZED;
        this._shape[i] = shape;
        this._r[i] = shape === SIZED ? sizedRadius(row[cInv], data.size) : SHAPES[shape].r;
        for (var k = 0; k < gs.length; k++) this._members[gs[k]][shape].push(i);
      }
      var R = this._r;  // big circles first, so smaller ones stay on top and clickable
      this._members.forEach(function (m) { m[SIZED].sort(function (a, b) { return R[b] - R[a]; }); });
      this.members = members;  // symbols with every group on: one per project and group
      this._badges = null;
      this._sprites = {};  // "group:shape" → its symbols' atlas
      this.drawn = 0;
    },

    onAdd: function (map) {
      var pane = map.getPane(this.options.pane) || map.createPane(this.options.pane);
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

    // One redraw per real change: adding 16 layers must not mean 16 redraws.
    setGroup: function (g, on) {
      if (!!this._shown[g] === on) return;
      this._shown[g] = on;
      this._badges = null;
      if (this._map) this.redraw();
    },

    // Switch groups before the layer is on the map (no redraw): the first view is drawn once.
    showGroups: function (groups) {
      var shown = this._shown;
      groups.forEach(function (g) { shown[g] = true; });
      this._badges = null;
      return this;
    },

    groupSwitch: function (g) { return new KprPointLayer.GroupSwitch(this, g); },

    // Badges for the groups switched on: per anchor, its visible projects and how many of them per group.
    badges: function () {
      if (this._badges) return this._badges;
      var data = this._data, cGroups = this.col.groups, shown = this._shown, out = [];
      Object.keys(this._anchors).sort().forEach(function (key) {
        var rows = [], shares = {}, members = 0;
        var idx = this._anchors[key];
        for (var k = 0; k < idx.length; k++) {
          var gs = data.rows[idx[k]][cGroups], any = false;
          for (var j = 0; j < gs.length; j++) {
            if (!shown[gs[j]]) continue;
            shares[gs[j]] = (shares[gs[j]] || 0) + 1; members++; any = true;
          }
          if (any) rows.push(idx[k]);
        }
        if (!rows.length) return;
        var i0 = idx[0];
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

    // A group's symbols of one shape drawn once, side by side on one canvas (one slot per quarter-pixel
    // radius, device pixels), then stamped with drawImage. One canvas path holding 60,000 arcs cost
    // Chromium's software rasteriser 8 s to fill and stroke at paint time (on a loaded 2-core machine);
    // stamping costs it tens of milliseconds. One canvas per symbol instead cost a second to create.
    // (Blending the pixels into an ImageData in script was slower still: 40,000 circles of 10-22 px are
    // 30 M pixels.)
    _atlas: function (g, s, ratio) {
      var key = g + ":" + s, atlas = this._sprites[key];
      if (atlas) return atlas;
      var idx = this._members[g][s], R = this._r, lo = Infinity, hi = 0;
      for (var k = 0; k < idx.length; k++) { lo = Math.min(lo, R[idx[k]]); hi = Math.max(hi, R[idx[k]]); }
      lo = Math.round(lo * 4) / 4; hi = Math.round(hi * 4) / 4;
      var mode = SHAPES[s].mode, line = mode === "sized" ? 1.2 : mode === "fill" ? 0 : 1.8;
      var half = Math.ceil((hi + line) * ratio) + 1, size = 2 * half, slots = Math.round((hi - lo) * 4) + 1;
      var cv = document.createElement("canvas"), ctx = cv.getContext("2d");
      cv.width = size * slots; cv.height = size;
      ctx.fillStyle = ctx.strokeStyle = this._data.groups[g].colour;
      ctx.lineWidth = line;
      for (var t = 0; t < slots; t++) {
        var r = lo + t / 4;
        ctx.setTransform(ratio, 0, 0, ratio, t * size + half, half);
        ctx.beginPath();
        if (mode === "square") ctx.rect(-r, -r, 2 * r, 2 * r); else ctx.arc(0, 0, r, 0, TAU);
        if (mode === "fill") ctx.fill();
        if (mode === "sized") { ctx.globalAlpha = 0.55; ctx.fill(); ctx.globalAlpha = 1; }
        if (line) ctx.stroke();
      }
      atlas = this._sprites[key] = {canvas: cv, half: half, size: size, lo: lo};
      return atlas;
    },

    redraw: function () {
      var map = this._map, f = this._frame(), ratio = window.devicePixelRatio || 1, cv = this._canvas;
      cv.width = f.w * ratio; cv.height = f.h * ratio;
      cv.style.width = f.w + "px"; cv.style.height = f.h + "px";
      L.DomUtil.setPosition(cv, map.containerPointToLayerPoint([0, 0]));
      cv.style.visibility = "visible";
      var ctx = cv.getContext("2d");
      if (this._spriteRatio !== ratio) { this._sprites = {}; this._spriteRatio = ratio; }
      var drawn = 0, X = this._x, Y = this._y, R = this._r, groups = this._data.groups;
      var scale = f.scale, ox = f.ox, oy = f.oy, w = f.w, h = f.h;
      // What to stamp, in drawing order (later on top).
      var list = [], lx = [], ly = [], lr = [], lg = [], ls = [];
      // A symbol landing on a 2-px cell already holding one at least as big, in the same group and shape,
      // adds nothing visible: skip it (this is what keeps 100,000 points fast).
      var gw = (w >> 1) + 1, cells = gw * ((h >> 1) + 1), stamp = new Uint32Array(cells), big = new Float32Array(cells), pass = 0;
      for (var g = 0; g < groups.length; g++) {
        if (!this._shown[g]) continue;
        for (var s = 0; s < SHAPES.length; s++) {
          var idx = this._members[g][s];
          if (!idx.length) continue;
          pass++;
          for (var k = 0; k < idx.length; k++) {
            var i = idx[k], r = R[i], x = X[i] * scale - ox, y = Y[i] * scale - oy;
            if (x < -r || y < -r || x > w + r || y > h + r) continue;
            drawn++;
            if (x >= 0 && y >= 0 && x < w && y < h) {
              var cell = (y >> 1) * gw + (x >> 1);
              if (stamp[cell] === pass && big[cell] >= r) continue;
              stamp[cell] = pass; big[cell] = r;
            }
            list.push(i); lx.push(x); ly.push(y); lr.push(r); lg.push(g); ls.push(s);
          }
        }
      }
      // A big circle (r >= BIG) with a circle at least as big drawn later (any group) centred within the same
      // 4-px cell is more than half covered by it, under a stack of others where symbols are that dense
      // (the city view of 100,000 projects): leave it out. Closer in, symbols spread out and all are drawn.
      var keep = new Uint8Array(list.length), cw = (w >> 2) + 1, cover = new Float32Array(cw * ((h >> 2) + 1));
      for (var j = list.length - 1; j >= 0; j--) {
        var jx = lx[j], jy = ly[j], jr = lr[j];
        if (jx < 0 || jy < 0 || jx >= w || jy >= h) { keep[j] = 1; continue; }
        var c4 = (jy >> 2) * cw + (jx >> 2);
        if (jr >= BIG && cover[c4] >= jr) continue;
        keep[j] = 1;
        if (jr > cover[c4]) cover[c4] = jr;
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);  // sprites are stamped in device pixels, unscaled
      var atlas = null, atlasOf = -1, stamped = 0;
      for (j = 0; j < list.length; j++) {
        if (!keep[j]) continue;
        if (lg[j] * SHAPES.length + ls[j] !== atlasOf) { atlas = this._atlas(lg[j], ls[j], ratio); atlasOf = lg[j] * SHAPES.length + ls[j]; }
        var a = atlas, sx = Math.round((lr[j] - a.lo) * 4) * a.size;
        ctx.drawImage(a.canvas, sx, 0, a.size, a.size, Math.round(lx[j] * ratio) - a.half, Math.round(ly[j] * ratio) - a.half, a.size, a.size);
        stamped++;
      }
      this.stamped = stamped;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      drawn += this._drawBadges(ctx, f);
      this.drawn = drawn;
      this.fire("drawn", {drawn: drawn});
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
          ctx.beginPath(); ctx.arc(spot.ax, spot.ay, 2, 0, TAU); ctx.fillStyle = "#3e4c59"; ctx.fill();
        }
        if (b.info.kind === "zone") {
          ctx.lineWidth = 1.5; ctx.strokeStyle = "#6a3d9a"; ctx.strokeRect(x - r - 3, y - r - 3, 2 * r + 6, 2 * r + 6);
        }
        ctx.beginPath(); ctx.arc(x, y, r, 0, TAU);
        ctx.fillStyle = "#ffffff"; ctx.fill();
        var start = -Math.PI / 2;
        Object.keys(b.shares).forEach(function (g) {
          var end = start + 2 * Math.PI * b.shares[g] / b.members;
          ctx.beginPath(); ctx.arc(x, y, r - 2, start, end);
          ctx.lineWidth = 4; ctx.strokeStyle = groups[g].colour; ctx.stroke();
          start = end;
        });
        ctx.beginPath(); ctx.arc(x, y, r, 0, TAU);
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
      var c = this.col, f = this._frame(), rows = this._data.rows;
      for (var i = 0; i < rows.length; i++) {
        if (rows[i][c.code] !== code) continue;
        var key = rows[i][c.anchor], spot = key && (this._spots || []).filter(function (s) { return s.b.key === key; })[0];
        if (spot) return {x: spot.x, y: spot.y, i: i};
        return {x: this._x[i] * f.scale - f.ox, y: this._y[i] * f.scale - f.oy, i: i};
      }
      return null;
    },

    symbolOf: function (code) {  // for tests: how a project is drawn (a badge's key, or its shape and radius)
      var at = this.pointOf(code);
      if (!at) return null;
      var shape = this._shape[at.i];
      if (shape < 0) return {badge: this._data.rows[at.i][this.col.anchor]};
      return {shape: SHAPES[shape].mode, r: this._r[at.i]};
    },

    latLngOf: function (i) { var row = this._data.rows[i]; return L.latLng(row[this.col.lat], row[this.col.lon]); }
  });

  // A group's entry in a layer control: adding or removing it switches the group's points.
  KprPointLayer.GroupSwitch = L.Layer.extend({
    initialize: function (points, g) { this._points = points; this._g = g; },
    onAdd: function () { this._points.setGroup(this._g, true); },
    onRemove: function () { this._points.setGroup(this._g, false); },
    getBounds: function () { return null; }
  });

  L.KprPointLayer = KprPointLayer;
  L.kprPointLayer = function (data, options) { return new KprPointLayer(data, options); };
})();
