/*
 * vendor_doc.h - the writable part of a vendor, validated and normalised.
 *
 * Create, PATCH, the by-ref upsert and the batch all go through
 * vendor_doc_merge(): the fields sent are laid over the vendor's current
 * values (or the defaults for a new vendor), and the whole result is
 * checked, so every path enforces the same rules and reports every bad
 * field at once.
 */
#ifndef ITAKU_VENDOR_DOC_H
#define ITAKU_VENDOR_DOC_H

#include <jansson.h>
#include "core/problem.h"

/* Column list for jsonb_to_record() over a merged document. */
#define VENDOR_DOC_RECORD \
	"x(external_ref text, name text, name_kana text, corporate_number text," \
	" entity_type text, country text, address text, capital_jpy bigint," \
	" employee_count integer, department text, business_description text, tags text[]," \
	" status text, stability_notes text, contacts jsonb)"

#define VENDOR_DOC_COLUMNS \
	"external_ref, name, name_kana, corporate_number, entity_type, country, address," \
	" capital_jpy, employee_count, department, business_description, tags, status," \
	" stability_notes, contacts"

/* Lays patch over base (base NULL = a new vendor's defaults), validates and
 * normalises the result. Returns a new object holding every writable field
 * (caller must json_decref it), or NULL with the field errors added to p. */
json_t *vendor_doc_merge(struct problem *p, json_t *base, json_t *patch);

/* The writable fields of a vendor's full JSON, as a new object (caller must
 * json_decref it). */
json_t *vendor_doc_from(json_t *vendor);

#endif
