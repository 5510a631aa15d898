/*
 * reports.c - report intake (one, or in bulk), the staff routes, and the
 * victim's tracking routes.  The rules are in model/report.c.
 */
#include "api/api.h"

#include "util/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BULK_LINES_MAX 10000

static const char *channel_of(const struct http_req *rq)
{
	return rq->who.authenticated ? "api" : "web";
}

void api_report_submit(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	struct report_file files[REPORT_EVIDENCE_MAX];
	size_t nf = 0;
	for (size_t i = 0; i < rq->n_files; i++) {
		if (nf == REPORT_EVIDENCE_MAX) {
			json_decref(in);
			http_error(rs, 413, "evidence: at most 10 files", "evidence");
			return;
		}
		files[nf].name = rq->files[i].name;
		files[nf].data = rq->files[i].data ? rq->files[i].data : (const unsigned char *)"";
		files[nf].len = rq->files[i].len;
		nf++;
	}
	json_t *receipt;
	struct crix_error err = {0};
	int rc = report_submit(&app->reports, &rq->who, in, channel_of(rq), files, nf, &receipt,
	                       &err);
	json_decref(in);
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	atomic_fetch_add(&app->reports_received, 1);
	char loc[96];
	snprintf(loc, sizeof loc, "/api/v1/track/%s",
	         json_string_value(json_object_get(receipt, "reference")));
	http_header_add(rs, "Location", loc);
	http_json(rs, 201, receipt);
}

/* ---- bulk ---- */

/* One result line of a bulk submission. */
static void bulk_result(struct http_app *app, struct http_req *rq, json_t *results, size_t line,
                        json_t *in, size_t *ok)
{
	json_t *receipt;
	struct crix_error err = {0};
	int rc = in ? report_submit(&app->reports, &rq->who, in, "bulk", NULL, 0, &receipt, &err)
	            : -1;
	if (rc == 0) {
		atomic_fetch_add(&app->reports_received, 1);
		(*ok)++;
		json_t *r = json_pack("{s:I,s:O,s:O}", "line", (json_int_t)line, "reference",
		                      json_object_get(receipt, "reference"), "tracking_secret",
		                      json_object_get(receipt, "tracking_secret"));
		json_decref(receipt);
		json_array_append_new(results, r);
		return;
	}
	json_t *e = json_pack("{s:s}", "message", err.msg);
	if (err.field[0])
		json_object_set_new(e, "field", json_string(err.field));
	json_array_append_new(results,
	                      json_pack("{s:I,s:o}", "line", (json_int_t)line, "error", e));
}

/* A line that never became a report; field names the column or part at
 * fault when there is one (the text before the first ':' of msg). */
static void bulk_error(json_t *results, size_t line, const char *text)
{
	char msg[CRIX_ERRMSG_MAX];
	snprintf(msg, sizeof msg, "%s", text);
	crix_utf8_sanitize(msg);
	json_t *e = json_pack("{s:s}", "message", msg);
	const char *colon = strchr(msg, ':');
	size_t n = colon ? (size_t)(colon - msg) : 0;
	if (n > 0 && n < 40 && strcspn(msg, " ") >= n)
		json_object_set_new(e, "field", json_stringn(msg, n));
	json_array_append_new(results,
	                      json_pack("{s:I,s:o}", "line", (json_int_t)line, "error", e));
}

/* CSV columns and where they go in the report object. */
static const char *const csv_cols[] = {"kind",
                                       "category",
                                       "description",
                                       "occurred_start",
                                       "occurred_end",
                                       "amount_minor",
                                       "currency",
                                       "payment_method",
                                       "victim_type",
                                       "victim_country",
                                       "victim_region",
                                       "suspect_names",
                                       "suspect_emails",
                                       "suspect_phones",
                                       "suspect_websites",
                                       "suspect_bank_accounts",
                                       "suspect_wallets",
                                       "external_id"};
#define N_CSV_COLS (sizeof csv_cols / sizeof csv_cols[0])

