// What a front end or an ERP integration writes with a client generated
// from openapi/openapi.yaml (openapi-typescript for the types, openapi-fetch
// for the calls): register a vendor, add an engagement under it, file an
// incident there, read each back, and handle problem+json errors. run.sh
// generates ./generated/itaku.ts, type-checks this file against it (strict)
// and runs it against a real server, so a change to the document that
// breaks a generated client fails CI.
//
// Everything the server answers is checked, not just printed; the program
// exits non-zero on the first surprise.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/itaku.js";

type Problem = components["schemas"]["Problem"];
// The body of an operation, named by the operation rather than by the
// schema behind it, which the document may rename.
type VendorCreate = paths["/v1/vendors"]["post"]["requestBody"]["content"]["application/json"];

const baseUrl = process.env.ITAKU_URL;
const key = process.env.ITAKU_KEY;
if (!baseUrl || !key) throw new Error("ITAKU_URL and ITAKU_KEY must be set (run.sh sets them)");

const itaku = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });

function check(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Error(`unexpected: ${what}`);
}

// A member the server always sends, whether or not the document marks it
// required yet.
function present<T>(value: T | null | undefined, what: string): T {
  check(value !== undefined && value !== null, `${what} is missing`);
  return value;
}

// Turns an error answer into a message for a person: every error is
// problem+json with a stable `type`, and field problems point at the member.
function describe(problem: Problem): string {
  const fields = (problem.errors ?? []).map((e) => `${e.pointer ?? e.parameter ?? "?"}: ${e.message}`);
  return `${problem.status} ${problem.type}: ${problem.detail}${fields.length ? ` (${fields.join("; ")})` : ""}`;
}

function isProblem(response: Response): boolean {
  return response.headers.get("Content-Type")?.startsWith("application/problem+json") ?? false;
}

// 1. A vendor, safe to retry thanks to the Idempotency-Key.
const idempotencyKey = `example-vendor-${Date.now()}`;
const vendorBody: VendorCreate = {
  name: "株式会社サンプル情報処理",
  name_kana: "サンプルジョウホウショリ",
  entity_type: "corporation",
  country: "JP",
  status: "active",
  department: "情報システム部",
  tags: ["example"],
};
const created = await itaku.POST("/v1/vendors", {
  params: { header: { "Idempotency-Key": idempotencyKey } },
  body: vendorBody,
});
if (created.error) throw new Error(`creating the vendor: ${describe(created.error)}`);
check(created.response.status === 201, `vendor create answered ${created.response.status}`);
const vendorId = present(created.data.id, "vendor id");
check(created.response.headers.get("Location") === `/v1/vendors/${vendorId}`, "Location of the vendor");

const replay = await itaku.POST("/v1/vendors", {
  params: { header: { "Idempotency-Key": idempotencyKey } },
  body: vendorBody,
});
check(replay.data?.id === vendorId, "the retried create returned the same vendor");
check(replay.response.headers.get("Idempotent-Replayed") === "true", "the retry was a replay");

const vendor = await itaku.GET("/v1/vendors/{id}", { params: { path: { id: vendorId } } });
if (vendor.error) throw new Error(`reading the vendor: ${describe(vendor.error)}`);
check(vendor.data.name === vendorBody.name, "vendor name read back");
check(vendor.data.department === vendorBody.department, "vendor department read back");
check(vendor.data.status === "active", "vendor status read back");
const tier: "high" | "medium" | "low" | undefined = vendor.data.risk.tier;

// 2. An engagement: personal data, confidentiality 3, processed off-site.
const engagement = await itaku.POST("/v1/vendors/{id}/engagements", {
  params: { path: { id: vendorId } },
  body: {
    title: "給与計算業務の委託",
    contract_type: "jun_inin",
    category: "data_processing",
    handles_personal_data: true,
    personal_data_categories: ["identity", "financial", "employment"],
    personal_data_subjects: 1200,
    confidentiality: 3,
    data_locations: ["JP"],
    subcontracting: "prior_approval",
    subcontract_max_depth: 1,
    clauses: { confidentiality: "present", incident_reporting: "present", return_erasure: "absent" },
  },
});
if (engagement.error) throw new Error(`creating the engagement: ${describe(engagement.error)}`);
const engagementId = present(engagement.data.id, "engagement id");

