// site.js - what both vendor pages share: the link's token (from the URL
// fragment, never sent to any server as a URL), calls to the public API,
// the language switch, and building elements without innerHTML.
"use strict";

const site = (() => {
  // The fragment holds the token; relative URLs keep the pages working
  // behind a proxy that mounts the service under a prefix.
  function token() {
    return decodeURIComponent(location.hash.replace(/^#/, ""));
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

  return { token, api, el };
})();
