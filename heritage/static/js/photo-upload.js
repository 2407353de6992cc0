// Several photos at once, one request each, with a progress bar per file and one for all.
// Without JavaScript the same form posts every file in one request and the server answers
// with a page of results; with it, each file goes to the JSON API so that a refusal, a
// duplicate or a dropped connection concerns that file only and can be retried.
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var input = form.querySelector('input[type="file"]');
  var panel = document.getElementById("upload-progress");
  var overall = document.getElementById("upload-overall");
  var summary = document.getElementById("upload-summary");
  var list = document.getElementById("upload-list");
  var doneLink = document.getElementById("upload-done");
  var text = form.dataset;
  var maxBytes = Number(text.maxBytes);
  var items = [];

  form.addEventListener("submit", function (event) {
    if (!input.files.length) {
      return; // the server's page says what is missing
    }
    event.preventDefault();
    start(Array.prototype.slice.call(input.files));
    input.value = "";
  });

  function start(files) {
    panel.hidden = false;
    files.forEach(function (file) {
      // A file over the size limit is refused at once, and never counts in the bytes to send.
      var tooLarge = file.size > maxBytes;
      var item = { file: file, bytes: tooLarge ? 0 : file.size, loaded: 0, state: "waiting" };
      item.row = document.createElement("li");
      var name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = file.name;
      item.bar = document.createElement("progress");
      item.bar.max = Math.max(file.size, 1);
      item.bar.value = 0;
      item.bar.setAttribute("aria-label", file.name);
      item.status = document.createElement("span");
      item.status.className = "upload-status";
      item.status.textContent = text.textWaiting;
      item.row.append(name, item.bar, item.status);
      list.append(item.row);
      items.push(item);
      if (tooLarge) {
        mark(item, "refused", text.textTooLarge);
      }
    });
    update();
    if (!items.some(function (other) { return other.state === "sending"; })) {
      next();
    }
  }

  // One file at a time: a phone's connection is shared best by finishing files one by one.
  function next() {
    var item = items.find(function (candidate) { return candidate.state === "waiting"; });
    if (item) {
      send(item);
    }
  }

  function send(item) {
    item.state = "sending";
    item.status.textContent = text.textSending;
    var data = new FormData();
    data.append("file", item.file, item.file.name);
    ["stage", "record_id", "photographer", "credit", "licence"].forEach(function (field) {
      var control = form.elements.namedItem(field);
      if (control && control.value) {
        data.append(field, control.value);
      }
    });
    var request = new XMLHttpRequest();
    request.open("POST", text.uploadUrl);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRFToken", form.elements.namedItem("csrf_token").value);
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        item.loaded = event.loaded;
        item.bar.max = Math.max(event.total, 1);
        item.bar.value = event.loaded;
        update();
      }
    });
    request.upload.addEventListener("load", function () {
      item.status.textContent = text.textChecking;
    });
    request.addEventListener("load", function () {
      var body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch (error) {
        body = { detail: request.statusText };
      }
      if (request.status === 201 || request.status === 200) {
        finish(item, request.status === 201 ? "saved" : "duplicate", body.message, body.id);
      } else {
        finish(item, "refused", body.detail || request.statusText);
      }
    });
    request.addEventListener("error", function () { failed(item); });
    request.addEventListener("abort", function () { failed(item); });
    request.send(data);
  }

  function failed(item) {
    finish(item, "failed", text.textFailed);
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "secondary";
    retry.textContent = text.textRetry;
    retry.addEventListener("click", function () {
      retry.remove();
      item.state = "waiting";
      item.loaded = 0;
      item.bar.value = 0;
      item.row.className = "";
      item.status.textContent = text.textWaiting;
      update();
      if (!items.some(function (other) { return other.state === "sending"; })) {
        next();
      }
    });
    item.row.append(retry);
  }

  function finish(item, state, message, photoId) {
    mark(item, state, message);
    if (photoId) {
      var link = document.createElement("a");
      link.href = text.photoUrl.replace(/\/0$/, "/" + photoId);
      link.textContent = text.textDescribe;
      item.row.append(" ", link);
    }
    update();
    next();
  }

  function mark(item, state, message) {
    item.state = state;
    item.loaded = item.bytes;
    item.bar.value = item.bar.max;
    item.row.className = "upload-" + state;
    item.status.textContent = message || "";
  }

  function update() {
    var total = 0;
    var loaded = 0;
    var done = 0;
    items.forEach(function (item) {
      total += item.bytes;
      loaded += item.loaded;
      if (item.state !== "waiting" && item.state !== "sending") {
        done += 1;
      }
    });
    overall.max = Math.max(total, 1);
    overall.value = loaded;
    summary.textContent = text.textProgress
      .replace("{done}", done)
      .replace("{total}", items.length);
    doneLink.hidden = done < items.length;
  }
})();
