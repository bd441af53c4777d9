/* The POS screen: scanner-first cart, cash / QRIS / split payment, and selling through a dropped connection.
 *
 * Every cash sale is written to IndexedDB (the outbox) before it is sent, under a client UUID, so a
 * lost connection, a reload or a closed tab loses nothing; the outbox is sent to the sync endpoint
 * until the server has accepted each sale (exactly once per UUID). The product list is cached in
 * IndexedDB too, so scanning keeps working offline.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("pos-config").textContent);
  var i18n = {};
  document.getElementById("pos-i18n").content.querySelectorAll("[data-key]").forEach(function (el) {
    i18n[el.dataset.key] = el.textContent.trim();
  });
  var $ = function (id) { return document.getElementById(id); };
  var DB_NAME = "gemilang-pos";
  var db = null;
  var products = [];
  var byCode = {};
  var cart = [];
  var visitCode = "";
  var online = navigator.onLine;
  var syncing = false;
  var qrisSale = null;
  var qrisTimer = null;

  // --- formatting -----------------------------------------------------------------------------
  function rp(n) {
    n = Math.round(n || 0);
    return (n < 0 ? "-" : "") + "Rp" + Math.abs(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  function digits(value) { var d = String(value || "").replace(/\D/g, ""); return d ? parseInt(d, 10) : null; }
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function say(text, kind) {
    var el = $("pos-message");
    el.textContent = text || "";
    el.dataset.kind = kind || "";
  }

  // --- IndexedDB ------------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var d = req.result;
        d.createObjectStore("products", { keyPath: "key" });
        d.createObjectStore("outbox", { keyPath: "clientId" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(store, mode, fn) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(store, mode);
      var result;
      t.oncomplete = function () { resolve(result); };
      t.onerror = function () { reject(t.error); };
      result = fn(t.objectStore(store));
    });
  }
  function getAll(store) {
    return new Promise(function (resolve, reject) {
      var req = db.transaction(store, "readonly").objectStore(store).getAll();
      req.onsuccess = function () { resolve(req.result || []); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function outboxPut(record) { return tx("outbox", "readwrite", function (s) { s.put(record); }); }
  function outboxDelete(clientId) { return tx("outbox", "readwrite", function (s) { s.delete(clientId); }); }

  // --- connection state -----------------------------------------------------------------------
  function setOnline(value) {
    online = value;
    var el = $("pos-conn");
    el.dataset.state = value ? "online" : "offline";
    el.textContent = value ? i18n.online : i18n.offline;
  }
  function refreshUnsynced() {
    return getAll("outbox").then(function (rows) {
      var pending = rows.filter(function (r) { return r.status !== "rejected"; }).length;
      var rejected = rows.length - pending;
      var el = $("pos-unsynced");
      el.dataset.count = String(pending);
      el.querySelector("b").textContent = String(pending) + (rejected ? " (+" + rejected + " !)" : "");
      return pending;
    });
  }
  function send(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: body === undefined ? "{}" : JSON.stringify(body),
    }).then(function (response) {
      setOnline(true);
      return response;
    }, function (err) {
      setOnline(false);
      throw err;
    });
  }

  // --- products -------------------------------------------------------------------------------
  function indexProducts(list) {
    products = list;
    byCode = {};
    list.forEach(function (p) {
      [p.barcode, p.sku, p.code].forEach(function (c) { if (c) byCode[String(c).toUpperCase()] = p; });
    });
  }
  function loadProducts() {
    var key = "shift:" + config.shiftId;
    return fetch(config.urls.products, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      setOnline(true);
      return r.json();
    }).then(function (data) {
      indexProducts(data.products);
      return tx("products", "readwrite", function (s) { s.put({ key: key, products: data.products, at: Date.now() }); });
    }).catch(function () {
      return new Promise(function (resolve) {
        var req = db.transaction("products", "readonly").objectStore("products").get(key);
        req.onsuccess = function () { if (req.result) indexProducts(req.result.products); resolve(); };
        req.onerror = function () { resolve(); };
      });
    });
  }
  function productById(id) {
    for (var i = 0; i < products.length; i++) if (products[i].id === id) return products[i];
    return null;
  }

  // --- cart -----------------------------------------------------------------------------------
  function addLine(product, quantity) {
    quantity = quantity || 1;
    var line = null;
    for (var i = 0; i < cart.length; i++) if (cart[i].variantId === product.id && !cart[i].discount) line = cart[i];
    if (line) line.quantity += quantity;
    else cart.push({ variantId: product.id, name: product.name, vendor: product.vendor, price: product.price,
                     quantity: quantity, discount: 0, discountReason: "", available: product.available });
    render();
  }
  function lineTotal(line) { return line.price * line.quantity - (line.discount || 0); }
  function cartTotal() { return cart.reduce(function (s, l) { return s + lineTotal(l); }, 0); }

  function render() {
    var body = $("pos-cart");
    body.textContent = "";
    cart.forEach(function (line, index) {
      var tr = document.createElement("tr");
      tr.dataset.variant = line.variantId;
      var name = document.createElement("td");
      name.textContent = line.name;
      if (line.available !== undefined && line.quantity > line.available) {
        var warn = document.createElement("small");
        warn.className = "pos-warn";
        warn.textContent = " " + i18n.stock.replace("%s", line.available);
        name.appendChild(warn);
      }
      var qty = document.createElement("td");
      qty.className = "num";
      var minus = button("−", function () { changeQty(index, -1); });
      var plus = button("+", function () { changeQty(index, 1); });
      var q = document.createElement("span");
      q.className = "pos-qty";
      q.textContent = String(line.quantity);
      qty.append(minus, q, plus);
      var price = cell(rp(line.price));
      tr.append(name, qty, price);
      if (config.canDiscount) {
        var disc = document.createElement("td");
        disc.className = "num";
        var input = document.createElement("input");
        input.className = "pos-discount";
        input.inputMode = "numeric";
        input.value = line.discount ? String(line.discount) : "";
        input.setAttribute("aria-label", "Diskon");
        input.addEventListener("change", function () {
          var amount = digits(input.value) || 0;
          if (amount > 0) {
            var reason = window.prompt(i18n.reason, line.discountReason || "");
            if (!reason) { input.value = ""; return; }
            line.discountReason = reason;
          }
          line.discount = Math.min(amount, line.price * line.quantity);
          render();
        });
        disc.appendChild(input);
        tr.appendChild(disc);
      }
      tr.append(cell(rp(lineTotal(line))), (function () {
        var td = document.createElement("td");
        td.appendChild(button("✕", function () { cart.splice(index, 1); render(); }));
        return td;
      })());
      body.appendChild(tr);
    });
    $("pos-total").textContent = rp(cartTotal());
    updateChange();
  }
  function cell(text) { var td = document.createElement("td"); td.className = "num"; td.textContent = text; return td; }
  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button"; b.className = "pos-small"; b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }
  function changeQty(index, delta) {
    var line = cart[index];
    if (!line) return;
    line.quantity += delta;
    if (line.quantity <= 0) cart.splice(index, 1);
    render();
  }

  // --- scanning and search --------------------------------------------------------------------
  function showResults(list) {
    var ul = $("pos-results");
    ul.textContent = "";
    list.slice(0, 8).forEach(function (p) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = p.name + " · " + rp(p.price) + " · " + p.vendor;
      b.addEventListener("click", function () { addLine(p, 1); ul.textContent = ""; $("pos-scan").focus(); });
      li.appendChild(b);
      ul.appendChild(li);
    });
  }
  $("pos-scan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("pos-scan");
    var raw = input.value.trim();
    input.value = "";
    if (!raw) return;
    var quantity = 1;
    var m = raw.match(/^(\d{1,4})\*(.+)$/);
    if (m) { quantity = parseInt(m[1], 10); raw = m[2].trim(); }
    var product = byCode[raw.toUpperCase()];
    if (product) { addLine(product, quantity); say(""); $("pos-results").textContent = ""; return; }
    var needle = raw.toLowerCase();
    var found = products.filter(function (p) {
      return p.name.toLowerCase().indexOf(needle) >= 0 || String(p.sku).toLowerCase().indexOf(needle) >= 0;
    });
    if (found.length === 1) { addLine(found[0], quantity); $("pos-results").textContent = ""; return; }
    if (!found.length) { say(i18n.notFound + " (" + raw + ")", "error"); return; }
    showResults(found);
  });
  $("pos-scan").addEventListener("keydown", function (event) {
    if (this.value === "" && (event.key === "+" || event.key === "-") && cart.length) {
      event.preventDefault();
      changeQty(cart.length - 1, event.key === "+" ? 1 : -1);
    }
  });

  // --- visit ----------------------------------------------------------------------------------
  function visitFromInput(raw) {
    var parts = raw.split(":");
    return parts.length === 4 && parts[0] === "GMV1" ? parts[3] : raw;
  }
  $("pos-visit-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var raw = $("pos-visit").value.trim();
    if (!raw) { visitCode = ""; $("pos-visit-info").textContent = ""; return; }
    fetch(config.urls.visit + "?code=" + encodeURIComponent(raw), { credentials: "same-origin" }).then(function (r) {
      setOnline(true);
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (!res.ok) { say(res.data.message || i18n.notFound, "error"); return; }
      visitCode = res.data.code;
      $("pos-visit-info").textContent = visitCode;
      res.data.reserved.forEach(function (item) {
        var p = productById(item.variantId);
        if (p) addLine(p, item.quantity);
      });
      $("pos-scan").focus();
    }, function () {
      setOnline(false);
      visitCode = visitFromInput(raw);
      $("pos-visit-info").textContent = visitCode + " · " + i18n.visitOffline;
    });
  });

  // --- payment --------------------------------------------------------------------------------
  function method() { return document.querySelector("input[name=method]:checked").value; }
  document.querySelectorAll("input[name=method]").forEach(function (el) {
    el.addEventListener("change", function () {
      $("pos-split-box").hidden = method() !== "split";
      $("pos-cash-box").hidden = method() === "qris";
      updateChange();
    });
  });
  function cashPart() {
    var total = cartTotal();
    if (method() === "cash") return total;
    if (method() === "qris") return 0;
    var c = digits($("pos-split-cash").value);
    return Math.min(c === null ? 0 : c, total);
  }
  function tendered() {
    var t = digits($("pos-tendered").value);
    return t === null ? cashPart() : t;
  }
  function updateChange() { $("pos-change").textContent = rp(Math.max(tendered() - cashPart(), 0)); }
  $("pos-tendered").addEventListener("input", updateChange);
  $("pos-split-cash").addEventListener("input", updateChange);
  document.querySelectorAll("[data-quick]").forEach(function (b) {
    b.addEventListener("click", function () {
      $("pos-tendered").value = b.dataset.quick === "exact" ? String(cashPart()) : b.dataset.quick;
      updateChange();
    });
  });

  function buildSale() {
    var total = cartTotal();
    var cash = cashPart();
    var payments = [];
    if (cash > 0) payments.push({ method: "cash", amount: cash, tendered: tendered() });
    if (total - cash > 0) payments.push({ method: "qris", amount: total - cash });
    return {
      clientId: uuid4(), shiftId: config.shiftId, visitCode: visitCode, soldAt: new Date().toISOString(),
      offline: false, status: "pending",
      lines: cart.map(function (l) {
        return { variantId: l.variantId, quantity: l.quantity, discount: l.discount || 0, discountReason: l.discountReason || "" };
      }),
      payments: payments,
      display: { lines: cart.map(function (l) { return { name: l.name, quantity: l.quantity, total: lineTotal(l) }; }),
                 total: total, change: Math.max(tendered() - cash, 0) },
    };
  }

  function pay() {
    if (!cart.length) { say(i18n.emptyCart, "error"); return; }
    if (tendered() < cashPart()) { say(i18n.tooLittle, "error"); return; }
    var sale = buildSale();
    var hasQris = sale.payments.some(function (p) { return p.method === "qris"; });
    $("pos-pay").disabled = true;
    if (hasQris) { payQris(sale); return; }
    outboxPut(sale).then(function () {
      return refreshUnsynced();
    }).then(function () {
      return send(config.urls.sync, { sales: [sale] }).then(function (r) {
        if (r.status === 401 || r.status === 403) throw new Error("auth");
        return r.json();
      });
    }).then(function (data) {
      var result = data.results[0];
      if (result.ok) {
        return outboxDelete(sale.clientId).then(function () { showReceipt(sale, result.sale); });
      }
      // Refused while the cashier is here (e.g. not enough stock): nothing was sold, fix the cart and pay again.
      return outboxDelete(sale.clientId).then(function () {
        say(result.errors.map(function (e) { return e.message; }).join(" "), "error");
      });
    }).catch(function () {
      // No answer: the sale stays in the outbox, marked offline, and syncs later.
      sale.offline = true;
      return outboxPut(sale).then(function () { showReceipt(sale, null); say(i18n.savedOffline, "warn"); });
    }).then(function () {
      $("pos-pay").disabled = false;
      return refreshUnsynced();
    });
  }

  function payQris(sale) {
    send(config.urls.sync, { sales: [sale] }).then(function (r) { return r.json(); }).then(function (data) {
      $("pos-pay").disabled = false;
      var result = data.results[0];
      if (!result.ok) { say(result.errors.map(function (e) { return e.message; }).join(" "), "error"); return; }
      qrisSale = { record: sale, sale: result.sale };
      if (result.sale.status === "completed") { showReceipt(sale, result.sale); return; }
      $("pos-qris").hidden = false;
      $("pos-qris-img").src = result.sale.qrUrl;
      $("pos-qris-status").textContent = i18n.waiting;
      qrisTimer = window.setInterval(function () { qrisAction(config.urls.saleStatus); }, 3000);
    }, function () {
      $("pos-pay").disabled = false;
      say(i18n.qrisOffline, "error");
    });
  }
  function qrisAction(template) {
    if (!qrisSale) return;
    var url = template.replace("/0/", "/" + qrisSale.sale.id + "/");
    send(url).then(function (r) { return r.json(); }).then(function (data) {
      if (!data.ok) { $("pos-qris-status").textContent = data.errors.map(function (e) { return e.message; }).join(" "); return; }
      if (data.sale.status === "completed") {
        stopQris();
        showReceipt(qrisSale.record, data.sale);
      } else if (data.sale.status === "cancelled") {
        stopQris();
        say(i18n.cancelled, "warn");
      }
    }, function () { /* still offline: keep polling */ });
  }
  function stopQris() {
    if (qrisTimer) window.clearInterval(qrisTimer);
    qrisTimer = null;
    $("pos-qris").hidden = true;
  }
  $("pos-qris-check").addEventListener("click", function () { qrisAction(config.urls.saleStatus); });
  $("pos-qris-cancel").addEventListener("click", function () { qrisAction(config.urls.saleCancel); });
  $("pos-qris-print").addEventListener("click", function () {
    if (!qrisSale) return;
    var url = config.urls.saleQrisPrint.replace("/0/", "/" + qrisSale.sale.id + "/");
    send(url).then(function (r) { return r.json(); }).then(function (data) {
      if (!data.ok) { say(data.errors.map(function (e) { return e.message; }).join(" "), "error"); return; }
      say(data.printStatus === "failed" ? i18n.printFailed : i18n.qrisPrinted, data.printStatus === "failed" ? "error" : "");
    }, function () { say(i18n.qrisOffline, "error"); });
  });
  $("pos-pay").addEventListener("click", pay);

  // --- receipt on screen ----------------------------------------------------------------------
  function showReceipt(record, serverSale) {
    var offline = !serverSale || serverSale.offline || record.offline;
    $("pos-receipt-offline").hidden = !offline;
    $("pos-receipt-number").textContent = serverSale ? serverSale.number : "OFFLINE-" + record.clientId.slice(0, 8).toUpperCase();
    $("pos-receipt-date").textContent = new Date(record.soldAt).toLocaleString("id-ID", { timeZone: "Asia/Jakarta" }) + " WIB";
    var body = $("pos-receipt-lines");
    body.textContent = "";
    record.display.lines.forEach(function (l) {
      var tr = document.createElement("tr");
      var a = document.createElement("td"); a.textContent = l.quantity + " × " + l.name;
      var b = document.createElement("td"); b.className = "num"; b.textContent = rp(l.total);
      tr.append(a, b);
      body.appendChild(tr);
    });
    $("pos-receipt-total").textContent = rp(record.display.total);
    $("pos-receipt-change").textContent = rp(serverSale ? serverSale.change : record.display.change);
    var link = $("pos-receipt-link");
    link.textContent = "";
    if (serverSale) {
      var a = document.createElement("a");
      a.href = serverSale.receiptUrl; a.textContent = i18n.digital; a.target = "_blank"; a.rel = "noopener";
      link.appendChild(a);
    }
    $("pos-receipt").hidden = false;
    $("pos-new-sale").focus();
  }
  function newSale() {
    cart = []; visitCode = "";
    $("pos-visit").value = ""; $("pos-visit-info").textContent = "";
    $("pos-tendered").value = ""; $("pos-split-cash").value = "";
    $("pos-receipt").hidden = true;
    say("");
    render();
    $("pos-scan").focus();
  }
  $("pos-new-sale").addEventListener("click", newSale);
  document.addEventListener("keydown", function (event) {
    if (event.key === "F9") { event.preventDefault(); pay(); }
    else if (event.key === "Escape" && !$("pos-receipt").hidden) { event.preventDefault(); newSale(); }
    else if (event.key === "F2") { event.preventDefault(); $("pos-scan").focus(); }
  });

  // --- sync -----------------------------------------------------------------------------------
  function syncOutbox() {
    if (syncing || !db) return Promise.resolve();
    syncing = true;
    return getAll("outbox").then(function (rows) {
      var pending = rows.filter(function (r) { return r.status !== "rejected"; }).slice(0, 50);
      if (!pending.length) return null;
      return send(config.urls.sync, { sales: pending }).then(function (r) {
        if (r.status === 401 || r.status === 403) { say(i18n.login, "error"); return null; }
        return r.json().then(function (data) {
          return Promise.all(data.results.map(function (result) {
            if (result.ok) return outboxDelete(result.clientId);
            var record = pending.filter(function (p) { return p.clientId === result.clientId; })[0];
            if (!record) return null;
            record.status = "rejected"; record.errors = result.errors;
            say(i18n.rejected + ": " + result.errors.map(function (e) { return e.message; }).join(" "), "error");
            return outboxPut(record);
          }));
        });
      });
    }).catch(function () { /* offline: try again later */ }).then(function () {
      syncing = false;
      return refreshUnsynced();
    });
  }
  window.addEventListener("online", function () { setOnline(true); syncOutbox(); });
  window.addEventListener("offline", function () { setOnline(false); });

  // --- start ----------------------------------------------------------------------------------
  if ("serviceWorker" in navigator && config.urls.sw) {
    navigator.serviceWorker.register(config.urls.sw, { scope: "/kasir/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      // Keep this page and its assets now, so a reload without a connection still opens the register.
      var assets = [location.pathname];
      document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
        assets.push(new URL(el.href || el.src, location.href).pathname);
      });
      return caches.open(config.cacheName).then(function (cache) { return cache.addAll(assets); });
    }).then(function () { document.body.dataset.posCached = "1"; }).catch(function () {});
  }
  setOnline(navigator.onLine);
  openDb().then(function (d) {
    db = d;
    return loadProducts();
  }).then(function () {
    render();
    document.body.dataset.posReady = "1";
    return refreshUnsynced();
  }).then(function () {
    syncOutbox();
    window.setInterval(function () { if (navigator.onLine) syncOutbox(); }, 5000);
  });
})();
