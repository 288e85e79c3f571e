/* The door: check guests in by QR code or by name, with or without network.
 *
 * The guest list of one event (only what the door needs) is kept in localStorage, so the screen
 * keeps working offline; every scan gets its own id and waits in a queue until the server has it
 * (uploading it twice counts it once). QR codes are verified here, offline, against the office's
 * Ed25519 public key (WebCrypto): a device can tell a genuine code from a forged one but cannot
 * make one. The server has the last word: it reports conflicts ("already checked in at gate 2").
 */
(function () {
  "use strict";
  const root = document.getElementById("checkin");
  if (!root) return;
  const cfg = JSON.parse(document.getElementById("checkin-config").textContent);
  const T = cfg.strings;
  const storeKey = "liaison-checkin-" + cfg.eventId;
  const queueKey = storeKey + "-queue";
  const deviceKey = "liaison-checkin-device";

  const $ = (sel) => root.querySelector(sel);
  const statusBox = $("#checkin-status");
  const resultBox = $("#checkin-result");
  const pendingBox = $("#checkin-pending");
  const list = $("#checkin-matches");
  const search = $("#checkin-search");

  function deviceId() {
    let id = localStorage.getItem(deviceKey);
    if (!id) {
      id = "device-" + crypto.randomUUID().slice(0, 8);
      localStorage.setItem(deviceKey, id);
    }
    return id;
  }
  const device = cfg.device || deviceId();

  let manifest = JSON.parse(localStorage.getItem(storeKey) || "null");
  let queue = JSON.parse(localStorage.getItem(queueKey) || "[]");
  let publicKey = null;

  function saveQueue() {
    localStorage.setItem(queueKey, JSON.stringify(queue));
    pendingBox.textContent = queue.length ? T.pending.replace("%(count)s", queue.length) : T.synced;
    pendingBox.dataset.count = String(queue.length);
  }

  function fold(text) {
    return (text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[\s\-'’.·]/g, "");
  }

  function guestKey(registration, attendee) {
    return registration + ":" + attendee;
  }

  function index() {
    const byKey = new Map();
    for (const g of manifest ? manifest.guests : []) byKey.set(guestKey(g.registration, g.attendee), g);
    return byKey;
  }
  let guests = index();

  function setOnline() {
    const online = navigator.onLine;
    root.dataset.online = online ? "yes" : "no";
    statusBox.textContent = online ? T.online : T.offline;
  }

  async function loadManifest() {
    try {
      const response = await fetch(cfg.manifestUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      manifest = await response.json();
      localStorage.setItem(storeKey, JSON.stringify(manifest));
      guests = index();
    } catch (err) {
      if (!manifest) show("error", T.noList);
    }
    if (manifest) {
      $("#checkin-count").textContent = T.guestCount.replace("%(count)s", manifest.guests.length);
      publicKey = await importKey(manifest.public_key);
    }
  }

  async function importKey(b64) {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  }

  function base32(text) {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits = 0;
    let value = 0;
    const out = [];
    for (const ch of text.toUpperCase()) {
      const v = alphabet.indexOf(ch);
      if (v < 0) throw new Error("malformed");
      value = (value << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    return new Uint8Array(out);
  }

  async function verify(text) {
    text = (text || "").trim();
    if (!text.toUpperCase().startsWith("LC1:")) throw new Error(T.notACode);
    let raw;
    try {
      raw = base32(text.slice(4));
    } catch (e) {
      throw new Error(T.damaged);
    }
    if (raw.length !== 86 || raw[0] !== 1) throw new Error(T.damaged);
    const body = raw.slice(0, 22);
    const signature = raw.slice(22);
    const ok = await crypto.subtle.verify({ name: "Ed25519" }, publicKey, signature, body);
    if (!ok) throw new Error(T.forged);
    const view = new DataView(body.buffer);
    const hex = Array.from(body.slice(5, 21), (b) => b.toString(16).padStart(2, "0")).join("");
    const uuid = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
    return { eventId: view.getUint32(1), registration: uuid, attendee: body[21] };
  }

  function show(kind, message, guest) {
    resultBox.className = "checkin-result checkin-" + kind;
    resultBox.dataset.kind = kind;
    resultBox.replaceChildren();
    const head = document.createElement("p");
    head.className = "checkin-message";
    head.textContent = message;
    resultBox.append(head);
    if (guest) {
      const card = document.createElement("div");
      card.className = "checkin-guest";
      const native = document.createElement("p");
      native.className = "checkin-name";
      native.textContent = guest.name;
      card.append(native);
      for (const [label, value] of [
        ["", guest.latin_name !== guest.name ? guest.latin_name : ""],
        [T.organization, guest.organization],
        [T.tier, guest.tier],
        [T.companions, (guest.companions || []).join(", ")],
        [T.sessions, (guest.sessions || []).join(", ")],
        [T.protocol, guest.protocol_notes],
      ]) {
        if (!value) continue;
        const line = document.createElement("p");
        line.textContent = label ? label + ": " + value : value;
        card.append(line);
      }
      resultBox.append(card);
    }
    resultBox.focus();
  }

  function localConflict(guest) {
    const last = guest.checked_in;
    if (last && cfg.direction === "in") return last;
    return null;
  }

  function admit(guest, method) {
    const conflict = localConflict(guest);
    if (conflict) {
      show("conflict", T.already.replace("%(gate)s", conflict.gate).replace("%(time)s", conflict.time).replace("%(device)s", conflict.device), guest);
      return;
    }
    const now = new Date();
    const scan = {
      scan_id: crypto.randomUUID(),
      registration: guest.registration,
      attendee: guest.attendee,
      gate: cfg.gate,
      device: device,
      direction: cfg.direction,
      method: method,
      scanned_at: now.toISOString(),
    };
    queue.push(scan);
    saveQueue();
    if (cfg.direction === "in") {
      guest.checked_in = { gate: cfg.gate, device: device, time: now.toTimeString().slice(0, 5) };
      localStorage.setItem(storeKey, JSON.stringify(manifest));
    }
    show("ok", cfg.direction === "in" ? T.welcome : T.exitRecorded, guest);
    sync();
  }

  async function handleCode(text) {
    if (!publicKey) return show("error", T.noList);
    let code;
    try {
      code = await verify(text);
    } catch (err) {
      return show("error", err.message);
    }
    if (code.eventId !== manifest.event) return show("error", T.otherEvent);
    if ((manifest.revoked || []).includes(code.registration)) return show("error", T.revoked);
    const guest = guests.get(guestKey(code.registration, code.attendee));
    if (!guest) return show("error", T.unknownGuest);
    admit(guest, "qr");
  }

  let syncing = false;
  async function sync() {
    if (syncing || !queue.length || !navigator.onLine) return;
    syncing = true;
    const batch = queue.slice(0, 500);
    try {
      const response = await fetch(cfg.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrfToken },
        body: JSON.stringify({ scans: batch }),
      });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      const done = new Set(answer.results.map((r) => r.scan_id));
      queue = queue.filter((s) => !done.has(s.scan_id));
      saveQueue();
      const conflicts = answer.results.filter((r) => r.outcome === "conflict" || r.outcome === "refused");
      const log = $("#checkin-conflicts");
      for (const c of conflicts) {
        const item = document.createElement("li");
        item.textContent = c.message;
        log.append(item);
      }
      if (queue.length) setTimeout(sync, 0);
    } catch (err) {
      /* stays queued; retried when the network is back */
    } finally {
      syncing = false;
    }
  }

  function renderMatches() {
    const q = fold(search.value);
    list.replaceChildren();
    if (q.length < 1 || !manifest) return;
    let shown = 0;
    for (const g of manifest.guests) {
      if (!g.search.includes(q)) continue;
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button checkin-pick";
      button.textContent = g.name + (g.latin_name && g.latin_name !== g.name ? " · " + g.latin_name : "") + (g.organization ? " — " + g.organization : "");
      button.addEventListener("click", () => admit(g, "name"));
      item.append(button);
      list.append(item);
      if (++shown >= 20) break;
    }
    if (!shown) {
      const item = document.createElement("li");
      item.textContent = T.noMatch;
      list.append(item);
    }
  }

  function decodeCanvas(canvas) {
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return found ? found.data : null;
  }

  async function scanPhoto(file) {
    const bitmap = await createImageBitmap(file);
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
    const text = decodeCanvas(canvas);
    if (text) handleCode(text);
    else show("error", T.noCodeFound);
  }

  let stream = null;
  async function startCamera() {
    const video = $("#checkin-video");
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (err) {
      return show("error", T.noCamera);
    }
    video.hidden = false;
    video.srcObject = stream;
    await video.play();
    const canvas = document.createElement("canvas");
    let last = "";
    const tick = () => {
      if (!stream) return;
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext("2d").drawImage(video, 0, 0);
        const text = decodeCanvas(canvas);
        if (text && text !== last) {
          last = text;
          handleCode(text);
          setTimeout(() => (last = ""), 3000);
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  search.addEventListener("input", renderMatches);
  $("#checkin-photo").addEventListener("change", (e) => e.target.files[0] && scanPhoto(e.target.files[0]));
  $("#checkin-camera").addEventListener("click", startCamera);
  $("#checkin-code-form").addEventListener("submit", (e) => {
    e.preventDefault();
    handleCode($("#checkin-code").value);
  });
  window.addEventListener("online", () => { setOnline(); sync(); });
  window.addEventListener("offline", setOnline);
  setInterval(sync, 15000);
  if ("serviceWorker" in navigator && cfg.serviceWorkerUrl) {
    navigator.serviceWorker.register(cfg.serviceWorkerUrl, { scope: cfg.serviceWorkerScope }).catch(() => {});
  }
  // Keep this page and its scripts for offline use (the service worker answers from this cache).
  if (window.caches && navigator.onLine) {
    const assets = [location.pathname + location.search].concat(
      Array.from(document.querySelectorAll("script[src], link[rel=stylesheet]"), (el) => el.src || el.href)
    );
    caches.open("liaison-checkin-v1").then((cache) => cache.addAll(assets)).catch(() => {});
  }

  // Walk-ins: likely existing contacts as the name or email is typed.
  const walkin = document.getElementById("walkin-form");
  if (walkin) {
    const box = document.getElementById("walkin-duplicates");
    const W = JSON.parse(document.getElementById("walkin-strings").textContent);
    let timer = null;
    const lookup = async () => {
      const q = ["id_family_name", "id_given_name"].map((id) => walkin.querySelector("#" + id).value.trim()).join("");
      const email = walkin.querySelector("#id_email").value.trim();
      const term = email.includes("@") ? email : q;
      box.replaceChildren();
      if (term.length < 2 || !navigator.onLine) return;
      try {
        const response = await fetch(walkin.dataset.matchesUrl + "?q=" + encodeURIComponent(term), { credentials: "same-origin" });
        const found = (await response.json()).matches;
        if (!found.length) return;
        const p = document.createElement("p");
        p.textContent = W.maybe;
        const ul = document.createElement("ul");
        for (const m of found) {
          const li = document.createElement("li");
          li.textContent = m.name + (m.organization ? " — " + m.organization : "");
          ul.append(li);
        }
        box.append(p, ul);
      } catch (err) { /* offline: no hint */ }
    };
    walkin.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(lookup, 250); });
  }
  setOnline();
  saveQueue();
  loadManifest().then(() => {
    root.dataset.ready = "yes";
    sync();
  });
  window.liaisonCheckin = { handleCode, sync, pending: () => queue.length };
})();
