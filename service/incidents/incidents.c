/*
 * incidents.c - an incident as a resource: file, read, edit.
 *
 * The document is validated here as a whole (nested objects included) and
 * written by one statement that reads it with ->> and #>>; the database
 * then derives the chain location and the APPI clock.
 */
#include "incidents/incidents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "http/resource.h"
#include "json/valid.h"

static const char *const fields[] = { "vendor_id", "engagement_id", "subcontract_id", "reporter",
	"title", "description", "category", "severity", "occurred_at", "detected_at", "detected_by",
	"reported_to_us_at", "assignee", "containment", "root_cause", "measures", "appi", "filings",
	"report_items", "notice_items", "individuals", NULL };
/* What a vendor can know and say through its report link: its detection
 * is always its own, and its notice is the moment it files. */
static const char *const vendor_fields[] = { "reporter", "title", "description", "category",
	"severity", "occurred_at", "detected_at", "notice_items", NULL };

const char *const incident_statuses[] = { "reported", "investigating", "contained", "resolved",
	"closed", NULL };
const char *const incident_categories[] = { "leak", "misuse_beyond_purpose", "unauthorized_access",
	"malware", "ransomware", "service_outage", "loss_or_theft", "tampering", "other", NULL };
const char *const incident_severities[] = { "low", "medium", "high", "critical", NULL };
static const char *const presence[] = { "yes", "no", "unknown", NULL };
static const char *const detectors[] = { "us", "vendor", NULL };
static const char *const likelihood[] = { "no", "yes", "likely", NULL };
static const char *const conditions[] = { "sensitive_data", "financial_damage", "wrongful_purpose",
	"over_1000_people", NULL };
static const char *const exemptions[] = { "advanced_encryption", "other_protection", NULL };
static const char *const appi_keys[] = { "personal_data", "being_acquired", "people_affected",
	"people_estimated", "sensitive_data", "financial_damage", "wrongful_purpose",
	"over_1000_people", "basis", "exemption", "exemption_reason", NULL };
/* 規則8条1項: the nine items of a report to the PPC (our draft in
 * report_items; what the vendor's notice said in notice_items) */
static const char *const report_keys[] = { "summary", "data_items", "people", "cause",
	"secondary_damage", "response_to_individuals", "publication", "recurrence_prevention",
	"other", NULL };
static const char *const filing_keys[] = { "filed_at", "reference", NULL };
static const char *const filings_keys[] = { "preliminary", "final", NULL };
static const char *const individuals_keys[] = { "notified_at", "method", "not_notified_reason",
	NULL };
static const char *const reporter_keys[] = { "name", "organisation", "email", "phone", NULL };
static const char *const measure_keys[] = { "what", "owner", "due_on", "done_on", NULL };

#define D(k) "(d ->> '" k "')"
#define P(path) "(d #>> '{" path "}')"
/* The columns an incident document writes, each with the expression that
 * reads it from the document d: one table, expanded into the column list
 * and the value list of the same statement, so the two cannot drift apart. */
#define INCIDENT_FIELDS(X) \
	X("reporter", "nullif(d -> 'reporter', 'null')") \
	X("title", D("title")) \
	X("description", D("description")) \
	X("category", D("category")) \
	X("severity", D("severity")) \
	X("occurred_at", D("occurred_at") "::timestamptz") \
	X("detected_at", D("detected_at") "::timestamptz") \
	X("detected_by", D("detected_by")) \
	X("reported_to_us_at", D("reported_to_us_at") "::timestamptz") \
	X("assignee", D("assignee")) \
	X("containment", D("containment")) \
	X("root_cause", D("root_cause")) \
	X("measures", "coalesce(d -> 'measures', '[]')") \
	X("personal_data", P("appi,personal_data")) \
	X("being_acquired", P("appi,being_acquired")) \
	X("people_affected", P("appi,people_affected") "::int") \
	X("people_estimated", "coalesce(" P("appi,people_estimated") "::boolean, false)") \
	X("sensitive_data", P("appi,sensitive_data")) \
	X("financial_damage", P("appi,financial_damage")) \
	X("wrongful_purpose", P("appi,wrongful_purpose")) \
	X("over_1000_people", P("appi,over_1000_people")) \
	X("appi_basis", P("appi,basis")) \
	X("exemption", P("appi,exemption")) \
	X("exemption_reason", P("appi,exemption_reason")) \
	X("preliminary_filed_at", P("filings,preliminary,filed_at") "::timestamptz") \
	X("preliminary_reference", P("filings,preliminary,reference")) \
	X("final_filed_at", P("filings,final,filed_at") "::timestamptz") \
	X("final_reference", P("filings,final,reference")) \
	X("report_items", "jsonb_strip_nulls(coalesce(nullif(d -> 'report_items', 'null'), '{}'))") \
	X("notice_items", "jsonb_strip_nulls(coalesce(nullif(d -> 'notice_items', 'null'), '{}'))") \
	X("individuals_notified_at", P("individuals,notified_at") "::timestamptz") \
	X("individuals_method", P("individuals,method")) \
	X("individuals_not_notified", P("individuals,not_notified_reason"))
