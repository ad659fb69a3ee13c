/*
 * history.h - what a negotiation records over time: sessions (date,
 * channel, participants on both sides, proposals with amounts, minutes)
 * and outcomes (price_revised, partially, declined, cost_borne_by_outsourcer,
 * withdrawn, pending). Both are append-only: a recorded entry is corrected
 * by a new one that names it in `corrects`, and the latest outcome is the
 * one that counts. Each is audited; an outcome emits
 * negotiation.outcome_recorded (sql/functions/90_negotiations.sql).
 */
#ifndef ITAKU_NEGOTIATIONS_HISTORY_H
#define ITAKU_NEGOTIATIONS_HISTORY_H

struct req;

int history_add_session(struct req *r);   /* POST /v1/negotiations/{id}/sessions */
int history_add_outcome(struct req *r);   /* POST /v1/negotiations/{id}/outcomes */

#endif
