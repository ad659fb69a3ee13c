/*
 * sheet_csv.h - a version's content as one CSV row per question.
 *
 * The layout (docs/questionnaires.md, "CSV"): a header row naming every
 * column in Japanese and English, then one row per question in sheet
 * order; the sheet's columns (thresholds, scale scores, applicability) and
 * the section's columns are repeated on each row and must agree. Cells
 * holding several items use one line per item (choices, exemptions) or
 * "; " between items (controls, conditions); within a line " | " separates
 * the parts, with \| \\ and \n as escapes.
 *
 * Writing then reading gives the same content; reading then writing gives
 * the same bytes for a file this module wrote.
 */
#ifndef ITAKU_QUESTIONNAIRE_SHEET_CSV_H
#define ITAKU_QUESTIONNAIRE_SHEET_CSV_H

#include <jansson.h>
#include <stddef.h>
#include "core/problem.h"
#include "util/csv.h"

#define SHEET_CSV_MAX_ROWS 1000       /* question rows, as a version holds */
#define SHEET_CSV_MAX_FIELD 20000     /* bytes in one cell */

/* Writes normalised content, UTF-8 BOM first. */
void sheet_csv_write(json_t *content, struct csv_buf *out);

/* Reads text (valid UTF-8, BOM optional) into content that is not yet
 * checked (content_check() comes next). *rows receives, for locating
 * content_check()'s errors, an object "/sections/i/questions/j" -> row.
 * Returns the content (caller decrefs both), or NULL with errors on p. */
json_t *sheet_csv_read(struct problem *p, const char *text, size_t len, json_t **rows);

/* Rewrites the pointers of errors from index from on (content pointers)
 * as /rows/N/column. */
void sheet_csv_locate(struct problem *p, size_t from, json_t *rows);

#endif
