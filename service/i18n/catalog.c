/*
 * catalog.c - matching English texts to the catalogue and rendering them.
 */
#include "i18n/catalog.h"

#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "util/utf8.h"

#define MAX_ARGS 6
#define PREFIX_MAX 48

struct compiled {
	const struct catalog_entry *e;
	regex_t re;
	char prefix[PREFIX_MAX];   /* literal text before the first argument */
	int ok;
};

static struct compiled *compiled;
static size_t ncompiled;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Appends c to the regex, escaped when ERE gives it a meaning. */
static size_t put_literal(char *re, size_t n, char c)
{
	if (strchr(".[]{}()\\*+?^$|", c))
		re[n++] = '\\';
	re[n++] = c;
	return n;
}

/* Length of a printf conversion at s (s[0] == '%'), 0 when there is none. */
static size_t printf_spec(const char *s)
{
	size_t i = 1;

	while (s[i] && strchr("-+ #0123456789.*", s[i]))
		i++;
	while (s[i] && strchr("hlLqjzt", s[i]))
		i++;
	return s[i] && strchr("diouxXeEfFgGcsp", s[i]) ? i + 1 : 0;
}

static void compile_one(struct compiled *c)
{
	const char *s = c->e->en;
	size_t cap = strlen(s) * 10 + 8, n = 0, p = 0;
	char *re = malloc(cap + 64);
	int in_prefix = 1;

	if (!re)
		return;
	re[n++] = '^';
	while (*s) {
		size_t spec = 0;

		if (s[0] == '%' && s[1] == '%') {
			n = put_literal(re, n, '%');
			if (in_prefix && p < PREFIX_MAX - 1)
				c->prefix[p++] = '%';
			s += 2;
			continue;
		}
		if (s[0] == '%')
			spec = c->e->kind == 'p' ? 1 : printf_spec(s);
		if (spec) {
			/* Numbers match only numbers, so that "must be %zu characters
			 * long" cannot take "1 to 200" for its argument. */
			const char *group = c->e->kind == 'c' && strchr("diouxX", s[spec - 1]) ? "(-?[0-9]+)" : "(.*)";

			memcpy(re + n, group, strlen(group));
			n += strlen(group);
			s += spec;
			in_prefix = 0;
			continue;
		}
		n = put_literal(re, n, *s);
		if (in_prefix && p < PREFIX_MAX - 1)
			c->prefix[p++] = *s;
		s++;
	}
	re[n++] = '$';
	re[n] = '\0';
	c->prefix[p] = '\0';
	c->ok = regcomp(&c->re, re, REG_EXTENDED) == 0;
	free(re);
}

static void compile_all(void)
{
	size_t total = catalog_messages_count + catalog_db_messages_count;

	compiled = calloc(total, sizeof(*compiled));
	if (!compiled)
		return;
	for (size_t i = 0; i < total; i++) {
		compiled[i].e = i < catalog_messages_count ? &catalog_messages[i]
							   : &catalog_db_messages[i - catalog_messages_count];
		compile_one(&compiled[i]);
	}
	ncompiled = total;
}

/* The entry english matches, with its arguments in m[1..]. */
static const struct compiled *find(const char *english, regmatch_t m[MAX_ARGS + 1])
{
	pthread_once(&once, compile_all);
	for (size_t i = 0; i < ncompiled; i++) {
		const struct compiled *c = &compiled[i];

		if (!c->ok || strncmp(english, c->prefix, strlen(c->prefix)))
			continue;
		if (regexec(&c->re, english, MAX_ARGS + 1, m, 0) == 0)
			return c;
	}
	return NULL;
}

const char *catalog_code(const char *english)
{
	regmatch_t m[MAX_ARGS + 1];
	const struct compiled *c = english ? find(english, m) : NULL;

	return c ? c->e->code : NULL;
}

