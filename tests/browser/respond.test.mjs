// The questionnaire page (/respond#<token>) used as the vendor's person
// would, in Debian's Chromium, against a real server:
//  - set-up through the staff API (ITAKU_KEY): a template with every
//    answer type, a conditional question, a section that does not apply,
//    evidence questions; a vendor, an assessment sent, a respondent link;
//  - answer part of it (a wrong number first: its error is tied to the
//    field), reload and find the answers, and an edit made just before a
//    reload is not lost; the conditional question appears and disappears;
//  - upload evidence (a wrong type is refused in words before sending, a
//    file whose bytes are not its type is refused by the server in words),
//    remove one before submission;
//  - submit with items missing: every one listed, the link moves the
//    focus to its field; answer by keyboard only; submit; read-only with
//    the date; the staff API has the answers, files and status;
//  - staff return one item with a comment: the page highlights it with the
//    comment, the rest is read-only; answer it, submit again;
//  - a finding: the vendor sends its plan; staff see it;
//  - the English switch, a 360 px wide screen, a revoked link and an
//    unknown one show whom to contact;
//  - axe-core: no serious or critical violation in the main states; no
//    request to another host, no console error, no CSP violation, no
//    cookie, no Referer, the token only in /v1/respond/{token} paths;
//    html+css+js under 200 KB gzipped.
// Screenshots of every step go to $ITAKU_SCREENSHOTS (not committed).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { recordExchanges } from "./record.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const base = process.env.ITAKU_URL;
const key = process.env.ITAKU_KEY;
assert.ok(base && key, "ITAKU_URL/ITAKU_KEY are not set; run through tests/browser/run.sh");
const origin = new URL(base).origin;
const executablePath = process.env.ITAKU_CHROMIUM || "/usr/bin/chromium";
const shots = process.env.ITAKU_SCREENSHOTS ? path.join(process.env.ITAKU_SCREENSHOTS, "respond") : null;
if (shots) fs.mkdirSync(shots, { recursive: true });
const axeSource = fs.readFileSync(path.join(here, "node_modules/axe-core/axe.min.js"), "utf8");

// ---- the staff API ----------------------------------------------------------
async function staff(method, p, body, want) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, Accept: "application/json",
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (want !== undefined) assert.equal(res.status, want, `${method} ${p}: ${res.status} ${text}`);
  return json;
}

function tokyoDate(days) {
  const d = new Date(Date.now() + 9 * 3600e3 + days * 86400e3);
  return d.toISOString().slice(0, 10);
}

const SHEET = {
  sections: [
    { code: "A", title_ja: "基本", title_en: "Basics", questions: [
      { code: "A-1", text_ja: "情報セキュリティ基本方針はありますか", text_en: "Is there an information security policy?",
        answer_type: "scale", evidence: "when_yes", help_ja: "規程の名前を書いてください", help_en: "Name the policy document" },
      { code: "A-2", text_ja: "従業員数", text_en: "Number of employees", answer_type: "number", min: 1, max: 1000, unit: "人" },
      { code: "A-3", text_ja: "最終監査日", text_en: "Date of the last audit", answer_type: "date", required: false },
      { code: "A-4", text_ja: "取得している認証", text_en: "Certification held", answer_type: "single_choice", choices: [
        { code: "ISMS", label_ja: "ISMS", label_en: "ISMS", score: 1 },
        { code: "NONE", label_ja: "なし", label_en: "None", score: 0.25 }] },
      { code: "A-5", text_ja: "認証範囲に委託業務は含まれますか", text_en: "Does the certified scope cover the work?",
        answer_type: "scale", depends_on: { question: "A-4", any_of: ["ISMS"] } },
      { code: "A-6", text_ja: "実施している対策", text_en: "Measures in place", answer_type: "multiple_choice", choices: [
        { code: "MFA", label_ja: "多要素認証", label_en: "Multi-factor authentication", score: 0.5 },
        { code: "ENC", label_ja: "暗号化", label_en: "Encryption", score: 0.5 },
        { code: "LOG", label_ja: "ログ監視", label_en: "Log monitoring", score: 0.5 }] },
      { code: "A-7", text_ja: "備考", text_en: "Remarks", answer_type: "text", required: false }] },
    { code: "B", title_ja: "証跡", title_en: "Evidence", questions: [
      { code: "B-1", text_ja: "組織図を添付してください", text_en: "Attach your organisation chart", answer_type: "file" },
      { code: "B-2", text_ja: "委託業務の手順書はありますか", text_en: "Is there a procedure for the work?",
        answer_type: "scale", evidence: "always", not_applicable_allowed: true }] },
    { code: "P", title_ja: "個人データ", title_en: "Personal data",
      applicability: { all: [{ fact: "handles_personal_data", equals: true }],
        explanation_ja: "個人データを扱う委託のみ", explanation_en: "Only with personal data" },
      questions: [{ code: "P-1", text_ja: "安全管理措置", answer_type: "scale" }] },
  ],
};

