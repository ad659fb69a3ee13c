/*
 * versions.c - drafts, publishing, validation and the score preview.
 */
#include "questionnaires/versions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/etag.h"
#include "http/page.h"
#include "http/req.h"
#include "json/valid.h"
#include "questionnaires/answers.h"
#include "questionnaires/content.h"
#include "questionnaires/controls.h"
#include "questionnaires/scoring.h"

#define VERSION_JSON "questionnaire_version_json(v, true)::text"

/* $1 tenant, $2 template: archived, highest number, the draft's number. */
static struct db_stmt template_lock_stmt = DB_STMT(
	"select t.archived_at is not null,"
	"       (select coalesce(max(v.number), 0) from questionnaire_versions v"
	"         where v.tenant_id = t.tenant_id and v.template_id = t.id),"
	"       (select v.number from questionnaire_versions v"
	"         where v.tenant_id = t.tenant_id and v.template_id = t.id and v.status = 'draft')"
	"  from questionnaire_templates t where t.tenant_id = $1 and t.id = $2 for update");
static struct db_stmt template_exists_stmt = DB_STMT(
	"select 1 from questionnaire_templates where tenant_id = $1 and id = $2");
/* $1 tenant, $2 template, $3 number, $4 If-Match versions */
#define VERSION_SELECT \
	"select v.version, " VERSION_JSON ", v.status = 'published', v.content::text," \
	"       $4::int[] is null or v.version = any($4::int[])" \
	"  from questionnaire_versions v" \
	" where v.tenant_id = $1 and v.template_id = $2 and v.number = $3::int"
static struct db_stmt version_stmt = DB_STMT(VERSION_SELECT);
static struct db_stmt version_lock_stmt = DB_STMT(VERSION_SELECT " for update");
/* $1 tenant, $2 template, $3 number, $4 content, $5 changelog, $6 questions, $7 actor */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into questionnaire_versions as v (tenant_id, template_id, number, content, changelog,"
	"       question_count, created_by, updated_by)"
	" values ($1, $2, $3::int, $4::jsonb, $5, $6::int, $7, $7)"
	" returning v.version, " VERSION_JSON);
static struct db_stmt update_stmt = DB_STMT(
	"update questionnaire_versions v set content = $4::jsonb, changelog = $5, question_count = $6::int,"
	"       version = version + 1, updated_at = now(), updated_by = $7"
	" where tenant_id = $1 and template_id = $2 and number = $3::int"
	" returning v.version, " VERSION_JSON);
static struct db_stmt publish_stmt = DB_STMT(
	"update questionnaire_versions v set status = 'published', published_at = now(), published_by = $4,"
	"       version = version + 1, updated_at = now(), updated_by = $4"
	" where tenant_id = $1 and template_id = $2 and number = $3::int"
	" returning v.version, " VERSION_JSON);
static struct db_stmt delete_stmt = DB_STMT(
	"delete from questionnaire_versions where tenant_id = $1 and template_id = $2 and number = $3::int");
/* $1 tenant, $2 template, $3 after number, $4 limit */
static struct db_stmt list_stmt = DB_STMT(
	"select v.number::text, questionnaire_version_json(v, false)::text from questionnaire_versions v"
	" where v.tenant_id = $1 and v.template_id = $2 and v.number > coalesce($3::int, 0)"
	" order by v.number limit $4");

/* One version as read for a handler. */
struct row {
	long version;
	json_t *json;      /* the version as answered, content included */
	json_t *content;
	int published;
	int match;         /* If-Match allows a write */
};

static void row_free(struct row *v)
{
	json_decref(v->json);
	json_decref(v->content);
}

const char *versions_template_param(struct req *r)
{
	return req_param_uuid(r, "id", "questionnaire_template");
}

const char *versions_number_param(struct req *r)
{
	const char *n = req_param(r, "number");
	size_t len = n ? strlen(n) : 0;

	if (len < 1 || len > 5 || strspn(n, "0123456789") != len || n[0] == '0') {
		req_fail(r, 404, "not-found", "no version %s of this questionnaire template", n ? n : "");
		return NULL;
	}
	return n;
}

