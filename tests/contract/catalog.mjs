// Every text people read is in the one catalogue (service/i18n): scans the
// C sources for the messages they write (problem details, field and
// parameter messages, row errors) and the migrations for the rules they
// raise and the risk reasons they build, and fails on any that the
// catalogue does not list word for word.
//
//   node tests/contract/catalog.mjs            (from the repository root)
import fs from 'node:fs';
import path from 'node:path';

function walk(dir, ext, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, ext, out);
    else if (p.endsWith(ext)) out.push(p);
  }
  return out;
}

const unC = (s) => s.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
// Adjacent C string literals are one literal.
const joinLiterals = (s) => s.replace(/"\s*\n\s*"/g, '');

// The catalogue: C("code", "en", "ja") / P("code", "en", "ja").
const entries = { c: new Set(), p: new Set() };
for (const f of ['service/i18n/messages.c', 'service/i18n/messages_db.c']) {
  const src = joinLiterals(fs.readFileSync(f, 'utf8'));
  for (const m of src.matchAll(/\b([CP])\("((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"\)/g)) {
    entries[m[1] === 'C' ? 'c' : 'p'].add(unC(m[3]));
  }
}

const missing = [];
const calls = /\b(req_fail|problem_set|problem_add_pointer|problem_add_parameter|row_error|unauthorized|check_confirmed)\s*\(/g;
for (const f of walk('service', '.c')) {
  if (f.startsWith(path.join('service', 'i18n'))) continue;
  const src = joinLiterals(fs.readFileSync(f, 'utf8'));
  for (const m of src.matchAll(calls)) {
    // The call's arguments, up to the matching parenthesis.
    let i = m.index + m[0].length, depth = 1, inStr = false;
    const start = i;
    for (; i < src.length && depth > 0; i++) {
      const c = src[i];
      if (inStr) {
        if (c === '\\') i++;
        else if (c === '"') inStr = false;
      } else if (c === '"') inStr = true;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    }
    // Split the arguments at top-level commas; the format is at a fixed
    // position for each function.
    const args = [];
    let cur = '', d = 0, q = false;
    for (let k = start; k < i - 1; k++) {
      const ch = src[k];
      if (q) {
        cur += ch;
        if (ch === '\\') cur += src[++k];
        else if (ch === '"') q = false;
        continue;
      }
      if (ch === '"') q = true;
      if (ch === '(') d++;
      if (ch === ')') d--;
      if (ch === ',' && d === 0) {
        args.push(cur.trim());
        cur = '';
      } else cur += ch;
    }
    args.push(cur.trim());
    const at = { req_fail: 3, problem_set: 4, problem_add_pointer: 2, problem_add_parameter: 2,
      row_error: 2, unauthorized: 1, check_confirmed: 2 }[m[1]];
    const lit = /^"((?:[^"\\]|\\.)*)"$/.exec(args[at] || '');
    if (!lit) continue;   // a variable: its text is checked where it is written
    const msg = unC(lit[1]);
    if (msg === '%s') continue;   // passes on a text that is catalogued where it is written
    if (!entries.c.has(msg)) missing.push(`${f}: "${msg}"`);
  }
  // Texts formatted into an error buffer for the caller to pass on.
  for (const m of src.matchAll(/snprintf\(err, errlen, "((?:[^"\\]|\\.)*)"/g)) {
    const msg = unC(m[1]);
    if (f.includes('webhooks') && !entries.c.has(msg)) missing.push(`${f}: "${msg}"`);
  }
}
for (const f of walk('sql', '.sql')) {
  const src = fs.readFileSync(f, 'utf8');
  for (const m of src.matchAll(/raise exception '((?:[^']|'')*)'/g)) {
    const msg = m[1].replace(/''/g, "'");
    // Listed as a rule, or (the same words with its bare % as %s) as a
    // text the C code writes too.
    if (!entries.p.has(msg) && !entries.c.has(msg.replace(/%/g, '%s'))) missing.push(`${f}: raise '${msg}'`);
  }
  for (const m of src.matchAll(/'message', (?:format\()?'((?:[^']|'')*)'/g)) {
    const msg = m[1].replace(/''/g, "'");
    if (!entries.c.has(msg)) missing.push(`${f}: message '${msg}'`);
  }
}
const unique = [...new Set(missing)];
if (unique.length) {
  console.log(`catalogue: ${unique.length} texts are not in service/i18n/messages*.c:`);
  for (const x of unique) console.log('  ' + x);
  process.exit(1);
}
console.log(`catalogue: every message in service/ and sql/ is catalogued (${entries.c.size + entries.p.size} entries)`);
