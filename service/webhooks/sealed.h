/*
 * sealed.h - webhook signing secrets sealed at rest.
 *
 * A signing secret must be readable to sign, so it cannot be hashed like
 * an API key; it is stored sealed instead, with AES-256-GCM under a key
 * the database never sees (config: ITAKU_SECRET_KEY). The sealed text is
 *
 *     itk1:<key id>:<base64 of 12-byte nonce | ciphertext | 16-byte tag>
 *
 * and the additional authenticated data is "<tenant id>/<subscription id>",
 * so a sealed secret moved to another row no longer opens. The key id
 * names the key that sealed it: after a rotation the previous keys
 * (ITAKU_SECRET_KEYS_PREVIOUS) still open older values until the
 * scheduler has sealed them again under the current key.
 *
 * Plaintext "whsec_" values, written before secrets were sealed, open as
 * themselves; the schema allows them only on such rows.
 *
 * Nothing here allocates; plaintext lives in the caller's buffers, which
 * the caller wipes (explicit_bzero) when done.
 */
#ifndef ITAKU_WEBHOOK_SEALED_H
#define ITAKU_WEBHOOK_SEALED_H

#include "config.h"
#include "webhooks/signature.h"

#define SEALED_MAX 256           /* sealed text of a secret of up to WEBHOOK_SECRET_MAX */

/* Seals the secret plain of subscription (tenant, id) under cfg's current
 * key. Returns 0, or -1 when no key is configured, the secret is too long
 * or the random generator failed. */
int sealed_make(const struct config *cfg, const char *tenant, const char *id, const char *plain,
		char out[SEALED_MAX]);

/* Opens what sealed_make() made (or passes a plaintext "whsec_" value
 * through) into plain. Returns 0, or -1 with *why saying what failed (no
 * such key, tampered or moved, malformed); *why is a static string. */
int sealed_open(const struct config *cfg, const char *tenant, const char *id, const char *sealed,
		char plain[WEBHOOK_SECRET_MAX], const char **why);

/* 1 when sealed was made with cfg's current key, else 0 (plaintext,
 * another key, or no key configured). */
int sealed_current(const struct config *cfg, const char *sealed);

#endif
