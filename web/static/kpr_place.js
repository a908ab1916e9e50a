// Placing a project on its detail page: click for a point, draw a line or polygon (Leaflet.draw), paste
// coordinates or pick a district/zone; "预览" asks the server what the geocoder derives before saving.
(function () {
  "use strict";
  var form = document.getElementById("place-form");
  if (!form) { return; }
  var preview = form.querySelector("[data-testid=place-preview]");
  var mapDiv = document.querySelector(".folium-map");
  var map = mapDiv ? window[mapDiv.id] : null;
  var marker = null, drawn = null;
  // The page's words (Chinese or English), from the template: data-words.
  var W = JSON.parse(form.dataset.words || "{}");
  function w(key, fallback) { return W[key] || fallback; }

  function mode() { return form.querySelector("input[name=mode]:checked").value; }
  function showMode() {
    var current = mode();
    form.querySelectorAll("fieldset[data-mode]").forEach(function (fs) { fs.hidden = fs.dataset.mode !== current; });
  }
  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;  // data is shown as text, never as HTML
    if (cls) { el.className = cls; }
    return el;
  }
  function showPreview(data) {
    preview.replaceChildren();
    var precision = (W.precisions || {})[String(data.precision)] || data.precision_label;
    var where = [data.district || w("pv_no_district", "区县未定"), data.zone ? w("pv_zone", "开发区：") + data.zone : null,
      w("pv_precision", "精度：") + precision].filter(Boolean).join(w("pv_sep", "，"));
    preview.appendChild(text("div", w("pv_derived", "推算结果：") + where, "derived"));
    if (data.districts && data.districts.length > 1) {
      preview.appendChild(text("div", w("pv_districts", "经过区县：") + data.districts.map(function (d) { return d.name; }).join(w("list_sep", "、"))));
    }
    if (data.corridors && data.corridors.length) {
      preview.appendChild(text("div", w("pv_corridors", "位于走廊/区域：") + data.corridors.map(function (c) { return c.name; }).join(w("list_sep", "、"))));
    }
    (data.warnings || []).forEach(function (warning) { preview.appendChild(text("div", w("pv_warn", "注意：") + warning, "warn")); });
    preview.dataset.ready = "1";
  }
  function requestPreview() {
    preview.dataset.ready = "";
    var body = new FormData(form);
    fetch(form.dataset.previewUrl, {method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": form.querySelector("input[name=csrf_token]").value, "Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (d) { return {ok: r.ok, data: d}; }); })
      .then(function (res) {
        if (res.ok) { showPreview(res.data); }
        else { preview.replaceChildren(text("div", w("pv_failed", "无法预览：") + (res.data.message || w("pv_check", "请检查输入")), "warn")); preview.dataset.ready = "error"; }
      })
      .catch(function () { preview.replaceChildren(text("div", w("pv_error", "预览请求失败"), "warn")); });
  }
  form.querySelectorAll("input[name=mode]").forEach(function (r) { r.addEventListener("change", showMode); });
  form.querySelector("[data-action=preview]").addEventListener("click", requestPreview);
  ["lon", "lat", "crs", "district_code", "zone_code"].forEach(function (name) {
    form.elements[name].addEventListener("change", requestPreview);
  });
  showMode();

  document.querySelectorAll("button[data-confirm]").forEach(function (b) {
    b.addEventListener("click", function (e) { if (!window.confirm(b.dataset.confirm)) { e.preventDefault(); } });
  });

  if (!map) { return; }
  map.on("click", function (e) {
    if (mode() !== "point") { return; }
    // The map is drawn in the page's CRS (WGS-84 unless GCJ-02 tiles are configured): say which.
    form.elements.lon.value = e.latlng.lng.toFixed(6);
    form.elements.lat.value = e.latlng.lat.toFixed(6);
    form.elements.crs.value = form.dataset.mapCrs || "wgs84";
    if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng).addTo(map); }
    requestPreview();
  });
  if (L.Control && L.Control.Draw) {
    var layer = new L.FeatureGroup().addTo(map);
    map.addControl(new L.Control.Draw({
      edit: {featureGroup: layer, remove: true},
      draw: {polyline: true, polygon: true, rectangle: true, marker: false, circle: false, circlemarker: false}
    }));
    map.on(L.Draw.Event.CREATED, function (e) {
      layer.clearLayers();
      layer.addLayer(e.layer);
      drawn = e.layer;
      form.querySelector("input[name=mode][value=geometry]").checked = true;
      showMode();
      form.elements.geometry.value = JSON.stringify(drawn.toGeoJSON().geometry);
      form.elements.crs.value = form.dataset.mapCrs || "wgs84";
      requestPreview();
    });
  }
}());
