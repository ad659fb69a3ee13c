/*
 * risks.c - rule check results as lists (see risks.h).
 */
#include "negotiations/risks.h"

#include <string.h>
#include "http/query.h"
#include "http/scope.h"
#include "http/req.h"
#include "http/page.h"

static const char *const rules[] = { "R1_no_timely_consultation", "R2_decline_without_written_reason",
	"R3_unchanged_at_renewal", "R4_low_price_unilateral", "R5_designation_with_equivalent",
	"R6_charge_without_agreement", "R7_payment_terms", NULL };

/* $1 tenant, $2 vendor, $3 rule, $4 engagement, $5-$8 the scope, then
 * the keyset and the limit: negotiation_risk_rows()
 * (sql/functions/91_rule_results.sql) gives rules 1-6 of the security
 * requests and rule 7 of the engagements with one keyset over both. */
static struct db_stmt list_stmt = DB_STMT(
	"select day::text, id::text, key, result::text"
	"  from negotiation_risk_rows($1, $2::uuid, $4::uuid, $3::text, $5, $6, $7, $8::text[])"
	" where $9::date is null or (day, id, key) > ($9::date, $10::uuid, $11::text)"
	" order by day, id, key limit $12");
static struct db_stmt vendor_exists_stmt = DB_STMT("select 1 from vendors where tenant_id = $1 and id = $2");

static int list(struct req *r, const char *vendor)
{
	const char *params[12] = { r->who.tenant_id, vendor };
	PGresult *res = NULL;
	struct scope sc;
	int err;

	params[2] = query_enum(r, "rule", rules);
	params[3] = query_uuid(r, "engagement_id");
	if (!vendor)
		params[1] = query_uuid(r, "vendor_id");
	scope_parse(r, &sc, "vendor_tier");
	scope_params(&sc, params + 4);
	if (query_fail(r) || !req_db(r)) {
		scope_free(&sc);
		return -1;
	}
	if (vendor) {
		if ((err = db_exec(r->db, &vendor_exists_stmt, 2, params, &res))) {
			scope_free(&sc);
			return req_fail_db(r, err);
		}
		err = PQntuples(res) ? 0 : req_fail(r, 404, "not-found", "no %s with this id", "vendor");
		PQclear(res);
		if (err) {
			scope_free(&sc);
			return -1;
		}
	}
	err = page_list(r, &list_stmt, 12, params, 3);
	scope_free(&sc);
	return err;
}

int risks_list(struct req *r)
{
	return list(r, NULL);
}

int risks_list_for_vendor(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "vendor");

	return id ? list(r, id) : -1;
}