/* "a;b;c" as a JSON list. */
static json_t *split_list(const char *s)
{
	json_t *a = json_array();
	while (*s) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		while (n > 0 && *s == ' ') {
			s++;
			n--;
		}
		while (n > 0 && s[n - 1] == ' ')
			n--;
		if (n > 0)
			json_array_append_new(a, json_stringn(s, n));
		s += e ? (size_t)(e - s) + 1 : strlen(s);
	}
	return a;
}

/* A CSV row as a report object; NULL with *why on a bad value. */
static json_t *csv_report(const int *map, const struct csv_record *rec, const char **why,
                          char *whybuf, size_t whycap)
{
	json_t *o = json_object(), *occ = json_object(), *loss = json_object(),
	       *victim = json_object(), *sus = json_object();
	for (size_t c = 0; c < N_CSV_COLS; c++) {
		if (map[c] < 0 || (size_t)map[c] >= rec->n)
			continue;
		const char *v = rec->field[map[c]];
		if (*v == '\0')
			continue;
		const char *k = csv_cols[c];
		if (!crix_utf8_valid(v)) {
			snprintf(whybuf, whycap, "%s: not valid UTF-8", k);
			*why = whybuf;
			goto bad;
		}
		if (strcmp(k, "occurred_start") == 0)
			json_object_set_new(occ, "start", json_string(v));
		else if (strcmp(k, "occurred_end") == 0)
			json_object_set_new(occ, "end", json_string(v));
		else if (strcmp(k, "amount_minor") == 0) {
			char *end;
			long long n = strtoll(v, &end, 10);
			if (*end != '\0') {
				*why = "amount_minor: must be a whole number of minor units";
				goto bad;
			}
			json_object_set_new(loss, "amount_minor", json_integer(n));
		} else if (strcmp(k, "currency") == 0)
			json_object_set_new(loss, "currency", json_string(v));
		else if (strncmp(k, "victim_", 7) == 0)
			json_object_set_new(victim, k + 7, json_string(v));
		else if (strncmp(k, "suspect_", 8) == 0)
			json_object_set_new(sus, k + 8, split_list(v));
		else
			json_object_set_new(o, k, json_string(v));
	}
	if (json_object_size(occ))
		json_object_set(o, "occurred", occ);
	if (json_object_size(loss))
		json_object_set(o, "loss", loss);
	if (json_object_size(victim))
		json_object_set(o, "victim", victim);
	if (json_object_size(sus))
		json_object_set(o, "suspect", sus);
	json_decref(occ);
	json_decref(loss);
	json_decref(victim);
	json_decref(sus);
	return o;
bad:
	json_decref(o);
	json_decref(occ);
	json_decref(loss);
	json_decref(victim);
	json_decref(sus);
	return NULL;
}

static void bulk_csv(struct http_app *app, struct http_req *rq, json_t *results, size_t *ok,
                     size_t *lines)
{
	struct csv_reader r;
	struct csv_record rec;
	size_t cap = 256 * 1024;
	char *buf = malloc(cap);
	const char *why;
	int map[N_CSV_COLS];
	if (buf == NULL)
		return;
	csv_init(&r, rq->body, rq->body_len, ',');
	int got = csv_next(&r, &rec, buf, cap, &why);
	if (got <= 0) {
		bulk_error(results, 1, got < 0 ? why : "the CSV has no header row");
		(*lines)++;
		free(buf);
		return;
	}
	for (size_t c = 0; c < N_CSV_COLS; c++) {
		map[c] = -1;
		for (size_t i = 0; i < rec.n; i++)
			if (strcmp(rec.field[i], csv_cols[c]) == 0)
				map[c] = (int)i;
	}
	for (size_t i = 0; i < rec.n; i++) {
		bool known = false;
		for (size_t c = 0; c < N_CSV_COLS && !known; c++)
			known = strcmp(rec.field[i], csv_cols[c]) == 0;
		if (!known) {
			char m[160];
			snprintf(m, sizeof m, "header: unknown column '%.60s'", rec.field[i]);
			bulk_error(results, 1, m);
			(*lines)++;
			free(buf);
			return;
		}
	}
	while ((got = csv_next(&r, &rec, buf, cap, &why)) != 0) {
		if (*lines == BULK_LINES_MAX)
			break;
		(*lines)++;
		if (got < 0) {
			bulk_error(results, rec.line, why);
			continue;
		}
		if (rec.n == 1 && rec.field[0][0] == '\0') {
			(*lines)--;
			continue;
		}
		char whybuf[96];
		json_t *in = csv_report(map, &rec, &why, whybuf, sizeof whybuf);
		if (in == NULL) {
			bulk_error(results, rec.line, why);
			continue;
		}
		bulk_result(app, rq, results, rec.line, in, ok);
		json_decref(in);
	}
	free(buf);
}

