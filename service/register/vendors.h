/*
 * vendors.h - the vendor register: HTTP handlers and the shared writer.
 *
 * A vendor is never removed once anything refers to it: it is terminated
 * (status = terminated). Only a candidate with nothing attached can be
 * deleted; the database enforces both (vendors_guard_delete and the
 * foreign keys).
 */
#ifndef ITAKU_VENDORS_H
#define ITAKU_VENDORS_H

#include <jansson.h>

struct req;

/* SELECT list for the public JSON of vendor row alias v. */
#define VENDOR_JSON "vendor_json(v)::text"

/* Writes a merged, validated document (vendor_doc_merge) as a new vendor
 * (id NULL) or over vendor id, inside the caller's transaction, and
 * records the audit event. On success returns 0 and sets *out to the
 * vendor's JSON (caller must json_decref) and *version. On failure returns
 * -1 with the problem on r (409 for a duplicate external_ref or corporate
 * number). */
int vendor_write(struct req *r, const char *id, json_t *before, json_t *doc, json_t **out,
		 long *version);

/* Maps a unique violation on vendors to a 409 naming the field. */
int vendor_fail_unique(struct req *r, int err);

int vendors_create(struct req *r);
int vendors_get(struct req *r);
int vendors_update(struct req *r);
int vendors_delete(struct req *r);
int vendors_set_override(struct req *r);
int vendors_clear_override(struct req *r);
int vendors_add_monitoring(struct req *r);

/* Records a monitoring of vendor on date on (YYYY-MM-DD) with verdict,
 * inside the caller's transaction: the vendor row is locked, the record
 * written (assessment: the assessment it comes from, or NULL), the
 * vendor's last monitoring moved when this is not older, both audited.
 * *record gets the record's JSON (caller decrefs). Returns 0 or -1 with a
 * problem on r (404 for an unknown vendor). */
int vendors_record_monitoring(struct req *r, const char *vendor, const char *on, const char *verdict,
			      const char *note, const char *assessment, json_t **record);
int vendors_list_monitoring(struct req *r);

#endif
