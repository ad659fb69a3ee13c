// respond.js - the questionnaire page (/respond#<token>): the vendor's
// person answers the outsourcer's questionnaire with only a browser and the
// link.
//
// How it works:
//  - GET /v1/respond/{token} gives the questionnaire (the view). The page
//    renders it once per load (and again on a language switch or after a
//    submission); typing changes only the parts that depend on answers
//    (shown questions, progress, the save status), so focus never jumps.
//  - Edits go into `pending` (question code -> value, null = cleared) and,
//    at once, into localStorage under a key derived from the token's hash:
//    a reload or a lost connection loses nothing. 1.5 s after the last
//    edit, one PUT .../answers sends only the changed answers with the
//    answers_version read; at most one request is under way at a time (a
//    queue), so a person typing stays far below the link's rate limit.
//  - Which questions are shown follows the same rule as the server
//    (service/questionnaires/answers.c, state_of/matches): a question with
//    depends_on is shown when the question it depends on is shown,
//    answered, and its answer matches any_of (one of) or all_of (every
//    one, for multiple choice). Questions not asked (decided when sent)
//    stay not asked, with their reason.
//  - Evidence files go up one by one with XMLHttpRequest for the progress
//    bar; their type and size are checked first so that the person reads
//    what is wrong in words, and the server's answer is put in words too.
//  - Submit sends what is pending, then POST .../submit; a 422 lists every
//    missing item, each a link that moves the focus to its field.
"use strict";

