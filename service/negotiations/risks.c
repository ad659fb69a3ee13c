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

/* $1 tenant, $2 vendor, $3 rule, $4 engagement, then the keyset and the
 * limit. Rules 1-6 come from the security requests, rule 7 from the
 * engagements answered as within 取適法; one keyset over both: the day
 * (the request's requested_on; the engagement's ordered_on, else the day
 * it was created), the request's or engagement's id, and the rule with
 * what tells its results apart (the negotiation; rule 7's explanation). */
static struct db_stmt list_stmt = DB_STMT(
	"select d::text, id::text, k, x::text from ("
	"  select s.requested_on as d, s.id, (x ->> 'rule') || ':' || coalesce(x ->> 'negotiation_id', '') as k, x"
	"    from security_requests s cross join lateral jsonb_array_elements(security_request_risks(s.tenant_id, s.id)) x"
	"   where s.tenant_id = $1 and ($2::uuid is null or s.vendor_id = $2::uuid)"
	"     and ($4::uuid is null or s.engagement_id = $4::uuid)"
	"     and $3::text is distinct from 'R7_payment_terms'"
	"     and vendor_in_scope($1, s.vendor_id, $5, $6, $7, $8::text[])"   /* http/scope.h */
	"  union all"
	"  select coalesce(e.ordered_on, (e.created_at at time zone 'Asia/Tokyo')::date), e.id,"
	"         (x ->> 'rule') || ':' || (x #>> '{explanation,code}'), x"
	"    from engagements e"
	"   cross join lateral jsonb_array_elements(torihiki_payment_risks_of(e, torihiki_coverage_of(e))) x"
	"   where e.tenant_id = $1 and ($2::uuid is null or e.vendor_id = $2::uuid)"
	"     and ($4::uuid is null or e.id = $4::uuid)"
	"     and e.torihiki_type is not null and e.torihiki_type <> 'not_applicable'"
	"     and ($3::text is null or $3::text = 'R7_payment_terms')"
	"     and vendor_in_scope($1, e.vendor_id, $5, $6, $7, $8::text[])) u"
	" where ($3::text is null or x ->> 'rule' = $3)"
	"   and ($9::date is null or (d, id, k) > ($9::date, $10::uuid, $11::text))"
	" order by d, id, k limit $12");
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
