// The public maps: a site's small map, and the map of every site with clusters.
// The pages carry the same places as plain lists, so nothing depends on this script or on
// the tiles loading.
(function () {
  "use strict";
  if (typeof L === "undefined") {
    return;
  }

  function tiles(box) {
    return L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: box.dataset.attribution });
  }

  // The box is shown before the map is made: Leaflet measures it, and a hidden box measures
  // 0 × 0 (no markers, one tile, the centre in a corner). The zoom buttons speak the page's
  // language.
  function makeMap(box, options) {
    box.hidden = false;
    var map = L.map(box, Object.assign({ zoomControl: false }, options));
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut })
      .addTo(map);
    return map;
  }

  function siteMap(box) {
    var at = [parseFloat(box.dataset.latitude), parseFloat(box.dataset.longitude)];
    var map = makeMap(box, { scrollWheelZoom: false }).setView(at, 13);
    tiles(box).addTo(map);
    L.marker(at, { title: box.dataset.name, alt: box.dataset.name }).addTo(map);
  }

  // A pop-up: the site's cover photo, when it has one, above the link to its page. The
  // alt text is in the page's language where it exists, else marked with its own.
  function popup(thumbnail, link, lang) {
    var box = document.createElement("div");
    box.className = "map-popup";
    if (thumbnail) {
      var img = document.createElement("img");
      var alts = thumbnail.alt;
      var altLang = [lang, "az", "en", "ru"].find(function (code) { return alts[code]; });
      img.src = thumbnail.src;
      img.srcset = thumbnail.srcset;
      img.sizes = "12rem";
      img.width = thumbnail.width;
      img.height = thumbnail.height;
      img.alt = altLang ? alts[altLang] : "";
      if (altLang && altLang !== lang) {
        img.lang = altLang;
      }
      img.loading = "lazy";
      img.decoding = "async";
      box.appendChild(img);
    }
    box.appendChild(link);
    return box;
  }

  function allSites(box) {
    var lang = document.documentElement.lang;
    var map = makeMap(box, {}).setView([39.75, 46.9], 8);
    tiles(box).addTo(map);
    var clusters = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    fetch(box.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.features.forEach(function (feature) {
          var props = feature.properties;
          var name = props.names[lang] || props.names.az || props.names.en || props.names.ru;
          var point = feature.geometry.coordinates;
          var marker = L.marker([point[1], point[0]], { title: name, alt: name, keyboard: true });
          var link = document.createElement("a");
          link.href = props.url;
          link.textContent = name;
          marker.bindPopup(popup(props.thumbnail, link, lang));
          clusters.addLayer(marker);
        });
        map.addLayer(clusters);
      });
  }

  // A cemetery's gravestones, each a marker linking to its page, the view fitted to them.
  function gravestoneMap(box) {
    var points = JSON.parse(box.dataset.points);
    var map = makeMap(box, { scrollWheelZoom: false });
    tiles(box).addTo(map);
    var bounds = L.latLngBounds([]);
    points.forEach(function (point) {
      var at = [point.latitude, point.longitude];
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.name;
      L.marker(at, { title: point.name, alt: point.name, keyboard: true })
        .bindPopup(link).addTo(map);
      bounds.extend(at);
    });
    map.fitBounds(bounds, { maxZoom: 19, padding: [20, 20] });
  }

  document.querySelectorAll("[data-site-map]").forEach(siteMap);
  document.querySelectorAll("[data-gravestone-map]").forEach(gravestoneMap);
  document.querySelectorAll("[data-all-sites-map]").forEach(allSites);
})();
