/*
 * sheet_columns.h - the CSV columns of a questionnaire sheet, shared by
 * the writer (sheet_csv.c) and the reader (sheet_csv_read.c) of the
 * sheet_csv module; no other module includes it.
 */
#ifndef ITAKU_QUESTIONNAIRE_SHEET_COLUMNS_H
#define ITAKU_QUESTIONNAIRE_SHEET_COLUMNS_H

#include <stddef.h>

enum sheet_level { SHEET, SECTION, QUESTION };
enum sheet_kind { TEXT, NUMBER, BOOL, LIST, CHOICES, CONDITIONS, EXEMPTIONS, DEPENDS };

/* One column: where its value lives (the level's object, or a member
 * object of it) and how the cell is written. */
struct sheet_column {
	const char *header;   /* Japanese / English, as the header row shows it */
	const char *name;     /* in error pointers: /rows/17/<name> */
	enum sheet_level level;
	const char *object;   /* member object holding the value, or NULL */
	const char *member;
	enum sheet_kind kind;
};

extern const struct sheet_column sheet_columns[];
extern const size_t sheet_ncolumns;

/* Index of the column called name; the table has it. */
size_t sheet_column_index(const char *name);

#endif
