// Property-based requests generated from the OpenAPI document (fast-check)
// against a running server. For every operation it builds requests from the
// document's own schemas (path, query and body), valid ones and ones broken
// on purpose, and asserts for each answer:
//   - no 5xx, and an answer within 10 s (no hang);
//   - the answer matches the document (contract.mjs: status documented,
//     content type, body schema, required headers);
//   - input broken on purpose gets a 4xx.
// The run is reproducible: a fixed seed (FUZZ_SEED, default 20261201) and a
// bounded number of runs (FUZZ_RUNS, default 1500); on failure fast-check
// prints the seed and the path of the smallest failing case. FUZZ_RECORD
// names a file to append every exchange to (see check.mjs).
//
//   node tests/contract/fuzz.mjs SPEC BASE_URL ADMIN_KEY
import fs from 'node:fs';
import fc from 'fast-check';
import { loadContract, report } from './contract.mjs';

const [specPath, base, key] = process.argv.slice(2);
if (!specPath || !base || !key) {
  console.error('usage: fuzz.mjs SPEC BASE_URL ADMIN_KEY');
  process.exit(2);
}
const seed = Number(process.env.FUZZ_SEED || 20261201);
const numRuns = Number(process.env.FUZZ_RUNS || 1500);
const c = loadContract(specPath);
const spec = c.spec;

// ---- a few real resources, so that generated requests also reach rows ----

