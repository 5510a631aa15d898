/*
 * stats_render.c - a stats_compute result for people: an aligned text table
 * for a terminal (crix stats) and an SVG chart (GET /api/v1/stats?format=svg):
 * bars for categories and the like, lines over time.  Both draw only what
 * the result holds, so suppression is whatever stats_compute applied.
 */
#include "model/stats.h"

#include "util/clock.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SVG_BARS_MAX   200  /* bars in one chart */
#define SVG_POINTS_MAX 1000 /* periods on one line */
#define SVG_SERIES_MAX 10   /* lines in one chart */

/* Digits after the decimal point of a currency (ISO 4217): 2 unless listed. */
static int minor_digits(const char *cur)
{
	static const char zero[] =
	        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF";
	static const char three[] = "BHD IQD JOD KWD LYD OMR TND";
	if (strlen(cur) != 3)
		return 2;
	if (strstr(zero, cur) != NULL)
		return 0;
	return strstr(three, cur) != NULL ? 3 : 2;
}

/* An amount in minor units as major units: "1234.50". */
static void amount(char out[32], int64_t minor, const char *cur)
{
	int d = minor_digits(cur);
	if (d == 0) {
		snprintf(out, 32, "%lld", (long long)minor);
		return;
	}
	int64_t scale = d == 3 ? 1000 : 100;
	int64_t a = minor < 0 ? -minor : minor;
	snprintf(out, 32, "%s%lld.%0*lld", minor < 0 ? "-" : "", (long long)(a / scale), d,
	         (long long)(a % scale));
}

/* Columns on a terminal: code points, not bytes. */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static const char *str(const json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));
	return s != NULL ? s : "";
}

