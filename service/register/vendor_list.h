/*
 * vendor_list.h - GET /v1/vendors (filters, search on NFKC-folded names,
 * sorts, keyset pages) and GET /v1/vendors/export.csv (the same list,
 * streamed as Excel-friendly CSV).
 */
#ifndef ITAKU_VENDOR_LIST_H
#define ITAKU_VENDOR_LIST_H

struct req;

int vendors_list(struct req *r);
int vendors_export(struct req *r);

#endif
