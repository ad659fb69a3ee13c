// The incident report page (/report#<token>) in Debian's Chromium, used as
// the vendor's person would, against a real server (tests/browser/run.sh):
//  - staff make a vendor and a report link through the API;
//  - sending with a required field missing marks that field (aria-invalid,
//    its message in aria-describedby) and lists it in a summary that leads
//    to it; the server's own field errors land on their fields too;
//  - filing shows the receipt time (the notice that starts the
//    outsourcer's clock), and the staff API has the incident with the times
//    as entered (Japan time) and reported_to_us_at equal to the receipt;
//  - a timeline entry added on the page is in the staff API's timeline;
//  - English on the switch; 360 px wide without sideways scrolling; a
//    whole filing by keyboard alone, with visible focus;
//  - a revoked link and a malformed one show whom to contact;
//  - axe-core finds no serious or critical violation;
//  - nothing is requested from another host, no console error, no CSP
//    violation, no cookie, no token in a query string or a Referer, no
//    layout shift that the person did not cause;
//  - the page's files weigh under 200 KB gzipped.
// Screenshots of each step go to $ITAKU_SCREENSHOTS/report/ (not committed);
// the API answers the page received are recorded for the contract check.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { recordExchanges } from "./record.mjs";

const base = process.env.ITAKU_URL;
const key = process.env.ITAKU_KEY;
assert.ok(base && key, "ITAKU_URL and ITAKU_KEY are not set; run through tests/browser/run.sh");
const origin = new URL(base).origin;
const executablePath = process.env.ITAKU_CHROMIUM || "/usr/bin/chromium";
const shotDir = process.env.ITAKU_SCREENSHOTS ? path.join(process.env.ITAKU_SCREENSHOTS, "report") : null;
if (shotDir) fs.mkdirSync(shotDir, { recursive: true });
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let shotNo = 0;
async function shot(page, name) {
  if (!shotDir) return;
  shotNo += 1;
  await page.screenshot({ path: path.join(shotDir, `${String(shotNo).padStart(2, "0")}-${name}.png`), fullPage: true });
}

