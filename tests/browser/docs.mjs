// Opens GET /docs in a real headless Chromium (Debian's, never one that a
// tool downloads) and checks that the reference page renders the served
// document and keeps to itself:
//  - the response: 200 text/html, a Content-Security-Policy that allows
//    the inline script by hash only (no 'unsafe-inline' or 'unsafe-eval'
//    for scripts), Referrer-Policy: no-referrer, no Set-Cookie;
//  - every operation and webhook of /openapi.json has its section, with its
//    summary in the rendered text, and so does every Japanese text of the
//    document's summary and tag descriptions;
//  - the search box (a Web Worker made from a blob) finds operations;
//  - no request went to another host, none carried an Authorization or
//    Referer header, no cookie was set;
//  - the console shows no error (a CSP violation is one) and the page
//    raised no exception and no securitypolicyviolation event.
// Run through tests/browser/run.sh, which starts the server.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.ITAKU_URL;
assert.ok(base, "ITAKU_URL is not set; run through tests/browser/run.sh");
const origin = new URL(base).origin;
const executablePath = process.env.ITAKU_CHROMIUM || "/usr/bin/chromium";

const spec = await (await fetch(`${base}/openapi.json`)).json();
const operations = [];
for (const [where, items] of [["paths", spec.paths], ["webhooks", spec.webhooks ?? {}]])
  for (const [name, item] of Object.entries(items))
    for (const [method, op] of Object.entries(item))
      if (op && typeof op === "object" && op.operationId)
        operations.push({ where: `${where} ${method.toUpperCase()} ${name}`, id: op.operationId, summary: op.summary });
assert.ok(operations.length >= 80, `only ${operations.length} operations in the document`);
assert.ok(operations.some((o) => o.id === "getDocs"), "the document does not describe GET /docs");

// Japanese runs (kana, kanji, the middle dot) of the texts Redoc shows as
// they are: the document's summary and its tags' descriptions.
const japanese = new Set();
for (const text of [spec.info.summary, ...spec.tags.map((t) => t.description)])
  for (const run of (text ?? "").match(/[\u3040-\u30ff\u3400-\u9fff\u30fb]{2,}/g) ?? []) japanese.add(run);
assert.ok(japanese.has("委託先管理"), "the document's summary no longer says 委託先管理");
assert.ok(japanese.size >= 5, `only ${japanese.size} Japanese texts found: ${[...japanese]}`);

const browser = await chromium.launch({ executablePath });
const failures = [];
try {
  const context = await browser.newContext();
  const requests = [];
  const foreign = [];
  // Anything for another host is recorded and never leaves the machine.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("request", (r) => requests.push(r));
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content.Security.Policy/i.test(m.text())) consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => failures.push(`page exception: ${e.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  const response = await page.goto(`${base}/docs`);
  assert.equal(response.status(), 200);
  const headers = await response.allHeaders();
  assert.match(headers["content-type"], /^text\/html; charset=utf-8$/);
  const csp = headers["content-security-policy"] ?? "";
  const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
  assert.match(scriptSrc, /^script-src 'sha256-[A-Za-z0-9+/]{43}='$/, `script-src is "${scriptSrc}"`);
  assert.match(csp, /(^|; )default-src 'none'(;|$)/);
  assert.match(csp, /(^|; )frame-ancestors 'none'(;|$)/);
  assert.equal(headers["referrer-policy"], "no-referrer");
  assert.equal(headers["set-cookie"], undefined);

  // Redoc has rendered when the last operation's section is there.
  const last = operations[operations.length - 1].id;
  await page.waitForSelector(`[data-section-id="operation/${last}"]`, { state: "attached", timeout: 60_000 });
  const sections = new Set(await page.$$eval("[data-section-id^='operation/']",
    (els) => els.map((e) => e.getAttribute("data-section-id").slice("operation/".length))));
  const text = await page.locator("redoc").innerText();
  for (const op of operations) {
    if (!sections.has(op.id)) failures.push(`no section for ${op.where} (${op.id})`);
    if (op.summary && !text.includes(op.summary)) failures.push(`summary of ${op.where} not shown: ${op.summary}`);
  }
  for (const run of japanese) if (!text.includes(run)) failures.push(`Japanese text not shown: ${run}`);

  await page.getByPlaceholder("Search...").fill("incident");
  const results = page.locator('[data-role="search:results"]');
  try {
    await results.waitFor({ timeout: 10_000 });
    if (!/File an incident/.test(await results.innerText())) failures.push("search did not find createIncident");
  } catch (e) {
    failures.push(`search shows no results: ${e.message.split("\n")[0]}`);
  }

  for (const r of requests) {
    const h = await r.allHeaders();
    if (h.authorization) failures.push(`${r.url()} carried an Authorization header`);
    if (h.referer) failures.push(`${r.url()} carried a Referer header`);
  }
  const urls = requests.map((r) => r.url());
  assert.ok(urls.includes(`${base}/openapi.json`), `the page did not load openapi.json: ${urls}`);
  for (const url of foreign) failures.push(`requested from another host: ${url}`);
  for (const url of urls)
    if (!url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`)) failures.push(`unexpected request: ${url}`);
  for (const msg of consoleErrors) failures.push(`console: ${msg}`);
  for (const v of await page.evaluate(() => window.__violations)) failures.push(`CSP violation: ${v}`);
  const cookies = await context.cookies();
  if (cookies.length) failures.push(`cookies set: ${cookies.map((c) => c.name)}`);

  console.log(`docs: ${operations.length} operations, ${japanese.size} Japanese texts, ` +
    `${requests.length} requests (${[...new Set(urls.map((u) => new URL(u).pathname))].join(" ")})`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
