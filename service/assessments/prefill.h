/*
 * prefill.h - last time's answers as suggestions in the respondent's view
 * (issue 18, "prefill from the last answers").
 *
 * A suggestion is never an answer: nothing is written here, and a
 * suggested value counts (in progress, scoring, submission) only once the
 * respondent saves it through PUT /v1/respond/{token}/answers.
 *
 * Where suggestions come from: the vendor's last completed assessment on
 * the same questionnaire template (any version) that is not a re-check,
 * overlaid with the re-checks completed after it (a re-check's newer
 * answer wins), so that each code carries its latest completed answer and
 * the assessment it came from. Codes are compared only within one template:
 * the same code on another template is another question.
 *
 * A question gets a suggestion only while the respondent may change it
 * (the assessment is with the vendor and, after a return, the item is
 * returned), it is shown (not excluded when sent, not hidden by
 * depends_on), it has no answer yet, and the previous value is still a
 * valid answer to this version's question (answers_check()).
 *
 * Evidence: a question that needs evidence (evidence always/when_yes, or
 * a file question) lists the previous files with expired true when they
 * are older than the tenant's evidence_max_age_months (settings, default
 * 12). Previous files are never copied into the new assessment, so its
 * submission needs files uploaded to it, as before; expired tells the
 * respondent that last year's document itself must be renewed, not just
 * sent again. A file question's suggestion has value null (its answer is
 * its files).
 */
#ifndef ITAKU_ASSESSMENT_PREFILL_H
#define ITAKU_ASSESSMENT_PREFILL_H

#include <jansson.h>
#include "assessments/respond.h"
#include "db/db.h"

/* respond_view(s) with "suggestion": {value, from_assessment, answered_on
 * [, files: [{filename, content_type, size, sha256, created_at, expired}]]}
 * on each question that gets one, read on db (one statement; inside the
 * caller's transaction when it holds one). *view is new (caller decrefs)
 * on success, NULL otherwise. Returns 0 or a negative db_err. */
int prefill_view(struct db_conn *db, const struct respondent *who, const struct sheet *s, json_t **view);

#endif
