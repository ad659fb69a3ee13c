/*
 * catalog.h - the one catalogue of texts people read, in English and
 * Japanese, each with a stable machine code.
 *
 * Texts are written in English where they arise (a handler's problem
 * detail, a field message, a rule the database enforces, a risk reason
 * built in SQL), as git writes its messages for gettext. The catalogue
 * (messages.c for the service, messages_db.c for the database) lists every
 * such text once as its English template: a printf format, or a PL/pgSQL
 * RAISE format whose placeholder is a bare %, with the Japanese rendering,
 * where {1}, {2}, ... stand for the template's arguments in order (Japanese
 * word order differs, so arguments may move). An English text is matched
 * against the templates to find its code and its arguments; the Japanese
 * text is the rendering with those arguments, each itself translated when
 * it is a catalogued text (e.g. a phrase nested in a risk reason).
 *
 * Thread-safe: the templates are compiled once, on first use, and only
 * read afterwards. tests/contract/catalog.mjs checks that every literal
 * message in service/ and sql/ is catalogued.
 */
#ifndef ITAKU_CATALOG_H
#define ITAKU_CATALOG_H

#include <stddef.h>

enum lang { LANG_EN = 0, LANG_JA = 1 };

/* One catalogue entry. en is a printf format (kind 'c') or a RAISE format
 * (kind 'p'); ja uses {n} for the n-th argument. */
struct catalog_entry {
	const char *code;
	char kind;
	const char *en;
	const char *ja;
};

extern const struct catalog_entry catalog_messages[];
extern const size_t catalog_messages_count;
extern const struct catalog_entry catalog_db_messages[];
extern const size_t catalog_db_messages_count;

/* The language a request asks for: LANG_JA when the Accept-Language
 * header's most preferred language (highest q, first on ties) is Japanese
 * (ja, ja-JP, ...), LANG_EN otherwise and when header is NULL. */
enum lang catalog_lang(const char *accept_language);

/* "en" or "ja", for Content-Language. */
const char *catalog_lang_tag(enum lang lang);

/* The code of the catalogued text english, or NULL when none matches. */
const char *catalog_code(const char *english);

/* Renders english in lang into out (cap bytes, cut on a character
 * boundary). Returns the entry's code, or NULL when the text is not
 * catalogued (out then holds english unchanged). */
const char *catalog_render(const char *english, enum lang lang, char *out, size_t cap);

/* Title of an HTTP status in lang ("Not found" / "見つかりません"). */
const char *catalog_status_title(int status, enum lang lang);

#endif
