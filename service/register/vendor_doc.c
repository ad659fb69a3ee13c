/*
 * vendor_doc.c - vendor field rules.
 */
#include "register/vendor_doc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "json/valid.h"
#include "register/corpnum.h"

static const char *const fields[] = {
	"external_ref", "name", "name_kana", "corporate_number", "entity_type", "country",
	"address", "capital_jpy", "employee_count", "department", "business_description",
	"tags", "status", "stability_notes", "contacts", NULL
};
static const char *const entity_types[] = { "corporation", "sole_proprietor", "foreign",
					    "public_body", NULL };
static const char *const statuses[] = { "candidate", "active", "suspended", "terminated", NULL };
static const char *const contact_roles[] = { "contract_signer", "security_officer",
					     "incident_contact", "other", NULL };

json_t *vendor_doc_from(json_t *vendor)
{
	json_t *doc = json_object();

	for (size_t i = 0; fields[i]; i++) {
		json_t *v = json_object_get(vendor, fields[i]);

		json_object_set(doc, fields[i], v ? v : json_null());
	}
	return doc;
}

static json_t *defaults(void)
{
	return json_pack("{s:s, s:s, s:s, s:[], s:[]}", "entity_type", "corporation",
			 "country", "JP", "status", "candidate", "tags", "contacts");
}

static int phone_ok(const char *s)
{
	int digits = 0;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!strchr("+-() ", *s))
			return 0;
	}
	return digits >= 6 && digits <= 15;
}

static void check_contacts(struct problem *p, json_t *contacts)
{
	static const char *const cfields[] = { "name", "role", "email", "phone", "note", "no_mail", NULL };
	json_t *c;
	size_t i;

	if (!json_is_array(contacts) || json_array_size(contacts) > 20) {
		problem_add_pointer(p, "/contacts", "must be an array of at most 20 contacts");
		return;
	}
	json_array_foreach(contacts, i, c) {
		size_t from = problem_error_count(p);
		const char *email, *phone;
		char prefix[32];
		int no_mail;

		snprintf(prefix, sizeof(prefix), "/contacts/%zu", i);
		if (!json_is_object(c)) {
			problem_add_pointer(p, prefix, "must be an object");
			continue;
		}
		jv_only(p, c, cfields);
		jv_string(p, c, "name", JV_REQUIRED, 1, 200);
		jv_enum(p, c, "role", JV_REQUIRED, contact_roles);
		email = jv_string(p, c, "email", JV_OPTIONAL, 3, 254);
		phone = jv_string(p, c, "phone", JV_OPTIONAL, 1, 30);
		jv_string(p, c, "note", JV_OPTIONAL, 0, 1000);
		/* the person asked not to be mailed by itaku (mail is then recorded as suppressed) */
		jv_bool(p, c, "no_mail", JV_OPTIONAL, &no_mail);
		if (email && !jv_is_email(email))
			problem_add_pointer(p, "/email", "is not an e-mail address");
		if (phone && !phone_ok(phone))
			problem_add_pointer(p, "/phone", "must be 6 to 15 digits with + - ( ) or spaces");
		jv_rebase(p, from, prefix);
	}
}

json_t *vendor_doc_merge(struct problem *p, json_t *base, json_t *patch)
{
	json_t *doc = base ? json_deep_copy(base) : defaults();
	size_t errors = problem_error_count(p);
	const char *key, *cn, *country;
	long long n;
	json_t *v;
	int entity;

	jv_only(p, patch, fields);
	json_object_foreach(patch, key, v)
		json_object_set(doc, key, v);

	jv_string(p, doc, "external_ref", JV_OPTIONAL, 1, 100);
	jv_string(p, doc, "name", JV_REQUIRED, 1, 200);
	jv_string(p, doc, "name_kana", JV_OPTIONAL, 0, 200);
	entity = jv_enum(p, doc, "entity_type", JV_REQUIRED, entity_types);
	country = jv_string(p, doc, "country", JV_REQUIRED, 2, 2);
	jv_string(p, doc, "address", JV_OPTIONAL, 0, 500);
	jv_int(p, doc, "capital_jpy", JV_OPTIONAL, 0, 9000000000000000000LL, &n);
	jv_int(p, doc, "employee_count", JV_OPTIONAL, 0, 10000000, &n);
	jv_string(p, doc, "department", JV_OPTIONAL, 0, 200);
	jv_string(p, doc, "business_description", JV_OPTIONAL, 0, 4000);
	if (!jv_strings(p, doc, "tags", 30, 1, 50, NULL) && !json_is_array(json_object_get(doc, "tags")))
		problem_add_pointer(p, "/tags", "must be an array of strings");
	jv_enum(p, doc, "status", JV_REQUIRED, statuses);
	jv_string(p, doc, "stability_notes", JV_OPTIONAL, 0, 4000);
	check_contacts(p, json_object_get(doc, "contacts"));

	if (country) {
		char up[3] = { (char)toupper((unsigned char)country[0]),
			       (char)toupper((unsigned char)country[1]), 0 };

		if (!isalpha((unsigned char)up[0]) || !isalpha((unsigned char)up[1]))
			problem_add_pointer(p, "/country", "must be an ISO 3166-1 alpha-2 code such as JP");
		else
			json_object_set_new(doc, "country", json_string(up));
	}
	cn = jv_string(p, doc, "corporate_number", JV_OPTIONAL, 1, 60);
	if (cn) {
		char norm[CORPNUM_LEN + 1];
		int rc = corpnum_normalize(cn, norm);

		if (rc == -1)
			problem_add_pointer(p, "/corporate_number", "must be 13 digits (hyphens and full-width digits are accepted)");
		else if (rc == -2)
			problem_add_pointer(p, "/corporate_number", "has a wrong check digit; it is not a corporate number");
		else if (entity == 1)
			problem_add_pointer(p, "/corporate_number",
					    "sole proprietors have no corporate number; never record an individual number (マイナンバー) here");
		else
			json_object_set_new(doc, "corporate_number", json_string(norm));
	}
	if (problem_error_count(p) > errors) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