#define AS_COLUMN(column, value) ", " column
#define AS_VALUE(column, value) ", " value

/* $1 tenant, $2 document, $3 actor: incidents hang from no parent row. */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into incidents as i (tenant_id, vendor_id, engagement_id, subcontract_id, chain_path,"
	"       aware_at" INCIDENT_FIELDS(AS_COLUMN) ", created_by, updated_by)"
	" select $1, " D("vendor_id") "::uuid, " D("engagement_id") "::uuid, " D("subcontract_id") "::uuid,"
	"        '{}', now()" INCIDENT_FIELDS(AS_VALUE) ", $3, $3"
	"   from (select $2::jsonb as d) x"
	" returning id, version, incident_json(i)::text");
static struct db_stmt get_stmt = DB_STMT(
	"select version, incident_json(i)::text from incidents i where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, incident_json(i)::text, $3::int[] is null or version = any($3::int[])"
	"  from incidents i where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update incidents i set (updated_by" INCIDENT_FIELDS(AS_COLUMN) ")"
	"       = (select $4::uuid" INCIDENT_FIELDS(AS_VALUE) " from (select $3::jsonb as d) x),"
	"       updated_via = null, status_note = null"
	" where tenant_id = $1 and id = $2"
	" returning id, version, incident_json(i)::text");

static json_t *defaults(void)
{
	static const char *const nulls[] = { "engagement_id", "subcontract_id", "reporter",
		"description", "occurred_at", "reported_to_us_at", "assignee", "containment",
		"root_cause", NULL };
	json_t *doc = json_object(), *appi;

	for (size_t i = 0; nulls[i]; i++)
		json_object_set_new(doc, nulls[i], json_null());
	json_object_set_new(doc, "detected_by", json_string("us"));
	appi = json_pack("{s:s, s:s, s:n, s:b, s:n, s:n, s:n}", "personal_data", "unknown",
			 "being_acquired", "no", "people_affected", "people_estimated", 0, "basis",
			 "exemption", "exemption_reason");
	for (size_t i = 0; conditions[i]; i++)
		json_object_set_new(appi, conditions[i], json_string("no"));
	json_object_set_new(doc, "appi", appi);
	json_object_set_new(doc, "measures", json_array());
	json_object_set_new(doc, "filings", json_pack("{s:{s:n, s:n}, s:{s:n, s:n}}", "preliminary",
						      "filed_at", "reference", "final", "filed_at",
						      "reference"));
	json_object_set_new(doc, "report_items", json_object());
	json_object_set_new(doc, "notice_items", json_object());
	json_object_set_new(doc, "individuals", json_pack("{s:n, s:n, s:n}", "notified_at", "method",
							  "not_notified_reason"));
	return doc;
}

/* Lays patch over doc, object members recursively (a JSON null clears). */
static void overlay(json_t *doc, json_t *patch)
{
	const char *key;
	json_t *v;

	json_object_foreach(patch, key, v) {
		json_t *cur = json_object_get(doc, key);

		if (json_is_object(v) && json_is_object(cur)) {
			json_t *copy = json_deep_copy(cur);

			overlay(copy, v);
			json_object_set_new(doc, key, copy);
		} else {
			json_object_set(doc, key, v);
		}
	}
}

/* A nested object: NULL (with an error) when present but not an object. */
static json_t *object_member(struct problem *p, json_t *doc, const char *name,
			     const char *const keys[])
{
	json_t *v = json_object_get(doc, name);
	char ptr[48];

	if (!v || json_is_null(v))
		return NULL;
	snprintf(ptr, sizeof(ptr), "/%s", name);
	if (!json_is_object(v)) {
		problem_add_pointer(p, ptr, "must be an object");
		return NULL;
	}
	jv_only(p, v, keys);
	return v;
}

static void check_reporter(struct problem *p, json_t *doc)
{
	size_t from = problem_error_count(p);
	json_t *o = object_member(p, doc, "reporter", reporter_keys);

	if (!o)
		return;
	jv_string(p, o, "name", JV_OPTIONAL, 1, 200);
	jv_string(p, o, "organisation", JV_OPTIONAL, 1, 200);
	jv_string(p, o, "email", JV_OPTIONAL, 3, 254);
	jv_string(p, o, "phone", JV_OPTIONAL, 3, 40);
	jv_rebase(p, from, "/reporter");
}

