/*
 * chain.c - whole-chain queries: the tree of an engagement and a vendor's
 * exposure (every engagement it appears in, with the path down to it).
 *
 * The tree comes from one recursive query whose rows arrive depth-first
 * (each row's sort key is its parent's key plus its own creation order),
 * so the nested JSON is written in one pass: a row at depth d closes the
 * open nodes at depth d and below, then opens itself. No parsing: each
 * node's JSON comes from PostgreSQL and only gains a "children" member.
 */
#include "chain/chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/query.h"
#include "http/req.h"
#include "http/resource.h"

#define MAX_DEPTH 10   /* subcontract_max_depth is at most 10 (schema) */

#define VENDOR_SUMMARY \
	"json_build_object('id', v.id, 'name', v.name, 'corporate_number', v.corporate_number," \
	" 'status', v.status, 'risk_tier', v.risk_tier, 'last_verdict', v.last_monitoring_verdict," \
	" 'monitoring_overdue', coalesce(v.next_monitoring_due < tokyo_today(), false))"

/* What needs someone's attention at a node, by code. */
#define VENDOR_PROBLEMS \
	"case when v.risk_tier = 'high' then 'vendor_high_risk' end," \
	" case when v.last_monitoring_date is null then 'vendor_never_assessed' end," \
	" case when v.last_monitoring_verdict = 'action_required' then 'vendor_action_required' end," \
	" case when v.next_monitoring_due < tokyo_today() then 'monitoring_overdue' end," \
	" case when v.status in ('suspended', 'terminated') then 'vendor_' || v.status end," \
	" case when v.corporation_closed then 'corporation_closed' end"

static struct db_stmt head_stmt = DB_STMT(
	"select json_build_object('id', e.id, 'title', e.title, 'vendor_id', e.vendor_id,"
	"       'subcontracting', e.subcontracting, 'subcontract_max_depth', e.subcontract_max_depth)::text,"
	"       chain_health(e.tenant_id, e.id)::text,"
	"       json_build_object('subcontract_id', null, 'depth', 0, 'status', null,"
	"         'vendor', " VENDOR_SUMMARY ", 'assessment', chain_node_assessment(e.tenant_id, e.vendor_id),"
	"         'open_incidents', inc.n, 'open_problems', cardinality(pr.p),"
	"         'problems', to_jsonb(pr.p))::text"
	"  from engagements e join vendors v on v.tenant_id = e.tenant_id and v.id = e.vendor_id,"
	"       lateral (select count(*)::int as n from incidents i"
	"                 where i.tenant_id = e.tenant_id and i.engagement_id = e.id"
	"                   and i.subcontract_id is null and i.status not in ('resolved', 'closed')) inc,"
	"       lateral (select array_remove(array[" VENDOR_PROBLEMS ","
	"          case when inc.n > 0 then 'open_incidents' end], null) as p) pr"
	" where e.tenant_id = $1 and e.id = $2");

static struct db_stmt tree_stmt = DB_STMT(
	"with recursive tree as ("
	"   select s.id, s.parent_id, s.vendor_id, s.depth, s.status, s.scope, s.personal_data,"
	"          s.confidentiality, s.ends_on, subcontract_missing(s) as missing,"
	"          array[to_char(s.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') || s.id::text] as sort"
	"     from subcontracts s"
	"    where s.tenant_id = $1 and s.engagement_id = $2 and s.parent_id is null"
	"      and ($3::boolean or s.status in ('requested', 'approved'))"
	"   union all"
	"   select s.id, s.parent_id, s.vendor_id, s.depth, s.status, s.scope, s.personal_data,"
	"          s.confidentiality, s.ends_on, subcontract_missing(s),"
	"          t.sort || (to_char(s.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') || s.id::text)"
	"     from subcontracts s join tree t on s.parent_id = t.id"
	"    where s.tenant_id = $1 and ($3::boolean or s.status in ('requested', 'approved'))"
	" ), inc as ("
	"   select i.subcontract_id, count(*)::int as n from incidents i"
	"    where i.tenant_id = $1 and i.engagement_id = $2 and i.subcontract_id is not null"
	"      and i.status not in ('resolved', 'closed')"
	"    group by i.subcontract_id"
	" )"
	" select t.depth, json_build_object('subcontract_id', t.id, 'parent_id', t.parent_id,"
	"        'depth', t.depth, 'status', t.status, 'scope', t.scope,"
	"        'personal_data', t.personal_data, 'confidentiality', t.confidentiality,"
	"        'flow_down_complete', cardinality(t.missing) = 0,"
	"        'flow_down_missing', to_jsonb(t.missing),"
	"        'vendor', " VENDOR_SUMMARY ", 'assessment', chain_node_assessment($1, t.vendor_id),"
	"        'open_incidents', coalesce(inc.n, 0),"
	"        'open_problems', cardinality(pr.p), 'problems', to_jsonb(pr.p))::text"
	"   from tree t join vendors v on v.tenant_id = $1 and v.id = t.vendor_id"
	"        left join inc on inc.subcontract_id = t.id,"
	"        lateral (select array_remove(array["
	"          case when cardinality(t.missing) > 0 then 'flow_down_incomplete' end,"
	"          case when inc.n > 0 then 'open_incidents' end,"
	"          case when t.status = 'approved' and t.ends_on < tokyo_today() then 'past_planned_end' end,"
	"          " VENDOR_PROBLEMS "], null) as p) pr"
	"  order by t.sort");

