// A restoration's before/after pair at full resolution: the button under the slider opens
// both photos side by side (one above the other on a phone) in two OpenSeadragon viewers,
// each reading its photo's IIIF info.json, whose pan and zoom follow each other: zoom or
// drag either one, by mouse, pinch or keyboard (+ / - / 0 and the arrow keys once it has
// focus), and the other shows the same part. The button goes back to the slider. Without
// JavaScript the two photos show as they were served.
(function () {
  "use strict";

  if (typeof OpenSeadragon === "undefined") {
    return;
  }

  function viewerIn(figure, info, label, data) {
    var frame = document.createElement("div");
    frame.className = "deep-zoom compare-deep-zoom";
    frame.setAttribute("role", "img");
    frame.setAttribute("aria-label", label);
    frame.tabIndex = 0;
    var still = figure.querySelector("img");
    if (still && still.getAttribute("width") && still.getAttribute("height")) {
      frame.style.aspectRatio = still.getAttribute("width") + " / " + still.getAttribute("height");
    }
    figure.insertBefore(frame, figure.querySelector("figcaption"));
    return OpenSeadragon({
      element: frame,
      tileSources: info,
      prefixUrl: data.images,
      drawer: "canvas",
      showRotationControl: false,
      gestureSettingsTouch: { pinchRotate: false },
      visibilityRatio: 1,
      minZoomImageRatio: 1,
      maxZoomPixelRatio: 2,
    });
  }

  // Each viewer's moves are copied to the other; `leading` keeps the copy from echoing back.
  function follow(one, other) {
    var leading = null;
    function copy(from, to) {
      return function () {
        if (leading && leading !== from) {
          return;
        }
        leading = from;
        to.viewport.zoomTo(from.viewport.getZoom(), null, true);
        to.viewport.panTo(from.viewport.getCenter(), true);
        leading = null;
      };
    }
    ["zoom", "pan"].forEach(function (event) {
      one.addHandler(event, copy(one, other));
      other.addHandler(event, copy(other, one));
    });
  }

  function setUp(button) {
    var compare = button.closest("[data-compare]");
    var data = button.dataset;
    var figures = [compare.querySelector(".compare-before"), compare.querySelector(".compare-after")];
    var viewers = null;
    var opened = 0;

    function open() {
      OpenSeadragon.setString("Tooltips.ZoomIn", data.zoomIn);
      OpenSeadragon.setString("Tooltips.ZoomOut", data.zoomOut);
      OpenSeadragon.setString("Tooltips.Home", data.home);
      OpenSeadragon.setString("Tooltips.FullPage", data.fullScreen);
      compare.classList.add("is-zoom");
      compare.classList.remove("is-slider");
      compare.querySelector(".compare-control").hidden = true;
      viewers = [
        viewerIn(figures[0], data.beforeInfo, data.beforeLabel, data),
        viewerIn(figures[1], data.afterInfo, data.afterLabel, data),
      ];
      viewers.forEach(function (viewer, index) {
        viewer.addOnceHandler("open", function () {
          figures[index].classList.add("is-ready");
          viewer.element.classList.add("is-ready");
          opened += 1;
          if (opened === 2) {
            compare.classList.add("is-zoom-ready");
          }
        });
        viewer.addHandler("open-failed", close);
      });
      follow(viewers[0], viewers[1]);
      button.textContent = data.closeLabel;
      button.setAttribute("aria-pressed", "true");
    }

    function close() {
      if (viewers) {
        viewers.forEach(function (viewer) {
          viewer.element.remove();
          viewer.destroy();
        });
      }
      viewers = null;
      opened = 0;
      figures.forEach(function (figure) {
        figure.classList.remove("is-ready");
      });
      compare.classList.remove("is-zoom", "is-zoom-ready");
      compare.classList.add("is-slider");
      compare.querySelector(".compare-control").hidden = false;
      button.textContent = data.openLabel;
      button.setAttribute("aria-pressed", "false");
    }

    button.addEventListener("click", function () {
      (viewers ? close : open)();
    });
    button.setAttribute("aria-pressed", "false");
    button.hidden = false;
  }

  document.querySelectorAll("[data-compare-zoom]").forEach(setUp);
})();