static void check_measures(struct problem *p, json_t *doc)
{
	json_t *a = json_object_get(doc, "measures"), *m;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > 50) {
		problem_add_pointer(p, "/measures", "must be an array of at most 50 measures");
		return;
	}
	json_array_foreach(a, i, m) {
		size_t from = problem_error_count(p);
		char ptr[32];

		snprintf(ptr, sizeof(ptr), "/measures/%zu", i);
		if (!json_is_object(m)) {
			problem_add_pointer(p, ptr, "must be an object with what, owner, due_on, done_on");
			continue;
		}
		jv_only(p, m, measure_keys);
		jv_string(p, m, "what", JV_REQUIRED, 1, 2000);
		jv_string(p, m, "owner", JV_OPTIONAL, 1, 200);
		jv_date(p, m, "due_on", JV_OPTIONAL);
		jv_date(p, m, "done_on", JV_OPTIONAL);
		jv_rebase(p, from, ptr);
	}
}

static void check_appi(struct problem *p, json_t *doc)
{
	size_t from = problem_error_count(p);
	json_t *a = object_member(p, doc, "appi", appi_keys);
	int likely = 0, yes;
	long long n;

	if (!a)
		return;
	jv_enum(p, a, "personal_data", JV_REQUIRED, presence);
	jv_enum(p, a, "being_acquired", JV_REQUIRED, presence);
	jv_int(p, a, "people_affected", JV_OPTIONAL, 0, 2000000000, &n);
	jv_bool(p, a, "people_estimated", JV_REQUIRED, &yes);
	for (size_t i = 0; conditions[i]; i++)
		likely |= jv_enum(p, a, conditions[i], JV_REQUIRED, likelihood) == 2;
	if (!jv_string(p, a, "basis", JV_OPTIONAL, 1, 4000) && likely)
		problem_add_pointer(p, "/basis", "is required when a condition is only likely: "
				    "record what the judgement rests on");
	if (jv_enum(p, a, "exemption", JV_OPTIONAL, exemptions) >= 0 &&
	    !jv_string(p, a, "exemption_reason", JV_OPTIONAL, 1, 2000))
		problem_add_pointer(p, "/exemption_reason", "is required with an exemption");
	else
		jv_string(p, a, "exemption_reason", JV_OPTIONAL, 1, 2000);
	jv_rebase(p, from, "/appi");
}

static void check_filings(struct problem *p, json_t *doc)
{
	size_t from = problem_error_count(p);
	json_t *f = object_member(p, doc, "filings", filings_keys);
	const char *filed[2] = { NULL, NULL };

	if (!f)
		return;
	for (int i = 0; i < 2; i++) {
		size_t at = problem_error_count(p);
		json_t *o = object_member(p, f, filings_keys[i], filing_keys);
		char ptr[24];

		if (!o)
			continue;
		filed[i] = jv_timestamp(p, o, "filed_at", JV_OPTIONAL, 1, NULL);
		jv_string(p, o, "reference", JV_OPTIONAL, 1, 200);
		snprintf(ptr, sizeof(ptr), "/%s", filings_keys[i]);
		jv_rebase(p, at, ptr);
	}
	if (filed[1] && !filed[0])
		problem_add_pointer(p, "/final/filed_at", "needs the preliminary report (速報) filed first "
				    "(both may carry the same time)");
	jv_rebase(p, from, "/filings");
}

/* report_items or notice_items: any of the nine items, each optional. */
static void check_report_items(struct problem *p, json_t *doc, const char *name)
{
	size_t from = problem_error_count(p);
	json_t *o = object_member(p, doc, name, report_keys);
	char ptr[32];

	if (!o)
		return;
	for (size_t i = 0; report_keys[i]; i++)
		jv_string(p, o, report_keys[i], JV_OPTIONAL, 1, 8000);
	snprintf(ptr, sizeof(ptr), "/%s", name);
	jv_rebase(p, from, ptr);
}

/* Whose detection detected_at is. The vendor's needs its notice to us,
 * where our clock starts (the schema also wants it after the detection). */
static void check_detection(struct problem *p, json_t *doc)
{
	int who = jv_enum(p, doc, "detected_by", JV_REQUIRED, detectors);

	if (who == 1 && !json_is_string(json_object_get(doc, "reported_to_us_at")))
		problem_add_pointer(p, "/reported_to_us_at", "is required when the vendor detected the "
				    "incident (detected_by vendor): our clock starts at its notice");
}

