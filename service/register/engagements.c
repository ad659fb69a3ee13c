/*
 * engagements.c - engagement records.
 */
#include "register/engagements.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"
#include "http/req.h"
#include "http/resource.h"
#include "http/scope.h"
#include "json/valid.h"
#include "register/torihiki.h"

static const char *const fields[] = {
	"external_ref", "title", "description", "contract_type", "category", "starts_on", "ends_on",
	"handles_personal_data", "personal_data_categories", "personal_data_subjects",
	"confidentiality", "data_locations", "subcontracting", "subcontract_max_depth", "clauses",
	"terms_security_level_stated", "torihiki_type", "ordered_on", "payment_terms", NULL
};
static const char *const contract_types[] = { "ukeoi", "inin", "jun_inin", "terms_of_service", NULL };
const char *const engagements_categories[] = { "system_build", "operation_onsite", "operation_remote",
	"datacenter", "asp_saas", "housing", "maintenance", "data_processing", "storage_transport", NULL };
const char *const engagements_data_categories[] = { "identity", "contact", "financial", "employment",
	"health", "credentials", "location", "sensitive", "my_number", "other", NULL };
static const char *const policies[] = { "prohibited", "prior_approval", "allowed", NULL };
static const char *const clause_names[] = { "confidentiality", "purpose_limitation",
	"subcontracting", "audit_rights", "incident_reporting", "return_erasure", "device_security",
	"status_reporting", "survival", NULL };
static const char *const clause_values[] = { "present", "absent", "not_applicable", NULL };

/* ISO 3166-1 alpha-2, officially assigned codes. */
static const char countries[] =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
	"BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
	"DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
	"GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
	"KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
	"MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
	"PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
	"SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
	"VN VU WF WS YE YT ZA ZM ZW";