async function staff(method, p, body) {
  const headers = { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// "YYYY-MM-DDTHH:MM" in Japan time, days before now.
function jstLocal(daysAgo, hhmm) {
  const d = new Date(Date.now() + 9 * 3600e3 - daysAgo * 86400e3);
  return `${d.toISOString().slice(0, 10)}T${hhmm}`;
}
const sameInstant = (a, b) => Date.parse(a) === Date.parse(b);
const jstText = (iso) => new Intl.DateTimeFormat("ja-JP", {
  timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
}).format(new Date(iso)) + "（日本時間）";

// ---- page weight ---------------------------------------------------------------
let gz = 0;
// The page and every file it names (pages/...), as the browser loads them.
{
  const html = await (await fetch(`${base}/report`)).text();
  const files = ["report", ...[...html.matchAll(/"(pages\/[^"]+)"/g)].map((m) => m[1])];
  assert.ok(files.includes("pages/report.js"), `the page names ${files}`);
  for (const f of files) {
    const res = await fetch(`${base}/${f}`);
    assert.equal(res.status, 200, `${f}: ${res.status}`);
    gz += zlib.gzipSync(Buffer.from(await res.arrayBuffer())).length;
  }
}
assert.ok(gz < 200 * 1024, `the page weighs ${gz} bytes gzipped`);

// ---- staff set up a vendor and its links ------------------------------------------
const vendor = await staff("POST", "/v1/vendors", { name: "みなと情報処理" });
assert.equal(vendor.status, 201);
async function newLink() {
  const r = await staff("POST", `/v1/vendors/${vendor.body.id}/report-links`, { label: "事故報告（ブラウザ試験）" });
  assert.equal(r.status, 201);
  return r.body;
}
const link = await newLink();
const token = link.token;
const tenantName = "client";   // tests/client/with-server.sh bootstraps tenant "client"

const browser = await chromium.launch({ executablePath });
const failures = [];
const requests = [];
const foreign = [];
const consoleErrors = [];
const pages = [];
const finishers = [];

async function newContext(options) {
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Europe/London", ...options });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("request", (r) => requests.push(r));
  return context;
}

// allow: the status the browser logs as a failed load on this page because
// the test asked for it (a revoked link's 404, a staged 422).
async function newPage(context, { record = true, allow = null } = {}) {
  const page = await context.newPage();
  pages.push(page);
  if (record) finishers.push(recordExchanges(page, origin));
  page.on("console", (m) => {
    const text = m.text();
    if (allow && m.type() === "error" && text.includes(`status of ${allow}`)) return;
    if (m.type() === "error" || /Content.Security.Policy/i.test(text)) consoleErrors.push(text);
  });
  page.on("pageerror", (e) => failures.push(`page exception: ${e.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    window.__shift = 0;
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  return page;
}

async function axe(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
  }));
  for (const v of result.violations) {
    const where = `${v.id} ${v.impact}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`;
    if (v.impact === "serious" || v.impact === "critical") failures.push(`axe (${what}): ${where}`);
    else console.log(`axe (${what}), not failing: ${where}`);
  }
}

// The field's error is tied to it: aria-invalid, and its message among the
// elements aria-describedby names.
async function ckTied(page, id, pattern) {
  const f = page.locator(`#${id}`);
  assert.equal(await f.getAttribute("aria-invalid"), "true", `${id} is not marked invalid`);
  const described = (await f.getAttribute("aria-describedby")) ?? "";
  assert.ok(described.split(" ").includes(`${id}-error`), `${id}: aria-describedby is "${described}"`);
  const text = await page.locator(`#${id}-error`).innerText();
  assert.match(text, pattern, `${id}: error "${text}"`);
}

async function fill(page, values) {
  for (const [id, v] of Object.entries(values)) {
    const node = page.locator(`#${id}`);
    if ((await node.evaluate((n) => n.tagName)) === "SELECT") await node.selectOption(v);
    else await node.fill(v);
  }
}

const occurred = jstLocal(1, "10:15");
const detected = jstLocal(1, "14:40");

try {
  const context = await newContext({ viewport: { width: 1280, height: 900 } });
  const page = await newPage(context);

  // ---- open: whom the link is for ---------------------------------------------
  const response = await page.goto(`${base}/report#${token}`);
  assert.equal(response.status(), 200);
  await page.getByRole("heading", { level: 1, name: "事故を報告する" }).waitFor();
  const about = await page.locator(".about").innerText();
  assert.ok(about.includes("みなと情報処理"), about);
  assert.ok(about.includes(tenantName), `${about} does not name ${tenantName}`);
  assert.ok(!about.includes("ブラウザ試験"), "the link's label is the outsourcer's own note");
  assert.equal(await page.locator("#incidents-none").count(), 1);
  await shot(page, "open");

  // ---- a required field missing -----------------------------------------------
  await fill(page, { "f-category": "leak", "f-severity": "high", "f-detected_at": detected,
    "f-reporter-name": "山田 花子", "f-reporter-email": "yamada@example.jp" });
  const before = requests.length;
  await page.locator("#submit").click();
  await page.locator(".error-summary").waitFor();
  await ckTied(page, "f-title", /入力してください/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "summary-slot", "focus is not on the summary");
  assert.equal(requests.length, before, "the form was sent with a required field missing");
  await shot(page, "required-missing");
  await axe(page, "errors shown");
  // the summary's link leads to the field (without touching the fragment)
  await page.locator(".error-summary a").first().click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "f-title");
  assert.equal(new URL(page.url()).hash, `#${token}`);

  // ---- file an incident ---------------------------------------------------------
  await fill(page, { "f-title": "顧客名簿を保存した USB メモリの紛失", "f-description": "配送センターで紛失。\n警察に届出済み。",
    "f-occurred_at": occurred, "f-reporter-organisation": "みなと情報処理 情報システム部", "f-reporter-phone": "03-1234-5678" });
  await page.locator("details.notice > summary").click();
  await fill(page, { "f-notice_items-summary": "USB メモリ 1 本の紛失", "f-notice_items-people": "約 300 名（調査中）" });
  assert.equal(await page.locator("#f-title").getAttribute("aria-invalid"), "true");   // until sent again
  await shot(page, "filled");
  const posted = page.waitForResponse((r) => r.request().method() === "POST" && /\/incidents$/.test(new URL(r.url()).pathname));
  await page.locator("#submit").click();
  assert.equal((await posted).status(), 201);
  await page.locator("#receipt-title").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "receipt-title");
  const receiptIso = await page.locator(".receipt time.when").getAttribute("datetime");
  const receiptText = await page.locator(".receipt time.when").innerText();
  const incidentId = (await page.locator("#receipt-ref").innerText()).trim();
  await shot(page, "receipt");

  // the staff API has it, with the times as entered and the receipt as the notice
  const staffView = await staff("GET", `/v1/incidents/${incidentId}`);
  assert.equal(staffView.status, 200);
  const inc = staffView.body;
  assert.equal(inc.title, "顧客名簿を保存した USB メモリの紛失");
  assert.equal(inc.source, "report_link");
  assert.equal(inc.report_link_id, link.id);
  assert.equal(inc.detected_by, "vendor");
  assert.ok(sameInstant(inc.occurred_at, `${occurred}:00+09:00`), `occurred_at ${inc.occurred_at}, entered ${occurred}`);
  assert.ok(sameInstant(inc.detected_at, `${detected}:00+09:00`), `detected_at ${inc.detected_at}, entered ${detected}`);
  assert.ok(sameInstant(inc.reported_to_us_at, receiptIso), `reported_to_us_at ${inc.reported_to_us_at}, shown ${receiptIso}`);
  assert.equal(receiptText, jstText(inc.reported_to_us_at));
  assert.equal(inc.reporter.name, "山田 花子");
  assert.equal(inc.reporter.phone, "03-1234-5678");
  assert.equal(inc.notice_items.people, "約 300 名（調査中）");
  assert.equal(inc.description, "配送センターで紛失。\n警察に届出済み。");
  assert.equal(await page.locator(`#incident-${incidentId}`).count(), 1, "the filed incident is not listed");
  // the form is empty again, without errors
  assert.equal(await page.locator("#f-title").inputValue(), "");
  assert.equal(await page.locator("[aria-invalid=true]").count(), 0);

  // ---- a timeline entry -----------------------------------------------------------
  await page.locator(".receipt button").click();
  const entry = page.locator(`#entry-${incidentId}`);
  await entry.waitFor();
  await page.locator(`#incident-${incidentId} form.entry button[type=submit]`).click();
  await ckTied(page, `entry-${incidentId}`, /入力してください/);
  const note = "警察から連絡があり、USB メモリは見つかっていない。";
  await entry.fill(note);
  await page.locator(`#incident-${incidentId} form.entry button[type=submit]`).click();
  await page.locator(`#entry-${incidentId}-status`).filter({ hasText: "経過を追加しました。" }).waitFor();
  assert.ok((await page.locator(`#timeline-${incidentId}`).innerText()).includes(note));
  assert.equal(await entry.inputValue(), "");
  await shot(page, "timeline-entry");
  await axe(page, "receipt and timeline");
  const events = await staff("GET", `/v1/incidents/${incidentId}/events`);
  assert.equal(events.status, 200);
  assert.ok(events.body.items.some((e) => e.kind === "vendor_update" && e.note === note),
    `the entry is not in the staff timeline: ${JSON.stringify(events.body.items)}`);

  // ---- English ----------------------------------------------------------------------
  await page.locator("#lang").click();
  await page.getByRole("heading", { level: 1, name: "Report an incident" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.match(await page.locator(".receipt time.when").innerText(), /\(Japan time\)$/);
  await shot(page, "english");
  await page.locator("#lang").click();
  await page.getByRole("heading", { level: 1, name: "事故を報告する" }).waitFor();

  // ---- the server's field errors land on their fields ---------------------------------
  // (the page checks everything the API checks, so the answer is staged, on
  // a page whose exchanges are not recorded: it is not the server's)
  const staged = await newPage(context, { record: false, allow: 422 });
  await staged.route("**/v1/report/*/incidents", (route) => {
    if (route.request().method() !== "POST") return route.continue();
    return route.fulfill({ status: 422, contentType: "application/problem+json", body: JSON.stringify({
      type: "urn:itaku:problem:validation-failed", title: "Unprocessable", status: 422,
      detail: "the request body has invalid fields; see errors",
      errors: [{ pointer: "/reporter/email", message: "サーバーの指摘（メール）" },
        { pointer: "/notice_items/cause", message: "サーバーの指摘（原因）" },
        { pointer: "/mood", message: "知らない項目" }] }) });
  });
  await staged.goto(`${base}/report#${token}`);
  await staged.locator("#f-title").waitFor();
  await fill(staged, { "f-title": "試験", "f-category": "other", "f-severity": "low", "f-detected_at": detected,
    "f-reporter-name": "試験", "f-reporter-email": "a@b.jp" });
  await staged.locator("#submit").click();
  await staged.locator(".error-summary").waitFor();
  await ckTied(staged, "f-reporter-email", /サーバーの指摘（メール）/);
  await ckTied(staged, "f-notice_items-cause", /サーバーの指摘（原因）/);
  assert.ok(await staged.locator("details.notice").evaluate((d) => d.open), "the notice items stay closed over an error");
  assert.match(await staged.locator(".error-summary").innerText(), /知らない項目/);
  await shot(staged, "server-errors");
  await staged.close();

  // ---- the answer lost on the way back: found, not filed twice ------------------------
  // (on a link of its own: the filing, the page's reads and the retry stay
  // inside the link's rate limit)
  {
    const lostLink = await newLink();
    const lost = await newPage(context, { record: false });
    const errorsBefore = consoleErrors.length;
    let posts = 0;
    await lost.route("**/v1/report/*/incidents", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      posts++;
      await route.fetch();                      // the server files it ...
      return route.abort("connectionreset");    // ... and its answer never arrives
    });
    await lost.goto(`${base}/report#${lostLink.token}`);
    await lost.locator("#f-title").waitFor();
    const title = "応答が途絶えた報告";
    await fill(lost, { "f-title": title, "f-category": "other", "f-severity": "low", "f-detected_at": detected,
      "f-reporter-name": "試験", "f-reporter-email": "a@b.jp" });
    await lost.locator("#submit").click();
    await lost.locator("#receipt-title").waitFor();
    assert.equal(posts, 1, "the report was sent again");
    const mine = await staff("GET", `/v1/vendors/${vendor.body.id}/incidents?limit=100`);
    assert.equal(mine.status, 200);
    const filed = mine.body.items.filter((i) => i.title === title);
    assert.equal(filed.length, 1, `${filed.length} incidents were filed`);
    assert.equal((await lost.locator("#receipt-ref").innerText()).trim(), filed[0].id);
    await shot(lost, "answer-lost");
    // the aborted request's own console line is expected; nothing else is
    const extra = consoleErrors.splice(errorsBefore);
    consoleErrors.push(...extra.filter((m) => !/ERR_CONNECTION_RESET|Failed to load resource|Failed to fetch/.test(m)));
    await lost.close();
  }

  // ---- 360 px, keyboard only ------------------------------------------------------------
  const phone = await newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const p2 = await newPage(phone);
  await p2.goto(`${base}/report#${token}`);
  await p2.locator(`#incident-${incidentId}`).waitFor();
  await shot(p2, "phone-360");
  const wide = await p2.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the page is ${wide} px wide at 360`);

  // Tab to each field, checking the focus is visible, and type.
  async function tabTo(id) {
    for (let i = 0; i < 40; i++) {
      await p2.keyboard.press("Tab");
      const at = await p2.evaluate(() => {
        const a = document.activeElement;
        const s = getComputedStyle(a);
        return { id: a.id, visible: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
          outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` };
      });
      if (at.id && !at.visible) failures.push(`focus is not visible on #${at.id}: outline ${at.outline}`);
      if (at.id === id) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }
  // A datetime-local field's segments follow the browser's own locale
  // (headless Chromium's is en-US whatever the page's language): type the
  // Japanese order (yyyy/mm/dd hh:mm), and if the field did not take it,
  // clear it and type the US one (mm/dd/yyyy hh:mm AM/PM). The year
  // segment takes up to six digits, so an arrow key moves on from it.
  async function typeDateTime(pg, id, local) {
    const [, y, mo, d, h, mi] = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/);
    const value = () => pg.evaluate((x) => document.getElementById(x).value, id);
    await pg.keyboard.type(y);
    await pg.keyboard.press("ArrowRight");
    await pg.keyboard.type(mo + d + h + mi);
    if ((await value()) === local) return;
    await pg.locator(`#${id}`).fill("");   // only to start again
    // back out of the field, then in again at its first segment
    for (let i = 0; i < 8 && (await pg.evaluate(() => document.activeElement?.id)) === id; i++)
      await pg.keyboard.press("Shift+Tab");
    await pg.keyboard.press("Tab");
    const h12 = String(((Number(h) + 11) % 12) + 1).padStart(2, "0");
    await pg.keyboard.type(mo + d + y);
    await pg.keyboard.press("ArrowRight");
    await pg.keyboard.type(h12 + mi + (Number(h) < 12 ? "A" : "P"));
    assert.equal(await value(), local, `#${id} did not take ${local} from the keyboard`);
  }
  // the skip link leads into the page and leaves the fragment (the token) alone
  await p2.evaluate(() => document.activeElement?.blur());
  await p2.keyboard.press("Tab");
  assert.equal(await p2.evaluate(() => document.activeElement?.className), "skip");
  await p2.keyboard.press("Enter");
  assert.equal(await p2.evaluate(() => document.activeElement?.id), "main");
  assert.equal(new URL(p2.url()).hash, `#${token}`);
  await tabTo("f-title");
  await p2.keyboard.type("入館証の紛失");
  await tabTo("f-category");
  await p2.keyboard.press("ArrowDown");   // 漏えい
  await p2.keyboard.press("End");        // その他
  await tabTo("f-severity");
  await p2.keyboard.press("ArrowDown");   // 低
  await tabTo("f-detected_at");
  await typeDateTime(p2, "f-detected_at", detected);
  await tabTo("f-reporter-name");
  await p2.keyboard.type("佐藤 一郎");
  await tabTo("f-reporter-email");
  await p2.keyboard.type("sato@example.jp");
  const values = await p2.evaluate(() => ["f-title", "f-category", "f-severity", "f-detected_at"]
    .map((id) => document.getElementById(id).value));
  assert.deepEqual(values, ["入館証の紛失", "other", "low", detected]);
  await shot(p2, "phone-keyboard-filled");
  await p2.keyboard.press("Enter");       // submits the form from a text field
  await p2.locator("#receipt-title").waitFor();
  const kbId = (await p2.locator("#receipt-ref").innerText()).trim();
  const kb = await staff("GET", `/v1/incidents/${kbId}`);
  assert.equal(kb.status, 200);
  assert.equal(kb.body.category, "other");
  assert.equal(kb.body.severity, "low");
  assert.ok(sameInstant(kb.body.detected_at, `${detected}:00+09:00`));
  await shot(p2, "phone-receipt");
  assert.ok(await p2.evaluate(() => document.documentElement.scrollWidth) <= 360);
  await axe(p2, "phone");

  // ---- links that do not work ----------------------------------------------------------
  const revoked = await newLink();
  assert.equal((await staff("POST", `/v1/report-links/${revoked.id}/revoke`)).status, 200);
  const p3 = await newPage(context, { allow: 404 });
  await p3.goto(`${base}/report#${revoked.token}`);
  await p3.getByRole("heading", { level: 1, name: "このリンクは使えません" }).waitFor();
  assert.match(await p3.locator("main").innerText(), /送り主（委託元の担当者）に連絡/);
  assert.equal(await p3.locator("form").count(), 0);
  await shot(p3, "revoked");
  await axe(p3, "revoked");
  const beforeBad = requests.length;
  await p3.goto(`${base}/report#not-a-token`);
  await p3.reload();
  await p3.getByRole("heading", { level: 1, name: "このリンクは使えません" }).waitFor();
  assert.ok(requests.slice(beforeBad).every((r) => !new URL(r.url()).pathname.startsWith("/v1/")),
    "a malformed token was sent to the API");

  // ---- what the pages did ---------------------------------------------------------------
  for (const pg of pages) {
    if (pg.isClosed()) continue;
    for (const v of await pg.evaluate(() => window.__violations)) failures.push(`CSP violation: ${v}`);
    const shift = await pg.evaluate(() => window.__shift);
    if (shift > 0.1) failures.push(`layout shift ${shift.toFixed(3)} on ${pg.url().replace(/#.*/, "")}`);
  }
  for (const c of [context, phone]) {
    const cookies = await c.cookies();
    if (cookies.length) failures.push(`cookies set: ${cookies.map((x) => x.name)}`);
  }
} finally {
  await Promise.all(finishers.map((f) => f()));
  await browser.close();
}

for (const r of requests) {
  const url = new URL(r.url());
  const h = await r.allHeaders().catch(() => ({}));
  if (h.referer) failures.push(`${r.url()} carried a Referer header`);
  if (h.cookie) failures.push(`${r.url()} carried a cookie`);
  if (url.search.includes("itr_")) failures.push(`a token in a query string: ${r.url()}`);
  if (url.origin !== origin && url.protocol !== "data:") failures.push(`unexpected request: ${r.url()}`);
}
for (const url of foreign) failures.push(`requested from another host: ${url}`);
for (const msg of consoleErrors) failures.push(`console: ${msg}`);

console.log(`report: ${requests.length} requests, ${gz} bytes gzipped, screenshots ${shotNo}`);
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
