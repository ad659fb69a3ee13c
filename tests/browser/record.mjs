// Records the API answers a page received, in the form the C suites write
// (tests/support/harness.c), so that tests/contract/check.mjs checks what
// the vendor's pages saw against the OpenAPI document like every other
// exchange. Only this server's /v1/ answers are recorded; the pages and
// their files are checked by tests/http/test_pages.c.
//
//   import { recordExchanges } from "./record.mjs";
//   const done = recordExchanges(page, origin);   // before the first goto
//   ...
//   await done();                                  // flushes; call before exit
import fs from "node:fs";
import path from "node:path";

export function recordExchanges(page, origin) {
  const dir = process.env.ITAKU_EXCHANGES_DIR;
  const pending = [];
  const lines = [];
  if (!dir) return async () => {};
  page.on("response", (res) => {
    const url = new URL(res.url());
    if (url.origin !== origin || !url.pathname.startsWith("/v1/")) return;
    pending.push((async () => {
      const req = res.request();
      const headers = await res.allHeaders();
      let body = "";
      try {
        body = (await res.body()).toString("utf8");
      } catch {
        body = "";   // a 204 or 304 has none
      }
      const reqType = (await req.allHeaders())["content-type"];
      const hasBody = req.postDataBuffer() !== null;
      lines.push(JSON.stringify({
        method: req.method(),
        path: url.pathname + url.search,
        ...(hasBody ? { request_content_type: reqType ?? "application/octet-stream" } : {}),
        request_body: hasBody,
        status: res.status(),
        headers,
        body,
      }));
    })());
  });
  return async () => {
    await Promise.allSettled(pending);
    if (!lines.length) return;
    fs.mkdirSync(dir, { recursive: true });
    fs.appendFileSync(path.join(dir, `browser-${process.pid}.jsonl`), lines.join("\n") + "\n");
  };
}
