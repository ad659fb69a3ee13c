/*
 * respond_files.c - evidence: the respondent uploads and deletes files
 * for a question through the link; staff download them.
 *
 * A file is sent as the raw body with its Content-Type. What it claims
 * must match its bytes (magic numbers; text must be UTF-8 without NUL),
 * and an executable is refused whatever it claims, so what staff
 * download is what the vendor said it was. Bytes are kept in PostgreSQL
 * with their SHA-256.
 */
#include "assessments/respond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "http/query.h"
#include "http/req.h"
#include "json/valid.h"
#include "questionnaires/answers.h"
#include "questionnaires/content.h"

#define FILE_CAP (10u * 1024 * 1024)            /* one file; the table's check agrees */
#define ASSESSMENT_CAP (50u * 1024 * 1024)      /* all files of one assessment */
#define ASSESSMENT_FILES 100
#define FILE_ANSWER_MAX 20                       /* answers_check(): a file answer's references */

/* ---- what a file is ------------------------------------------------------------ */

static int starts(const unsigned char *b, size_t n, const char *magic, size_t m)
{
	return n >= m && !memcmp(b, magic, m);
}

/* Windows PE, ELF, a script with #!, Mach-O (both byte orders, 32/64,
 * universal). */
static int executable(const unsigned char *b, size_t n)
{
	return starts(b, n, "MZ", 2) || starts(b, n, "#!", 2) || starts(b, n, "\x7f" "ELF", 4) ||
	       starts(b, n, "\xfe\xed\xfa\xce", 4) || starts(b, n, "\xfe\xed\xfa\xcf", 4) ||
	       starts(b, n, "\xce\xfa\xed\xfe", 4) || starts(b, n, "\xcf\xfa\xed\xfe", 4) ||
	       starts(b, n, "\xca\xfe\xba\xbe", 4);
}

