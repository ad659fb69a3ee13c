/*
 * pages.h - the vendor's pages: GET /respond (answer a questionnaire) and
 * GET /report (report an incident), and the scripts and styles they load
 * from GET /pages/{asset}.
 *
 * The person at the vendor has a link and a browser, no key. The link's
 * token travels in the URL fragment (/respond#ita_...), which browsers never
 * send: it reaches no log, proxy or Referer header. The pages' scripts read
 * it and call the public API (/v1/respond/{token}/..., /v1/report/{token}/...).
 *
 * Every file is compiled in (service/http/assets/pages, by
 * cmake/embed.cmake): nothing is loaded from any other host. Each answer
 * carries a Content-Security-Policy that allows scripts, styles and requests
 * from this origin only (no inline script), Referrer-Policy: no-referrer,
 * and an ETag; no cookie is ever set.
 */
#ifndef ITAKU_PAGES_H
#define ITAKU_PAGES_H

#include <stddef.h>
#include "embedded.h"

struct req;

/* The files of service/http/assets/pages, sorted by name. Static and
 * read-only; never free them. */
extern const struct embedded_file pages_files[];
extern const size_t pages_files_count;

int pages_respond(struct req *r);   /* GET /respond */
int pages_report(struct req *r);    /* GET /report */
int pages_asset(struct req *r);     /* GET /pages/{asset} */

#endif
