/*
 * crypto.h - the few primitives the service needs, over nettle and gnutls.
 *
 * Output buffers are caller-owned and sized by the constants below; no
 * function allocates. Hex output is lowercase and NUL-terminated.
 */
#ifndef ITAKU_CRYPTO_H
#define ITAKU_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA256_HEX_LEN 65      /* 64 hex digits + NUL */
#define CRYPTO_UUID_LEN 37            /* 36 chars + NUL */

/* Fills buf with len bytes from the system CSPRNG. Returns 0 or -1. */
int crypto_random(void *buf, size_t len);

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN]);
void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX_LEN]);
void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
			uint8_t out[CRYPTO_SHA256_LEN]);

void crypto_hex(const uint8_t *in, size_t len, char *out); /* out holds 2*len+1 */

/* Constant-time comparison of two equal-length buffers; 1 when equal. */
int crypto_equal(const void *a, const void *b, size_t len);

/* base64url without padding. out must hold 4 * ((len + 2) / 3) + 1 bytes (the
 * encoder writes padding before it is stripped); crypto_b64url_len() gives the
 * final length. */
size_t crypto_b64url_len(size_t len);
void crypto_b64url_encode(const uint8_t *in, size_t len, char *out);
/* Decodes into out (capacity cap); returns decoded length or -1 when the input
 * is not canonical unpadded base64url or does not fit. */
long crypto_b64url_decode(const char *in, size_t inlen, uint8_t *out, size_t cap);

/* Standard base64 with padding (RFC 4648 section 4). out holds
 * 4 * ((len + 2) / 3) + 1 bytes and is NUL-terminated. */
void crypto_b64_encode(const uint8_t *in, size_t len, char *out);
/* Decodes padded standard base64 into out (capacity cap); returns the
 * length, or -1 when the input is not base64 or does not fit. */
long crypto_b64_decode(const char *in, size_t inlen, uint8_t *out, size_t cap);

/* A bearer token: tag (4 characters, such as "itk_") + 43 base64url
 * characters of 256 random bits, NUL-terminated in token; hash gets the hex
 * SHA-256 of the whole token, which is all the database keeps. Returns 0 or -1. */
#define CRYPTO_TOKEN_LEN 47
int crypto_token(const char tag[5], char token[CRYPTO_TOKEN_LEN + 1], char hash[CRYPTO_SHA256_HEX_LEN]);

/* A random (version 4) UUID in canonical text form. */
int crypto_uuid(char out[CRYPTO_UUID_LEN]);

/* True when s is a canonical lowercase or uppercase UUID text. */
int crypto_is_uuid(const char *s);

#endif