/* 0 when the template exists; else -1 with a 404 (or a database
 * problem) on r. */
static int template_exists(struct req *r, const char *template_id)
{
	const char *params[2] = { r->who.tenant_id, template_id };
	PGresult *res = NULL;
	int err = db_exec(r->db, &template_exists_stmt, 2, params, &res), found;

	if (err)
		return req_fail_db(r, err);
	found = PQntuples(res) > 0;
	PQclear(res);
	return found ? 0 : req_fail(r, 404, "not-found", "no %s with this id", "questionnaire_template");
}

/* 404 naming what is missing: the template, or only the version. */
static int not_found(struct req *r, const char *template_id, const char *number)
{
	if (template_exists(r, template_id))
		return -1;
	return req_fail(r, 404, "not-found", "no version %s of this questionnaire template", number);
}

static int load(struct req *r, const char *template_id, const char *number, int lock, struct row *v)
{
	char versions[128];
	const char *params[4] = { r->who.tenant_id, template_id, number,
				  etag_match_param(r, versions, sizeof(versions)) };
	PGresult *res = NULL;
	int err;

	memset(v, 0, sizeof(*v));
	if ((err = db_exec(r->db, lock ? &version_lock_stmt : &version_stmt, 4, params, &res)))
		return req_fail_db(r, err);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return not_found(r, template_id, number);
	}
	v->version = atol(PQgetvalue(res, 0, 0));
	v->json = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	v->published = !strcmp(PQgetvalue(res, 0, 2), "t");
	v->content = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
	v->match = !strcmp(PQgetvalue(res, 0, 4), "t");
	PQclear(res);
	if (!v->json || !v->content) {
		row_free(v);
		memset(v, 0, sizeof(*v));
		return req_fail(r, 500, "internal", "a stored questionnaire version could not be read");
	}
	return 0;
}

/* A write to a draft: refused for a published version (409) or another
 * version than If-Match names (412). */
static int writable(struct req *r, const struct row *v, const char *number)
{
	if (v->published)
		return req_fail(r, 409, "version-published",
				"version %s is published and never changes; create a new draft to change the sheet", number);
	if (!v->match) {
		char now[24];

		snprintf(now, sizeof(now), "%ld", v->version);
		return req_fail(r, 412, "precondition-failed",
				"the %s has changed since you read it (its version is now %s)",
				"questionnaire_version", now);
	}
	return 0;
}

/* Every rule a version is held to before it is published, into p. */
static int check_all(struct req *r, struct problem *p, json_t *content, json_t **normal)
{
	*normal = content_check(p, content, 1);
	return *normal ? controls_check_known(r->db, p, *normal) : 0;
}

static int audit_version(struct req *r, const char *action, const char *template_id, json_t *before,
			 json_t *after)
{
	return req_audit(r, action, "questionnaire_template", template_id, before, after);
}

int versions_read_content(struct req *r, const char *template_id, const char *number, json_t **content)
{
	struct row v;

	if (!req_db(r) || load(r, template_id, number, 0, &v))
		return -1;
	*content = json_incref(v.content);
	row_free(&v);
	return 0;
}

int versions_list(struct req *r)
{
	const char *id = versions_template_param(r);
	const char *params[4] = { r->who.tenant_id, id };

	if (!id || !req_db(r) || template_exists(r, id))
		return -1;
	return page_list(r, &list_stmt, 4, params, 1);
}

/* Writes content as a draft (insert, or update of number), audits and
 * answers. The caller has begun the transaction and holds the template.
 * Returns 0 or -1 with a problem on r, for req_end(). */
