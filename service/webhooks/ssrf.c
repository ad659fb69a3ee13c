/*
 * ssrf.c - address classification for webhook targets.
 */
#include "webhooks/ssrf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>

struct range4 {
	uint32_t net;
	int bits;
};

/* IANA special-purpose blocks a webhook has no business reaching. */
static const struct range4 blocked4[] = {
	{ 0x00000000, 8 },   /* 0.0.0.0/8 "this network" */
	{ 0x0a000000, 8 },   /* 10/8 private */
	{ 0x64400000, 10 },  /* 100.64/10 carrier-grade NAT */
	{ 0x7f000000, 8 },   /* 127/8 loopback */
	{ 0xa9fe0000, 16 },  /* 169.254/16 link-local, cloud metadata */
	{ 0xac100000, 12 },  /* 172.16/12 private */
	{ 0xc0000000, 24 },  /* 192.0.0/24 protocol assignments */
	{ 0xc0000200, 24 },  /* 192.0.2/24 documentation */
	{ 0xc0586300, 24 },  /* 192.88.99/24 6to4 relay anycast (deprecated) */
	{ 0xc0a80000, 16 },  /* 192.168/16 private */
	{ 0xc6120000, 15 },  /* 198.18/15 benchmarking */
	{ 0xc6336400, 24 },  /* 198.51.100/24 documentation */
	{ 0xcb007100, 24 },  /* 203.0.113/24 documentation */
	{ 0xe0000000, 4 },   /* 224/4 multicast */
	{ 0xf0000000, 4 },   /* 240/4 reserved and broadcast */
};

static int public4(uint32_t a)
{
	for (size_t i = 0; i < sizeof(blocked4) / sizeof(blocked4[0]); i++) {
		uint32_t mask = 0xffffffffu << (32 - blocked4[i].bits);

		if ((a & mask) == blocked4[i].net)
			return 0;
	}
	return 1;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* IPv6 forms that carry an IPv4 address, and where. A packet to such an
 * address ends up at the embedded IPv4 host (a NAT64 translator, a 6to4
 * or Teredo relay, or the kernel itself for mapped and compatible
 * addresses), so the embedded address is what must be public. */
static int embedded4_public(const uint8_t *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t translated[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0 };
	static const uint8_t nat64[12] = { 0, 0x64, 0xff, 0x9b };
	static const uint8_t nat64_local[6] = { 0, 0x64, 0xff, 0x9b, 0, 1 };
	static const uint8_t zero[12];

	/* ::ffff:0:0/96 mapped, ::ffff:0:0:0/96 translated (SIIT),
	 * 64:ff9b::/96 well-known NAT64, ::/96 compatible (which holds ::
	 * and ::1 as 0.0.0.0 and 0.0.0.1, both refused). */
	if (!memcmp(a, mapped, 12) || !memcmp(a, translated, 12) || !memcmp(a, nat64, 12) ||
	    !memcmp(a, zero, 12))
		return public4(be32(a + 12));
	/* 64:ff9b:1::/48 local-use NAT64 (RFC 8215): the operator picks the
	 * prefix length inside it. The /96 reading is judged always; the /64
	 * one where the "u" octet and the bits after the address are zero,
	 * as that form keeps them. (The /56 and /48 forms end in 32 zero
	 * bits, which read as 0.0.0.0 at /96, so they are refused.) */
	if (!memcmp(a, nat64_local, 6)) {
		const uint8_t p64[4] = { a[9], a[10], a[11], a[12] };

		if (a[8] == 0 && !memcmp(a + 13, zero, 3) && !public4(be32(p64)))
			return 0;
		return public4(be32(a + 12));
	}
	/* 2002::/16 6to4: the site's IPv4 router follows the prefix. */
	if (a[0] == 0x20 && a[1] == 0x02)
		return public4(be32(a + 2));
	/* 2001:0::/32 Teredo: the server's IPv4 address, then the client's
	 * in the last 32 bits, stored inverted. */
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0)
		return public4(be32(a + 4)) && public4(~be32(a + 12));
	return -1;                                      /* not an embedding form */
}

static int public6(const uint8_t *a)
{
	static const uint8_t zero[8];
	int embedded = embedded4_public(a);

	if (embedded >= 0)
		return embedded;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 0;                               /* fe80::/10 link-local */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return 0;                               /* fec0::/10 site-local (deprecated) */
	if ((a[0] & 0xfe) == 0xfc)
		return 0;                               /* fc00::/7 unique local (AWS metadata too) */
	if (a[0] == 0xff)
		return 0;                               /* multicast */
	if (a[0] == 0x01 && a[1] == 0 && !memcmp(a + 2, zero, 6))
		return 0;                               /* 100::/64 discard-only */
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
		return 0;                               /* 2001:db8::/32 documentation */
	if (a[0] == 0x20 && a[1] == 0x01 && (a[2] & 0xfe) == 0)
		return 0;                               /* 2001::/23 IETF protocol assignments
							 * (benchmarking, ORCHID; Teredo is above) */
	if (a[0] == 0x3f && (a[1] & 0xf0) == 0xf0)
		return 0;                               /* 3fff::/20 documentation */
	return 1;
}

int ssrf_address_public(const struct sockaddr *addr)
{
	if (!addr)
		return 0;
	if (addr->sa_family == AF_INET)
		return public4(ntohl(((const struct sockaddr_in *)(const void *)addr)->sin_addr.s_addr));
	if (addr->sa_family == AF_INET6)
		return public6(((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr.s6_addr);
	return 0;
}

static int check_host(const char *host, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *list = NULL;
	int rc;

	rc = getaddrinfo(host, NULL, &hints, &list);
	if (rc) {
		snprintf(err, errlen, "the host %s does not resolve", host);
		return -1;
	}
	rc = 0;
	for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
		if (!ssrf_address_public(ai->ai_addr)) {
			snprintf(err, errlen, "the host %s resolves to a loopback, private, link-local or "
				 "reserved address, which webhooks may not reach", host);
			rc = -1;
			break;
		}
	}
	freeaddrinfo(list);
	return rc;
}

int ssrf_url_check(const char *url, int allow_private, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL;
	int rc = -1;

	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		snprintf(err, errlen, "not an absolute URL with a host");
		goto out;
	}
	if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")) {
		snprintf(err, errlen, "only http and https URLs are allowed");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		snprintf(err, errlen, "user information in the URL is not allowed; "
			 "receivers authenticate the signature instead");
		goto out;
	}
	if (!allow_private) {
		/* IPv6 literals come back bracketed from CURLUPART_HOST. */
		size_t n = strlen(host);

		if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
			memmove(host, host + 1, n - 2);
			host[n - 2] = '\0';
		}
		if (check_host(host, err, errlen))
			goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_url_cleanup(u);
	return rc;
}