static int utf8_text(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = b[i];
		size_t k;
		unsigned long cp;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			k = 1, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			k = 2, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			k = 3, cp = c & 0x07;
		else
			return 0;
		if (i + k >= n)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((b[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (b[i + j] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += k + 1;
	}
	return 1;
}

/* An OOXML package is a zip whose parts name the application's folder. */
static int ooxml(const unsigned char *b, size_t n, const char *folder)
{
	return starts(b, n, "PK\x03\x04", 4) && memmem(b, n, "[Content_Types].xml", 19) &&
	       memmem(b, n, folder, strlen(folder));
}

static int match(const char *type, const unsigned char *b, size_t n)
{
	if (!strcmp(type, "application/pdf"))
		return starts(b, n, "%PDF-", 5);
	if (!strcmp(type, "image/png"))
		return starts(b, n, "\x89PNG\r\n\x1a\n", 8);
	if (!strcmp(type, "image/jpeg"))
		return starts(b, n, "\xff\xd8\xff", 3);
	if (!strcmp(type, "image/gif"))
		return starts(b, n, "GIF87a", 6) || starts(b, n, "GIF89a", 6);
	if (!strcmp(type, "image/webp"))
		return starts(b, n, "RIFF", 4) && n >= 12 && !memcmp(b + 8, "WEBP", 4);
	if (!strcmp(type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
		return ooxml(b, n, "word/");
	if (!strcmp(type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
		return ooxml(b, n, "xl/");
	if (!strcmp(type, "application/vnd.openxmlformats-officedocument.presentationml.presentation"))
		return ooxml(b, n, "ppt/");
	return utf8_text(b, n);   /* text/plain, text/csv */
}

static const char *const accepted[] = { "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"text/plain", "text/csv", NULL };

/* The declared media type without parameters, lower case, when accepted. */
static int media_type(const char *header, char out[101])
{
	size_t n;

	if (!header)
		return 0;
	n = strcspn(header, "; \t");
	if (n == 0 || n > 100)
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)((header[i] >= 'A' && header[i] <= 'Z') ? header[i] + 32 : header[i]);
	out[n] = '\0';
	for (size_t i = 0; accepted[i]; i++)
		if (!strcmp(out, accepted[i]))
			return 1;
	return 0;
}

/* The file's name: the filename query parameter, else Content-Disposition's
 * filename="..."; only its last path segment is kept: 1-255 characters
 * of UTF-8 without control characters. NULL, with a parameter error on
 * r, when neither gives a usable one. */
const char *respond_file_name(struct req *r, char out[1024])
{
	const char *given = req_query(r, "filename"), *cd = req_header(r, "Content-Disposition"), *base, *at;
	size_t n, chars = 0;

	if (!given && cd && (at = strcasestr(cd, "filename=\""))) {
		at += 10;
		n = strcspn(at, "\"");
		if (n < 1024) {
			memcpy(out, at, n);
			out[n] = '\0';
			given = out;
		}
	}
	if (!given || !*given) {
		problem_add_parameter(&r->problem, "filename",
				      "is required: name the file (filename=... or Content-Disposition: attachment; filename=\"...\")");
		return NULL;
	}
	base = given;
	for (const char *p = given; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	n = strlen(base);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)base[i];

		if (c < 0x20 || c == 0x7f)
			chars = 1000;
		chars += (c & 0xc0) != 0x80;
	}
	if (!n || n >= 1024 || chars > 255 || !utf8_text((const unsigned char *)base, n)) {
		problem_add_parameter(&r->problem, "filename",
				      "must be 1 to 255 characters of UTF-8 text without control characters or only a path");
		return NULL;
	}
	memmove(out, base, n + 1);
	return out;
}

/* ---- upload and delete (the respondent) ------------------------------------------ */

/* $1 tenant, $2 assessment, $3 question, $4 filename, $5 type, $6 size,
 * $7 sha256, $8 bytes (bytea hex), $9 actor */
static struct db_stmt insert_stmt = DB_STMT(
	"insert into assessment_files as f (tenant_id, assessment_id, question_code, filename, content_type, size,"
	"       sha256, data, uploaded_by)"
	" values ($1, $2, $3, $4, $5, $6::int, $7, $8::bytea, $9)"
	" returning f.id, json_build_object('id', f.id, 'question', f.question_code, 'filename', f.filename,"
	"           'content_type', f.content_type, 'size', f.size, 'sha256', f.sha256,"
	"           'created_at', f.created_at)::text");

/* Where a file may go: a question shown now, open while items are
 * returned; a file question holds at most FILE_ANSWER_MAX files.
 * Returns 0 or -1 with 422 on r. */
static int check_question(struct req *r, const struct sheet *s, const char *code, json_t **q)
{
	json_t *st;
	long long state;

	if (!code || !*code) {
		problem_add_parameter(&r->problem, "question", "is required: the code of the question the file is evidence for");
		return query_fail(r);
	}
	if (!(*q = respond_question(s, code))) {
		problem_add_parameter(&r->problem, "question", "names no question of this questionnaire");
		return req_fail(r, 422, "validation-failed", "the file cannot be attached there; see errors");
	}
	st = answers_states(s->content, json_object_get(s->a, "answers"), json_object_get(s->a, "excluded"));
	state = json_integer_value(json_object_get(st, code));
	json_decref(st);
	if (state == ANSWER_EXCLUDED)
		problem_add_parameter(&r->problem, "question", "is not asked in this assessment (see not_asked in the questionnaire)");
	else if (state == ANSWER_HIDDEN)
		problem_add_parameter(&r->problem, "question", "is not shown with the current answers");
	else if (!respond_item_open(s, code))
		problem_add_parameter(&r->problem, "question", "cannot change now: while items are returned, only those can change");
	else if (content_type_of(*q) == CONTENT_FILE &&
		 json_array_size(json_object_get(json_object_get(s->a, "answers"), code)) >= FILE_ANSWER_MAX)
		problem_add_parameter(&r->problem, "question", "already holds 20 files, the most one question takes");
	if (problem_error_count(&r->problem))
		return req_fail(r, 422, "validation-failed", "the file cannot be attached there; see errors");
	return 0;
}

/* What the assessment's files already use. Returns -1 with 413 on r
 * when one more of len bytes would pass a cap. */
static int check_room(struct req *r, const struct sheet *s, size_t len)
{
	json_t *files = json_object_get(s->a, "files"), *f;
	size_t i, total = len;

	json_array_foreach(files, i, f)
		total += (size_t)json_integer_value(json_object_get(f, "size"));
	if (json_array_size(files) >= ASSESSMENT_FILES)
		return req_fail(r, 413, "evidence-limit",
				"the assessment already holds %d files, the most it may; delete one first", ASSESSMENT_FILES);
	if (total > ASSESSMENT_CAP)
		return req_fail(r, 413, "evidence-limit",
				"the assessment's files would pass %u bytes in all; delete some or send smaller ones",
				ASSESSMENT_CAP);
	return 0;
}

/* The bytes and what they are; the link has been checked first, so a
 * dead link answers 410 whatever it was sent. Returns 0 or -1 on r. */
int respond_file_check(struct req *r, const unsigned char *body, size_t len, char type[101])
{
	size_t cap = r->app->cfg.max_body_bytes < FILE_CAP ? r->app->cfg.max_body_bytes : FILE_CAP;

	if (!media_type(req_header(r, "Content-Type"), type))
		return req_fail(r, 415, "unsupported-media-type",
				"send evidence as PDF, PNG, JPEG, GIF, WebP, Word, Excel or PowerPoint (docx, xlsx, pptx), plain text or CSV, with its Content-Type");
	if (len == 0)
		return req_fail(r, 422, "file-refused", "the file is empty");
	if (len > cap)
		return req_fail(r, 413, "body-too-large", "the file is %zu bytes; one evidence file may be at most %zu bytes",
				len, cap);
	if (executable(body, len))
		return req_fail(r, 422, "file-refused",
				"the file is an executable program or script; it is refused whatever its declared type");
	if (!match(type, body, len))
		return req_fail(r, 422, "file-type-mismatch", "the file's bytes are not what its Content-Type %s says", type);
	return 0;
}

/* POST /v1/respond/{token}/files?question=CODE&filename=NAME */
int respond_file_upload(struct req *r)
{
	const unsigned char *body = (const unsigned char *)r->u->binary_body;
	size_t len = r->u->binary_body_length;
	struct respondent who;
	struct sheet s = { 0 };
	char type[101], name[1024], digest[CRYPTO_SHA256_HEX_LEN], size[24], *hex = NULL;
	const char *params[9], *code = req_query(r, "question");
	json_t *q = NULL, *file = NULL, *answers = NULL;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (respond_open(r, &who, 1, &s) || respond_editable(r, &s) || respond_file_check(r, body, len, type) ||
	    check_question(r, &s, code, &q))
		goto out;
	if (!respond_file_name(r, name)) {
		query_fail(r);
		goto out;
	}
	if (check_room(r, &s, len))
		goto out;
	crypto_sha256_hex(body, len, digest);
	snprintf(size, sizeof(size), "%zu", len);
	hex = malloc(2 * len + 3);
	if (!hex) {
		req_fail(r, 500, "internal", "out of memory");
		goto out;
	}
	memcpy(hex, "\\x", 2);
	crypto_hex(body, len, hex + 2);
	params[0] = who.tenant_id;
	params[1] = who.assessment_id;
	params[2] = code;
	params[3] = name;
	params[4] = type;
	params[5] = size;
	params[6] = digest;
	params[7] = hex;
	params[8] = who.actor;
	if ((err = db_exec(r->db, &insert_stmt, 9, params, &res)))
		goto out;
	file = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	json_array_append(json_object_get(s.a, "files"), file);
	/* A file question is answered by its files: the answer lists them. */
	if (content_type_of(q) == CONTENT_FILE) {
		json_t *list;

		answers = json_deep_copy(json_object_get(s.a, "answers"));
		if (!json_is_array(list = json_object_get(answers, code)))
			json_object_set_new(answers, code, list = json_array());
		json_array_append_new(list, json_string(PQgetvalue(res, 0, 0)));
	}
	if ((err = respond_touch(r, &who, &s, answers, "assessment.file_uploaded")))
		goto out;
	ret = req_commit_json(r, 201, json_pack("{s:O, s:O, s:O}", "file", file, "answers_version",
						json_object_get(s.a, "answers_version"), "status",
						json_object_get(s.a, "status")), 0);
out:
	json_decref(file);
	json_decref(answers);
	free(hex);
	PQclear(res);
	respond_sheet_free(&s);
	return req_end(r, ret, err);
}

static struct db_stmt delete_stmt = DB_STMT(
	"delete from assessment_files where tenant_id = $1 and assessment_id = $2 and id = $3"
	" returning question_code");

/* DELETE /v1/respond/{token}/files/{file_id}: before submission only. */
int respond_file_delete(struct req *r)
{
	const char *id = req_param(r, "file_id");
	struct respondent who;
	struct sheet s = { 0 };
	const char *params[3];
	json_t *answers = NULL, *q, *list;
	PGresult *res = NULL;
	int err = 0, ret = -1;

	if (respond_open(r, &who, 1, &s) || respond_editable(r, &s))
		goto out;
	if (!id || !crypto_is_uuid(id)) {
		req_fail(r, 404, "not-found", "no evidence file of this assessment with this id");
		goto out;
	}
	params[0] = who.tenant_id;
	params[1] = who.assessment_id;
	params[2] = id;
	if ((err = db_exec(r->db, &delete_stmt, 3, params, &res)))
		goto out;
	if (!PQntuples(res)) {
		req_fail(r, 404, "not-found", "no evidence file of this assessment with this id");
		goto out;
	}
	if (!respond_item_open(&s, PQgetvalue(res, 0, 0))) {
		req_fail(r, 409, "invalid-transition",
			 "while items are returned, only the files of those items can be deleted");
		goto out;
	}
	q = respond_question(&s, PQgetvalue(res, 0, 0));
	if (q && content_type_of(q) == CONTENT_FILE) {
		size_t i;
		json_t *v;

		answers = json_deep_copy(json_object_get(s.a, "answers"));
		list = json_object_get(answers, PQgetvalue(res, 0, 0));
		json_array_foreach(list, i, v)
			if (!strcasecmp(json_string_value(v), id)) {
				json_array_remove(list, i);
				break;
			}
		if (json_array_size(list) == 0)
			json_object_del(answers, PQgetvalue(res, 0, 0));
	}
	if ((err = respond_touch(r, &who, &s, answers, "assessment.file_deleted")))
		goto out;
	ret = req_commit_json(r, 204, NULL, 0);
out:
	json_decref(answers);
	PQclear(res);
	respond_sheet_free(&s);
	return req_end(r, ret, err);
}

/* ---- download (staff) ------------------------------------------------------------- */

static struct db_stmt get_stmt = DB_STMT(
	"select f.filename, f.content_type, f.data, f.sha256 from assessment_files f"
	" where f.tenant_id = $1 and f.assessment_id = $2 and f.id = $3");

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

/* attachment; filename="<ASCII, others as _>"; filename*=UTF-8''<percent-encoded> */
static void disposition(const char *name, char *out, size_t cap)
{
	static const char hexd[] = "0123456789ABCDEF";
	size_t o = (size_t)snprintf(out, cap, "attachment; filename=\"");

	for (const char *p = name; *p && o + 2 < cap; p++)
		out[o++] = ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == '"' || *p == '\\') ? '_' : *p;
	o += (size_t)snprintf(out + o, cap - o, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 4 < cap; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$&+-.^_`|~", *p)) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hexd[*p >> 4];
			out[o++] = hexd[*p & 15];
		}
	}
	out[o < cap ? o : cap - 1] = '\0';
}

/* GET /v1/assessments/{id}/files/{file_id}: the bytes as uploaded. Sent
 * as an attachment and never sniffed, so a browser neither shows nor
 * runs it in our origin. */
int respond_file_download(struct req *r)
{
	const char *id = req_param_uuid(r, "id", "assessment");
	int ret;

	if (!id)
		return -1;
	ret = respond_file_serve(r, id, &get_stmt);
	return ret == 1 ? req_fail(r, 404, "not-found", "no evidence file of this assessment with this id") : ret;
}

static int respond_file_send(struct req *r, PGresult *res);

int respond_file_serve(struct req *r, const char *owner, struct db_stmt *get)
{
	const char *file = req_param(r, "file_id");
	const char *params[3] = { r->who.tenant_id, owner, file };
	PGresult *res = NULL;
	int err, ret;

	if (!file || !crypto_is_uuid(file))
		return 1;
	if (!req_db(r))
		return -1;
	if ((err = db_exec(r->db, get, 3, params, &res)))
		return req_fail_db(r, err);
	ret = PQntuples(res) ? respond_file_send(r, res) : 1;
	PQclear(res);
	return ret;
}

/* Answers 200 with the bytes of res's first row (filename, content_type,
 * data as bytea hex) as an attachment, never sniffed. */
static int respond_file_send(struct req *r, PGresult *res)
{
	const char *hex = PQgetvalue(res, 0, 2) + 2;   /* bytea in hex output: \x... */
	size_t n = strlen(hex) / 2;
	char type[160], cd[4096], *bytes;
	int ret;

	if (!(bytes = malloc(n ? n : 1)))
		return req_fail(r, 500, "internal", "out of memory");
	for (size_t i = 0; i < n; i++)
		bytes[i] = (char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
	snprintf(type, sizeof(type), "%s%s", PQgetvalue(res, 0, 1),
		 !strncmp(PQgetvalue(res, 0, 1), "text/", 5) ? "; charset=utf-8" : "");
	disposition(PQgetvalue(res, 0, 0), cd, sizeof(cd));
	ret = req_raw(r, 200, type, bytes, n);
	req_set_header(r, "Content-Disposition", cd);
	req_set_header(r, "X-Content-Type-Options", "nosniff");
	free(bytes);
	return ret;
}
