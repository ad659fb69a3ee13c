/*
 * ssrf.h - keeping webhook deliveries away from the service's own network.
 *
 * A webhook URL is chosen by a tenant admin but fetched from inside our
 * network, so it must not reach loopback, private, link-local (which holds
 * the cloud metadata endpoints), carrier-grade NAT, multicast or reserved
 * addresses. IPv6 forms that carry an IPv4 address (mapped, compatible,
 * translated, NAT64 in both prefixes, 6to4, Teredo) are judged by the
 * IPv4 address they carry, since that is where the packets end up. The URL is checked when a subscription is saved, and every
 * address is checked again just before each connection, so a name that
 * later resolves somewhere else (DNS rebinding) is still refused.
 */
#ifndef ITAKU_SSRF_H
#define ITAKU_SSRF_H

#include <stddef.h>
#include <sys/socket.h>

/* 1 when a connection to addr is acceptable for a webhook, else 0. */
int ssrf_address_public(const struct sockaddr *addr);

/* Checks a webhook URL: http or https, a host, no user info, and (unless
 * allow_private) every address the host resolves to is public. Returns 0,
 * or -1 with a sentence for the client in err. */
int ssrf_url_check(const char *url, int allow_private, char *err, size_t errlen);

#endif
