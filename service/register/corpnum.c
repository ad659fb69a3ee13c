/*
 * corpnum.c - corporate number normalisation and check digit.
 */
#include "register/corpnum.h"

#include <string.h>

int corpnum_valid(const char *s)
{
	int sum = 0;

	if (strlen(s) != CORPNUM_LEN)
		return 0;
	for (int i = 0; i < CORPNUM_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	/* n = 1 is the rightmost digit of the base, s[12]. */
	for (int n = 1; n <= 12; n++)
		sum += (s[CORPNUM_LEN - n] - '0') * (n % 2 ? 1 : 2);
	return s[0] - '0' == 9 - sum % 9;
}

/* Length of a separator at s, or 0. */
static size_t separator(const unsigned char *s)
{
	if (s[0] == '-' || s[0] == ' ')
		return 1;
	/* U+2010..U+2015 hyphens and dashes: E2 80 90..95; U+2212 minus: E2 88 92 */
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x95)
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x88 && s[2] == 0x92)
		return 3;
	/* U+3000 ideographic space: E3 80 80; U+FF0D full-width hyphen-minus: EF BC 8D */
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	if (s[0] == 0xef && s[1] == 0xbc && s[2] == 0x8d)
		return 3;
	return 0;
}

int corpnum_normalize(const char *in, char out[CORPNUM_LEN + 1])
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0, skip;

	while (*s) {
		if (*s >= '0' && *s <= '9') {
			if (n == CORPNUM_LEN)
				return -1;
			out[n++] = (char)*s++;
		} else if (s[0] == 0xef && s[1] == 0xbc && s[2] >= 0x90 && s[2] <= 0x99) {
			/* full-width digits U+FF10..U+FF19 */
			if (n == CORPNUM_LEN)
				return -1;
			out[n++] = (char)('0' + (s[2] - 0x90));
			s += 3;
		} else if ((skip = separator(s)) > 0) {
			s += skip;
		} else {
			return -1;
		}
	}
	out[n] = '\0';
	if (n != CORPNUM_LEN)
		return -1;
	return corpnum_valid(out) ? 0 : -2;
}