static void bulk_jsonl(struct http_app *app, struct http_req *rq, json_t *results, size_t *ok,
                       size_t *lines)
{
	const char *p = rq->body, *end = rq->body + rq->body_len;
	size_t line = 0;
	while (p < end && *lines < BULK_LINES_MAX) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		size_t n = (size_t)(le - p);
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n > 0) {
			(*lines)++;
			json_error_t je;
			json_t *in = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
			if (in == NULL) {
				char m[200];
				snprintf(m, sizeof m, "not valid JSON at column %d: %s", je.column,
				         je.text);
				bulk_error(results, line, m);
			} else {
				bulk_result(app, rq, results, line, in, ok);
				json_decref(in);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

void api_report_bulk(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (!account_may_submit_bulk(&rq->who)) {
		http_error(rs, 403, "bulk reporting needs a role above viewer", NULL);
		return;
	}
	const char *ct = http_header(rq, "Content-Type");
	bool csv = ct != NULL && strncasecmp(ct, "text/csv", 8) == 0;
	bool jsonl = ct != NULL && (strncasecmp(ct, "application/x-ndjson", 20) == 0 ||
	                            strncasecmp(ct, "application/jsonl", 17) == 0 ||
	                            strncasecmp(ct, "application/json", 16) == 0);
	if (!csv && !jsonl) {
		http_error(rs, 415,
		           "Content-Type: send JSON lines (application/x-ndjson) or CSV (text/csv)",
		           NULL);
		return;
	}
	if (rq->body == NULL || rq->body_len == 0) {
		http_error(rs, 400, "body: no lines", "body");
		return;
	}
	/* Every line gets an answer, so an upload too long to answer line by
	 * line is refused whole rather than cut short. */
	size_t nl = 0;
	for (const char *p = rq->body; (p = memchr(p, '\n', rq->body_len - (size_t)(p - rq->body)));
	     p++)
		nl++;
	if (nl > BULK_LINES_MAX + 1) {
		char m[96];
		snprintf(m, sizeof m, "body: at most %d lines per request; split the file",
		         BULK_LINES_MAX);
		http_error(rs, 413, m, "body");
		return;
	}
	json_t *results = json_array();
	size_t ok = 0, lines = 0;
	if (csv)
		bulk_csv(app, rq, results, &ok, &lines);
	else
		bulk_jsonl(app, rq, results, &ok, &lines);
	json_t *o =
	        json_pack("{s:I,s:I,s:I,s:o}", "lines", (json_int_t)lines, "accepted",
	                  (json_int_t)ok, "rejected", (json_int_t)(lines - ok), "results", results);
	http_json(rs, 200, o);
}

/* ---- staff ---- */

static int filter_text(struct http_req *rq, struct http_resp *rs, const char *name, char *dst,
                       size_t cap)
{
	const char *v = http_query(rq, name);
	if (v == NULL)
		return 0;
	if (strlen(v) >= cap) {
		char m[96];
		snprintf(m, sizeof m, "%s: longer than %zu bytes", name, cap - 1);
		http_error(rs, 400, m, name);
		return -1;
	}
	snprintf(dst, cap, "%s", v);
	return 0;
}

static int filter_time(struct http_req *rq, struct http_resp *rs, const char *name, char *dst)
{
	const char *v = http_query(rq, name);
	struct crix_error err = {0};
	if (v == NULL)
		return 0;
	if (clock_parse_iso(v, name, dst, NULL, &err) != 0) {
		http_error(rs, 400, err.msg, name);
		return -1;
	}
	return 0;
}

void api_report_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	struct store_report_filter f = {0};
	size_t limit;
	int64_t before = 0;
	const char *cursor = http_query(rq, "cursor");
	if (api_limit(rq, rs, 50, 500, &limit) ||
	    filter_text(rq, rs, "status", f.status, sizeof f.status) ||
	    filter_text(rq, rs, "category", f.category, sizeof f.category) ||
	    filter_text(rq, rs, "region", f.region, sizeof f.region) ||
	    filter_time(rq, rs, "from", f.from) || filter_time(rq, rs, "to", f.to) ||
	    (cursor != NULL && api_id(rs, cursor, "cursor", &before) != 0))
		return;
	if (f.status[0] && !report_status_known(f.status)) {
		http_error(rs, 400, "status: not a report status", "status");
		return;
	}
	const char *q = http_query(rq, "q"), *ind = http_query(rq, "indicator");
	if ((q != NULL && strlen(q) > 256) || (ind != NULL && strlen(ind) > IOC_VALUE_MAX)) {
		http_error(rs, 400, "q, indicator: too long", q != NULL ? "q" : "indicator");
		return;
	}
	/* An indicator is looked up by its canonical form, as it was stored. */
	struct ioc_value v;
	char plain[IOC_VALUE_MAX + 1];
	size_t plen;
	if (ind != NULL &&
	    ioc_refang(ind, strlen(ind), plain, sizeof plain, NULL, &plen, NULL) == 0) {
		plain[plen] = '\0';
		ind = plain;
	}
	if (ind != NULL) {
		if (ioc_guess(app->reports.ioc, ind, strlen(ind), NULL, &v, NULL) == 0)
			f.indicator = v.v;
		else
			f.indicator = ind;
	}
	f.text = q;
	json_t *out;
	struct crix_error err = {0};
	if (report_list(&app->reports, &rq->who, &f, before, limit, &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_report_get(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	const char *inc = http_query(rq, "include");
	if (inc != NULL && strcmp(inc, "victim") != 0) {
		http_error(rs, 400, "include: only 'victim'", "include");
		return;
	}
	json_t *out;
	struct crix_error err = {0};
	if (report_view(&app->reports, &rq->who, rq->params[0], inc != NULL, &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

typedef int (*report_write_fn)(const struct report_env *env, const struct principal *p,
                               const char *ref, json_t *in, json_t **out, struct crix_error *err);

static void report_write(struct http_app *app, struct http_req *rq, struct http_resp *rs,
                         report_write_fn fn)
{
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	json_t *out;
	struct crix_error err = {0};
	int rc = fn(&app->reports, &rq->who, rq->params[0], in, &out, &err);
	json_decref(in);
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_report_status(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	report_write(app, rq, rs, report_set_status);
}

void api_report_note(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	report_write(app, rq, rs, report_note);
	if (rs->status == 200)
		rs->status = 201; /* a note is a new event */
}

void api_report_case(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *out;
	struct crix_error err = {0};
	if (report_case(&app->reports, &rq->who, rq->params[0], &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_report_evidence(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	unsigned char *data;
	size_t len;
	char mime[STORE_NAME_MAX];
	struct crix_error err = {0};
	if (report_evidence_get(&app->reports, &rq->who, rq->params[0], rq->params[1], &data, &len,
	                        mime, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	/* Never rendered by the browser: evidence may be hostile. */
	http_header_add(rs, "Content-Disposition", "attachment");
	http_bytes(rs, 200, "application/octet-stream", data, len);
	http_header_add(rs, "X-Content-Type-Detected", mime);
	free(data);
}

/* ---- the victim ---- */

void api_track(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	const char *secret = http_header(rq, "X-Tracking-Secret");
	if (secret == NULL) {
		http_error(rs, 401, "X-Tracking-Secret: give the tracking secret you were shown",
		           NULL);
		return;
	}
	json_t *out;
	struct crix_error err = {0};
	if (report_track(&app->reports, rq->params[0], secret, &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_track_add(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	const char *secret = http_header(rq, "X-Tracking-Secret");
	if (secret == NULL) {
		http_error(rs, 401, "X-Tracking-Secret: give the tracking secret you were shown",
		           NULL);
		return;
	}
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	json_t *out;
	struct crix_error err = {0};
	int rc = report_add(&app->reports, rq->params[0], secret, in, &out, &err);
	json_decref(in);
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 201, out);
}
