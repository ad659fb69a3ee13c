/*
 * sheet_csv.c - content to CSV and back.
 */
#include "questionnaires/sheet_csv.h"
#include "questionnaires/sheet_columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct sheet_column sheet_columns[] = {
	{ "しきい値・問題なし / threshold_no_issues", "threshold_no_issues", SHEET, "thresholds", "no_issues", NUMBER },
	{ "しきい値・経過観察 / threshold_watch", "threshold_watch", SHEET, "thresholds", "watch", NUMBER },
	{ "得点・はい / score_yes", "score_yes", SHEET, "scale_scores", "yes", NUMBER },
	{ "得点・一部 / score_partially", "score_partially", SHEET, "scale_scores", "partially", NUMBER },
	{ "得点・いいえ / score_no", "score_no", SHEET, "scale_scores", "no", NUMBER },
	{ "シートの適用条件 / sheet_applicability", "sheet_applicability", SHEET, "applicability", "all", CONDITIONS },
	{ "シートの適用条件の説明 / sheet_applicability_explanation_ja", "sheet_applicability_explanation_ja",
	  SHEET, "applicability", "explanation_ja", TEXT },
	{ "シートの適用条件の説明・英語 / sheet_applicability_explanation_en", "sheet_applicability_explanation_en",
	  SHEET, "applicability", "explanation_en", TEXT },
	{ "セクションコード / section_code", "section_code", SECTION, NULL, "code", TEXT },
	{ "セクション名 / section_title_ja", "section_title_ja", SECTION, NULL, "title_ja", TEXT },
	{ "セクション名・英語 / section_title_en", "section_title_en", SECTION, NULL, "title_en", TEXT },
	{ "セクションの重み / section_weight", "section_weight", SECTION, NULL, "weight", NUMBER },
	{ "セクションの適用条件 / section_applicability", "section_applicability", SECTION, "applicability", "all", CONDITIONS },
	{ "セクションの適用条件の説明 / section_applicability_explanation_ja", "section_applicability_explanation_ja",
	  SECTION, "applicability", "explanation_ja", TEXT },
	{ "セクションの適用条件の説明・英語 / section_applicability_explanation_en", "section_applicability_explanation_en",
	  SECTION, "applicability", "explanation_en", TEXT },
	{ "設問コード / code", "code", QUESTION, NULL, "code", TEXT },
	{ "設問 / text_ja", "text_ja", QUESTION, NULL, "text_ja", TEXT },
	{ "設問・英語 / text_en", "text_en", QUESTION, NULL, "text_en", TEXT },
	{ "補足 / help_ja", "help_ja", QUESTION, NULL, "help_ja", TEXT },
	{ "補足・英語 / help_en", "help_en", QUESTION, NULL, "help_en", TEXT },
	{ "回答形式 / answer_type", "answer_type", QUESTION, NULL, "answer_type", TEXT },
	{ "選択肢 / choices", "choices", QUESTION, NULL, "choices", CHOICES },
	{ "該当なしの可否 / not_applicable_allowed", "not_applicable_allowed", QUESTION, NULL, "not_applicable_allowed", BOOL },
	{ "単位 / unit", "unit", QUESTION, NULL, "unit", TEXT },
	{ "最小値 / min", "min", QUESTION, NULL, "min", NUMBER },
	{ "最大値 / max", "max", QUESTION, NULL, "max", NUMBER },
	{ "重み / weight", "weight", QUESTION, NULL, "weight", NUMBER },
	{ "必須 / required", "required", QUESTION, NULL, "required", BOOL },
	{ "証跡 / evidence", "evidence", QUESTION, NULL, "evidence", TEXT },
	{ "必達 / knockout", "knockout", QUESTION, NULL, "knockout", BOOL },
	{ "適用条件 / applicability", "applicability", QUESTION, "applicability", "all", CONDITIONS },
	{ "適用条件の説明 / applicability_explanation_ja", "applicability_explanation_ja",
	  QUESTION, "applicability", "explanation_ja", TEXT },
	{ "適用条件の説明・英語 / applicability_explanation_en", "applicability_explanation_en",
	  QUESTION, "applicability", "explanation_en", TEXT },
	{ "免除 / exemptions", "exemptions", QUESTION, NULL, "exemptions", EXEMPTIONS },
	{ "表示条件 / depends_on", "depends_on", QUESTION, NULL, "depends_on", DEPENDS },
	{ "管理策 / controls", "controls", QUESTION, NULL, "controls", LIST },
	{ "是正の提案 / remediation_ja", "remediation_ja", QUESTION, NULL, "remediation_ja", TEXT },
	{ "是正の提案・英語 / remediation_en", "remediation_en", QUESTION, NULL, "remediation_en", TEXT },
};
const size_t sheet_ncolumns = sizeof(sheet_columns) / sizeof(sheet_columns[0]);

size_t sheet_column_index(const char *name)
{
	size_t k = 0;

	while (k + 1 < sheet_ncolumns && strcmp(sheet_columns[k].name, name))
		k++;
	return k;
}

/* ---- writing ------------------------------------------------------------- */

static void put(struct csv_buf *b, const char *s)
{
	csv_put(b, s, strlen(s));
}

/* A part of a " | " line, escaped. */
static void put_part(struct csv_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '|')
			csv_put(b, "\\", 1);
		if (*s == '\n')
			put(b, "\\n");
		else
			csv_put(b, s, 1);
	}
}

static void put_number(struct csv_buf *b, json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));

	if (s)
		put(b, s);
	free(s);
}

static void put_list(struct csv_buf *b, json_t *list, const char *sep)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v) {
		if (i)
			put(b, sep);
		put(b, json_string_value(v));
	}
}

