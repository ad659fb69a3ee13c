/*
 * versions.h - the versions of a questionnaire template.
 *
 * A template has at most one draft, which may be edited or deleted, and any
 * number of published versions, which never change (the database refuses
 * it too). Publishing holds the content to every rule (content_check()
 * strict, control references in the catalogue); validate answers the same
 * errors without publishing; the score preview computes a result from
 * answers without storing anything.
 */
#ifndef ITAKU_QUESTIONNAIRE_VERSIONS_H
#define ITAKU_QUESTIONNAIRE_VERSIONS_H

#include <jansson.h>

struct req;

int versions_list(struct req *r);
int versions_create(struct req *r);
int versions_get(struct req *r);
int versions_update(struct req *r);
int versions_delete(struct req *r);
int versions_validate(struct req *r);
int versions_publish(struct req *r);
int versions_score(struct req *r);

/* Creates the template's new draft from content (borrowed) that the caller
 * has checked, control references included, and answers 201 with it; the
 * import handler's way in. Opens and ends its own
 * transaction (req_end). Returns 0 or -1 with a problem on r. */
int versions_create_draft(struct req *r, const char *template_id, json_t *content,
			  const char *changelog);

/* The stored content of version number (text) of the template, for reading
 * (caller decrefs *content). Returns 0 or -1 with a 404 on r. */
int versions_read_content(struct req *r, const char *template_id, const char *number,
			  json_t **content);

/* The path's template id and version number; NULL with a 404 on r. */
const char *versions_template_param(struct req *r);
const char *versions_number_param(struct req *r);

#endif
