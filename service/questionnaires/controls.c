/*
 * controls.c - the control reference catalogue.
 */
#include "questionnaires/controls.h"

#include <stdlib.h>
#include "http/query.h"
#include "http/req.h"
#include "questionnaires/content.h"

static const char *const frameworks[] = { "iso27001", "nisc8", "appi", "nisc_handbook", "scs", NULL };

static struct db_stmt list_stmt = DB_STMT(
	"select coalesce(json_agg(json_build_object('ref', c.ref, 'framework', c.framework, 'code', c.code,"
	"                                           'title_ja', c.title_ja, 'title_en', c.title_en)"
	"                         order by c.framework, c.sort), '[]')::text"
	"  from control_references c where $1::text is null or c.framework = $1");
static struct db_stmt unknown_stmt = DB_STMT(
	"select x ->> 'pointer' from jsonb_array_elements($1::jsonb) x"
	" where not exists (select 1 from control_references c where c.ref = x ->> 'ref')");

/* The catalogue is a few hundred rows: one answer, no pages. */
int controls_list(struct req *r)
{
	const char *params[1] = { query_enum(r, "framework", frameworks) };
	PGresult *res = NULL;
	json_t *items;
	int err;

	if (query_fail(r) || !req_db(r))
		return -1;
	if ((err = db_exec(r->db, &list_stmt, 1, params, &res)))
		return req_fail_db(r, err);
	items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	return req_json(r, 200, json_pack("{s:o}", "items", items ? items : json_array()));
}

int controls_check_known(struct db_conn *db, struct problem *p, json_t *content)
{
	json_t *refs = content_controls(content);
	char *text = json_dumps(refs, JSON_COMPACT);
	const char *params[1] = { text };
	PGresult *res = NULL;
	int err = 0;

	json_decref(refs);
	if (!text)
		return DB_EOTHER;
	if (!(err = db_exec(db, &unknown_stmt, 1, params, &res))) {
		for (int i = 0; i < PQntuples(res); i++)
			problem_add_pointer(p, PQgetvalue(res, i, 0),
					    "is not in the control catalogue (GET /v1/control-references)");
	}
	PQclear(res);
	free(text);
	return err;
}
