/*
 * controls.h - the catalogue of control references questions may carry
 * (ISO/IEC 27001 Annex A, the NISC eight items, APPI areas, NISC handbook
 * measures, METI SCS levels): one table shared by all tenants, written by
 * migrations only.
 */
#ifndef ITAKU_QUESTIONNAIRE_CONTROLS_H
#define ITAKU_QUESTIONNAIRE_CONTROLS_H

#include <jansson.h>
#include "core/problem.h"
#include "db/db.h"

struct req;

/* GET /v1/control-references */
int controls_list(struct req *r);

/* Adds an error to p for every control reference of normalised content
 * that is not in the catalogue. Returns 0 or a db_err. */
int controls_check_known(struct db_conn *db, struct problem *p, json_t *content);

#endif
