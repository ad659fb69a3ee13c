/*
 * vendor_sync.h - ERP sync: PUT /v1/vendors/by-ref/{external_ref} (upsert by
 * the ERP's code, answering Itaku-Sync-Result) and POST /v1/vendors/batch
 * (up to 1,000, valid_only or all_or_nothing, a result per item).
 */
#ifndef ITAKU_VENDOR_SYNC_H
#define ITAKU_VENDOR_SYNC_H

struct req;

int vendors_put_by_ref(struct req *r);
int vendors_batch(struct req *r);

#endif
