// Spectral with the OWASP API Security Top 10 (2023) ruleset, over
// openapi/openapi.yaml. tests/run.sh runs it from the repository root:
//
//   (cd openapi/spectral && npm ci)
//   openapi/spectral/node_modules/.bin/spectral lint --fail-severity=warn \
//     --ruleset openapi/spectral/ruleset.mjs openapi/openapi.yaml
//
// Every finding is fixed in the document or justified below: one entry per
// rule and place, with the reason, checked against the server's code. An
// entry turns its rule off only where it says (`where`: JSON pointers into
// the document) or, without `where`, everywhere. Anything not listed fails
// CI, warnings included.
import owasp from "@stoplight/spectral-owasp-ruleset";

const DOC = "../openapi.yaml";   // override paths are relative to this file

// A JSON pointer segment as Spectral writes it: RFC 6901 escapes, then
// URI-encoded braces (path templates).
const esc = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1").replace(/\{/g, "%7B").replace(/\}/g, "%7D");
const op = (path, method) => `/paths/${esc(path)}/${method}`;
const schema = (name, ...rest) => ["/components/schemas", name, ...rest].join("/");
const param = (name) => `/components/parameters/${name}`;
const header = (name) => `/components/headers/${esc(name)}`;

// The operations that take no API key.
const PROBES = [op("/healthz", "get"), op("/readyz", "get"), op("/metrics", "get")];
const DOCUMENT = [op("/openapi.yaml", "get"), op("/openapi.json", "get"), op("/docs", "get")];
// The vendor's pages: HTML, scripts and styles for a person without a key.
const PAGES = [op("/respond", "get"), op("/report", "get"), op("/pages/{asset}", "get")];
const PAGES_REASON =
  "The vendor's pages are static files compiled into the binary, for a vendor's person who has no key: " +
  "they hold no tenant data (the link's token stays in the URL fragment, which browsers never send, and " +
  "the pages' scripts call the token routes), so they answer anyone and never 401 (service/http/pages.c).";
const VENDOR_INTAKE = [
  op("/v1/report/{token}/incidents", "post"),
  op("/v1/report/{token}/incidents/{incident_id}", "get"),
  op("/v1/report/{token}/incidents/{incident_id}/events", "post"),
  op("/v1/report/{token}", "get"),
  op("/v1/report/{token}/incidents", "get"),
];

// The respondent's routes: the assessment link's token is the credential.
const RESPONDENT_PATHS = ["/v1/respond/{token}", "/v1/respond/{token}/answers", "/v1/respond/{token}/files",
  "/v1/respond/{token}/files/{file_id}", "/v1/respond/{token}/submit", "/v1/respond/{token}/findings",
  "/v1/respond/{token}/findings/{finding_id}", "/v1/respond/{token}/findings/{finding_id}/files",
  "/v1/respond/{token}/forwarding"];
const RESPONDENT = [
  op("/v1/respond/{token}", "get"),
  op("/v1/respond/{token}/answers", "put"),
  op("/v1/respond/{token}/files", "post"),
  op("/v1/respond/{token}/files/{file_id}", "delete"),
  op("/v1/respond/{token}/submit", "post"),
  op("/v1/respond/{token}/findings/{finding_id}", "post"),
  op("/v1/respond/{token}/findings/{finding_id}/files", "post"),
  op("/v1/respond/{token}/forwarding", "post"),
  op("/v1/respond/{token}/forwarding", "get"),
  op("/v1/respond/{token}/findings", "get"),
];
const NEGOTIATE_PATHS = ["/v1/negotiate/{token}", "/v1/negotiate/{token}/sessions/{entry_id}/confirmation",
  "/v1/negotiate/{token}/outcomes/{entry_id}/confirmation"];
const NEGOTIATE = [
  op("/v1/negotiate/{token}", "get"),
  op("/v1/negotiate/{token}/sessions/{entry_id}/confirmation", "post"),
  op("/v1/negotiate/{token}/outcomes/{entry_id}/confirmation", "post"),
];
const NEGOTIATE_REASON =
  "No API key by design: the vendor's person reads a cost pass-through negotiation and confirms or " +
  "contests its records without an account, and the negotiation link's token in the path is the " +
  "credential (service/negotiations/links.c, service/http/token_link.c). A malformed or unknown token " +
  "answers 404 and an expired or revoked one 410, never 401.";
