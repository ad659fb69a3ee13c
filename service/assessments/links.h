/*
 * links.h - respondent links from the outsourcer's side: issue (the token
 * is shown once), list, revoke.
 *
 * A token is "ita_" + 256 random bits; only its SHA-256 and its first 12
 * characters (prefix) are stored. An assessment has at most one live link:
 * issuing a new one supersedes the previous one, which then answers 410
 * like an expired or revoked one (assessments/respond.h).
 */
#ifndef ITAKU_ASSESSMENT_LINKS_H
#define ITAKU_ASSESSMENT_LINKS_H

struct req;

int links_create(struct req *r);
int links_list(struct req *r);
int links_revoke(struct req *r);

#endif
