/*
 * respond.h - the vendor's side of an assessment, through its respondent
 * link: read the questionnaire, save answers, upload evidence, submit.
 *
 * No API key: the token in the path (/v1/respond/{token}) is the
 * credential. Every request first spends one unit of the link's
 * per-minute budget (ITAKU_RESPOND_LINK_RATE) in the statement that finds
 * the link, so the limit holds across replicas. An unknown or malformed
 * token answers 404; an expired, revoked or superseded one 410. The token
 * is never written anywhere: the audit trail names the respondent as
 * "respondent_link:<prefix>".
 *
 * What the respondent sees is the sheet without its scoring: never
 * weights, choice scores, knockouts, thresholds, remediation texts, the
 * score or verdict, the internal owner, or reviews of accepted items.
 */
#ifndef ITAKU_ASSESSMENT_RESPOND_H
#define ITAKU_ASSESSMENT_RESPOND_H

#include <jansson.h>
#include <libpq-fe.h>
#include "util/crypto.h"

struct req;
struct db_stmt;

/* GET /v1/respond/{token} */
int respond_get(struct req *r);
/* PUT /v1/respond/{token}/answers */
int respond_save(struct req *r);
/* POST /v1/respond/{token}/submit */
int respond_submit(struct req *r);
/* POST /v1/respond/{token}/files, DELETE /v1/respond/{token}/files/{file_id}
 * (respond_files.c) */
int respond_file_upload(struct req *r);
int respond_file_delete(struct req *r);
/* GET /v1/assessments/{id}/files/{file_id}: staff download (respond_files.c) */
int respond_file_download(struct req *r);
/* POST /v1/respond/{token}/findings/{finding_id}/files: the vendor's evidence
 * for a finding; GET /v1/findings/{id}/files/{file_id}: staff download
 * (finding_files.c) */
int finding_files_upload(struct req *r);
int finding_files_download(struct req *r);
/* GET /v1/respond/{token}/findings, POST /v1/respond/{token}/findings/{finding_id}
 * (respond_findings.c) */
int respond_findings_list(struct req *r);
int respond_findings_answer(struct req *r);
/* GET, POST /v1/respond/{token}/forwarding (respond_forward.c) */
int respond_forwarding_get(struct req *r);
int respond_forwarding_request(struct req *r);

/* ---- shared by respond.c and respond_files.c ---------------------------- */

/* The link a request came through. */
struct respondent {
	char tenant_id[CRYPTO_UUID_LEN];
	char link_id[CRYPTO_UUID_LEN];
	char assessment_id[CRYPTO_UUID_LEN];
	char actor[32];                 /* "respondent_link:" + prefix */
};

/* An assessment as the respondent's handlers work on it (owned; free
 * with respond_sheet_free()). */
struct sheet {
	json_t *a;         /* status, answers, answers_version, excluded, returned_items,
			      reviews, files, ... (see load_stmt in respond.c) */
	json_t *content;   /* the version's content, normalised */
	json_t *full;      /* assessment_json() when locked, for the audit trail; else NULL */
};

/* Finds the link of the request's token, spends one request of its
 * budget and reads the assessment (FOR UPDATE when lock, inside the
 * caller's transaction). Returns 0, or -1 with 404/410/429 on r. */
int respond_open(struct req *r, struct respondent *who, int lock, struct sheet *s);
void respond_sheet_free(struct sheet *s);

/* 0 when the respondent may still change the assessment (sent,
 * in_progress, returned); else -1 with 409 invalid-transition. */
int respond_editable(struct req *r, const struct sheet *s);
/* Whether code may change now: while items are returned, only those. */
int respond_item_open(const struct sheet *s, const char *code);
/* The question of code in the content, or NULL. */
json_t *respond_question(const struct sheet *s, const char *code);

/* Writes answers (NULL: unchanged) and moves sent/returned to
 * in_progress, audited as action by the respondent; answers_version goes
 * up by one when answers is given. The caller has opened the sheet with
 * lock; s->a then holds the new status, answers and version. Returns 0 or
 * a db_err. */
int respond_touch(struct req *r, const struct respondent *who, struct sheet *s, json_t *answers,
		  const char *action);

/* The questionnaire as the respondent sees it (caller decrefs). */
json_t *respond_view(const struct sheet *s);

/* ---- evidence files, shared by respond_files.c and finding_files.c ------- */

/* Checks an uploaded file's Content-Type (one of the accepted types, into
 * type), size and bytes (what the type says, never an executable).
 * Returns 0 or -1 with 413/415/422 on r. */
int respond_file_check(struct req *r, const unsigned char *body, size_t len, char type[101]);
/* The file's name from ?filename= or Content-Disposition, into out; NULL
 * with a parameter error on r (answer it with query_fail()). */
const char *respond_file_name(struct req *r, char out[1024]);
/* Answers 200 with the evidence file named by the path's file_id, read
 * by get ($1 tenant, $2 owner, $3 file -> filename, content_type, data as
 * bytea hex), as an attachment, never sniffed. Returns 1 when there is no
 * such file (the caller names what it is not of), else 0 or -1. */
int respond_file_serve(struct req *r, const char *owner, struct db_stmt *get);

#endif
