// Placing a project on its detail page: click for a point, draw a line or polygon (Leaflet.draw), paste
// coordinates or pick a district/zone; "预览" asks the server what the geocoder derives before saving.
(function () {
  "use strict";
  var form = document.getElementById("place");
  if (!form) { return; }
  var preview = form.querySelector("[data-testid=place-preview]");
  var mapDiv = document.querySelector(".folium-map");
  var map = mapDiv ? window[mapDiv.id] : null;
  var marker = null, drawn = null;

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
    var where = [data.district || "区县未定", data.zone ? "开发区：" + data.zone : null,
      "精度：" + data.precision_label].filter(Boolean).join("，");
    preview.appendChild(text("div", "推算结果：" + where, "derived"));
    if (data.districts && data.districts.length > 1) {
      preview.appendChild(text("div", "经过区县：" + data.districts.map(function (d) { return d.name; }).join("、")));
    }
    if (data.corridors && data.corridors.length) {
      preview.appendChild(text("div", "位于走廊/区域：" + data.corridors.map(function (c) { return c.name; }).join("、")));
    }
    (data.warnings || []).forEach(function (w) { preview.appendChild(text("div", "注意：" + w, "warn")); });
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
        else { preview.replaceChildren(text("div", "无法预览：" + (res.data.message || "请检查输入"), "warn")); preview.dataset.ready = "error"; }
      })
      .catch(function () { preview.replaceChildren(text("div", "预览请求失败", "warn")); });
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
