/*
 * corpnum.h - corporate numbers (法人番号).
 *
 * A corporate number is 13 digits: a check digit followed by a 12-digit
 * base. The National Tax Agency's rule: with P1..P12 the base digits
 * counted from the right and Qn = 1 for odd n, 2 for even n,
 * check = 9 - (sum(Pn * Qn) mod 9).
 */
#ifndef ITAKU_CORPNUM_H
#define ITAKU_CORPNUM_H

#define CORPNUM_LEN 13

/* Normalises what people type: ASCII or full-width digits, with or
 * without hyphens (ASCII, full-width, or U+2010..U+2015, U+2212) and
 * spaces. Writes the 13 digits and a NUL to out. Returns 0, -1 when the
 * input is not 13 digits, or -2 when the check digit is wrong. */
int corpnum_normalize(const char *in, char out[CORPNUM_LEN + 1]);

/* True when s is 13 ASCII digits with a correct check digit. */
int corpnum_valid(const char *s);

#endif
