// report.js - the incident report page (/report#<token>) for the vendor's
// person: whom the link is for, a form to file an incident, the receipt
// time it can cite (its notice to the outsourcer, which starts the
// outsourcer's clock under the APPI), the incidents the vendor filed, and
// timeline entries added to them.
//
// The API it calls (openapi/openapi.yaml, tag report-links):
//   GET  v1/report/{token}                           whom the link is for
//   GET  v1/report/{token}/incidents                 the vendor's filings, newest first
//   POST v1/report/{token}/incidents                 file one (201: the receipt)
//   GET  v1/report/{token}/incidents/{id}            one, with its timeline
//   POST v1/report/{token}/incidents/{id}/events     add an entry
// Every request spends one of the link's per-minute budget, so the page
// asks only for what it shows: two requests to open, one per action.
//
// The person enters local Japan time; the page sends RFC 3339 with +09:00
// and shows every time in Japan time, whatever the browser's zone.
"use strict";

(() => {
  const { el, api } = site;

  // ---- texts ------------------------------------------------------------------
  const CATEGORIES = ["leak", "misuse_beyond_purpose", "unauthorized_access", "malware", "ransomware",
    "service_outage", "loss_or_theft", "tampering", "other"];
  const SEVERITIES = ["low", "medium", "high", "critical"];
  // 規則8条1項: the nine items of a report to the PPC, as the API names them.
  const NOTICE_ITEMS = ["summary", "data_items", "people", "cause", "secondary_damage",
    "response_to_individuals", "publication", "recurrence_prevention", "other"];

  const TEXT = reportTexts;   // report-texts.js

  // ---- state ------------------------------------------------------------------
  const state = {
    lang: "ja",
    token: site.token(),   // read once: the fragment is the credential
    view: "loading",       // loading | gone | failed | main
    about: null,
    incidents: [],         // newest first
    next: null,            // next_cursor of the list
    draft: {},             // the form's values by field name, kept across re-renders
    errors: {},            // field name -> message
    otherErrors: [],       // server messages no field of the form owns
    banner: null,          // a message for the whole form (network, rate limit, server)
    unanswered: null,      // the body of a POST that got no answer (it may have arrived)
    loadError: null,       // why the page could not open (rate limit, server)
    sending: false,
    receipt: null,         // the incident just filed
    open: {},              // incident id -> { loading, data, entry, entryError, sending, status }
  };
  const T = () => TEXT[state.lang];
  const base = () => `/v1/report/${encodeURIComponent(state.token)}`;
  const headers = () => ({ "Accept-Language": state.lang });

  // ---- times ------------------------------------------------------------------
  // Japan has no daylight saving time: +09:00 all year.
  function fmt(iso) {
    if (!iso) return T().unknown;
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    const text = new Intl.DateTimeFormat(state.lang === "ja" ? "ja-JP" : "en-GB", {
      timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    }).format(d);
    return text + T().jst;
  }

  function timeEl(iso, cls) {
    return el("time", { datetime: iso || undefined, class: cls, text: fmt(iso) });
  }

  // "2026-11-30T10:15" (datetime-local, Japan time) -> "2026-11-30T10:15:00+09:00"
  function toRfc3339(local) {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+09:00` : null;
  }

  // ---- fields -----------------------------------------------------------------
  // Each mirrors the API's check (service/incidents/incidents.c); name is the
  // path of the JSON member, so "reporter.email" answers to /reporter/email.
  const FIELDS = {
    title: { type: "text", required: true, max: 200 },
    description: { type: "textarea", max: 8000 },
    category: { type: "select", required: true, options: CATEGORIES },
    severity: { type: "select", required: true, options: SEVERITIES },
    occurred_at: { type: "datetime-local" },
    detected_at: { type: "datetime-local", required: true },
    "reporter.name": { type: "text", required: true, max: 200, autocomplete: "name" },
    "reporter.organisation": { type: "text", max: 200, autocomplete: "organization" },
    "reporter.email": { type: "email", min: 3, max: 254, autocomplete: "email" },
    "reporter.phone": { type: "tel", min: 3, max: 40, autocomplete: "tel" },
  };
  for (const k of NOTICE_ITEMS) FIELDS[`notice_items.${k}`] = { type: "textarea", max: 8000 };
  const GROUPS = [
    ["what", ["title", "description", "category", "severity"]],
    ["when", ["occurred_at", "detected_at"]],
    ["who", ["reporter.name", "reporter.organisation", "reporter.email", "reporter.phone"]],
  ];

  const fieldId = (name) => "f-" + name.replace(".", "-");
  const pointerOf = (name) => "/" + name.replace(".", "/");
  const codePoints = (s) => [...s].length;
  // The API refuses C0 controls other than tab and line feed.
  const CONTROL = /[\u0000-\u0008\u000B-\u001F]/;

  function checkText(value, f) {
    if (CONTROL.test(value)) return T().errControl;
    if (f.max && codePoints(value) > f.max) return T().errMax(f.max);
    if (f.min && codePoints(value) < f.min) return T().errMin(f.min);
    return null;
  }

  // Returns { field: message } for the draft; empty when it can be sent.
  function validate(d) {
    const errors = {};
    for (const [name, f] of Object.entries(FIELDS)) {
      const v = (d[name] || "").trim();
      if (!v) {
        if (f.required) errors[name] = f.type === "select" ? T().errChoose
          : f.type === "datetime-local" ? T().errDate : T().errRequired;
        continue;
      }
      if (f.type === "select") {
        if (!f.options.includes(v)) errors[name] = T().errChoose;
      } else if (f.type === "datetime-local") {
        const at = toRfc3339(v);
        if (!at) errors[name] = T().errDate;
        else if (Date.parse(at) > Date.now() + 60 * 1000) errors[name] = T().errFuture;
      } else {
        const e = checkText(v, f);
        if (e) errors[name] = e;
        else if (f.type === "email" && !/^[^\s@]+@[^\s@]+$/.test(v)) errors[name] = T().errEmail;
      }
    }
    // The outsourcer must be able to call back: the page asks for one way.
    const email = (d["reporter.email"] || "").trim(), phone = (d["reporter.phone"] || "").trim();
    if (!email && !phone) errors["reporter.email"] = T().errContact;
    const occ = toRfc3339((d.occurred_at || "").trim()), det = toRfc3339((d.detected_at || "").trim());
    if (occ && det && !errors.occurred_at && !errors.detected_at && Date.parse(occ) > Date.parse(det))
      errors.occurred_at = T().errOrder;
    return errors;
  }

  // The request body: trimmed, empty members left out.
  function bodyOf(d) {
    const body = {};
    for (const name of Object.keys(FIELDS)) {
      let v = (d[name] || "").trim();
      if (!v) continue;
      if (FIELDS[name].type === "datetime-local") v = toRfc3339(v);
      const [a, b] = name.split(".");
      if (b) (body[a] = body[a] || {})[b] = v;
      else body[a] = v;
    }
    return body;
  }

  // ---- the page ---------------------------------------------------------------
  const main = () => document.getElementById("main");

  function setChrome() {
    const t = T();
    document.documentElement.lang = state.lang;
    document.title = t.title;
    document.getElementById("brand").textContent = t.title;
    const b = document.getElementById("lang");
    b.textContent = t.langButton;
    b.setAttribute("aria-label", t.langLabel);
    b.setAttribute("lang", t.langCode);
    const skip = document.querySelector(".skip");
    if (skip) skip.textContent = t.skip;
  }

  function render() {
    setChrome();
    const m = main();
    m.replaceChildren();
    if (state.view === "loading") m.append(el("p", { class: "loading", text: T().loading }));
    else if (state.view === "gone") m.append(renderGone());
    else if (state.view === "failed") m.append(el("p", { class: "banner", role: "alert", text: state.loadError || T().loadFailed }));
    else m.append(renderAbout(), renderReceipt(), renderForm(), renderList());
  }

  function renderGone() {
    const t = T();
    return el("section", { class: "gone", "aria-labelledby": "gone-title" },
      el("h1", { id: "gone-title", text: t.goneTitle }),
      el("p", { text: t.goneText }),
      el("p", {}, el("strong", { text: t.goneWhom })),
      el("p", { text: t.goneUrgent }));
  }

  function renderAbout() {
    const t = T(), a = state.about;
    const rows = [[t.aboutTo, a.outsourcer], [t.aboutFrom, a.vendor]];
    if (a.engagement) rows.push([t.aboutEngagement, a.engagement]);
    return el("div", {},
      el("h1", { text: t.h1 }),
      el("section", { class: "about", "aria-label": t.aboutTo },
        el("dl", {}, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]),
          el("dt", { text: t.aboutExpires }), el("dd", {}, timeEl(a.expires_at)))),
      el("p", { class: "lead", text: t.lead(a.outsourcer) }));
  }

  function renderReceipt() {
    const r = state.receipt, t = T();
    if (!r) return el("div", { id: "receipt-slot" });
    return el("section", { id: "receipt-slot", class: "receipt", "aria-labelledby": "receipt-title" },
      el("h2", { id: "receipt-title", tabindex: "-1", text: t.receiptTitle }),
      el("p", { class: "receipt-label", text: t.receiptAt }),
      timeEl(r.reported_to_us_at, "when"),
      el("dl", { class: "facts" },
        el("dt", { text: t.receiptRef }), el("dd", {}, el("span", { class: "ref", id: "receipt-ref", text: r.id })),
        el("dt", { text: t.receiptFor }), el("dd", { text: r.title })),
      el("p", { text: t.receiptText(state.about.outsourcer) }),
      el("button", { type: "button", class: "secondary", text: t.addEntriesHere,
        onclick: () => openIncident(r.id, true) }));
  }

  function describedBy(name) {
    const ids = [];
    if (fieldHint(name)) ids.push(fieldId(name) + "-hint");
    if (state.errors[name]) ids.push(fieldId(name) + "-error");
    return ids.join(" ") || undefined;
  }

  const fieldHint = (name) => T().f[name][1];

  function renderField(name) {
    const f = FIELDS[name], t = T(), id = fieldId(name);
    const value = state.draft[name] || "";
    const common = {
      id, name, "aria-describedby": describedBy(name), "aria-invalid": state.errors[name] ? "true" : undefined,
      "aria-required": f.required ? "true" : undefined, autocomplete: f.autocomplete,
      oninput: (e) => { state.draft[name] = e.target.value; },
      onchange: (e) => { state.draft[name] = e.target.value; },
    };
    let control;
    if (f.type === "textarea") {
      control = el("textarea", { ...common, rows: name.startsWith("notice_items.") ? 3 : 5 });
      control.value = value;
    } else if (f.type === "select") {
      const labels = name === "category" ? t.category : t.severity;
      control = el("select", common, el("option", { value: "", text: t.choose }),
        f.options.map((o) => el("option", { value: o, text: labels[o] })));
      control.value = value;
    } else {
      // No max on the date-times: it would go stale on a page left open
      // overnight; the future is checked when sending.
      control = el("input", { ...common, type: f.type,
        inputmode: f.type === "tel" ? "tel" : undefined, spellcheck: f.type === "email" ? "false" : undefined });
      control.value = value;
    }
    const hint = fieldHint(name);
    return el("div", { class: "field" },
      el("label", { for: id }, t.f[name][0], f.required ? el("span", { class: "req", text: t.required }) : null),
      hint ? el("span", { class: "hint", id: id + "-hint", text: hint }) : null,
      control,
      el("p", { class: "field-error", id: id + "-error", text: state.errors[name] || "" }));
  }

  function renderSummary() {
    const t = T(), entries = Object.entries(state.errors);
    if (!entries.length && !state.otherErrors.length) return el("div", { id: "summary-slot" });
    const order = Object.keys(FIELDS);
    entries.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    return el("div", { id: "summary-slot", class: "error-summary", role: "alert", tabindex: "-1",
      "aria-labelledby": "summary-title" },
    el("h2", { id: "summary-title", text: t.summaryTitle }),
    el("ul", {},
      entries.map(([name, msg]) => el("li", {},
        el("a", { href: "#" + fieldId(name), text: `${t.f[name][0]}: ${msg}`,
          onclick: (e) => { e.preventDefault(); focusField(name); } }))),
      state.otherErrors.map((msg) => el("li", { text: `${t.otherError}: ${msg}` }))));
  }

  // Focus without touching location.hash, which holds the token.
  function focusField(name) {
    const node = document.getElementById(fieldId(name));
    if (!node) return;
    const details = node.closest("details");
    if (details) details.open = true;
    node.focus();
  }

  function renderForm() {
    const t = T();
    const noticeOpen = NOTICE_ITEMS.some((k) => state.draft[`notice_items.${k}`] || state.errors[`notice_items.${k}`]);
    return el("section", { "aria-labelledby": "new-title" },
      el("h2", { id: "new-title", text: t.newIncident }),
      el("form", { id: "report-form", novalidate: true, onsubmit: submit },
        renderSummary(),
        state.banner ? el("p", { class: "banner", role: "alert", id: "form-banner", text: state.banner }) : null,
        GROUPS.map(([g, names]) => el("fieldset", { "aria-describedby": g === "who" ? "who-hint" : undefined },
          el("legend", { text: t[g] }),
          g === "who" ? el("p", { class: "hint", id: "who-hint", text: t.whoHint }) : null,
          names.map(renderField))),
        el("details", { class: "notice", open: noticeOpen || undefined },
          el("summary", { text: t.noticeSummary }),
          el("fieldset", { "aria-describedby": "notice-hint" },
            el("legend", { text: t.noticeSummary }),
            el("p", { class: "hint", id: "notice-hint", text: t.noticeHint }),
            NOTICE_ITEMS.map((k) => renderField(`notice_items.${k}`)))),
        el("div", { class: "actions" },
          el("button", { type: "submit", id: "submit", "aria-disabled": state.sending ? "true" : undefined, text: t.submit })),
        el("p", { class: "status-line", id: "form-status", role: "status", text: state.sending ? t.sending : "" })));
  }

  function renderList() {
    const t = T();
    return el("section", { "aria-labelledby": "filed-title" },
      el("h2", { id: "filed-title", text: t.filed }),
      el("p", { class: "hint", text: t.filedHint }),
      state.incidents.length
        ? el("ul", { class: "incidents", id: "incidents" }, state.incidents.map(renderIncident))
        : el("p", { id: "incidents-none", text: t.none }),
      state.next ? el("button", { type: "button", class: "secondary", id: "more", text: t.more, onclick: loadMore }) : null);
  }

  function renderIncident(i) {
    const t = T(), o = state.open[i.id];
    const expanded = !!o;
    return el("li", { class: "incident", id: "incident-" + i.id, "data-id": i.id },
      el("h3", { text: i.title }),
      el("p", { class: "meta" },
        el("span", { class: "badge", text: t.status[i.status] || i.status }),
        el("span", { class: "badge", text: t.category[i.category] || i.category }),
        el("span", { class: "badge", text: `${t.f.severity[0]}: ${t.severity[i.severity] || i.severity}` }),
        el("span", {}, `${t.receivedAt}: `, timeEl(i.reported_to_us_at))),
      el("p", { class: "ref" }, `${t.receiptRef}: ${i.id}`),
      el("button", { type: "button", class: "secondary", "aria-expanded": String(expanded),
        "aria-controls": "detail-" + i.id, text: expanded ? t.close : t.open,
        onclick: () => (expanded ? closeIncident(i.id) : openIncident(i.id, false)) }),
      expanded ? renderDetail(i.id, o) : null);
  }

  function renderDetail(id, o) {
    const t = T();
    const box = el("div", { class: "detail", id: "detail-" + id });
    if (o.loading || o.error) {
      box.append(o.loading ? el("p", { class: "loading", text: t.loadingDetail })
        : el("p", { class: "banner", role: "alert", text: o.error }));
      return box;
    }
    const inc = o.data.incident, r = inc.reporter || {};
    const who = [r.name, r.organisation, r.email, r.phone].filter(Boolean).join(" / ");
    box.append(
      el("dl", { class: "facts" },
        el("dt", { text: t.statusLabel }), el("dd", { text: t.status[inc.status] || inc.status }),
        el("dt", { text: t.occurred }), el("dd", {}, timeEl(inc.occurred_at)),
        el("dt", { text: t.detected }), el("dd", {}, timeEl(inc.detected_at)),
        el("dt", { text: t.receivedAt }), el("dd", {}, timeEl(inc.reported_to_us_at)),
        inc.description ? [el("dt", { text: t.descriptionLabel }), el("dd", {}, el("p", { class: "note", text: inc.description }))] : null,
        who ? [el("dt", { text: t.reporterLabel }), el("dd", { text: who })] : null),
      el("h4", { text: t.timeline }),
      el("ol", { class: "timeline", id: "timeline-" + id }, o.data.events.map(renderEvent)),
      renderEntryForm(id, o));
    return box;
  }

  function renderEvent(e) {
    const t = T();
    let text = e.note || "";
    if (e.kind === "status_changed" && e.data)
      text = t.statusChange(t.status[e.data.from] || e.data.from, t.status[e.data.to] || e.data.to);
    return el("li", {},
      el("span", { class: "at" }, timeEl(e.at), " ", el("strong", { text: t.kind[e.kind] || e.kind })),
      text ? el("p", { class: "note", text }) : null);
  }

  function renderEntryForm(id, o) {
    const t = T(), fid = "entry-" + id;
    const ta = el("textarea", { id: fid, name: "note", rows: 4, "aria-required": "true",
      "aria-describedby": fid + "-hint" + (o.entryError ? ` ${fid}-error` : ""),
      "aria-invalid": o.entryError ? "true" : undefined,
      oninput: (e) => { o.entry = e.target.value; } });
    ta.value = o.entry || "";
    return el("form", { class: "entry", novalidate: true, onsubmit: (e) => addEntry(e, id) },
      el("div", { class: "field" },
        el("label", { for: fid }, t.entryLabel, el("span", { class: "req", text: t.required })),
        el("span", { class: "hint", id: fid + "-hint", text: t.entryHint }),
        ta,
        el("p", { class: "field-error", id: fid + "-error", text: o.entryError || "" })),
      el("div", { class: "actions" },
        el("button", { type: "submit", disabled: o.sending || undefined, text: t.addEntry })),
      el("p", { class: "status-line", role: "status", id: fid + "-status", text: o.sending ? t.sending : (o.status || "") }));
  }

  // Replaces one incident's list item in place (focus stays where it was
  // when the button is re-created with the same id).
  function rerenderIncident(id, focusSelector) {
    const old = document.getElementById("incident-" + id);
    const inc = state.incidents.find((i) => i.id === id);
    if (!old || !inc) return render();
    const fresh = renderIncident(inc);
    old.replaceWith(fresh);
    if (focusSelector) {
      const node = fresh.querySelector(focusSelector);
      if (node) node.focus();
    }
  }

  // ---- actions ----------------------------------------------------------------
  function problemText(res) {
    const t = T();
    if (res.status === 0) return t.errNetwork;
    if (res.status === 429) return t.errRate(res.headers.get("Retry-After") || "60");
    if (res.body && res.body.detail && res.status < 500) return res.body.detail;
    return t.errServer(res.status);
  }

  // The newest filing through this link, when it is the report just sent
  // (same title and detection time, received in the last ten minutes), as
  // if the POST had answered; null when it is not there or cannot be read.
  async function arrived(sent) {
    const list = await api("GET", `${base()}/incidents?limit=1`, undefined, headers());
    const last = list.status === 200 && list.body && Array.isArray(list.body.items) ? list.body.items[0] : null;
    if (!last || last.title !== sent.title) return null;
    if (new Date(last.detected_at).getTime() !== new Date(sent.detected_at).getTime()) return null;
    if (Date.now() - new Date(last.reported_to_us_at).getTime() > 10 * 60 * 1000) return null;
    return { status: 201, body: last, headers: list.headers };
  }

  async function submit(e) {
    e.preventDefault();
    if (state.sending) return;
    // Values typed just before pressing Enter are in the DOM already.
    for (const name of Object.keys(FIELDS)) {
      const node = document.getElementById(fieldId(name));
      if (node) state.draft[name] = node.value;
    }
    state.errors = validate(state.draft);
    state.otherErrors = [];
    state.banner = null;
    if (Object.keys(state.errors).length) return showFormErrors();
    // The form stays as it is while sending (focus too); only the button
    // says it is busy and the status line says so in words.
    state.sending = true;
    document.getElementById("submit").setAttribute("aria-disabled", "true");
    document.getElementById("form-status").textContent = T().sending;
    // No answer: the report may have arrived all the same, and a second one
    // would start a second clock. Look for it before offering to send
    // again, and before sending the same report again.
    const sent = bodyOf(state.draft);
    let res = state.unanswered === JSON.stringify(sent) ? await arrived(sent) : null;
    if (!res) res = await api("POST", `${base()}/incidents`, sent, headers());
    if (res.status === 0) res = (await arrived(sent)) || res;
    state.unanswered = res.status === 0 ? JSON.stringify(sent) : null;
    state.sending = false;
    if (res.status === 201) {
      state.receipt = res.body;
      state.incidents = [res.body, ...state.incidents.filter((i) => i.id !== res.body.id)];
      state.draft = {};
      render();
      document.getElementById("receipt-title").focus();
      return;
    }
    if (res.status === 404) {
      state.view = "gone";
      render();
      main().focus();
      return;
    }
    if (res.status === 422 && res.body && Array.isArray(res.body.errors) && res.body.errors.length) {
      for (const err of res.body.errors) {
        const name = Object.keys(FIELDS).find((n) => pointerOf(n) === err.pointer);
        if (name) state.errors[name] = state.errors[name] || err.message;
        else state.otherErrors.push(err.pointer ? `${err.pointer} ${err.message}` : err.message);
      }
      return showFormErrors();
    }
    state.banner = problemText(res);
    refreshForm("#form-banner");
  }

  // Re-renders the form section only, then focuses what the person should
  // read next.
  function refreshForm(focusSelector) {
    const old = document.getElementById("report-form");
    if (!old) return render();
    const section = old.closest("section");
    const fresh = renderForm();
    section.replaceWith(fresh);
    const node = focusSelector && fresh.querySelector(focusSelector);
    if (node) {
      if (!node.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(node.tagName))
        node.setAttribute("tabindex", "-1");
      node.focus();
    }
  }

  function showFormErrors() {
    refreshForm("#summary-slot");
  }

  async function openIncident(id, scroll) {
    state.open[id] = { loading: true };
    if (!state.incidents.some((i) => i.id === id)) return;
    rerenderIncident(id);
    const res = await api("GET", `${base()}/incidents/${encodeURIComponent(id)}`, undefined, headers());
    if (res.status === 200) {
      state.open[id] = { data: res.body };
      const idx = state.incidents.findIndex((i) => i.id === id);
      if (idx >= 0) state.incidents[idx] = res.body.incident;
    } else if (res.status === 404 && state.open[id]) {
      // The link stopped working (the incident itself came from this list).
      state.view = "gone";
      return render();
    } else {
      state.open[id] = { error: problemText(res) };
    }
    rerenderIncident(id, scroll ? "textarea" : "button[aria-expanded]");
    if (scroll) document.getElementById("incident-" + id).scrollIntoView({ block: "start" });
  }

  function closeIncident(id) {
    delete state.open[id];
    rerenderIncident(id, "button[aria-expanded]");
  }

  async function addEntry(e, id) {
    e.preventDefault();
    const o = state.open[id];
    if (!o || o.sending) return;
    const node = document.getElementById("entry-" + id);
    o.entry = node ? node.value : o.entry;
    const note = (o.entry || "").trim();
    o.status = "";
    o.entryError = !note ? T().errRequired : checkText(note, { max: 8000 });
    if (o.entryError) return rerenderIncident(id, "textarea");
    o.sending = true;
    rerenderIncident(id, "textarea");
    const res = await api("POST", `${base()}/incidents/${encodeURIComponent(id)}/events`, { note }, headers());
    o.sending = false;
    if (res.status === 201) {
      o.data.events.push(res.body);
      o.entry = "";
      o.status = T().entryAdded;
      return rerenderIncident(id, "textarea");
    }
    if (res.status === 404) {
      state.view = "gone";
      return render();
    }
    const pointed = res.status === 422 && res.body && Array.isArray(res.body.errors) &&
      res.body.errors.find((x) => x.pointer === "/note");
    o.entryError = pointed ? pointed.message : problemText(res);
    rerenderIncident(id, "textarea");
  }

  async function loadMore() {
    const res = await api("GET", `${base()}/incidents?cursor=${encodeURIComponent(state.next)}`, undefined, headers());
    if (res.status !== 200) return;
    const seen = new Set(state.incidents.map((i) => i.id));
    const first = res.body.items.find((i) => !seen.has(i.id));
    state.incidents.push(...res.body.items.filter((i) => !seen.has(i.id)));
    state.next = res.body.next_cursor;
    render();
    const node = first && document.querySelector(`#incident-${first.id} button`);
    if (node) node.focus();
  }

  async function load() {
    // Only a well-formed token is worth a request: the API answers the
    // same 404 for anything else.
    if (!/^itr_[A-Za-z0-9_-]{43}$/.test(state.token)) {
      state.view = "gone";
      return render();
    }
    const about = await api("GET", base(), undefined, headers());
    if (about.status === 404) state.view = "gone";
    else if (about.status !== 200) {
      state.view = "failed";
      state.loadError = about.status === 429 || about.status >= 500 ? problemText(about) : null;
    } else {
      state.about = about.body;
      const list = await api("GET", `${base()}/incidents`, undefined, headers());
      if (list.status === 200) {
        state.incidents = list.body.items;
        state.next = list.body.next_cursor;
      }
      state.view = list.status === 404 ? "gone" : "main";
    }
    render();
  }

  // ---- start --------------------------------------------------------------------
  document.getElementById("lang").addEventListener("click", () => {
    state.lang = state.lang === "ja" ? "en" : "ja";
    // Messages already shown were written in the other language.
    if (Object.keys(state.errors).length) state.errors = validate(state.draft);
    state.otherErrors = [];
    state.banner = null;
    render();
  });
  load();
})();