const vendor = await staff("POST", "/v1/vendors", { name: "みなと情報処理" }, 201);
const template = await staff("POST", "/v1/questionnaire-templates", { name: "委託先チェック（画面試験）", name_en: "Vendor check (page test)" }, 201);
await staff("POST", `/v1/questionnaire-templates/${template.id}/versions`, { content: SHEET }, 201);
await staff("POST", `/v1/questionnaire-templates/${template.id}/versions/1/publish`, undefined, 200);
const assessment = await staff("POST", `/v1/vendors/${vendor.id}/assessments`, {
  template_id: template.id, due_on: tokyoDate(30), title: "2026年度 年次点検", message: "期限までにご回答ください",
  respondent: { name: "山田 花子", email: "yamada@example.jp" } }, 201);
await staff("POST", `/v1/assessments/${assessment.id}/send`, undefined, 200);
const link = await staff("POST", `/v1/assessments/${assessment.id}/respondent-links`, undefined, 201);
const token = link.token;
assert.match(token, /^ita_[A-Za-z0-9_-]{43}$/);

// ---- the browser ------------------------------------------------------------
const failures = [];
const browser = await chromium.launch({ executablePath });
const requests = [];
const sent = [];
// Every request with the headers it really carried (read while the page is open).
function watch(r) {
  requests.push(r.url());
  sent.push(r.allHeaders().then((h) => ({ url: r.url(), headers: h }), () => ({ url: r.url(), headers: r.headers() })));
}
const foreign = [];
const consoleErrors = [];
let step = 0;