static const char *render(const char *english, enum lang lang, char *out, size_t cap, int depth)
{
	regmatch_t m[MAX_ARGS + 1];
	const struct compiled *c = find(english, m);
	char buf[2048];
	const char *t;
	size_t n = 0;

	if (!c || lang == LANG_EN || depth > 2) {
		utf8_copy(out, cap, english);
		return c ? c->e->code : NULL;
	}
	for (t = c->e->ja; *t && n + 1 < sizeof(buf);) {
		if (t[0] == '{' && t[1] >= '1' && t[1] <= '0' + MAX_ARGS && t[2] == '}') {
			int k = t[1] - '0';
			char arg[512], shown[512];
			size_t len;

			if (m[k].rm_so >= 0) {
				len = (size_t)(m[k].rm_eo - m[k].rm_so);
				if (len >= sizeof(arg))
					len = utf8_prefix(english + m[k].rm_so, len, sizeof(arg) - 1);
				memcpy(arg, english + m[k].rm_so, len);
				arg[len] = '\0';
				/* An argument that is itself a catalogued phrase. */
				render(arg, lang, shown, sizeof(shown), depth + 1);
				len = utf8_prefix(shown, strlen(shown), sizeof(buf) - 1 - n);
				memcpy(buf + n, shown, len);
				n += len;
			}
			t += 3;
			continue;
		}
		buf[n++] = *t++;
	}
	buf[n] = '\0';
	utf8_copy(out, cap, buf);
	return c->e->code;
}

const char *catalog_render(const char *english, enum lang lang, char *out, size_t cap)
{
	if (!english) {
		out[0] = '\0';
		return NULL;
	}
	return render(english, lang, out, cap, 0);
}

enum lang catalog_lang(const char *h)
{
	enum lang best = LANG_EN;
	double best_q = -1;

	while (h && *h) {
		size_t len = strcspn(h, ",");
		char item[64];
		const char *q;
		double qv = 1.0;

		snprintf(item, sizeof(item), "%.*s", (int)(len < sizeof(item) ? len : sizeof(item) - 1), h);
		q = strstr(item, ";q=");
		if (q)
			qv = strtod(q + 3, NULL);
		{
			const char *tag = item + strspn(item, " ");

			if (qv > best_q) {
				best_q = qv;
				best = (!strncasecmp(tag, "ja", 2) && (tag[2] == '\0' || tag[2] == '-' || tag[2] == ';' ||
								  tag[2] == ' ')) ? LANG_JA : LANG_EN;
			}
		}
		h += len;
		if (*h == ',')
			h++;
	}
	return best;
}

const char *catalog_lang_tag(enum lang lang)
{
	return lang == LANG_JA ? "ja" : "en";
}

const char *catalog_status_title(int status, enum lang lang)
{
	static const struct { int status; const char *en, *ja; } titles[] = {
		{ 400, "Bad request", "リクエストが不正です" },
		{ 401, "Unauthorized", "認証されていません" },
		{ 403, "Forbidden", "権限がありません" },
		{ 404, "Not found", "見つかりません" },
		{ 405, "Method not allowed", "このメソッドは使えません" },
		{ 409, "Conflict", "競合しています" },
		{ 410, "Gone", "もう使えません" },
		{ 412, "Precondition failed", "前提条件が一致しません" },
		{ 413, "Request body too large", "リクエスト本文が大きすぎます" },
		{ 415, "Unsupported media type", "対応していない形式です" },
		{ 422, "Unprocessable content", "内容を処理できません" },
		{ 428, "Precondition required", "前提条件が必要です" },
		{ 429, "Too many requests", "リクエストが多すぎます" },
		{ 500, "Internal server error", "サーバー内部のエラーです" },
		{ 503, "Service unavailable", "一時的に利用できません" },
	};

	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		if (titles[i].status == status)
			return lang == LANG_JA ? titles[i].ja : titles[i].en;
	}
	return lang == LANG_JA ? "エラー" : "Error";
}
