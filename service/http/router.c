/*
 * router.c - segment-by-segment matching. The table is small (tens of
 * routes), so a linear scan beats any index in both speed and clarity.
 */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Percent-decodes seg[0..len) into out; 0 or -1. */
static int decode_segment(const char *seg, size_t len, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = seg[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -1;
			hi = hexval(seg[i + 1]);
			lo = hexval(seg[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return utf8_valid((const unsigned char *)out, o) ? 0 : -1;
}

/* Matches path against pattern; fills params when m is not NULL. */
static int match_path(const char *pattern, const char *path, struct route_match *m)
{
	const char *p = pattern, *u = path;
	int np = 0;

	while (*p && *u) {
		const char *pe, *ue;
		size_t plen, ulen;

		if (*p != '/' || *u != '/')
			return 0;
		p++;
		u++;
		pe = strchr(p, '/');
		ue = strchr(u, '/');
		plen = pe ? (size_t)(pe - p) : strlen(p);
		ulen = ue ? (size_t)(ue - u) : strlen(u);
		if (plen > 2 && p[0] == '{' && p[plen - 1] == '}') {
			char scratch[ROUTER_MAX_VALUE];

			if (ulen == 0 || np == ROUTER_MAX_PARAMS)
				return 0;
			if (decode_segment(u, ulen, m ? m->values[np] : scratch, ROUTER_MAX_VALUE))
				return 0;
			if (m) {
				m->names[np] = p + 1;
				m->name_lens[np] = plen - 2;
			}
			np++;
		} else if (plen != ulen || strncmp(p, u, plen)) {
			return 0;
		}
		p += plen;
		u += ulen;
	}
	if (*p || *u)
		return 0;
	if (m)
		m->nparams = np;
	return 1;
}

int router_match(const struct route *table, size_t n, const char *method, const char *path,
		 struct route_match *m)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int path_found = 0;
	size_t alen = 0;

	memset(m, 0, sizeof(*m));
	m->index = -1;
	for (size_t i = 0; i < n; i++) {
		if (!match_path(table[i].pattern, path, NULL))
			continue;
		if (strcmp(table[i].method, want) == 0) {
			match_path(table[i].pattern, path, m);
			m->index = (int)i;
			return ROUTER_OK;
		}
		path_found = 1;
		if (!strstr(m->allow, table[i].method) && alen + strlen(table[i].method) + 3 < sizeof(m->allow))
			alen += (size_t)snprintf(m->allow + alen, sizeof(m->allow) - alen, "%s%s",
						 alen ? ", " : "", table[i].method);
	}
	if (!path_found)
		return ROUTER_NOT_FOUND;
	if (strstr(m->allow, "GET") && !strstr(m->allow, "HEAD") && alen + 6 < sizeof(m->allow))
		alen += (size_t)snprintf(m->allow + alen, sizeof(m->allow) - alen, ", HEAD");
	if (alen + 9 < sizeof(m->allow))
		snprintf(m->allow + alen, sizeof(m->allow) - alen, ", OPTIONS");
	return ROUTER_BAD_METHOD;
}

const char *router_param(const struct route_match *m, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; i < m->nparams; i++) {
		if (m->name_lens[i] == len && strncmp(m->names[i], name, len) == 0)
			return m->values[i];
	}
	return NULL;
}
