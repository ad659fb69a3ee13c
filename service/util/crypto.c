/*
 * crypto.c - hashing and randomness. nettle does the arithmetic; gnutls_rnd
 * is the random source because it reseeds from the kernel and is fork-safe.
 */
#include "util/crypto.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/base64.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>

int crypto_random(void *buf, size_t len)
{
	return gnutls_rnd(GNUTLS_RND_KEY, buf, len) == 0 ? 0 : -1;
}

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, CRYPTO_SHA256_LEN, out);
}

void crypto_hex(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX_LEN])
{
	uint8_t digest[CRYPTO_SHA256_LEN];

	crypto_sha256(data, len, digest);
	crypto_hex(digest, sizeof(digest), out);
}

void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
			uint8_t out[CRYPTO_SHA256_LEN])
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_set_key(&ctx, keylen, key);
	hmac_sha256_update(&ctx, len, data);
	hmac_sha256_digest(&ctx, CRYPTO_SHA256_LEN, out);
}

int crypto_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

size_t crypto_b64url_len(size_t len)
{
	return (len * 8 + 5) / 6;
}

void crypto_b64url_encode(const uint8_t *in, size_t len, char *out)
{
	struct base64_encode_ctx ctx;
	size_t n;

	base64url_encode_init(&ctx);
	n = base64_encode_update(&ctx, out, len, in);
	n += base64_encode_final(&ctx, out + n);
	while (n && out[n - 1] == '=')
		n--;
	out[n] = '\0';
}

long crypto_b64url_decode(const char *in, size_t inlen, uint8_t *out, size_t cap)
{
	struct base64_decode_ctx ctx;
	size_t padded = (inlen + 3) / 4 * 4, n = 0;
	char *tmp = NULL, *again = NULL;
	uint8_t *bin = NULL;
	long ret = -1;

	if (inlen % 4 == 1)
		goto out;
	tmp = malloc(padded + 1);
	again = malloc(padded + 1);
	bin = malloc(BASE64_DECODE_LENGTH(padded) + 1);
	if (!tmp || !again || !bin)
		goto out;
	memcpy(tmp, in, inlen);
	memset(tmp + inlen, '=', padded - inlen);
	base64url_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &n, bin, padded, tmp) || !base64_decode_final(&ctx))
		goto out;
	if (n > cap)
		goto out;
	/* Only the canonical spelling is accepted: stray low bits in the last
	 * character would otherwise give two texts for one value. */
	crypto_b64url_encode(bin, n, again);
	if (strlen(again) != inlen || memcmp(again, in, inlen))
		goto out;
	memcpy(out, bin, n);
	ret = (long)n;
out:
	free(tmp);
	free(again);
	free(bin);
	return ret;
}

int crypto_uuid(char out[CRYPTO_UUID_LEN])
{
	uint8_t b[16];

	if (crypto_random(b, sizeof(b)))
		return -1;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, CRYPTO_UUID_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
	return 0;
}

int crypto_is_uuid(const char *s)
{
	if (!s || strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

int crypto_token(const char tag[5], char token[CRYPTO_TOKEN_LEN + 1], char hash[CRYPTO_SHA256_HEX_LEN])
{
	uint8_t raw[32];
	char enc[48];   /* 43 characters; the buffer also holds nettle's padding */

	if (crypto_random(raw, sizeof(raw)))
		return -1;
	crypto_b64url_encode(raw, sizeof(raw), enc);
	memcpy(token, tag, 4);
	memcpy(token + 4, enc, CRYPTO_TOKEN_LEN - 4);
	token[CRYPTO_TOKEN_LEN] = '\0';
	crypto_sha256_hex(token, CRYPTO_TOKEN_LEN, hash);
	return 0;
}

void crypto_b64_encode(const uint8_t *in, size_t len, char *out)
{
	struct base64_encode_ctx ctx;
	size_t n;

	base64_encode_init(&ctx);
	n = base64_encode_update(&ctx, out, len, in);
	n += base64_encode_final(&ctx, out + n);
	out[n] = '\0';
}

long crypto_b64_decode(const char *in, size_t inlen, uint8_t *out, size_t cap)
{
	struct base64_decode_ctx ctx;
	uint8_t *bin;
	size_t n = 0;
	long ret = -1;

	if (inlen % 4 != 0 || !(bin = malloc(BASE64_DECODE_LENGTH(inlen) + 1)))
		return -1;
	base64_decode_init(&ctx);
	if (base64_decode_update(&ctx, &n, bin, inlen, in) && base64_decode_final(&ctx) && n <= cap) {
		memcpy(out, bin, n);
		ret = (long)n;
	}
	free(bin);
	return ret;
}
