// The OpenAPI document as a checker of HTTP exchanges: the operation
// exists, the status is documented for it, the content type is one it
// documents, the body validates against its schema (JSON Schema 2020-12,
// with formats), and the headers it marks required are present. Used by
// check.mjs (over the exchanges the test suites recorded) and fuzz.mjs
// (over generated requests).
import fs from 'node:fs';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export function loadContract(specPath) {
  const spec = YAML.parse(fs.readFileSync(specPath, 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(spec, 'spec');

  function pointer(parts) {
    return '#/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  }

  // Follows a local $ref (responses, headers, parameters); returns [object, pointer parts].
  function deref(obj, parts) {
    while (obj && obj.$ref) {
      const ref = obj.$ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      parts = ref;
      obj = ref.reduce((o, k) => (o ? o[k] : undefined), spec);
    }
    return [obj, parts];
  }

  // Path templates, most literal segments first so that /v1/vendors/export.csv
  // wins over /v1/vendors/{id}.
  const templates = Object.keys(spec.paths).map((t) => ({
    t,
    segs: t.split('/'),
    literal: t.split('/').filter((s) => !s.startsWith('{')).length,
  })).sort((a, b) => b.literal - a.literal);

  function findPath(p) {
    const segs = p.split('/');
    for (const tpl of templates) {
      if (tpl.segs.length !== segs.length) continue;
      if (tpl.segs.every((s, i) => s.startsWith('{') || s === segs[i])) return tpl.t;
    }
    return null;
  }

  const validators = new Map();
  function validator(parts) {
    const key = pointer(parts);
    if (!validators.has(key)) validators.set(key, ajv.getSchema('spec' + key));
    return validators.get(key);
  }

  const problemSchema = ['components', 'schemas', 'Problem'];
  const problems = [];
  const coverage = new Map();   // "METHOD template" -> Set of statuses
  let checked = 0;

  let currentKey = '';
  function fail(ex, what) {
    problems.push({ key: `${currentKey || ex.method + ' ' + ex.path} -> ${ex.status}: ${what}`, path: ex.path });
  }

  // Texts people read come from the catalogue (service/i18n): a problem's
  // detail and every field message carry its code.
  function checkCatalogued(ex, value) {
    if (!value || typeof value !== 'object') return;
    if (value.detail !== undefined && !value.code) fail(ex, `detail not in the catalogue: "${value.detail}"`);
    for (const e of value.errors || []) {
      if (!e.code || e.code === 'uncatalogued') fail(ex, `field message not in the catalogue: "${e.message}"`);
    }
  }

  function checkBody(ex, content, contentParts) {
    const ct = (ex.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    if (!content) {
      if (ex.body && ex.body.length && ex.method !== 'HEAD') fail(ex, `a body is sent but none is documented (${ct})`);
      return;
    }
    if (ex.method === 'HEAD') return;
    const media = Object.keys(content).find((m) => m.toLowerCase() === ct);
    if (!media) {
      fail(ex, `content type ${ct || '(none)'} is not documented (${Object.keys(content).join(', ')})`);
      return;
    }
    const schema = content[media].schema;
    if (!schema) return;
    let value = ex.body;
    if (/json$/.test(media)) {
      try {
        value = JSON.parse(ex.body);
      } catch {
        fail(ex, 'the body is not JSON');
        return;
      }
    }
    if (media === 'application/problem+json') checkCatalogued(ex, value);
    const v = validator([...contentParts, media, 'schema']);
    if (!v) {
      fail(ex, `no schema compiles at ${pointer([...contentParts, media, 'schema'])}`);
      return;
    }
    if (!v(value)) {
      const errs = v.errors.slice(0, 4).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && e.params.additionalProperty ? ' (' + e.params.additionalProperty + ')' : ''}${e.params && e.params.unevaluatedProperty ? ' (' + e.params.unevaluatedProperty + ')' : ''}`);
      fail(ex, `body does not match its schema: ${errs.join('; ')}`);
    }
  }

  // Checks one exchange; returns the mismatches it found (also kept in
  // `problems`).
  function checkExchange(ex) {
    const before = problems.length;
    check(ex);
    return problems.slice(before).map((p) => p.key);
  }

  function check(ex) {
    checked++;
    currentKey = '';
    if (ex.binary) {
      fail(ex, 'the body is not UTF-8');
      return;
    }
    const url = new URL(ex.path, 'http://x');
    const tpl = findPath(url.pathname);
    const method = ex.method.toLowerCase() === 'head' ? 'get' : ex.method.toLowerCase();
    const op = tpl && spec.paths[tpl][method];
    if (!op) {
      // No such operation: the answer must be a documented kind of refusal.
      if (ex.method === 'OPTIONS') return;
      // A 405 answers for the path: it counts for each of its operations.
      if (ex.status === 405 && tpl) {
        for (const m of ['get', 'put', 'post', 'delete', 'patch']) {
          if (!spec.paths[tpl][m]) continue;
          const k = `${m.toUpperCase()} ${tpl}`;
          if (!coverage.has(k)) coverage.set(k, new Set());
          coverage.get(k).add(405);
        }
      }
      if ([404, 405].includes(ex.status)) {
        const v = validator(problemSchema);
        let body;
        try { body = JSON.parse(ex.body); } catch { body = null; }
        if (!body || !v(body)) fail(ex, 'the refusal is not a problem document');
        if ((ex.headers['content-type'] || '').split(';')[0] !== 'application/problem+json') fail(ex, 'the refusal is not application/problem+json');
        return;
      }
      fail(ex, 'no operation in the document matches');
      return;
    }
    const key = `${method.toUpperCase()} ${tpl}`;
    currentKey = key;
    if (!coverage.has(key)) coverage.set(key, new Set());
    coverage.get(key).add(ex.status);
    const codes = op.responses || {};
    const code = String(ex.status);
    const wild = `${code[0]}XX`;
    const chosen = code in codes ? code : wild in codes ? wild : 'default' in codes ? 'default' : null;
    if (!chosen) {
      fail(ex, `status ${code} is not documented for ${key} (${Object.keys(codes).join(', ')})`);
      return;
    }
    const opParts = ['paths', tpl, method, 'responses', chosen];
    const [resp, respParts] = deref(codes[chosen], opParts);
    if (!resp) {
      fail(ex, `response ${chosen} does not resolve`);
      return;
    }
    for (const [name, h] of Object.entries(resp.headers || {})) {
      const [hdr] = deref(h, []);
      if (hdr && hdr.required && !(name.toLowerCase() in ex.headers)) fail(ex, `required header ${name} is missing`);
    }
    checkBody(ex, resp.content, [...respParts, 'content']);
  }


  return { spec, ajv, findPath, deref, validator, checkExchange, problems, coverage, checked: () => checked };
}

// Prints coverage and mismatches; returns true when there were mismatches.
export function report(c, label) {
  const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
  // Coverage: operations never answered 2xx, and documented 4xx never seen.
  const never2xx = [];
  const missing4xx = [];
  let ops = 0;
  for (const [tpl, item] of Object.entries(c.spec.paths)) {
    for (const m of METHODS) {
      if (!item[m]) continue;
      ops++;
      const seen = c.coverage.get(`${m.toUpperCase()} ${tpl}`) || new Set();
      if (![...seen].some((s) => s >= 200 && s < 300)) never2xx.push(`${m.toUpperCase()} ${tpl}`);
      const documented = Object.keys(item[m].responses || {}).filter((c) => /^4\d\d$/.test(c)).map(Number);
      const unseen = documented.filter((c) => !seen.has(c));
      if (unseen.length) missing4xx.push(`${m.toUpperCase()} ${tpl}: ${unseen.join(', ')}`);
    }
  }

  console.log(`${label}: ${c.checked()} exchanges checked over ${ops} operations; ${c.problems.length} mismatches`);
  if (never2xx.length) console.log(`operations never answered 2xx (${never2xx.length}):\n  ${never2xx.join('\n  ')}`);
  if (process.env.CONTRACT_VERBOSE) console.log(`documented 4xx not exercised (${missing4xx.length}):\n  ${missing4xx.join('\n  ')}`);
  else console.log(`operations with a documented 4xx not exercised: ${missing4xx.length} (CONTRACT_VERBOSE=1 lists them)`);
  if (c.problems.length) {
    // One line per kind of mismatch (operation, status, message), with how
    // often it happened and one path where it did.
    const kinds = new Map();
    for (const p of c.problems) {
      const k = kinds.get(p.key) || { n: 0, path: p.path };
      k.n++;
      kinds.set(p.key, k);
    }
    console.log(`mismatches by kind (${kinds.size}):`);
    for (const [k, v] of kinds) console.log(`  ${v.n}x ${k}\n      e.g. ${v.path}`);
    return true;
  }
  return false;

}
