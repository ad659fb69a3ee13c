// site.js - what both vendor pages share: the link's token (from the URL
// fragment, never sent to any server as a URL), calls to the public API,
// the language switch, and building elements without innerHTML.
"use strict";

const site = (() => {
  // The fragment holds the token; relative URLs keep the pages working
  // behind a proxy that mounts the service under a prefix.
  function token() {
    const raw = location.hash.replace(/^#/, "");
    try {
      return decodeURIComponent(raw);
    } catch (e) {
      return raw;   // a stray "%" from a mangled mail: the page says the link does not work
    }
  }

  // Calls the API and returns { status, body, headers }; a network failure
  // gives status 0. Problem bodies (application/problem+json) come back as
  // objects like any JSON answer.
  async function api(method, path, body, extraHeaders) {
    const headers = Object.assign({ Accept: "application/json" }, extraHeaders || {});
    const init = { method, headers, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer" };
    if (body !== undefined) {
      if (body instanceof Blob || body instanceof FormData) init.body = body;
      else { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    }
    let res;
    try {
      res = await fetch(path.replace(/^\//, ""), init);
    } catch (e) {
      return { status: 0, body: null, headers: new Headers() };
    }
    let parsed = null;
    const type = res.headers.get("Content-Type") || "";
    if (/json/.test(type)) {
      try { parsed = await res.json(); } catch (e) { parsed = null; }
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  // el("p", { class: "x", text: "..." }, child...) - never innerHTML, so no
  // text from the API can become markup.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false)
      node.append(c instanceof Node ? c : String(c));
    return node;
  }

  // The page's language: a stored choice (the same for every link: it is
  // no secret), else the hint given, else Japanese.
  function lang(hint) {
    let stored = null;
    try { stored = localStorage.getItem("itaku.lang"); } catch (e) { stored = null; }
    if (stored === "ja" || stored === "en") return stored;
    return hint === "en" ? "en" : "ja";
  }

  function setLang(value) {
    try { localStorage.setItem("itaku.lang", value); } catch (e) { /* private mode: not kept */ }
    document.documentElement.lang = value;
  }

  // A storage key for what the page keeps about one link (unsent edits,
  // whom to contact): derived from the token by SHA-256, so the token
  // itself never sits in the browser's storage. Without SubtleCrypto (a
  // page served over plain http to another host) FNV-1a stands in: still
  // not the token, and the key only needs to tell links apart.
  async function storageKey(prefix, secret) {
    let hex = "";
    if (window.crypto && crypto.subtle) {
      // Prefixed, so that the key is not the start of the token's SHA-256
      // (which the server stores): a leaked key matches no stored hash.
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${prefix}\u0000${secret}`));
      hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 32);
    } else {
      let h = 0x811c9dc5;
      for (let i = 0; i < secret.length; i++) h = Math.imul(h ^ secret.charCodeAt(i), 0x01000193) >>> 0;
      hex = h.toString(16);
    }
    return `${prefix}.${hex}`;
  }

  // JSON kept under key in localStorage; null when absent or unreadable.
  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function store(key, value) {
    try {
      if (value === null || value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* full or private mode: the page still works, unsent edits are not kept */ }
  }

  // Sends a file as the request body with its upload progress (fetch has
  // none): onProgress(fraction) while sending. Resolves like api().
  function upload(path, file, type, onProgress, extraHeaders) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", path.replace(/^\//, ""));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("Content-Type", type);
      for (const [k, v] of Object.entries(extraHeaders || {})) xhr.setRequestHeader(k, v);
      xhr.withCredentials = false;
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      });
      xhr.addEventListener("load", () => {
        let parsed = null;
        if (/json/.test(xhr.getResponseHeader("Content-Type") || "")) {
          try { parsed = JSON.parse(xhr.responseText); } catch (e) { parsed = null; }
        }
        resolve({ status: xhr.status, body: parsed, headers: { get: (n) => xhr.getResponseHeader(n) } });
      });
      const fail = () => resolve({ status: 0, body: null, headers: { get: () => null } });
      xhr.addEventListener("error", fail);
      xhr.addEventListener("abort", fail);
      xhr.send(file);
    });
  }

  // Dates as people read them, in Japan's time (the service's calendar).
  function formatDate(value, language) {
    if (!value) return "";
    const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00+09:00`) : new Date(value);
    if (isNaN(d)) return value;
    return new Intl.DateTimeFormat(language === "en" ? "en-GB" : "ja-JP",
      { timeZone: "Asia/Tokyo", year: "numeric", month: "long", day: "numeric" }).format(d);
  }

  function formatDateTime(value, language) {
    if (!value) return "";
    const d = new Date(value);
    if (isNaN(d)) return value;
    return new Intl.DateTimeFormat(language === "en" ? "en-GB" : "ja-JP",
      { timeZone: "Asia/Tokyo", year: "numeric", month: "long", day: "numeric", hour: "2-digit",
        minute: "2-digit", timeZoneName: "short" }).format(d);
  }

  function formatSize(bytes, language) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  return { token, api, el, lang, setLang, storageKey, load, store, upload, formatDate, formatDateTime, formatSize };
})();

// The skip link's own target ("#main") would replace the URL fragment, which
// is the link's token: a reload afterwards would have lost it. Move the focus
// instead and leave the address alone.
document.addEventListener("DOMContentLoaded", () => {
  const skip = document.querySelector(".skip");
  if (!skip) return;
  skip.addEventListener("click", (e) => {
    e.preventDefault();
    const main = document.getElementById("main");
    if (main) main.focus();
  });
});