int engagements_country_known(const char *code)
{
	if (strlen(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
		return 0;
	for (const char *s = countries; *s; s += s[2] ? 3 : 2)
		if (s[0] == code[0] && s[1] == code[1])
			return 1;
	return 0;
}

#define RECORD \
	"x(external_ref text, title text, description text, contract_type text, category text," \
	" starts_on date, ends_on date, handles_personal_data boolean, personal_data_categories text[]," \
	" personal_data_subjects integer, confidentiality smallint, data_locations text[]," \
	" subcontracting text, subcontract_max_depth smallint, clauses jsonb," \
	" terms_security_level_stated boolean, torihiki_type text, ordered_on date)"
#define COLUMNS \
	"external_ref, title, description, contract_type, category, starts_on, ends_on," \
	" handles_personal_data, personal_data_categories, personal_data_subjects, confidentiality," \
	" data_locations, subcontracting, subcontract_max_depth, clauses, terms_security_level_stated," \
	" torihiki_type, ordered_on"
/* The payment terms (payment_terms in the document, normalised by merge). */
#define PAY_RECORD \
	"jsonb_to_record(coalesce($3::jsonb -> 'payment_terms', '{}')) as" \
	" p(due_basis text, due_days smallint, cutoff_day smallint, month_offset smallint," \
	" payment_day smallint, method text, full_amount_by_due boolean, transfer_fee_borne_by text," \
	" terms_in_writing boolean)"
#define PAY_COLUMNS \
	"payment_due_basis, payment_due_days, payment_cutoff_day, payment_month_offset, payment_day," \
	" payment_method, payment_full_amount_by_due, transfer_fee_borne_by, terms_in_writing"

static struct db_stmt insert_stmt = DB_STMT(
	"insert into engagements as e (tenant_id, vendor_id, " COLUMNS ", " PAY_COLUMNS ")"
	" select $1, v.id, x.*, p.* from vendors v, jsonb_to_record($3::jsonb) as " RECORD ", " PAY_RECORD
	"  where v.tenant_id = $1 and v.id = $2"
	" returning id, version, engagement_json(e)::text");
static struct db_stmt get_stmt = DB_STMT(
	"select version, engagement_json(e)::text from engagements e where tenant_id = $1 and id = $2");
static struct db_stmt lock_stmt = DB_STMT(
	"select version, engagement_json(e)::text, $3::int[] is null or version = any($3::int[])"
	"  from engagements e where tenant_id = $1 and id = $2 for update");
static struct db_stmt update_stmt = DB_STMT(
	"update engagements e set (" COLUMNS ", " PAY_COLUMNS ") ="
	"       (select x.*, p.* from jsonb_to_record($3::jsonb) as " RECORD ", " PAY_RECORD "),"
	"       version = version + 1, updated_at = now()"
	" where tenant_id = $1 and id = $2"
	" returning id, version, engagement_json(e)::text");
static struct db_stmt delete_stmt = DB_STMT(
	"delete from engagements where tenant_id = $1 and id = $2");

static json_t *defaults(void)
{
	json_t *doc = json_pack("{s:b, s:[], s:i, s:[s], s:s, s:i, s:{}}", "handles_personal_data", 0,
				"personal_data_categories", "confidentiality", 2, "data_locations", "JP",
				"subcontracting", "prior_approval", "subcontract_max_depth", 1, "clauses");

	for (size_t i = 0; clause_names[i]; i++)
		json_object_set_new(json_object_get(doc, "clauses"), clause_names[i], json_string("absent"));
	return doc;
}

static void check_clauses(struct problem *p, json_t *doc)
{
	json_t *clauses = json_object_get(doc, "clauses"), *merged;
	size_t from = problem_error_count(p);

	if (!json_is_object(clauses)) {
		problem_add_pointer(p, "/clauses", "must be an object of clause: present|absent|not_applicable");
		return;
	}
	/* Clauses not mentioned stay as they were (absent for a new engagement). */
	merged = json_object();
	for (size_t i = 0; clause_names[i]; i++)
		json_object_set_new(merged, clause_names[i], json_string("absent"));
	json_object_update(merged, clauses);
	jv_only(p, merged, clause_names);
	for (size_t i = 0; clause_names[i]; i++)
		jv_enum(p, merged, clause_names[i], JV_REQUIRED, clause_values);
	jv_rebase(p, from, "/clauses");
	json_object_set_new(doc, "clauses", merged);
}

/* NISC handbook 9.3.1 (14): whether terms of service (約款) state the
 * security level is recorded for terms_of_service only (null: unchecked).
 * Moving away from that contract type drops the answer unless the same
 * request sets it, which is an error. */
static void check_terms(struct problem *p, json_t *doc, json_t *patch, int contract)
{
	int stated;

	/* contract: index in contract_types, -1 when already reported wrong */
	if (jv_bool(p, doc, "terms_security_level_stated", JV_OPTIONAL, &stated) != 1 ||
	    contract < 0 || !strcmp(contract_types[contract], "terms_of_service"))
		return;
	if (json_object_get(patch, "terms_security_level_stated"))
		problem_add_pointer(p, "/terms_security_level_stated",
				    "is only for terms_of_service engagements");
	else
		json_object_set_new(doc, "terms_security_level_stated", json_null());
}

static json_t *merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : defaults(), *v, *locs;
	size_t before = problem_error_count(p), i;
	const char *key, *starts, *ends;
	long long n, depth = -1;
	int personal = 0, policy, contract;

	jv_only(p, patch, fields);
	json_object_foreach(patch, key, v) {
		if (!strcmp(key, "payment_terms"))
			continue;	/* merged member by member in torihiki_check_engagement */
		if (!strcmp(key, "clauses") && json_is_object(v) && json_is_object(json_object_get(doc, key))) {
			json_t *c = json_deep_copy(json_object_get(doc, key));

			json_object_update(c, v);
			json_object_set_new(doc, key, c);
		} else {
			json_object_set(doc, key, v);
		}
	}
	jv_string(p, doc, "external_ref", JV_OPTIONAL, 1, 100);
	jv_string(p, doc, "title", JV_REQUIRED, 1, 200);
	jv_string(p, doc, "description", JV_OPTIONAL, 0, 4000);
	contract = jv_enum(p, doc, "contract_type", JV_REQUIRED, contract_types);
	jv_enum(p, doc, "category", JV_REQUIRED, engagements_categories);
	starts = jv_date(p, doc, "starts_on", JV_OPTIONAL);
	ends = jv_date(p, doc, "ends_on", JV_OPTIONAL);
	if (starts && ends && strcmp(ends, starts) < 0)
		problem_add_pointer(p, "/ends_on", "must not be before starts_on");
	jv_bool(p, doc, "handles_personal_data", JV_REQUIRED, &personal);
	if (!json_is_array(json_object_get(doc, "personal_data_categories")))
		problem_add_pointer(p, "/personal_data_categories", "must be an array");
	else
		jv_strings(p, doc, "personal_data_categories", 10, 1, 20, engagements_data_categories);
	if (jv_int(p, doc, "personal_data_subjects", JV_OPTIONAL, 0, 2000000000, &n) == 1 && !personal)
		problem_add_pointer(p, "/personal_data_subjects", "is only for engagements that handle personal data");
	if (!personal && json_array_size(json_object_get(doc, "personal_data_categories")) > 0)
		problem_add_pointer(p, "/personal_data_categories", "is only for engagements that handle personal data");
	jv_int(p, doc, "confidentiality", JV_REQUIRED, 1, 3, &n);
	locs = jv_strings(p, doc, "data_locations", 50, 2, 2, NULL);
	if (!locs && !json_is_array(json_object_get(doc, "data_locations")))
		problem_add_pointer(p, "/data_locations", "must be an array of ISO 3166-1 alpha-2 codes");
	json_array_foreach(locs, i, v) {
		if (!engagements_country_known(json_string_value(v))) {
			char ptr[48];

			snprintf(ptr, sizeof(ptr), "/data_locations/%zu", i);
			problem_add_pointer(p, ptr, "is not an ISO 3166-1 alpha-2 country code (upper case, e.g. JP)");
		}
	}
	policy = jv_enum(p, doc, "subcontracting", JV_REQUIRED, policies);
	jv_int(p, doc, "subcontract_max_depth", JV_REQUIRED, 0, 10, &depth);
	if (policy == 0 && depth > 0) {
		if (json_object_get(patch, "subcontract_max_depth"))
			problem_add_pointer(p, "/subcontract_max_depth", "must be 0 when subcontracting is prohibited");
		else
			json_object_set_new(doc, "subcontract_max_depth", json_integer(0));
	}
	if (policy > 0 && depth == 0)
		problem_add_pointer(p, "/subcontract_max_depth", "must be at least 1 when subcontracting is not prohibited");
	check_clauses(p, doc);
	check_terms(p, doc, patch, contract);
	torihiki_check_engagement(p, doc, patch);
	if (problem_error_count(p) > before) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

static const struct resource engagement = {
	.type = "engagement", .path = "/v1/engagements/", .parent = "vendor",
	.fields = fields, .merge = merge, .insert = &insert_stmt, .insert_args = "tenant parent doc",
	.get = &get_stmt, .lock = &lock_stmt, .update = &update_stmt, .update_args = "tenant id doc", .remove = &delete_stmt,
};

int engagements_create(struct req *r)
{
	return resource_create(r, &engagement, req_param_uuid(r, "id", "vendor"));
}

int engagements_get(struct req *r)
{
	return resource_get(r, &engagement);
}

int engagements_update(struct req *r)
{
	return resource_update(r, &engagement);
}

int engagements_delete(struct req *r)
{
	return resource_delete(r, &engagement);
}

static struct db_stmt list_stmt = DB_STMT(
	"select e.created_at::text, e.id::text, engagement_json(e)::text from engagements e"
	" where e.tenant_id = $1 and e.vendor_id = $2"
	"   and ($3::timestamptz is null or (e.created_at, e.id) > ($3::timestamptz, $4::uuid))"
	" order by e.created_at, e.id limit $5");
static struct db_stmt vendor_exists_stmt = DB_STMT(
	"select 1 from vendors where tenant_id = $1 and id = $2");

int engagements_list_for_vendor(struct req *r)
{
	const char *vendor = req_param_uuid(r, "id", "vendor");
	const char *params[5];

	if (!vendor)
		return -1;
	return resource_list(r, vendor, "vendor", &vendor_exists_stmt, &list_stmt, 5, params);
}

/* The tenant's engagements. $3 personal data, $4 a data location outside
 * Japan, $5 a clause missing for a required measure (as missing_clauses
 * says), $6 ended (ends_on before today), $7-$10 vendor scope
 * (http/scope.h), $11 covered by 取適法 with a payment term over 60 days
 * (engagement_payment_over_60()), $12/$13 keyset, $14 limit. */
static struct db_stmt tenant_list_stmt = DB_STMT(
	"select e.created_at::text, e.id::text, engagement_json(e)::text from engagements e"
	" where e.tenant_id = $1 and $2::uuid is null"
	"   and ($3::boolean is null or e.handles_personal_data = $3::boolean)"
	"   and ($4::boolean is null or (not (e.data_locations <@ '{JP}'::text[])) = $4::boolean)"
	"   and ($5::boolean is null or e.clauses_missing = $5::boolean)"
	"   and ($6::boolean is null or coalesce(e.ends_on < tokyo_today(), false) = $6::boolean)"
	"   and vendor_in_scope($1, e.vendor_id, $7, $8, $9, $10::text[])"
	"   and ($11::boolean is null or engagement_payment_over_60(e) = $11::boolean)"
	"   and ($12::timestamptz is null or (e.created_at, e.id) > ($12::timestamptz, $13::uuid))"
	" order by e.created_at, e.id limit $14");

static const char *bool_text(int v)
{
	return v < 0 ? NULL : v ? "true" : "false";
}

int engagements_list(struct req *r)
{
	const char *params[14];
	struct scope sc;
	int ret;

	params[2] = bool_text(query_bool(r, "handles_personal_data"));
	params[10] = bool_text(query_bool(r, "payment_term_over_60_days"));
	params[3] = bool_text(query_bool(r, "foreign_data_location"));
	params[4] = bool_text(query_bool(r, "clauses_missing"));
	params[5] = bool_text(query_bool(r, "ended"));
	scope_parse(r, &sc, "vendor_tier");
	if (query_fail(r)) {
		scope_free(&sc);
		return -1;
	}
	scope_params(&sc, params + 6);
	ret = resource_list(r, NULL, NULL, NULL, &tenant_list_stmt, 14, params);
	scope_free(&sc);
	return ret;
}
