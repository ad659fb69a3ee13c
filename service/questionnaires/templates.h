/*
 * templates.h - questionnaire templates: the named sheets of the library.
 *
 * A template carries only its name and description; its content lives in
 * its versions (questionnaires/versions.h). Templates are archived, never
 * deleted: assessments refer to their published versions for ever.
 */
#ifndef ITAKU_QUESTIONNAIRE_TEMPLATES_H
#define ITAKU_QUESTIONNAIRE_TEMPLATES_H

struct req;

int templates_list(struct req *r);
int templates_create(struct req *r);
int templates_get(struct req *r);
int templates_update(struct req *r);
int templates_archive(struct req *r);
int templates_restore(struct req *r);

#endif