static int write_draft(struct req *r, const char *template_id, const char *number, json_t *content,
		       const char *changelog, struct row *before)
{
	char *text = json_dumps(content, JSON_COMPACT | JSON_REAL_PRECISION(15));
	char count[16], location[160];
	const char *params[7] = { r->who.tenant_id, template_id, number, text, changelog, count,
				  r->who.key_id };
	PGresult *res = NULL;
	json_t *after = NULL;
	int err = DB_EOTHER, ret = -1;

	snprintf(count, sizeof(count), "%zu", content_question_count(content));
	if (!text || (err = db_exec(r->db, before ? &update_stmt : &insert_stmt, 7, params, &res)) ||
	    (err = (after = json_loads(PQgetvalue(res, 0, 1), 0, NULL)) ? 0 : DB_EOTHER) ||
	    (err = audit_version(r, before ? "questionnaire_template.draft_updated" :
				 "questionnaire_template.draft_created", template_id,
				 before ? before->json : NULL, after))) {
		req_fail_db(r, err);
		goto out;
	}
	if (!before) {
		snprintf(location, sizeof(location), "/v1/questionnaire-templates/%s/versions/%s", template_id, number);
		req_set_header(r, "Location", location);
	}
	ret = req_commit_json(r, before ? 200 : 201, after, atol(PQgetvalue(res, 0, 0)));
	after = NULL;
out:
	json_decref(after);
	PQclear(res);
	free(text);
	return ret;
}

/* Locks the template for a new draft: 404, 409 archived or already
 * drafting; else 0 and the next number in next. */
static int lock_for_draft(struct req *r, const char *template_id, char next[16], char last[16])
{
	const char *params[2] = { r->who.tenant_id, template_id };
	PGresult *res = NULL;
	int err = db_exec(r->db, &template_lock_stmt, 2, params, &res), ret = 0;

	if (err)
		return req_fail_db(r, err);
	if (PQntuples(res) == 0)
		ret = req_fail(r, 404, "not-found", "no %s with this id", "questionnaire_template");
	else if (!strcmp(PQgetvalue(res, 0, 0), "t"))
		ret = req_fail(r, 409, "template-archived", "the template is archived; restore it before changing it");
	else if (!PQgetisnull(res, 0, 2))
		ret = req_fail(r, 409, "draft-exists", "the template already has a draft (version %s); edit or delete it first",
			       PQgetvalue(res, 0, 2));
	else {
		/* numbers are 1..10000 (a CHECK): they fit */
		snprintf(last, 16, "%.6s", PQgetvalue(res, 0, 1));
		snprintf(next, 16, "%d", (int)(atol(last) % 100000) + 1);
	}
	PQclear(res);
	return ret;
}

int versions_create_draft(struct req *r, const char *template_id, json_t *content, const char *changelog)
{
	char next[16], last[16];
	int err = 0, ret = -1;

	if (!req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || lock_for_draft(r, template_id, next, last))
		goto out;
	ret = write_draft(r, template_id, next, content, changelog, NULL);
out:
	return req_end(r, ret, err);
}

int versions_create(struct req *r)
{
	static const char *const members[] = { "content", "changelog", "copy_from", NULL };
	const char *id = versions_template_param(r), *changelog = NULL;
	json_t *body = r->body ? r->body : json_object(), *content = NULL, *given;
	char next[16], last[16], from[24];
	long long copy = 0;
	struct row src = { 0 };
	int err = 0, ret = -1, has_copy;

	if (!id)
		goto out;
	jv_only(&r->problem, body, members);
	changelog = jv_string(&r->problem, body, "changelog", JV_OPTIONAL, 1, 4000);
	has_copy = jv_int(&r->problem, body, "copy_from", JV_OPTIONAL, 1, 10000, &copy);
	given = json_object_get(body, "content");
	if (given && !json_is_null(given)) {
		size_t from_err = problem_error_count(&r->problem);

		if (has_copy == 1)
			problem_add_pointer(&r->problem, "/copy_from", "give content or copy_from, not both");
		if (!json_is_object(given))
			problem_add_pointer(&r->problem, "/content", "must be an object");
		else if (!(content = content_check(&r->problem, given, 0)))
			jv_rebase(&r->problem, from_err, "/content");
	}
	if (problem_error_count(&r->problem)) {
		req_fail_invalid(r);
		goto out;
	}
	if (!req_db(r))
		goto out;
	if ((err = db_begin(r->db)) || lock_for_draft(r, id, next, last))
		goto out;
	if (!content) {
		snprintf(from, sizeof(from), "%lld", copy ? copy : atoll(last));
		if (!copy && !strcmp(last, "0")) {
			problem_add_pointer(&r->problem, "/content", "is required: the template has no version to copy");
			req_fail_invalid(r);
			goto out;
		}
		if (load(r, id, from, 0, &src)) {
			if (copy && r->problem.status == 404) {
				problem_clear(&r->problem);
				problem_add_pointer(&r->problem, "/copy_from", "names no version of this template");
				req_fail_invalid(r);
			}
			goto out;
		}
		content = json_incref(src.content);
	}
	if ((err = controls_check_known(r->db, &r->problem, content)))
		goto out;
	if (problem_error_count(&r->problem)) {
		jv_rebase(&r->problem, 0, "/content");
		req_fail_invalid(r);
		goto out;
	}
	ret = write_draft(r, id, next, content, changelog, NULL);
out:
	if (body != r->body)
		json_decref(body);
	json_decref(content);
	row_free(&src);
	return req_end(r, ret, err);
}

