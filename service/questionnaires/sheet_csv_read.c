/*
 * sheet_csv_read.c - CSV back to content, every bad cell reported.
 */
#include "questionnaires/sheet_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "questionnaires/sheet_columns.h"

static void trim(char **s, char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

/* Splits s (modified in place) at sep outside escapes into at most max
 * trimmed parts, unescaping \| \\ \n when escapes. Returns the count, or
 * max + 1 when there are more. */
static size_t split(char *s, char sep, int escapes, char **parts, size_t max)
{
	size_t n = 0;
	char *start = s, *w = s, *e;
	int last;

	for (char *r = s;; r++) {
		if (escapes && *r == '\\' && r[1]) {
			r++;
			*w++ = *r == 'n' ? '\n' : *r;
			continue;
		}
		if (*r != sep && *r) {
			*w++ = *r;
			continue;
		}
		last = !*r;     /* before the NUL below may overwrite *r */
		e = w;
		trim(&start, &e);
		if (n == max)
			return max + 1;
		*e = '\0';
		parts[n++] = start;
		if (last)
			return n;
		start = w = r + 1;
	}
}

static json_t *number_of(const char *s)
{
	json_t *v = *s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;

	if (v && !json_is_number(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static json_t *bool_of(const char *s)
{
	if (!strcasecmp(s, "true"))
		return json_true();
	if (!strcasecmp(s, "false"))
		return json_false();
	return NULL;
}

static json_t *list_of(char *s, char sep)
{
	char *parts[64];
	size_t n = split(s, sep, 0, parts, 63);
	json_t *list = json_array();

	for (size_t i = 0; i < n && i < 63; i++)
		if (*parts[i])
			json_array_append_new(list, json_string(parts[i]));
	return list;
}

static json_t *condition_of(char *s, const char **why)
{
	char *op, *end;
	json_t *v;

	*why = "each condition must read: fact = true, fact = false, fact in a, b, or confidentiality >= n";
	if ((op = strstr(s, ">=")) || (op = strchr(s, '=')) || (op = strstr(s, " in "))) {
		int ge = op[0] == '>', in = op[0] == ' ';
		char *rest = op + (ge ? 2 : in ? 4 : 1);

		end = op;
		trim(&s, &end);
		*end = '\0';
		while (*rest == ' ')
			rest++;
		if (ge && (v = number_of(rest)))
			return json_pack("{s:s, s:o}", "fact", s, "at_least", v);
		if (!ge && !in && (v = bool_of(rest)))
			return json_pack("{s:s, s:o}", "fact", s, "equals", v);
		if (in)
			return json_pack("{s:s, s:o}", "fact", s, "any_of", list_of(rest, ','));
	}
	return NULL;
}

/* Choices or exemptions: one per line, parts separated by " | ". */
static json_t *lines_of(char *s, enum sheet_kind kind, const char **why)
{
	json_t *list = json_array(), *item, *v;
	char *line, *next, *parts[5];

	*why = kind == CHOICES ? "each line must read: code | score | label_ja | label_en (label_en may be left out; score null for a choice that does not count)" :
	       "each line must read: certification | scope_verified | explanation_ja | explanation_en (explanation_en may be left out)";
	for (line = s; line; line = next) {
		size_t n;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		if (!line[strspn(line, " \t\r")])
			continue;
		n = split(line, '|', 1, parts, 4);
		if (n < 3 || n > 4)
			goto fail;
		if (kind == CHOICES) {
			v = !strcmp(parts[1], "null") ? json_null() : number_of(parts[1]);
			if (!v)
				goto fail;
			item = json_pack("{s:s, s:o, s:s}", "code", parts[0], "score", v, "label_ja", parts[2]);
			if (n == 4)
				json_object_set_new(item, "label_en", json_string(parts[3]));
		} else {
			if (!(v = bool_of(parts[1])))
				goto fail;
			item = json_pack("{s:s, s:o, s:s}", "certification", parts[0], "scope_verified", v,
					 "explanation_ja", parts[2]);
			if (n == 4)
				json_object_set_new(item, "explanation_en", json_string(parts[3]));
		}
		json_array_append_new(list, item);
	}
	return list;
fail:
	json_decref(list);
	return NULL;
}

static json_t *depends_of(char *s, const char **why)
{
	char *sp = strchr(s, ' '), *rest;
	int all;

	*why = "must read: CODE in a, b (any of the answers) or CODE all a, b (all of them)";
	if (!sp)
		return NULL;
	*sp = '\0';
	rest = sp + 1;
	while (*rest == ' ')
		rest++;
	all = !strncmp(rest, "all ", 4);
	if (!all && strncmp(rest, "in ", 3))
		return NULL;
	return json_pack("{s:s, s:o}", "question", s, all ? "all_of" : "any_of",
			 list_of(rest + (all ? 4 : 3), ','));
}

/* The value of a cell (a copy of the text, worked on in place), or NULL
 * with why set; an empty cell is *empty. */
static json_t *value_of(const struct sheet_column *c, const char *cell, const char **why, int *empty)
{
	char *s = strdup(cell), *parts[7];
	json_t *v = NULL;
	size_t n, i;

	*empty = !*cell;
	*why = NULL;
	if (!s || *empty) {
		free(s);
		return NULL;
	}
	switch (c->kind) {
	case TEXT:
		v = json_string(csv_unguard(cell));
		break;
	case NUMBER:
		if (!(v = number_of(s)))
			*why = "must be a number";
		break;
	case BOOL:
		if (!(v = bool_of(s)))
			*why = "must be true or false";
		break;
	case LIST:
		v = list_of(s, ';');
		break;
	case CONDITIONS:
		v = json_array();
		n = split(s, ';', 0, parts, 6);
		for (i = 0; i < n && i < 6 && v; i++) {
			json_t *c1 = condition_of(parts[i], why);

			if (!c1) {
				json_decref(v);
				v = NULL;
			} else {
				json_array_append_new(v, c1);
			}
		}
		if (v && n > 6) {
			*why = "holds more than 6 conditions";
			json_decref(v);
			v = NULL;
		}
		if (v)
			*why = NULL;
		break;
	case CHOICES:
	case EXEMPTIONS:
		if ((v = lines_of(s, c->kind, why)))
			*why = NULL;
		break;
	case DEPENDS:
		if ((v = depends_of(s, why)))
			*why = NULL;
		break;
	}
	free(s);
	return v;
}

static void set_value(json_t *holder, const struct sheet_column *c, json_t *v)
{
	if (c->object) {
		json_t *o = json_object_get(holder, c->object);

		if (!o) {
			o = json_object();
			json_object_set_new(holder, c->object, o);
		}
		holder = o;
	}
	json_object_set_new(holder, c->member, v);
}

/* Reads the cells of one level of a row into holder. */
static void read_level(struct problem *p, json_t *cells, enum sheet_level level, json_t *holder, size_t row)
{
	for (size_t k = 0; k < sheet_ncolumns; k++) {
		const char *why;
		int empty;
		json_t *v;

		if (sheet_columns[k].level != level)
			continue;
		v = value_of(&sheet_columns[k], json_string_value(json_array_get(cells, k)), &why, &empty);
		if (v) {
			set_value(holder, &sheet_columns[k], v);
		} else if (!empty) {
			char ptr[96];

			snprintf(ptr, sizeof(ptr), "/rows/%zu/%s", row, sheet_columns[k].name);
			problem_add_pointer(p, ptr, "%s", why ? why : "is not readable");
		}
	}
}

/* Whether the cells of level in a and b are the same; the first column
 * that differs in *at. */
static int same_level(json_t *a, json_t *b, enum sheet_level level, size_t *at)
{
	for (size_t k = 0; k < sheet_ncolumns; k++) {
		if (sheet_columns[k].level == level && !json_equal(json_array_get(a, k), json_array_get(b, k))) {
			*at = k;
			return 0;
		}
	}
	return 1;
}

static int row_blank(json_t *cells)
{
	json_t *v;
	size_t i;

	json_array_foreach(cells, i, v)
		if (json_string_length(v))
			return 0;
	return 1;
}

static void check_header(struct problem *p, json_t *cells)
{
	char ptr[96];

	for (size_t k = 0; k < sheet_ncolumns; k++) {
		if (!json_is_string(json_array_get(cells, k)) ||
		    strcmp(json_string_value(json_array_get(cells, k)), sheet_columns[k].header)) {
			snprintf(ptr, sizeof(ptr), "/rows/1/%s", sheet_columns[k].name);
			problem_add_pointer(p, ptr, "the header row must be the one export writes; this column is %s",
					    sheet_columns[k].header);
			return;
		}
	}
	if (json_array_size(cells) != sheet_ncolumns)
		problem_add_pointer(p, "/rows/1", "the header row must have exactly %zu columns", sheet_ncolumns);
}

/* State while reading: the sheet's first row and the current section. */
struct reading {
	json_t *content, *sections, *rows;
	json_t *sheet_cells;       /* the first question row */
	json_t *section_cells;     /* the current section's first row */
	json_t *section;           /* the current section (borrowed from sections) */
	json_t *seen;              /* section codes already closed */
	size_t sheet_row, section_row;
};

static void read_row(struct problem *p, struct reading *st, json_t *cells, size_t row)
{
	size_t sc = sheet_column_index("section_code");
	const char *code = json_string_value(json_array_get(cells, sc));
	json_t *q = json_object();
	char ptr[96], key[48];
	size_t at;

	if (!st->sheet_cells) {
		st->sheet_cells = json_incref(cells);
		st->sheet_row = row;
		read_level(p, cells, SHEET, st->content, row);
	} else if (!same_level(cells, st->sheet_cells, SHEET, &at)) {
		snprintf(ptr, sizeof(ptr), "/rows/%zu/%s", row, sheet_columns[at].name);
		problem_add_pointer(p, ptr, "must be the same on every row (as on row %zu)", st->sheet_row);
	}
	if (!st->section || strcmp(code, json_string_value(json_array_get(st->section_cells, sc)))) {
		if (st->section)
			json_object_set_new(st->seen, json_string_value(json_array_get(st->section_cells, sc)), json_true());
		if (json_object_get(st->seen, code)) {
			snprintf(ptr, sizeof(ptr), "/rows/%zu/section_code", row);
			problem_add_pointer(p, ptr, "names a section whose rows ended earlier; keep a section's rows together");
		}
		st->section = json_pack("{s:[]}", "questions");
		json_array_append_new(st->sections, st->section);
		json_decref(st->section_cells);
		st->section_cells = json_incref(cells);
		st->section_row = row;
		read_level(p, cells, SECTION, st->section, row);
		snprintf(key, sizeof(key), "/sections/%zu", json_array_size(st->sections) - 1);
		json_object_set_new(st->rows, key, json_integer((json_int_t)row));
	} else if (!same_level(cells, st->section_cells, SECTION, &at)) {
		snprintf(ptr, sizeof(ptr), "/rows/%zu/%s", row, sheet_columns[at].name);
		problem_add_pointer(p, ptr, "must be the same on every row of the section (as on row %zu)", st->section_row);
	}
	read_level(p, cells, QUESTION, q, row);
	snprintf(key, sizeof(key), "/sections/%zu/questions/%zu", json_array_size(st->sections) - 1,
		 json_array_size(json_object_get(st->section, "questions")));
	json_object_set_new(st->rows, key, json_integer((json_int_t)row));
	json_array_append_new(json_object_get(st->section, "questions"), q);
}

json_t *sheet_csv_read(struct problem *p, const char *text, size_t len, json_t **rows)
{
	struct csv_reader rd = { text, text + len, 0, 0 };
	struct reading st = { 0 };
	size_t before = problem_error_count(p), questions = 0;
	const char *why = NULL;
	json_t *cells;
	int rc;

	st.content = json_object();
	st.sections = json_array();
	st.rows = json_object();
	st.seen = json_object();
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		rd.p += 3;
	json_object_set_new(st.content, "sections", st.sections);
	if ((rc = csv_read(&rd, &cells, SHEET_CSV_MAX_FIELD, &why)) <= 0) {
		problem_add_pointer(p, "/rows/1", "%s", rc < 0 ? why : "the file is empty: it needs the header row and one row per question");
		goto out;
	}
	check_header(p, cells);
	json_decref(cells);
	if (problem_error_count(p) > before)
		goto out;
	for (;;) {
		size_t row = rd.record + 1;
		char ptr[96];

		if ((rc = csv_read(&rd, &cells, SHEET_CSV_MAX_FIELD, &why)) == 0)
			break;
		if (rc < 0) {
			if (rd.field < sheet_ncolumns)
				snprintf(ptr, sizeof(ptr), "/rows/%zu/%s", row, sheet_columns[rd.field].name);
			else
				snprintf(ptr, sizeof(ptr), "/rows/%zu", row);
			problem_add_pointer(p, ptr, "%s", why);
			break;
		}
		snprintf(ptr, sizeof(ptr), "/rows/%zu", row);
		if (row_blank(cells)) {
			json_decref(cells);
			continue;
		}
		if (++questions > SHEET_CSV_MAX_ROWS) {
			problem_add_pointer(p, "/rows", "the file holds more than %d question rows", SHEET_CSV_MAX_ROWS);
			json_decref(cells);
			break;
		}
		if (json_array_size(cells) != sheet_ncolumns)
			problem_add_pointer(p, ptr, "has %zu cells; every row has %zu", json_array_size(cells), sheet_ncolumns);
		else
			read_row(p, &st, cells, row);
		json_decref(cells);
	}
	if (problem_error_count(p) == before && questions == 0)
		problem_add_pointer(p, "/rows", "the file has no question rows");
	json_object_set_new(st.rows, "", json_integer((json_int_t)st.sheet_row));
out:
	json_decref(st.sheet_cells);
	json_decref(st.section_cells);
	json_decref(st.seen);
	if (problem_error_count(p) > before) {
		json_decref(st.content);
		json_decref(st.rows);
		return NULL;
	}
	*rows = st.rows;
	return st.content;
}

