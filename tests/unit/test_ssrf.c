/* Unit tests: which webhook targets are refused. */
#include <arpa/inet.h>
#include <string.h>
#include "harness.h"
#include "webhooks/ssrf.h"

static int public_v4(const char *ip)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	ck_assert_int_eq(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	return ssrf_address_public((struct sockaddr *)&a);
}

static int public_v6(const char *ip)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };

	ck_assert_int_eq(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
	return ssrf_address_public((struct sockaddr *)&a);
}

START_TEST(addresses)
{
	static const char *const blocked4[] = { "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1",
		"172.31.255.255", "192.168.0.10", "169.254.169.254", "100.64.0.1", "0.0.0.0",
		"224.0.0.1", "255.255.255.255", "198.18.0.1", NULL };
	static const char *const open4[] = { "8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1",
		"203.0.114.1", NULL };
	static const char *const blocked6[] = { "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1",
		"ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2001:db8::1", NULL };
	static const char *const open6[] = { "2606:4700:4700::1111", "::ffff:8.8.8.8", NULL };

	for (int i = 0; blocked4[i]; i++)
		ck_assert_msg(!public_v4(blocked4[i]), "%s passed", blocked4[i]);
	for (int i = 0; open4[i]; i++)
		ck_assert_msg(public_v4(open4[i]), "%s refused", open4[i]);
	for (int i = 0; blocked6[i]; i++)
		ck_assert_msg(!public_v6(blocked6[i]), "%s passed", blocked6[i]);
	for (int i = 0; open6[i]; i++)
		ck_assert_msg(public_v6(open6[i]), "%s refused", open6[i]);
}
END_TEST

/* IPv6 forms that carry an IPv4 address are judged by that address;
 * deprecated and special-purpose blocks are refused outright. */
START_TEST(embedded_and_special_ranges)
{
	static const char *const blocked[] = {
		"192.88.99.1", "192.88.99.255",                  /* 6to4 relay anycast */
		"64:ff9b:1::a9fe:a9fe", "64:ff9b:1::7f00:1",     /* local-use NAT64, /96 reading */
		"64:ff9b:1:0:a:fea9:fe00:0",                    /* local-use NAT64, /64 reading of 10.254.169.254 */
		"64:ff9b:1:a9fe:a9:fe00::",                     /* a /48 form: 169.254.169.254 */
		"64:ff9b::10.0.0.1",                            /* well-known NAT64 */
		"2002:a9fe:a9fe::1", "2002:7f00:1::", "2002:c0a8:101:1::5",   /* 6to4 */
		"2001:0:4136:e378:8000:63bf:80ff:fffe",         /* Teredo, client 127.0.0.1 (inverted) */
		"2001:0:4136:e378:8000:63bf:5601:5601",         /* Teredo, client 169.254.169.254 (inverted) */
		"2001:0:a00:1::f7f7:f7f7",                      /* Teredo, server 10.0.0.1 */
		"::a9fe:a9fe", "::127.0.0.1", "::10.1.2.3",     /* IPv4-compatible */
		"::ffff:0:169.254.169.254",                     /* IPv4-translated */
		"fec0::1", "feff::1",                           /* site-local */
		"100::1", "2001:2::1", "2001:20::1", "3fff::1", /* discard, benchmarking, ORCHIDv2, docs */
		NULL };
	static const char *const open[] = {
		"192.88.100.1", "192.88.98.255",
		"64:ff9b:1::808:808", "64:ff9b::8.8.8.8",
		"2002:808:808::1",
		"2001:0:4136:e378:8000:63bf:f7f7:f7f7",         /* Teredo, client 8.8.8.8 */
		"::8.8.8.8", "::ffff:0:8.8.8.8",
		"2001:200::1", "2400:cb00::1", "2a00:1450:4001::200e",
		NULL };

	for (int i = 0; blocked[i]; i++) {
		int v4 = strchr(blocked[i], ':') == NULL;

		ck_assert_msg(!(v4 ? public_v4(blocked[i]) : public_v6(blocked[i])), "%s passed", blocked[i]);
	}
	for (int i = 0; open[i]; i++) {
		int v4 = strchr(open[i], ':') == NULL;

		ck_assert_msg(v4 ? public_v4(open[i]) : public_v6(open[i]), "%s refused", open[i]);
	}
}
END_TEST

START_TEST(urls)
{
	char err[256];

	ck_assert_int_eq(ssrf_url_check("https://8.8.8.8/hook", 0, err, sizeof(err)), 0);
	ck_assert_int_eq(ssrf_url_check("http://[2606:4700:4700::1111]:8443/h", 0, err, sizeof(err)), 0);
	ck_assert_int_eq(ssrf_url_check("http://127.0.0.1:9/x", 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "private"));
	ck_assert_int_eq(ssrf_url_check("http://127.0.0.1:9/x", 1, err, sizeof(err)), 0);
	ck_assert_int_eq(ssrf_url_check("http://localhost/x", 0, err, sizeof(err)), -1);
	ck_assert_int_eq(ssrf_url_check("http://[::1]/x", 0, err, sizeof(err)), -1);
	ck_assert_int_eq(ssrf_url_check("http://2130706433/x", 0, err, sizeof(err)), -1);  /* 127.0.0.1 */
	ck_assert_int_eq(ssrf_url_check("http://[64:ff9b:1::a9fe:a9fe]/x", 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "link-local"));
	ck_assert_int_eq(ssrf_url_check("http://[2002:a9fe:a9fe::1]/x", 0, err, sizeof(err)), -1);
	ck_assert_int_eq(ssrf_url_check("ftp://8.8.8.8/x", 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "http"));
	ck_assert_int_eq(ssrf_url_check("https://user:pw@8.8.8.8/x", 1, err, sizeof(err)), -1);
	ck_assert_int_eq(ssrf_url_check("not a url", 1, err, sizeof(err)), -1);
	ck_assert_int_eq(ssrf_url_check("http://no-such-host.invalid/x", 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "resolve"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ssrf");
	TCase *tc = tcase_create("ssrf");

	tcase_add_test(tc, addresses);
	tcase_add_test(tc, embedded_and_special_ranges);
	tcase_add_test(tc, urls);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}
