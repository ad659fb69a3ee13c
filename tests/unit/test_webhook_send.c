/* Unit tests: sending a batch of webhook attempts with libcurl to a real
 * receiver, and what a transfer that never started leaves behind.
 *
 * curl_multi_add_handle() is interposed here (this executable's definition
 * wins over libcurl's for the statically linked sender) so that the one
 * failure libcurl gives no outside way to provoke can be provoked. */
#include <dlfcn.h>
#include <string.h>
#include <curl/curl.h>
#include "harness.h"
#include "receiver.h"
#include "webhooks/send.h"

static int fail_add;

CURLMcode curl_multi_add_handle(CURLM *multi, CURL *easy)
{
	static CURLMcode (*real)(CURLM *, CURL *);

	if (fail_add)
		return CURLM_OUT_OF_MEMORY;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "curl_multi_add_handle");
	return real(multi, easy);
}

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

START_TEST(a_batch_goes_out_at_once_and_failures_say_why)
{
	struct receiver rv;
	struct webhook_sender *s;
	struct webhook_message m[3];
	struct webhook_result r[3];
	char url[64], closed[64];
	struct receiver gone;

	ck_assert_int_eq(receiver_start(&rv, 0), 0);
	ck_assert_int_eq(receiver_start(&gone, 0), 0);
	snprintf(closed, sizeof(closed), "http://127.0.0.1:%d/down", gone.port);
	receiver_stop(&gone);          /* a port nobody listens on any more */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hooks", rv.port);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	s = webhook_sender_new(5, 1);
	ck_assert_ptr_nonnull(s);

	m[0] = (struct webhook_message){ .url = url, .id = "msg_1", .body = "{}", .len = 2, .secret = SECRET };
	m[1] = m[0];
	m[1].secret = "whsec_!!!";    /* does not decode: never sent */
	m[2] = m[0];
	m[2].url = closed;
	webhook_send_batch(s, m, r, 3);
	ck_assert_int_eq(r[0].status, 200);
	ck_assert_str_eq(r[0].error, "");
	ck_assert_int_eq(r[1].status, 0);
	ck_assert_ptr_nonnull(strstr(r[1].error, "secret"));
	ck_assert_int_eq(r[2].status, 0);
	ck_assert_msg(r[2].error[0] != '\0', "a refused connection must say why");
	ck_assert_int_eq(receiver_wait(&rv, 1, 1000), 1);

	/* The multi handle refuses the transfer: a failed attempt with its
	 * reason, the signed headers freed (LeakSanitizer checks), and the
	 * sender usable afterwards. */
	fail_add = 1;
	webhook_send_batch(s, m, r, 1);
	fail_add = 0;
	ck_assert_int_eq(r[0].status, 0);
	ck_assert_msg(strstr(r[0].error, "could not be started") != NULL, "error: \"%s\"", r[0].error);
	webhook_send_batch(s, m, r, 1);
	ck_assert_int_eq(r[0].status, 200);
	ck_assert_int_eq(receiver_wait(&rv, 2, 1000), 2);

	webhook_sender_free(s);
	curl_global_cleanup();
	receiver_stop(&rv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("webhook_send");
	TCase *tc = tcase_create("webhook_send");

	tcase_add_test(tc, a_batch_goes_out_at_once_and_failures_say_why);
	suite_add_tcase(s, tc);
	return itk_run_suite(s);
}
