/*
 * finding_files.c - evidence the vendor attaches to a finding through its
 * respondent link (是正の証跡), and staff's download of it.
 *
 * The questionnaire's files are closed once it is submitted; findings are
 * answered after that, so their evidence has its own table
 * (finding_files). The same checks as any evidence upload
 * (respond_file_check: type, size, bytes, never an executable); only while
 * the finding is open or in progress; at most FINDING_FILES per finding,
 * counted under the finding's row lock.
 */
#include "assessments/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/trail.h"
#include "http/query.h"
#include "http/req.h"

#define FINDING_FILES 20
/* All findings' evidence under one link (its assessment and the assessments
 * forwarded from it), like the questionnaire's own files: a leaked link
 * cannot fill the database. */
#define FINDING_BYTES (50 * 1024 * 1024)

/* $1 tenant, $2 the link's assessment, $3 finding -> status, its files so
 * far, the finding as staff see it (for the audit trail), and the bytes of
 * every finding's evidence the link reaches. */
static struct db_stmt lock_stmt = DB_STMT(
	"select f.status, (select count(*) from finding_files x where x.tenant_id = f.tenant_id and x.finding_id = f.id),"
	"       finding_json(f)::text,"
	"       (select coalesce(sum(x.size), 0) from finding_files x join findings g"
	"            on g.tenant_id = x.tenant_id and g.id = x.finding_id"
	"         where x.tenant_id = $1 and g.assessment_id = any(finding_scope($1, $2)))"
	"  from findings f where f.tenant_id = $1 and f.id = $3 and f.assessment_id = any(finding_scope($1, $2))"
	"   for update");

static struct db_stmt insert_stmt = DB_STMT(
	"insert into finding_files as x (tenant_id, finding_id, filename, content_type, size, sha256, data, uploaded_by)"
	" values ($1, $2, $3, $4, $5::int, $6, $7::bytea, $8)"
	" returning json_build_object('id', x.id, 'filename', x.filename, 'content_type', x.content_type,"
	"           'size', x.size, 'sha256', x.sha256, 'created_at', x.created_at)::text");

/* The finding's version moves with its files, so that its ETag does; the
 * history trigger records nothing for a bump alone. $1 tenant, $2
 * finding, $3 actor. */
static struct db_stmt bump_stmt = DB_STMT(
	"update findings f set version = version + 1, updated_at = now(), updated_by = $3"
	" where f.tenant_id = $1 and f.id = $2 returning finding_json(f)::text");

static struct db_stmt get_stmt = DB_STMT(
	"select x.filename, x.content_type, x.data from finding_files x"
	" where x.tenant_id = $1 and x.finding_id = $2 and x.id = $3");

/* POST /v1/respond/{token}/findings/{finding_id}/files?filename=NAME */
int finding_files_upload(struct req *r)
{
	const char *finding = req_param_uuid(r, "finding_id", "finding");
	const unsigned char *body = (const unsigned char *)r->u->binary_body;
	size_t len = r->u->binary_body_length;
	struct respondent who;
	struct sheet s = { 0 };
	char type[101], name[1024], digest[CRYPTO_SHA256_HEX_LEN], size[24], *hex = NULL;
	const char *params[8];
	json_t *file = NULL, *before = NULL, *after = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (!finding || !req_db(r))
		return -1;
	/* with lock, respond_open() begins the transaction after the link's
	 * budget is spent; the link is checked before the bytes */
	if (respond_open(r, &who, 1, &s) || respond_file_check(r, body, len, type))
		goto out;
	if (!respond_file_name(r, name)) {
		query_fail(r);
		goto out;
	}
	params[0] = who.tenant_id;
	params[1] = who.assessment_id;
	params[2] = finding;
	if ((err = db_exec(r->db, &lock_stmt, 3, params, &res)))
		goto out;
	if (!PQntuples(res)) {
		req_fail(r, 404, "not-found", "no %s with this id", "finding");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "open") && strcmp(PQgetvalue(res, 0, 0), "in_progress")) {
		req_fail(r, 409, "invalid-transition",
			 "the finding is %s; evidence is taken only while it is open or in progress", PQgetvalue(res, 0, 0));
		goto out;
	}
	if (atoi(PQgetvalue(res, 0, 1)) >= FINDING_FILES) {
		req_fail(r, 413, "evidence-limit", "a finding holds at most %d evidence files", FINDING_FILES);
		goto out;
	}
	if (atoll(PQgetvalue(res, 0, 3)) + (long long)len > FINDING_BYTES) {
		req_fail(r, 413, "evidence-limit", "the findings' evidence files may hold at most %d bytes together",
			 FINDING_BYTES);
		goto out;
	}
	before = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
	PQclear(res);
	res = NULL;
	crypto_sha256_hex(body, len, digest);
	snprintf(size, sizeof(size), "%zu", len);
	if (!(hex = malloc(2 * len + 3))) {
		req_fail(r, 500, "internal", "out of memory");
		goto out;
	}
	memcpy(hex, "\\x", 2);
	crypto_hex(body, len, hex + 2);
	params[0] = who.tenant_id;
	params[1] = finding;
	params[2] = name;
	params[3] = type;
	params[4] = size;
	params[5] = digest;
	params[6] = hex;
	params[7] = who.actor;
	if ((err = db_exec(r->db, &insert_stmt, 8, params, &res)))
		goto out;
	file = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	res = NULL;
	params[2] = who.actor;
	if ((err = db_exec(r->db, &bump_stmt, 3, params, &res)))
		goto out;
	after = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	/* the finding before and after, its files' metadata (never bytes) included */
	if ((err = audit_record_as(r->db, who.tenant_id, NULL, who.actor, r->request_id, "finding.file_uploaded",
				   "finding", finding, before, after)))
		goto out;
	ret = req_commit_json(r, 201, json_pack("{s:O}", "file", file), 0);
out:
	json_decref(file);
	json_decref(before);
	json_decref(after);
	free(hex);
	PQclear(res);
	respond_sheet_free(&s);
	return req_end(r, ret, err);
}

/* GET /v1/findings/{id}/files/{file_id}: the bytes as uploaded, as an
 * attachment (respond_file_serve). */
int finding_files_download(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "finding");
	int ret;

	if (!id)
		return -1;
	ret = respond_file_serve(r, id, &get_stmt);
	return ret == 1 ? req_fail(r, 404, "not-found", "no evidence file of this finding with this id") : ret;
}