(() => {
  const { el } = site;

  // Children for append()/replaceChildren(), which would write "null" for
  // the parts a condition left out.
  function kids(...children) {
    return children.flat().filter((c) => c !== null && c !== undefined && c !== false);
  }

  // ---- texts of the page (the template's texts come from the API) --------
  const TEXTS = respondTexts;   // respond-texts.js

  // Evidence file types the API accepts (openapi: uploadRespondentFile),
  // by file extension: browsers report some types differently (a CSV is
  // application/vnd.ms-excel on Windows).
  const FILE_TYPES = {
    pdf: "application/pdf", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif",
    webp: "image/webp", txt: "text/plain", csv: "text/csv",
    docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  };
  const MAX_FILE = 10 * 1024 * 1024;
  const SAVE_DELAY_MS = 1500;
  const SCALE = ["yes", "partially", "no", "not_applicable"];

  const state = {
    token: site.token(),
    lang: "ja",
    view: null,           // the last questionnaire the API gave
    pending: {},          // code -> value not yet saved (null: clear)
    rejected: {},         // code -> message of a value the API refused
    findings: null,       // the vendor's findings, or null before read
    timer: null,
    queue: Promise.resolve(),
    retryTimer: null,
    key: null,            // localStorage key derived from the token's hash
    savedAt: null,
    statusKind: "",       // what the status line says, to say it again in the other language
    statusArg: null,
  };

  const main = document.getElementById("main");
  const statusLine = document.getElementById("status");
  const langButton = document.getElementById("lang");

  function t(key, ...args) {
    const v = TEXTS[state.lang][key];
    return typeof v === "function" ? v(...args) : v;
  }

  // The template's text in the page's language, Japanese when it has no English.
  function pick(obj, name) {
    if (!obj) return "";
    return (state.lang === "en" && obj[`${name}_en`]) || obj[`${name}_ja`] || "";
  }

  function headers() {
    return { "Accept-Language": state.lang === "en" ? "en" : "ja" };
  }

  function path(suffix) {
    return `/v1/respond/${encodeURIComponent(state.token)}${suffix || ""}`;
  }

  // ---- answers and the rule for shown questions -------------------------
  function questions() {
    const out = [];
    for (const s of state.view.sections) for (const q of s.questions) out.push(q);
    return out;
  }

  function question(code) {
    return questions().find((q) => q.code === code);
  }

  function section(code) {
    return state.view.sections.find((s) => s.questions.some((q) => q.code === code));
  }

  // The saved answers with the unsent edits laid over them.
  function answers() {
    const out = Object.assign({}, state.view.answers);
    for (const [k, v] of Object.entries(state.pending)) {
      if (v === null) delete out[k];
      else out[k] = v;
    }
    return out;
  }

  function given(v) {
    if (v === undefined || v === null) return false;
    if (typeof v === "string") return v !== "";
    if (Array.isArray(v)) return v.length > 0;
    return true;
  }

  function matches(dep, answer) {
    if (dep.all_of) return dep.all_of.every((v) => Array.isArray(answer) && answer.includes(v));
    return (dep.any_of || []).some((v) => (Array.isArray(answer) ? answer.includes(v) : answer === v));
  }

  // shown | hidden | not_asked for every question, as the server decides it.
  function states(current) {
    const out = {};
    const byCode = {};
    for (const q of questions()) byCode[q.code] = q;
    const of = (q, depth) => {
      if (out[q.code]) return out[q.code];
      let s = "shown";
      if (q.state === "not_asked") s = "not_asked";
      else if (q.depends_on) {
        const target = byCode[q.depends_on.question];
        const a = current[q.depends_on.question];
        if (!target || depth > 1000 || of(target, depth + 1) !== "shown" || !given(a) || !matches(q.depends_on, a))
          s = "hidden";
      }
      out[q.code] = s;
      return s;
    };
    for (const q of questions()) of(q, 0);
    return out;
  }

  function filesOf(code) {
    return state.view.files.filter((f) => f.question === code);
  }

  function needsEvidence(q, current) {
    if (!q.evidence || filesOf(q.code).length) return false;
    return q.evidence === "always" || (q.evidence === "when_yes" && current[q.code] === "yes");
  }

  // May the person change this question now (editable, and while items are
  // returned, only those)?
  function open(q) {
    const v = state.view;
    if (!v.editable || q.state === "not_asked") return false;
    const returned = v.returned_items || [];
    return returned.length === 0 || returned.some((r) => r.question === q.code);
  }

  // ---- the save status (its place is reserved: nothing moves) ------------
  function setStatus(kind, arg) {
    state.statusKind = kind;
    state.statusArg = arg;
    statusLine.className = `status ${["offline", "conflict", "invalid", "rate", "notEditable"].includes(kind) ? "warn" : ""}`;
    let text = "";
    if (kind === "saved") text = t("saved", arg);
    else if (kind === "saving") text = t("saving");
    else if (kind === "unsaved") text = t("unsaved");
    else if (kind === "offline") text = t("offline");
    else if (kind === "conflict") text = t("conflict");
    else if (kind === "rate") text = t("rateLimited", arg);
    else if (kind === "invalid") text = t("invalidAnswer");
    else if (kind === "notEditable") text = t("notEditable");
    else if (kind === "text") text = arg;
    statusLine.textContent = text;
  }

  function timeNow() {
    return new Intl.DateTimeFormat(state.lang === "en" ? "en-GB" : "ja-JP",
      { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date());
  }

  function keep() {
    if (state.key) site.store(state.key, Object.keys(state.pending).length ? state.pending : null);
  }

  // ---- one request at a time ----------------------------------------------
  function enqueue(fn) {
    const run = state.queue.then(fn, fn);
    state.queue = run.catch(() => {});
    return run;
  }

  function edited(code, value) {
    state.pending[code] = value;
    delete state.rejected[code];
    markError(code, null);
    keep();
    refresh();
    setStatus("unsaved");
    clearTimeout(state.timer);
    state.timer = setTimeout(() => enqueue(save), SAVE_DELAY_MS);
  }

  // Sends what is pending (the answers of shown, open questions); the
  // others are dropped as the server drops them.
  async function save() {
    clearTimeout(state.timer);
    clearTimeout(state.retryTimer);
    const now = states(answers());
    const sent = {};
    for (const [code, v] of Object.entries(state.pending)) {
      const q = question(code);
      if (!q || now[code] !== "shown" || !open(q)) { delete state.pending[code]; continue; }
      sent[code] = v;
    }
    keep();
    if (!Object.keys(sent).length) {
      if (state.statusKind === "unsaved") setStatus(state.savedAt ? "saved" : "", state.savedAt);
      return true;
    }
    setStatus("saving");
    const res = await site.api("PUT", path("/answers"), { answers: sent, answers_version: state.view.answers_version }, headers());
    if (res.status === 200) {
      for (const [code, v] of Object.entries(sent))
        if (JSON.stringify(state.pending[code]) === JSON.stringify(v)) delete state.pending[code];
      keep();
      applyView(res.body);
      state.savedAt = timeNow();
      setStatus(Object.keys(state.pending).length ? "unsaved" : "saved", state.savedAt);
      if (Object.keys(state.pending).length) state.timer = setTimeout(() => enqueue(save), SAVE_DELAY_MS);
      return true;
    }
    return failed(res, sent);
  }

  // What a failed save means for the person; true when it is settled.
  async function failed(res, sent) {
    const type = (res.body && res.body.type) || "";
    if (res.status === 0 || res.status >= 500) {
      setStatus("offline");
      state.retryTimer = setTimeout(() => enqueue(save), 5000);
      return false;
    }
    if (res.status === 429) {
      const wait = parseInt(res.headers.get("Retry-After") || "5", 10) || 5;
      setStatus("rate", wait);
      state.retryTimer = setTimeout(() => enqueue(save), wait * 1000);
      return false;
    }
    if (res.status === 404 || res.status === 410) {
      gone(res);
      return false;
    }
    if (res.status === 409 && /answers-changed/.test(type)) {
      // Read the answers as they are now and lay the unsent ones on top.
      const fresh = await site.api("GET", path(), undefined, headers());
      if (fresh.status !== 200) return failed(fresh, sent);
      state.view = fresh.body;
      render();
      const again = await save();
      if (again) setStatus("conflict");
      return again;
    }
    if (res.status === 409) {
      state.pending = {};
      keep();
      const fresh = await site.api("GET", path(), undefined, headers());
      if (fresh.status === 200) { state.view = fresh.body; render(); }
      setStatus("notEditable");
      return false;
    }
    if (res.status === 422 && res.body && res.body.errors) {
      for (const e of res.body.errors) {
        const m = /^\/answers\/(.+)$/.exec(e.pointer || "");
        if (!m) continue;
        const code = m[1].replace(/~1/g, "/").replace(/~0/g, "~");
        state.rejected[code] = e.message;
        delete state.pending[code];
        markError(code, e.message);
      }
      keep();
      setStatus("invalid");
      // The others in the same request were not saved: send them again.
      if (Object.keys(state.pending).length) state.timer = setTimeout(() => enqueue(save), SAVE_DELAY_MS);
      return false;
    }
    setStatus("text", t("server", (res.body && res.body.detail) || res.status));
    return false;
  }

  // A fresh view from the server (after a save or an upload): keep the
  // inputs as the person has them, update what follows from the answers.
  function applyView(v) {
    state.view = v;
    refresh();
    for (const q of questions()) renderFiles(q);
  }

  // ---- rendering ------------------------------------------------------------
  function field(q) {
    return document.getElementById(`q-${q.code}`);
  }

  function controls(code) {
    const box = document.getElementById(`q-${code}`);
    return box ? [...box.querySelectorAll(".answer input, .answer textarea, .answer select")] : [];
  }

  // Ties an error to its field (aria-invalid, aria-describedby) or clears it.
  function markError(code, message) {
    const err = document.getElementById(`err-${code}`);
    if (!err) return;
    err.textContent = message || "";
    for (const c of controls(code)) {
      if (message) c.setAttribute("aria-invalid", "true");
      else c.removeAttribute("aria-invalid");
    }
    const box = document.getElementById(`q-${code}`);
    if (box) box.classList.toggle("invalid", !!message);
  }

  function scaleLabel(v) {
    return SCALE.includes(v) ? t(v) : v;
  }

  function choiceLabel(q, code) {
    const c = (q.choices || []).find((x) => x.code === code);
    return c ? pick(c, "label") : code;
  }

  function answerText(q, v) {
    if (!given(v)) return t("unanswered");
    switch (q.answer_type) {
      case "scale": return scaleLabel(v);
      case "single_choice": return choiceLabel(q, v);
      case "multiple_choice": return v.map((c) => choiceLabel(q, c)).join(state.lang === "en" ? ", " : "、");
      case "number": return `${v}${q.unit ? " " + q.unit : ""}`;
      case "date": return site.formatDate(v, state.lang);
      case "file": return filesOf(q.code).map((f) => f.filename).join(", ") || t("unanswered");
      default: return String(v);
    }
  }

  // The inputs of an open question, filled with its current answer.
  function inputs(q, current) {
    const code = q.code;
    const v = current[code];
    const name = `a-${code}`;
    const choice = (type, value, label, checked, onchange) => {
      const id = `in-${code}-${value}`;
      return el("div", { class: "choice" },
        el("input", { type, id, name, value, checked, onchange }),
        el("label", { for: id, text: label }));
    };
    switch (q.answer_type) {
      case "scale": {
        const values = SCALE.filter((s) => s !== "not_applicable" || q.not_applicable_allowed);
        return values.map((s) => choice("radio", s, t(s), v === s, () => edited(code, s)));
      }
      case "single_choice":
        return (q.choices || []).map((c) => choice("radio", c.code, pick(c, "label"), v === c.code, () => edited(code, c.code)));
      case "multiple_choice":
        return (q.choices || []).map((c) => choice("checkbox", c.code, pick(c, "label"), Array.isArray(v) && v.includes(c.code), () => {
          const chosen = controls(code).filter((i) => i.checked).map((i) => i.value);
          edited(code, chosen.length ? chosen : null);
        }));
      case "text":
        return [el("textarea", { id: `in-${code}`, name, rows: 4, maxlength: 10000,
          oninput: (e) => edited(code, e.target.value === "" ? null : e.target.value) }, v || "")];
      case "number":
        return [el("span", { class: "with-unit" },
          el("input", { type: "text", inputmode: "decimal", id: `in-${code}`, name, value: v ?? "", autocomplete: "off",
            oninput: (e) => number(q, e.target.value) }),
          q.unit ? el("span", { class: "unit", "aria-hidden": "true", text: q.unit }) : null)];
      case "date":
        return [el("input", { type: "date", id: `in-${code}`, name, value: v || "",
          onchange: (e) => edited(code, e.target.value === "" ? null : e.target.value),
          oninput: (e) => { if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) edited(code, e.target.value); } })];
      default:
        return [];
    }
  }

  // A number is checked here first (format, bounds): only a valid one is sent.
  function number(q, text) {
    const s = text.trim().replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/,/g, "");
    if (s === "") { edited(q.code, null); return; }
    if (!/^-?\d+(\.\d+)?$/.test(s)) { hold(q.code, t("numberWrong")); return; }
    const n = Number(s);
    if ((q.min !== undefined && n < q.min) || (q.max !== undefined && n > q.max)) {
      hold(q.code, t("numberRange", q.min, q.max));
      return;
    }
    edited(q.code, n);
  }

  // A value that cannot be sent: its error shows, nothing is saved for it.
  function hold(code, message) {
    delete state.pending[code];
    keep();
    markError(code, message);
  }

  function renderQuestion(q, current) {
    const code = q.code;
    const returned = (state.view.returned_items || []).find((r) => r.question === code);
    const isOpen = open(q);
    const group = ["scale", "single_choice", "multiple_choice"].includes(q.answer_type);
    const text = pick(q, "text");
    const heading = el("span", { class: "qtext", id: `text-${code}` },
      el("span", { class: "qcode", text: code }), " ", text, " ",
      el("span", { class: q.required ? "tag required" : "tag", text: q.required ? t("required") : t("optional") }));
    const box = el("div", { class: `q${returned ? " returned" : ""}${q.state === "not_asked" ? " not-asked" : ""}`, id: `q-${code}` });

    if (q.state === "not_asked") {
      const why = q.not_asked || {};
      box.append(el("p", { class: "qtext" }, el("span", { class: "qcode", text: code }), " ", text),
        el("p", { class: "muted" }, `${t("notAsked")}: ${t("reasons")[why.reason] || why.reason || ""}`,
          pick(why, "explanation") ? (state.lang === "en" ? ` (${pick(why, "explanation")})` : `（${pick(why, "explanation")}）`) : ""));
      return box;
    }
    if (returned)
      box.append(el("div", { class: "comment" },
        el("strong", { text: `${t("returnedItem")} — ${t("reviewerComment")}: ` }), returned.comment || t("noComment")));
    const help = pick(q, "help");
    const hints = [];
    if (q.answer_type === "number" && (q.min !== undefined || q.max !== undefined)) hints.push(t("bounds", q.min, q.max, q.unit));
    else if (q.unit) hints.push(t("unit", q.unit));
    if (q.answer_type === "file") hints.push(t("evidenceFile"));
    else if (q.evidence === "always") hints.push(t("evidenceAlways"));
    else if (q.evidence === "when_yes") hints.push(t("evidenceWhenYes"));

    const extras = [
      help ? el("p", { class: "help", id: `help-${code}`, text: help }) : null,
      hints.length ? el("p", { class: "hint", id: `hint-${code}`, text: hints.join(" ") }) : null,
    ].filter(Boolean);   // append() would write "null"
    if (!isOpen) {
      box.append(el("p", { class: "qtext" }, heading), ...extras,
        el("p", { class: "readonly" }, el("span", { class: "muted", text: `${t("answer")}: ` }), answerText(q, current[code])));
    } else if (q.answer_type === "file") {
      box.append(el("p", { class: "qtext" }, heading), ...extras, el("p", { class: "error", id: `err-${code}` }));
    } else if (group) {
      box.append(el("fieldset", { class: "answer" },
        el("legend", {}, heading), ...extras, el("div", { class: "choices" }, inputs(q, current)),
        el("p", { class: "error", id: `err-${code}` })));
    } else {
      box.append(el("label", { for: `in-${code}`, class: "qlabel" }, heading), ...extras,
        el("div", { class: "answer" }, inputs(q, current)), el("p", { class: "error", id: `err-${code}` }));
    }
    if (isOpen && q.suggestion && !given(current[code])) box.append(suggestion(q));
    if (q.answer_type === "file" || (q.evidence && q.evidence !== "never") || filesOf(code).length)
      box.append(el("div", { class: "files", id: `files-${code}` }));
    // Help, hints and the error are read with each field.
    const described = [`help-${code}`, `hint-${code}`, `err-${code}`].filter((id) => box.querySelector(`[id="${id}"]`)).join(" ");
    if (described) for (const c of box.querySelectorAll(".answer input, .answer textarea")) c.setAttribute("aria-describedby", described);
    return box;
  }

  function suggestion(q) {
    const s = q.suggestion;
    const wrap = el("div", { class: "suggestion", id: `sug-${q.code}` });
    if (s.value !== null && s.value !== undefined) {
      wrap.append(el("span", { text: `${t("suggestion", site.formatDate(s.answered_on, state.lang))} ${answerText(q, s.value)} ` }),
        el("button", { type: "button", class: "secondary small", "aria-label": `${t("useSuggestion")} (${q.code})`, onclick: () => {
          edited(q.code, s.value);
          render();
          const c = controls(q.code)[0];
          if (c) c.focus();
        } }, t("useSuggestion")));
    }
    if (s.files && s.files.length)
      wrap.append(el("p", { class: "muted" }, t("previousFiles"), " ",
        s.files.map((f) => `${f.filename}${f.expired ? `（${t("expired")}）` : ""}`).join(", ")));
    return wrap;
  }

  // The file list of a question and, while it is open, the upload control.
  function renderFiles(q) {
    const box = document.getElementById(`files-${q.code}`);
    if (!box) return;
    const list = filesOf(q.code);
    const isOpen = open(q);
    const focused = box.contains(document.activeElement) ? document.activeElement.id : null;
    box.replaceChildren(...kids(
      el("p", { class: "files-title", text: t("files") }),
      list.length
        ? el("ul", {}, list.map((f) => el("li", {},
            el("span", { text: `${f.filename} (${site.formatSize(f.size)})` }), " ",
            isOpen ? el("button", { type: "button", class: "secondary small", id: `rm-${f.id}`, "aria-label": t("removeFile", f.filename),
              onclick: () => removeFile(q, f) }, t("remove")) : null)))
        : el("p", { class: "muted", text: t("noFiles") }),
      isOpen ? el("div", { class: "upload" },
        el("label", { for: `file-${q.code}`, text: t("addFile", q.code) }),
        el("input", { type: "file", id: `file-${q.code}`, "aria-describedby": `fmsg-${q.code}`,
          accept: Object.keys(FILE_TYPES).map((e) => `.${e}`).join(","),
          onchange: (e) => { const f = e.target.files[0]; e.target.value = ""; if (f) uploadFile(q, f); } }),
        el("progress", { id: `fprog-${q.code}`, max: 100, value: 0, hidden: true, "aria-label": t("uploading", "") })) : null,
      el("p", { class: "fmsg", id: `fmsg-${q.code}`, "aria-live": "polite" })));
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  function fileMessage(q, text, isError) {
    const m = document.getElementById(`fmsg-${q.code}`);
    if (!m) return;
    m.textContent = text;
    m.className = `fmsg${isError ? " error" : ""}`;
    const input = document.getElementById(`file-${q.code}`);
    if (input) {
      if (isError) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }

  // The Content-Type to send a file with, or the words for why it cannot go.
  function fileCheck(file) {
    const ext = (/\.([A-Za-z0-9]+)$/.exec(file.name) || [])[1];
    const type = FILE_TYPES[(ext || "").toLowerCase()] || (Object.values(FILE_TYPES).includes(file.type) ? file.type : null);
    if (!type) return { error: t("fileType", file.name) };
    if (file.size > MAX_FILE) return { error: t("fileSize", file.name, "10 MB") };
    if (file.size === 0) return { error: t("fileMismatch", file.name) };
    return { type };
  }

  // The server's refusal of a file, in words.
  function fileRefusal(res, name) {
    const type = (res.body && res.body.type) || "";
    if (/file-type-mismatch/.test(type)) return t("fileMismatch", name);
    if (/file-refused/.test(type)) return t("fileRefused", name);
    if (/evidence-limit/.test(type)) return t("fileLimit");
    if (/body-too-large/.test(type)) return t("fileSize", name, "10 MB");
    if (/unsupported-media-type/.test(type)) return t("fileType", name);
    if (res.status === 0) return t("fileFailed", name, t("offline"));
    return t("fileFailed", name, (res.body && res.body.detail) || res.status);
  }

  function uploadFile(q, file) {
    const { type, error } = fileCheck(file);
    if (error) { fileMessage(q, error, true); return; }
    return enqueue(async () => {
      await saveNow();
      const bar = document.getElementById(`fprog-${q.code}`);
      if (bar) { bar.hidden = false; bar.value = 0; }
      fileMessage(q, t("uploading", file.name), false);
      const res = await site.upload(`${path("/files")}?question=${encodeURIComponent(q.code)}&filename=${encodeURIComponent(file.name)}`,
        file, type, (f) => { if (bar) bar.value = Math.round(f * 100); }, headers());
      if (bar) bar.hidden = true;
      if (res.status === 201) {
        await reread();
        fileMessage(q, t("uploaded", file.name), false);
        return;
      }
      if (res.status === 404 || res.status === 410) { gone(res); return; }
      fileMessage(q, fileRefusal(res, file.name), true);
    });
  }

  function removeFile(q, f) {
    return enqueue(async () => {
      await saveNow();
      const res = await site.api("DELETE", path(`/files/${encodeURIComponent(f.id)}`), undefined, headers());
      if (res.status === 204 || res.status === 404) {
        await reread();
        fileMessage(q, t("removed", f.filename), false);
        const input = document.getElementById(`file-${q.code}`);
        if (input) input.focus();
        return;
      }
      if (res.status === 410) { gone(res); return; }
      fileMessage(q, t("fileFailed", f.filename, (res.body && res.body.detail) || res.status), true);
    });
  }

  // Saves what is pending now (inside the queue).
  async function saveNow() {
    if (Object.keys(state.pending).length) await save();
  }

  async function reread() {
    const res = await site.api("GET", path(), undefined, headers());
    if (res.status === 200) applyView(res.body);
    else if (res.status === 404 || res.status === 410) gone(res);
  }

  // ---- what follows from the answers: shown questions, progress ------------
  function refresh() {
    const current = answers();
    const st = states(current);
    let required = 0;
    let answered = 0;
    let evidence = 0;
    for (const s of state.view.sections) {
      let sr = 0;
      let sa = 0;
      for (const q of s.questions) {
        const box = field(q);
        if (box) {
          const wasHidden = box.hidden;
          box.hidden = st[q.code] === "hidden";
          // A question that appears again starts empty, as the server dropped its answer.
          if (wasHidden && !box.hidden && open(q)) box.replaceWith(renderQuestion(q, current)), renderFiles(q);
          if (!wasHidden && box.hidden && state.pending[q.code] !== undefined) delete state.pending[q.code];
        }
        if (st[q.code] !== "shown") continue;
        if (q.required) { sr++; if (given(current[q.code]) || (q.answer_type === "file" && filesOf(q.code).length)) sa++; }
        if (needsEvidence(q, current)) evidence++;
      }
      const p = document.getElementById(`sp-${s.code}`);
      if (p) p.textContent = t("sectionProgress", sa, sr);
      required += sr;
      answered += sa;
    }
    const bar = document.getElementById("progress-bar");
    if (bar) { bar.max = Math.max(required, 1); bar.value = required ? answered : 1; }
    const text = document.getElementById("progress-text");
    if (text) text.textContent = t("progressText", answered, required);
    const ev = document.getElementById("evidence-text");
    if (ev) ev.textContent = evidence ? t("evidenceMissing", evidence) : "";
  }

  // Renders the whole page again, keeping the focus (and the caret) where
  // the person was: a conflict re-renders while they may be typing.
  function render() {
    const active = document.activeElement;
    const focusedId = active && active.id && main.contains(active) ? active.id : null;
    const caret = active && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    draw();
    const again = focusedId && document.getElementById(focusedId);
    if (again) {
      again.focus();
      if (caret && typeof again.setSelectionRange === "function") {
        try { again.setSelectionRange(caret[0], caret[1]); } catch (e) { /* not a text field */ }
      }
    }
  }

  function draw() {
    const v = state.view;
    const current = answers();
    document.documentElement.lang = state.lang;
    document.title = `${t("title")} — ${v.outsourcer.name || ""}`;
    document.getElementById("brand").textContent = t("brand");
    langButton.textContent = t("switchTo");
    langButton.setAttribute("aria-label", t("switchTo"));
    langButton.lang = state.lang === "en" ? "ja" : "en";

    const a = v.assessment || {};
    const qn = a.questionnaire || {};
    const returned = v.returned_items || [];
    const head = el("section", { class: "summary", "aria-labelledby": "page-title" },
      el("h1", { id: "page-title", text: a.title || pick(qn, "name") || t("title") }),
      a.title && pick(qn, "name") ? el("p", { class: "muted", text: pick(qn, "name") }) : null,
      el("dl", { class: "facts" },
        el("dt", { text: t("asks") }), el("dd", { id: "outsourcer", text: v.outsourcer.name || "" }),
        el("dt", { text: t("vendor") }), el("dd", { id: "vendor", text: v.vendor.name || "" }),
        el("dt", { text: t("due") }), el("dd", { id: "due" }, site.formatDate(a.due_on, state.lang),
          a.overdue ? el("strong", { class: "error", text: ` (${t("overdue")})` }) : null),
        !v.editable && a.status ? el("dt", { text: t("status") }) : null,
        !v.editable && a.status ? el("dd", { text: t("statuses")[a.status] || a.status }) : null),
      a.message ? el("div", { class: "message" }, el("p", { class: "muted", text: t("message") }), el("p", { class: "pre", text: a.message })) : null);

    const banners = [];
    if (!v.editable && a.submitted_at)
      banners.push(el("p", { class: "banner ok", id: "submitted", tabindex: "-1", text: t("submitted", site.formatDateTime(a.submitted_at, state.lang)) }));
    else if (!v.editable)
      banners.push(el("p", { class: "banner", id: "submitted", tabindex: "-1", text: t("readOnly") }));
    if (v.editable && returned.length)
      banners.push(el("div", { class: "banner warn", id: "returned" },
        el("p", { text: t("returnedTitle", returned.length) }),
        el("ul", {}, returned.map((r) => el("li", {}, link(r.question, pick(question(r.question) || {}, "text"))))),
        el("p", { text: t("returnedReadOnly") })));

    const progress = el("section", { class: "progress", "aria-labelledby": "progress-title" },
      el("h2", { id: "progress-title", text: t("progress") }),
      el("progress", { id: "progress-bar", "aria-labelledby": "progress-text" }),
      el("p", { id: "progress-text" }), el("p", { id: "evidence-text", class: "muted" }),
      el("nav", { "aria-label": t("contents") }, el("ol", { class: "toc" }, v.sections.map((s) =>
        el("li", {}, el("a", { href: `#sec-${s.code}`, text: pick(s, "title"), onclick: (e) => {
          // The fragment is the token: move to the section without changing it.
          e.preventDefault();
          const h = document.getElementById(`st-${s.code}`);
          if (h) { h.setAttribute("tabindex", "-1"); h.scrollIntoView({ block: "start" }); h.focus({ preventScroll: true }); }
        } }), " ",
          el("span", { class: "count", id: `sp-${s.code}` }))))));

    const sections = v.sections.map((s) => el("section", { class: "section", id: `sec-${s.code}`, "aria-labelledby": `st-${s.code}` },
      el("h2", { id: `st-${s.code}`, text: pick(s, "title") }),
      s.questions.map((q) => renderQuestion(q, current))));

    const actions = v.editable ? el("section", { class: "actions", "aria-labelledby": "submit-title" },
      el("h2", { id: "submit-title", class: "visually-hidden", text: t("submit") }),
      el("p", { class: "muted", id: "submit-hint", text: t("submitHint") }),
      el("button", { type: "button", id: "submit", "aria-describedby": "submit-hint", onclick: submit }, t("submit")),
      el("div", { id: "missing", tabindex: "-1", "aria-live": "polite" })) : null;

    main.replaceChildren(...kids(head, banners, progress, sections, actions, el("div", { id: "findings" })));
    for (const q of questions()) {
      renderFiles(q);
      if (state.rejected[q.code]) markError(q.code, state.rejected[q.code]);
    }
    refresh();
    renderFindings();
    if (state.statusKind) setStatus(state.statusKind, state.statusArg);
  }

  // A link to a question that moves the focus to its first field.
  function link(code, label) {
    return el("a", { href: `#q-${code}`, onclick: (e) => { e.preventDefault(); focusQuestion(code); } }, label ? `${code} ${label}` : code);
  }

  function focusQuestion(code) {
    const box = document.getElementById(`q-${code}`);
    if (!box) return;
    box.scrollIntoView({ block: "center" });
    const target = box.querySelector(".answer input:checked") || box.querySelector(".answer input, .answer textarea, input[type=file], button");
    if (target) target.focus();
    else { box.tabIndex = -1; box.focus(); }
  }

  // ---- submission -------------------------------------------------------------
  async function submit() {
    const button = document.getElementById("submit");
    button.disabled = true;
    button.textContent = t("submitting");
    const missing = document.getElementById("missing");
    missing.replaceChildren();
    await enqueue(async () => {
      clearTimeout(state.timer);
      await saveNow();
      if (Object.keys(state.pending).length) return;   // could not save: the status says why
      const res = await site.api("POST", path("/submit"), undefined, headers());
      if (res.status === 200) {
        state.view = res.body;
        render();
        const b = document.getElementById("submitted");
        if (b) b.focus();
        return;
      }
      if (res.status === 404 || res.status === 410) { gone(res); return; }
      if (res.status === 422 && res.body && res.body.errors) {
        const items = [];
        for (const e of res.body.errors) {
          const m = /^\/(answers|files)\/(.+)$/.exec(e.pointer || "");
          if (!m) continue;
          const q = question(m[2]);
          const s = section(m[2]);
          const what = m[1] === "files" ? t("missingFile") : t("missingAnswer");
          if (q && q.answer_type !== "file" && m[1] === "answers") markError(q.code, what);
          if (q && (m[1] === "files" || q.answer_type === "file")) fileMessage(q, what, true);
          items.push(el("li", {}, link(m[2], q ? `${s ? pick(s, "title") + " — " : ""}${pick(q, "text")}` : ""), `: ${what}`));
        }
        missing.replaceChildren(el("p", { class: "error", id: "missing-title", text: t("missingTitle", items.length) }),
          el("ul", { "aria-labelledby": "missing-title" }, items));
        missing.focus();
        return;
      }
      if (res.status === 409) {
        missing.replaceChildren(el("p", { class: "error",
          text: state.view.assessment.status === "returned" ? t("resubmitFirst") : t("notEditable") }));
        missing.focus();
        return;
      }
      missing.replaceChildren(el("p", { class: "error", text: res.status === 0 ? t("offline") : t("server", (res.body && res.body.detail) || res.status) }));
      missing.focus();
    });
    const again = document.getElementById("submit");
    if (again) { again.disabled = false; again.textContent = t("submit"); }
  }

  // ---- findings ----------------------------------------------------------------
  async function loadFindings() {
    const res = await site.api("GET", path("/findings"), undefined, headers());
    if (res.status === 200) { state.findings = res.body.items; renderFindings(); }
  }

  function renderFindings() {
    const box = document.getElementById("findings");
    if (!box || !state.findings || !state.findings.length) { if (box) box.replaceChildren(); return; }
    const fileNames = state.view.files.map((f) => f.filename);
    box.replaceChildren(el("section", { class: "section", "aria-labelledby": "findings-title" },
      el("h2", { id: "findings-title", text: t("findings") }),
      el("p", { class: "muted", text: t("findingsIntro") }),
      state.findings.map((f) => finding(f, fileNames))));
  }

  function finding(f, fileNames) {
    const id = f.id;
    const active = f.status === "open" || f.status === "in_progress";
    const r = f.response;
    const box = el("div", { class: "q finding", id: `f-${id}` },
      el("h3", { text: f.title }),
      f.detail ? el("p", { class: "pre", text: f.detail }) : null,
      el("dl", { class: "facts" },
        el("dt", { text: t("severity") }), el("dd", { text: t("severities")[f.severity] || f.severity }),
        el("dt", { text: t("findingDue") }), el("dd", {}, site.formatDate(f.due_on, state.lang),
          f.overdue ? el("strong", { class: "error", text: ` (${t("overdue")})` }) : null),
        el("dt", { text: t("status") }), el("dd", { text: t("findingStatus")[f.status] || f.status }),
        f.question_code ? el("dt", { text: t("question") }) : null, f.question_code ? el("dd", { text: f.question_code }) : null),
      r ? el("div", { class: "readonly" }, el("p", { class: "muted", text: t("lastResponse", site.formatDateTime(r.at, state.lang)) }),
        r.plan ? el("p", { class: "pre" }, `${t("plan")}: ${r.plan}`) : null,
        r.progress ? el("p", { class: "pre" }, `${t("progressField")}: ${r.progress}`) : null,
        r.evidence_refs && r.evidence_refs.length ? el("p", {}, `${t("refs")}: ${r.evidence_refs.join(", ")}`) : null) : null);
    if (!active) return box;
    const msg = el("p", { class: "fmsg", id: `fm-${id}`, "aria-live": "polite" });
    const plan = el("textarea", { id: `fplan-${id}`, rows: 3, maxlength: 4000, "aria-describedby": `fm-${id}` }, (r && r.plan) || "");
    const progress = el("textarea", { id: `fprogress-${id}`, rows: 3, maxlength: 4000, "aria-describedby": `fm-${id}` }, (r && r.progress) || "");
    const refs = el("textarea", { id: `frefs-${id}`, rows: 2, "aria-describedby": `frefs-hint-${id}` }, ((r && r.evidence_refs) || []).join("\n"));
    const send = async () => {
      const body = {};
      if (plan.value.trim()) body.plan = plan.value.trim();
      if (progress.value.trim()) body.progress = progress.value.trim();
      const list = [...new Set(refs.value.split("\n").map((s) => s.trim()).filter(Boolean))];
      if (list.length) body.evidence_refs = list;
      if (!body.plan && !body.progress) {
        msg.textContent = t("findingNeedsText");
        msg.className = "fmsg error";
        plan.setAttribute("aria-invalid", "true");
        plan.focus();
        return;
      }
      plan.removeAttribute("aria-invalid");
      const res = await enqueue(() => site.api("POST", path(`/findings/${encodeURIComponent(id)}`), body, headers()));
      if (res.status === 200) {
        const i = state.findings.findIndex((x) => x.id === id);
        state.findings[i] = res.body;
        renderFindings();
        const m = document.getElementById(`fm-${id}`);
        if (m) { m.textContent = t("findingSent", timeNow()); m.className = "fmsg ok"; }
        return;
      }
      if (res.status === 404 || res.status === 410) { gone(res); return; }
      msg.textContent = t("server", (res.body && res.body.detail) || res.status);
      msg.className = "fmsg error";
    };
    // Evidence for the finding: uploaded at once, its name added to the
    // references that go with the next answer.
    const list = el("ul", { id: `ffiles-${id}` }, (f.files || []).map((x) => el("li", { text: `${x.filename} (${site.formatSize(x.size)})` })));
    const bar = el("progress", { id: `fprog-f-${id}`, max: 100, value: 0, hidden: true, "aria-label": t("uploading", "") });
    const say = (text, isError) => { msg.textContent = text; msg.className = `fmsg${isError ? " error" : " ok"}`; };
    const attach = (file) => {
      const { type, error } = fileCheck(file);
      if (error) { say(error, true); return; }
      return enqueue(async () => {
        bar.hidden = false;
        say(t("uploading", file.name), false);
        const res = await site.upload(`${path(`/findings/${encodeURIComponent(id)}/files`)}?filename=${encodeURIComponent(file.name)}`,
          file, type, (p) => { bar.value = Math.round(p * 100); }, headers());
        bar.hidden = true;
        if (res.status === 201) {
          f.files = (f.files || []).concat([res.body.file]);
          list.append(el("li", { text: `${res.body.file.filename} (${site.formatSize(res.body.file.size)})` }));
          const none = box.querySelector(`[id="fnofiles-${id}"]`);
          if (none) none.remove();
          const names = refs.value.split("\n").map((x) => x.trim()).filter(Boolean);
          if (!names.includes(res.body.file.filename)) refs.value = names.concat([res.body.file.filename]).join("\n");
          say(t("findingFileAdded", file.name), false);
          return;
        }
        if (res.status === 404 || res.status === 410) { gone(res); return; }
        say(fileRefusal(res, file.name), true);
      });
    };
    box.append(...kids(
      el("p", { class: "files-title", text: t("findingFiles") }),
      (f.files || []).length ? null : el("p", { class: "muted", id: `fnofiles-${id}`, text: t("noFiles") }),
      list,
      el("div", { class: "upload" },
        el("label", { for: `ffile-${id}`, text: t("addFindingFile") }),
        el("input", { type: "file", id: `ffile-${id}`, "aria-describedby": `fm-${id}`,
          accept: Object.keys(FILE_TYPES).map((e) => `.${e}`).join(","),
          onchange: (e) => { const file = e.target.files[0]; e.target.value = ""; if (file) attach(file); } }),
        bar),
      el("label", { for: `fplan-${id}`, text: t("plan") }), plan,
      el("label", { for: `fprogress-${id}`, text: t("progressField") }), progress,
      el("label", { for: `frefs-${id}`, text: t("refs") }),
      el("p", { class: "hint", id: `frefs-hint-${id}` }, t("refsHint"), fileNames.length ? ` ${t("evidenceFromFiles")}: ${fileNames.join(", ")}` : ""),
      refs,
      el("div", {}, el("button", { type: "button", id: `fsend-${id}`, onclick: send }, t("sendFinding"))), msg));
    return box;
  }

  // ---- a link that does not work ----------------------------------------------
  let goneRes = null;

  function gone(res) {
    goneRes = res;
    clearTimeout(state.timer);
    clearTimeout(state.retryTimer);
    // Whom to ask: the API names the outsourcer of a gone link; else what
    // this browser remembers from when the link worked.
    const remembered = state.key ? site.load(`${state.key}.who`) : null;
    const named = res && res.body && res.body.outsourcer && res.body.outsourcer.name;
    const who = named ? { outsourcer: named } : remembered;
    const is410 = res && res.status === 410;
    document.documentElement.lang = state.lang;
    document.getElementById("brand").textContent = t("brand");
    langButton.textContent = t("switchTo");
    langButton.setAttribute("aria-label", t("switchTo"));
    langButton.lang = state.lang === "en" ? "ja" : "en";
    setStatus("", null);
    const title = !state.token ? t("notFoundTitle") : is410 ? t("goneTitle") : t("notFoundTitle");
    main.replaceChildren(el("section", { class: "gone", "aria-labelledby": "gone-title" },
      el("h1", { id: "gone-title", tabindex: "-1", text: title }),
      el("p", { text: !state.token ? t("noToken") : is410 ? t("goneText") : t("notFoundText") }),
      who && who.outsourcer ? el("p", { class: "contact-who", text: t("contactWho", who.outsourcer) }) : null,
      el("p", { class: "contact", text: t("contact") }),
      res && res.body && res.body.detail ? el("p", { class: "muted", text: t("server", res.body.detail) }) : null));
    document.title = title;
    document.getElementById("gone-title").focus();
  }

  function failedToLoad(res) {
    main.replaceChildren(el("section", { class: "gone" },
      el("h1", { text: t("failed") }),
      res && res.body && res.body.detail ? el("p", { class: "muted", text: t("server", res.body.detail) }) : null,
      el("button", { type: "button", onclick: () => location.reload() }, t("retry"))));
  }

  // ---- start --------------------------------------------------------------------
  langButton.addEventListener("click", () => {
    state.lang = state.lang === "ja" ? "en" : "ja";
    site.setLang(state.lang);
    if (state.view) render();
    else if (goneRes || !state.token) gone(goneRes);
    langButton.focus();
  });
  window.addEventListener("online", () => { if (Object.keys(state.pending).length) enqueue(save); });
  // Another link pasted into the address bar: open it. Anything else in the
  // fragment (an in-page anchor) is not a link and must not replace this one.
  window.addEventListener("hashchange", () => {
    if (/^ita_[A-Za-z0-9_-]{43}$/.test(site.token()) && site.token() !== state.token) location.reload();
  });
  // Leaving or hiding the page: try to send what is pending now (it stays
  // in localStorage until saved, so a reload loses nothing either way).
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && Object.keys(state.pending).length) enqueue(save);
  });

  async function start() {
    state.lang = site.lang(null);
    document.documentElement.lang = state.lang;
    if (!/^ita_[A-Za-z0-9_-]{43}$/.test(state.token)) { gone(null); return; }
    state.key = await site.storageKey("itaku.respond", state.token);
    let res = await site.api("GET", path(), undefined, headers());
    // The link's budget for this minute is spent (many reloads): wait as told.
    for (let tries = 0; res.status === 429 && tries < 5; tries++) {
      const wait = parseInt(res.headers.get("Retry-After") || "5", 10) || 5;
      setStatus("rate", wait);
      await new Promise((ok) => setTimeout(ok, wait * 1000));
      res = await site.api("GET", path(), undefined, headers());
    }
    if (res.status !== 200) {
      if (res.status === 404 || res.status === 410) gone(res);
      else failedToLoad(res);
      return;
    }
    state.lang = site.lang(res.body.language);
    state.view = res.body;
    // Whom to contact if this link stops working later.
    site.store(`${state.key}.who`, { outsourcer: res.body.outsourcer.name || "" });
    const kept = site.load(state.key);
    if (kept && typeof kept === "object" && res.body.editable) state.pending = kept;
    else keep();
    render();
    await loadFindings();
    if (Object.keys(state.pending).length) { setStatus("unsaved"); enqueue(save); }
  }

  start();
})();