async function call(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`set-up ${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const vendor = await call('POST', '/v1/vendors', { name: '試験用株式会社', status: 'active' });
const child = await call('POST', '/v1/vendors', { name: '再委託先株式会社', status: 'active' });
const engagement = await call('POST', `/v1/vendors/${vendor.id}/engagements`, {
  title: '給与計算', contract_type: 'inin', category: 'data_processing', handles_personal_data: true,
  confidentiality: 2, subcontracting: 'prior_approval', subcontract_max_depth: 2,
});
const incident = await call('POST', '/v1/incidents', {
  vendor_id: vendor.id, title: '誤送信', category: 'leak', severity: 'medium',
  detected_at: new Date(Date.now() - 3600e3).toISOString(),
});
const viewer = (await call('POST', '/v1/api-keys', { name: 'fuzz viewer', role: 'viewer' })).key;
const ids = {
  vendor: vendor.id, child: child.id, engagement: engagement.id, incident: incident.id,
};
const realIds = Object.values(ids);

// ---- JSON Schema (the document's subset) to fast-check arbitraries ----

function resolve(schema) {
  let s = schema;
  for (let i = 0; s && s.$ref && i < 20; i++) {
    s = s.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, k) => (o ? o[k] : undefined), spec);
  }
  return s || {};
}

// allOf branches merged into one object schema (properties, required).
function flatten(schema) {
  const s = resolve(schema);
  if (!s.allOf) return s;
  const out = { ...s, properties: { ...(s.properties || {}) }, required: [...(s.required || [])] };
  delete out.allOf;
  for (const b of s.allOf) {
    const f = flatten(b);
    if (f.type && !out.type) out.type = f.type;
    Object.assign(out.properties, f.properties || {});
    out.required.push(...(f.required || []));
  }
  return out;
}

const anyString = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('委託先', 'ｶﾀｶﾅ', '', ' ', '\u0000x'));

function arb(schema, depth = 0) {
  const s = flatten(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.oneOf || s.anyOf) return fc.oneof(...(s.oneOf || s.anyOf).map((b) => arb(b, depth + 1)));
  let types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string'];
  if (depth > 4) types = types.filter((t) => t !== 'object' && t !== 'array').concat(['null']).slice(0, 1);
  return fc.oneof(...types.map((t) => typed(t, s, depth)));
}

function typed(t, s, depth) {
  switch (t) {
    case 'null': return fc.constant(null);
    case 'boolean': return fc.boolean();
    case 'integer': return fc.integer({ min: s.minimum ?? -5, max: s.maximum ?? Math.max(1000, (s.minimum ?? 0) + 10) });
    case 'number': return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case 'array': {
      const items = s.items ? arb(s.items, depth + 1) : fc.string();
      return fc.array(items, { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) })
        .map((a) => (s.uniqueItems ? [...new Map(a.map((x) => [JSON.stringify(x), x])).values()] : a));
    }
    case 'object': {
      const props = s.properties || {};
      const required = new Set(s.required || []);
      const rec = {};
      for (const [name, p] of Object.entries(props)) rec[name] = arb(p, depth + 1);
      const keys = Object.keys(rec);
      return fc.record(rec, { requiredKeys: keys.filter((k) => required.has(k)) });
    }
    default: return stringArb(s);
  }
}

function stringArb(s) {
  if (s.format === 'uuid') return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...realIds) }, { weight: 1, arbitrary: fc.uuid() });
  if (s.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'date-time') return fc.date({ min: new Date('2024-01-01'), max: new Date(), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === 'email') return fc.emailAddress();
  if (s.format === 'uri') return fc.constantFrom('https://hooks.example.com/itaku', 'http://127.0.0.1:9/x');
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 10000));
    } catch { /* a pattern JavaScript cannot read: plain strings */ }
  }
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, 40);
  return fc.string({ minLength: Math.min(min, max), maxLength: max });
}

// ---- breaking an input on purpose ----

// A broken body: each one must answer 4xx whatever else is in it.
function brokenBody(schema) {
  const s = flatten(schema);
  const props = Object.keys(s.properties || {});
  const required = s.required || [];
  const options = [
    fc.constant({ raw: '{"unterminated": ' }),                       // not JSON
    fc.constant({ raw: '[1, 2, 3]' }),                                // not an object
    fc.constant({ raw: '"just a string"' }),
    arb(schema).map((v) => ({ json: { ...(typeof v === 'object' && v ? v : {}), zz_unknown_member: 1 } })),
  ];
  if (required.length) {
    options.push(fc.tuple(arb(schema), fc.constantFrom(...required)).map(([v, drop]) => {
      const o = { ...(typeof v === 'object' && v ? v : {}) };
      delete o[drop];
      return { json: o };
    }));
  }
  const typedProps = props.filter((p) => {
    const ps = flatten(s.properties[p]);
    const ts = Array.isArray(ps.type) ? ps.type : [ps.type];
    return ps.type && !ts.includes('string') && !ts.includes('null');
  });
  if (typedProps.length) {
    options.push(fc.tuple(arb(schema), fc.constantFrom(...typedProps)).map(([v, p]) => ({
      json: { ...(typeof v === 'object' && v ? v : {}), [p]: 'not-the-right-type' },
    })));
  }
  return fc.oneof(...options);
}

// ---- operations ----

const ops = [];
for (const [tpl, item] of Object.entries(spec.paths)) {
  for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
    const op = item[method];
    if (!op) continue;
    const params = [...(item.parameters || []), ...(op.parameters || [])].map((p) => resolve(p));
    const media = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
    ops.push({ tpl, method, op, params, bodySchema: media && media.schema, bodyRequired: !!(op.requestBody && op.requestBody.required) });
  }
}

function pathArb(o) {
  const names = [...o.tpl.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const rec = {};
  for (const n of names) {
    const p = o.params.find((x) => x.in === 'path' && x.name === n) || {};
    rec[n] = fc.oneof(
      { weight: 4, arbitrary: stringArb(resolve(p.schema || {})) },
      { weight: 1, arbitrary: fc.constantFrom('not-an-id', '%E5%A7%94', '..', 'x'.repeat(600)) },
    );
  }
  return fc.record(rec).map((values) => o.tpl.replace(/\{([^}]+)\}/g, (_, n) => {
    const v = String(values[n]);
    return /^%|^\.\.$/.test(v) ? v : encodeURIComponent(v);
  }));
}

function queryArb(o) {
  const q = o.params.filter((p) => p.in === 'query');
  const rec = {};
  for (const p of q) rec[p.name] = arb(p.schema || {}).map((v) => (v === null ? '' : Array.isArray(v) ? v.join(',') : String(v)));
  const oneIn = (n) => fc.integer({ min: 1, max: n }).map((x) => x === 1);
  return fc.tuple(fc.record(rec, { requiredKeys: [] }), oneIn(10), oneIn(6)).map(([vals, typo, cursor]) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(vals)) u.set(k, v);
    if (typo) u.set('zz_typo', '1');                      // an unknown parameter: must be 400
    if (cursor && q.some((p) => p.name === 'cursor')) u.set('cursor', 'bm90LWEtY3Vyc29y');
    return { qs: u.toString(), broken: typo };
  });
}

// An operation is named by "METHOD template" in the request, so that a
// failing case prints short; ops holds the rest.
const byName = new Map(ops.map((o) => [`${o.method.toUpperCase()} ${o.tpl}`, o]));
const requestArb = fc.constantFrom(...byName.keys()).chain((name) => { const o = byName.get(name); return fc.record({
  op: fc.constant(name),
  path: pathArb(o),
  query: queryArb(o),
  auth: fc.constantFrom('key', 'key', 'key', 'key', 'key', 'key', 'key', 'viewer', 'none', 'wrong'),
  // A stale If-Match, a body in another media type or over the cap.
  ifMatch: fc.integer({ min: 1, max: 12 }).map((x) => x === 1),
  envelope: fc.constantFrom('json', 'json', 'json', 'json', 'json', 'json', 'json', 'json', 'text', 'huge'),
  body: o.bodySchema
    ? fc.oneof({ weight: 3, arbitrary: arb(o.bodySchema).map((v) => ({ json: v, broken: false })) },
      { weight: 1, arbitrary: brokenBody(o.bodySchema).map((b) => ({ ...b, broken: true })) })
    : fc.constant(null),
}); });

let sent = 0;
const statuses = new Map();

async function send(r) {
  const o = byName.get(r.op);
  const headers = {};
  if (r.auth === 'key') headers.authorization = `Bearer ${key}`;
  if (r.auth === 'wrong') headers.authorization = 'Bearer itk_' + 'A'.repeat(43);
  if (r.auth === 'viewer') headers.authorization = `Bearer ${viewer}`;
  if (r.ifMatch) headers['if-match'] = '"999999"';
  let body;
  if (r.body) {
    headers['content-type'] = r.envelope === 'text' ? 'text/plain' : 'application/json';
    body = r.body.raw !== undefined ? r.body.raw : JSON.stringify(r.body.json);
    if (r.envelope === 'huge') body = JSON.stringify({ padding: 'x'.repeat(70000) });
  }
  const path = r.path + (r.query.qs ? '?' + r.query.qs : '');
  const res = await fetch(base + path, {
    method: o.method.toUpperCase(), headers, body, signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  sent++;
  statuses.set(res.status, (statuses.get(res.status) || 0) + 1);
  const h = {};
  res.headers.forEach((v, k) => { h[k] = v; });
  const ex = { method: o.method.toUpperCase(), path, status: res.status, headers: h, body: text };
  // With FUZZ_RECORD, the exchanges join the suites' for check.mjs's coverage.
  if (process.env.FUZZ_RECORD) fs.appendFileSync(process.env.FUZZ_RECORD, JSON.stringify(ex) + '\n');
  return ex;
}

const property = fc.asyncProperty(requestArb, async (r) => {
  const ex = await send(r);
  const where = `${ex.method} ${ex.path} -> ${ex.status} ${ex.body.slice(0, 300)}`;
  if (ex.status >= 500) throw new Error(`5xx: ${where}`);
  const o = byName.get(r.op);
  const isPublic = Array.isArray(o.op.security) && o.op.security.length === 0;
  const writes = ['write', 'admin', 'sync'].includes(o.op['x-permission']);
  const broken = r.query.broken || (r.body && (r.body.broken || r.envelope !== 'json')) ||
    (r.auth !== 'key' && !isPublic && !(r.auth === 'viewer' && !writes));
  if (broken && (ex.status < 400 || ex.status >= 500)) throw new Error(`broken input accepted: ${where}`);
  const mismatches = c.checkExchange(ex);
  if (mismatches.length) throw new Error(`contract: ${mismatches.join('; ')} (${where})`);
});

try {
  await fc.assert(property, { seed, numRuns, verbose: 1, interruptAfterTimeLimit: 15 * 60e3 });
} catch (e) {
  console.error(`fuzz: FAILED with seed ${seed} (FUZZ_SEED=${seed} FUZZ_RUNS=${numRuns} reproduces it)`);
  // The cause first (what the server did), then fast-check's account.
  if (e.cause) console.error(String(e.cause.message || e.cause).slice(0, 2000));
  console.error(String(e.message || e).split('\nEncountered failures')[0].slice(0, 3000));
  report(c, 'fuzz');
  process.exit(1);
}
report(c, 'fuzz');
console.log(`fuzz: ${sent} requests over ${ops.length} operations, seed ${seed}; statuses ${[...statuses].sort().map(([s, n]) => `${s}:${n}`).join(' ')}`);
