// Checks every HTTP exchange the test suites recorded (tests/support/harness.c
// writes them as JSON lines under ITAKU_EXCHANGES_DIR) against the OpenAPI
// document (contract.mjs). Exits 1 on any mismatch; prints coverage either
// way.
//
//   node tests/contract/check.mjs openapi/openapi.yaml build/exchanges
import fs from 'node:fs';
import path from 'node:path';
import { loadContract, report } from './contract.mjs';

const [specPath, dir] = process.argv.slice(2);
if (!specPath || !dir) {
  console.error('usage: check.mjs SPEC EXCHANGES_DIR');
  process.exit(2);
}
const c = loadContract(specPath);
let files = [];
try {
  files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
} catch {
  console.error(`no exchanges under ${dir}`);
  process.exit(1);
}
for (const f of files) {
  for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
    if (line) c.checkExchange(JSON.parse(line));
  }
}
process.exit(report(c, 'contract') ? 1 : 0);