static void put_condition(struct csv_buf *b, json_t *c)
{
	put(b, json_string_value(json_object_get(c, "fact")));
	if (json_object_get(c, "equals")) {
		put(b, json_is_true(json_object_get(c, "equals")) ? " = true" : " = false");
	} else if (json_object_get(c, "at_least")) {
		put(b, " >= ");
		put_number(b, json_object_get(c, "at_least"));
	} else {
		put(b, " in ");
		put_list(b, json_object_get(c, "any_of"), ", ");
	}
}

/* The cell of column c for holder (the sheet, a section or a question). */
static void put_cell(struct csv_buf *b, const struct sheet_column *c, json_t *holder)
{
	json_t *v = json_object_get(c->object ? json_object_get(holder, c->object) : holder, c->member), *x;
	size_t i;

	if (!v || json_is_null(v))
		return;
	switch (c->kind) {
	case TEXT:
		put(b, json_string_value(v));
		break;
	case NUMBER:
		put_number(b, v);
		break;
	case BOOL:
		put(b, json_is_true(v) ? "true" : "false");
		break;
	case LIST:
		put_list(b, v, "; ");
		break;
	case CONDITIONS:
		json_array_foreach(v, i, x) {
			if (i)
				put(b, "; ");
			put_condition(b, x);
		}
		break;
	case CHOICES:
	case EXEMPTIONS:
		json_array_foreach(v, i, x) {
			json_t *en = json_object_get(x, c->kind == CHOICES ? "label_en" : "explanation_en");

			if (i)
				put(b, "\n");
			if (c->kind == CHOICES) {
				put_part(b, json_string_value(json_object_get(x, "code")));
				put(b, " | ");
				if (json_is_null(json_object_get(x, "score")))
					put(b, "null");
				else
					put_number(b, json_object_get(x, "score"));
				put(b, " | ");
				put_part(b, json_string_value(json_object_get(x, "label_ja")));
			} else {
				put_part(b, json_string_value(json_object_get(x, "certification")));
				put(b, json_is_true(json_object_get(x, "scope_verified")) ? " | true | " : " | false | ");
				put_part(b, json_string_value(json_object_get(x, "explanation_ja")));
			}
			if (en) {
				put(b, " | ");
				put_part(b, json_string_value(en));
			}
		}
		break;
	case DEPENDS:
		put(b, json_string_value(json_object_get(v, "question")));
		put(b, json_object_get(v, "all_of") ? " all " : " in ");
		put_list(b, json_object_get(v, json_object_get(v, "all_of") ? "all_of" : "any_of"), ", ");
		break;
	}
}

void sheet_csv_write(json_t *content, struct csv_buf *out)
{
	json_t *s, *q;
	size_t i, j, k;

	put(out, "\xEF\xBB\xBF");
	for (k = 0; k < sheet_ncolumns; k++)
		csv_field(out, sheet_columns[k].header, k == 0, 0);
	csv_end_record(out);
	json_array_foreach(json_object_get(content, "sections"), i, s) {
		json_array_foreach(json_object_get(s, "questions"), j, q) {
			for (k = 0; k < sheet_ncolumns; k++) {
				json_t *holder = sheet_columns[k].level == SHEET ? content :
						 sheet_columns[k].level == SECTION ? s : q;
				struct csv_buf cell = { 0 };

				put_cell(&cell, &sheet_columns[k], holder);
				csv_field(out, cell.data ? cell.data : "", k == 0, sheet_columns[k].kind == TEXT);
				csv_buf_free(&cell);
			}
			csv_end_record(out);
		}
	}
}

/* ---- locating content errors --------------------------------------------- */

/* The column of level for the member path rest ("/weight",
 * "/applicability/all/0/fact"), or NULL. */
static const struct sheet_column *column_for(enum sheet_level level, const char *rest)
{
	char first[40] = "", second[40] = "";

	sscanf(rest, "/%39[^/]/%39[^/]", first, second);
	for (size_t k = 0; k < sheet_ncolumns; k++) {
		const struct sheet_column *c = &sheet_columns[k];

		if (c->level != level)
			continue;
		if (c->object ? !strcmp(c->object, first) && (!strcmp(c->member, second) ||
			(strcmp(second, "explanation_ja") && strcmp(second, "explanation_en") &&
			 !strcmp(c->member, "all"))) : !strcmp(c->member, first))
			return c;
	}
	return NULL;
}

void sheet_csv_locate(struct problem *p, size_t from, json_t *rows)
{
	for (size_t i = from; i < json_array_size(p->errors); i++) {
		json_t *e = json_array_get(p->errors, i);
		const char *ptr = json_string_value(json_object_get(e, "pointer")), *rest;
		enum sheet_level level = SHEET;
		const struct sheet_column *c;
		char key[64] = "", out[96];
		size_t si, qi;
		int used = 0;

		if (!ptr)
			continue;
		if (sscanf(ptr, "/sections/%zu/questions/%zu%n", &si, &qi, &used) == 2 && used) {
			snprintf(key, sizeof(key), "/sections/%zu/questions/%zu", si, qi);
			level = QUESTION;
		} else if (sscanf(ptr, "/sections/%zu%n", &si, &used) == 1 && used) {
			snprintf(key, sizeof(key), "/sections/%zu", si);
			level = SECTION;
		}
		rest = ptr + used;
		c = column_for(level, rest);
		if (!json_object_get(rows, key))
			snprintf(out, sizeof(out), "/rows");
		else if (c)
			snprintf(out, sizeof(out), "/rows/%lld/%s", json_integer_value(json_object_get(rows, key)), c->name);
		else
			snprintf(out, sizeof(out), "/rows/%lld", json_integer_value(json_object_get(rows, key)));
		json_object_set_new(e, "pointer", json_string(out));
	}
}
