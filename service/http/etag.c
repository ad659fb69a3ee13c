/*
 * etag.c - ETag and If-Match.
 */
#include "http/etag.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "http/req.h"

void etag_set(struct req *r, long version)
{
	char tag[32];

	snprintf(tag, sizeof(tag), "\"%ld\"", version);
	req_set_header(r, "ETag", tag);
}

const char *etag_match_param(const struct req *r, char *buf, size_t cap)
{
	const char *h = req_header(r, "If-Match");
	const char *p;
	size_t n = 0;

	if (!h)
		return NULL;
	while (*h == ' ')
		h++;
	if (strcmp(h, "*") == 0)
		return NULL;
	n += (size_t)snprintf(buf, cap, "{");
	for (p = h; *p;) {
		const char *start, *end;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		start = p;
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		p = end;
		while (end > start && end[-1] == ' ')
			end--;
		/* Only strong tags of digits are ours: "12". A number no version
		 * can have (past INT_MAX) matches nothing, so it is left out and
		 * the answer is 412, not an overflow in the database. */
		if (end - start >= 3 && start[0] == '"' && end[-1] == '"' && end - start < 14) {
			int digits = 1;

			for (const char *d = start + 1; d < end - 1; d++)
				digits &= isdigit((unsigned char)*d) != 0;
			if (digits && strtoll(start + 1, NULL, 10) > INT_MAX)
				digits = 0;
			if (digits && n + (size_t)(end - start) + 2 < cap)
				n += (size_t)snprintf(buf + n, cap - n, "%s%.*s", n > 1 ? "," : "",
						      (int)(end - start - 2), start + 1);
		}
	}
	snprintf(buf + n, cap - n, "}");
	return buf;
}
