/*
 * load.c - reading indicator lists and allow-lists into a match index.
 *
 * A source is read whole into memory (gzip transparently) and cut into
 * values by its format; each value is canonicalised by src/ioc (with the
 * type the source or its record names, or a guessed one) and added under
 * one match source per file and TLP.  Values that are not indicators are
 * reported as "file:line: reason" (JSON sources: "file: list[N]: ..." or
 * "file: <STIX id>: ...") and counted, never silently dropped.
 */
#include "match/load.h"

#include "share/tlp.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A source larger than this is refused rather than half loaded. */
#define LOAD_MAX_BYTES ((size_t)8 << 30)
#define READ_STEP      (1u << 20)

/* ------------------------------------------------------------- reading */

/* Files at least this large and not gzip are mapped, not read. */
#define MAP_MIN_BYTES ((size_t)1 << 20)

/*
 * Maps a large regular file that is not gzip: reading it copied every byte
 * once more, on the one thread, before any parsing could start (0.2-0.3 s
 * for 10M indicators); mapped, the parsing threads fault its pages in.
 * Returns 1 when the file is not one to map (then it is read).
 */
static int map_source(int fd, const char *path, char **data, size_t *len, struct crix_error *err)
{
	struct stat sb;
	unsigned char magic[2];
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size < MAP_MIN_BYTES ||
	    pread(fd, magic, 2, 0) != 2 || (magic[0] == 0x1f && magic[1] == 0x8b))
		return 1;
	if ((uint64_t)sb.st_size > LOAD_MAX_BYTES)
		return crix_error_set(err, CRIX_ETOOBIG, "%s: larger than %zu GiB", path,
		                      LOAD_MAX_BYTES >> 30);
	void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 1;
	(void)madvise(p, (size_t)sb.st_size, MADV_WILLNEED);
	*data = p;
	*len = (size_t)sb.st_size;
	return 0;
}

/* Reads path ("-": standard input), gunzipping when it is gzip.  OUT:
 * *data, *len and *mapped: the file is mapped (release_source unmaps it)
 * or in a buffer (NUL-terminated).  The parsers never read data[len]. */
static int read_source(const char *path, char **data, size_t *len, bool *mapped,
                       struct crix_error *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(errno));
	*mapped = false;
	if (!is_stdin) {
		int mrc = map_source(fd, path, data, len, err);
		if (mrc <= 0) {
			close(fd);
			*mapped = mrc == 0;
			return mrc;
		}
	}
	gzFile gz = gzdopen(fd, "rb");
	if (gz == NULL) {
		close(fd);
		return crix_error_set(err, CRIX_ENOMEM, "%s: cannot open for reading", path);
	}
	gzbuffer(gz, 1u << 17);
	size_t cap = 1u << 20, n = 0;
	/* a regular file's size is known: one buffer, no doubling (it may
	 * still grow, or be gzip and inflate to more: then it doubles) */
	struct stat sb;
	if (!is_stdin && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uint64_t)sb.st_size < LOAD_MAX_BYTES - READ_STEP &&
	    (size_t)sb.st_size + READ_STEP > cap)
		cap = (size_t)sb.st_size + READ_STEP;
	char *buf = malloc(cap + 1);
	int rc = buf == NULL ? crix_error_set(err, CRIX_ENOMEM, "%s: out of memory", path) : 0;
	while (rc == 0) {
		if (cap - n < READ_STEP) {
			if (cap >= LOAD_MAX_BYTES) {
				rc = crix_error_set(err, CRIX_ETOOBIG, "%s: larger than %zu GiB",
				                    path, LOAD_MAX_BYTES >> 30);
				break;
			}
			char *nb = realloc(buf, cap * 2 + 1);
			if (nb == NULL) {
				rc = crix_error_set(err, CRIX_ENOMEM, "%s: out of memory", path);
				break;
			}
			buf = nb;
			cap *= 2;
		}
		int r = gzread(gz, buf + n, READ_STEP);
		if (r < 0) {
			int zerr;
			const char *msg = gzerror(gz, &zerr);
			rc = crix_error_set(err, CRIX_EIO, "%s: %s", path,
			                    zerr == Z_ERRNO ? strerror(errno) : msg);
			break;
		}
		if (r == 0) {
			int zerr = Z_OK;
			gzerror(gz, &zerr);
			if (zerr != Z_OK)
				rc = crix_error_set(err, CRIX_EIO,
				                    "%s: truncated or corrupt gzip data", path);
			break;
		}
		n += (size_t)r;
	}
	gzclose(gz);
	if (rc != 0) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

static void release_source(char *data, size_t len, bool mapped)
{
	if (mapped)
		munmap(data, len);
	else
		free(data);
}

/* ------------------------------------------------------------- loading */

struct chunk;

/* The state of one load: the source, the options, the counters. */
struct loader {
	struct match_index *ix;
	const struct ioc_ctx *ctx;
	const char *path;
	const struct match_load_opts *o;
	struct match_load_stats *st;
	struct crix_error *err;
	bool allow;          /* values go to the allow-list */
	size_t diags;        /* diagnostics printed */
	uint32_t sources[6]; /* source id per TLP (index: tlp_index), UINT32_MAX if none yet */
	size_t removed;      /* allow: indicators removed */
	/* values are parsed into batch[nbatch] (v) and added MATCH_ADD_MAX at
	 * a time (match_index_add_many: one lock, overlapped memory waits) */
	struct ioc_value *v;
	struct ioc_value batch[MATCH_ADD_MAX];
	struct match_add items[MATCH_ADD_MAX];
	/* replayed values: the keys and hashes their parsing thread made */
	struct match_prep preps[MATCH_ADD_MAX];
	bool prepped; /* preps[nbatch] belongs to the value being added */
	size_t nbatch;
	char tmp[IOC_VALUE_MAX]; /* a CSV field */
	char refanged[IOC_VALUE_MAX];
	uint64_t line; /* the line being read, for diagnostics whose where is NULL */
	/* a parsing thread's loader: values and bad values are recorded in
	 * the piece being parsed, for the loading thread to add in order */
	struct chunk *rec;
};

static const char *const tlp_names[6] = {NULL, "clear", "green", "amber", "amber+strict", "red"};

static int rec_bad(struct loader *l, const char *where, const char *msg);
static void where_line(char *buf, size_t sz, uint64_t line);

/* Counts a bad value and prints "file:where: msg"; fails the load when strict. */
static int report_bad(struct loader *l, const char *where, const char *msg)
{
	l->st->invalid++;
	if (l->o->strict)
		return crix_error_set(l->err, CRIX_EINVAL, "%s:%s: %s", l->path, where, msg);
	size_t max = l->o->max_diag ? l->o->max_diag : 20;
	if (l->o->diag != NULL) {
		if (l->diags < max)
			fprintf(l->o->diag, "%s:%s: %s\n", l->path, where, msg);
		else if (l->diags == max)
			fprintf(l->o->diag, "%s: more invalid values; not shown\n", l->path);
	}
	l->diags++;
	return 0;
}

