/*
 * routes.c - the route table: the composition of the resource modules.
 *
 * It sits above them and next to main, which hands it to the HTTP server
 * (server_run()): the http layer knows only struct route, the way libuv
 * knows only callbacks.
 */
#include "routes.h"

#include "api_keys.h"
#include "assessments/assessments.h"
#include "assessments/campaigns.h"
#include "assessments/comparison.h"
#include "assessments/findings.h"
#include "assessments/forward.h"
#include "assessments/links.h"
#include "assessments/recheck.h"
#include "assessments/reminders.h"
#include "assessments/respond.h"
#include "assessments/review.h"
#include "audit/events.h"
#include "http/auth.h"
#include "http/docs.h"
#include "http/pages.h"
#include "http/health.h"
#include "http/openapi.h"
#include "chain/chain.h"
#include "chain/subcontract_actions.h"
#include "chain/subcontracts.h"
#include "incidents/incident_events.h"
#include "incidents/incident_list.h"
#include "incidents/incidents.h"
#include "incidents/report_intake.h"
#include "incidents/report_links.h"
#include "mail/messages.h"
#include "negotiations/estimates.h"
#include "negotiations/export.h"
#include "negotiations/history.h"
#include "negotiations/links.h"
#include "negotiations/negotiations.h"
#include "negotiations/requests.h"
#include "negotiations/risks.h"
#include "overview/overview.h"
#include "questionnaires/controls.h"
#include "questionnaires/templates.h"
#include "questionnaires/transfer.h"
#include "questionnaires/versions.h"
#include "register/certifications.h"
#include "register/engagements.h"
#include "register/handovers.h"
#include "register/settings.h"
#include "register/torihiki.h"
#include "register/vendor_list.h"
#include "register/vendor_sync.h"
#include "register/vendors.h"
#include "webhooks/deliveries.h"
#include "webhooks/webhooks.h"

#define JSON ROUTE_JSON_BODY
#define IDEM ROUTE_IDEMPOTENT
#define OPTJSON ROUTE_JSON_OPTIONAL

