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

  // "Use my location": the browser's position, when it has one and the person allows it;
  // the fields then change as if typed (the map follows them).
  function locate(box) {
    var lat = document.getElementById(box.dataset.latitude);
    var lon = document.getElementById(box.dataset.longitude);
    var said = box.querySelector("[role=status]");
    box.hidden = false;
    box.querySelector("button").addEventListener("click", function () {
      said.textContent = box.dataset.textFinding;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(6);
          lon.value = position.coords.longitude.toFixed(6);
          lat.dispatchEvent(new Event("change"));
          lon.dispatchEvent(new Event("change"));
          said.textContent = box.dataset.textFound.replace(
            "{m}", Math.round(position.coords.accuracy));
        },
        function () {
          said.textContent = box.dataset.textRefused;
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
  }

  if (typeof L !== "undefined") {
    document.querySelectorAll("[data-map-picker]").forEach(pick);
  }
  if ("geolocation" in navigator) {
    document.querySelectorAll("[data-use-location]").forEach(locate);
  }
})();
