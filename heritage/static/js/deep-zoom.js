// The photo page's deep zoom: OpenSeadragon (vendor/openseadragon) reads the photo's IIIF
// info.json and loads only the tiles in view, at the resolution shown. Zoom with the
// buttons, the wheel, a double click, a pinch, or + / - / 0 and the arrow keys once the
// viewer has focus; pan by dragging. Without JavaScript (or this script) the page keeps
// the plain image it was served with.
(function () {
  "use strict";

  var frame = document.querySelector("[data-deep-zoom]");
  if (!frame || typeof OpenSeadragon === "undefined") {
    return;
  }
  var still = frame.parentNode.querySelector("picture");
  var data = frame.dataset;

  OpenSeadragon.setString("Tooltips.ZoomIn", data.zoomIn);
  OpenSeadragon.setString("Tooltips.ZoomOut", data.zoomOut);
  OpenSeadragon.setString("Tooltips.Home", data.home);
  OpenSeadragon.setString("Tooltips.FullPage", data.fullScreen);

  frame.style.aspectRatio = data.width + " / " + data.height;
  frame.hidden = false;
  frame.tabIndex = 0;
  var viewer = OpenSeadragon({
    element: frame,
    tileSources: data.info,
    prefixUrl: data.images,
    // The 2D canvas: it needs nothing from the GPU, and the tiles come from this site.
    drawer: "canvas",
    showRotationControl: false,
    gestureSettingsTouch: { pinchRotate: false },
    visibilityRatio: 1,
    minZoomImageRatio: 1,
    maxZoomPixelRatio: 2,
  });
  viewer.addOnceHandler("open", function () {
    if (still) {
      still.hidden = true; // the viewer shows the same photo, sharper as it zooms
    }
    frame.classList.add("is-ready");
  });
  viewer.addHandler("open-failed", function () {
    viewer.destroy();
    frame.hidden = true; // the plain image stays
  });
})();
