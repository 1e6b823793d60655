/* The gate page: scan badges with a hand scanner (keyboard input and Enter), the camera, or a
   name search; show the result full screen; work without network from the zone's offline package.

   Settings and texts come from the template's JSON data block #gate-config (no inline script).
   Online, every scan is decided and recorded by the server (gates API). Without network — or when
   the server cannot be reached — a prepared device decides itself (MajlisGateVerify), keeps the
   scan in a queue (MajlisGateStore) and sends the queue when the network returns; conflicts the
   server finds are listed for the officer and left to the organisers. The offline list is deleted
   when the event has ended, and when the server refuses this sign-in or device token (401/403). */
(function () {
  "use strict";

  var Verify = window.MajlisGateVerify;
  var Store = window.MajlisGateStore;
  var configNode = document.getElementById("gate-config");
  if (!configNode || !Verify || !Store) {
    return;
  }
  var config = JSON.parse(configNode.textContent);
  var T = config.texts;
  var slug = config.slug;
  var TIMEOUT = 6000; // a scan's answer: past this the gate decides itself (when prepared)
  var SLOW_TIMEOUT = 120000; // the offline package and the queue: large, and no one is waiting at the gate
  var SYNC_BATCH = 500;
  var SYNC_EVERY = 20000;

  function byId(id) {
    return document.getElementById(id);
  }

  var el = {
    main: byId("gate-main"),
    error: byId("gate-error"),
    network: byId("gate-network"),
    zone: byId("gate-zone"),
    gate: byId("gate-gate"),
    direction: byId("gate-direction"),
    scanForm: byId("gate-scan-form"),
    code: byId("gate-code"),
    cameraButton: byId("gate-camera-button"),
    cameraStatus: byId("gate-camera-status"),
    video: byId("gate-video"),
    searchForm: byId("gate-search-form"),
    search: byId("gate-search"),
    searchStatus: byId("gate-search-status"),
    results: byId("gate-results"),
    packageStatus: byId("gate-package-status"),
    prepare: byId("gate-prepare"),
    queue: byId("gate-queue"),
    syncStatus: byId("gate-sync-status"),
    sync: byId("gate-sync"),
    conflictsBox: byId("gate-conflicts-box"),
    conflicts: byId("gate-conflicts"),
    sound: byId("gate-sound"),
    forget: byId("gate-forget"),
    tokenPanel: byId("gate-token-panel"),
    tokenForm: byId("gate-token-form"),
    token: byId("gate-token"),
    tokenError: byId("gate-token-error"),
    tokenStatus: byId("gate-token-status"),
    result: byId("gate-result"),
  };

  var state = {
    token: null,
    zones: [],
    zone: null,
    packageNote: "", // why the offline list is gone (the event ended, access refused), until the next download
    pkg: null, // the prepared offline package of the chosen zone (MajlisGateVerify.prepare)
    entered: new Set(), // badges that entered the chosen zone through this device
    resultTimer: null,
    syncing: false,
    camera: null,
  };

  function format(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function showError(message) {
    el.error.textContent = message || "";
    el.error.hidden = !message;
  }

  function nonce() {
    if (window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
  }

  function timeOf(iso) {
    var date = new Date(iso);
    return date.toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: config.timeZone,
    });
  }

  function dateTimeOf(iso) {
    return new Date(iso).toLocaleString(document.documentElement.lang || undefined, {
      dateStyle: "medium",
      timeStyle: "short",
      hourCycle: "h23",
      timeZone: config.timeZone,
    });
  }

  /* --- The server ---------------------------------------------------------------------------- */

  function api(method, path, body, timeout) {
    var headers = { Accept: "application/json" };
    var options = { method: method, headers: headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    if (config.mode === "device") {
      headers.Authorization = "Bearer " + state.token;
      options.credentials = "omit";
    } else {
      headers["X-CSRFToken"] = config.csrf;
      options.credentials = "same-origin";
    }
    var controller = new AbortController();
    options.signal = controller.signal;
    var timer = setTimeout(function () {
      controller.abort();
    }, timeout || TIMEOUT);
    return fetch(config.api + path, options).finally(function () {
      clearTimeout(timer);
    });
  }

  function detailOf(response) {
    return response
      .json()
      .then(function (body) {
        return (body && body.detail) || response.statusText || String(response.status);
      })
      .catch(function () {
        return response.statusText || String(response.status);
      });
  }

  function refusedAccess(response) {
    return response.status === 401 || response.status === 403;
  }

  /* --- What the device keeps ----------------------------------------------------------------- */

  function packageKey(zoneId) {
    return slug + ":" + zoneId;
  }

  async function loadPackage() {
    state.pkg = null;
    state.entered = new Set();
    if (!state.zone) {
      renderPackage();
      return;
    }
    var kept = await Store.get("packages", packageKey(state.zone.id));
    if (kept) {
      state.pkg = await Verify.prepare(kept.data, {
        timeZone: config.timeZone,
        nobleUrl: config.assets["gates/vendor/noble-ed25519-3.2.0.js"],
      });
      var entries = await Store.list("entries", packageKey(state.zone.id) + ":");
      entries.forEach(function (entry) {
        state.entered.add(Number(entry.badge));
      });
    }
    await dropIfEnded();
    renderPackage();
  }

  /* The offline lists and entries of this event go when the event has ended, or when the server
     no longer accepts this sign-in or device token. */
  async function wipe(reasonText) {
    await Store.removePrefix("packages", slug + ":");
    await Store.removePrefix("entries", slug + ":");
    state.pkg = null;
    state.entered = new Set();
    state.packageNote = reasonText || "";
    renderPackage();
  }

  async function dropIfEnded() {
    var kept = await Store.list("packages", slug + ":");
    var now = Date.now();
    var ended = kept.some(function (item) {
      return item.data.expires_at && Date.parse(item.data.expires_at) <= now;
    });
    if (ended) {
      await wipe(T.packageExpired);
      return true;
    }
    return false;
  }

  async function accessRevoked() {
    await wipe(T.packageRevoked);
    showError(T.packageRevoked);
    if (config.mode === "device") {
      await Store.remove("settings", "token:" + slug);
      state.token = null;
      el.main.hidden = true;
      el.tokenPanel.hidden = false;
    }
  }

  function renderPackage(message) {
    message = message || (state.pkg ? "" : state.packageNote);
    if (message) {
      el.packageStatus.textContent = message;
    } else if (state.pkg) {
      el.packageStatus.textContent = format(T.packageReady, {
        count: state.pkg.count,
        generated: dateTimeOf(state.pkg.generatedAt),
        expires: dateTimeOf(state.pkg.expiresAt),
      });
    } else {
      el.packageStatus.textContent = T.packageNone;
    }
    el.main.dataset.offlineReady = state.pkg ? "yes" : "no";
  }

  async function rememberEntry(badgeId) {
    if (!state.zone || !state.zone.entry_once || badgeId === null || badgeId === undefined) {
      return;
    }
    state.entered.add(Number(badgeId));
    await Store.put("entries", {
      key: packageKey(state.zone.id) + ":" + badgeId,
      badge: Number(badgeId),
      at: new Date().toISOString(),
    });
  }

  async function prepareOffline() {
    if (!state.zone) {
      showError(T.chooseZone);
      return;
    }
    el.prepare.disabled = true;
    el.packageStatus.textContent = T.packagePreparing;
    try {
      var response = await api("GET", "/zones/" + state.zone.id + "/offline-package", undefined, SLOW_TIMEOUT);
      if (refusedAccess(response)) {
        await accessRevoked();
        return;
      }
      if (!response.ok) {
        renderPackage(format(T.packageFailed, { detail: await detailOf(response) }));
        return;
      }
      var data = await response.json();
      await Store.put("packages", { key: packageKey(state.zone.id), data: data, stored: new Date().toISOString() });
      state.packageNote = "";
      await keepShell();
      await loadPackage();
    } catch (error) {
      renderPackage(format(T.packageFailed, { detail: error.message || String(error) }));
    } finally {
      el.prepare.disabled = false;
      el.code.focus();
    }
  }

  /* The page and its files, for the service worker to serve without network. */
  async function keepShell() {
    if (!("caches" in window)) {
      return;
    }
    var cache = await caches.open(config.cacheName);
    var urls = [config.page].concat(Object.values(config.assets));
    await cache.addAll(urls);
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope }).catch(function () {
      // Without a service worker the page still works online; "Prepare for offline" says nothing more.
    });
  }

  /* --- The offline queue --------------------------------------------------------------------- */

  async function renderQueue() {
    var waiting = await Store.count("queue", slug + ":");
    el.queue.textContent = format(T.queue, { count: waiting });
    el.main.dataset.queue = String(waiting);
    el.sync.hidden = waiting === 0;
    return waiting;
  }

  async function renderConflicts() {
    var kept = (await Store.get("settings", "conflicts:" + slug)) || { key: "conflicts:" + slug, items: [] };
    el.conflicts.textContent = "";
    kept.items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.invalid
        ? format(T.invalidScan, { time: timeOf(item.scanned_at), message: item.message })
        : format(T.conflict, { time: timeOf(item.scanned_at), badge: item.label, message: item.message });
      el.conflicts.appendChild(li);
    });
    el.conflictsBox.hidden = kept.items.length === 0;
  }

  async function sync() {
    if (state.syncing) {
      return;
    }
    var items = await Store.list("queue", slug + ":");
    if (!items.length) {
      await renderQueue();
      return;
    }
    if (!navigator.onLine) {
      el.syncStatus.textContent = T.syncWaiting;
      return;
    }
    state.syncing = true;
    el.syncStatus.textContent = T.syncing;
    var totals = { recorded: 0, repeated: 0, conflicts: 0 };
    var newConflicts = [];
    try {
      var groups = new Map();
      items.forEach(function (item) {
        var key = item.zone + ":" + (item.gate || "");
        if (!groups.has(key)) {
          groups.set(key, []);
        }
        groups.get(key).push(item);
      });
      for (var group of groups.values()) {
        for (var start = 0; start < group.length; start += SYNC_BATCH) {
          var batch = group.slice(start, start + SYNC_BATCH);
          var response;
          try {
            response = await api("POST", "/scans/sync", {
              zone: batch[0].zone,
              gate: batch[0].gate,
              scans: batch.map(function (item) {
                var scan = {
                  nonce: item.nonce,
                  direction: item.direction,
                  scanned_at: item.scanned_at,
                  offline_result: item.offline_result,
                };
                if (item.badge !== undefined) {
                  scan.badge = item.badge;
                } else {
                  scan.code = item.code;
                }
                return scan;
              }),
            }, SLOW_TIMEOUT);
          } catch (error) {
            el.syncStatus.textContent = T.syncWaiting;
            return;
          }
          if (refusedAccess(response)) {
            el.syncStatus.textContent = format(T.syncFailed, { detail: await detailOf(response) });
            await accessRevoked();
            return;
          }
          if (!response.ok) {
            el.syncStatus.textContent = format(T.syncFailed, { detail: await detailOf(response) });
            return;
          }
          var body = await response.json();
          totals.recorded += body.recorded || 0;
          totals.repeated += body.repeated || 0;
          var byNonce = new Map(
            batch.map(function (item) {
              return [item.nonce, item];
            })
          );
          (body.conflicts || []).forEach(function (conflict) {
            var item = byNonce.get(conflict.nonce) || {};
            totals.conflicts += 1;
            newConflicts.push({
              nonce: conflict.nonce,
              reason: conflict.reason,
              message: conflict.message || config.refusals[conflict.reason] || conflict.reason,
              scanned_at: item.scanned_at,
              offline_result: item.offline_result,
              label: item.label || "—",
            });
          });
          (body.invalid || []).forEach(function (invalid) {
            var item = byNonce.get(invalid.nonce) || {};
            newConflicts.push({
              nonce: invalid.nonce,
              invalid: true,
              message: invalid.message,
              scanned_at: item.scanned_at,
              label: item.label || "—",
            });
          });
          for (var item of batch) {
            await Store.remove("queue", item.key);
          }
          if (newConflicts.length) {
            var kept = (await Store.get("settings", "conflicts:" + slug)) || { key: "conflicts:" + slug, items: [] };
            kept.items = newConflicts.concat(kept.items).slice(0, 200);
            await Store.put("settings", kept);
            newConflicts = [];
          }
        }
      }
      el.syncStatus.textContent = format(T.synced, {
        time: timeOf(new Date().toISOString()),
        recorded: totals.recorded,
        repeated: totals.repeated,
        conflicts: totals.conflicts,
      });
    } finally {
      state.syncing = false;
      await renderQueue();
      await renderConflicts();
    }
  }

  /* --- Scanning ------------------------------------------------------------------------------ */

  function direction() {
    if (!state.zone || !state.zone.exit_scanning) {
      return "entry";
    }
    var checked = el.direction.querySelector("input[name=direction]:checked");
    return checked ? checked.value : "entry";
  }

  function holderOf(data) {
    if (!data) {
      return null;
    }
    return {
      badge: data.badge !== undefined ? data.badge : data.id,
      number: data.number || "",
      honorific: data.honorific || "",
      name: data.name || "",
      name_native: data.name_native || "",
      category: data.category || "",
      colour: data.colour || "",
      delegation: data.delegation || "",
      country: data.country || "",
      photo: data.photo || null,
    };
  }

  async function handle(input) {
    if (!state.zone) {
      showError(T.chooseZone);
      return;
    }
    showError("");
    var scan = {
      nonce: nonce(),
      direction: direction(),
      scanned_at: new Date().toISOString(),
    };
    if (input.badge !== undefined) {
      scan.badge = Number(input.badge);
    } else {
      scan.code = String(input.code).trim();
      if (!scan.code) {
        return;
      }
    }
    if (state.pkg && (await dropIfEnded())) {
      state.pkg = null;
    }
    if (!navigator.onLine) {
      if (state.pkg) {
        await decideHere(scan);
      } else {
        showError(T.notPrepared);
      }
      return;
    }
    var response;
    try {
      var body = {
        zone: state.zone.id,
        gate: el.gate.value ? Number(el.gate.value) : null,
        nonce: scan.nonce,
        direction: scan.direction,
        scanned_at: scan.scanned_at,
      };
      if (scan.badge !== undefined) {
        body.badge = scan.badge;
      } else {
        body.code = scan.code;
      }
      response = await api("POST", "/scans", body);
    } catch (error) {
      response = null; // no network, or no answer in time
    }
    if (response === null || response.status >= 500) {
      if (state.pkg) {
        await decideHere(scan);
      } else {
        showError(T.notPrepared);
      }
      return;
    }
    if (refusedAccess(response)) {
      await accessRevoked();
      return;
    }
    if (!response.ok) {
      showError(format(T.serverError, { detail: await detailOf(response) }));
      return;
    }
    var answer = await response.json();
    var holder = holderOf(answer.holder);
    if (answer.result === "accepted" && scan.direction === "entry" && holder) {
      await rememberEntry(holder.badge);
    }
    showResult({
      result: answer.result,
      reason: answer.reason,
      message: answer.message || config.refusals[answer.reason] || "",
      holder: holder,
      direction: scan.direction,
      repeated: answer.repeated,
      offline: false,
    });
    if (navigator.onLine) {
      sync();
    }
  }

  /* No network (or no server): decide here, show it, and queue the scan for the server. */
  async function decideHere(scan) {
    var input = scan.badge !== undefined ? { badge: scan.badge } : { code: scan.code };
    var decision = await Verify.decide(state.pkg, input, {
      now: new Date(scan.scanned_at),
      direction: scan.direction,
      entered: state.entered,
    });
    var holder = holderOf(decision.holder);
    if (decision.result === "accepted" && scan.direction === "entry") {
      await rememberEntry(decision.badgeId);
    }
    var item = {
      key: slug + ":" + scan.nonce,
      nonce: scan.nonce,
      zone: state.zone.id,
      gate: el.gate.value ? Number(el.gate.value) : null,
      direction: scan.direction,
      scanned_at: scan.scanned_at,
      offline_result: decision.result,
      label: holder ? holder.number : decision.badgeId !== null ? "#" + decision.badgeId : "—",
    };
    if (scan.badge !== undefined) {
      item.badge = scan.badge;
    } else {
      item.code = scan.code;
    }
    await Store.put("queue", item);
    await renderQueue();
    showResult({
      result: decision.result,
      reason: decision.reason,
      message: config.refusals[decision.reason] || "",
      holder: holder,
      direction: scan.direction,
      repeated: false,
      offline: true,
    });
  }

  /* --- The result screen --------------------------------------------------------------------- */

  var COLOUR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

  function setText(node, text) {
    node.textContent = text || "";
    node.hidden = !text;
  }

  function showResult(outcome) {
    var box = el.result;
    var accepted = outcome.result === "accepted";
    box.classList.toggle("gate-result-accepted", accepted);
    box.classList.toggle("gate-result-refused", !accepted);
    box.dataset.result = outcome.result;
    box.dataset.reason = outcome.reason || "";
    box.querySelector(".gate-verdict-icon").textContent = accepted ? "\u2714" : "\u2716";
    box.querySelector(".gate-verdict-text").textContent = accepted
      ? outcome.direction === "exit"
        ? T.exitRecorded
        : T.accepted
      : T.refused;
    var holder = outcome.holder;
    var photo = box.querySelector(".gate-photo");
    var missing = box.querySelector(".gate-photo-missing");
    var name = holder ? [holder.honorific, holder.name].filter(Boolean).join(" ") : "";
    if (holder && holder.photo && /^data:image\/(jpeg|png|webp);base64,/.test(holder.photo)) {
      photo.src = holder.photo;
      photo.alt = format(T.photoOf, { name: name });
      photo.hidden = false;
      missing.hidden = true;
    } else {
      photo.removeAttribute("src");
      photo.hidden = true;
      setText(missing, holder ? T.noPhoto : "");
    }
    box.querySelector(".gate-holder").hidden = !holder;
    setText(box.querySelector(".gate-name"), name);
    setText(box.querySelector(".gate-name-native"), holder && holder.name_native !== holder.name ? holder.name_native : "");
    var category = box.querySelector(".gate-category");
    var swatch = box.querySelector(".gate-swatch");
    box.querySelector(".gate-category-text").textContent = holder ? holder.category : "";
    category.hidden = !(holder && holder.category);
    swatch.style.backgroundColor = holder && COLOUR.test(holder.colour) ? holder.colour : "transparent";
    setText(
      box.querySelector(".gate-delegation"),
      holder ? [holder.delegation, holder.country].filter(Boolean).join(" · ") : ""
    );
    setText(box.querySelector(".gate-number"), holder && holder.number ? format(T.badgeNumber, { number: holder.number }) : "");
    setText(box.querySelector(".gate-reason"), accepted ? "" : outcome.message || outcome.reason);
    var notes = [];
    if (outcome.offline) {
      notes.push(T.offlineDecision);
    }
    if (outcome.repeated) {
      notes.push(T.repeated);
    }
    setText(box.querySelector(".gate-note"), notes.join(" "));
    box.hidden = false;
    document.body.classList.add("gate-showing-result");
    cue(accepted);
    clearTimeout(state.resultTimer);
    state.resultTimer = setTimeout(clearResult, accepted ? config.acceptedMs : config.refusedMs);
    el.code.focus();
  }

  function clearResult() {
    clearTimeout(state.resultTimer);
    el.result.hidden = true;
    document.body.classList.remove("gate-showing-result");
    el.code.focus();
  }

  var audio = null;

  function cue(accepted) {
    if (!el.sound.checked) {
      return;
    }
    if (navigator.vibrate) {
      navigator.vibrate(accepted ? 120 : [120, 80, 120, 80, 120]);
    }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = accepted ? 880 : 220;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + (accepted ? 0.15 : 0.5));
    } catch (error) {
      // No sound on this device: the screen says it all.
    }
  }

  /* --- Search and manual admission ------------------------------------------------------------ */

  async function searchBadges(query) {
    el.results.textContent = "";
    query = query.trim();
    if (query.length < 2) {
      el.searchStatus.textContent = T.searchShort;
      return;
    }
    if (!state.zone) {
      showError(T.chooseZone);
      return;
    }
    var found = null;
    if (navigator.onLine || !state.pkg) {
      try {
        var response = await api(
          "GET",
          "/search?zone=" + encodeURIComponent(state.zone.id) + "&q=" + encodeURIComponent(query)
        );
        if (refusedAccess(response)) {
          await accessRevoked();
          return;
        }
        if (!response.ok) {
          el.searchStatus.textContent = format(T.searchFailed, { detail: await detailOf(response) });
          return;
        }
        found = ((await response.json()).results || []).map(holderOf);
      } catch (error) {
        if (!state.pkg) {
          el.searchStatus.textContent = T.notPrepared;
          return;
        }
      }
    }
    if (found === null) {
      found = Verify.search(state.pkg, query, 20).map(holderOf);
    }
    el.searchStatus.textContent = found.length ? "" : T.searchNone;
    found.forEach(function (holder) {
      el.results.appendChild(resultItem(holder));
    });
  }

  function resultItem(holder) {
    var li = document.createElement("li");
    li.className = "gate-result-item";
    var name = [holder.honorific, holder.name].filter(Boolean).join(" ");
    if (holder.photo && /^data:image\/(jpeg|png|webp);base64,/.test(holder.photo)) {
      var img = document.createElement("img");
      img.src = holder.photo;
      img.alt = format(T.photoOf, { name: name });
      img.className = "gate-result-photo";
      li.appendChild(img);
    } else {
      var none = document.createElement("p");
      none.className = "gate-result-photo gate-result-nophoto";
      none.textContent = T.noPhoto;
      li.appendChild(none);
    }
    var text = document.createElement("div");
    text.className = "gate-result-text";
    [
      ["gate-result-name", name],
      ["gate-result-native", holder.name_native !== holder.name ? holder.name_native : ""],
      ["", [format(T.badgeNumber, { number: holder.number }), holder.category].filter(Boolean).join(" · ")],
      ["", [holder.delegation, holder.country].filter(Boolean).join(" · ")],
    ].forEach(function (pair) {
      if (!pair[1]) {
        return;
      }
      var p = document.createElement("p");
      p.className = pair[0];
      p.textContent = pair[1];
      if (pair[0] === "gate-result-native") {
        p.dir = "auto";
      }
      text.appendChild(p);
    });
    li.appendChild(text);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button gate-big";
    button.textContent = format(direction() === "exit" ? T.letOut : T.admit, { name: name });
    button.addEventListener("click", function () {
      handle({ badge: holder.badge });
    });
    li.appendChild(button);
    return li;
  }

  /* --- The camera --------------------------------------------------------------------------- */

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function qrReader() {
    if ("BarcodeDetector" in window) {
      try {
        var formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.indexOf("qr_code") >= 0) {
          var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return async function (video) {
            var codes = await detector.detect(video);
            return codes.length ? codes[0].rawValue : null;
          };
        }
      } catch (error) {
        // fall through to the JavaScript decoder
      }
    }
    if (!window.jsQR) {
      await loadScript(config.assets["gates/vendor/jsQR-1.4.0.js"]);
    }
    if (!window.jsQR) {
      return null;
    }
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return async function (video) {
      var width = video.videoWidth;
      var height = video.videoHeight;
      if (!width || !height) {
        return null;
      }
      var scale = Math.min(1, 800 / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, canvas.width, canvas.height, { inversionAttempts: "attemptBoth" });
      return code ? code.data : null;
    };
  }

  async function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      el.cameraStatus.textContent = format(T.cameraUnavailable, { detail: "getUserMedia" });
      return;
    }
    var stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      el.cameraStatus.textContent = format(T.cameraUnavailable, { detail: error.message || error.name });
      return;
    }
    var read = await qrReader();
    if (!read) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
      el.cameraStatus.textContent = T.cameraNoDecoder;
      return;
    }
    var camera = { stream: stream, last: "", lastAt: 0, timer: null };
    state.camera = camera;
    el.video.srcObject = stream;
    el.video.hidden = false;
    el.cameraButton.textContent = T.cameraStop;
    el.cameraButton.setAttribute("aria-pressed", "true");
    el.cameraStatus.textContent = "";
    try {
      await el.video.play();
    } catch (error) {
      // a muted inline video plays; if not, frames still arrive for the decoder
    }
    async function tick() {
      if (state.camera !== camera) {
        return;
      }
      try {
        var text = await read(el.video);
        var now = Date.now();
        // A badge held in front of the camera is scanned once; shown again after it was out of
        // sight for a few seconds, it is scanned again (a second entry, an exit).
        if (text) {
          var fresh = text !== camera.last || now - camera.lastAt > 3000;
          camera.last = text;
          camera.lastAt = now;
          if (fresh) {
            await handle({ code: text });
          }
        }
      } catch (error) {
        // a frame that could not be read: try the next one
      }
      camera.timer = setTimeout(tick, 150);
    }
    tick();
  }

  function stopCamera() {
    var camera = state.camera;
    state.camera = null;
    if (camera) {
      clearTimeout(camera.timer);
      camera.stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    el.video.srcObject = null;
    el.video.hidden = true;
    el.cameraButton.textContent = T.cameraStart;
    el.cameraButton.setAttribute("aria-pressed", "false");
  }

  /* --- Zones, gates, direction --------------------------------------------------------------- */

  function option(value, label) {
    var node = document.createElement("option");
    node.value = String(value);
    node.textContent = label;
    return node;
  }

  function fillZones(choice) {
    el.zone.textContent = "";
    state.zones.forEach(function (zone) {
      el.zone.appendChild(option(zone.id, zone.name));
    });
    if (choice && choice.zone && state.zones.some((zone) => String(zone.id) === String(choice.zone))) {
      el.zone.value = String(choice.zone);
    }
    return chooseZone(choice);
  }

  async function chooseZone(choice) {
    var id = el.zone.value;
    state.zone =
      state.zones.find(function (zone) {
        return String(zone.id) === id;
      }) || null;
    el.gate.textContent = "";
    (state.zone ? state.zone.gates : []).forEach(function (gate) {
      el.gate.appendChild(option(gate.id, gate.name));
    });
    if (choice && choice.gate && state.zone && state.zone.gates.some((gate) => String(gate.id) === String(choice.gate))) {
      el.gate.value = String(choice.gate);
    }
    el.direction.hidden = !(state.zone && state.zone.exit_scanning);
    if (el.direction.hidden) {
      el.direction.querySelector("input[value=entry]").checked = true;
    }
    await saveChoice();
    await loadPackage();
  }

  function saveChoice() {
    return Store.put("settings", {
      key: "choice:" + slug,
      zone: state.zone ? state.zone.id : null,
      gate: el.gate.value || null,
    });
  }

  /* --- Network status ------------------------------------------------------------------------ */

  function renderNetwork() {
    var online = navigator.onLine;
    el.network.classList.toggle("gate-network-off", !online);
    el.network.querySelector(".gate-network-text").textContent = online ? T.online : T.offline;
    el.network.querySelector(".gate-network-icon").textContent = online ? "\u25cf" : "\u25cb";
  }

  /* --- Start ----------------------------------------------------------------------------------- */

  async function zonesForDevice() {
    try {
      var response = await api("GET", "/zones");
      if (refusedAccess(response)) {
        return { refused: true };
      }
      if (response.ok) {
        var zones = (await response.json()).zones || [];
        await Store.put("settings", { key: "zones:" + slug, zones: zones });
        return { zones: zones };
      }
      return { error: await detailOf(response) };
    } catch (error) {
      var kept = await Store.get("settings", "zones:" + slug);
      return kept ? { zones: kept.zones } : { error: T.notPrepared };
    }
  }

  async function startMain() {
    var zones = config.zones;
    if (config.mode === "device") {
      var answer = await zonesForDevice();
      if (answer.refused) {
        await accessRevoked();
        return;
      }
      if (answer.error) {
        showError(answer.error);
        return;
      }
      zones = answer.zones;
    }
    state.zones = zones || [];
    if (!state.zones.length) {
      showError(T.noZones);
    }
    el.main.hidden = false;
    await fillZones(await Store.get("settings", "choice:" + slug));
    await renderQueue();
    await renderConflicts();
    el.main.dataset.ready = "yes";
    el.code.focus();
    if (navigator.onLine) {
      sync();
    }
  }

  function bind() {
    el.scanForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = el.code.value;
      el.code.value = "";
      handle({ code: value });
    });
    el.searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      searchBadges(el.search.value);
    });
    el.zone.addEventListener("change", function () {
      chooseZone(null);
    });
    el.gate.addEventListener("change", saveChoice);
    el.prepare.addEventListener("click", prepareOffline);
    el.sync.addEventListener("click", sync);
    el.cameraButton.addEventListener("click", function () {
      if (state.camera) {
        stopCamera();
      } else {
        startCamera();
      }
    });
    el.result.addEventListener("click", clearResult);
    el.sound.addEventListener("change", function () {
      Store.put("settings", { key: "sound", on: el.sound.checked });
    });
    // A hand scanner types wherever the focus is: bring its keystrokes back to the code field
    // (a badge code has no spaces, so Space still presses a focused button).
    document.addEventListener("keydown", function (event) {
      var active = document.activeElement;
      var typing =
        active &&
        (active.tagName === "TEXTAREA" ||
          (active.tagName === "INPUT" && /^(text|search|password|email|number|tel|url)$/.test(active.type)));
      if (
        !el.main.hidden &&
        !typing &&
        event.key.length === 1 &&
        event.key !== " " &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.altKey
      ) {
        el.code.focus();
      }
    });
    window.addEventListener("online", function () {
      renderNetwork();
      sync();
    });
    window.addEventListener("offline", renderNetwork);
    setInterval(function () {
      if (navigator.onLine) {
        sync();
      }
      dropIfEnded();
    }, SYNC_EVERY);
    if (el.forget) {
      el.forget.addEventListener("click", async function () {
        await wipe(T.packageNone);
        await Store.remove("settings", "token:" + slug);
        await Store.remove("settings", "zones:" + slug);
        state.token = null;
        el.main.hidden = true;
        el.tokenPanel.hidden = false;
        showError("");
        el.tokenError.hidden = true;
        el.tokenStatus.textContent = T.forgotten;
        el.tokenStatus.hidden = false;
        el.token.focus();
      });
    }
    if (el.tokenForm) {
      el.tokenForm.addEventListener("submit", async function (event) {
        event.preventDefault();
        var secret = el.token.value.trim();
        if (!secret) {
          return;
        }
        state.token = secret;
        var answer = await zonesForDevice();
        if (answer.refused || answer.error) {
          state.token = null;
          el.tokenError.textContent = answer.refused ? T.tokenInvalid : answer.error;
          el.tokenError.hidden = false;
          el.token.setAttribute("aria-invalid", "true");
          el.token.focus();
          return;
        }
        await Store.put("settings", { key: "token:" + slug, token: secret });
        el.token.value = "";
        el.token.removeAttribute("aria-invalid");
        el.tokenError.hidden = true;
        el.tokenStatus.hidden = true;
        el.tokenPanel.hidden = true;
        showError("");
        await startMain();
      });
    }
  }

  async function start() {
    bind();
    renderNetwork();
    registerWorker();
    var sound = await Store.get("settings", "sound");
    el.sound.checked = !!(sound && sound.on);
    if (config.mode === "device") {
      var kept = await Store.get("settings", "token:" + slug);
      if (!kept) {
        el.tokenPanel.hidden = false;
        el.token.focus();
        return;
      }
      state.token = kept.token;
    }
    await startMain();
  }

  start().catch(function (error) {
    showError(error.message || String(error));
  });
})();
