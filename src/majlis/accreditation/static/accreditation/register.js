/* Application form: a preview of the badge photo with a 35:45 frame the applicant can move and resize.
   Progressive enhancement only: without this script the server crops the middle of the photo.
   The chosen area is sent in natural pixels of the photo (hidden fields crop_x/y/w/h) and checked
   again by the server. No inline styles: positions are set through the CSSOM, which CSP allows. */
(function () {
  "use strict";

  var RATIO = 35 / 45;
  var MIN_WIDTH = 210; /* photos.MIN_CROP_WIDTH */
  var TYPES = ["image/jpeg", "image/png"];

  function setUp(form) {
    var tool = form.querySelector(".crop-tool");
    var input = form.querySelector('input[type="file"][name="photo"]');
    if (!tool || !input) {
      return;
    }
    var image = tool.querySelector(".crop-image");
    var frame = tool.querySelector(".crop-frame");
    var slider = tool.querySelector(".crop-size");
    var fields = ["x", "y", "w", "h"].map(function (key) {
      return form.querySelector('input[name="crop_' + key + '"]');
    });
    var natural = { width: 0, height: 0 };
    var box = null;

    function largest() {
      var width = Math.min(natural.width, natural.height * RATIO);
      return { width: width, height: width / RATIO };
    }

    function clamp() {
      box.w = Math.min(box.w, largest().width);
      box.h = box.w / RATIO;
      box.x = Math.min(Math.max(box.x, 0), natural.width - box.w);
      box.y = Math.min(Math.max(box.y, 0), natural.height - box.h);
    }

    function render() {
      if (!box || !image.clientWidth) {
        return;
      }
      var scale = image.clientWidth / natural.width;
      frame.style.left = box.x * scale + "px";
      frame.style.top = box.y * scale + "px";
      frame.style.width = box.w * scale + "px";
      frame.style.height = box.h * scale + "px";
      var values = [box.x, box.y, box.w, box.h].map(function (value) {
        return String(Math.floor(value));
      });
      fields.forEach(function (field, index) {
        if (field) {
          field.value = values[index];
        }
      });
    }

    function resize(percent) {
      var full = largest();
      var centreX = box.x + box.w / 2;
      var centreY = box.y + box.h / 2;
      box.w = Math.max(full.width * percent / 100, Math.min(MIN_WIDTH, full.width));
      box.h = box.w / RATIO;
      box.x = centreX - box.w / 2;
      box.y = centreY - box.h / 2;
      clamp();
      render();
    }

    function start(initial) {
      natural.width = image.naturalWidth;
      natural.height = image.naturalHeight;
      if (!natural.width || !natural.height) {
        tool.hidden = true;
        return;
      }
      var full = largest();
      slider.min = String(Math.min(100, Math.ceil(MIN_WIDTH / full.width * 100)));
      if (initial) {
        box = initial;
        clamp();
        slider.value = String(Math.round(box.w / full.width * 100));
      } else {
        box = { w: full.width, h: full.height, x: (natural.width - full.width) / 2, y: (natural.height - full.height) / 2 };
        slider.value = "100";
      }
      tool.hidden = false;
      render();
    }

    function show(source, initial) {
      image.onload = function () {
        start(initial);
      };
      image.src = source;
    }

    function savedBox() {
      var numbers = fields.map(function (field) {
        return field && field.value !== "" ? Number(field.value) : NaN;
      });
      if (numbers.some(isNaN)) {
        return null;
      }
      return { x: numbers[0], y: numbers[1], w: numbers[2], h: numbers[3] };
    }

    input.addEventListener("change", function () {
      fields.forEach(function (field) {
        if (field) {
          field.value = "";
        }
      });
      box = null;
      var file = input.files && input.files[0];
      if (!file || TYPES.indexOf(file.type) === -1 || !window.FileReader) {
        tool.hidden = true;
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        show(String(reader.result), null);
      };
      reader.readAsDataURL(file);
    });

    var kept = form.querySelector("img[data-crop-source]");
    if (kept) {
      show(kept.getAttribute("src"), savedBox());
    }

    slider.addEventListener("input", function () {
      if (box) {
        resize(Number(slider.value));
      }
    });

    var drag = null;
    frame.addEventListener("pointerdown", function (event) {
      if (!box) {
        return;
      }
      drag = { id: event.pointerId, x: event.clientX, y: event.clientY, boxX: box.x, boxY: box.y };
      frame.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    frame.addEventListener("pointermove", function (event) {
      if (!drag || drag.id !== event.pointerId) {
        return;
      }
      var scale = image.clientWidth / natural.width;
      box.x = drag.boxX + (event.clientX - drag.x) / scale;
      box.y = drag.boxY + (event.clientY - drag.y) / scale;
      clamp();
      render();
    });
    function stop(event) {
      if (drag && drag.id === event.pointerId) {
        drag = null;
      }
    }
    frame.addEventListener("pointerup", stop);
    frame.addEventListener("pointercancel", stop);

    frame.addEventListener("keydown", function (event) {
      if (!box) {
        return;
      }
      var step = (event.shiftKey ? 0.1 : 0.02) * natural.width;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      var move = moves[event.key];
      if (move) {
        box.x += move[0];
        box.y += move[1];
        clamp();
        render();
        event.preventDefault();
      } else if (event.key === "+" || event.key === "-") {
        var value = Number(slider.value) + (event.key === "+" ? 5 : -5);
        slider.value = String(Math.min(100, Math.max(Number(slider.min), value)));
        resize(Number(slider.value));
        event.preventDefault();
      }
    });

    window.addEventListener("resize", render);
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("form.application-form"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
