/*
 * corpmaster.h - import of the National Tax Agency's corporate number data
 * (法人番号公表サイト 全件/差分データ, Unicode edition: UTF-8 CSV, no header,
 * 30 columns) into the tenant-independent corporate_master table.
 *
 * The file is streamed: sent as the file part of a multipart/form-data
 * body, it reaches corpmaster_upload() block by block while it is still
 * being received, is parsed row by row and written in batches of 500, so
 * a file of millions of rows never sits in memory. A small file may also be
 * sent as a text/csv body (up to ITAKU_MAX_BODY_BYTES).
 *
 * Each row is checked before it is written; a bad row is reported by line
 * number and skipped whole. A row only replaces a stored one with the same
 * corporate number when its update date is not older, so later files win
 * and re-importing an older file changes nothing. Batches commit as they
 * go: an interrupted upload leaves the rows already written (each a whole
 * fact) and can simply be sent again.
 */
#ifndef ITAKU_CORPMASTER_H
#define ITAKU_CORPMASTER_H

#include <stddef.h>
#include <stdint.h>

struct app;
struct req;
struct _u_request;

/* ulfius' file upload callback (cls is the struct app). Authenticates on
 * the first block; blocks of an unauthorised or unrelated request are
 * dropped and the normal pipeline answers it. */
int corpmaster_upload(const struct _u_request *request, const char *key, const char *filename,
		      const char *content_type, const char *transfer_encoding, const char *data,
		      uint64_t off, size_t size, void *cls);

/* POST /v1/corporate-master/import: finishes the streamed import (or parses
 * a text/csv body) and answers the summary. */
int corpmaster_import(struct req *r);

/* Drops what an upload left for request when the request ends without
 * reaching corpmaster_import() (refused by auth, for example). */
void corpmaster_discard(const void *request);

/* Drops imports whose upload stopped more than max_idle_s seconds ago. */
void corpmaster_reap(int max_idle_s);

#endif