async function shot(page, name) {
  step++;
  // Nothing the page shows may be a program's placeholder.
  const text = await page.locator("body").innerText();
  const odd = /\bnull\b|\bundefined\b|\bNaN\b|\[object /.exec(text);
  if (odd) failures.push(`step ${name}: the page shows "${odd[0]}"`);
  if (shots) await page.screenshot({ path: path.join(shots, `${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
}

async function axe(page, name) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  for (const v of result.violations)
    if (v.impact === "serious" || v.impact === "critical")
      failures.push(`axe (${name}): ${v.id} ${v.impact}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

// Statuses the page is expected to receive (Chromium logs them as console errors).
const expectedStatuses = new Set([404, 409, 410, 422]);

async function newPage(context) {
  const page = await context.newPage();
  page.on("console", (m) => {
    const text = m.text();
    const s = /status of (\d{3})/.exec(text);
    if (s && expectedStatuses.has(Number(s[1]))) return;
    if (/ERR_INTERNET_DISCONNECTED/.test(text)) return;   // the lost-connection step
    if (m.type() === "error" || /Content.Security.Policy/i.test(text)) consoleErrors.push(text);
  });
  page.on("pageerror", (e) => failures.push(`page exception: ${e.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

async function checkPage(page) {
  for (const v of await page.evaluate(() => window.__violations)) failures.push(`CSP violation: ${v}`);
}

const saved = (page) => page.locator("#status").filter({ hasText: /保存しました|Saved/ }).waitFor({ timeout: 15_000 });

try {
  const context = await browser.newContext({ locale: "ja-JP" });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("request", watch);
  let page = await newPage(context);
  const done = recordExchanges(page, origin);
  const url = `${base}/respond#${token}`;

  // ---- the first visit --------------------------------------------------------
  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  const h = await response.allHeaders();
  assert.match(h["content-security-policy"] ?? "", /default-src 'self'/);
  assert.doesNotMatch(h["content-security-policy"] ?? "", /unsafe-inline|unsafe-eval/);
  assert.equal(h["referrer-policy"], "no-referrer");
  assert.equal(h["set-cookie"], undefined);
  await page.locator("#page-title").waitFor();
  assert.equal(await page.locator("#page-title").innerText(), "2026年度 年次点検");
  assert.equal(await page.locator("#vendor").innerText(), "みなと情報処理");
  // the outsourcer is the tenant (with-server.sh bootstraps "client")
  const tenantName = await page.locator("#outsourcer").innerText();
  assert.equal(tenantName, "client");
  assert.match(await page.locator("#due").innerText(), /\d{4}年\d{1,2}月\d{1,2}日/);
  assert.match(await page.locator("#progress-text").innerText(), /必須の質問 6 問中 0 問に回答済み/);
  // not asked, with its reason; the conditional question is hidden
  assert.match(await page.locator("#q-P-1").innerText(), /回答不要.*該当しません.*個人データを扱う委託のみ/s);
  assert.equal(await page.locator("#q-A-5").isHidden(), true);
  assert.match(await page.locator("#help-A-1").innerText(), /規程の名前/);
  await shot(page, "opened");
  await axe(page, "opened");
  // The contents and the skip link move the focus and keep the address:
  // its fragment is the token.
  await page.locator("nav .toc a").nth(1).click();
  assert.equal(new URL(page.url()).hash, `#${token}`, "a contents link replaced the token in the address");
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), "st-B");
  assert.equal(await page.locator("#page-title").isVisible(), true, "the page did not stay");

  // ---- answering ----------------------------------------------------------------
  await page.getByLabel("はい").first().check();
  // a wrong number: told in words, tied to the field, nothing sent for it
  const a2 = page.locator("#in-A-2");
  await a2.fill("千人");
  assert.equal(await a2.getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#err-A-2").innerText(), /数字で入力/);
  assert.match(await a2.getAttribute("aria-describedby"), /err-A-2/);
  await a2.fill("5000");
  assert.match(await page.locator("#err-A-2").innerText(), /1〜1000/);
  await a2.fill("120");
  assert.equal(await a2.getAttribute("aria-invalid"), null);
  await page.locator("#in-A-4-ISMS").check();
  assert.equal(await page.locator("#q-A-5").isVisible(), true, "A-5 did not appear after ISMS");
  await page.locator("#in-A-4-NONE").check();
  assert.equal(await page.locator("#q-A-5").isHidden(), true, "A-5 did not disappear after なし");
  await page.locator("#in-A-4-ISMS").check();
  await page.locator("#in-A-5-yes").check();
  await page.locator("#in-A-6-MFA").check();
  await page.locator("#in-A-6-ENC").check();
  await page.locator("#in-A-7").fill("特記事項はありません");
  await page.locator("#in-A-3").fill("2026-04-01");
  const statusBox = await page.locator("#status").boundingBox();
  await saved(page);
  const statusAfter = await page.locator("#status").boundingBox();
  assert.equal(statusAfter.height, statusBox.height, "the status area changed its height when saving");
  assert.match(await page.locator("#progress-text").innerText(), /必須の質問 7 問中 5 問に回答済み/);
  await shot(page, "answered");
  await axe(page, "answered");

  // ---- reload: the answers are there; an edit just before a reload is kept -------
  await page.locator("#in-A-7").fill("特記事項はありません（再読込の直前）");
  await page.reload();
  await page.locator("#page-title").waitFor();
  assert.equal(await page.locator("#in-A-2").inputValue(), "120");
  assert.equal(await page.locator("#in-A-4-ISMS").isChecked(), true);
  assert.equal(await page.locator("#in-A-5-yes").isChecked(), true);
  assert.equal(await page.locator("#in-A-6-ENC").isChecked(), true);
  assert.equal(await page.locator("#in-A-3").inputValue(), "2026-04-01");
  assert.equal(await page.locator("#in-A-7").inputValue(), "特記事項はありません（再読込の直前）");
  await saved(page);
  const storage = await page.evaluate(() => Object.keys(localStorage));
  for (const k of storage) assert.ok(!k.includes(token) && !k.includes(token.slice(4, 20)), `the token is in a storage key: ${k}`);
  const stored = await page.evaluate(() => JSON.stringify(Object.values(localStorage)));
  assert.ok(!stored.includes(token.slice(4, 20)), "the token is in the browser's storage");
  await shot(page, "reloaded");

  // ---- a lost connection: said in words, nothing lost, saved when it is back ----
  await context.setOffline(true);
  await page.locator("#in-A-7").fill("接続が切れている間の変更");
  await page.locator("#status").filter({ hasText: "接続できません" }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator("#status").getAttribute("class"), "status warn");
  await context.setOffline(false);
  await saved(page);

  // ---- a conflict: someone else saved in between (another window) ----------------
  {
    const other = await (await fetch(`${base}/v1/respond/${token}`)).json();
    const res = await fetch(`${base}/v1/respond/${token}/answers`, { method: "PUT", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ answers: { "A-3": "2026-05-01" }, answers_version: other.answers_version }) });
    assert.equal(res.status, 200);
  }
  await page.locator("#in-A-7").fill("特記事項はありません（競合の後）");
  await page.locator("#status").filter({ hasText: "ほかの画面" }).waitFor({ timeout: 15_000 });
  assert.equal(await page.locator("#in-A-3").inputValue(), "2026-05-01", "the other window's answer is not shown");
  assert.equal(await page.locator("#in-A-7").inputValue(), "特記事項はありません（競合の後）");
  assert.equal(await page.evaluate(() => document.activeElement.id), "in-A-7", "the re-read moved the focus");
  await shot(page, "conflict");

  // ---- evidence ------------------------------------------------------------------
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  const before = requests.length;
  await page.locator("#file-A-1").setInputFiles({ name: "tool.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
  assert.match(await page.locator("#fmsg-A-1").innerText(), /tool\.exe は受け付けられない形式です/);
  assert.equal(await page.locator("#file-A-1").getAttribute("aria-invalid"), "true");
  assert.equal(requests.length, before, "a refused type was sent anyway");
  await page.locator("#file-A-1").setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not a picture at all") });
  await page.locator("#fmsg-A-1").filter({ hasText: /中身が拡張子と一致しません/ }).waitFor();
  await page.locator("#file-A-1").setInputFiles({ name: "基本方針.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.locator("#files-A-1 li").filter({ hasText: "基本方針.pdf" }).waitFor();
  await page.locator("#file-A-1").setInputFiles({ name: "old.txt", mimeType: "text/plain", buffer: Buffer.from("古い版\n") });
  await page.locator("#files-A-1 li").filter({ hasText: "old.txt" }).waitFor();
  await shot(page, "uploaded");
  await page.getByRole("button", { name: "old.txt を削除" }).click();
  await page.locator("#fmsg-A-1").filter({ hasText: "old.txt を削除しました" }).waitFor();
  assert.equal(await page.locator("#files-A-1 li").count(), 1);

  // ---- submit with items missing --------------------------------------------------
  await page.locator("#submit").click();
  await page.locator("#missing li").first().waitFor();
  const missing = await page.locator("#missing li").allInnerTexts();
  assert.ok(missing.some((m) => /組織図/.test(m) && /回答がありません/.test(m)), `missing: ${missing}`);
  assert.ok(missing.some((m) => /手順書/.test(m) && /回答がありません/.test(m)), `missing: ${missing}`);
  assert.ok(missing.some((m) => /手順書/.test(m) && /証跡ファイルがありません/.test(m)), `missing: ${missing}`);
  assert.equal(missing.length, 3, `missing: ${missing}`);
  await shot(page, "missing");
  await axe(page, "missing");
  // the link moves the focus to the field
  await page.locator("#missing a").filter({ hasText: "手順書" }).first().click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "in-B-2-yes");
  assert.equal(await page.locator("#in-B-2-yes").getAttribute("aria-invalid"), "true");
  // keyboard only: choose with the arrow keys and Space, the autosave follows
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Space");
  assert.equal(await page.locator("#in-B-2-yes").isChecked(), true);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "the focused radio has no visible focus");
  await saved(page);
  await shot(page, "keyboard");
  await page.locator("#file-B-2").setInputFiles({ name: "手順書.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.locator("#files-B-2 li").filter({ hasText: "手順書.pdf" }).waitFor();
  await page.locator("#file-B-1").setInputFiles({ name: "組織図.csv", mimeType: "text/csv", buffer: Buffer.from("部署,人数\n情報システム部,12\n") });
  await page.locator("#files-B-1 li").filter({ hasText: "組織図.csv" }).waitFor();
  await page.locator("#submit").click();
  await page.locator("#submitted").waitFor();
  assert.match(await page.locator("#submitted").innerText(), /\d{4}年\d{1,2}月\d{1,2}日.*に提出されました/);
  assert.equal(await page.locator("main input, main textarea").count(), 0, "the submitted view still has inputs");
  assert.match(await page.locator("#q-A-2").innerText(), /120 人/);
  await shot(page, "submitted");
  await axe(page, "submitted");

  let a = await staff("GET", `/v1/assessments/${assessment.id}`, undefined, 200);
  assert.equal(a.status, "submitted");
  assert.deepEqual({ ...a.answers, "B-1": undefined }, {
    "A-1": "yes", "A-2": 120, "A-3": "2026-05-01", "A-4": "ISMS", "A-5": "yes", "A-6": ["MFA", "ENC"],
    "A-7": "特記事項はありません（競合の後）", "B-2": "yes", "B-1": undefined });
  assert.equal(Array.isArray(a.answers["B-1"]) && a.answers["B-1"].length, 1);
  assert.deepEqual(a.files.map((f) => `${f.question}:${f.filename}:${f.content_type}`).sort(),
    ["A-1:基本方針.pdf:application/pdf", "B-1:組織図.csv:text/csv", "B-2:手順書.pdf:application/pdf"]);
  {
    const f = a.files.find((x) => x.question === "A-1");
    const res = await fetch(`${base}/v1/assessments/${assessment.id}/files/${f.id}`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf, "the stored file is not the uploaded one");
  }


  // ---- a return ---------------------------------------------------------------------
  await staff("PATCH", `/v1/assessments/${assessment.id}/reviews`,
    { items: { "A-2": { decision: "returned", comment: "人数を再確認してください" }, "A-1": { decision: "accepted" } } }, 200);
  await staff("POST", `/v1/assessments/${assessment.id}/return`, { due_on: tokyoDate(40) }, 200);
  // with a new link (the staff send one with the return): the old one shows whom to ask
  const link2 = await staff("POST", `/v1/assessments/${assessment.id}/respondent-links`, undefined, 201);
  await page.reload();
  await page.locator("#gone-title").filter({ hasText: "このリンクは使えなくなりました" }).waitFor();
  assert.match(await page.locator(".gone").innerText(), new RegExp(`依頼元: ${tenantName}`));
  const url2 = `${base}/respond#${link2.token}`;
  await page.goto(url2);
  await page.locator("#returned").waitFor();
  assert.match(await page.locator("#q-A-2").innerText(), /人数を再確認してください/);
  assert.ok((await page.locator("#q-A-2").getAttribute("class")).includes("returned"));
  assert.equal(await page.locator("#q-A-1 input").count(), 0, "a question not returned can be changed");
  assert.equal(await page.locator("#rm-" + (a.files?.[0]?.id ?? "none")).count(), 0);
  await shot(page, "returned");
  await axe(page, "returned");
  // keyboard only, from the top of the page: Tab to the returned item's
  // link, Enter, type, Tab on to the submit button, Enter
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  const tabTo = async (id) => {
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press("Tab");
      const at = await page.evaluate(() => document.activeElement.id || document.activeElement.getAttribute("href"));
      if (at === id) return;
    }
    assert.fail(`Tab never reached ${id}`);
  };
  await tabTo("#q-A-2");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "in-A-2");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("130");
  await saved(page);
  await tabTo("submit");
  await page.keyboard.press("Enter");
  await page.locator("#submitted").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "submitted", "the focus is not on the confirmation");
  a = await staff("GET", `/v1/assessments/${assessment.id}`, undefined, 200);
  assert.equal(a.status, "submitted");
  assert.equal(a.answers["A-2"], 130);
  assert.equal(a.answers["A-1"], "yes");

  // ---- a finding -------------------------------------------------------------------
  const finding = await staff("POST", `/v1/assessments/${assessment.id}/findings`,
    { title: "認証範囲の見直し", severity: "medium", due_on: tokyoDate(60), question_code: "A-5" }, 201);
  await page.reload();
  await page.locator(`#f-${finding.id}`).waitFor();
  await page.locator(`#fsend-${finding.id}`).click();
  assert.match(await page.locator(`#fm-${finding.id}`).innerText(), /対応計画か進み具合/);
  await page.getByLabel("対応計画").fill("2027年3月までに認証範囲を拡大します");
  await page.locator(`#frefs-${finding.id}`).fill("基本方針.pdf");
  // evidence for the finding: a wrong type told in words, a good one listed and referenced
  await page.locator(`#ffile-${finding.id}`).setInputFiles({ name: "run.sh", mimeType: "text/x-sh", buffer: Buffer.from("#!/bin/sh\n") });
  assert.match(await page.locator(`#fm-${finding.id}`).innerText(), /run\.sh は受け付けられない形式です/);
  await page.locator(`#ffile-${finding.id}`).setInputFiles({ name: "認証範囲の計画.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.locator(`#ffiles-${finding.id} li`).filter({ hasText: "認証範囲の計画.pdf" }).waitFor();
  assert.equal(await page.locator(`#frefs-${finding.id}`).inputValue(), "基本方針.pdf\n認証範囲の計画.pdf");
  assert.equal(await page.locator(`#fplan-${finding.id}`).inputValue(), "2027年3月までに認証範囲を拡大します");
  await page.locator(`#fsend-${finding.id}`).click();
  await page.locator(`#fm-${finding.id}`).filter({ hasText: "送信しました" }).waitFor();
  await shot(page, "finding");
  await axe(page, "finding");
  const f = await staff("GET", `/v1/findings/${finding.id}`, undefined, 200);
  assert.equal(f.vendor_response?.plan, "2027年3月までに認証範囲を拡大します", JSON.stringify(f));
  assert.deepEqual(f.vendor_response.evidence_refs, ["基本方針.pdf", "認証範囲の計画.pdf"]);
  assert.deepEqual(f.files.map((x) => x.filename), ["認証範囲の計画.pdf"]);
  {
    const res = await fetch(`${base}/v1/findings/${finding.id}/files/${f.files[0].id}`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf);
  }

  // ---- English ------------------------------------------------------------------------
  await page.locator("#lang").click();
  assert.equal(await page.locator("#brand").innerText(), "Questionnaire");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.match(await page.locator("#q-A-1").innerText(), /Is there an information security policy\?/);
  assert.match(await page.locator("#submitted").innerText(), /submitted on/);
  await shot(page, "english");
  await axe(page, "english");
  await page.locator("#lang").click();
  assert.equal(await page.locator("#brand").innerText(), "アンケート回答");

  // ---- a phone ------------------------------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: "ja-JP" });
  await phone.route("**/*", (route) => {
    if (new URL(route.request().url()).origin === origin) return route.continue();
    foreign.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  phone.on("request", watch);
  const small = await newPage(phone);
  const doneSmall = recordExchanges(small, origin);
  await small.goto(url2);
  await small.locator("#page-title").waitFor();
  const width = await small.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page is ${width} px wide at 360 px`);
  await shot(small, "phone-360");
  await axe(small, "phone");
  await checkPage(small);
  await doneSmall();
  await phone.close();

  // ---- a revoked link, an unknown one ------------------------------------------------------
  await staff("POST", `/v1/assessment-links/${link2.id}/revoke`, undefined, 200);
  await page.reload();
  await page.locator("#gone-title").waitFor();
  assert.equal(await page.locator("#gone-title").innerText(), "このリンクは使えなくなりました");
  const goneText = await page.locator(".gone").innerText();
  assert.match(goneText, /お問い合わせください/);
  assert.ok(goneText.includes(tenantName), `the outsourcer is not named: ${goneText}`);
  await shot(page, "revoked");
  await axe(page, "revoked");
  // a browser that never saw the link working learns the name from the API
  {
    const fresh = await browser.newContext({ locale: "ja-JP" });
    await fresh.route("**/*", (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue();
      foreign.push(route.request().url());
      return route.abort("blockedbyclient");
    });
    fresh.on("request", watch);
    const late = await newPage(fresh);
    const doneLate = recordExchanges(late, origin);
    await late.goto(url2);
    await late.locator("#gone-title").waitFor();
    assert.match(await late.locator(".gone").innerText(), new RegExp(`依頼元: ${tenantName}`));
    await checkPage(late);
    await doneLate();
    await fresh.close();
  }
  await page.goto(`${base}/respond#ita_${"A".repeat(43)}`);
  await page.locator("#gone-title").filter({ hasText: "このリンクは見つかりません" }).waitFor();
  await shot(page, "unknown");
  await page.goto(`${base}/respond`);
  await page.locator("#gone-title").waitFor();
  assert.match(await page.locator(".gone").innerText(), /鍵が含まれていません/);

  // ---- next year: last year's answers are offered, never taken unasked -------------------
  await staff("POST", `/v1/assessments/${assessment.id}/complete`, undefined, 200);
  const next = await staff("POST", `/v1/vendors/${vendor.id}/assessments`, {
    template_id: template.id, due_on: tokyoDate(30), title: "2027年度 年次点検",
    respondent: { name: "山田 花子", email: "yamada@example.jp" } }, 201);
  await staff("POST", `/v1/assessments/${next.id}/send`, undefined, 200);
  const link3 = await staff("POST", `/v1/assessments/${next.id}/respondent-links`, undefined, 201);
  await page.goto(`${base}/respond#${link3.token}`);
  await page.locator("#page-title").filter({ hasText: "2027年度" }).waitFor();
  assert.equal(await page.locator("#in-A-2").inputValue(), "");
  assert.match(await page.locator("#sug-A-2").innerText(), /前回.*130 人/s);
  assert.match(await page.locator("#sug-B-1").innerText(), /組織図\.csv/);
  await shot(page, "suggestion");
  await page.locator("#sug-A-2 button").click();
  assert.equal(await page.locator("#in-A-2").inputValue(), "130");
  assert.equal(await page.evaluate(() => document.activeElement.id), "in-A-2");
  await saved(page);
  assert.equal((await staff("GET", `/v1/assessments/${next.id}`, undefined, 200)).answers["A-2"], 130);
  assert.equal((await staff("GET", `/v1/assessments/${next.id}`, undefined, 200)).answers["A-1"], undefined);

  await checkPage(page);
  await done();

  // ---- what went over the wire ---------------------------------------------------------------
  for (const r of await Promise.all(sent)) {
    const u = new URL(r.url);
    const hdrs = r.headers;
    if (hdrs.referer) failures.push(`${r.url} carried a Referer header`);
    if (hdrs.cookie) failures.push(`${r.url} carried a cookie`);
    if (u.search.includes("ita_")) failures.push(`a token in a query: ${u.pathname}${u.search}`);
    if (u.pathname.includes("ita_") && !/^\/v1\/respond\/ita_[A-Za-z0-9_-]{43}(\/|$)/.test(u.pathname))
      failures.push(`a token outside /v1/respond/{token}: ${u.pathname}`);
  }
  for (const u of foreign) failures.push(`requested from another host: ${u}`);
  const cookies = await context.cookies();
  if (cookies.length) failures.push(`cookies set: ${cookies.map((c) => c.name)}`);
  for (const m of consoleErrors) failures.push(`console: ${m}`);

  // ---- page weight -------------------------------------------------------------------------------
  let gz = 0;
  // The page and every file it names (pages/...), as the browser loads them.
  const html = await (await fetch(`${base}/respond`)).text();
  const files = ["/respond", ...[...html.matchAll(/"(pages\/[^"]+)"/g)].map((m) => `/${m[1]}`)];
  assert.ok(files.includes("/pages/respond.js"), `the page names ${files}`);
  for (const p of files) {
    const res = await fetch(`${base}${p}`);
    assert.equal(res.status, 200, p);
    gz += zlib.gzipSync(Buffer.from(await res.arrayBuffer())).length;
  }
  assert.ok(gz < 200 * 1024, `the page weighs ${gz} bytes gzipped`);
  console.log(`respond: ${step} steps, ${requests.length} requests, ${gz} bytes gzipped`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
