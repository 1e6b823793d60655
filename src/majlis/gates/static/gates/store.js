/* What the gate page keeps on the device, in IndexedDB (database "majlis-gates"):
     packages  the offline package of a zone (keys, revocations, allow-list), key "<event>:<zone>"
     queue     scans decided without network, waiting to be sent, key: the scan's nonce
     entries   badges that entered a one-entry zone through this device, key "<event>:<zone>:<badge>"
     settings  the device token, the chosen zone and gate, conflicts reported by the server
   Exposed as window.MajlisGateStore; every function returns a promise. */
(function (global) {
  "use strict";

  var NAME = "majlis-gates";
  var VERSION = 1;
  var STORES = ["packages", "queue", "entries", "settings"];
  var opening = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var req = global.indexedDB.open(NAME, VERSION);
        req.onupgradeneeded = function () {
          var db = req.result;
          STORES.forEach(function (store) {
            if (!db.objectStoreNames.contains(store)) {
              db.createObjectStore(store, { keyPath: "key" });
            }
          });
        };
        req.onsuccess = function () {
          resolve(req.result);
        };
        req.onerror = function () {
          opening = null;
          reject(req.error);
        };
      });
    }
    return opening;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result;
        Promise.resolve(work(tx.objectStore(store))).then(function (value) {
          result = value;
        }, reject);
        tx.oncomplete = function () {
          resolve(result);
        };
        tx.onerror = function () {
          reject(tx.error);
        };
        tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  function get(store, key) {
    return run(store, "readonly", function (os) {
      return request(os.get(key));
    });
  }

  function put(store, value) {
    return run(store, "readwrite", function (os) {
      return request(os.put(value));
    });
  }

  function remove(store, key) {
    return run(store, "readwrite", function (os) {
      return request(os.delete(key));
    });
  }

  /* Every record whose key starts with prefix ("" for all). */
  function list(store, prefix) {
    var range = prefix ? IDBKeyRange.bound(prefix, prefix + "\uffff") : undefined;
    return run(store, "readonly", function (os) {
      return request(os.getAll(range));
    });
  }

  function removePrefix(store, prefix) {
    return run(store, "readwrite", function (os) {
      return request(os.delete(IDBKeyRange.bound(prefix, prefix + "\uffff")));
    });
  }

  function count(store, prefix) {
    var range = prefix ? IDBKeyRange.bound(prefix, prefix + "\uffff") : undefined;
    return run(store, "readonly", function (os) {
      return request(os.count(range));
    });
  }

  global.MajlisGateStore = {
    open: open,
    get: get,
    put: put,
    remove: remove,
    list: list,
    removePrefix: removePrefix,
    count: count,
  };
})(window);