const RESPONDENT_REASON =
  "No API key by design: the vendor's person answers an assessment without an account, and the " +
  "respondent link's token in the path is the credential (service/assessments/respond.c). A malformed " +
  "or unknown token answers 404 and an expired, revoked or superseded one 410, never 401.";

const PUBLIC_REASON =
  "No API key by design. /healthz, /readyz and /metrics are for the kubelet and Prometheus, which " +
  "carry no key; they show no tenant data (metric labels are method, route template, status and " +
  "delivery outcome only). " +
  "/openapi.yaml and /openapi.json are this public contract, and /docs renders it for people. The vendor intake routes " +
  "/v1/report/{token}/... are used by a vendor without an account: the token in the path is the " +
  "credential (see no-credentials-in-url), and a malformed, unknown, expired or revoked token, or an " +
  "incident that is not the link's vendor's, answers the same 404, so these routes never answer 401 " +
  "(service/incidents/report_intake.c).";

const justified = [
  {
    rule: "owasp:api2:2023-read-restricted",
    where: PAGES,
    reason: PAGES_REASON,
  },
  {
    rule: "owasp:api8:2023-define-error-responses-401",
    where: PAGES,
    reason: PAGES_REASON + " The other operations all document 401.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [
      `${op("/respond", "get")}/responses/200/content/text~1html/schema`,
      `${op("/report", "get")}/responses/200/content/text~1html/schema`,
      `${op("/pages/{asset}", "get")}/responses/200/content/text~1css/schema`,
      `${op("/pages/{asset}", "get")}/responses/200/content/text~1javascript/schema`,
      header("PageContentSecurityPolicy") + "/schema",
    ],
    reason: "Whole files (HTML, CSS, JavaScript, SVG) described by their media type, not by a pattern; and the pages' Content-Security-Policy, a list of directives.",
  },
  // ---- API2: authentication -------------------------------------------------
  {
    rule: "owasp:api2:2023-read-restricted",
    where: [...PROBES, ...DOCUMENT, VENDOR_INTAKE[1], VENDOR_INTAKE[3], VENDOR_INTAKE[4]],
    reason: PUBLIC_REASON,
  },
  {
    rule: "owasp:api2:2023-read-restricted",
    where: [RESPONDENT[0], RESPONDENT[RESPONDENT.length - 1], RESPONDENT[RESPONDENT.length - 2]],
    reason: RESPONDENT_REASON,
  },
  {
    rule: "owasp:api2:2023-write-restricted",
    where: RESPONDENT.slice(1, -2),
    reason: RESPONDENT_REASON,
  },
  {
    rule: "owasp:api8:2023-define-error-responses-401",
    where: RESPONDENT,
    reason: RESPONDENT_REASON + " The other operations all document 401.",
  },
  {
    rule: "owasp:api2:2023-no-credentials-in-url",
    where: RESPONDENT_PATHS.map((p) => `/paths/${esc(p)}/parameters/0`),
    reason:
      "The respondent link is a capability URL for a vendor's person without an account: `ita_` + 256 " +
      "random bits, shown once in the 201 of POST /v1/assessments/{id}/respondent-links (an idempotent " +
      "replay answers without it), stored only as its SHA-256 (service/assessments/links.c); it expires, " +
      "can be revoked, and is superseded when a new one is issued; each link may make " +
      "ITAKU_RESPOND_LINK_RATE requests a minute (default 60, 429 beyond, counted in the database across " +
      "replicas); it reaches only its own assessment. The access log and metrics carry the route template " +
      "(/v1/respond/{token}), never the path; the audit trail names the link by its 12-character prefix.",
  },
  {
    rule: "owasp:api2:2023-read-restricted",
    where: [NEGOTIATE[0]],
    reason: NEGOTIATE_REASON,
  },
  {
    rule: "owasp:api2:2023-write-restricted",
    where: NEGOTIATE.slice(1),
    reason: NEGOTIATE_REASON,
  },
  {
    rule: "owasp:api8:2023-define-error-responses-401",
    where: NEGOTIATE,
    reason: NEGOTIATE_REASON + " The other operations all document 401.",
  },
  {
    rule: "owasp:api2:2023-no-credentials-in-url",
    where: NEGOTIATE_PATHS.map((p) => `/paths/${esc(p)}/parameters/0`),
    reason:
      "The negotiation link is a capability URL for a vendor's person without an account: `itn_` + 256 " +
      "random bits, shown once in the 201 of POST /v1/negotiations/{id}/vendor-links (an idempotent replay " +
      "answers without it), stored only as its SHA-256; it expires (1-365 days) and can be revoked at once; " +
      "each link may make ITAKU_RESPOND_LINK_RATE requests a minute (429 beyond, counted in the database " +
      "across replicas); it reaches only its own negotiation. The access log and metrics carry the route " +
      "template, never the path; the audit trail names the link by its 12-character prefix.",
  },
  {
    rule: "owasp:api2:2023-write-restricted",
    where: [VENDOR_INTAKE[0], VENDOR_INTAKE[2]],
    reason: PUBLIC_REASON,
  },
  {
    rule: "owasp:api8:2023-define-error-responses-401",
    where: [...PROBES, ...DOCUMENT, ...VENDOR_INTAKE],
    reason: PUBLIC_REASON + " The other operations all document 401.",
  },
  {
    rule: "owasp:api2:2023-no-credentials-in-url",
    where: [param("ReportToken")],
    reason:
      "The vendor report link is a capability URL, made for a vendor who has no account: " +
      "`itr_` + 256 random bits, shown once in the 201 of POST /v1/vendors/{id}/report-links " +
      "(an idempotent replay answers without it) and stored only as its SHA-256 " +
      "(service/incidents/report_links.c); it expires (1-365 days) and can be revoked at once; " +
      "each link may make ITAKU_REPORT_LINK_RATE requests a minute (default 30, 429 beyond, counted " +
      "in the database across replicas); it reaches only its own vendor's filings. itaku never " +
      "logs it: the access log carries the route template (/v1/report/{token}/incidents), not the " +
      "path, and metrics use the same template (service/http/server.c). Only its first 12 " +
      "characters (`prefix`) are shown again, to staff and in the audit trail.",
  },

  // ---- API4: rate limiting ----------------------------------------------------
  {
    rule: "owasp:api4:2023-rate-limit",
    reason:
      "itaku sends no RateLimit or X-RateLimit headers on any response, so documenting them would " +
      "be false. Requests with an API key are not rate-limited by the service: that is the ingress " +
      "or API gateway's job (deploy/OPERATIONS.md, 'In front of itaku'). The service sheds load " +
      "itself with 503 `busy` and Retry-After when no database connection frees up in time, " +
      "documented on every operation that uses the database.",
  },
  {
    rule: "owasp:api4:2023-rate-limit-responses-429",
    reason:
      "Only vendor report links are rate-limited inside itaku, and those operations " +
      "document 429 with Retry-After (components/responses/RateLimited), so the rule passes " +
      "there. No other operation ever answers 429 (the limit for API-key traffic belongs to the " +
      "ingress, deploy/OPERATIONS.md); documenting a 429 the server cannot send would be false, " +
      "and the contract check fails on any status an operation does not document.",
  },

  // ---- API4: sizes of strings and arrays ---------------------------------------
  {
    rule: "owasp:api4:2023-string-limit",
    where: [
      `${op("/metrics", "get")}/responses/200/content/text~1plain/schema`,
      `${op("/openapi.yaml", "get")}/responses/200/content/application~1yaml/schema`,
      `${op("/v1/vendors/export.csv", "get")}/responses/200/content/text~1csv/schema`,
      `${op("/docs", "get")}/responses/200/content/text~1html/schema`,
    ],
    reason:
      "Whole documents, not fields (and /docs, the page that renders this document with the renderer the binary carries): the Prometheus exposition, this OpenAPI document, and the " +
      "vendor export, which streams every matching vendor as CSV by design. Their size follows the " +
      "number of routes or vendors; no fixed maximum exists.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [
      `${op("/metrics", "get")}/responses/200/content/text~1plain/schema`,
      `${op("/openapi.yaml", "get")}/responses/200/content/application~1yaml/schema`,
      `${op("/v1/vendors/export.csv", "get")}/responses/200/content/text~1csv/schema`,
      `${op("/docs", "get")}/responses/200/content/text~1html/schema`,
      `${op("/docs", "get")}/responses/200/headers/Content-Security-Policy/schema`,
      `${op("/v1/questionnaire-templates/{id}/versions/{number}/export.csv", "get")}/responses/200/content/text~1csv/schema`,
      `${op("/v1/questionnaire-templates/{id}/versions/import", "post")}/requestBody/content/text~1csv/schema`,
      `${op("/v1/assessments/{id}/comparison.csv", "get")}/responses/200/content/text~1csv/schema`,
      `${op("/v1/overview/report.csv", "get")}/responses/200/content/text~1csv/schema`,
      `${op("/v1/vendors/{id}/negotiation-records/export.csv", "get")}/responses/200/content/text~1csv/schema`,
    ],
    reason: "Whole documents (Prometheus text, YAML, CSV, the HTML page), described by their media type, not by a pattern; and the page's Content-Security-Policy, a list of directives whose script hash changes with the renderer. A questionnaire sheet's CSV is read cell by cell by the server, which reports each bad row and cell.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [schema("QuestionnaireAnswer")],
    reason:
      "An answer's form depends on the type of the question it answers (a scale word, a choice code, free text, a date); " +
      "the server checks each against its question and names the bad ones, which one schema cannot express.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [param("VendorDepartment"), param("VendorTag"), param("VendorSearch"), param("VendorExternalRef")],
    reason:
      "Free-text filters on vendors: any text of 1 to N bytes is read (service/http/query.c " +
      "query_text) and compared with stored text, so no character is refused; the length cap is " +
      "the schema's maxLength, restated in bytes in the description.",
  },
  {
    rule: "owasp:api4:2023-string-limit",
    where: [param("AuditResourceType"), param("AuditResourceId"), param("AuditAction")],
    reason:
      "Exact-match filters of the audit trail that the server does not validate (service/audit.c " +
      "passes them to an equality test): any value is accepted and a value no event has gives an " +
      "empty page. The server has no length limit to document other than the HTTP request line.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [param("AuditResourceType"), param("AuditResourceId"), param("AuditAction")],
    reason: "Any text is accepted (see string-limit on the same parameters); a pattern would refuse values the server takes.",
  },
  {
    rule: "owasp:api4:2023-string-limit",
    where: [`${param("IfMatch")}/schema`, `${header("Access-Control-Allow-Origin")}/schema`, `${header("Link")}/schema`],
    reason:
      "If-Match: any value is read; tags that are not ours match nothing and the answer is 412, " +
      "never 400 (service/http/etag.c), so there is no limit to state. Access-Control-Allow-Origin " +
      "echoes the request's Origin, any value when ITAKU_CORS_ORIGINS is `*`. Link repeats the " +
      "request's own query string (plus the cursor, at most 2048), which the request line bounds, " +
      "not the server.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [`${param("IfMatch")}/schema`, `${header("Access-Control-Allow-Origin")}/schema`],
    reason:
      "If-Match takes any value (foreign tags simply do not match: 412). Access-Control-Allow-Origin " +
      "is the request's Origin echoed back, which is whatever the browser sent when " +
      "ITAKU_CORS_ORIGINS is `*`.",
  },
  {
    rule: "owasp:api4:2023-string-limit",
    where: [schema("Problem", "properties/errors/items/properties/parameter")],
    reason:
      "parameter names the query parameter or header at fault, and an unknown query " +
      "parameter is named as sent, whatever its length (service/http/params.c), so a client learns " +
      "which one it was.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [
      schema("Problem", "properties/title"),
      schema("Problem", "properties/detail"),
      schema("Problem", "properties/errors/items/properties/parameter"),
      schema("Problem", "properties/errors/items/properties/message"),
    ],
    reason:
      "Prose for people written by the server from its catalogue (service/i18n), in English or " +
      "Japanese (detail and message under 1,024 bytes: the buffers of service/http/problem.c), " +
      "which may quote what the request sent (a method, an item number, a parameter's name as " +
      "sent). The machine-readable parts are `type` (an enum) and `code` (a pattern).",
  },
  {
    rule: "owasp:api4:2023-string-limit",
    where: [schema("RiskReason", "properties/message"), schema("Measure", "properties/title")],
    reason:
      "Server-authored text: a risk reason's sentence quotes the engagement's title and a " +
      "subcontractor's name (each at most 200) from a fixed set of sentences in SQL (vendor_risk, " +
      "migration 0004) and is being localised (issue 14 item 6); a measure's title is the NISC " +
      "handbook's wording from the fixed table of migration 0002. Neither is input; `code` is the " +
      "machine-readable part.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [schema("RiskReason", "properties/message"), schema("Measure", "properties/title")],
    reason: "Server-authored sentences for people (see string-limit on the same fields); `code` is the enum.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: ["name", "furigana", "address", "post_code"].map((p) => schema("Vendor", "allOf/1/properties/official/properties", p)),
    reason:
      "Copied from the National Tax Agency's corporate number register by the operator's import " +
      "(service/register/corpmaster.c), which checks the codes, numbers and dates (restricted " +
      "here by pattern or format) but takes the name, furigana, address parts and post code as the " +
      "register spells them: valid UTF-8 (the name at most 300 characters) in a row under 16 KiB, " +
      "hence the maxLength.",
  },
  {
    rule: "owasp:api4:2023-string-restricted",
    where: [schema("WebhookAttempt", "properties/error"), schema("WebhookDelivery", "properties/last_error")],
    reason:
      "What went wrong on a delivery attempt: libcurl's error text or 'the receiver answered N' " +
      "(service/webhooks/send.c); words of the transport, not input, and not ours to restrict.",
  },
  {
    rule: "owasp:api4:2023-array-limit",
    where: [schema("Problem", "properties/errors")],
    reason:
      "One entry per problem found in the request, so that a client hears about all of them at " +
      "once; the number follows the request (every unknown member or parameter is named), which " +
      "ITAKU_MAX_BODY_BYTES and the request line bound, not a fixed count.",
  },
  {
    rule: "owasp:api4:2023-array-limit",
    where: [schema("ChainNode", "properties/children")],
    reason:
      "The links directly below one node of a chain. The tree's depth is bounded (`depth` at most " +
      "10), but how many subcontractors one vendor engages is not: one open link per vendor under " +
      "a parent, and the register has no cap on vendors.",
  },
  {
    rule: "owasp:api4:2023-array-limit",
    where: [schema("WebhookDelivery", "properties/attempt_log")],
    reason:
      "One entry per attempt. The schedule (ITAKU_WEBHOOK_SCHEDULE, at most 16 retries) ends a " +
      "delivery after its last retry, but an attempt that outlives its lease is followed by another " +
      "and both are recorded (service/webhooks/dispatcher.c), so there is no fixed maximum.",
  },
  {
    rule: "owasp:api4:2023-array-limit",
    where: [`${op("/v1/report/{token}/incidents/{incident_id}", "get")}/responses/200/content/application~1json/schema/properties/events`],
    reason:
      "The timeline entries of one incident that concern the vendor (its filing, status changes, " +
      "its own updates), not paged: they grow with the incident's life, each vendor update within " +
      "the link's rate limit, with no fixed count.",
  },
  {
    rule: "owasp:api4:2023-array-limit",
    where: [schema("IncidentUpdatedEvent", "allOf/1/properties/data/properties/changed")],
    reason:
      "Names of the incident's stored columns that changed (a webhook payload, sent by itaku): " +
      "bounded by the columns of the incidents table, which migrations change, not by a number " +
      "worth freezing here. Each item is bounded (a column name, at most 63 characters).",
  },

  // ---- API8: transport ----------------------------------------------------------
  {
    rule: "owasp:api8:2023-no-server-http",
    where: ["/servers/0/url"],
    reason:
      "The one server listed is the local run on the loopback interface (deploy/run-local.sh). " +
      "itaku itself speaks plain HTTP and has no TLS of its own; TLS ends at the ingress or load " +
      "balancer in front of it (deploy/OPERATIONS.md, 'In front of itaku'), whose address is the " +
      "deployment's, not the contract's.",
  },
];

for (const j of justified) {
  if (!j.reason || !owasp.rules[j.rule]) throw new Error(`ruleset.mjs: bad justification for ${j.rule}`);
}

export default {
  extends: [owasp],
  rules: Object.fromEntries(justified.filter((j) => !j.where).map((j) => [j.rule, "off"])),
  overrides: justified
    .filter((j) => j.where)
    .map((j) => ({ files: j.where.map((p) => `${DOC}#${p}`), rules: { [j.rule]: "off" } })),
};
