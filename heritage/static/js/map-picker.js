// Lets staff set coordinates by clicking a small map. The number fields stay the source of
// truth: without JavaScript or map tiles the form works the same.
(function () {
  "use strict";

  function pick(box) {
    var lat = document.getElementById(box.dataset.latitude);
    var lon = document.getElementById(box.dataset.longitude);
    var known = lat.value !== "" && lon.value !== "";
    var centre = known ? [parseFloat(lat.value), parseFloat(lon.value)] : [39.75, 46.75];
    box.hidden = false; // before Leaflet measures the box: hidden, it measures 0 × 0
    var map = L.map(box, { scrollWheelZoom: false, zoomControl: false })
      .setView(centre, known ? 13 : 8);
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut })
      .addTo(map);
    L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: box.dataset.attribution }).addTo(map);
    var marker = known ? L.marker(centre, { keyboard: false }).addTo(map) : null;

    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { keyboard: false }).addTo(map);
      }
    }

    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });

    function follow() {
      var a = parseFloat(lat.value);
      var b = parseFloat(lon.value);
      if (!isNaN(a) && !isNaN(b)) {
        place([a, b]);
        map.panTo([a, b]);
      }
    }
    lat.addEventListener("change", follow);
    lon.addEventListener("change", follow);
  }

  if (typeof L !== "undefined") {
    document.querySelectorAll("[data-map-picker]").forEach(pick);
  }
})();
