/*
 * signature.c - Standard Webhooks signing over nettle (HMAC-SHA256, base64).
 */
#include "webhooks/signature.h"

#include <stdio.h>
#include <string.h>
#include <nettle/hmac.h>
#include "util/crypto.h"

#define PREFIX "whsec_"

int webhook_secret_generate(char out[WEBHOOK_SECRET_MAX])
{
	uint8_t raw[WEBHOOK_SECRET_BYTES];

	if (crypto_random(raw, sizeof(raw)))
		return -1;
	memcpy(out, PREFIX, sizeof(PREFIX) - 1);
	crypto_b64_encode(raw, sizeof(raw), out + sizeof(PREFIX) - 1);
	return 0;
}

int webhook_secret_decode(const char *secret, uint8_t key[64])
{
	size_t len;
	long n;

	if (!secret || strncmp(secret, PREFIX, sizeof(PREFIX) - 1) != 0)
		return -1;
	secret += sizeof(PREFIX) - 1;
	len = strlen(secret);
	if (len > 88)
		return -1;
	n = crypto_b64_decode(secret, len, key, 64);
	return n >= 24 ? (int)n : -1;
}

int webhook_sign(const char *secret, const char *msg_id, long long timestamp, const char *body,
		 size_t len, char out[WEBHOOK_SIGNATURE_LEN])
{
	struct hmac_sha256_ctx ctx;
	uint8_t key[64], mac[SHA256_DIGEST_SIZE];
	char ts[24];
	int n = webhook_secret_decode(secret, key);

	if (n < 0)
		return -1;
	snprintf(ts, sizeof(ts), "%lld", timestamp);
	hmac_sha256_set_key(&ctx, (size_t)n, key);
	hmac_sha256_update(&ctx, strlen(msg_id), (const uint8_t *)msg_id);
	hmac_sha256_update(&ctx, 1, (const uint8_t *)".");
	hmac_sha256_update(&ctx, strlen(ts), (const uint8_t *)ts);
	hmac_sha256_update(&ctx, 1, (const uint8_t *)".");
	hmac_sha256_update(&ctx, len, (const uint8_t *)body);
	hmac_sha256_digest(&ctx, sizeof(mac), mac);
	memcpy(out, "v1,", 3);
	crypto_b64_encode(mac, sizeof(mac), out + 3);
	return 0;
}