/* Writes node (a JSON object's text) without its closing brace, then opens
 * its children. */
static void open_node(FILE *out, const char *node)
{
	fwrite(node, 1, strlen(node) - 1, out);
	fputs(",\"children\":[", out);
}

static int write_tree(struct req *r, FILE *out, PGresult *head, PGresult *tree)
{
	int has_child[MAX_DEPTH + 1] = { 0 }, open = 0;

	fprintf(out, "{\"engagement\":%s,\"health\":%s,\"root\":", PQgetvalue(head, 0, 0),
		PQgetvalue(head, 0, 1));
	open_node(out, PQgetvalue(head, 0, 2));
	for (int i = 0; i < PQntuples(tree); i++) {
		int d = atoi(PQgetvalue(tree, i, 0));

		/* Depth-first order: a node's parent is the open node one above. */
		if (d < 1 || d > MAX_DEPTH || d > open + 1)
			return req_fail(r, 500, "internal", "the chain query returned rows out of order");
		for (; open >= d; open--)
			fputs("]}", out);
		if (has_child[d - 1])
			fputc(',', out);
		has_child[d - 1] = 1;
		has_child[d] = 0;
		open_node(out, PQgetvalue(tree, i, 1));
		open = d;
	}
	for (; open >= 1; open--)
		fputs("]}", out);
	fputs("]}}", out);
	return 0;
}

int chain_get(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "engagement");
	int closed = query_bool(r, "include_closed");
	const char *params[3];
	PGresult *head = NULL, *tree = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *out = NULL;
	int err = 0, ret = -1;

	if (!id || query_fail(r) || !req_db(r))
		return -1;
	params[0] = r->who.tenant_id;
	params[1] = id;
	params[2] = closed == 1 ? "true" : "false";
	/* One snapshot for the head and the tree. */
	if ((err = db_begin_snapshot(r->db)) || (err = db_exec(r->db, &head_stmt, 2, params, &head)))
		goto out;
	if (PQntuples(head) == 0) {
		req_fail(r, 404, "not-found", "no engagement with this id");
		goto out;
	}
	if ((err = db_exec(r->db, &tree_stmt, 3, params, &tree)) || req_commit(r, 0))
		goto out;
	if (!(out = open_memstream(&text, &len))) {
		req_fail(r, 500, "internal", "out of memory");
		goto out;
	}
	ret = write_tree(r, out, head, tree);
	fclose(out);
	if (ret)
		goto out;
	ret = req_raw(r, 200, "application/json", text, len);
out:
	free(text);
	PQclear(head);
	PQclear(tree);
	return req_end(r, ret, err);
}

/* $1 tenant, $2 vendor, $3 include closed links, $4/$5 cursor, $6 limit.
 * Depth 0 rows are the vendor's own engagements. */
static struct db_stmt exposure_stmt = DB_STMT(
	"select x.depth::text, x.id::text, json_build_object("
	"   'engagement', json_build_object('id', e.id, 'title', e.title, 'vendor_id', e.vendor_id,"
	"       'status', case when e.starts_on > tokyo_today() then 'planned'"
	"                      when e.ends_on < tokyo_today() then 'ended' else 'current' end,"
	"       'handles_personal_data', e.handles_personal_data, 'confidentiality', e.confidentiality),"
	"   'role', case when x.depth = 0 then 'vendor' else 'subcontractor' end,"
	"   'subcontract_id', x.link_id, 'status', x.status, 'depth', x.depth,"
	"   'personal_data', x.personal_data, 'confidentiality', x.confidentiality,"
	"   'path', (select json_agg(json_build_object('vendor_id', pv.id, 'name', pv.name,"
	"                                              'risk_tier', pv.risk_tier) order by p.ord)"
	"              from unnest(x.path) with ordinality p(vid, ord)"
	"              join vendors pv on pv.tenant_id = $1 and pv.id = p.vid))::text"
	"  from (select e.id as engagement_id, null::uuid as link_id, null::text as status, 0 as depth,"
	"               array[e.vendor_id] as path, e.handles_personal_data as personal_data,"
	"               e.confidentiality, e.id"
	"          from engagements e where e.tenant_id = $1 and e.vendor_id = $2"
	"        union all"
	"        select s.engagement_id, s.id, s.status, s.depth, s.path, s.personal_data,"
	"               s.confidentiality, s.id"
	"          from subcontracts s where s.tenant_id = $1 and s.vendor_id = $2"
	"           and ($3::boolean or s.status in ('requested', 'approved'))) x"
	"  join engagements e on e.tenant_id = $1 and e.id = x.engagement_id"
	" where ($4::int is null or (x.depth, x.id) > ($4::int, $5::uuid))"
	" order by x.depth, x.id limit $6");
static struct db_stmt vendor_exists_stmt = DB_STMT(
	"select 1 from vendors where tenant_id = $1 and id = $2");

int chain_exposure(struct req *r)
{
	const char *vendor = req_param_uuid(r, "id", "vendor");
	int closed = query_bool(r, "include_closed");
	const char *params[6];

	if (!vendor || query_fail(r))
		return -1;
	params[2] = closed == 1 ? "true" : "false";
	return resource_list(r, vendor, "vendor", &vendor_exists_stmt, &exposure_stmt, 6, params);
}
