/*
 * export.h - the record of a vendor's negotiations for either side to
 * keep: every request, estimate revision, negotiation, session, outcome
 * and vendor confirmation. CSV for spreadsheets (UTF-8 with a byte order
 * mark, so Excel reads the Japanese right; one line per record, formula
 * characters guarded by util/csv) and JSON (the documents as the API
 * shows them).
 */
#ifndef ITAKU_NEGOTIATIONS_EXPORT_H
#define ITAKU_NEGOTIATIONS_EXPORT_H

struct req;

int export_csv(struct req *r);    /* GET /v1/vendors/{id}/negotiation-records/export.csv */
int export_json(struct req *r);   /* GET /v1/vendors/{id}/negotiation-records/export.json */

#endif
