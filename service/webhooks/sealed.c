/*
 * sealed.c - AES-256-GCM over nettle for webhook signing secrets.
 */
#include "webhooks/sealed.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <nettle/gcm.h>
#include <nettle/memops.h>
#include "util/crypto.h"

#define TAG "itk1:"
#define NONCE 12                 /* GCM's natural IV size */

/* tenant + "/" + id, lower case as PostgreSQL prints UUIDs (an id may
 * come from a request path in upper case): binds a sealed value to its row. */
static size_t aad_of(const char *tenant, const char *id, char out[80])
{
	size_t n = (size_t)snprintf(out, 80, "%s/%s", tenant, id);

	n = n < 80 ? n : 79;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return n;
}

static const struct config_key *key_by_id(const struct config *cfg, const char *id, size_t len)
{
	for (int i = 0; i < cfg->n_secret_keys; i++) {
		if (strlen(cfg->secret_keys[i].id) == len && !memcmp(cfg->secret_keys[i].id, id, len))
			return &cfg->secret_keys[i];
	}
	return NULL;
}

int sealed_make(const struct config *cfg, const char *tenant, const char *id, const char *plain,
		char out[SEALED_MAX])
{
	uint8_t buf[NONCE + WEBHOOK_SECRET_MAX + GCM_DIGEST_SIZE];
	size_t len = strlen(plain), head, aadlen;
	struct gcm_aes256_ctx ctx;
	char aad[80];

	if (cfg->n_secret_keys == 0 || len >= WEBHOOK_SECRET_MAX || crypto_random(buf, NONCE))
		return -1;
	aadlen = aad_of(tenant, id, aad);
	gcm_aes256_set_key(&ctx, cfg->secret_keys[0].key);
	gcm_aes256_set_iv(&ctx, NONCE, buf);
	gcm_aes256_update(&ctx, aadlen, (const uint8_t *)aad);
	gcm_aes256_encrypt(&ctx, len, buf + NONCE, (const uint8_t *)plain);
	gcm_aes256_digest(&ctx, GCM_DIGEST_SIZE, buf + NONCE + len);
	head = (size_t)snprintf(out, SEALED_MAX, TAG "%s:", cfg->secret_keys[0].id);
	crypto_b64_encode(buf, NONCE + len + GCM_DIGEST_SIZE, out + head);
	explicit_bzero(&ctx, sizeof(ctx));
	return 0;
}

int sealed_open(const struct config *cfg, const char *tenant, const char *id, const char *sealed,
		char plain[WEBHOOK_SECRET_MAX], const char **why)
{
	uint8_t buf[NONCE + WEBHOOK_SECRET_MAX + GCM_DIGEST_SIZE], tag[GCM_DIGEST_SIZE];
	const struct config_key *key;
	struct gcm_aes256_ctx ctx;
	const char *kid, *colon;
	size_t aadlen, len;
	char aad[80];
	long n;
	int ok;

	*why = "malformed";
	if (!strncmp(sealed, "whsec_", 6)) {             /* from before sealing */
		if (strlen(sealed) >= WEBHOOK_SECRET_MAX)
			return -1;
		strcpy(plain, sealed);
		return 0;
	}
	if (strncmp(sealed, TAG, sizeof(TAG) - 1))
		return -1;
	kid = sealed + sizeof(TAG) - 1;
	if (!(colon = strchr(kid, ':')))
		return -1;
	if (!(key = key_by_id(cfg, kid, (size_t)(colon - kid)))) {
		*why = "sealed with a key that is not configured (ITAKU_SECRET_KEY, ITAKU_SECRET_KEYS_PREVIOUS)";
		return -1;
	}
	n = crypto_b64_decode(colon + 1, strlen(colon + 1), buf, sizeof(buf));
	if (n < NONCE + GCM_DIGEST_SIZE + 1)
		return -1;
	len = (size_t)n - NONCE - GCM_DIGEST_SIZE;
	if (len >= WEBHOOK_SECRET_MAX)
		return -1;
	aadlen = aad_of(tenant, id, aad);
	gcm_aes256_set_key(&ctx, key->key);
	gcm_aes256_set_iv(&ctx, NONCE, buf);
	gcm_aes256_update(&ctx, aadlen, (const uint8_t *)aad);
	gcm_aes256_decrypt(&ctx, len, (uint8_t *)plain, buf + NONCE);
	gcm_aes256_digest(&ctx, GCM_DIGEST_SIZE, tag);
	explicit_bzero(&ctx, sizeof(ctx));
	ok = memeql_sec(tag, buf + NONCE + len, GCM_DIGEST_SIZE);
	plain[ok ? len : 0] = '\0';
	if (!ok) {
		explicit_bzero(plain, len);
		*why = "does not open: altered, or moved from another subscription";
		return -1;
	}
	*why = NULL;
	return 0;
}

int sealed_current(const struct config *cfg, const char *sealed)
{
	size_t n;

	if (cfg->n_secret_keys == 0 || strncmp(sealed, TAG, sizeof(TAG) - 1))
		return 0;
	n = strlen(cfg->secret_keys[0].id);
	sealed += sizeof(TAG) - 1;
	return !strncmp(sealed, cfg->secret_keys[0].id, n) && sealed[n] == ':';
}
