/*
 * comparison.h - what changed at a vendor between two assessments, answer
 * by answer (issue 18, "answer-level comparison"), for staff reviewing
 * this year's answers against last year's.
 *
 * "new" is the assessment in the path, "old" the one it is compared with:
 * ?against=, or by default the assessment a re-check re-checks, or else
 * the same vendor's latest completed assessment on the same template (any
 * version) created before it that is not a re-check (a re-check asks only
 * a few questions). Both must be of the caller's tenant and of the same
 * vendor; nothing is written.
 *
 * Questions are matched by code across versions (docs/questionnaires.md:
 * codes are stable). On the same template, a code only in the new version
 * is "added", only in the old "removed". On different templates only the
 * codes both use are compared, the overall change is not computed, and a
 * note says so (with no code in common the diff is empty: a note, not an
 * error).
 *
 * Scores: each side's stored score (with its per-question "questions"
 * map) when it has one, else computed now by scoring_score() from its
 * answers and exclusions. Evidence: files by question, matched by SHA-256
 * (the same bytes uploaded again are not "added"); "expired": the old
 * side's files older than the tenant's evidence_max_age_months on the day
 * the new side was submitted (today while it is not). Findings: this
 * vendor's findings opened, and those resolved or risk-accepted, between
 * the two sides' dates (completion, else submission, else now).
 */
#ifndef ITAKU_ASSESSMENT_COMPARISON_H
#define ITAKU_ASSESSMENT_COMPARISON_H

struct req;

/* GET /v1/assessments/{id}/comparison */
int comparison_get(struct req *r);
/* GET /v1/assessments/{id}/comparison.csv: one row per question */
int comparison_csv(struct req *r);

#endif
