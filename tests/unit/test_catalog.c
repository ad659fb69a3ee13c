/* Unit tests: the message catalogue (i18n/catalog.h): language choice,
 * matching English texts to codes, Japanese rendering with arguments in
 * Japanese order, nested phrases, and the catalogue's own consistency. */
#include <string.h>
#include "harness.h"
#include "i18n/catalog.h"

START_TEST(language_from_accept_language)
{
	ck_assert_int_eq(catalog_lang(NULL), LANG_EN);
	ck_assert_int_eq(catalog_lang(""), LANG_EN);
	ck_assert_int_eq(catalog_lang("ja"), LANG_JA);
	ck_assert_int_eq(catalog_lang("ja-JP"), LANG_JA);
	ck_assert_int_eq(catalog_lang("JA-jp,en;q=0.5"), LANG_JA);
	ck_assert_int_eq(catalog_lang("en-US,ja;q=0.9"), LANG_EN);
	ck_assert_int_eq(catalog_lang("en;q=0.4, ja;q=0.5"), LANG_JA);
	ck_assert_int_eq(catalog_lang("fr,de"), LANG_EN);
	ck_assert_int_eq(catalog_lang("jav"), LANG_EN);
	ck_assert_int_eq(catalog_lang("*"), LANG_EN);
	ck_assert_str_eq(catalog_lang_tag(LANG_JA), "ja");
	ck_assert_str_eq(catalog_lang_tag(LANG_EN), "en");
}
END_TEST

START_TEST(texts_render_with_their_codes)
{
	char out[512];

	ck_assert_str_eq(catalog_render("is required", LANG_JA, out, sizeof(out)), "field.required");
	ck_assert_str_eq(out, "必須です");
	ck_assert_str_eq(catalog_render("is required", LANG_EN, out, sizeof(out)), "field.required");
	ck_assert_str_eq(out, "is required");
	/* arguments move to Japanese order */
	ck_assert_str_eq(catalog_render("depth 3 exceeds the maximum of 2 set on engagement \"給与計算\"",
					LANG_JA, out, sizeof(out)), "rule.depth_exceeded");
	ck_assert_str_eq(out, "深さ 3 は委託業務「給与計算」で定めた上限 2 を超えています");
	/* a catalogued phrase inside an argument is rendered too */
	ck_assert_str_eq(catalog_render("no engagement with this id", LANG_JA, out, sizeof(out)),
			 "engagement.not_found");
	ck_assert_str_eq(catalog_render("no certification with this id", LANG_JA, out, sizeof(out)),
			 "resource.not_found");
	ck_assert_str_eq(out, "この ID の認証はありません");
	ck_assert_str_eq(catalog_render("subcontractor \"印刷所\" at depth 2 of engagement \"給与\" "
					"has never been assessed (3 such subcontractors)", LANG_JA, out, sizeof(out)),
			 "risk.chain_unverified_never");
	ck_assert_str_eq(out, "委託業務「給与」の深さ 2 の再委託先「印刷所」は一度も評価されていません（該当する再委託先は 3 社）");
	/* the specific text wins over the generic template it also matches */
	ck_assert_str_eq(catalog_code("no vendor with this id"), "vendor.not_found");
	/* not catalogued: unchanged, no code */
	ck_assert_ptr_null(catalog_render("something nobody wrote down", LANG_JA, out, sizeof(out)));
	ck_assert_str_eq(out, "something nobody wrote down");
	/* a small buffer cuts between characters */
	catalog_render("is required", LANG_JA, out, 7);
	ck_assert_str_eq(out, "必須");
	ck_assert_str_eq(catalog_status_title(404, LANG_JA), "見つかりません");
	ck_assert_str_eq(catalog_status_title(404, LANG_EN), "Not found");
}
END_TEST

/* Whether the entry called code has exactly the English text en. */
static int same_english(const char *code, const char *en)
{
	for (size_t i = 0; i < catalog_messages_count; i++)
		if (!strcmp(catalog_messages[i].code, code))
			return !strcmp(catalog_messages[i].en, en);
	for (size_t i = 0; i < catalog_db_messages_count; i++)
		if (!strcmp(catalog_db_messages[i].code, code))
			return !strcmp(catalog_db_messages[i].en, en);
	return 0;
}

/* Every entry: a unique code, English that matches itself once its
 * placeholders are filled, and Japanese that names no argument the
 * English lacks. */
START_TEST(catalogue_is_consistent)
{
	const struct { const struct catalog_entry *e; size_t n; } tables[] = {
		{ catalog_messages, catalog_messages_count }, { catalog_db_messages, catalog_db_messages_count },
	};

	for (size_t t = 0; t < 2; t++) {
		for (size_t i = 0; i < tables[t].n; i++) {
			const struct catalog_entry *e = &tables[t].e[i];
			int args = 0, max_ref = 0;

			for (const char *s = e->en; *s; s++) {
				if (s[0] == '%' && s[1] == '%')
					s++;
				else if (s[0] == '%')
					args++;
			}
			for (const char *s = e->ja; *s; s++) {
				if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}' && s[1] - '0' > max_ref)
					max_ref = s[1] - '0';
			}
			ck_assert_msg(max_ref <= args, "%s: Japanese uses {%d} of %d arguments", e->code, max_ref, args);
			ck_assert_msg(catalog_code(e->en) != NULL || args > 0, "%s does not match itself", e->code);
			/* An earlier, more general template must not take its text
			 * (e.g. "must be %s" before "must be a number"). */
			if (args == 0)
				ck_assert_msg(!strcmp(catalog_code(e->en), e->code) || same_english(catalog_code(e->en), e->en),
					      "%s is taken by %s, listed earlier; move the general one after it",
					      e->code, catalog_code(e->en));
			for (size_t u = 0; u < 2; u++) {
				for (size_t j = 0; j < tables[u].n; j++) {
					if (&tables[u].e[j] != e)
						ck_assert_msg(strcmp(tables[u].e[j].code, e->code), "code %s twice", e->code);
				}
			}
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("catalog");

	tcase_add_test(tc, language_from_accept_language);
	tcase_add_test(tc, texts_render_with_their_codes);
	tcase_add_test(tc, catalogue_is_consistent);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}
