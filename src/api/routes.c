/*
 * routes.c - every route crix serve answers, in one table.  The OpenAPI
 * document (docs/openapi.json) must list exactly these: a unit test checks.
 */
#include "api/api.h"

#define KB(n) ((size_t)(n) << 10)
#define MB(n) ((size_t)(n) << 20)

const struct http_route http_routes[] = {
        {"GET", "/healthz", api_healthz, HTTP_PUBLIC_OPEN, 0, false, NULL},
        {"GET", "/metrics", api_metrics, HTTP_PUBLIC_OPEN, 0, false, NULL},
        {"GET", "/api/v1/openapi.json", api_openapi, HTTP_PUBLIC_OPEN, 0, false, NULL},
        {"GET", "/api/v1/offences", api_offences, HTTP_PUBLIC_OPEN, 0, false, NULL},
        {"POST", "/api/v1/login", api_login, HTTP_PUBLIC, KB(8), false, NULL},
        {"POST", "/api/v1/logout", api_logout, HTTP_SIGNED_IN, KB(1), false, NULL},
        {"GET", "/api/v1/me", api_me, HTTP_SIGNED_IN, 0, false, NULL},
        {"GET", "/api/v1/orgs", api_org_list, HTTP_SIGNED_IN, 0, false, NULL},
        {"POST", "/api/v1/orgs", api_org_create, HTTP_SIGNED_IN, KB(16), false, NULL},
        {"GET", "/api/v1/orgs/{id}", api_org_get, HTTP_SIGNED_IN, 0, false, NULL},
        {"PATCH", "/api/v1/orgs/{id}", api_org_update, HTTP_SIGNED_IN, KB(16), false, NULL},
        {"GET", "/api/v1/users", api_user_list, HTTP_SIGNED_IN, 0, false, NULL},
        {"POST", "/api/v1/users", api_user_create, HTTP_SIGNED_IN, KB(16), false, NULL},
        {"GET", "/api/v1/users/{id}", api_user_get, HTTP_SIGNED_IN, 0, false, NULL},
        {"PATCH", "/api/v1/users/{id}", api_user_update, HTTP_SIGNED_IN, KB(16), false, NULL},
        {"GET", "/api/v1/tokens", api_token_list, HTTP_SIGNED_IN, 0, false, NULL},
        {"POST", "/api/v1/tokens", api_token_create, HTTP_SIGNED_IN, KB(16), false, NULL},
        {"DELETE", "/api/v1/tokens/{id}", api_token_revoke, HTTP_SIGNED_IN, 0, false, NULL},
        {"POST", "/api/v1/reports", api_report_submit, HTTP_PUBLIC, MB(32), true, NULL},
        {"GET", "/api/v1/reports", api_report_list, HTTP_SIGNED_IN, 0, false, NULL},
        {"POST", "/api/v1/reports/bulk", api_report_bulk, HTTP_SIGNED_IN, MB(16), false, NULL},
        {"GET", "/api/v1/reports/{ref}", api_report_get, HTTP_SIGNED_IN, 0, false, NULL},
        {"POST", "/api/v1/reports/{ref}/status", api_report_status, HTTP_SIGNED_IN, KB(64), false,
         NULL},
        {"POST", "/api/v1/reports/{ref}/notes", api_report_note, HTTP_SIGNED_IN, KB(64), false,
         NULL},
        {"GET", "/api/v1/reports/{ref}/case", api_report_case, HTTP_SIGNED_IN, 0, false, NULL},
        {"GET", "/api/v1/reports/{ref}/evidence/{sha256}", api_report_evidence, HTTP_SIGNED_IN, 0,
         false, NULL},
        {"GET", "/api/v1/stats", api_stats, HTTP_PUBLIC, 0, false, NULL},
        {"GET", "/api/v1/track/{ref}", api_track, HTTP_PUBLIC, 0, false, NULL},
        {"POST", "/api/v1/track/{ref}/additions", api_track_add, HTTP_PUBLIC, KB(64), false, NULL},
        {"GET", "/api/v1/cases", api_case_list, HTTP_SIGNED_IN, 0, false, NULL},
        {"GET", "/api/v1/cases/{id}", api_case_get, HTTP_SIGNED_IN, 0, false, NULL},
        {"GET", "/api/v1/cases/{id}/graph", api_case_graph, HTTP_SIGNED_IN, 0, false, NULL},
        {"POST", "/api/v1/cases/{id}/split", api_case_split, HTTP_SIGNED_IN, KB(16), false, NULL},
        {"POST", "/api/v1/cases/{id}/merge", api_case_merge, HTTP_SIGNED_IN, KB(16), false, NULL},
        {"POST", "/api/v1/cases/{id}/confirm", api_case_confirm, HTTP_SIGNED_IN, KB(16), false,
         NULL},
        {NULL, NULL, NULL, HTTP_PUBLIC, 0, false, NULL},
};