char *stats_table(const json_t *result)
{
	const json_t *dims = json_object_get(result, "group_by"),
	             *rows = json_object_get(result, "rows");
	static const char *const heads[] = {"reports",  "vulnerable",  "currency",
	                                    "loss sum", "loss median", "with loss"};
	size_t nd = json_array_size(dims), cols = nd + 6;
	/* cells[r * cols + c]; line 0 holds the heads */
	size_t lines = 1, cap = 64;
	char **cells = calloc(cap * cols, sizeof *cells);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	bool ok = cells != NULL;
	for (size_t c = 0; ok && c < cols; c++)
		ok = (cells[c] = strdup(c < nd ? json_string_value(json_array_get(dims, c))
		                               : heads[c - nd])) != NULL;
	size_t r;
	const json_t *row;
	json_array_foreach(rows, r, row)
	{
		const json_t *rep = json_object_get(row, "reports");
		const json_t *losses = json_object_get(row, "losses");
		size_t n = json_is_integer(rep) && json_array_size(losses) > 0
		                   ? json_array_size(losses)
		                   : 1;
		for (size_t k = 0; ok && k < n; k++, lines++) {
			if (lines == cap) {
				char **p = realloc(cells, cap * 2 * cols * sizeof *p);
				if (p == NULL) {
					ok = false;
					break;
				}
				memset(p + cap * cols, 0, cap * cols * sizeof *p);
				cells = p;
				cap *= 2;
			}
			char v[6][32] = {"", "", "", "", "", ""};
			const json_t *vul = json_object_get(row, "vulnerable_victims");
			const json_t *l = json_array_get(losses, k);
			if (!json_is_integer(rep)) {
				snprintf(v[0], 32, "suppressed");
			} else {
				snprintf(v[0], 32, "%lld", (long long)json_integer_value(rep));
				if (json_is_integer(vul))
					snprintf(v[1], 32, "%lld",
					         (long long)json_integer_value(vul));
				else
					snprintf(v[1], 32, "<%lld",
					         (long long)json_integer_value(json_object_get(
					                 result, "suppressed_below")));
			}
			if (l != NULL) {
				const char *cur = str(l, "currency");
				snprintf(v[2], 32, "%s", cur);
				amount(v[3], json_integer_value(json_object_get(l, "sum_minor")),
				       cur);
				amount(v[4], json_integer_value(json_object_get(l, "median_minor")),
				       cur);
				snprintf(v[5], 32, "%lld",
				         (long long)json_integer_value(
				                 json_object_get(l, "reports")));
			}
			for (size_t c = 0; ok && c < cols; c++)
				ok = (cells[lines * cols + c] = strdup(
				              c < nd ? str(row, json_string_value(
				                                        json_array_get(dims, c)))
				                     : v[c - nd])) != NULL;
		}
	}
	if (ok)
		ok = (f = open_memstream(&buf, &len)) != NULL;
	if (ok) {
		size_t w[32] = {0};
		for (size_t i = 0; i < lines; i++)
			for (size_t c = 0; c < cols && c < 32; c++) {
				size_t x = width(cells[i * cols + c]);
				if (x > w[c])
					w[c] = x;
			}
		size_t linecap = 1;
		for (size_t c = 0; c < cols && c < 32; c++)
			linecap += w[c] * 4 + 2; /* a column's widest cell, in bytes */
		char *line = malloc(linecap);
		ok = line != NULL;
		for (size_t i = 0; ok && i < lines; i++) {
			size_t n = 0;
			for (size_t c = 0; c < cols && c < 32; c++) {
				const char *s = cells[i * cols + c];
				size_t pad = w[c] - width(s), sl = strlen(s);
				bool right = c >= nd && c != nd + 2; /* numbers to the right */
				if (c > 0)
					n += (size_t)snprintf(line + n, linecap - n, "  ");
				if (right)
					n += (size_t)snprintf(line + n, linecap - n, "%*s",
					                      (int)pad, "");
				memcpy(line + n, s, sl);
				n += sl;
				if (!right)
					n += (size_t)snprintf(line + n, linecap - n, "%*s",
					                      (int)pad, "");
			}
			while (n > 0 && line[n - 1] == ' ')
				n--; /* no trailing blanks */
			fwrite(line, 1, n, f);
			fputc('\n', f);
			if (i == 0) { /* a rule under the heads */
				for (size_t c = 0; c < cols && c < 32; c++) {
					if (c > 0)
						fputs("  ", f);
					for (size_t k = 0; k < w[c]; k++)
						fputc('-', f);
				}
				fputc('\n', f);
			}
		}
		free(line);
		const json_t *total = json_object_get(result, "total");
		if (json_is_integer(total))
			fprintf(f,
			        "\n%lld reports in all; amounts in major units of the currency\n",
			        (long long)json_integer_value(total));
		else
			fprintf(f,
			        "\ncells of fewer than %lld reports suppressed (no total); amounts "
			        "in major units of the currency\n",
			        (long long)json_integer_value(
			                json_object_get(result, "suppressed_below")));
		if (fclose(f) != 0)
			ok = false;
	}
	for (size_t i = 0; cells != NULL && i < lines * cols; i++)
		free(cells[i]);
	free(cells);
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* XML character data: the five specials escaped; characters XML 1.0 does
 * not allow (controls, U+FFFE, U+FFFF) as '?'. */
static void xml_text(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n')
				fputc('?', f);
			else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
				fputc('?', f);
				p += 2;
			} else
				fputc(*p, f);
		}
	}
}

