// A site's photos: a lightbox over the thumbnails, and before/after comparison sliders.
// Without this script each thumbnail links to its photo page and each pair shows side by side.
(function () {
  "use strict";

  function lightbox(gallery) {
    var template = document.getElementById("lightbox-template");
    if (!template || typeof HTMLDialogElement === "undefined") {
      return;
    }
    var links = Array.prototype.slice.call(gallery.querySelectorAll("a[data-lightbox]"));
    var dialog = template.content.firstElementChild.cloneNode(true);
    document.body.appendChild(dialog);
    var source = dialog.querySelector("source");
    var image = dialog.querySelector("img");
    var caption = dialog.querySelector("figcaption");
    var position = dialog.querySelector("[data-position]");
    var current = 0;

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      var thumbnail = link.querySelector("img");
      source.srcset = link.dataset.largeWebp;
      image.src = link.dataset.largeJpg;
      image.alt = thumbnail.alt;
      caption.textContent = link.dataset.caption || thumbnail.alt;
      position.textContent = (current + 1) + " / " + links.length;
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey) {
          return; // let people open the photo page in a new tab
        }
        event.preventDefault();
        show(index);
        dialog.showModal();
        dialog.querySelector("[data-close]").focus();
      });
    });
    dialog.querySelector("[data-previous]").addEventListener("click", function () { show(current - 1); });
    dialog.querySelector("[data-next]").addEventListener("click", function () { show(current + 1); });
    dialog.querySelector("[data-close]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") {
        show(current - 1);
      } else if (event.key === "ArrowRight") {
        show(current + 1);
      }
    });
    // Escape closes a modal dialog by itself; focus then returns to the photo last shown.
    dialog.addEventListener("close", function () { links[current].focus(); });
  }

  function slider(compare) {
    var control = compare.querySelector(".compare-control");
    var range = control.querySelector("input");
    function follow() {
      compare.style.setProperty("--position", range.value + "%");
      range.setAttribute("aria-valuetext", range.value + "%");
    }
    range.addEventListener("input", follow);
    control.hidden = false;
    compare.classList.add("is-slider");
    follow();
  }

  document.querySelectorAll("[data-lightbox-gallery]").forEach(lightbox);
  document.querySelectorAll("[data-compare]").forEach(slider);
})();
