/* KPR map page glue: draws the basemap (districts, zones, corridors), the legend and panels from JSON on a
 * Leaflet map built by Folium; the projects are an L.KprPointLayer (kpr_points.js, loaded before this).
 * Every text from the data goes into the page through textContent or esc(): a project named "<script>"
 * shows as text. State lives in start()'s closures, not in module variables; sets window.kprMap (and
 * body[data-kpr-ready]) once drawn. */
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

  // The list page filtered to one place: the place's filter replaces the same filter in the map's own
  // (a district's link from a map of two districts lists that district, not the union of three).
  function withOnly(base, key, value) {
    var url = new URL(base, window.location.href);
    url.searchParams.delete(key);
    url.searchParams.append(key, value);
    return url.pathname + url.search;
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
    if (cfg.list_url) box.appendChild(el("a", {href: withOnly(cfg.list_url, info.param, info.value), "class": "kpr-badge-listlink"}, L.badge_list));
    return box;
  }
  var BADGE_LIST = 12;

  // The projects' layer (L.KprPointLayer, kpr_points.js) with one switch per group in the layer control;
  // tooltips and popups are built on demand from the row under the pointer, with textContent.
  function projectLayer(map, control, data, cfg, points) {
    points.showGroups(data.groups.map(function (g0, g) { return g; }));
    points.on("drawn", function (e) { document.body.setAttribute("data-kpr-visible", String(e.drawn)); });
    var switches = data.groups.map(function (g0, g) {
      var sw = points.groupSwitch(g);
      control.addOverlay(sw, '<span class="kpr-swatch" style="background:' + esc(g0.colour) + '"></span>' +
        esc(groupName(g0, data, cfg.labels)) + ' <span class="kpr-n">' + esc(g0.count) + "</span>");
      return sw;
    });
    // Drawn by attach(), once the first view is fitted: one full redraw instead of two.
    function attach() { points.addTo(map); switches.forEach(function (sw) { map.addLayer(sw); }); }
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
      tip.setContent(el("span", {"class": "kpr-tip"}, data.rows[i][data.col.name]));
      map.openTooltip(tip, points.latLngOf(i));
    });
    map.on("click", function (e) {
      var b = points.hitBadge(e.containerPoint);
      if (b) { L.popup({maxWidth: 340}).setLatLng(points.latLngOf(b.rows[0])).setContent(badgePopup(b, data, cfg)).openOn(map); return; }
      var i = points.hit(e.containerPoint);
      if (i < 0) return;
      L.popup({maxWidth: 320}).setLatLng(points.latLngOf(i)).setContent(popupFor(data.rows[i], data, cfg)).openOn(map);
    });
    return {attach: attach};
  }

  var SHADES = ["#fee5d9", "#fcae91", "#fb6a4a", "#cb181d"];  // when the config brings none
  function shadesOf(cfg) { return cfg.shades || SHADES; }

  function shadeScale(values, shades) {
    var max = Math.max.apply(null, values.concat([0]));
    return function (v) {
      if (!v || !max) return "#ffffff";
      var steps = shades.length, i = Math.min(steps - 1, Math.floor((v / max) * steps));
      return shades[i];
    };
  }

  // `points`: a click on a project's symbol is not a click on the district under it.
  function districtLayers(map, control, base, data, cfg, points) {
    var L_ = cfg.labels, stats = data.districts || {}, highlight = data.highlight || [];
    function value(adcode, measure) {
      var s = stats[adcode];
      if (!s) return 0;
      return measure === "count" ? s.count : Number(s.investment);
    }
    function build(measure) {
      var codes = base.districts.features.map(function (f) { return f.properties.adcode; });
      var colourOf = measure ? shadeScale(codes.map(function (a) { return value(a, measure); }), shadesOf(cfg)) : null;
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
            if (points.hitAny(e.containerPoint)) return;
            var box = el("div", {"class": "kpr-popup"});
            box.appendChild(el("b", {}, p.name));
            box.appendChild(el("div", {}, L_.count + (L_.colon || "：") + s.count));
            box.appendChild(el("div", {}, L_.investment + (L_.colon || "：") + yi(s.investment, L_)));
            if (cfg.list_url) box.appendChild(el("a", {href: withOnly(cfg.list_url, "district", p.adcode), "class": "kpr-district-list"}, L_.open_list));
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
      var max = Math.max.apply(null, valuesOf(measure).concat([0])), shades = shadesOf(cfg), steps = shades.length;
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
      if (measure === "count") {
        // Counts are whole: each step lists the whole numbers shadeScale puts in it (found with its own rule),
        // "3 – 5" rather than "2.4 – 4.8"; an empty step is left out.
        var scale = shadeScale([max], shades), lo = null, hi = null;
        for (var v = 1; v <= max + 1; v++) {
          if (lo !== null && (v > max || scale(v) !== scale(lo))) {
            row(scale(lo), lo === hi ? fmt(lo) : fmt(lo) + " – " + fmt(hi));
            lo = null;
          }
          if (v <= max) { if (lo === null) lo = v; hi = v; }
        }
      } else {
        for (var i = 0; i < steps && max; i++) {
          row(shades[i], fmt(i * max / steps) + " – " + fmt((i + 1) * max / steps) + (i < steps - 1 ? L_.key_below : ""));
        }
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
    // A compact map has no layer control: layers are simply on.
    control = control || {addOverlay: function () {}, addBaseLayer: function () {}};
    window.kprMap = {ready: false, map: map};
    performance.mark("kpr:start");
    return Promise.all([load(cfg.base), load(cfg.data)]).then(function (loaded) {
      var base = loaded[0], data = loaded[1], timing = {loaded: performance.now()};
      performance.mark("kpr:loaded");
      (base.context.features.length ? L.geoJSON(base.context, {style: {color: "#9aa5b1", weight: 1, fill: false},
        interactive: false}) : L.layerGroup()).addTo(map);
      var points = L.kprPointLayer(data, {badges: !cfg.compact});
      data.col = points.col;
      performance.mark("kpr:layer");
      var districts = districtLayers(map, control, base, data, cfg, points);
      var zones = zoneLayer(base, cfg).addTo(map);
      control.addOverlay(zones, esc(cfg.labels.zones));
      corridorLayers(map, control, base, cfg);
      if (!cfg.compact && base.labels && base.labels.length) {
        var names = labelLayer(map, base.labels).addTo(map);
        control.addOverlay(names, esc(cfg.labels.place_names));
      }
      timing.base = performance.now();
      performance.mark("kpr:base");
      var projects = projectLayer(map, control, data, cfg, points), drawn = points.members;
      var legendBox = legend(map, data, cfg), layersBox = foldable(map, control, cfg);
      if (cfg.fit === "points" && data.rows.length) {
        var c0 = data.columns.indexOf("lat"), c1 = data.columns.indexOf("lon");
        map.fitBounds(L.latLngBounds(data.rows.map(function (r) { return [r[c0], r[c1]]; })), {padding: [30, 30], maxZoom: 11, animate: false});
      } else if (base.districts.features.length) {
        var shadeBox = document.querySelector(".kpr-shade-key");
        map.fitBounds(districts.getBounds(), fitPadding(map, {left: legendBox, right: [layersBox, shadeBox]}));
      }
      timing.fit = performance.now();
      performance.mark("kpr:fit");
      projects.attach();
      timing.drawn = performance.now();
      performance.mark("kpr:drawn");
      window.kprMap = {ready: true, map: map, drawn: drawn, placed: data.rows.length, count: data.count,
                       points: points, timing: timing, cityBounds: districts.getBounds(), visible: function () { return points.drawn; },
                       groups: data.groups.map(function (g) { return {key: g.key, name: g.name, count: g.count}; })};
      document.body.setAttribute("data-kpr-ready", "1");
      document.body.setAttribute("data-kpr-drawn", String(drawn));
      // For benchmarks/profile_map.py: the frame holding the first draw has been painted.
      requestAnimationFrame(function () { setTimeout(function () { performance.mark("kpr:painted"); }, 0); });
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