/* A step of 1, 2 or 5 times a power of ten giving about five ticks. */
static double nice_step(double max)
{
	double raw = max / 5, p = 1;
	if (raw <= 1)
		return 1;
	while (p * 10 <= raw)
		p *= 10;
	return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

static const char *const palette[SVG_SERIES_MAX] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                    "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                                    "#bcbd22", "#17becf"};

static bool time_dim(const char *d)
{
	return d != NULL && (strcmp(d, "day") == 0 || strcmp(d, "week") == 0 ||
	                     strcmp(d, "month") == 0 || strcmp(d, "year") == 0);
}

/* The distinct values of a dimension over the rows, in first-seen order
 * (rows come sorted, so a time dimension's come in time order when it is
 * the first).  OUT: vals[0..*n). */
static int distinct(const json_t *rows, const char *dim, const char **vals, size_t max, size_t *n)
{
	size_t i;
	const json_t *row;
	*n = 0;
	json_array_foreach(rows, i, row)
	{
		const char *v = str(row, dim);
		size_t k = 0;
		while (k < *n && strcmp(vals[k], v) != 0)
			k++;
		if (k < *n)
			continue;
		if (*n == max)
			return -1;
		vals[(*n)++] = v;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every period from the first to the last of xs[0..nx) (sorted), so that a
 * period without reports is drawn as 0 rather than skipped.  OUT: *out
 * (malloc'd labels), *n; -1 beyond SVG_POINTS_MAX or on a label that is not
 * a period (then the caller keeps xs). */
static int all_periods(const char *dim, const char **xs, size_t nx, char (**out)[16], size_t *n)
{
	char(*p)[16] = malloc(SVG_POINTS_MAX * sizeof *p);
	if (p == NULL || nx == 0)
		goto fail;
	bool days = strcmp(dim, "day") == 0 || strcmp(dim, "week") == 0;
	int64_t step = strcmp(dim, "week") == 0 ? 7 : 1, a, b;
	if (days) {
		if (clock_parse_iso(xs[0], "x", NULL, &a, NULL) != 0 ||
		    clock_parse_iso(xs[nx - 1], "x", NULL, &b, NULL) != 0)
			goto fail;
		a /= 86400;
		b /= 86400;
	} else {
		char *end;
		a = strtol(xs[0], &end, 10) * 12 +
		    (*end == '-' ? strtol(end + 1, NULL, 10) - 1 : 0);
		b = strtol(xs[nx - 1], &end, 10) * 12 +
		    (*end == '-' ? strtol(end + 1, NULL, 10) - 1 : 0);
		step = strcmp(dim, "year") == 0 ? 12 : 1;
	}
	size_t k = 0;
	for (int64_t x = a; x <= b; x += step, k++) {
		if (k == SVG_POINTS_MAX)
			goto fail;
		char iso[CLOCK_ISO_LEN];
		if (days)
			snprintf(p[k], 16, "%.10s", clock_format_iso(x * 86400, 0, iso));
		else if (step == 12)
			snprintf(p[k], 16, "%04d", (int)(x / 12));
		else
			snprintf(p[k], 16, "%04d-%02d", (int)(x / 12), (int)(x % 12) + 1);
	}
	/* the rows' labels must be among them, or this is not a time line */
	for (size_t i = 0; i < nx; i++) {
		size_t lo = 0, hi = k;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(p[mid], xs[i]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == k || strcmp(p[lo], xs[i]) != 0)
			goto fail;
	}
	*out = p;
	*n = k;
	return 0;
fail:
	free(p);
	return -1;
}

static void svg_head(FILE *f, const char *title, double top, double step, double x0, double x1,
                     double y0, double y1)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 450\" width=\"800\" "
	      "height=\"450\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n<title>",
	      f);
	xml_text(f, title);
	fputs("</title>\n<rect width=\"800\" height=\"450\" fill=\"#ffffff\"/>\n"
	      "<text x=\"400\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">",
	      f);
	xml_text(f, title);
	fputs("</text>\n", f);
	/* the y axis: gridlines and tick labels */
	for (double v = 0; v <= top + step / 2; v += step) {
		double y = y1 - (y1 - y0) * v / top;
		fprintf(f,
		        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		        "stroke=\"#dddddd\"/>\n"
		        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n",
		        x0, y, x1, y, x0 - 6, y + 4, v);
	}
	fprintf(f,
	        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\"/>\n"
	        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\"/>\n"
	        "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)"
	        "\">reports</text>\n",
	        x0, y0, x0, y1, x0, y1, x1, y1, (y0 + y1) / 2, (y0 + y1) / 2);
}

/* A label under the x axis, turned when there are many. */
static void x_label(FILE *f, double x, double y, const char *text, bool turn)
{
	if (turn)
		fprintf(f,
		        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" transform=\"rotate(-40 "
		        "%.1f %.1f)\">",
		        x, y, x, y);
	else
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, y);
	xml_text(f, text);
	fputs("</text>\n", f);
}

static void svg_foot(FILE *f, const json_t *result)
{
	const json_t *below = json_object_get(result, "suppressed_below");
	if (json_is_integer(below))
		fprintf(f,
		        "<text x=\"790\" y=\"444\" text-anchor=\"end\" fill=\"#555555\">cells of "
		        "fewer than %lld reports are not shown</text>\n",
		        (long long)json_integer_value(below));
	fputs("</svg>\n", f);
}

int stats_svg(const json_t *result, const char *title, char **out, struct crix_error *err)
{
	*out = NULL;
	const json_t *dims = json_object_get(result, "group_by"),
	             *rows = json_object_get(result, "rows");
	const char *d0 = json_string_value(json_array_get(dims, 0)),
	           *d1 = json_string_value(json_array_get(dims, 1));
	bool lines = time_dim(d0) || time_dim(d1);
	const char *xdim = time_dim(d0) ? d0 : d1, *sdim = time_dim(d0) ? d1 : d0;
	size_t n_rows = json_array_size(rows);
	const char **xs = NULL, **ss = NULL;
	char(*periods)[16] = NULL; /* the labels of every period, owned */
	size_t nx = 0, ns = 1;
	if (lines) {
		xs = malloc(SVG_POINTS_MAX * sizeof *xs);
		ss = malloc(SVG_SERIES_MAX * sizeof *ss);
		if (xs == NULL || ss == NULL) {
			free(xs);
			free(periods);
			free(ss);
			return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
		}
		if (distinct(rows, xdim, xs, SVG_POINTS_MAX, &nx) != 0 ||
		    (sdim != NULL && distinct(rows, sdim, ss, SVG_SERIES_MAX, &ns) != 0)) {
			free(xs);
			free(periods);
			free(ss);
			return crix_error_field(
			        err, "format", CRIX_ETOOBIG,
			        "format: an SVG chart draws at most %d lines of %d "
			        "periods; narrow the period, filter, or use json/csv",
			        SVG_SERIES_MAX, SVG_POINTS_MAX);
		}
		if (nx > 1)
			qsort(xs, nx, sizeof *xs, cmp_str); /* ISO dates sort in time order */
		size_t np;
		if (all_periods(xdim, xs, nx, &periods, &np) == 0) {
			for (size_t k = 0; k < np; k++)
				xs[k] = periods[k];
			nx = np;
		} else if (nx > 0 && time_dim(xdim)) {
			free(xs);
			free(periods);
			free(ss);
			return crix_error_field(
			        err, "format", CRIX_ETOOBIG,
			        "format: an SVG chart draws at most %d periods; narrow "
			        "the period or use json/csv",
			        SVG_POINTS_MAX);
		}
		if (sdim == NULL)
			ss[0] = "";
	} else if (n_rows > SVG_BARS_MAX) {
		return crix_error_field(err, "format", CRIX_ETOOBIG,
		                        "format: an SVG chart draws at most %d bars; filter, group "
		                        "by less, or use json/csv",
		                        SVG_BARS_MAX);
	}
	double max = 1;
	size_t i;
	const json_t *row;
	json_array_foreach(rows, i, row)
	{
		double v = (double)json_integer_value(json_object_get(row, "reports"));
		if (v > max)
			max = v;
	}
	double step = nice_step(max), top = step;
	while (top < max)
		top += step;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL) {
		free(xs);
		free(periods);
		free(ss);
		return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
	}
	const double x0 = 70, y0 = 50, y1 = 340;
	const double x1 = lines && sdim != NULL ? 640 : 780;
	svg_head(f, title, top, step, x0, x1, y0, y1);
	if (!lines) {
		size_t n = n_rows ? n_rows : 1;
		double slot = (x1 - x0) / (double)n, bw = slot * 0.7;
		bool turn = n > 8;
		json_array_foreach(rows, i, row)
		{
			char label[160];
			snprintf(label, sizeof label, "%s%s%s", d0 ? str(row, d0) : "all reports",
			         d1 ? " / " : "", d1 ? str(row, d1) : "");
			double x = x0 + slot * (double)i + (slot - bw) / 2;
			const json_t *rep = json_object_get(row, "reports");
			if (json_is_integer(rep)) {
				double v = (double)json_integer_value(rep);
				double h = (y1 - y0) * v / top;
				fprintf(f,
				        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				        "height=\"%.1f\" "
				        "fill=\"%s\"><title>",
				        x, y1 - h, bw, h, palette[0]);
				xml_text(f, label);
				fprintf(f, ": %lld</title></rect>\n", (long long)v);
			}
			x_label(f, x + bw / 2, y1 + 16, label, turn);
		}
	} else {
		double span = nx > 1 ? (x1 - x0 - 20) / (double)(nx - 1) : 0;
		size_t every = nx / 12 + 1; /* at most about a dozen labels */
		for (size_t k = 0; k < nx; k++)
			if (k % every == 0)
				x_label(f, x0 + 10 + span * (double)k, y1 + 16, xs[k], nx > 6);
		/* the cell of each line and period, found once */
		const json_t **cell = calloc(nx * ns, sizeof *cell);
		if (cell == NULL) {
			fclose(f);
			free(buf);
			free(xs);
			free(periods);
			free(ss);
			return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
		}
		json_array_foreach(rows, i, row)
		{
			const char *xv = str(row, xdim);
			const char **hit = bsearch(&xv, xs, nx, sizeof *xs, cmp_str);
			size_t s = 0;
			while (sdim != NULL && s < ns && strcmp(ss[s], str(row, sdim)) != 0)
				s++;
			if (hit != NULL && s < ns)
				cell[s * nx + (size_t)(hit - xs)] = row;
		}
		for (size_t s = 0; s < ns; s++) {
			fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"",
			        palette[s]);
			bool pen = false; /* a suppressed cell breaks the line */
			for (size_t k = 0; k < nx; k++) {
				/* no row: no reports then; a suppressed row: unknown */
				const json_t *c = cell[s * nx + k],
				             *rep = json_object_get(c, "reports");
				if (c != NULL && !json_is_integer(rep)) {
					pen = false;
					continue;
				}
				double v = (double)json_integer_value(rep);
				fprintf(f, "%s%.1f %.1f ", pen ? "L" : "M",
				        x0 + 10 + span * (double)k, y1 - (y1 - y0) * v / top);
				pen = true;
			}
			fputs("\"/>\n", f);
			for (size_t k = 0; k < nx;
			     k++) { /* a dot per shown cell, with its figure */
				const json_t *rep = json_object_get(cell[s * nx + k], "reports");
				if (!json_is_integer(rep))
					continue;
				fprintf(f,
				        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
				        "fill=\"%s\"><title>",
				        x0 + 10 + span * (double)k,
				        y1 - (y1 - y0) * (double)json_integer_value(rep) / top,
				        palette[s]);
				xml_text(f, xs[k]);
				if (sdim != NULL) {
					fputs(" ", f);
					xml_text(f, ss[s]);
				}
				fprintf(f, ": %lld</title></circle>\n",
				        (long long)json_integer_value(rep));
			}
			if (sdim != NULL) { /* the legend */
				double ly = y0 + 16 * (double)s;
				fprintf(f,
				        "<rect x=\"650\" y=\"%.1f\" width=\"12\" height=\"4\" "
				        "fill=\"%s\"/>\n<text x=\"668\" y=\"%.1f\">",
				        ly, palette[s], ly + 5);
				xml_text(f, ss[s]);
				fputs("</text>\n", f);
			}
		}
		free(cell);
	}
	svg_foot(f, result);
	free(xs);
	free(periods);
	free(ss);
	if (fclose(f) != 0) {
		free(buf);
		return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
	}
	*out = buf;
	return 0;
}
