/*
 * transfer.c - export and import of a version's content.
 */
#include "questionnaires/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/req.h"
#include "json/valid.h"
#include "questionnaires/content.h"
#include "questionnaires/controls.h"
#include "questionnaires/sheet_csv.h"
#include "questionnaires/versions.h"

#define FORMAT "itaku.questionnaire.v1"
#define JSON_FLAGS (JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15))

static void attachment(struct req *r, const char *id, const char *number, const char *ext)
{
	char value[160];

	snprintf(value, sizeof(value), "attachment; filename=\"questionnaire-%s-v%s.%s\"", id, number, ext);
	req_set_header(r, "Content-Disposition", value);
}

int transfer_export_csv(struct req *r)
{
	const char *id = versions_template_param(r), *number = id ? versions_number_param(r) : NULL;
	struct csv_buf out = { 0 };
	json_t *content;
	int ret;

	if (!number || versions_read_content(r, id, number, &content))
		return -1;
	sheet_csv_write(content, &out);
	json_decref(content);
	if (out.failed) {
		csv_buf_free(&out);
		return req_fail(r, 500, "internal", "out of memory");
	}
	attachment(r, id, number, "csv");
	ret = req_raw(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	csv_buf_free(&out);
	return ret;
}

int transfer_export_json(struct req *r)
{
	const char *id = versions_template_param(r), *number = id ? versions_number_param(r) : NULL;
	json_t *content, *doc;
	char *text;
	int ret;

	if (!number || versions_read_content(r, id, number, &content))
		return -1;
	doc = json_pack("{s:s, s:o}", "format", FORMAT, "content", content);
	text = doc ? json_dumps(doc, JSON_FLAGS) : NULL;
	json_decref(doc);
	if (!text)
		return req_fail(r, 500, "internal", "out of memory");
	attachment(r, id, number, "json");
	ret = req_raw(r, 200, "application/json", text, strlen(text));
	free(text);
	return ret;
}

/* The content of an exported JSON document; errors under /content. */
static json_t *read_json(struct req *r, const char *body, size_t len)
{
	static const char *const members[] = { "format", "content", NULL };
	json_error_t e;
	json_t *doc, *content, *out = NULL;
	size_t from;

	if (jv_depth(body, len) > 24) {
		req_fail(r, 422, "file-unreadable", "the JSON document is nested deeper than %d levels", 24);
		return NULL;
	}
	if (!(doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e)) || !json_is_object(doc)) {
		req_fail(r, 422, "file-unreadable", "the file is not a JSON object as export.json writes it");
		json_decref(doc);
		return NULL;
	}
	jv_only(&r->problem, doc, members);
	if (!json_is_string(json_object_get(doc, "format")) ||
	    strcmp(json_string_value(json_object_get(doc, "format")), FORMAT))
		problem_add_pointer(&r->problem, "/format", "must be itaku.questionnaire.v1, the format export.json writes");
	content = json_object_get(doc, "content");
	from = problem_error_count(&r->problem);
	if (!json_is_object(content))
		problem_add_pointer(&r->problem, "/content", "is required: an object");
	else if (!(out = content_check(&r->problem, content, 1)))
		jv_rebase(&r->problem, from, "/content");
	json_decref(doc);
	if (problem_error_count(&r->problem)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The content of a CSV sheet; errors as /rows/N/column, located through
 * *rows (caller decrefs) for the checks still to come. */
static json_t *read_csv(struct req *r, const char *body, size_t len, json_t **rows)
{
	json_t *content = sheet_csv_read(&r->problem, body, len, rows), *out = NULL;

	if (content && !(out = content_check(&r->problem, content, 1)))
		sheet_csv_locate(&r->problem, 0, *rows);
	json_decref(content);
	return out;
}

int transfer_import(struct req *r)
{
	const char *id = versions_template_param(r), *type = req_header(r, "Content-Type");
	const char *body = r->u->binary_body;
	size_t len = r->u->binary_body_length, from;
	json_t *text, *content = NULL, *rows = NULL;
	int csv, ret = -1, err;

	if (!id)
		return -1;
	csv = type && !strncasecmp(type, "text/csv", 8);
	if (!csv && !(type && !strncasecmp(type, "application/json", 16)))
		return req_fail(r, 415, "unsupported-media-type",
				"send the file as text/csv (a sheet from export.csv) or application/json (from export.json)");
	/* jansson refuses a string that is not UTF-8: the check costs one copy. */
	if (!(text = json_stringn(body ? body : "", len)))
		return req_fail(r, 422, "file-unreadable",
				"the file is not UTF-8 text; save it as CSV UTF-8 (comma delimited)");
	json_decref(text);
	content = csv ? read_csv(r, body ? body : "", len, &rows) : read_json(r, body ? body : "", len);
	if (!content) {
		if (!r->problem.status)
			problem_set(&r->problem, 422, "validation-failed", NULL,
				    "the file has errors and nothing was imported; see errors");
		goto out;
	}
	if (!req_db(r))
		goto out;
	from = problem_error_count(&r->problem);
	if ((err = controls_check_known(r->db, &r->problem, content))) {
		req_fail_db(r, err);
		goto out;
	}
	if (problem_error_count(&r->problem) > from) {
		if (csv) {
			sheet_csv_locate(&r->problem, from, rows);
		} else {
			jv_rebase(&r->problem, from, "/content");
		}
		problem_set(&r->problem, 422, "validation-failed", NULL,
			    "the file has errors and nothing was imported; see errors");
		goto out;
	}
	ret = versions_create_draft(r, id, content, NULL);
out:
	json_decref(content);
	json_decref(rows);
	return ret;
}