int versions_get(struct req *r)
{
	const char *id = versions_template_param(r), *number = id ? versions_number_param(r) : NULL;
	struct row v;

	if (!number || !req_db(r) || load(r, id, number, 0, &v))
		return -1;
	etag_set(r, v.version);
	req_json(r, 200, json_incref(v.json));
	row_free(&v);
	return 0;
}

int versions_update(struct req *r)
{
	static const char *const members[] = { "content", "changelog", NULL };
	const char *id = versions_template_param(r), *number = id ? versions_number_param(r) : NULL;
	json_t *content = NULL, *given = json_object_get(r->body, "content"), *log;
	const char *changelog;
	struct row v = { 0 };
	int err = 0, ret = -1;

	if (!number)
		return -1;
	jv_only(&r->problem, r->body, members);
	jv_string(&r->problem, r->body, "changelog", JV_OPTIONAL, 1, 4000);
	if (given && !json_is_object(given)) {
		problem_add_pointer(&r->problem, "/content", "must be an object");
	} else if (given) {
		size_t from = problem_error_count(&r->problem);

		if (!(content = content_check(&r->problem, given, 0)))
			jv_rebase(&r->problem, from, "/content");
	}
	if (problem_error_count(&r->problem))
		return req_fail_invalid(r);
	if (!req_db(r))
		goto out;
	if ((err = db_begin(r->db)) || load(r, id, number, 1, &v) || writable(r, &v, number))
		goto out;
	if (!content)
		content = json_incref(v.content);
	log = json_object_get(r->body, "changelog");
	changelog = log ? json_string_value(log) : json_string_value(json_object_get(v.json, "changelog"));
	if ((err = controls_check_known(r->db, &r->problem, content)))
		goto out;
	if (problem_error_count(&r->problem)) {
		jv_rebase(&r->problem, 0, "/content");
		req_fail_invalid(r);
		goto out;
	}
	ret = write_draft(r, id, number, content, changelog, &v);
out:
	json_decref(content);
	row_free(&v);
	return req_end(r, ret, err);
}

int versions_delete(struct req *r)
{
	const char *id = versions_template_param(r), *number = id ? versions_number_param(r) : NULL;
	const char *params[3] = { r->who.tenant_id, id, number };
	struct row v = { 0 };
	int err = 0, ret = -1;

	if (!number || !req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || load(r, id, number, 1, &v) || writable(r, &v, number))
		goto out;
	if ((err = db_exec(r->db, &delete_stmt, 3, params, NULL)) ||
	    (err = audit_version(r, "questionnaire_template.draft_deleted", id, v.json, NULL)))
		goto out;
	ret = req_commit_json(r, 204, NULL, 0);
out:
	row_free(&v);
	return req_end(r, ret, err);
}