const struct route routes_table[] = {
	/* operations: no key */
	{ "GET", "/healthz", PERM_PUBLIC, 0, health_live },
	{ "GET", "/readyz", PERM_PUBLIC, 0, health_ready },
	{ "GET", "/metrics", PERM_PUBLIC, 0, health_metrics },
	{ "GET", "/openapi.yaml", PERM_PUBLIC, 0, openapi_get_yaml },
	{ "GET", "/openapi.json", PERM_PUBLIC, 0, openapi_get_json },
	{ "GET", "/docs", PERM_PUBLIC, 0, docs_page },

	/* the vendor's pages: no key, the link's token in the URL fragment */
	{ "GET", "/respond", PERM_PUBLIC, 0, pages_respond },
	{ "GET", "/report", PERM_PUBLIC, 0, pages_report },
	{ "GET", "/pages/{asset}", PERM_PUBLIC, 0, pages_asset },

	{ "GET", "/v1/me", PERM_ANY, 0, api_keys_me },

	{ "GET", "/v1/api-keys", PERM_ADMIN, 0, api_keys_list },
	{ "POST", "/v1/api-keys", PERM_ADMIN, JSON | IDEM, api_keys_create },
	{ "GET", "/v1/api-keys/{id}", PERM_ADMIN, 0, api_keys_get },
	{ "PATCH", "/v1/api-keys/{id}", PERM_ADMIN, JSON, api_keys_update },
	{ "POST", "/v1/api-keys/{id}/revoke", PERM_ADMIN, 0, api_keys_revoke },

	{ "GET", "/v1/vendors", PERM_READ, 0, vendors_list },
	{ "POST", "/v1/vendors", PERM_WRITE, JSON | IDEM, vendors_create },
	{ "GET", "/v1/vendors/export.csv", PERM_READ, 0, vendors_export },
	{ "POST", "/v1/vendors/batch", PERM_SYNC, JSON | IDEM, vendors_batch },
	{ "PUT", "/v1/vendors/by-ref/{external_ref}", PERM_SYNC, JSON | IDEM, vendors_put_by_ref },
	{ "GET", "/v1/vendors/{id}", PERM_READ, 0, vendors_get },
	{ "PATCH", "/v1/vendors/{id}", PERM_WRITE, JSON, vendors_update },
	{ "DELETE", "/v1/vendors/{id}", PERM_WRITE, 0, vendors_delete },
	{ "PUT", "/v1/vendors/{id}/risk-override", PERM_WRITE, JSON, vendors_set_override },
	{ "DELETE", "/v1/vendors/{id}/risk-override", PERM_WRITE, 0, vendors_clear_override },
	{ "GET", "/v1/vendors/{id}/monitoring-records", PERM_READ, 0, vendors_list_monitoring },
	{ "POST", "/v1/vendors/{id}/monitoring-records", PERM_WRITE, JSON | IDEM, vendors_add_monitoring },

	{ "GET", "/v1/vendors/{id}/certifications", PERM_READ, 0, certifications_list_for_vendor },
	{ "POST", "/v1/vendors/{id}/certifications", PERM_WRITE, JSON | IDEM, certifications_create },
	{ "GET", "/v1/certifications", PERM_READ, 0, certifications_list },
	{ "GET", "/v1/certifications/{id}", PERM_READ, 0, certifications_get },
	{ "PATCH", "/v1/certifications/{id}", PERM_WRITE, JSON, certifications_update },
	{ "DELETE", "/v1/certifications/{id}", PERM_WRITE, 0, certifications_delete },

	{ "GET", "/v1/vendors/{id}/engagements", PERM_READ, 0, engagements_list_for_vendor },
	{ "GET", "/v1/engagements", PERM_READ, 0, engagements_list },
	{ "POST", "/v1/vendors/{id}/engagements", PERM_WRITE, JSON | IDEM, engagements_create },
	{ "GET", "/v1/engagements/{id}", PERM_READ, 0, engagements_get },
	{ "PATCH", "/v1/engagements/{id}", PERM_WRITE, JSON, engagements_update },
	{ "DELETE", "/v1/engagements/{id}", PERM_WRITE, 0, engagements_delete },

	{ "GET", "/v1/engagements/{id}/subcontracts", PERM_READ, 0, subcontracts_list_for_engagement },
	{ "POST", "/v1/engagements/{id}/subcontracts", PERM_WRITE, JSON | IDEM, subcontracts_create },
	{ "GET", "/v1/engagements/{id}/chain", PERM_READ, 0, chain_get },
	{ "GET", "/v1/engagements/{id}/torihiki", PERM_READ, 0, torihiki_get },
	{ "GET", "/v1/subcontracts", PERM_READ, 0, subcontracts_list },
	{ "GET", "/v1/subcontracts/{id}", PERM_READ, 0, subcontracts_get },
	{ "PATCH", "/v1/subcontracts/{id}", PERM_WRITE, JSON, subcontracts_update },
	{ "POST", "/v1/subcontracts/{id}/approve", PERM_WRITE, OPTJSON | IDEM, subcontracts_approve },
	{ "POST", "/v1/subcontracts/{id}/reject", PERM_WRITE, OPTJSON | IDEM, subcontracts_reject },
	{ "POST", "/v1/subcontracts/{id}/withdraw", PERM_WRITE, OPTJSON | IDEM, subcontracts_withdraw },
	{ "POST", "/v1/subcontracts/{id}/end", PERM_WRITE, OPTJSON | IDEM, subcontracts_end },
	{ "GET", "/v1/vendors/{id}/exposure", PERM_READ, 0, chain_exposure },
	{ "GET", "/v1/engagements/{id}/handovers", PERM_READ, 0, handovers_list_for_engagement },
	{ "POST", "/v1/engagements/{id}/handovers", PERM_WRITE, JSON | IDEM, handovers_create },
	{ "GET", "/v1/handovers", PERM_READ, 0, handovers_list },
	{ "GET", "/v1/handovers/{id}", PERM_READ, 0, handovers_get },
	{ "PATCH", "/v1/handovers/{id}", PERM_WRITE, JSON, handovers_update },

	{ "GET", "/v1/incidents", PERM_READ, 0, incidents_list },
	{ "POST", "/v1/incidents", PERM_WRITE, JSON | IDEM, incidents_create },
	{ "GET", "/v1/incidents/{id}", PERM_READ, 0, incidents_get },
	{ "PATCH", "/v1/incidents/{id}", PERM_WRITE, JSON, incidents_update },
	{ "POST", "/v1/incidents/{id}/status", PERM_WRITE, JSON | IDEM, incidents_set_status },
	{ "GET", "/v1/incidents/{id}/events", PERM_READ, 0, incidents_list_events },
	{ "POST", "/v1/incidents/{id}/events", PERM_WRITE, JSON | IDEM, incidents_add_event },
	{ "GET", "/v1/engagements/{id}/incidents", PERM_READ, 0, incidents_list_for_engagement },
	{ "GET", "/v1/vendors/{id}/incidents", PERM_READ, 0, incidents_list_for_vendor },
	{ "GET", "/v1/vendors/{id}/report-links", PERM_READ, 0, report_links_list },
	{ "POST", "/v1/vendors/{id}/report-links", PERM_WRITE, OPTJSON | IDEM, report_links_create },
	{ "GET", "/v1/report-links/{id}", PERM_READ, 0, report_links_get },
	{ "POST", "/v1/report-links/{id}/revoke", PERM_WRITE, 0, report_links_revoke },
	/* vendor intake: the token in the path is the credential */
	{ "GET", "/v1/report/{token}", PERM_PUBLIC, 0, report_intake_about },
	{ "GET", "/v1/report/{token}/incidents", PERM_PUBLIC, 0, report_intake_list },
	{ "POST", "/v1/report/{token}/incidents", PERM_PUBLIC, JSON, report_intake_create },
	{ "GET", "/v1/report/{token}/incidents/{incident_id}", PERM_PUBLIC, 0, report_intake_get },
	{ "POST", "/v1/report/{token}/incidents/{incident_id}/events", PERM_PUBLIC, JSON,
	  report_intake_add_event },

	/* webhooks: the create and rotate answers carry the signing secret,
	 * which their stored replays leave out */
	{ "GET", "/v1/webhook-subscriptions", PERM_ADMIN, 0, webhook_subscriptions_list },
	{ "POST", "/v1/webhook-subscriptions", PERM_ADMIN, JSON | IDEM, webhook_subscriptions_create },
	{ "GET", "/v1/webhook-subscriptions/{id}", PERM_ADMIN, 0, webhook_subscriptions_get },
	{ "PATCH", "/v1/webhook-subscriptions/{id}", PERM_ADMIN, JSON, webhook_subscriptions_update },
	{ "DELETE", "/v1/webhook-subscriptions/{id}", PERM_ADMIN, 0, webhook_subscriptions_delete },
	{ "POST", "/v1/webhook-subscriptions/{id}/rotate-secret", PERM_ADMIN, OPTJSON | IDEM,
	  webhook_subscriptions_rotate },
	{ "POST", "/v1/webhook-subscriptions/{id}/test", PERM_ADMIN, 0, webhook_subscriptions_test },
	{ "GET", "/v1/webhook-deliveries", PERM_ADMIN, 0, webhook_deliveries_list },
	{ "GET", "/v1/webhook-deliveries/{id}", PERM_ADMIN, 0, webhook_deliveries_get },
	{ "POST", "/v1/webhook-deliveries/{id}/redeliver", PERM_ADMIN, 0, webhook_deliveries_redeliver },

	{ "GET", "/v1/questionnaire-templates", PERM_READ, 0, templates_list },
	{ "POST", "/v1/questionnaire-templates", PERM_WRITE, JSON | IDEM, templates_create },
	{ "GET", "/v1/questionnaire-templates/{id}", PERM_READ, 0, templates_get },
	{ "PATCH", "/v1/questionnaire-templates/{id}", PERM_WRITE, JSON, templates_update },
	{ "POST", "/v1/questionnaire-templates/{id}/archive", PERM_WRITE, 0, templates_archive },
	{ "POST", "/v1/questionnaire-templates/{id}/restore", PERM_WRITE, 0, templates_restore },
	{ "GET", "/v1/questionnaire-templates/{id}/versions", PERM_READ, 0, versions_list },
	{ "POST", "/v1/questionnaire-templates/{id}/versions", PERM_WRITE, OPTJSON | IDEM, versions_create },
	{ "POST", "/v1/questionnaire-templates/{id}/versions/import", PERM_WRITE, IDEM, transfer_import },
	{ "GET", "/v1/questionnaire-templates/{id}/versions/{number}", PERM_READ, 0, versions_get },
	{ "PATCH", "/v1/questionnaire-templates/{id}/versions/{number}", PERM_WRITE, JSON, versions_update },
	{ "DELETE", "/v1/questionnaire-templates/{id}/versions/{number}", PERM_WRITE, 0, versions_delete },
	{ "POST", "/v1/questionnaire-templates/{id}/versions/{number}/validate", PERM_READ, 0,
	  versions_validate },
	{ "POST", "/v1/questionnaire-templates/{id}/versions/{number}/publish", PERM_WRITE, IDEM,
	  versions_publish },
	{ "POST", "/v1/questionnaire-templates/{id}/versions/{number}/score", PERM_READ, JSON,
	  versions_score },
	{ "GET", "/v1/questionnaire-templates/{id}/versions/{number}/export.csv", PERM_READ, 0,
	  transfer_export_csv },
	{ "GET", "/v1/questionnaire-templates/{id}/versions/{number}/export.json", PERM_READ, 0,
	  transfer_export_json },
	{ "GET", "/v1/control-references", PERM_READ, 0, controls_list },

	{ "GET", "/v1/assessments", PERM_READ, 0, assessments_list },
	{ "POST", "/v1/assessments", PERM_WRITE, JSON | IDEM, assessments_create },
	{ "GET", "/v1/vendors/{id}/assessments", PERM_READ, 0, assessments_list_for_vendor },
	{ "POST", "/v1/vendors/{id}/assessments", PERM_WRITE, JSON | IDEM, assessments_create_for_vendor },
	{ "GET", "/v1/assessments/{id}", PERM_READ, 0, assessments_get },
	{ "PATCH", "/v1/assessments/{id}", PERM_WRITE, JSON, assessments_update },
	{ "POST", "/v1/assessments/{id}/send", PERM_WRITE, IDEM, assessments_send },
	{ "POST", "/v1/assessments/{id}/cancel", PERM_WRITE, JSON | IDEM, assessments_cancel },
	/* ---- the vendor's side: links, answers, evidence, submission */
	{ "GET", "/v1/assessments/{id}/respondent-links", PERM_READ, 0, links_list },
	{ "POST", "/v1/assessments/{id}/respondent-links", PERM_WRITE, OPTJSON | IDEM, links_create },
	{ "GET", "/v1/assessments/{id}/messages", PERM_READ, 0, mail_messages_list },
	{ "POST", "/v1/assessment-links/{id}/revoke", PERM_WRITE, 0, links_revoke },
	{ "GET", "/v1/assessments/{id}/files/{file_id}", PERM_READ, 0, respond_file_download },
	/* the respondent: the token in the path is the credential */
	{ "GET", "/v1/respond/{token}", PERM_PUBLIC, 0, respond_get },
	{ "PUT", "/v1/respond/{token}/answers", PERM_PUBLIC, JSON, respond_save },
	{ "POST", "/v1/respond/{token}/files", PERM_PUBLIC, 0, respond_file_upload },
	{ "DELETE", "/v1/respond/{token}/files/{file_id}", PERM_PUBLIC, 0, respond_file_delete },
	{ "POST", "/v1/respond/{token}/submit", PERM_PUBLIC, 0, respond_submit },
	{ "GET", "/v1/respond/{token}/findings", PERM_PUBLIC, 0, respond_findings_list },
	{ "POST", "/v1/respond/{token}/findings/{finding_id}", PERM_PUBLIC, JSON, respond_findings_answer },
	{ "POST", "/v1/respond/{token}/findings/{finding_id}/files", PERM_PUBLIC, 0, finding_files_upload },

	/* ---- findings and re-checks */
	{ "GET", "/v1/assessments/{id}/finding-proposals", PERM_READ, 0, findings_proposals },
	{ "GET", "/v1/assessments/{id}/findings", PERM_READ, 0, findings_list_for_assessment },
	{ "POST", "/v1/assessments/{id}/findings", PERM_WRITE, JSON | IDEM, findings_create },
	{ "POST", "/v1/assessments/{id}/recheck", PERM_WRITE, JSON | IDEM, recheck_create },
	{ "GET", "/v1/findings", PERM_READ, 0, findings_list },
	{ "GET", "/v1/findings/{id}", PERM_READ, 0, findings_get },
	{ "GET", "/v1/findings/{id}/files/{file_id}", PERM_READ, 0, finding_files_download },
	{ "PATCH", "/v1/findings/{id}", PERM_WRITE, JSON, findings_update },
	{ "POST", "/v1/findings/{id}/status", PERM_WRITE, JSON | IDEM, findings_set_status },

	/* ---- yearly cycle: campaigns */
	{ "GET", "/v1/assessment-campaigns", PERM_READ, 0, campaigns_list },
	{ "POST", "/v1/assessment-campaigns", PERM_WRITE, JSON | IDEM, campaigns_create },
	{ "GET", "/v1/assessment-campaigns/{id}", PERM_READ, 0, campaigns_get },
	{ "GET", "/v1/assessment-campaigns/{id}/export.csv", PERM_READ, 0, campaigns_export },

	/* ---- yearly cycle: reminders */
	{ "GET", "/v1/reminders", PERM_READ, 0, reminders_list },

	/* ---- yearly cycle: comparison and prefill */
	{ "GET", "/v1/assessments/{id}/comparison", PERM_READ, 0, comparison_get },
	{ "GET", "/v1/assessments/{id}/comparison.csv", PERM_READ, 0, comparison_csv },

	/* ---- yearly cycle: down the chain */
	{ "POST", "/v1/assessments/{id}/forward", PERM_WRITE, JSON | IDEM, forward_create },
	{ "GET", "/v1/assessments/{id}/forward-requests", PERM_READ, 0, forward_requests_list },
	{ "POST", "/v1/forward-requests/{id}/approve", PERM_WRITE, JSON | IDEM, forward_requests_approve },
	{ "POST", "/v1/forward-requests/{id}/reject", PERM_WRITE, JSON | IDEM, forward_requests_reject },
	{ "GET", "/v1/respond/{token}/forwarding", PERM_PUBLIC, 0, respond_forwarding_get },
	{ "POST", "/v1/respond/{token}/forwarding", PERM_PUBLIC, JSON, respond_forwarding_request },

	/* ---- review, return, completion */
	{ "PATCH", "/v1/assessments/{id}/reviews", PERM_WRITE, JSON, review_update },
	{ "POST", "/v1/assessments/{id}/return", PERM_WRITE, OPTJSON | IDEM, review_return },
	{ "POST", "/v1/assessments/{id}/complete", PERM_WRITE, OPTJSON | IDEM, review_complete },


	/* ---- cost pass-through negotiations (価格転嫁協議) */
	{ "GET", "/v1/security-requests", PERM_READ, 0, requests_list },
	{ "POST", "/v1/security-requests", PERM_WRITE, JSON | IDEM, requests_create },
	{ "GET", "/v1/security-requests/{id}", PERM_READ, 0, requests_get },
	{ "PATCH", "/v1/security-requests/{id}", PERM_WRITE, JSON, requests_update },
	{ "DELETE", "/v1/security-requests/{id}", PERM_WRITE, 0, requests_delete },
	{ "POST", "/v1/security-requests/{id}/withdraw", PERM_WRITE, JSON | IDEM, requests_withdraw },
	{ "GET", "/v1/security-requests/{id}/cost-estimates", PERM_READ, 0, estimates_list },
	{ "POST", "/v1/security-requests/{id}/cost-estimates", PERM_WRITE, JSON | IDEM, estimates_create },
	{ "GET", "/v1/vendors/{id}/security-requests", PERM_READ, 0, requests_list_for_vendor },
	{ "GET", "/v1/engagements/{id}/security-requests", PERM_READ, 0, requests_list_for_engagement },
	{ "GET", "/v1/negotiations", PERM_READ, 0, negotiations_list },
	{ "POST", "/v1/negotiations", PERM_WRITE, JSON | IDEM, negotiations_create },
	{ "GET", "/v1/negotiations/{id}", PERM_READ, 0, negotiations_get },
	{ "PATCH", "/v1/negotiations/{id}", PERM_WRITE, JSON, negotiations_update },
	{ "DELETE", "/v1/negotiations/{id}", PERM_WRITE, 0, negotiations_delete },
	{ "POST", "/v1/negotiations/{id}/sessions", PERM_WRITE, JSON | IDEM, history_add_session },
	{ "POST", "/v1/negotiations/{id}/outcomes", PERM_WRITE, JSON | IDEM, history_add_outcome },
	{ "GET", "/v1/negotiations/{id}/vendor-links", PERM_READ, 0, nlinks_list },
	{ "POST", "/v1/negotiations/{id}/vendor-links", PERM_WRITE, OPTJSON | IDEM, nlinks_create },
	{ "POST", "/v1/negotiation-links/{id}/revoke", PERM_WRITE, 0, nlinks_revoke },
	{ "GET", "/v1/negotiation-risks", PERM_READ, 0, risks_list },
	{ "GET", "/v1/vendors/{id}/negotiation-risks", PERM_READ, 0, risks_list_for_vendor },
	{ "GET", "/v1/vendors/{id}/negotiation-records/export.csv", PERM_READ, 0, export_csv },
	{ "GET", "/v1/vendors/{id}/negotiation-records/export.json", PERM_READ, 0, export_json },
	/* the vendor: the token in the path is the credential */
	{ "GET", "/v1/negotiate/{token}", PERM_PUBLIC, 0, nlinks_view },
	{ "POST", "/v1/negotiate/{token}/sessions/{entry_id}/confirmation", PERM_PUBLIC, JSON, nlinks_confirm_session },
	{ "POST", "/v1/negotiate/{token}/outcomes/{entry_id}/confirmation", PERM_PUBLIC, JSON, nlinks_confirm_outcome },

	/* ---- overview for dashboards */
	{ "GET", "/v1/overview", PERM_READ, 0, overview_get },
	{ "GET", "/v1/overview/trend", PERM_READ, 0, overview_trend },
	{ "GET", "/v1/overview/report.csv", PERM_READ, 0, overview_report_csv },

	{ "GET", "/v1/settings", PERM_READ, 0, settings_get },
	{ "PATCH", "/v1/settings", PERM_ADMIN, JSON, settings_update },

	{ "GET", "/v1/audit-events", PERM_AUDIT, 0, audit_list },
	{ "GET", "/v1/audit-events/verification", PERM_ADMIN, 0, audit_verify },
};

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);
