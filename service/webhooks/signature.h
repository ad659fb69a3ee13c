/*
 * signature.h - Standard Webhooks secrets and signatures.
 *
 * A secret is "whsec_" followed by the standard base64 of 24 to 64 random
 * bytes; the decoded bytes are the HMAC-SHA256 key. A signature is "v1,"
 * followed by the base64 of HMAC-SHA256(key, id "." timestamp "." body),
 * where id is the webhook-id header (the same on every retry of one
 * message) and timestamp the webhook-timestamp header (Unix seconds of
 * this attempt). While a rotated secret overlaps, the webhook-signature
 * header carries one signature per secret, separated by spaces, so a
 * receiver holding either secret can verify.
 *
 * Nothing here allocates; buffers are the caller's and sized below.
 */
#ifndef ITAKU_WEBHOOK_SIGNATURE_H
#define ITAKU_WEBHOOK_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_SECRET_BYTES 32          /* what the server generates */
#define WEBHOOK_SECRET_MAX 96            /* "whsec_" + base64(64 bytes) + NUL */
#define WEBHOOK_SIGNATURE_LEN 48         /* "v1," + 44 base64 + NUL */

/* A new secret from the system CSPRNG. Returns 0 or -1. */
int webhook_secret_generate(char out[WEBHOOK_SECRET_MAX]);

/* Decodes secret into key (at least 64 bytes). Returns the key length, or
 * -1 when the secret is not "whsec_" + base64 of 24-64 bytes. */
int webhook_secret_decode(const char *secret, uint8_t key[64]);

/* Signs one attempt. Returns 0, or -1 when the secret does not decode. */
int webhook_sign(const char *secret, const char *msg_id, long long timestamp, const char *body,
		 size_t len, char out[WEBHOOK_SIGNATURE_LEN]);

#endif