static void check_individuals(struct problem *p, json_t *doc)
{
	size_t from = problem_error_count(p);
	json_t *o = object_member(p, doc, "individuals", individuals_keys);
	const char *at;

	if (!o)
		return;
	at = jv_timestamp(p, o, "notified_at", JV_OPTIONAL, 1, NULL);
	if (!jv_string(p, o, "method", JV_OPTIONAL, 1, 2000) && at)
		problem_add_pointer(p, "/method", "is required once individuals are notified");
	jv_string(p, o, "not_notified_reason", JV_OPTIONAL, 1, 2000);
	jv_rebase(p, from, "/individuals");
}

json_t *incidents_merge(struct problem *p, json_t *base, json_t *patch, int vendor_view)
{
	static const char *const fixed[] = { "vendor_id", "engagement_id", "subcontract_id", NULL };
	json_t *doc = base ? json_deep_copy(base) : defaults();
	size_t before = problem_error_count(p);

	jv_only(p, patch, vendor_view ? vendor_fields : fields);
	for (size_t i = 0; base && fixed[i]; i++) {
		json_t *v = json_object_get(patch, fixed[i]);
		char ptr[32];

		if (!v || json_equal(v, json_object_get(base, fixed[i])))
			continue;
		snprintf(ptr, sizeof(ptr), "/%s", fixed[i]);
		problem_add_pointer(p, ptr, "is fixed once the incident is filed");
	}
	overlay(doc, patch);
	if (!vendor_view) {
		jv_uuid(p, doc, "vendor_id", JV_REQUIRED);
		jv_uuid(p, doc, "engagement_id", JV_OPTIONAL);
		jv_uuid(p, doc, "subcontract_id", JV_OPTIONAL);
	}
	check_reporter(p, doc);
	jv_string(p, doc, "title", JV_REQUIRED, 1, 200);
	jv_string(p, doc, "description", JV_OPTIONAL, 1, 8000);
	jv_enum(p, doc, "category", JV_REQUIRED, incident_categories);
	jv_enum(p, doc, "severity", JV_REQUIRED, incident_severities);
	jv_timestamp(p, doc, "occurred_at", JV_OPTIONAL, 1, NULL);
	jv_timestamp(p, doc, "detected_at", JV_REQUIRED, 0, NULL);
	jv_timestamp(p, doc, "reported_to_us_at", JV_OPTIONAL, 1, NULL);
	if (!vendor_view)
		check_detection(p, doc);
	jv_string(p, doc, "assignee", JV_OPTIONAL, 1, 200);
	jv_string(p, doc, "containment", JV_OPTIONAL, 1, 8000);
	jv_string(p, doc, "root_cause", JV_OPTIONAL, 1, 8000);
	check_measures(p, doc);
	if (json_is_null(json_object_get(doc, "appi")))
		problem_add_pointer(p, "/appi", "must be an object");
	check_appi(p, doc);
	check_filings(p, doc);
	check_report_items(p, doc, "report_items");
	check_report_items(p, doc, "notice_items");
	check_individuals(p, doc);
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	return incidents_merge(p, base, patch, 0);
}

static const struct resource incident = {
	.type = "incident", .path = "/v1/incidents/", .parent = "tenant",
	.fields = fields, .merge = merge, .insert = &insert_stmt, .insert_args = "tenant doc actor",
	.get = &get_stmt,
	.lock = &lock_stmt, .update = &update_stmt,
};

/* A reference that does not exist reads better with its field named. */
static void name_reference(struct req *r)
{
	const char *c = r->db ? r->db->constraint : "";

	if (strcmp(r->problem.slug ? r->problem.slug : "", "reference-not-found") != 0)
		return;
	if (strstr(c, "subcontract_id"))
		problem_add_pointer(&r->problem, "/subcontract_id", "no subcontract link with this id");
	else if (strstr(c, "engagement_id"))
		problem_add_pointer(&r->problem, "/engagement_id", "no engagement with this id");
	else if (strstr(c, "vendor_id"))
		problem_add_pointer(&r->problem, "/vendor_id", "no vendor with this id");
}

int incidents_create(struct req *r)
{
	int ret = resource_create(r, &incident, r->who.tenant_id);

	if (ret)
		name_reference(r);
	return ret;
}

int incidents_get(struct req *r)
{
	return resource_get(r, &incident);
}

int incidents_lock(struct req *r, const char *id, json_t **current)
{
	return resource_lock(r, &incident, id, current);
}

int incidents_update(struct req *r)
{
	return resource_update(r, &incident);
}