int versions_validate(struct req *r)
{
	const char *id = versions_template_param(r), *number = id ? versions_number_param(r) : NULL;
	struct problem found = { 0 };
	json_t *normal = NULL, *rendered, *errors;
	struct row v;
	int err;

	if (!number || !req_db(r) || load(r, id, number, 0, &v))
		return -1;
	if ((err = check_all(r, &found, v.content, &normal))) {
		row_free(&v);
		problem_clear(&found);
		return req_fail_db(r, err);
	}
	/* The errors as a problem would carry them, codes included. */
	found.status = 422;
	rendered = problem_to_json(&found, LANG_EN);
	errors = json_object_get(rendered, "errors");
	req_json(r, 200, json_pack("{s:b, s:I, s:o}", "valid", errors == NULL,
				   "question_count", (json_int_t)content_question_count(v.content),
				   "errors", errors ? json_incref(errors) : json_array()));
	json_decref(rendered);
	json_decref(normal);
	problem_clear(&found);
	row_free(&v);
	return 0;
}

int versions_publish(struct req *r)
{
	const char *id = versions_template_param(r), *number = id ? versions_number_param(r) : NULL;
	const char *params[4] = { r->who.tenant_id, id, number, r->who.key_id };
	struct problem found = { 0 };
	json_t *normal = NULL, *after = NULL, *summary = NULL;
	PGresult *res = NULL;
	struct row v = { 0 };
	int err = 0, ret = -1;

	if (!number || !req_db(r))
		return -1;
	if ((err = db_begin(r->db)) || load(r, id, number, 1, &v) || writable(r, &v, number))
		goto out;
	if ((err = check_all(r, &found, v.content, &normal)))
		goto out;
	if (problem_error_count(&found)) {
		req_fail(r, 422, "version-invalid",
			 "version %s cannot be published until its errors are fixed; see errors", number);
		r->problem.errors = found.errors;
		found.errors = NULL;
		goto out;
	}
	if ((err = db_exec(r->db, &publish_stmt, 4, params, &res)))
		goto out;
	after = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	summary = json_deep_copy(after);
	json_object_del(summary, "content");
	json_object_del(v.json, "content");
	if ((err = audit_version(r, "questionnaire_template.published", id, v.json, summary)))
		goto out;
	ret = req_commit_json(r, 200, after, atol(PQgetvalue(res, 0, 0)));
	after = NULL;
out:
	problem_clear(&found);
	json_decref(normal);
	json_decref(after);
	json_decref(summary);
	PQclear(res);
	row_free(&v);
	return req_end(r, ret, err);
}

int versions_score(struct req *r)
{
	static const char *const members[] = { "answers", "excluded", NULL };
	const char *id = versions_template_param(r), *number = id ? versions_number_param(r) : NULL;
	json_t *answers = json_object_get(r->body, "answers"), *list, *excluded = NULL, *normal = NULL, *c;
	struct problem found = { 0 };
	struct row v = { 0 };
	size_t i;
	int ret = -1;

	if (!number || !req_db(r) || load(r, id, number, 0, &v))
		goto out;
	normal = content_check(&found, v.content, 1);
	if (!normal) {
		req_fail(r, 409, "version-invalid",
			 "version %s has errors (see validate); fix them before scoring answers", number);
		goto out;
	}
	jv_only(&r->problem, r->body, members);
	if (!json_is_object(answers))
		problem_add_pointer(&r->problem, "/answers", "is required: an object of question code to answer");
	else
		answers_check(&r->problem, normal, answers, "/answers");
	list = jv_strings(&r->problem, r->body, "excluded", CONTENT_MAX_QUESTIONS, 1, 32, NULL);
	excluded = json_object();
	json_array_foreach(list, i, c)
		json_object_set_new(excluded, json_string_value(c), json_null());
	/* Only codes of this version may be excluded: checked as answers
	 * without values. */
	answers_check(&r->problem, normal, excluded, "/excluded");
	if (problem_error_count(&r->problem)) {
		req_fail_invalid(r);
		goto out;
	}
	ret = req_json(r, 200, scoring_score(normal, answers, excluded));
out:
	problem_clear(&found);
	json_decref(normal);
	json_decref(excluded);
	row_free(&v);
	return ret;
}
