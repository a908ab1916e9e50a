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

  // Filled dot = exact or near site; hollow = district representative point; dashed hollow = zone.
  function markerStyle(precision, colour, renderer) {
    var s = {renderer: renderer, color: colour, fillColor: colour, weight: 1.5, radius: 5, fillOpacity: 0.85};
    if (precision === 3) { s.fillOpacity = 0.08; s.radius = 6; s.weight = 2; }
    if (precision === 4) { s.fillOpacity = 0.08; s.radius = 6; s.weight = 2; s.dashArray = "3 2"; }
    if (precision >= 5) { s.fillOpacity = 0.08; s.radius = 8; s.weight = 1.5; s.dashArray = "1 3"; }
    return s;
  }

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

  function drawProjects(map, control, data, cfg, renderer) {
    var layers = data.groups.map(function () { return L.featureGroup(); });
    data.col = {};
    data.columns.forEach(function (name, i) { data.col[name] = i; });
    var c = data.col, drawn = 0;
    data.rows.forEach(function (row, idx) {
      row[c.groups].forEach(function (g) {
        var m = L.circleMarker([row[c.lat], row[c.lon]], markerStyle(row[c.precision], data.groups[g].colour, renderer));
        m.kprRow = idx;
        m.kprCode = row[c.code];  // lets tests and links find a project's marker
        layers[g].addLayer(m);
        drawn += 1;
      });
    });
    layers.forEach(function (layer, g) {
      // Popups and tooltips are built on demand: 100,000 markers never hold 100,000 DOM trees.
      layer.on("click", function (e) {
        L.popup({maxWidth: 320}).setLatLng(e.latlng).setContent(popupFor(data.rows[e.layer.kprRow], data, cfg)).openOn(map);
      });
      layer.on("mouseover", function (e) {
        var m = e.layer;
        if (!m.getTooltip()) m.bindTooltip(el("span", {"class": "kpr-tip"}, data.rows[m.kprRow][c.name]));
        m.openTooltip(e.latlng);
      });
      layer.addTo(map);
      var g0 = data.groups[g];
      control.addOverlay(layer, '<span class="kpr-swatch" style="background:' + esc(g0.colour) + '"></span>' +
        esc(g0.name) + ' <span class="kpr-n">' + esc(g0.count) + "</span>");
    });
    return {drawn: drawn, layers: layers};
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
        }
      });
      e.layer.bringToBack();
    });
    document.body.setAttribute("data-kpr-shade", current);
    return choices[current];
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
      if (!cfg.compact) box.appendChild(el("b", {}, data.group_by === "strategy" ? L_.by_strategy : L_.by_chain));
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
      var sym = el("ul", {"class": "kpr-symbols"});
      var symbols = [["kpr-dot", L_.sym_exact, 1], ["kpr-ring", L_.sym_district, 3], ["kpr-ring kpr-dashed", L_.sym_zone, 4],
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
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
  }

  function start(map, control, cfg) {
    cfgShades = cfg.shades || ["#fee5d9", "#fcae91", "#fb6a4a", "#cb181d"];
    var renderer = L.canvas({padding: 0.5});
    // A compact map has no layer control: layers are simply on.
    control = control || {addOverlay: function () {}, addBaseLayer: function () {}};
    window.kprMap = {ready: false, map: map};
    return Promise.all([load(cfg.base), load(cfg.data)]).then(function (loaded) {
      var base = loaded[0], data = loaded[1];
      (base.context.features.length ? L.geoJSON(base.context, {style: {color: "#9aa5b1", weight: 1, fill: false},
        interactive: false}) : L.layerGroup()).addTo(map);
      var districts = districtLayers(map, control, base, data, cfg);
      var zones = zoneLayer(base, cfg).addTo(map);
      control.addOverlay(zones, esc(cfg.labels.zones));
      corridorLayers(map, control, base, cfg);
      var projects = drawProjects(map, control, data, cfg, renderer), drawn = projects.drawn;
      legend(map, data, cfg);
      var points = L.featureGroup(projects.layers);
      if (cfg.fit === "points" && drawn) map.fitBounds(points.getBounds(), {padding: [30, 30], maxZoom: 11});
      else if (base.districts.features.length) map.fitBounds(districts.getBounds(), {padding: [10, 10]});
      window.kprMap = {ready: true, map: map, drawn: drawn, placed: data.rows.length, count: data.count,
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
