/* Offline verification of a badge code at a gate: the same decision, in the same order and with the
   same reasons, as the server (majlis/badges/tokens.py parse, badges/verification.py verify, and
   gates/services.py zone_refusal), from the zone's offline package kept on the device.

   Token layout (87 bytes, base64url without padding, 116 characters):
     [0] version (1) | [1:5] key id | [5:9] event id | [9:13] badge id | [13:15] revision
     | [15:19] valid from | [19:23] valid until (Unix seconds, big-endian) | [23:87] Ed25519 signature of [0:23]

   Signatures are checked with WebCrypto's Ed25519; where the browser lacks it, with the vendored
   @noble/ed25519 (loaded only then). Exposed as window.MajlisGateVerify. */
(function (global) {
  "use strict";

  var VERSION = 1;
  var CLAIMS_LENGTH = 23;
  var TOKEN_LENGTH = 87;
  var TEXT_LENGTH = 116;

  var Refusal = {
    MALFORMED: "malformed",
    TRUNCATED: "truncated",
    UNSUPPORTED_VERSION: "unsupported_version",
    UNKNOWN_KEY: "unknown_key",
    KEY_WITHDRAWN: "key_withdrawn",
    OTHER_EVENT: "other_event",
    FORGED: "forged",
    NOT_YET_VALID: "not_yet_valid",
    EXPIRED: "expired",
    UNKNOWN_BADGE: "unknown_badge",
    REVOKED: "revoked",
    SUPERSEDED: "superseded",
  };
  var ZoneRefusal = {
    CATEGORY: "category",
    CLOSED_DAY: "closed_day",
    ALREADY_ENTERED: "already_entered",
    SESSION: "session",
  };

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUES = new Int8Array(128).fill(-1);
  for (var i = 0; i < ALPHABET.length; i++) {
    VALUES[ALPHABET.charCodeAt(i)] = i;
  }

  /* Python's str.strip(): whitespace at both ends (a hand scanner may add a line end). */
  function strip(text) {
    return String(text).replace(/^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/g, "");
  }

  /* base64url without padding to bytes; null when the length cannot be base64 (one character too
     many), as Python's urlsafe_b64decode fails on it. Leftover bits are ignored, as Python does. */
  function decode(text) {
    if (text.length % 4 === 1) {
      return null;
    }
    var out = new Uint8Array(Math.floor((text.length * 3) / 4));
    var buffer = 0;
    var bits = 0;
    var index = 0;
    for (var i = 0; i < text.length; i++) {
      buffer = ((buffer << 6) | VALUES[text.charCodeAt(i)]) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[index++] = (buffer >> bits) & 0xff;
      }
    }
    return out;
  }

  function decodeKey(text) {
    var bytes = decode(String(text).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"));
    if (bytes === null || bytes.length !== 32) {
      throw new Error("A public key of the offline package is not 32 bytes.");
    }
    return bytes;
  }

  /* Like tokens.parse: {reason} when the form is wrong, else the claims and the signed bytes. */
  function parse(text) {
    text = strip(text);
    if (!text || text.length > 4 * TEXT_LENGTH) {
      return { reason: Refusal.MALFORMED };
    }
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code >= 128 || VALUES[code] < 0) {
        return { reason: Refusal.MALFORMED };
      }
    }
    var raw = decode(text);
    if (raw === null) {
      return { reason: Refusal.TRUNCATED };
    }
    if (raw.length < 1) {
      return { reason: Refusal.MALFORMED };
    }
    if (raw[0] !== VERSION) {
      return { reason: raw.length === TOKEN_LENGTH ? Refusal.UNSUPPORTED_VERSION : Refusal.MALFORMED };
    }
    if (raw.length !== TOKEN_LENGTH) {
      return { reason: Refusal.TRUNCATED };
    }
    var view = new DataView(raw.buffer, raw.byteOffset, CLAIMS_LENGTH);
    return {
      reason: "",
      claims: {
        version: view.getUint8(0),
        keyId: view.getUint32(1),
        eventId: view.getUint32(5),
        badgeId: view.getUint32(9),
        revision: view.getUint16(13),
        validFrom: view.getUint32(15),
        validUntil: view.getUint32(19),
      },
      signed: raw.subarray(0, CLAIMS_LENGTH),
      signature: raw.subarray(CLAIMS_LENGTH),
    };
  }

  var noble = null;

  function loadNoble(url) {
    if (!noble) {
      noble = import(url);
    }
    return noble;
  }

  /* The package's public keys, ready to verify: WebCrypto keys, or raw bytes for @noble/ed25519. */
  async function importKeys(keys, options) {
    options = options || {};
    var prepared = new Map();
    var useNoble = !!options.forceNoble;
    for (var i = 0; i < keys.length; i++) {
      var entry = keys[i];
      var raw = decodeKey(entry.public_key);
      var key = null;
      if (!useNoble) {
        try {
          key = await global.crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
        } catch (error) {
          useNoble = true; // this browser has no Ed25519 in WebCrypto
        }
      }
      prepared.set(Number(entry.key_id), { raw: raw, key: key, withdrawn: !!entry.withdrawn });
    }
    var verifier = null;
    if (useNoble) {
      if (!options.nobleUrl) {
        throw new Error("This browser has no Ed25519 and no fallback was given.");
      }
      verifier = await loadNoble(options.nobleUrl);
    }
    return { keys: prepared, noble: verifier };
  }

  async function signatureValid(keyring, entry, parsed) {
    if (keyring.noble) {
      try {
        return await keyring.noble.verifyAsync(parsed.signature, parsed.signed, entry.raw, { zip215: false });
      } catch (error) {
        return false;
      }
    }
    if (!entry.key) {
      entry.key = await global.crypto.subtle.importKey("raw", entry.raw, { name: "Ed25519" }, false, ["verify"]);
    }
    try {
      return await global.crypto.subtle.verify({ name: "Ed25519" }, entry.key, parsed.signature, parsed.signed);
    } catch (error) {
      return false;
    }
  }

  var dayFormats = new Map();

  /* The calendar day (YYYY-MM-DD) of a moment in the event's time zone. */
  function localDay(moment, timeZone) {
    var format = dayFormats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat("en-CA", {
        timeZone: timeZone || "UTC",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
      dayFormats.set(timeZone, format);
    }
    var parts = {};
    format.formatToParts(moment).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  /* Everything the decision needs from an offline package (op. 4 of the gates API), indexed once. */
  async function prepare(pkg, options) {
    options = options || {};
    var badges = new Map();
    (pkg.badges || []).forEach(function (badge) {
      badges.set(Number(badge.id), badge);
    });
    var keyring = await importKeys(pkg.keys || [], options);
    return {
      eventId: Number(pkg.event),
      zone: pkg.zone,
      categories: new Set((pkg.zone.category_ids || []).map(Number)),
      openDays: pkg.zone.open_days || [],
      keyring: keyring,
      badges: badges,
      revoked: new Set((pkg.revoked || []).map(Number)),
      timeZone: options.timeZone || "UTC",
      expiresAt: pkg.expires_at ? Date.parse(pkg.expires_at) : null,
      generatedAt: pkg.generated_at || "",
      count: badges.size,
    };
  }

  function zoneRefusal(state, badge, direction, moment, entered) {
    if (direction === "exit") {
      return "";
    }
    if (!state.categories.has(Number(badge.category_id))) {
      return ZoneRefusal.CATEGORY;
    }
    if (state.openDays.length && state.openDays.indexOf(localDay(moment, state.timeZone)) < 0) {
      return ZoneRefusal.CLOSED_DAY;
    }
    if (state.zone.entry_once && entered && entered.has(Number(badge.id))) {
      return ZoneRefusal.ALREADY_ENTERED;
    }
    return "";
  }

  function outcome(reason, badge, badgeId) {
    return {
      result: reason ? "refused" : "accepted",
      reason: reason,
      holder: badge || null,
      badgeId: badgeId === undefined ? null : badgeId,
    };
  }

  /* The decision for a scanned code ({code}) or a badge chosen after a search ({badge}).
     options: now (Date), direction ("entry"|"exit"), entered (Set of badge ids that entered through
     this device, for one-entry zones). */
  async function decide(state, input, options) {
    options = options || {};
    var moment = options.now || new Date();
    var direction = options.direction || "entry";
    var badge;
    if (input.badge !== undefined && input.badge !== null) {
      var id = Number(input.badge);
      if (state.revoked.has(id)) {
        return outcome(Refusal.REVOKED, null, id);
      }
      badge = state.badges.get(id);
      if (!badge) {
        return outcome(ZoneRefusal.CATEGORY, null, id);
      }
      return outcome(zoneRefusal(state, badge, direction, moment, options.entered), badge, id);
    }
    var parsed = parse(input.code);
    if (parsed.reason) {
      return outcome(parsed.reason, null);
    }
    var claims = parsed.claims;
    var key = state.keyring.keys.get(claims.keyId);
    if (!key) {
      return outcome(Refusal.UNKNOWN_KEY, null);
    }
    if (!(await signatureValid(state.keyring, key, parsed))) {
      return outcome(Refusal.FORGED, null);
    }
    if (claims.eventId !== state.eventId) {
      return outcome(Refusal.OTHER_EVENT, null);
    }
    if (key.withdrawn) {
      return outcome(Refusal.KEY_WITHDRAWN, null, claims.badgeId);
    }
    var seconds = Math.floor(moment.getTime() / 1000);
    if (seconds < claims.validFrom) {
      return outcome(Refusal.NOT_YET_VALID, null, claims.badgeId);
    }
    if (seconds >= claims.validUntil) {
      return outcome(Refusal.EXPIRED, null, claims.badgeId);
    }
    if (state.revoked.has(claims.badgeId)) {
      return outcome(Refusal.REVOKED, null, claims.badgeId);
    }
    badge = state.badges.get(claims.badgeId);
    if (!badge) {
      // A genuine badge of this event that is not on the zone's list: its category may not enter
      // (the list holds every issued badge whose category may).
      return outcome(ZoneRefusal.CATEGORY, null, claims.badgeId);
    }
    if (Number(badge.revision) !== claims.revision) {
      return outcome(Refusal.SUPERSEDED, badge, claims.badgeId);
    }
    return outcome(zoneRefusal(state, badge, direction, moment, options.entered), badge, claims.badgeId);
  }

  /* Name or badge-number search in the package, as the server's search does. */
  function search(state, query, limit) {
    var needle = strip(query).toLocaleLowerCase();
    var found = [];
    if (needle.length < 2) {
      return found;
    }
    state.badges.forEach(function (badge) {
      if (found.length >= (limit || 20)) {
        return;
      }
      var haystack = [badge.name, badge.name_native, badge.number].join("\u0001").toLocaleLowerCase();
      if (haystack.indexOf(needle) >= 0) {
        found.push(badge);
      }
    });
    return found;
  }

  global.MajlisGateVerify = {
    Refusal: Refusal,
    ZoneRefusal: ZoneRefusal,
    decode: decode,
    parse: parse,
    prepare: prepare,
    decide: decide,
    search: search,
    localDay: localDay,
  };
})(window);