const readEngagement = await itaku.GET("/v1/engagements/{id}", { params: { path: { id: engagementId } } });
if (readEngagement.error) throw new Error(`reading the engagement: ${describe(readEngagement.error)}`);
check(readEngagement.data.vendor_id === vendorId, "engagement belongs to the vendor");
check(readEngagement.data.confidentiality === 3, "engagement confidentiality read back");
check(readEngagement.response.headers.get("ETag") === `"${present(readEngagement.data.version, "version")}"`,
  "the ETag is the version");

// 3. An incident there: a leak of personal data about more than 1,000
// people is reportable to the PPC, so the server computes the deadlines.
const detectedAt = new Date(Date.now() - 60 * 60 * 1000).toISOString();
const incident = await itaku.POST("/v1/incidents", {
  body: {
    vendor_id: vendorId,
    engagement_id: engagementId,
    title: "給与明細の誤送信",
    category: "leak",
    severity: "high",
    detected_at: detectedAt,
    detected_by: "us",
    appi: {
      personal_data: "yes",
      being_acquired: "no",
      people_affected: 1200,
      people_estimated: false,
      over_1000_people: "yes",
    },
  },
});
if (incident.error) throw new Error(`filing the incident: ${describe(incident.error)}`);
const incidentId = present(incident.data.id, "incident id");

const readIncident = await itaku.GET("/v1/incidents/{id}", { params: { path: { id: incidentId } } });
if (readIncident.error) throw new Error(`reading the incident: ${describe(readIncident.error)}`);
check(readIncident.data.status === "reported", "a new incident is reported");
check(readIncident.data.engagement_id === engagementId, "incident engagement read back");
const ppc = present(readIncident.data.ppc, "ppc");
check(ppc.reportable === true, "a leak about 1,200 people is reportable");
check((ppc.reasons ?? []).includes("over_1000_people"), "the reason is over_1000_people");

const listed = await itaku.GET("/v1/incidents", { params: { query: { ppc_reportable: true, sort: "deadline" } } });
if (listed.error) throw new Error(`listing incidents: ${describe(listed.error)}`);
check(listed.data.items.some((i) => i.id === incidentId), "the incident is in the PPC work queue");

// 4. Errors arrive as problem+json, typed by the document.
const missing = await itaku.GET("/v1/vendors/{id}", {
  params: { path: { id: "00000000-0000-4000-8000-000000000000" } },
});
check(missing.data === undefined && missing.error !== undefined, "an unknown vendor is an error");
check(missing.response.status === 404 && isProblem(missing.response), "404 problem+json");
check(missing.error.type === "urn:itaku:problem:not-found", `type ${missing.error.type}`);

const invalid = await itaku.POST("/v1/vendors/{id}/engagements", {
  params: { path: { id: vendorId } },
  body: {
    title: "期間が逆の委託",
    contract_type: "inin",
    category: "maintenance",
    handles_personal_data: false,
    confidentiality: 1,
    subcontracting: "prohibited",
    subcontract_max_depth: 0,
    starts_on: "2026-04-01",
    ends_on: "2026-03-31",
  },
});
if (!invalid.error) throw new Error("an engagement that ends before it starts was accepted");
check(invalid.response.status === 422 && isProblem(invalid.response), `422 problem+json, got ${invalid.response.status}`);
check(invalid.error.type === "urn:itaku:problem:validation-failed", `type ${invalid.error.type}`);
check((invalid.error.errors ?? []).some((e) => e.pointer === "/ends_on"), "the problem points at /ends_on");

console.log(`client: vendor ${vendorId} (tier ${tier ?? "?"}), engagement ${engagementId}, incident ${incidentId}` +
  ` (PPC preliminary report due ${ppc.preliminary?.due_on ?? "?"}); handled: ${describe(invalid.error)}`);
