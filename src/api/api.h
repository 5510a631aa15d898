/*
 * api.h - the REST handlers of crix serve, one file per resource.  Each
 * parses its request, asks model/ to decide and act, and fills the response;
 * none touches SQL or libmicrohttpd.
 */
#ifndef CRIX_API_API_H
#define CRIX_API_API_H

#include "http/http.h"

/* meta.c */
void api_healthz(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_metrics(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_openapi(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_offences(struct http_app *app, struct http_req *rq, struct http_resp *rs);
/* The OpenAPI document built into the binary (docs/openapi.json). */
extern const char api_openapi_json[];

/* session.c */
void api_login(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_logout(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_me(struct http_app *app, struct http_req *rq, struct http_resp *rs);

/* accounts.c */
void api_org_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_org_create(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_org_get(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_org_update(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_user_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_user_create(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_user_get(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_user_update(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_token_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_token_create(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_token_revoke(struct http_app *app, struct http_req *rq, struct http_resp *rs);

/* reports.c */
void api_report_submit(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_report_bulk(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_report_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_report_get(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_report_status(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_report_note(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_report_case(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_report_evidence(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_track(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_track_add(struct http_app *app, struct http_req *rq, struct http_resp *rs);

/* stats.c */
void api_stats(struct http_app *app, struct http_req *rq, struct http_resp *rs);

/* sharing.c: TAXII 2.1 and crix's sharing routes */
void api_taxii_discovery(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_root(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_collections(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_collection(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_objects(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_add(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_object(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_versions(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_manifest(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_taxii_status(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_collection_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_collection_create(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_collection_update(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_group_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_group_create(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_group_member_add(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_group_member_remove(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_lookup(struct http_app *app, struct http_req *rq, struct http_resp *rs);
/* directory.c: organisations and users by name, for picking recipients. */
void api_directory_orgs(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_directory_users(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_collection_import(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_misp_manifest(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_misp_event(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_sightings_add(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_indicator_sightings(struct http_app *app, struct http_req *rq, struct http_resp *rs);
/* cases.c */
void api_case_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_get(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_graph(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_split(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_merge(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_confirm(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_review(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_jurisdiction(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_disseminate(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_package(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_outcome_add(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_outcome_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_case_decisions(struct http_app *app, struct http_req *rq, struct http_resp *rs);

/* alerts.c */
void api_alert_publish(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_alert_list(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_alert_get(struct http_app *app, struct http_req *rq, struct http_resp *rs);
void api_alert_withdraw(struct http_app *app, struct http_req *rq, struct http_resp *rs);

/* Shared by the handlers: parses a positive integer id from a path
 * parameter or query; on failure answers 400 naming it and returns -1. */
int api_id(struct http_resp *rs, const char *s, const char *field, int64_t *out);
/* Parses ?limit= (1-max, default def).  On failure answers 400. */
int api_limit(struct http_req *rq, struct http_resp *rs, size_t def, size_t max, size_t *out);

#endif