/* Prints "file:where: reason" for a bad value; fails the load when strict. */
__attribute__((format(printf, 3, 4))) static int bad(struct loader *l, const char *where,
                                                     const char *fmt, ...)
{
	char msg[CRIX_ERRMSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* most values are good: the line number is only made into text here */
	char line[24];
	if (where == NULL) {
		where_line(line, sizeof line, l->line);
		where = line;
	}
	return l->rec != NULL ? rec_bad(l, where, msg) : report_bad(l, where, msg);
}

/* Records a skipped record and the first reason. */
static void skip(struct loader *l, const char *reason)
{
	l->st->skipped++;
	if (l->st->skip_reason[0] == '\0')
		snprintf(l->st->skip_reason, sizeof l->st->skip_reason, "%s", reason);
}

static int tlp_index(const char *tlp)
{
	if (tlp == NULL)
		return 0;
	for (int i = 1; i < 6; i++)
		if (strcasecmp(tlp, tlp_names[i]) == 0)
			return i;
	if (strcasecmp(tlp, "white") == 0)
		return 1;
	return 0;
}

/* The source id for values of this TLP (tlp_index), registered on first use. */
static int source_for(struct loader *l, int tlp, uint32_t *id)
{
	if (l->sources[tlp] == UINT32_MAX) {
		struct match_source src = {
		        .name = l->path,
		        .tlp = tlp != 0 ? tlp_names[tlp] : l->o->tlp,
		        .tags = l->o->tags,
		};
		if (match_index_add_source(l->ix, &src, &l->sources[tlp], l->err) != 0)
			return l->err->code;
	}
	*id = l->sources[tlp];
	return 0;
}

/* Strips blanks and a BOM around s[0..*n). */
static const char *trim(const char *s, size_t *n)
{
	size_t a = 0, b = *n;
	if (b >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
	    (unsigned char)s[2] == 0xbf)
		a = 3;
	while (a < b &&
	       (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\v' || s[a] == '\f'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' ||
	                 s[b - 1] == '\v' || s[b - 1] == '\f'))
		b--;
	*n = b - a;
	return s + a;
}

/* The IP types accept a CIDR too: a STIX ipv4-addr value or a warning-list
 * "cidr" entry may be either. */
static int parse_as(struct loader *l, enum ioc_type type, const char *s, size_t n,
                    struct crix_error *why)
{
	if (type == IOC_NONE)
		return ioc_guess(l->ctx, s, n, NULL, l->v, why);
	if ((type == IOC_IPV4 || type == IOC_CIDR4) && memchr(s, '/', n) == NULL)
		type = IOC_IPV4;
	else if (type == IOC_IPV4)
		type = IOC_CIDR4;
	if ((type == IOC_IPV6 || type == IOC_CIDR6) && memchr(s, '/', n) == NULL)
		type = IOC_IPV6;
	else if (type == IOC_IPV6)
		type = IOC_CIDR6;
	return ioc_parse(l->ctx, type, s, n, NULL, l->v, why);
}

/* Adds the values parsed so far to the index.  Returns non-zero only to end
 * the load. */
static int flush_batch(struct loader *l)
{
	int rc = l->nbatch > 0 ? match_index_add_many(l->ix, l->items, l->nbatch, l->err) : 0;
	/* duplicates are told apart at the end of the load (load_any) */
	for (size_t i = 0; i < l->nbatch && rc == 0; i++) {
		if (l->items[i].result == MATCH_ALLOWED)
			l->st->allowed++;
		else
			l->st->added++;
	}
	l->nbatch = 0;
	l->v = &l->batch[0];
	return rc;
}

/* Queues the parsed value l->v from the source of this TLP for the index. */
static int add_value(struct loader *l, int tlp, uint64_t line)
{
	uint32_t src = 0;
	if (source_for(l, tlp, &src) != 0)
		return l->err->code;
	l->items[l->nbatch] = (struct match_add){.v = l->v,
	                                         .source = src,
	                                         .line = line,
	                                         .prep = l->prepped ? &l->preps[l->nbatch] : NULL};
	l->nbatch++;
	if (l->nbatch == MATCH_ADD_MAX)
		return flush_batch(l);
	l->v = &l->batch[l->nbatch];
	return 0;
}

static int rec_value(struct loader *l, int tlp, uint64_t line);

/*
 * Canonicalises one value of the given type (IOC_NONE: the source's type or
 * a guess) and adds it to the index or the allow-list.  where names the
 * record in diagnostics (NULL: line l->line).  Returns non-zero only to end
 * the load.
 */
static int take(struct loader *l, const char *s, size_t n, enum ioc_type type, int tlp,
                uint64_t line, const char *where)
{
	l->st->records++;
	s = trim(s, &n);
	if (n == 0)
		return bad(l, where, "empty value");
	if (n >= IOC_VALUE_MAX)
		return bad(l, where, "value of %zu bytes is longer than %d", n, IOC_VALUE_MAX - 1);
	if (l->o->refang) {
		size_t out = 0;
		struct crix_error e;
		if (ioc_refang(s, n, l->refanged, sizeof l->refanged, NULL, &out, &e) == 0) {
			s = l->refanged;
			n = out;
		}
	}
	if (type == IOC_NONE)
		type = l->o->type;
	if (tlp == 0)
		tlp = tlp_index(l->o->tlp);
	struct crix_error why;
	crix_error_clear(&why);
	if (parse_as(l, type, s, n, &why) != 0) {
		if (why.code == CRIX_ENOMEM)
			return crix_error_set(l->err, CRIX_ENOMEM, "%s: out of memory", l->path);
		if (type == IOC_NONE)
			return bad(l, where, "'%.*s' is not an indicator of any type crix knows",
			           n > 80 ? 80 : (int)n, s);
		return bad(l, where, "%s", why.msg);
	}
	if (l->allow) {
		size_t removed = 0;
		if (match_index_allow(l->ix, l->v, &removed, l->err) != 0)
			return l->err->code;
		l->removed += removed;
		l->st->added++;
		return 0;
	}
	return l->rec != NULL ? rec_value(l, tlp, line) : add_value(l, tlp, line);
}

/* The line number as text: done for every line of a list, so without
 * snprintf, which cost a few percent of a large load. */
static void where_line(char *buf, size_t sz, uint64_t line)
{
	char d[20];
	size_t n = 0;
	do {
		d[n++] = (char)('0' + line % 10);
		line /= 10;
	} while (line > 0);
	size_t k = 0;
	while (n > 0 && k + 1 < sz)
		buf[k++] = d[--n];
	buf[k] = '\0';
}

/* ---- plain lists and hosts files ---- */

/* Walks the lines of a buffer: next_line gives each with its 1-based number. */
struct lines {
	const char *p, *end;
	uint64_t no;
};

static bool next_line(struct lines *it, const char **s, size_t *n)
{
	if (it->p >= it->end)
		return false;
	const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	const char *e = nl != NULL ? nl : it->end;
	*s = it->p;
	*n = (size_t)(e - it->p);
	it->p = nl != NULL ? nl + 1 : it->end;
	it->no++;
	return true;
}

/* Removes a " # comment" and surrounding blanks. */
static const char *uncomment(const char *s, size_t *n)
{
	s = trim(s, n);
	if (*n > 0 && s[0] == '#') {
		*n = 0;
		return s;
	}
	const char *h = s + 1, *end = s + *n;
	while (h < end && (h = memchr(h, '#', (size_t)(end - h))) != NULL) {
		if (h[-1] == ' ' || h[-1] == '\t') {
			*n = (size_t)(h - s);
			break;
		}
		h++;
	}
	return trim(s, n);
}

/* The length of the first blank-free token of s[0..n): two memchr, not a
 * loop over every byte of every line. */
static size_t token_len(const char *s, size_t n)
{
	const char *sp = memchr(s, ' ', n);
	size_t k = sp != NULL ? (size_t)(sp - s) : n;
	const char *tab = memchr(s, '\t', k);
	return tab != NULL ? (size_t)(tab - s) : k;
}

/*
 * The length of the run at p of bytes that a plain list's line may hold
 * with nothing to do about them: printable ASCII but '#' (no blank, control
 * byte, BOM or comment).  8 bytes at a time: most lines are one value and
 * nothing else, and were trimmed three times and searched for '#', ' ' and
 * '\t' one memchr each.
 */
static size_t plain_run(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	const char *q = p;
	for (; end - q >= 8; q += 8) {
		uint64_t w, x;
		memcpy(&w, q, 8);
		x = w ^ (ones * '#');
		/* the lowest flagged byte is the first < 0x21, >= 0x80 or '#'
		 * (a borrow only flags bytes above a flagged one) */
		uint64_t stop = ((w - ones * 0x21) | w | ((x - ones) & ~x)) & high;
		if (stop != 0)
			return (size_t)(q - p) + (size_t)(__builtin_ctzll(stop) / 8);
	}
	while (q < end && (unsigned char)*q > 0x20 && (unsigned char)*q < 0x80 && *q != '#')
		q++;
	return (size_t)(q - p);
}

static int load_plain(struct loader *l, const char *data, size_t len, uint64_t line0)
{
	struct lines it = {.p = data, .end = data + len, .no = line0 - 1};
	while (it.p < it.end) {
		const char *s = it.p;
		size_t n = plain_run(s, it.end);
		/* a line of such bytes alone is its one value as it is */
		bool plain = s + n == it.end || s[n] == '\n';
		if (plain) {
			it.p = s + n == it.end ? it.end : s + n + 1;
			it.no++;
		} else {
			next_line(&it, &s, &n);
			s = uncomment(s, &n);
		}
		if (n == 0)
			continue;
		size_t t = plain ? n : token_len(s, n);
		l->line = it.no;
		int rc;
		if (t < n) {
			l->st->records++;
			rc = bad(l, NULL, "more than one value on the line ('%.*s')",
			         n > 80 ? 80 : (int)n, s);
		} else {
			rc = take(l, s, n, IOC_NONE, 0, it.no, NULL);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Names in hosts files that are the machine itself, not indicators. */
static bool local_host_name(const char *s, size_t n)
{
	static const char *const names[] = {
	        "localhost",     "localhost.localdomain", "local",        "broadcasthost",
	        "ip6-localhost", "ip6-loopback",          "ip6-localnet", "ip6-mcastprefix",
	        "ip6-allnodes",  "ip6-allrouters",        "ip6-allhosts", "0.0.0.0"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && strncasecmp(s, names[i], n) == 0)
			return true;
	return false;
}

/* "0.0.0.0 evil.example www.evil.example": the names are the indicators
 * (the address is where the blocker points them). */
static int load_hosts(struct loader *l, const char *data, size_t len, uint64_t line0)
{
	struct lines it = {.p = data, .end = data + len, .no = line0 - 1};
	const char *s;
	size_t n;
	while (next_line(&it, &s, &n)) {
		uint64_t lineno = it.no;
		s = uncomment(s, &n);
		if (n == 0)
			continue;
		l->line = lineno;
		size_t t = token_len(s, n);
		if (t == n) { /* a bare name, as some blocklists mix in */
			int rc = take(l, s, n, IOC_DOMAIN, 0, lineno, NULL);
			if (rc != 0)
				return rc;
			continue;
		}
		s += t;
		n -= t;
		for (;;) {
			s = trim(s, &n);
			if (n == 0)
				break;
			t = token_len(s, n);
			if (local_host_name(s, t)) {
				l->st->records++;
				skip(l, "hosts entry for the local machine");
			} else {
				int rc = take(l, s, t, IOC_DOMAIN, 0, lineno, NULL);
				if (rc != 0)
					return rc;
			}
			s += t;
			n -= t;
		}
	}
	return 0;
}

/* ---- CSV (RFC 4180: quoted fields, "" inside quotes, newlines inside quotes) ---- */

struct csv {
	const char *p, *end;
	char sep;
	uint64_t line; /* of the next record */
};

/*
 * Reads the next record's field number col (0-based) into out (unquoted).
 * OUT: *found (the record had that column), *ncols, *rec_line.  Returns
 * false at the end of the data.
 */
static bool csv_record(struct csv *c, size_t col, char *out, size_t outsz, size_t *outlen,
                       bool *found, bool *too_long, size_t *ncols, uint64_t *rec_line,
                       bool *bad_quote)
{
	if (c->p >= c->end)
		return false;
	*rec_line = c->line;
	*found = false;
	*too_long = false;
	*bad_quote = false;
	*outlen = 0;
	size_t field = 0;
	for (;;) {
		bool want = field == col;
		size_t o = 0;
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					*bad_quote = true;
					break;
				}
				char ch = *c->p++;
				if (ch == '"') {
					if (c->p < c->end && *c->p == '"') {
						c->p++;
					} else {
						break;
					}
				} else if (ch == '\n') {
					c->line++;
				}
				if (want) {
					if (o + 1 < outsz)
						out[o++] = ch;
					else
						*too_long = true;
				}
			}
			/* anything between the closing quote and the separator is kept */
		}
		while (c->p < c->end && *c->p != c->sep && *c->p != '\n') {
			if (want) {
				if (o + 1 < outsz)
					out[o++] = *c->p;
				else
					*too_long = true;
			}
			c->p++;
		}
		if (want) {
			*found = true;
			*outlen = o;
			out[o] = '\0';
		}
		field++;
		if (c->p >= c->end || *c->p == '\n') {
			if (c->p < c->end)
				c->p++;
			c->line++;
			break;
		}
		c->p++; /* the separator */
	}
	*ncols = field;
	return true;
}

/* The separator of the first line: the most frequent of , ; and tab. */
static char csv_separator(const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	size_t n = nl != NULL ? (size_t)(nl - data) : len;
	size_t comma = 0, semi = 0, tab = 0;
	for (size_t k = 0; k < n; k++) {
		comma += data[k] == ',';
		semi += data[k] == ';';
		tab += data[k] == '\t';
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

/*
 * Sets up reading a CSV source: the separator, the column (by number, or by
 * the header's names: then c is left after the header).  OUT: *c, *col,
 * *first (the first row may be a header, to be skipped if not a value).
 */
static int csv_prepare(struct loader *l, const char *data, size_t len, struct csv *c,
                       size_t *col_out, bool *first)
{
	*c = (struct csv){.p = data, .end = data + len, .sep = csv_separator(data, len), .line = 1};
	size_t col = l->o->csv_column > 0 ? l->o->csv_column - 1 : 0;
	char *field = l->tmp;
	size_t flen, ncols;
	bool found, too_long, bad_quote;
	uint64_t line;
	if (l->o->csv_header != NULL) {
		/* find the named column in the header; a header field matches without
		 * regard to case and surrounding blanks */
		bool named = false;
		if (csv_record(c, SIZE_MAX, field, 1, &flen, &found, &too_long, &ncols, &line,
		               &bad_quote)) {
			struct csv h = {.p = data, .end = data + len, .sep = c->sep, .line = 1};
			for (size_t k = 0; k < ncols && !named; k++) {
				h.p = data;
				h.line = 1;
				char name[256];
				csv_record(&h, k, name, sizeof name, &flen, &found, &too_long,
				           &ncols, &line, &bad_quote);
				const char *t = trim(name, &flen);
				if (flen == strlen(l->o->csv_header) &&
				    strncasecmp(t, l->o->csv_header, flen) == 0) {
					col = k;
					named = true;
				}
			}
		}
		if (!named)
			return crix_error_set(l->err, CRIX_EINVAL,
			                      "%s:1: no column named '%s' in the CSV header",
			                      l->path, l->o->csv_header);
	}
	*first = l->o->csv_header == NULL;
	*col_out = col;
	return 0;
}

/* Skips '#' comment lines at the start of a record. */
static void csv_comments(struct csv *c)
{
	while (c->p < c->end && *c->p == '#') {
		const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
		c->p = nl != NULL ? nl + 1 : c->end;
		c->line++;
	}
}

/* Loads the rows of c, column col; first: the first row may be a header. */
static int csv_rows(struct loader *l, struct csv c, size_t col, bool first)
{
	char *field = l->tmp;
	size_t flen, ncols;
	bool found, too_long, bad_quote;
	uint64_t line;
	for (;;) {
		csv_comments(&c);
		if (!csv_record(&c, col, field, IOC_VALUE_MAX, &flen, &found, &too_long, &ncols,
		                &line, &bad_quote))
			break;
		size_t n = flen;
		const char *v = trim(field, &n);
		if (ncols == 1 && n == 0 && found) { /* a blank line */
			first = false;
			continue;
		}
		l->line = line;
		int rc = 0;
		if (bad_quote) {
			l->st->records++;
			rc = bad(l, NULL, "a quoted field is not closed");
		} else if (!found) {
			l->st->records++;
			rc = bad(l, NULL, "no column %zu (the row has %zu)", col + 1, ncols);
		} else if (too_long) {
			l->st->records++;
			rc = bad(l, NULL, "column %zu is longer than %d bytes", col + 1,
			         IOC_VALUE_MAX - 1);
		} else if (first) {
			/* without a header name, a first row that is not an indicator is
			 * taken for a header */
			struct crix_error why;
			enum ioc_type t = l->o->type;
			if (n > 0 && parse_as(l, t, v, n, &why) != 0) {
				first = false;
				continue;
			}
			rc = take(l, v, n, IOC_NONE, 0, line, NULL);
		} else {
			rc = take(l, v, n, IOC_NONE, 0, line, NULL);
		}
		first = false;
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int load_csv(struct loader *l, const char *data, size_t len)
{
	struct csv c;
	size_t col;
	bool first;
	int rc = csv_prepare(l, data, len, &c, &col, &first);
	return rc != 0 ? rc : csv_rows(l, c, col, first);
}

/* ---- JSON lines ---- */

/* Maps a record's own type name (crix's, STIX's or MISP's attribute types)
 * to an indicator type; IOC_NONE when unknown (then the value is guessed). */
static enum ioc_type type_hint(const char *name)
{
	static const struct {
		const char *name;
		enum ioc_type type;
	} map[] = {
	        {"ip-src", IOC_IPV4},
	        {"ip-dst", IOC_IPV4},
	        {"ip", IOC_IPV4},
	        {"ipv4-addr", IOC_IPV4},
	        {"ipv6-addr", IOC_IPV6},
	        {"hostname", IOC_DOMAIN},
	        {"domain-name", IOC_DOMAIN},
	        {"email-src", IOC_EMAIL},
	        {"email-dst", IOC_EMAIL},
	        {"email-addr", IOC_EMAIL},
	        {"link", IOC_URL},
	        {"phone-number", IOC_PHONE},
	        {"AS", IOC_ASN},
	        {"vulnerability", IOC_CVE},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(name, map[i].name) == 0)
			return map[i].type;
	return ioc_type_from_name(name);
}

/* The member at a dotted path ("a.b.c") of obj, or NULL. */
static json_t *json_path(json_t *obj, const char *path)
{
	char key[256];
	while (obj != NULL && *path != '\0') {
		const char *dot = strchr(path, '.');
		size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof key || !json_is_object(obj))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = json_object_get(obj, key);
		path += n + (dot != NULL);
	}
	return obj;
}

static int take_json_value(struct loader *l, json_t *v, enum ioc_type type, uint64_t line,
                           const char *where, const char *field)
{
	char num[32];
	if (json_is_string(v))
		return take(l, json_string_value(v), json_string_length(v), type, 0, line, where);
	if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		return take(l, num, strlen(num), type, 0, line, where);
	}
	l->st->records++;
	return bad(l, where, "field '%s' is not a string", field);
}

static int load_jsonl(struct loader *l, const char *data, size_t len, uint64_t line0)
{
	const char *field = l->o->json_field != NULL ? l->o->json_field : "value";
	bool hints = l->o->json_field == NULL && l->o->type == IOC_NONE;
	struct lines it = {.p = data, .end = data + len, .no = line0 - 1};
	const char *s;
	size_t n;
	while (next_line(&it, &s, &n)) {
		uint64_t lineno = it.no;
		s = trim(s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		l->line = lineno;
		json_error_t je;
		json_t *obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
		int rc = 0;
		if (obj == NULL) {
			l->st->records++;
			rc = bad(l, NULL, "not JSON: %s", je.text);
		} else {
			json_t *v = json_path(obj, field);
			enum ioc_type type = IOC_NONE;
			json_t *t = hints ? json_object_get(obj, "type") : NULL;
			if (json_is_string(t))
				type = type_hint(json_string_value(t));
			if (v == NULL) {
				l->st->records++;
				rc = bad(l, NULL, "no field '%s'", field);
			} else if (json_is_array(v)) {
				size_t i;
				json_t *e;
				json_array_foreach(v, i, e)
				{
					rc = take_json_value(l, e, type, lineno, NULL, field);
					if (rc != 0)
						break;
				}
			} else {
				rc = take_json_value(l, v, type, lineno, NULL, field);
			}
			json_decref(obj);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---- MISP warning lists ---- */

/* The type of a warning list's entries; false for kinds crix cannot apply
 * exactly (substring, regex), with *why set. */
static bool warninglist_type(const char *kind, enum ioc_type *type, const char **why)
{
	if (kind == NULL || strcmp(kind, "string") == 0) {
		*type = IOC_NONE;
		return true;
	}
	if (strcmp(kind, "hostname") == 0) {
		*type = IOC_DOMAIN;
		return true;
	}
	if (strcmp(kind, "cidr") == 0) {
		*type = IOC_CIDR4; /* parse_as picks v4/v6 and address/network */
		return true;
	}
	*why = strcmp(kind, "substring") == 0
	               ? "warning list of substrings cannot be matched exactly"
	       : strcmp(kind, "regex") == 0 ? "warning list of regular expressions is not supported"
	                                    : "warning list of an unknown type";
	return false;
}

static int load_warninglist_json(struct loader *l, json_t *root)
{
	json_t *list = json_object_get(root, "list");
	if (!json_is_array(list))
		return crix_error_set(l->err, CRIX_EINVAL,
		                      "%s: a MISP warning list needs a \"list\" array", l->path);
	json_t *kind = json_object_get(root, "type");
	if (kind != NULL && !json_is_string(kind))
		return crix_error_set(l->err, CRIX_EINVAL, "%s: \"type\" is not a string", l->path);
	enum ioc_type type = IOC_NONE;
	const char *why = NULL;
	bool usable = warninglist_type(kind ? json_string_value(kind) : NULL, &type, &why);
	size_t i;
	json_t *e;
	char where[40];
	json_array_foreach(list, i, e)
	{
		if (!usable) {
			l->st->records++;
			skip(l, why);
			continue;
		}
		snprintf(where, sizeof where, " list[%zu]", i);
		if (!json_is_string(e)) {
			l->st->records++;
			int rc = bad(l, where, "entry is not a string");
			if (rc != 0)
				return rc;
			continue;
		}
		const char *s = json_string_value(e);
		size_t n = json_string_length(e);
		enum ioc_type t = type;
		if (t == IOC_CIDR4) {
			t = memchr(s, ':', n) != NULL ? IOC_CIDR6 : IOC_CIDR4;
		} else if (t == IOC_DOMAIN) {
			/* ".example.com" and "*.example.com" mean the domain and below */
			if (n > 2 && s[0] == '*' && s[1] == '.') {
				s += 2;
				n -= 2;
			} else if (n > 1 && s[0] == '.') {
				s++;
				n--;
			}
		}
		int rc = take(l, s, n, t, 0, i + 1, where);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---- STIX 2.1 bundles ---- */

/* Standard TLP marking definitions (TLP 2.0 and the STIX 2.1 TLP 1.0 ones):
 * 1 clear .. 5 red, as enum tlp counts them; 0 for any other. */
static int tlp_of_marking(const char *id)
{
	return (int)tlp_from_marking(id);
}

/* One comparison of a pattern: path = 'value'. */
struct cmp {
	enum ioc_type type;
	size_t start, len; /* of the unescaped value in the pattern's value buffer */
};

#define PATTERN_MAX_CMP 256
/* "%.*s" arguments for at most 40 bytes of p[0..n) */
#define SNIP(p, n) (int)((n) < 40 ? (n) : 40), (p)

struct pattern {
	const char *p, *end;
	char *vals; /* unescaped values, back to back */
	size_t nvals;
	struct cmp cmp[PATTERN_MAX_CMP];
	size_t ncmp;
	char why[128];
};

static void pat_blank(struct pattern *pt)
{
	while (pt->p < pt->end && isspace((unsigned char)*pt->p))
		pt->p++;
}

static bool pat_word(struct pattern *pt, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(pt->end - pt->p) >= n && strncmp(pt->p, w, n) == 0 &&
	    (pt->p + n == pt->end || !isalnum((unsigned char)pt->p[n]))) {
		pt->p += n;
		return true;
	}
	return false;
}

__attribute__((format(printf, 2, 3))) static bool pat_fail(struct pattern *pt, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pt->why, sizeof pt->why, fmt, ap);
	va_end(ap);
	return false;
}

/* object path -> indicator type, e.g. "file:hashes.'SHA-256'" -> sha256 */
static bool pat_path(struct pattern *pt, enum ioc_type *type)
{
	const char *a = pt->p;
	while (pt->p < pt->end && !isspace((unsigned char)*pt->p) && *pt->p != '=' &&
	       *pt->p != '!' && *pt->p != '<' && *pt->p != '>' && *pt->p != ']')
		pt->p++;
	size_t n = (size_t)(pt->p - a);
	static const struct {
		const char *path;
		enum ioc_type type;
	} paths[] = {
	        {"ipv4-addr:value", IOC_IPV4},         {"ipv6-addr:value", IOC_IPV6},
	        {"domain-name:value", IOC_DOMAIN},     {"url:value", IOC_URL},
	        {"email-addr:value", IOC_EMAIL},       {"file:hashes.MD5", IOC_MD5},
	        {"file:hashes.'MD5'", IOC_MD5},        {"file:hashes.SHA1", IOC_SHA1},
	        {"file:hashes.'SHA1'", IOC_SHA1},      {"file:hashes.'SHA-1'", IOC_SHA1},
	        {"file:hashes.SHA256", IOC_SHA256},    {"file:hashes.'SHA256'", IOC_SHA256},
	        {"file:hashes.'SHA-256'", IOC_SHA256}, {"file:hashes.SHA512", IOC_SHA512},
	        {"file:hashes.'SHA512'", IOC_SHA512},  {"file:hashes.'SHA-512'", IOC_SHA512},
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (strlen(paths[i].path) == n && strncmp(a, paths[i].path, n) == 0) {
			*type = paths[i].type;
			return true;
		}
	return pat_fail(pt, "object path %.*s is not one crix matches", (int)((n) < 40 ? (n) : 40),
	                a);
}

/* 'value' with \' and \\ escapes, appended to pt->vals */
static bool pat_string(struct pattern *pt, struct cmp *c)
{
	if (pt->p >= pt->end || *pt->p != '\'')
		return pat_fail(pt, "expected a quoted string at '%.*s'",
		                SNIP(pt->p, (size_t)(pt->end - pt->p)));
	pt->p++;
	c->start = pt->nvals;
	for (;;) {
		if (pt->p >= pt->end)
			return pat_fail(pt, "unterminated string");
		char ch = *pt->p++;
		if (ch == '\'')
			break;
		if (ch == '\\') {
			if (pt->p >= pt->end || (*pt->p != '\'' && *pt->p != '\\'))
				return pat_fail(pt, "bad escape in a string");
			ch = *pt->p++;
		}
		pt->vals[pt->nvals++] = ch;
	}
	c->len = pt->nvals - c->start;
	return true;
}

/* comparison expression: cmp (OR cmp)*, inside [ ] */
static bool pat_observation(struct pattern *pt)
{
	for (;;) {
		pat_blank(pt);
		if (pt->p < pt->end && *pt->p == '(')
			return pat_fail(pt, "parenthesised comparisons are not supported");
		if (pt->ncmp == PATTERN_MAX_CMP)
			return pat_fail(pt, "more than 256 comparisons");
		struct cmp *c = &pt->cmp[pt->ncmp];
		if (pat_word(pt, "NOT"))
			return pat_fail(pt, "NOT comparisons are not supported");
		if (!pat_path(pt, &c->type))
			return false;
		pat_blank(pt);
		if (pt->p < pt->end && *pt->p == '=') {
			pt->p++;
		} else {
			const char *a = pt->p;
			while (pt->p < pt->end && !isspace((unsigned char)*pt->p))
				pt->p++;
			return pat_fail(pt, "operator %.*s is not an equality",
			                SNIP(a, (size_t)(pt->p - a)));
		}
		pat_blank(pt);
		if (!pat_string(pt, c))
			return false;
		pt->ncmp++;
		pat_blank(pt);
		if (pt->p < pt->end && *pt->p == ']') {
			pt->p++;
			return true;
		}
		if (pat_word(pt, "OR"))
			continue;
		if (pat_word(pt, "AND"))
			return pat_fail(pt, "AND joins comparisons");
		return pat_fail(pt, "unexpected '%.*s' in a comparison",
		                SNIP(pt->p, (size_t)(pt->end - pt->p)));
	}
}

/* pattern: observation (OR observation)*, parentheses allowed around any */
static bool pat_parse(struct pattern *pt)
{
	int depth = 0;
	for (;;) {
		pat_blank(pt);
		while (pt->p < pt->end && *pt->p == '(') {
			depth++;
			pt->p++;
			pat_blank(pt);
		}
		if (pt->p >= pt->end || *pt->p != '[')
			return pat_fail(pt, "expected '[' at '%.*s'",
			                SNIP(pt->p, (size_t)(pt->end - pt->p)));
		pt->p++;
		if (!pat_observation(pt))
			return false;
		pat_blank(pt);
		while (pt->p < pt->end && *pt->p == ')' && depth > 0) {
			depth--;
			pt->p++;
			pat_blank(pt);
		}
		if (pt->p >= pt->end)
			break;
		if (pat_word(pt, "OR"))
			continue;
		static const char *const ops[] = {"AND", "FOLLOWEDBY", "WITHIN", "START",
		                                  "REPEATS"};
		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
			if (pat_word(pt, ops[i]))
				return pat_fail(pt, "%.*s in a pattern is not supported",
				                SNIP(ops[i], strlen(ops[i])));
		return pat_fail(pt, "unexpected '%.*s' after an observation",
		                SNIP(pt->p, (size_t)(pt->end - pt->p)));
	}
	if (depth != 0)
		return pat_fail(pt, "unbalanced parentheses");
	return true;
}

int match_stix_pattern(const char *pattern, size_t len, match_pattern_fn fn, void *arg, char *why,
                       size_t why_cap)
{
	struct pattern *pt = calloc(1, sizeof *pt);
	char *vals = malloc(len + 1);
	if (pt == NULL || vals == NULL) {
		free(pt);
		free(vals);
		return CRIX_ENOMEM;
	}
	pt->p = pattern;
	pt->end = pattern + len;
	pt->vals = vals;
	int rc = 0;
	if (!pat_parse(pt)) {
		snprintf(why, why_cap, "%s", pt->why);
		rc = 1;
	} else {
		for (size_t k = 0; k < pt->ncmp && rc == 0; k++)
			rc = fn(arg, pt->cmp[k].type, vals + pt->cmp[k].start, pt->cmp[k].len);
	}
	free(vals);
	free(pt);
	return rc;
}

static int load_stix_indicator(struct loader *l, json_t *obj, size_t index)
{
	json_t *id = json_object_get(obj, "id");
	char where[128];
	snprintf(where, sizeof where, " %s",
	         json_is_string(id) ? json_string_value(id) : "indicator");
	if (json_is_true(json_object_get(obj, "revoked"))) {
		l->st->records++;
		skip(l, "revoked indicator");
		return 0;
	}
	json_t *ptype = json_object_get(obj, "pattern_type");
	if (json_is_string(ptype) && strcmp(json_string_value(ptype), "stix") != 0) {
		l->st->records++;
		char r[96];
		snprintf(r, sizeof r, "pattern_type %.40s is not stix", json_string_value(ptype));
		skip(l, r);
		return 0;
	}
	json_t *pattern = json_object_get(obj, "pattern");
	if (!json_is_string(pattern)) {
		l->st->records++;
		return bad(l, where, "indicator without a pattern");
	}
	int tlp = 0;
	json_t *marks = json_object_get(obj, "object_marking_refs");
	size_t i;
	json_t *m;
	json_array_foreach(marks, i, m)
	{
		int t = json_is_string(m) ? tlp_of_marking(json_string_value(m)) : 0;
		if (t > tlp)
			tlp = t; /* the most restrictive marking wins */
	}
	size_t plen = json_string_length(pattern);
	struct pattern *pt = calloc(1, sizeof *pt);
	char *vals = malloc(plen + 1);
	if (pt == NULL || vals == NULL) {
		free(pt);
		free(vals);
		return crix_error_set(l->err, CRIX_ENOMEM, "%s: out of memory", l->path);
	}
	pt->p = json_string_value(pattern);
	pt->end = pt->p + plen;
	pt->vals = vals;
	int rc = 0;
	if (!pat_parse(pt)) {
		l->st->records++;
		skip(l, pt->why);
	} else {
		for (size_t k = 0; k < pt->ncmp && rc == 0; k++)
			rc = take(l, vals + pt->cmp[k].start, pt->cmp[k].len, pt->cmp[k].type, tlp,
			          index + 1, where);
	}
	free(vals);
	free(pt);
	return rc;
}

static int load_stix_json(struct loader *l, json_t *root)
{
	json_t *objects = json_object_get(root, "objects");
	if (json_is_array(objects)) {
		size_t i;
		json_t *o;
		json_array_foreach(objects, i, o)
		{
			json_t *type = json_object_get(o, "type");
			if (json_is_string(type) &&
			    strcmp(json_string_value(type), "indicator") == 0) {
				int rc = load_stix_indicator(l, o, i);
				if (rc != 0)
					return rc;
			}
		}
		return 0;
	}
	json_t *type = json_object_get(root, "type");
	if (json_is_string(type) && strcmp(json_string_value(type), "indicator") == 0)
		return load_stix_indicator(l, root, 0);
	return crix_error_set(l->err, CRIX_EINVAL,
	                      "%s: not a STIX bundle (no \"objects\" array) nor an indicator",
	                      l->path);
}

static int load_json_doc(struct loader *l, const char *data, size_t len, enum match_format f)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return crix_error_set(l->err, CRIX_EINVAL, "%s:%d: not JSON: %s", l->path, je.line,
		                      je.text);
	int rc;
	if (!json_is_object(root))
		rc = crix_error_set(l->err, CRIX_EINVAL, "%s: the document is not a JSON object",
		                    l->path);
	else if (f == MATCH_FMT_WARNINGLIST)
		rc = load_warninglist_json(l, root);
	else
		rc = load_stix_json(l, root);
	json_decref(root);
	return rc;
}

/* ------------------------------------------------------------- formats */

static bool contains(const char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (h[i] == needle[0] && memcmp(h + i, needle, m) == 0)
			return true;
	return false;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcasecmp(s + n - m, suf) == 0;
}

enum match_format match_guess_format(const char *path, const char *head, size_t n)
{
	char name[512];
	snprintf(name, sizeof name, "%s", path != NULL ? path : "");
	size_t nl = strlen(name);
	if (nl > 3 && strcasecmp(name + nl - 3, ".gz") == 0)
		name[nl - 3] = '\0';
	size_t k = 0;
	while (k < n && isspace((unsigned char)head[k]))
		k++;
	if (k < n && head[k] == '{') {
		/* one JSON document, or JSON lines: try the first line as an object */
		const char *h = head + k;
		size_t m = n - k;
		const char *eol = memchr(h, '\n', m);
		json_t *first = json_loadb(h, eol != NULL ? (size_t)(eol - h) : m, 0, NULL);
		enum match_format f = MATCH_FMT_JSONL;
		if (first != NULL) {
			if (json_is_array(json_object_get(first, "objects")))
				f = MATCH_FMT_STIX;
			else if (json_is_array(json_object_get(first, "list")))
				f = MATCH_FMT_WARNINGLIST;
			json_decref(first);
		} else if (contains(h, m, "\"objects\"") || contains(h, m, "\"pattern\"")) {
			f = MATCH_FMT_STIX;
		} else {
			f = MATCH_FMT_WARNINGLIST;
		}
		return f;
	}
	if (has_suffix(name, ".csv") || has_suffix(name, ".tsv"))
		return MATCH_FMT_CSV;
	if (has_suffix(name, ".jsonl") || has_suffix(name, ".ndjson"))
		return MATCH_FMT_JSONL;
	if (has_suffix(name, ".json"))
		return MATCH_FMT_STIX;
	if (has_suffix(name, "hosts"))
		return MATCH_FMT_HOSTS;
	/* a hosts file: its first value line is "ADDRESS NAME" */
	const char *p = head, *end = head + n;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (e == NULL)
			e = end;
		size_t len = (size_t)(e - p);
		const char *s = uncomment(p, &len);
		if (len > 0) {
			size_t t = token_len(s, len);
			if (t < len && ((t == 7 && memcmp(s, "0.0.0.0", 7) == 0) ||
			                (t == 9 && memcmp(s, "127.0.0.1", 9) == 0) ||
			                (t == 2 && memcmp(s, "::", 2) == 0) ||
			                (t == 3 && memcmp(s, "::1", 3) == 0)))
				return MATCH_FMT_HOSTS;
			break;
		}
		p = e + 1;
	}
	return MATCH_FMT_PLAIN;
}

/* ------------------------------------------------------------- threads */

/*
 * With threads, a line-based source is cut into pieces on line (CSV:
 * record) boundaries.  Threads parse the pieces, recording each value and
 * bad value as an event; the loading thread adds the events of piece 0, 1,
 * 2, ... in file order, through the code a load by one thread uses, so the
 * index, the counters, the diagnostics and the first error (--strict) are
 * the same.  Parsing (canonicalising, the public suffix list, IDNA) is
 * most of a load; adding is what stays serial.  The loading thread parses
 * pieces too while the next one is not ready, and pieces are parsed at
 * most CHUNK_AHEAD per thread ahead of it, which bounds the events' memory.
 */

#define CHUNK_BYTES      ((size_t)1 << 20)
#define CHUNK_AHEAD      4
#define LOAD_MAX_THREADS 64

enum { EV_VALUE = 1, EV_BAD = 2 };
enum { CH_TODO, CH_PARSING, CH_DONE };
/* EV_VALUE: tag, tlp, type, length (2 bytes), line (8); whether it is
 * prepared (1), its hash (8), URL host hash (8), TLD hash (8), key length
 * (1), the key (match_prepare: made by the parsing thread, not the one
 * adding); the text */
#define EV_VALUE_HEAD 13
#define EV_PREP_HEAD  26
/* EV_BAD: tag, where's and msg's lengths with their NULs (2 + 2), where, msg */
#define EV_BAD_HEAD 5

/* One piece of the source and what parsing it found. */
struct chunk {
	const char *p, *end;
	uint64_t line;     /* of its first line */
	uint64_t nl;       /* newlines in it (line-based formats) */
	bool first;        /* CSV: its first row may be a header (the first piece) */
	int state;         /* CH_*, under pload.mu */
	unsigned char *ev; /* events in file order */
	size_t evlen, evcap;
	struct match_load_stats st; /* records, skipped and the first skip reason */
	int rc;                     /* non-zero: parsing stopped here (strict, or err) */
	struct crix_error err;
};

struct pload {
	enum match_format f;
	struct csv csv; /* CSV: the separator */
	size_t col;
	bool first;
	struct chunk *ch;
	size_t n, cap;
	size_t next;    /* the first piece nobody parses yet */
	size_t added;   /* pieces whose events are in the index */
	size_t ahead;   /* pieces parsed at most ahead of added */
	bool stop;      /* the load failed: parse no more */
	size_t counted; /* pieces claimed for counting newlines */
	/* event buffers of added pieces, for the pieces parsed next: a fresh
	 * buffer per piece was faulted in again each time (half of a 1M
	 * load's page faults with two threads) */
	struct spare {
		unsigned char *ev;
		size_t cap;
	} spare[2 * CHUNK_AHEAD];
	size_t nspare;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* Gives piece c a spare event buffer if there is one; under pl->mu. */
static void take_spare(struct pload *pl, struct chunk *c)
{
	if (pl->nspare > 0 && c->ev == NULL) {
		struct spare *sp = &pl->spare[--pl->nspare];
		c->ev = sp->ev;
		c->evcap = sp->cap;
	}
}

/* Keeps the event buffer of an added piece for a later one, or frees it;
 * under pl->mu. */
static void give_spare(struct pload *pl, struct chunk *c)
{
	if (c->ev != NULL && pl->nspare < sizeof pl->spare / sizeof pl->spare[0])
		pl->spare[pl->nspare++] = (struct spare){c->ev, c->evcap};
	else
		free(c->ev);
	c->ev = NULL;
	c->evlen = c->evcap = 0;
}

struct pworker {
	struct pload *pl;
	struct loader *w; /* its own loader, recording */
};

/* Room for n more bytes of events; NULL when out of memory. */
static unsigned char *ev_room(struct chunk *c, size_t n)
{
	if (c->evcap - c->evlen < n) {
		size_t cap = c->evcap ? c->evcap * 2 : 1u << 16;
		while (cap - c->evlen < n)
			cap *= 2;
		unsigned char *p = realloc(c->ev, cap);
		if (p == NULL)
			return NULL;
		c->ev = p;
		c->evcap = cap;
	}
	return c->ev + c->evlen;
}

static int rec_value(struct loader *l, int tlp, uint64_t line)
{
	struct chunk *c = l->rec;
	size_t n = l->v->len; /* < IOC_VALUE_MAX: fits 2 bytes */
	struct match_prep pr = {0};
	bool prepared = match_prepare(l->v, &pr) == 0;
	size_t kl = prepared ? pr.keylen : 0;
	size_t size = EV_VALUE_HEAD + EV_PREP_HEAD + kl + n;
	unsigned char *e = ev_room(c, size);
	if (e == NULL)
		return crix_error_set(l->err, CRIX_ENOMEM, "%s: out of memory", l->path);
	uint16_t n16 = (uint16_t)n;
	e[0] = EV_VALUE;
	e[1] = (unsigned char)tlp;
	e[2] = (unsigned char)l->v->type;
	memcpy(e + 3, &n16, 2);
	memcpy(e + 5, &line, 8);
	unsigned char *q = e + EV_VALUE_HEAD;
	q[0] = prepared;
	memcpy(q + 1, &pr.h, 8);
	memcpy(q + 9, &pr.uh, 8);
	memcpy(q + 17, &pr.th, 8);
	q[25] = (unsigned char)kl;
	memcpy(q + EV_PREP_HEAD, pr.key, kl);
	memcpy(q + EV_PREP_HEAD + kl, l->v->v, n);
	c->evlen += size;
	return 0;
}

/* Returns 1 when strict: the piece ends at its first bad value, where the
 * loading thread will fail the load. */
static int rec_bad(struct loader *l, const char *where, const char *msg)
{
	struct chunk *c = l->rec;
	size_t wn = strlen(where) + 1, mn = strlen(msg) + 1;
	unsigned char *e = ev_room(c, EV_BAD_HEAD + wn + mn);
	if (e == NULL)
		return crix_error_set(l->err, CRIX_ENOMEM, "%s: out of memory", l->path);
	uint16_t w16 = (uint16_t)wn, m16 = (uint16_t)mn;
	e[0] = EV_BAD;
	memcpy(e + 1, &w16, 2);
	memcpy(e + 3, &m16, 2);
	memcpy(e + EV_BAD_HEAD, where, wn);
	memcpy(e + EV_BAD_HEAD + wn, msg, mn);
	c->evlen += EV_BAD_HEAD + wn + mn;
	return l->o->strict ? 1 : 0;
}

static void parse_chunk(struct pload *pl, struct loader *w, struct chunk *c)
{
	w->rec = c;
	w->st = &c->st;
	w->err = &c->err;
	w->v = &w->batch[0];
	crix_error_clear(&c->err);
	size_t len = (size_t)(c->end - c->p);
	switch (pl->f) {
	case MATCH_FMT_HOSTS: c->rc = load_hosts(w, c->p, len, c->line); break;
	case MATCH_FMT_JSONL: c->rc = load_jsonl(w, c->p, len, c->line); break;
	case MATCH_FMT_CSV: {
		struct csv k = {.p = c->p, .end = c->end, .sep = pl->csv.sep, .line = c->line};
		c->rc = csv_rows(w, k, pl->col, c->first);
		break;
	}
	default: c->rc = load_plain(w, c->p, len, c->line); break;
	}
}

/* The event after e. */
static const unsigned char *ev_next(const unsigned char *e)
{
	uint16_t a, b;
	memcpy(&a, e + 3, 2);
	if (e[0] == EV_VALUE)
		return e + EV_VALUE_HEAD + EV_PREP_HEAD + e[EV_VALUE_HEAD + 25] + a;
	memcpy(&b, e + 1, 2);
	return e + EV_BAD_HEAD + b + a;
}

/* Starts loading the index words that adding event e will touch. */
static void ev_prefetch(struct match_index *ix, const unsigned char *e)
{
	const unsigned char *q = e + EV_VALUE_HEAD;
	if (e[0] != EV_VALUE || q[0] == 0)
		return;
	struct match_prep pr;
	memcpy(&pr.h, q + 1, 8);
	memcpy(&pr.uh, q + 9, 8);
	pr.keylen = q[25];
	memcpy(pr.key, q + EV_PREP_HEAD, pr.keylen < 4 ? pr.keylen : 4);
	match_index_prefetch_add(ix, (enum ioc_type)e[2], &pr);
}

/* Events whose index words are loaded ahead of adding them: the hashes
 * are in the events, so the random words of the tables (a slot, the
 * filter) start loading this many values early, a few at a time, rather
 * than a batch's worth at once at its add (more than the core can have
 * in flight), which left the adding thread waiting on memory. */
#define REPLAY_AHEAD 12

/* Adds a parsed piece's events to the index in order, as take() would. */
static int replay(struct loader *l, struct chunk *c)
{
	const unsigned char *e = c->ev, *end = c->ev != NULL ? c->ev + c->evlen : NULL;
	const unsigned char *pf = e; /* the next event to prefetch */
	size_t lead = 0;             /* events prefetched and not yet added */
	int rc = 0;
	while (e < end && rc == 0) {
		for (; pf < end && lead < REPLAY_AHEAD; lead++) {
			ev_prefetch(l->ix, pf);
			pf = ev_next(pf);
		}
		lead--;
		if (e[0] == EV_VALUE) {
			uint16_t n;
			uint64_t line;
			memcpy(&n, e + 3, 2);
			memcpy(&line, e + 5, 8);
			const unsigned char *q = e + EV_VALUE_HEAD;
			size_t kl = q[25];
			l->v->type = (enum ioc_type)e[2];
			l->v->len = n;
			memcpy(l->v->v, q + EV_PREP_HEAD + kl, n);
			l->v->v[n] = '\0';
			l->prepped = q[0] != 0;
			if (l->prepped) {
				struct match_prep *pr = &l->preps[l->nbatch];
				memcpy(&pr->h, q + 1, 8);
				memcpy(&pr->uh, q + 9, 8);
				memcpy(&pr->th, q + 17, 8);
				pr->keylen = (uint8_t)kl;
				memcpy(pr->key, q + EV_PREP_HEAD, kl);
			}
			rc = add_value(l, e[1], line);
			l->prepped = false;
			e += EV_VALUE_HEAD + EV_PREP_HEAD + kl + n;
		} else {
			uint16_t wn, mn;
			memcpy(&wn, e + 1, 2);
			memcpy(&mn, e + 3, 2);
			const char *where = (const char *)e + EV_BAD_HEAD;
			rc = report_bad(l, where, where + wn);
			e += EV_BAD_HEAD + wn + mn;
		}
	}
	/* the parser counted records and skips (a strict piece stopped at its
	 * first bad value, where the load stops too) */
	l->st->records += c->st.records;
	l->st->skipped += c->st.skipped;
	if (l->st->skip_reason[0] == '\0')
		memcpy(l->st->skip_reason, c->st.skip_reason, sizeof c->st.skip_reason);
	if (rc == 0 && c->rc != 0 && c->err.code != 0) {
		*l->err = c->err;
		rc = c->err.code;
	}
	return rc;
}

static void *parse_thread(void *arg)
{
	struct pworker *pw = arg;
	struct pload *pl = pw->pl;
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->stop && pl->next < pl->n && pl->next >= pl->added + pl->ahead)
			pthread_cond_wait(&pl->cv, &pl->mu);
		if (pl->stop || pl->next >= pl->n)
			break;
		struct chunk *c = &pl->ch[pl->next++];
		c->state = CH_PARSING;
		take_spare(pl, c);
		pthread_mutex_unlock(&pl->mu);
		parse_chunk(pl, pw->w, c);
		pthread_mutex_lock(&pl->mu);
		c->state = CH_DONE;
		pthread_cond_broadcast(&pl->cv);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

/* How many '\n' are in p[0..n): 16 bytes at a time with SSE2 (part of
 * x86-64), else 8 (a memchr per line costs a call per line, and this runs
 * over the whole source, before the parsing threads start). */
static size_t count_newlines(const char *p, size_t n)
{
	size_t c = 0, i = 0;
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');
	while (n - i >= 16) {
		/* per-byte counters, summed before any can pass 255 */
		size_t stop = n - i >= 16 * 255 ? i + 16 * 255 : i + (n - i) / 16 * 16;
		__m128i acc = _mm_setzero_si128();
		for (; i < stop; i += 16)
			acc = _mm_sub_epi8(
			        acc, _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(p + i)), nl));
		__m128i sum = _mm_sad_epu8(acc, _mm_setzero_si128());
		c += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
	}
#else
	const uint64_t ones = 0x0101010101010101ull, low7 = ones * 0x7f, nl = ones * '\n';
	while (n - i >= 8) {
		/* per-byte counters, summed before any can pass 255 */
		size_t stop = n - i >= 8 * 255 ? i + 8 * 255 : i + (n - i) / 8 * 8;
		uint64_t acc = 0;
		for (; i < stop; i += 8) {
			uint64_t v;
			memcpy(&v, p + i, 8);
			v ^= nl; /* a zero byte where p has '\n' */
			acc += ~(((v & low7) + low7) | v | low7) >> 7;
		}
		acc = (acc & 0x00ff00ff00ff00ffull) + ((acc >> 8) & 0x00ff00ff00ff00ffull);
		c += (size_t)((acc * 0x0001000100010001ull) >> 48);
	}
#endif
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

static int chunk_push(struct pload *pl, const char *p, const char *end, uint64_t line, bool first)
{
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 64;
		struct chunk *ch = realloc(pl->ch, cap * sizeof *ch);
		if (ch == NULL)
			return -1;
		pl->ch = ch;
		pl->cap = cap;
	}
	pl->ch[pl->n++] = (struct chunk){.p = p, .end = end, .line = line, .first = first};
	return 0;
}

/* Cuts data into pieces of about want bytes: after a '\n', or for CSV after
 * a record (a quoted field may hold newlines), starting where c is. */
static int split(struct pload *pl, const char *data, size_t len, size_t want)
{
	const char *end = data + len;
	if (pl->f == MATCH_FMT_CSV) {
		/* the walk is csv_rows' without the values: the same records */
		struct csv w = pl->csv;
		bool first = pl->first;
		char dummy[1];
		size_t flen, ncols;
		bool found, too_long, bad_quote;
		uint64_t line;
		while (w.p < w.end) {
			const char *start = w.p;
			uint64_t at = w.line;
			const char *target = (size_t)(w.end - w.p) > want ? w.p + want : w.end;
			while (w.p < target) {
				csv_comments(&w);
				if (!csv_record(&w, SIZE_MAX, dummy, sizeof dummy, &flen, &found,
				                &too_long, &ncols, &line, &bad_quote))
					break;
			}
			if (chunk_push(pl, start, w.p, at, first) != 0)
				return -1;
			first = false;
		}
		return 0;
	}
	const char *p = data;
	while (p < end) {
		const char *e = end;
		if ((size_t)(end - p) > want) {
			const char *nl = memchr(p + want - 1, '\n', (size_t)(end - (p + want - 1)));
			e = nl != NULL ? nl + 1 : end;
		}
		if (chunk_push(pl, p, e, 0, false) != 0)
			return -1;
		p = e;
	}
	return 0;
}

/* Counts the newlines of pieces until none are left (a thread's part of
 * numbering the lines, which also brings a mapped file's pages in). */
static void *count_thread(void *arg)
{
	struct pload *pl = arg;
	for (;;) {
		size_t k = __atomic_fetch_add(&pl->counted, 1, __ATOMIC_RELAXED);
		if (k >= pl->n)
			return NULL;
		pl->ch[k].nl = count_newlines(pl->ch[k].p, (size_t)(pl->ch[k].end - pl->ch[k].p));
	}
}

static void *prefault_thread(void *arg)
{
	match_index_prefault(arg);
	return NULL;
}

/* Numbers the pieces' first lines, counting with nt threads; OUT: *lines,
 * the lines of the source as a one-thread load counts them for reserving. */
static void number_lines(struct pload *pl, size_t nt, size_t *lines)
{
	pthread_t th[LOAD_MAX_THREADS];
	size_t started = 0;
	while (started + 1 < nt && pthread_create(&th[started], NULL, count_thread, pl) == 0)
		started++;
	count_thread(pl);
	for (size_t k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	uint64_t line = 1;
	for (size_t k = 0; k < pl->n; k++) {
		pl->ch[k].line = line;
		line += pl->ch[k].nl;
	}
	*lines = (size_t)line; /* newlines + 1 */
}

/* Loads a line-based source (plain, hosts, CSV, JSON lines) with threads;
 * reserve: first reserve base + its lines in the index, as load_any does
 * for a plain list loaded by one thread. */
static int load_parallel(struct loader *l, enum match_format f, const char *data, size_t len,
                         bool reserve, size_t base)
{
	struct pload pl = {.f = f};
	int rc = 0;
	if (f == MATCH_FMT_CSV) {
		rc = csv_prepare(l, data, len, &pl.csv, &pl.col, &pl.first);
		if (rc != 0)
			return rc;
	}
	size_t want = l->o->chunk_bytes ? l->o->chunk_bytes : CHUNK_BYTES;
	if (split(&pl, data, len, want) != 0) {
		free(pl.ch);
		return crix_error_set(l->err, CRIX_ENOMEM, "%s: out of memory", l->path);
	}
	size_t nt = l->o->threads < LOAD_MAX_THREADS ? l->o->threads : LOAD_MAX_THREADS;
	if (nt > pl.n)
		nt = pl.n > 0 ? pl.n : 1;
	pl.ahead = CHUNK_AHEAD * nt;
	if (f != MATCH_FMT_CSV) {
		size_t lines;
		number_lines(&pl, nt, &lines);
		if (reserve && (rc = match_index_reserve(l->ix, base + lines, l->err)) != 0) {
			free(pl.ch);
			return rc;
		}
	}
	/* the reserved tables' pages are faulted in beside the parsing, not
	 * by the adding thread (at 10M values, 350 MB it touches at random
	 * or once) */
	pthread_t pf;
	bool prefault = reserve && pthread_create(&pf, NULL, prefault_thread, l->ix) == 0;
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.cv, NULL);
	/* one recording loader per parsing thread; [0] is this thread's */
	struct pworker pw[LOAD_MAX_THREADS];
	pthread_t th[LOAD_MAX_THREADS];
	size_t started = 0;
	for (size_t k = 0; k < nt; k++) {
		pw[k].pl = &pl;
		pw[k].w = calloc(1, sizeof *pw[k].w);
		if (pw[k].w == NULL) {
			nt = k;
			break;
		}
		*pw[k].w = (struct loader){.ix = l->ix, .ctx = l->ctx, .path = l->path, .o = l->o};
	}
	if (nt == 0) {
		rc = crix_error_set(l->err, CRIX_ENOMEM, "%s: out of memory", l->path);
		goto out;
	}
	for (size_t k = 1; k < nt; k++) {
		if (pthread_create(&th[k], NULL, parse_thread, &pw[k]) != 0)
			break; /* fewer threads, the same result */
		started = k;
	}
	for (size_t k = 0; k < pl.n && rc == 0; k++) {
		struct chunk *c = &pl.ch[k];
		pthread_mutex_lock(&pl.mu);
		while (c->state != CH_DONE) {
			if (pl.next < pl.n && pl.next < pl.added + pl.ahead) {
				/* the next to add is not ready: parse one meanwhile */
				struct chunk *o = &pl.ch[pl.next++];
				o->state = CH_PARSING;
				take_spare(&pl, o);
				pthread_mutex_unlock(&pl.mu);
				parse_chunk(&pl, pw[0].w, o);
				pthread_mutex_lock(&pl.mu);
				o->state = CH_DONE;
				pthread_cond_broadcast(&pl.cv);
			} else {
				pthread_cond_wait(&pl.cv, &pl.mu);
			}
		}
		pthread_mutex_unlock(&pl.mu);
		rc = replay(l, c);
		pthread_mutex_lock(&pl.mu);
		give_spare(&pl, c);
		pl.added = k + 1;
		pl.stop = rc != 0;
		pthread_cond_broadcast(&pl.cv);
		pthread_mutex_unlock(&pl.mu);
	}
	for (size_t k = 1; k <= started; k++)
		pthread_join(th[k], NULL);
out:
	if (prefault)
		pthread_join(pf, NULL);
	for (size_t k = 0; k < nt; k++)
		free(pw[k].w);
	for (size_t k = 0; k < pl.n; k++)
		free(pl.ch[k].ev);
	for (size_t k = 0; k < pl.nspare; k++)
		free(pl.spare[k].ev);
	free(pl.ch);
	pthread_mutex_destroy(&pl.mu);
	pthread_cond_destroy(&pl.cv);
	return rc;
}

static int load_any(struct match_index *ix, const struct ioc_ctx *ctx, const char *path,
                    const struct match_load_opts *o, struct match_load_stats *st,
                    struct crix_error *err, bool allow)
{
	char *data = NULL;
	size_t len = 0;
	bool mapped = false;
	int rc = read_source(path, &data, &len, &mapped, err);
	if (rc != 0)
		return rc;
	struct loader *l = calloc(1, sizeof *l);
	if (l == NULL) {
		release_source(data, len, mapped);
		return crix_error_set(err, CRIX_ENOMEM, "%s: out of memory", path);
	}
	*l = (struct loader){
	        .ix = ix, .ctx = ctx, .path = path, .o = o, .st = st, .err = err, .allow = allow};
	for (size_t i = 0; i < 6; i++)
		l->sources[i] = UINT32_MAX;
	l->v = &l->batch[0];
	struct match_stats before, after;
	match_index_stats(ix, &before);
	enum match_format f = o->format;
	if (f == MATCH_FMT_AUTO)
		f = match_guess_format(path, data, len < 65536 ? len : 65536);
	bool by_line = f == MATCH_FMT_PLAIN || f == MATCH_FMT_HOSTS || f == MATCH_FMT_CSV ||
	               f == MATCH_FMT_JSONL;
	bool par = !allow && by_line && o->threads > 1 &&
	           len > (o->chunk_bytes ? o->chunk_bytes : CHUNK_BYTES);
	if (f == MATCH_FMT_PLAIN && !allow && !par) {
		/* one value per line: reserve for the lines so that the tables do
		 * not rehash on the way, and are not oversized either (with
		 * threads, load_parallel counts them in parallel) */
		size_t lines = 1 + count_newlines(data, len);
		rc = match_index_reserve(ix, before.indicators + lines, err);
		if (rc != 0)
			goto out;
	}
	/* the source is registered even when empty, so that --stats lists it */
	if (!allow) {
		uint32_t id;
		rc = source_for(l, 0, &id);
		if (rc != 0)
			goto out;
	}
	if (par) {
		rc = load_parallel(l, f, data, len, f == MATCH_FMT_PLAIN, before.indicators);
		goto added;
	}
	switch (f) {
	case MATCH_FMT_HOSTS: rc = load_hosts(l, data, len, 1); break;
	case MATCH_FMT_CSV: rc = load_csv(l, data, len); break;
	case MATCH_FMT_JSONL: rc = load_jsonl(l, data, len, 1); break;
	case MATCH_FMT_WARNINGLIST:
	case MATCH_FMT_STIX: rc = load_json_doc(l, data, len, f); break;
	case MATCH_FMT_AUTO:
	case MATCH_FMT_PLAIN:
	default: rc = load_plain(l, data, len, 1); break;
	}
added:;
	/* what was parsed before an error is added, as it was before batching */
	int frc = flush_batch(l);
	if (rc == 0)
		rc = frc;
	if (!allow)
		match_index_shrink_threads(ix, o->threads > 1 ? o->threads : 1);
	match_index_stats(ix, &after);
	if (!allow) {
		size_t dups = after.duplicates - before.duplicates;
		st->duplicates += dups;
		st->added -= dups < st->added ? dups : st->added;
	}
	if (rc == 0 && allow) {
		/* networks and parent domains remove what they cover, too */
		size_t swept = 0;
		match_index_sweep_allowed(ix, &swept);
		st->allowed += l->removed + swept;
	}
out:
	free(l);
	release_source(data, len, mapped);
	return rc;
}

int match_load_file(struct match_index *ix, const struct ioc_ctx *ctx, const char *path,
                    const struct match_load_opts *o, struct match_load_stats *st,
                    struct crix_error *err)
{
	crix_error_clear(err);
	return load_any(ix, ctx, path, o, st, err, false);
}

int match_load_allow_file(struct match_index *ix, const struct ioc_ctx *ctx, const char *path,
                          const struct match_load_opts *o, struct match_load_stats *st,
                          struct crix_error *err)
{
	crix_error_clear(err);
	struct match_load_opts ao = *o;
	if (ao.format != MATCH_FMT_AUTO && ao.format != MATCH_FMT_PLAIN &&
	    ao.format != MATCH_FMT_WARNINGLIST && ao.format != MATCH_FMT_HOSTS &&
	    ao.format != MATCH_FMT_CSV && ao.format != MATCH_FMT_JSONL)
		return crix_error_set(err, CRIX_EINVAL,
		                      "%s: an allow-list is a MISP warning list or a plain list",
		                      path);
	return load_any(ix, ctx, path, &ao, st, err, true);
}
