/*
 * gen-access-log.c - writes a deterministic web server access log of about
 * MB megabytes (10^6 bytes) to stdout, with hits from an indicator list
 * planted at a known rate: the log of bench/scan-run.
 *
 * Usage: gen-access-log [-r EVERY] [-t EVERY] [-T TRUTH] INDICATORS MB
 *        gen-access-log -V   (prints the format version, see FORMAT)
 *   -r EVERY   about one line in EVERY carries a planted hit (default 1000)
 *   -t EVERY   about one line in EVERY carries a look-alike trap (default 1000)
 *   -T TRUTH   also write "line<TAB>kind<TAB>expected hits<TAB>value" per
 *              planted line to the file TRUTH (to find where counts differ)
 *
 * INDICATORS is a plain list of canonical values (bench/gen-iocs writes
 * one); it is read whole and kept in hash tables, so that every background
 * value (client address, vhost, referer, e-mail, hash) can be checked not to
 * match it.  The lines of the log then hold exactly the planted matches, and
 * the generator can say how many hits an exact matcher must report.
 *
 * Lines are Apache "combined" or "vhost_combined" (nginx writes the same):
 *   [vhost:port ]client - user [01/Mar/2024:00:00:07 +0000] "GET /path HTTP/1.1"
 *   200 5123 "referer" "user agent"
 * with client pools (sessions repeat addresses), IPv6 clients, and the
 * variety of a real site's log (see "user agents" and "requests and
 * referers" below): thousands of user agents in a heavy tail (browsers,
 * in-app browsers, crawlers, HTTP libraries), pages, bundler-named static
 * files and API calls with ids that change every line, WordPress scans,
 * downloads named by a hash, referers ("-", the site's own pages, search
 * engines with their queries, a long tail of other sites with campaign and
 * session parameters), statuses and sizes in realistic shares, and some
 * e-mail user names.  Not modelled: a visitor's requests coming in a burst
 * with one user agent and referer (a real log's fields repeat closer
 * together than these, which favours a matcher that remembers fields).
 *
 * Planted hits (each counts one hit, plus one where the host of a planted
 * URL or e-mail is itself an indicator): an indicator IPv4/IPv6 as client;
 * an address in an indicator network (random, or its first or last
 * address) as client; an indicator domain as vhost or referer host, or a
 * subdomain of it (which must match), 10% in upper case; an indicator URL
 * as referer or proxy-style request target; a hash in the request path
 * (10% upper case); an e-mail as the user name.
 *
 * Traps (lines a substring search matches but an exact matcher must not,
 * unless the trap happens to be an indicator itself, which is counted):
 * addresses with an indicator address inside them (1.2.3.4 in 11.2.3.45),
 * the addresses just outside an indicator network, domains that end with an
 * indicator without a dot boundary (notevil.com) or contain it followed by
 * more labels (evil.com.cdn.net), URLs with more after them, hashes inside
 * longer hex runs, e-mail addresses with a longer local part.
 *
 * The summary goes to stderr, ending with "expected crix hits: N".
 * The output is a deterministic function of the arguments and the list.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The version of what the generator writes: raised whenever the same
 * arguments give other bytes, so that bench/scan-run, which keeps logs
 * between runs, names and checks its files by it and never measures a log
 * of an older generator.  1: 16 user agents, few referer shapes; 2: a
 * heavy tail of user agents, referers, request targets and statuses. */
#define FORMAT 2

#define MEGABYTE  1000000ULL
#define LINE_MAX  8192
#define FIELD_MAX 2048
#define OUT_MAX   (1u << 20)
#define CLIENTS   65536
#define VHOSTS    24

/* ---- PRNG ---------------------------------------------------------------- */

#include "rng.h"

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "gen-access-log: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (p == NULL)
		die("out of memory");
	return p;
}

/* ---- string builder ---------------------------------------------------- */

/* A bounded string: appends past the capacity are dropped (never overflow). */
struct sb {
	char d[FIELD_MAX];
	size_t n;
};

static void sb_reset(struct sb *b)
{
	b->n = 0;
	b->d[0] = '\0';
}

static void sb_addn(struct sb *b, const char *s, size_t n)
{
	if (n > sizeof b->d - 1 - b->n)
		n = sizeof b->d - 1 - b->n;
	memcpy(b->d + b->n, s, n);
	b->n += n;
	b->d[b->n] = '\0';
}

static void sb_add(struct sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void sb_addc(struct sb *b, char c)
{
	sb_addn(b, &c, 1);
}

/* Decimal, without printf (the log has millions of numbers). */
static void sb_addu(struct sb *b, unsigned long v)
{
	char tmp[24];
	size_t k = sizeof tmp;
	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	sb_addn(b, tmp + k, sizeof tmp - k);
}

/* Two digits, zero-padded. */
static void sb_add2(struct sb *b, unsigned v)
{
	char t[2] = {(char)('0' + v / 10 % 10), (char)('0' + v % 10)};
	sb_addn(b, t, 2);
}

static void sb_addhex(struct sb *b, unsigned n, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	for (unsigned i = 0; i < n; i++)
		sb_addc(b, digits[below(16)]);
}

static void sb_upper(struct sb *b, size_t from)
{
	for (size_t i = from; i < b->n; i++)
		if (b->d[i] >= 'a' && b->d[i] <= 'z')
			b->d[i] = (char)(b->d[i] - 32);
}

/* ---- the indicator list -------------------------------------------------- */

enum kind { K_IPV4, K_CIDR4, K_IPV6, K_DOMAIN, K_URL, K_HASH, K_EMAIL, K_COUNT };
static const char *const kind_names[K_COUNT] = {"ipv4", "cidr4", "ipv6", "domain",
                                                "url",  "hash",  "email"};

/* The list, NUL-terminated values in one buffer; per kind the offsets. */
static char *list;
static size_t list_len;
struct vec {
	uint32_t *v;
	size_t n, cap;
};
static struct vec by_kind[K_COUNT];
static size_t skipped_values;

static void vec_push(struct vec *v, uint32_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1024;
		v->v = realloc(v->v, v->cap * sizeof *v->v);
		if (v->v == NULL)
			die("out of memory");
	}
	v->v[v->n++] = x;
}

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* Exact values (domains, URLs, e-mails, hashes, IPv6): open addressing;
 * a slot holds the upper 32 bits of the hash and the list offset + 1. */
static uint64_t *strset;
static size_t strset_mask;

static void strset_add(uint32_t off, size_t n)
{
	uint64_t h = hash_str(list + off, n);
	for (size_t i = h & strset_mask;; i = (i + 1) & strset_mask)
		if (strset[i] == 0) {
			strset[i] = (h >> 32) << 32 | ((uint64_t)off + 1);
			return;
		}
}

static bool strset_has(const char *s, size_t n)
{
	uint64_t h = hash_str(s, n);
	for (size_t i = h & strset_mask;; i = (i + 1) & strset_mask) {
		uint64_t e = strset[i];
		if (e == 0)
			return false;
		if (e >> 32 == h >> 32) {
			const char *v = list + (uint32_t)e - 1;
			if (memcmp(v, s, n) == 0 && v[n] == '\0')
				return true;
		}
	}
}

/* IPv4 addresses (0 marks an empty slot; 0.0.0.0 is never an indicator). */
static uint32_t *ip4set;
static size_t ip4_mask;

static void ip4_add(uint32_t a)
{
	for (size_t i = mix64(a) & ip4_mask;; i = (i + 1) & ip4_mask) {
		if (ip4set[i] == a)
			return;
		if (ip4set[i] == 0) {
			ip4set[i] = a;
			return;
		}
	}
}

static bool ip4_has(uint32_t a)
{
	for (size_t i = mix64(a) & ip4_mask;; i = (i + 1) & ip4_mask) {
		if (ip4set[i] == a)
			return true;
		if (ip4set[i] == 0)
			return false;
	}
}

/* IPv4 networks keyed by network << 8 | length, plus one. */
static uint64_t *netset;
static size_t net_mask;
static uint64_t net_lens; /* bit l: a network of length l is listed */

static uint64_t net_key(uint32_t net, unsigned len)
{
	return ((uint64_t)net << 8 | len) + 1;
}

static void net_add(uint32_t net, unsigned len)
{
	uint64_t k = net_key(net, len);
	for (size_t i = mix64(k) & net_mask;; i = (i + 1) & net_mask) {
		if (netset[i] == k)
			return;
		if (netset[i] == 0) {
			netset[i] = k;
			return;
		}
	}
}

static bool net_has(uint32_t net, unsigned len)
{
	uint64_t k = net_key(net, len);
	for (size_t i = mix64(k) & net_mask;; i = (i + 1) & net_mask) {
		if (netset[i] == k)
			return true;
		if (netset[i] == 0)
			return false;
	}
}

/* One bit per /24: covered24 - inside a listed network of length <= 24 (every
 * address matches); touched24 - holds a listed address or a longer network. */
static uint64_t *covered24, *touched24;

static bool bit(const uint64_t *m, uint32_t i)
{
	return (m[i >> 6] >> (i & 63)) & 1;
}

static void set_bit(uint64_t *m, uint32_t i)
{
	m[i >> 6] |= 1ULL << (i & 63);
}

static uint32_t mask_of(unsigned len)
{
	return len == 0 ? 0 : ~((1u << (32 - len)) - 1);
}

/* A dotted quad, strictly: four numbers 0..255 without leading zeros. */
static bool parse_ipv4(const char *s, size_t n, uint32_t *out)
{
	uint32_t a = 0;
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
		size_t start = i;
		unsigned v = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
			return false;
		a = a << 8 | v;
	}
	if (i != n)
		return false;
	*out = a;
	return true;
}

/* How many hits an exact matcher reports for the address a: 0 or 1 (an
 * address, or the most specific network holding it). */
static int ip_hits(uint32_t a)
{
	uint32_t s24 = a >> 8;
	if (bit(covered24, s24))
		return 1;
	if (!bit(touched24, s24))
		return 0;
	if (ip4_has(a))
		return 1;
	for (unsigned len = 25; len <= 32; len++)
		if ((net_lens >> len & 1) && net_has(a & mask_of(len), len))
			return 1;
	return 0;
}

/* Hits for a host (lower-case): an address, or the most specific listed
 * domain that the host is or is under. */
static int host_hits(const char *h, size_t n)
{
	uint32_t a;
	if (parse_ipv4(h, n, &a))
		return ip_hits(a);
	for (;;) {
		const char *dot = memchr(h, '.', n);
		if (dot == NULL)
			return 0; /* a single label is never a listed domain */
		if (strset_has(h, n))
			return 1;
		n -= (size_t)(dot + 1 - h);
		h = dot + 1;
	}
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The kind of a value of the list, or -1 for one this generator cannot plant. */
static int classify(const char *s, size_t n)
{
	if (strstr(s, "://") != NULL)
		return K_URL;
	if (memchr(s, '@', n) != NULL)
		return K_EMAIL;
	if (memchr(s, '/', n) != NULL)
		return memchr(s, ':', n) != NULL ? -1 : K_CIDR4; /* no IPv6 networks */
	if (memchr(s, ':', n) != NULL)
		return K_IPV6;
	uint32_t a;
	if (parse_ipv4(s, n, &a))
		return K_IPV4;
	if ((n == 32 || n == 40 || n == 64 || n == 128) && all_hex(s, n))
		return K_HASH;
	if (memchr(s, '.', n) != NULL)
		return K_DOMAIN;
	return -1;
}

static void load_list(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0)
		die("%s: cannot seek", path);
	long size = ftell(f);
	if (size < 0 || (unsigned long)size >= UINT32_MAX - 2)
		die("%s: too large (4 GB at most)", path);
	rewind(f);
	list_len = (size_t)size;
	list = malloc(list_len + 2);
	if (list == NULL)
		die("out of memory");
	if (fread(list, 1, list_len, f) != list_len)
		die("%s: read error", path);
	fclose(f);
	list[list_len] = '\n';
	list[list_len + 1] = '\0';

	/* Count lines to size the tables, then index. */
	size_t lines = 1;
	for (const char *p = list; (p = memchr(p, '\n', (size_t)(list + list_len - p))) != NULL;
	     p++)
		lines++;
	size_t slots = 1024;
	while (slots < 2 * lines)
		slots *= 2;
	strset = xcalloc(slots, sizeof *strset);
	strset_mask = slots - 1;
	covered24 = xcalloc((1u << 24) / 64, sizeof(uint64_t));
	touched24 = xcalloc((1u << 24) / 64, sizeof(uint64_t));

	size_t off = 0;
	while (off < list_len) {
		char *nl = memchr(list + off, '\n', list_len + 1 - off);
		size_t full = (size_t)(nl - (list + off)), n = full;
		*nl = '\0';
		if (n > 0 && list[off + n - 1] == '\r')
			list[off + --n] = '\0';
		const char *s = list + off;
		if (n > 0 && s[0] != '#') {
			int k = classify(s, n);
			if (k < 0)
				skipped_values++;
			else
				vec_push(&by_kind[k], (uint32_t)off);
		}
		off += full + 1;
	}

	/* Addresses and networks in their own tables, the rest as strings. */
	size_t nip = by_kind[K_IPV4].n, nnet = by_kind[K_CIDR4].n;
	slots = 1024;
	while (slots < 2 * nip)
		slots *= 2;
	ip4set = xcalloc(slots, sizeof *ip4set);
	ip4_mask = slots - 1;
	slots = 1024;
	while (slots < 2 * nnet)
		slots *= 2;
	netset = xcalloc(slots, sizeof *netset);
	net_mask = slots - 1;
	for (size_t i = 0; i < nip; i++) {
		uint32_t a;
		const char *s = list + by_kind[K_IPV4].v[i];
		parse_ipv4(s, strlen(s), &a);
		ip4_add(a);
		set_bit(touched24, a >> 8);
	}
	for (size_t i = 0; i < nnet; i++) {
		const char *s = list + by_kind[K_CIDR4].v[i];
		const char *slash = strchr(s, '/');
		uint32_t net;
		char *end;
		unsigned long len = strtoul(slash + 1, &end, 10);
		if (!parse_ipv4(s, (size_t)(slash - s), &net) || *end != '\0' || len > 32)
			die("%s: bad network '%s'", path, s);
		net &= mask_of((unsigned)len);
		net_add(net, (unsigned)len);
		net_lens |= 1ULL << len;
		if (len <= 24) {
			uint32_t first = net >> 8, count = 1u << (24 - len);
			for (uint32_t k = 0; k < count; k++)
				set_bit(covered24, first + k);
		} else {
			set_bit(touched24, net >> 8);
		}
	}
	for (int k = K_IPV6; k < K_COUNT; k++)
		for (size_t i = 0; i < by_kind[k].n; i++) {
			uint32_t o = by_kind[k].v[i];
			strset_add(o, strlen(list + o));
		}
}

/* A random listed value of kind k (NULL when the list has none). */
static const char *pick_value(int k)
{
	if (by_kind[k].n == 0)
		return NULL;
	return list + by_kind[k].v[(size_t)(rnd() % by_kind[k].n)];
}

/* A random kind, in the proportions of the list. */
static int pick_kind(void)
{
	size_t total = 0;
	for (int k = 0; k < K_COUNT; k++)
		total += by_kind[k].n;
	uint64_t r = rnd() % total;
	for (int k = 0; k < K_COUNT; k++) {
		if (r < by_kind[k].n)
			return k;
		r -= by_kind[k].n;
	}
	return K_COUNT - 1;
}

/* ---- background vocabulary ---------------------------------------------- */

static const char *const site_words[] = {
        "acme",     "example",   "northwind", "contoso",   "fabrikam", "globex",    "initech",
        "umbrella", "stark",     "wayne",     "wonka",     "hooli",    "vandelay",  "soylent",
        "tyrell",   "cyberdyne", "aperture",  "blackmesa", "oscorp",   "gringotts", "dunder",
        "mifflin",  "pawnee",    "bluth",     "krusty",    "sterling", "cooper",    "pied",
        "piper",    "monarch",   "massive",   "dynamic",   "gekko",    "bigshop",   "fresh",
        "market",   "garden",    "kitchen",   "books",     "music",    "photo",     "travel",
        "bikes",    "coffee",    "bakery",    "tailor",    "florist",  "plumber",   "dental",
        "clinic",   "school",    "college",   "museum",    "theatre",  "cinema",    "gallery",
        "studio",   "agency",    "consult",   "legal",     "finance",  "energy",    "solar",
        "river",    "valley",    "summit",    "harbor",    "meadow",   "forest",    "canyon",
};

static const char *const site_tlds[] = {"com",   "com", "com", "com", "net",    "org",  "de",
                                        "co.uk", "fr",  "nl",  "io",  "com.br", "info", "eu"};

static const char *const sections[] = {"products", "blog",  "news",    "category", "shop",
                                       "help",     "about", "contact", "docs",     "events",
                                       "careers",  "store", "support", "account",  "cart"};

static const char *const slug_words[] = {
        "blue",  "red",    "classic", "modern", "summer", "winter", "guide", "review",
        "best",  "new",    "cheap",   "how",    "to",     "fix",    "shirt", "lamp",
        "chair", "table",  "phone",   "case",   "cable",  "bag",    "shoes", "coat",
        "ideas", "recipe", "tips",    "top",    "ten",    "easy",   "fast",  "light",
};

static const char *const assets[] = {"/favicon.ico", "/robots.txt", "/sitemap.xml",
                                     "/apple-touch-icon.png", "/manifest.json"};

static const char *const scans[] = {
        "/wp-login.php",
        "/xmlrpc.php",
        "/.env",
        "/wp-admin/admin-ajax.php",
        "/phpmyadmin/index.php",
        "/.git/config",
        "/admin/login.php",
        "/cgi-bin/luci",
        "/boaform/admin/formLogin",
        "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
        "/actuator/health",
        "/server-status",
        "/owa/auth/logon.aspx",
        "/remote/login",
};

static const char *const first_names[] = {"john",  "mary",  "alice", "bob",  "olga",  "ahmed",
                                          "sofia", "james", "priya", "chen", "maria", "david"};
static const char *const last_names[] = {"smith",  "jones", "brown",  "garcia",
                                         "miller", "davis", "wilson", "taylor"};
static const char *const freemail[] = {"gmail.com", "outlook.com", "yahoo.com", "gmx.de",
                                       "web.de",    "mail.ru",     "icloud.com"};

/* Splits s into runs of [A-Za-z0-9._-] as crix does and says whether any
 * could match: a dotted quad, or a dotted name (checked as a host).  Used
 * once per fixed string (user agents, vhosts, referers). */
static bool fixed_string_matches(const char *s)
{
	const char *p = s;
	while (*p != '\0') {
		while (*p != '\0' &&
		       !(((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') ||
		         *p == '.' || *p == '-' || *p == '_'))
			p++;
		const char *a = p;
		while (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') ||
		       *p == '.' || *p == '-' || *p == '_')
			p++;
		const char *b = p;
		while (b > a && (b[-1] == '.' || b[-1] == '-' || b[-1] == '_'))
			b--;
		while (a < b && (*a == '.' || *a == '-'))
			a++;
		if (b - a < 3 || memchr(a, '.', (size_t)(b - a)) == NULL)
			continue;
		char low[FIELD_MAX];
		size_t n = (size_t)(b - a) < sizeof low ? (size_t)(b - a) : sizeof low - 1;
		for (size_t i = 0; i < n; i++)
			low[i] = (char)(a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i]);
		if (host_hits(low, n) > 0)
			return true;
	}
	return false;
}

/* Background values never match: each is drawn again until it does not. */

static uint32_t bg_ipv4(void)
{
	for (;;) {
		uint32_t a = (uint32_t)(rnd() >> 32);
		unsigned o1 = a >> 24;
		if (o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224 || (a & 255) == 0)
			continue;
		if (ip_hits(a) == 0)
			return a;
	}
}

static void put_ipv4(struct sb *b, uint32_t a)
{
	sb_addu(b, a >> 24);
	sb_addc(b, '.');
	sb_addu(b, (a >> 16) & 255);
	sb_addc(b, '.');
	sb_addu(b, (a >> 8) & 255);
	sb_addc(b, '.');
	sb_addu(b, a & 255);
}

/* RFC 5952 text, as gen-iocs writes it. */
static void put_ipv6(struct sb *b, const uint16_t g[8])
{
	static const char hex[] = "0123456789abcdef";
	int best = -1, best_len = 0;
	for (int i = 0; i < 8;) {
		if (g[i] != 0) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > best_len && j - i >= 2) {
			best = i;
			best_len = j - i;
		}
		i = j;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			sb_add(b, "::");
			i += best_len - 1;
			continue;
		}
		if (i > 0 && i != best + best_len)
			sb_addc(b, ':');
		bool lead = true;
		for (int sh = 12; sh >= 0; sh -= 4) {
			unsigned d = (g[i] >> sh) & 15;
			if (d == 0 && lead && sh > 0)
				continue;
			lead = false;
			sb_addc(b, hex[d]);
		}
	}
}

static void bg_ipv6(struct sb *b)
{
	static const uint16_t firsts[] = {0x2001, 0x2003, 0x2a01, 0x2a02, 0x2600, 0x2601,
	                                  0x2603, 0x2607, 0x2409, 0x240d, 0x2804, 0x2c0f};
	for (;;) {
		uint16_t g[8];
		g[0] = PICK(firsts);
		for (int i = 1; i < 8; i++)
			g[i] = (uint16_t)below(0x10000);
		if (chance(30))
			g[4] = g[5] = g[6] = 0;
		size_t start = b->n;
		put_ipv6(b, g);
		if (!strset_has(b->d + start, b->n - start))
			return;
		b->n = start;
		b->d[start] = '\0';
	}
}

/* A site-like domain ("summit-coffee.de", "shop.globex24.com"). */
static void site_domain(struct sb *b)
{
	for (;;) {
		size_t start = b->n;
		if (chance(25))
			sb_add(b, chance(60) ? "www." : chance(50) ? "shop." : "blog.");
		sb_add(b, PICK(site_words));
		if (chance(40)) {
			if (chance(50))
				sb_addc(b, '-');
			sb_add(b, PICK(site_words));
		}
		if (chance(20))
			sb_addu(b, range(1, 99));
		sb_addc(b, '.');
		sb_add(b, PICK(site_tlds));
		if (host_hits(b->d + start, b->n - start) == 0)
			return;
		b->n = start;
		b->d[start] = '\0';
	}
}

static void put_slug(struct sb *b)
{
	unsigned k = range(2, 5);
	for (unsigned i = 0; i < k; i++) {
		if (i > 0)
			sb_addc(b, '-');
		sb_add(b, PICK(slug_words));
	}
}

/* A background hash: random hex, never a listed one. */
static void bg_hash(struct sb *b, unsigned len)
{
	for (;;) {
		size_t start = b->n;
		sb_addhex(b, len, false);
		if (!strset_has(b->d + start, len))
			return;
		b->n = start;
		b->d[start] = '\0';
	}
}

/* ---- heavy tails ----------------------------------------------------------- */

/* ln x for x >= 1 without libm (the bench generators link none): the powers
 * of two in x, and 2 atanh((m - 1) / (m + 1)) of the rest m in [1, 2). */
static double ln_of(double x)
{
	double r = 0;
	while (x >= 2) {
		x /= 2;
		r += 0.69314718055994530942;
	}
	double z = (x - 1) / (x + 1), z2 = z * z, t = z, s = 0;
	for (int k = 1; k < 40; k += 2) {
		s += t / k;
		t *= z2;
	}
	return r + 2 * s;
}

/* e^y for y <= 0: the series of y / 2^16, squared 16 times. */
static double exp_of(double y)
{
	double x = y / 65536, s = 1, t = 1;
	for (int k = 1; k < 12; k++) {
		t *= x / k;
		s += t;
	}
	for (int k = 0; k < 16; k++)
		s *= s;
	return s;
}

/* Zipf-distributed ranks: rank k (from 0) with a probability proportional
 * to 1 / (k + 1)^s, drawn by a binary search of the cumulative shares. */
struct zipf {
	uint32_t *cum; /* cum[k]: 2^32 x the share of ranks 0..k */
	uint32_t n;
};

static void zipf_init(struct zipf *z, uint32_t n, double s)
{
	double *w = xcalloc(n, sizeof *w), total = 0, acc = 0;
	for (uint32_t k = 0; k < n; k++) {
		w[k] = exp_of(-s * ln_of(k + 1.0));
		total += w[k];
	}
	z->cum = xcalloc(n, sizeof *z->cum);
	z->n = n;
	for (uint32_t k = 0; k < n; k++) {
		acc += w[k];
		double c = acc / total * 4294967296.0;
		z->cum[k] = c >= 4294967295.0 ? UINT32_MAX : (uint32_t)c;
	}
	z->cum[n - 1] = UINT32_MAX;
	free(w);
}

static uint32_t zipf_draw(const struct zipf *z)
{
	uint32_t r = (uint32_t)(rnd() >> 32), lo = 0, hi = z->n - 1;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (r < z->cum[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Saves the text of b for the rest of the run. */
static const char *keep(const struct sb *b)
{
	char *p = malloc(b->n + 1);
	if (p == NULL)
		die("out of memory");
	memcpy(p, b->d, b->n + 1);
	return p;
}

/* ---- user agents ------------------------------------------------------------
 *
 * A real site sees thousands of distinct user agents a day, in a heavy tail:
 * browsers x versions x OS versions x devices, crawlers and monitors with
 * their URLs, HTTP libraries with their versions, in-app browsers with long
 * build strings.  The table holds UA_TABLE strings in rank order (a head of
 * the most common strings of early 2024, then the tail in the order it was
 * drawn) and a line takes rank k with a probability proportional to
 * 1 / (k + 1)^UA_ZIPF_S; UA_ONE_OFF percent of the lines carry a user agent
 * made for them alone (an in-app browser's device and build, an app's
 * version).  The proportions are an assumption, not a measurement: the
 * exponent is chosen so that the top 20 strings carry about half the lines
 * and the top 1000 about 85%, which is the shape access-log analyses of
 * mid-size sites commonly show (a few current Chrome/Safari/Edge builds and
 * the big crawlers on top, a tail where most strings occur a handful of
 * times or once).
 */
#define UA_TABLE   16000
#define UA_ZIPF_S  1.125
#define UA_ONE_OFF 3

enum ua_class { UA_BROWSER, UA_BOT, UA_TOOL };

struct ua {
	const char *s;
	uint8_t cls;
};

static struct ua *uas;
static size_t nuas;
static struct zipf ua_zipf;

/* The head, most common first (rank 0 is the most common string). */
static const struct {
	const char *s;
	uint8_t cls;
} ua_head[] = {
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/122.0.0.0 Safari/537.36",
         UA_BROWSER},
        {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.3.1 Mobile/15E148 Safari/604.1",
         UA_BROWSER},
        {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/122.0.0.0 Mobile Safari/537.36",
         UA_BROWSER},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/121.0.0.0 Safari/537.36",
         UA_BROWSER},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0",
         UA_BROWSER},
        {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
         "Gecko) Version/17.3.1 Safari/605.1.15",
         UA_BROWSER},
        {"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
         "like Gecko) Chrome/122.0.6261.94 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
         "+http://www.google.com/bot.html)",
         UA_BOT},
        {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
         "Gecko) Chrome/122.0.0.0 Safari/537.36",
         UA_BROWSER},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
         UA_BROWSER},
        {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
         UA_BROWSER},
        {"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
         "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
         UA_BOT},
        {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/121.0.0.0 Mobile Safari/537.36",
         UA_BROWSER},
        {"-", UA_TOOL},
        {"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like "
         "Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
         UA_BROWSER},
        {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/122.0.0.0 Safari/537.36",
         UA_BROWSER},
        {"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", UA_BOT},
        {"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6_1 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
         UA_BROWSER},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:122.0) Gecko/20100101 Firefox/122.0",
         UA_BROWSER},
        {"python-requests/2.31.0", UA_TOOL},
        {"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; "
         "+http://www.google.com/bot.html) Chrome/122.0.6261.94 Safari/537.36",
         UA_BOT},
        {"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", UA_BOT},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36",
         UA_BROWSER},
        {"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; "
         "+https://openai.com/gptbot)",
         UA_BOT},
        {"Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", UA_BOT},
};

static const char *const android_devices[] = {
        "SM-G991B",   "SM-A525F",       "SM-S911B",         "SM-A145F",    "SM-G780G",
        "SM-A536B",   "SM-S918B",       "SM-A336B",         "SM-G973F",    "SM-N986B",
        "SM-A515F",   "SM-A137F",       "SM-T505",          "SM-X200",     "Pixel 6",
        "Pixel 7",    "Pixel 7 Pro",    "Pixel 8",          "Pixel 8 Pro", "Pixel 6a",
        "M2101K6G",   "2201117TG",      "22101316G",        "23021RAAEG",  "Redmi Note 8 Pro",
        "CPH2211",    "CPH2449",        "CPH2581",          "RMX3363",     "RMX3630",
        "moto g(30)", "moto g54 5G",    "motorola edge 30", "LE2123",      "NE2213",
        "V2111",      "V2247",          "ANE-LX1",          "VOG-L29",     "HRY-LX1",
        "TECNO KI5q", "Infinix X6833B", "Nokia G21",        "A142",        "SO-52C",
};

static const char *const locales[] = {"en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT",
                                      "nl_NL", "pt_BR", "pl_PL", "tr_TR", "sv_SE", "en_IN"};

static const char *const app_words[] = {"Shop", "News",  "Weather", "Bank",  "Travel", "Food",
                                        "Fit",  "Music", "Mail",    "Photo", "Chat",   "Maps"};

static const char *const bot_names[][2] = {
        {"YandexBot/3.0", "http://yandex.com/bots"},
        {"Baiduspider/2.0", "http://www.baidu.com/search/spider.html"},
        {"Applebot/0.1", "http://www.apple.com/go/applebot"},
        {"DotBot/1.2", "https://opensiteexplorer.org/dotbot; help@moz.com"},
        {"MJ12bot/v1.4.8", "http://mj12bot.com/"},
        {"PetalBot", "https://webmaster.petalsearch.com/site/petalbot"},
        {"DataForSeoBot/1.0", "https://dataforseo.com/dataforseo-bot"},
        {"BLEXBot/1.0", "http://webmeup-crawler.com/"},
        {"SeznamBot/4.0", "https://o-seznam.cz/napoveda/vyhledavani/en/seznambot-crawler/"},
        {"Amazonbot/0.1", "https://developer.amazon.com/support/amazonbot"},
        {"CensysInspect/1.1", "https://about.censys.io/"},
        {"UptimeRobot/2.0", "http://www.uptimerobot.com/"},
        {"Qwantify/Bleriot/1.2.1", "https://help.qwant.com/bot"},
        {"coccocbot-web/1.0", "http://help.coccoc.com/searchengine"},
        {"serpstatbot/2.1", "https://serpstatbot.com/"},
        {"Barkrowler/0.9", "https://babbar.tech/crawler"},
};

/* A Chrome version as the browser writes it: reduced ("122.0.0.0") since
 * Chrome 101 on most platforms, else the full build number. */
static void put_chrome_version(struct sb *b, unsigned major, bool full)
{
	sb_addu(b, major);
	if (!full) {
		sb_add(b, ".0.0.0");
		return;
	}
	sb_add(b, ".0.");
	sb_addu(b, 4000 + (major - 85) * 61 + below(20));
	sb_addc(b, '.');
	sb_addu(b, range(1, 230));
}

/* An iOS or Safari version: "17_3_1" (sep '_') or "17.3.1" (sep '.'); no
 * third number when patch is 0. */
static void put_ios(struct sb *b, unsigned major, unsigned minor, unsigned patch, char sep)
{
	sb_addu(b, major);
	sb_addc(b, sep);
	sb_addu(b, minor);
	if (patch > 0) {
		sb_addc(b, sep);
		sb_addu(b, patch);
	}
}

static void put_android_build(struct sb *b)
{
	static const char *const heads[] = {"TP1A", "UP1A", "SP1A", "RP1A", "TQ3A", "UQ1A", "QP1A"};
	sb_add(b, PICK(heads));
	sb_addc(b, '.');
	sb_addu(b, range(19, 24));
	sb_add2(b, range(1, 12));
	sb_add2(b, range(1, 28));
	sb_addc(b, '.');
	unsigned v = range(1, 40);
	sb_addc(b, '0');
	sb_add2(b, v);
}

static void put_windows(struct sb *b)
{
	uint32_t r = below(100);
	sb_add(b, r < 88   ? "Windows NT 10.0; Win64; x64"
	          : r < 95 ? "Windows NT 6.1; Win64; x64"
	                   : "Windows NT 10.0; WOW64");
}

/* A user agent of the tail: a family drawn by its share of a site's
 * traffic, then versions, OS and device. */
static void tail_ua(struct sb *b, uint8_t *cls)
{
	uint32_t r = below(100);
	*cls = UA_BROWSER;
	if (r < 24) { /* Chrome on a desktop */
		unsigned major = range(96, 123);
		uint32_t os = below(10);
		sb_add(b, "Mozilla/5.0 (");
		if (os < 6)
			put_windows(b);
		else if (os < 8)
			sb_add(b, "Macintosh; Intel Mac OS X 10_15_7");
		else if (os < 9)
			sb_add(b, "X11; Linux x86_64");
		else
			sb_add(b, "X11; CrOS x86_64 15633.69.0");
		sb_add(b, ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/");
		put_chrome_version(b, major, major < 101 || chance(20));
		sb_add(b, " Safari/537.36");
		if (chance(15)) {
			sb_add(b, chance(60) ? " Edg/" : " OPR/");
			sb_addu(b, major - range(0, 16));
			sb_add(b, ".0.");
			sb_addu(b, range(1000, 5200));
			sb_addc(b, '.');
			sb_addu(b, range(10, 130));
		}
	} else if (r < 42) { /* Chrome and WebViews on Android */
		unsigned major = range(100, 123);
		bool wv = chance(30);
		sb_add(b, "Mozilla/5.0 (Linux; Android ");
		sb_addu(b, range(9, 14));
		sb_add(b, "; ");
		sb_add(b, PICK(android_devices));
		if (wv) {
			sb_add(b, " Build/");
			put_android_build(b);
			sb_add(b,
			       "; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/");
		} else {
			sb_add(b, ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/");
		}
		put_chrome_version(b, major, true);
		sb_add(b, " Mobile Safari/537.36");
		if (wv && chance(60)) {
			sb_add(b, " [FB_IAB/FB4A;FBAV/");
			sb_addu(b, range(400, 455));
			sb_add(b, ".0.0.");
			sb_addu(b, range(20, 60));
			sb_addc(b, '.');
			sb_addu(b, range(100, 120));
			sb_add(b, ";]");
		}
	} else if (r < 56) { /* Safari on iPhone and iPad */
		unsigned major = range(14, 17), minor = range(0, 7), patch = below(3);
		bool ipad = chance(12);
		sb_add(b,
		       ipad ? "Mozilla/5.0 (iPad; CPU OS " : "Mozilla/5.0 (iPhone; CPU iPhone OS ");
		put_ios(b, major, minor, patch, '_');
		sb_add(b, " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ");
		if (chance(15)) {
			sb_add(b, "CriOS/");
			put_chrome_version(b, range(110, 123), true);
			sb_add(b, " Mobile/15E148 Safari/604.1");
		} else {
			sb_add(b, "Version/");
			put_ios(b, major, minor, 0, '.');
			sb_add(b, " Mobile/15E148 Safari/604.1");
		}
	} else if (r < 62) { /* Edge */
		unsigned major = range(109, 122);
		sb_add(b, "Mozilla/5.0 (");
		put_windows(b);
		sb_add(b, ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/");
		put_chrome_version(b, major, false);
		sb_add(b, " Safari/537.36 Edg/");
		put_chrome_version(b, major, true);
	} else if (r < 69) { /* Firefox */
		unsigned v = chance(20) ? 115 : range(91, 124);
		uint32_t os = below(10);
		sb_add(b, "Mozilla/5.0 (");
		if (os < 5) {
			put_windows(b);
			sb_add(b, "; rv:");
		} else if (os < 7) {
			sb_add(b, "Macintosh; Intel Mac OS X 10.");
			sb_addu(b, range(13, 15));
			sb_add(b, "; rv:");
		} else if (os < 9) {
			sb_add(b, chance(50) ? "X11; Ubuntu; Linux x86_64; rv:"
			                     : "X11; Linux x86_64; rv:");
		} else {
			sb_add(b, "Android ");
			sb_addu(b, range(10, 14));
			sb_add(b, "; Mobile; rv:");
		}
		sb_addu(b, v);
		sb_add(b, ".0) Gecko/");
		if (os == 9) { /* Firefox for Android writes its own version there */
			sb_addu(b, v);
			sb_add(b, ".0");
		} else {
			sb_add(b, "20100101");
		}
		sb_add(b, " Firefox/");
		sb_addu(b, v);
		sb_add(b, ".0");
	} else if (r < 73) { /* Safari on a Mac */
		unsigned major = range(14, 17);
		sb_add(b, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_");
		sb_addu(b, range(6, 7));
		sb_add(b, ") AppleWebKit/605.1.15 (KHTML, like Gecko) Version/");
		put_ios(b, major, range(0, 6), below(3), '.');
		sb_add(b, " Safari/605.1.15");
	} else if (r < 76) { /* Samsung Internet */
		sb_add(b, "Mozilla/5.0 (Linux; Android ");
		sb_addu(b, range(11, 14));
		sb_add(b, "; SAMSUNG ");
		sb_add(b, android_devices[below(14)]);
		sb_add(b, ") AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/");
		sb_addu(b, range(17, 24));
		sb_add(b, ".");
		sb_addu(b, below(3));
		sb_add(b, " Chrome/");
		put_chrome_version(b, range(100, 117), false);
		sb_add(b, " Mobile Safari/537.36");
	} else if (r < 84) { /* in-app browsers: Facebook and Instagram on iOS */
		unsigned major = range(15, 17), minor = range(0, 7), patch = below(3);
		sb_add(b, "Mozilla/5.0 (iPhone; CPU iPhone OS ");
		put_ios(b, major, minor, patch, '_');
		sb_add(b, " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/");
		sb_addu(b, range(19, 21));
		sb_addc(b, (char)('A' + below(8)));
		sb_addu(b, range(5, 390));
		if (chance(60)) {
			sb_add(b, " [FBAN/FBIOS;FBAV/");
			sb_addu(b, range(400, 455));
			sb_add(b, ".0.0.");
			sb_addu(b, range(20, 60));
			sb_addc(b, '.');
			sb_addu(b, range(100, 120));
			sb_add(b, ";FBBV/");
			sb_addu(b, range(500000000, 590000000));
			sb_add(b, ";FBDV/iPhone");
			sb_addu(b, range(11, 16));
			sb_addc(b, ',');
			sb_addu(b, range(1, 8));
			sb_add(b, ";FBMD/iPhone;FBSN/iOS;FBSV/");
			put_ios(b, major, minor, patch, '.');
			sb_add(b, ";FBSS/3;FBID/phone;FBLC/");
			sb_add(b, PICK(locales));
			sb_add(b, ";FBOP/5;FBRV/");
			sb_addu(b, range(500000000, 590000000));
			sb_addc(b, ']');
		} else {
			sb_add(b, " Instagram ");
			sb_addu(b, range(280, 320));
			sb_add(b, ".0.0.");
			sb_addu(b, range(10, 30));
			sb_addc(b, '.');
			sb_addu(b, range(100, 120));
			sb_add(b, " (iPhone");
			sb_addu(b, range(11, 16));
			sb_addc(b, ',');
			sb_addu(b, range(1, 8));
			sb_add(b, "; iOS ");
			put_ios(b, major, minor, patch, '_');
			sb_add(b, "; ");
			const char *loc = PICK(locales);
			sb_add(b, loc);
			sb_add(b, "; ");
			sb_addn(b, loc, 2);
			sb_add(b, "; scale=3.00; 1170x2532; ");
			sb_addu(b, range(400000000, 590000000));
			sb_addc(b, ')');
		}
	} else if (r < 87) { /* the site's own app and others' */
		sb_add(b, PICK(site_words));
		sb_add(b, PICK(app_words));
		sb_addc(b, '/');
		sb_addu(b, range(1, 12));
		sb_addc(b, '.');
		sb_addu(b, below(30));
		sb_addc(b, '.');
		sb_addu(b, below(10));
		if (chance(50)) {
			sb_add(b, " (iPhone; iOS ");
			put_ios(b, range(15, 17), range(0, 7), below(3), '.');
			sb_add(b, "; Scale/3.00)");
		} else {
			sb_add(b, " (Linux; U; Android ");
			sb_addu(b, range(9, 14));
			sb_add(b, "; ");
			sb_add(b, PICK(android_devices));
			sb_add(b, " Build/");
			put_android_build(b);
			sb_add(b, ") okhttp/4.");
			sb_addu(b, range(9, 12));
			sb_addc(b, '.');
			sb_addu(b, below(4));
		}
	} else if (r < 94) { /* crawlers, monitors and scanners */
		*cls = UA_BOT;
		uint32_t k = below(10);
		if (k < 3) {
			sb_add(b, "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) "
			          "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/");
			put_chrome_version(b, range(110, 122), true);
			sb_add(b, " Mobile Safari/537.36 (compatible; Googlebot/2.1; "
			          "+http://www.google.com/bot.html)");
		} else if (k < 4) {
			sb_add(b, "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; "
			          "bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/");
			put_chrome_version(b, range(100, 120), true);
			sb_add(b, " Safari/537.36");
		} else {
			uint32_t i = below((uint32_t)NELEM(bot_names));
			sb_add(b, "Mozilla/5.0 (compatible; ");
			sb_add(b, bot_names[i][0]);
			sb_add(b, "; +");
			sb_add(b, bot_names[i][1]);
			sb_addc(b, ')');
			if (chance(30)) { /* a second build of the same crawler */
				sb_add(b, " Chrome/");
				put_chrome_version(b, range(100, 122), true);
			}
		}
	} else { /* HTTP libraries and tools */
		*cls = UA_TOOL;
		uint32_t k = below(12);
		static const char *const names[] = {
		        "curl/",           "python-requests/",   "Wget/",
		        "okhttp/",         "Apache-HttpClient/", "axios/",
		        "PostmanRuntime/", "python-urllib3/",    "Go-http-client/",
		        "libwww-perl/",    "aiohttp/",           "node-fetch/"};
		sb_add(b, names[k]);
		if (k == 8) {
			sb_add(b, chance(70) ? "1.1" : "2.0");
			return;
		}
		sb_addu(b, k == 0 ? range(7, 8) : k == 1 ? 2 : k == 2 ? 1 : range(1, 4));
		sb_addc(b, '.');
		sb_addu(b, k == 0 ? range(29, 88) : k == 1 ? range(18, 31) : range(0, 40));
		sb_addc(b, '.');
		sb_addu(b, below(k == 0 ? 2 : 12));
		if (k == 2)
			sb_add(b, " (linux-gnu)");
		else if (k == 4) {
			sb_add(b, " (Java/1.8.0_");
			sb_addu(b, range(151, 402));
			sb_addc(b, ')');
		}
	}
}

/* The table of user agents, none of which matches the list. */
static void ua_init(void)
{
	uas = xcalloc(UA_TABLE, sizeof *uas);
	size_t slots = 1024; /* hashes of the strings kept, to keep them distinct */
	while (slots < 4 * UA_TABLE)
		slots *= 2;
	uint64_t *seen = xcalloc(slots, sizeof *seen);
	struct sb b;
	for (size_t k = 0; nuas < UA_TABLE; k++) {
		uint8_t cls;
		sb_reset(&b);
		if (k < NELEM(ua_head)) {
			sb_add(&b, ua_head[k].s);
			cls = ua_head[k].cls;
		} else {
			tail_ua(&b, &cls);
		}
		if (k > 100 * UA_TABLE)
			die("cannot find %d distinct user agents", UA_TABLE);
		uint64_t h = hash_str(b.d, b.n) | 1;
		size_t i = h & (slots - 1);
		while (seen[i] != 0 && seen[i] != h)
			i = (i + 1) & (slots - 1);
		if (seen[i] == h || fixed_string_matches(b.d))
			continue;
		seen[i] = h;
		uas[nuas].s = keep(&b);
		uas[nuas++].cls = cls;
	}
	free(seen);
	zipf_init(&ua_zipf, UA_TABLE, UA_ZIPF_S);
}

/* The user agent of a line: from the table, or (UA_ONE_OFF percent) one
 * made for it. */
static const char *draw_ua(struct sb *own, uint8_t *cls)
{
	if (below(100) < UA_ONE_OFF) {
		for (;;) {
			sb_reset(own);
			tail_ua(own, cls);
			if (!fixed_string_matches(own->d))
				return own->d;
		}
	}
	const struct ua *u = &uas[zipf_draw(&ua_zipf)];
	*cls = u->cls;
	return u->s;
}

/* ---- the log line ------------------------------------------------------ */

struct line {
	struct sb vhost;   /* empty: plain "combined" format */
	struct sb client;  /* address */
	struct sb user;    /* "-", a name or an e-mail */
	struct sb method;  /* GET, POST, ... */
	struct sb target;  /* path, or a full URL (proxy logs) */
	struct sb referer; /* "-" or a URL */
	struct sb own_ua;  /* the user agent when made for this line */
	const char *ua;
	unsigned status;
	unsigned long bytes;
};

/* ---- requests and referers ----------------------------------------------- */

/* Random letters and digits: ids, session tokens, click ids. */
static void sb_addalnum(struct sb *b, unsigned n)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	for (unsigned i = 0; i < n; i++)
		sb_addc(b, set[below(62)]);
}

/* 1 to 4 words of a search or a slug, joined by sep. */
static void put_words(struct sb *b, char sep)
{
	unsigned k = range(1, 4);
	for (unsigned i = 0; i < k; i++) {
		if (i > 0)
			sb_addc(b, sep);
		sb_add(b, chance(60) ? PICK(slug_words) : PICK(site_words));
	}
}

/* A version-4 UUID, lower case. */
static void put_uuid(struct sb *b)
{
	sb_addhex(b, 8, false);
	sb_add(b, "-");
	sb_addhex(b, 4, false);
	sb_add(b, "-4");
	sb_addhex(b, 3, false);
	sb_addc(b, '-');
	sb_addc(b, "89ab"[below(4)]);
	sb_addhex(b, 3, false);
	sb_addc(b, '-');
	sb_addhex(b, 12, false);
}

/* Campaign and click parameters that links from mail, ads and social
 * sites carry ("?" or "&" first, as the target already has a query). */
static void put_tracking(struct sb *b)
{
	static const char *const sources[] = {"newsletter", "facebook", "google", "instagram",
	                                      "twitter",    "partner",  "bing",   "tiktok"};
	static const char *const media[] = {"email", "cpc", "social", "referral", "display"};
	sb_addc(b, memchr(b->d, '?', b->n) != NULL ? '&' : '?');
	uint32_t r = below(10);
	if (r < 6) {
		sb_add(b, "utm_source=");
		sb_add(b, PICK(sources));
		sb_add(b, "&utm_medium=");
		sb_add(b, PICK(media));
		sb_add(b, "&utm_campaign=");
		put_words(b, '_');
		sb_addu(b, range(2019, 2024));
		if (chance(30)) {
			sb_add(b, "&utm_content=");
			sb_addalnum(b, range(4, 12));
		}
	} else if (r < 8) {
		sb_add(b, "fbclid=IwAR");
		sb_addalnum(b, range(50, 60));
	} else if (r < 9) {
		sb_add(b, "gclid=Cj0KCQ");
		sb_addalnum(b, range(70, 80));
		sb_add(b, "_BwE");
	} else {
		sb_add(b, chance(50) ? "sessionid=" : "sid=");
		sb_addhex(b, 24, false);
	}
}

/* A page of the site (no host): what a referer or a visit names. */
static void page_path(struct sb *b)
{
	static const char *const sorts[] = {"price_asc", "price_desc", "newest", "popular",
	                                    "rating"};
	static const char *const langs[] = {"de", "fr", "en-gb", "es", "it", "nl"};
	uint32_t r = below(100);
	if (r < 12) {
		sb_addc(b, '/');
	} else if (r < 30) {
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
		put_slug(b);
		sb_addc(b, '-');
		sb_addu(b, range(100, 99999));
	} else if (r < 42) {
		sb_add(b, "/products/");
		put_slug(b);
		sb_addc(b, '-');
		sb_addu(b, range(1000, 999999));
		if (chance(30)) {
			sb_add(b, "?variant=");
			sb_addu(b, range(100000000, 999999999));
			sb_addu(b, range(10, 99));
		}
	} else if (r < 50) {
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
		if (chance(40)) {
			sb_add(b, "?page=");
			sb_addu(b, range(2, 60));
			sb_add(b, "&sort=");
			sb_add(b, PICK(sorts));
		}
	} else if (r < 56) {
		sb_add(b, "/search?q=");
		put_words(b, '+');
		if (chance(30)) {
			sb_add(b, "&page=");
			sb_addu(b, range(2, 20));
		}
	} else if (r < 64) {
		sb_add(b, "/blog/");
		sb_addu(b, range(2015, 2024));
		sb_addc(b, '/');
		sb_add2(b, range(1, 12));
		sb_addc(b, '/');
		put_slug(b);
		sb_addc(b, '/');
	} else if (r < 70) {
		sb_add(b, "/category/");
		sb_add(b, PICK(slug_words));
		sb_addc(b, '/');
		sb_add(b, PICK(slug_words));
		sb_add(b, "?page=");
		sb_addu(b, range(1, 40));
	} else if (r < 76) {
		uint32_t k = below(3);
		sb_add(b, k == 0 ? "/account/orders/" : k == 1 ? "/cart?token=" : "/checkout/");
		if (k == 0)
			sb_addu(b, range(1000000, 9999999));
		else if (k == 1)
			sb_addalnum(b, 26);
		else
			sb_add(b, chance(50) ? "shipping" : "payment");
	} else if (r < 84) {
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
		sb_add(b, PICK(slug_words));
		sb_add(b, ".html");
	} else if (r < 90) {
		sb_add(b, "/p/");
		sb_addu(b, range(10000, 9999999));
		sb_add(b, "?ref=");
		sb_add(b, PICK(slug_words));
	} else {
		sb_addc(b, '/');
		sb_add(b, PICK(langs));
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
		put_slug(b);
	}
	if (chance(8))
		put_tracking(b);
}

enum req_kind { REQ_PAGE, REQ_ASSET, REQ_API, REQ_SCAN };

/* Static files, built as bundlers and CMSs name them. */
static void asset_path(struct sb *b)
{
	uint32_t r = below(100);
	if (r < 20) {
		bool js = chance(50);
		sb_add(b, js ? "/static/js/main." : "/static/css/main.");
		sb_addhex(b, 8, false);
		sb_add(b, js ? ".js" : ".css");
	} else if (r < 35) {
		sb_add(b, "/static/js/");
		sb_addu(b, range(1, 999));
		sb_addc(b, '.');
		sb_addhex(b, 8, false);
		sb_add(b, ".chunk.js");
	} else if (r < 48) {
		sb_add(b, "/_next/static/chunks/");
		sb_add(b, chance(50) ? "pages/" : "");
		sb_add(b, PICK(slug_words));
		sb_addc(b, '-');
		sb_addhex(b, 16, false);
		sb_add(b, ".js");
	} else if (r < 58) {
		sb_add(b, "/assets/index-");
		sb_addalnum(b, 8);
		sb_add(b, chance(50) ? ".js" : ".css");
	} else if (r < 70) {
		static const char *const wp[] = {"/wp-content/themes/", "/wp-content/plugins/"};
		sb_add(b, PICK(wp));
		sb_add(b, PICK(site_words));
		sb_add(b, chance(50) ? "/style.css?ver=" : "/js/frontend.min.js?ver=");
		sb_addu(b, range(1, 6));
		sb_addc(b, '.');
		sb_addu(b, below(10));
		sb_addc(b, '.');
		sb_addu(b, below(10));
	} else if (r < 75) {
		sb_add(b, "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1");
	} else if (r < 80) {
		sb_add(b, "/fonts/");
		sb_add(b, PICK(site_words));
		sb_add(b, chance(50) ? "-Regular.woff2" : "-Bold.woff2");
	} else if (r < 88) {
		sb_add(b, "/images/");
		put_slug(b);
		sb_addc(b, '-');
		sb_addu(b, range(1, 9999));
		sb_add(b, chance(60) ? ".jpg" : chance(50) ? ".png" : ".webp");
		if (chance(40)) {
			sb_add(b, "?w=");
			sb_addu(b, 160 * range(1, 12));
			sb_add(b, "&q=75");
		}
	} else if (r < 94) {
		sb_add(b, "/wp-content/uploads/");
		sb_addu(b, range(2016, 2024));
		sb_addc(b, '/');
		sb_add2(b, range(1, 12));
		sb_addc(b, '/');
		put_slug(b);
		sb_addc(b, '-');
		sb_addu(b, 100 * range(1, 12));
		sb_addc(b, 'x');
		sb_addu(b, 100 * range(1, 8));
		sb_add(b, ".jpg");
	} else if (r < 97) { /* a Magento image cache: an MD5 in the path */
		sb_add(b, "/media/catalog/product/cache/");
		bg_hash(b, 32);
		sb_addc(b, '/');
		sb_addc(b, (char)('a' + below(26)));
		sb_addc(b, '/');
		sb_addc(b, (char)('a' + below(26)));
		sb_addc(b, '/');
		put_slug(b);
		sb_add(b, ".jpg");
	} else {
		sb_add(b, "/cdn-cgi/image/width=");
		sb_addu(b, 160 * range(1, 12));
		sb_add(b, ",quality=75/images/");
		put_slug(b);
		sb_add(b, ".webp");
	}
}

/* API calls and beacons, with ids and parameters that change each call. */
static void api_path(struct sb *b)
{
	uint32_t r = below(100);
	if (r < 20) {
		sb_add(b, "/api/v2/items/");
		sb_addu(b, range(1, 9999999));
		if (chance(40)) {
			sb_add(b, "?fields=price,stock&currency=");
			sb_add(b, chance(50) ? "EUR" : "USD");
		}
	} else if (r < 32) {
		sb_add(b, "/api/v1/users/");
		sb_addu(b, range(1, 2000000));
		sb_add(b, "/orders?limit=20&offset=");
		sb_addu(b, 20 * below(20));
	} else if (r < 44) {
		sb_add(b, "/api/v3/sessions/");
		put_uuid(b);
	} else if (r < 54) {
		sb_add(b, "/graphql?operationName=");
		sb_add(b, chance(50) ? "ProductQuery" : "CartQuery");
		sb_add(b, "&id=");
		sb_addhex(b, 24, false);
	} else if (r < 64) {
		sb_add(b, "/api/v1/cart?session=");
		sb_addalnum(b, 24);
	} else if (r < 72) {
		sb_add(b, "/api/v2/search?q=");
		put_words(b, '+');
		sb_add(b, "&page=");
		sb_addu(b, range(1, 40));
	} else if (r < 80) {
		sb_add(b, "/wp-json/wp/v2/posts?per_page=10&page=");
		sb_addu(b, range(1, 60));
	} else if (r < 90) { /* an analytics beacon */
		sb_add(b, "/g/collect?v=2&tid=G-");
		for (int i = 0; i < 10; i++)
			sb_addc(b, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[below(34)]);
		sb_add(b, "&cid=");
		sb_addu(b, range(100000000, 2000000000));
		sb_addc(b, '.');
		sb_addu(b, range(1690000000, 1709999999));
		sb_add(b, "&en=");
		sb_add(b, chance(70) ? "page_view" : "scroll");
		sb_add(b, "&_et=");
		sb_addu(b, range(1, 90000));
	} else {
		sb_add(b, "/track?e=");
		sb_add(b, chance(50) ? "view" : "click");
		sb_add(b, "&id=");
		sb_addhex(b, 16, false);
		sb_add(b, "&ts=");
		sb_addu(b, range(1709251200, 1711929599));
		sb_add2(b, below(100));
		sb_addu(b, below(10));
	}
}

/* A request target of the site (no host).  Returns its kind. */
static enum req_kind req_path(struct sb *b, uint8_t cls)
{
	static const char *const wellknown[] = {"/.well-known/security.txt",
	                                        "/.well-known/apple-app-site-association",
	                                        "/ads.txt", "/humans.txt"};
	uint32_t r = below(100);
	if (cls == UA_TOOL && chance(30))
		r = 88;
	else if (cls == UA_BOT && chance(10))
		r = 84;
	if (r < 30) {
		page_path(b);
		return REQ_PAGE;
	}
	if (r < 68) {
		asset_path(b);
		return REQ_ASSET;
	}
	if (r < 82) {
		api_path(b);
		return REQ_API;
	}
	if (r < 86) {
		sb_add(b, chance(75) ? PICK(assets) : PICK(wellknown));
		return REQ_ASSET;
	}
	if (r < 88) {
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
		return REQ_PAGE;
	}
	if (r < 92) {
		sb_add(b, PICK(scans));
		return REQ_SCAN;
	}
	if (r < 93) {
		static const unsigned lens[] = {32, 40, 64};
		sb_add(b, chance(50) ? "/download/" : "/files/");
		bg_hash(b, PICK(lens));
		if (chance(50))
			sb_add(b, chance(50) ? ".bin" : ".zip");
		return REQ_ASSET;
	}
	page_path(b);
	return REQ_PAGE;
}

/* Where visitors come from: search engines (most of Google's referers are
 * the bare origin, as Google drops the query; Bing, Yandex and Baidu keep
 * theirs), and a long tail of other sites with Zipf-like popularity. */
#define EXT_SITES 4000

static const char *const social_sites[] = {
        "l.facebook.com",       "m.facebook.com",    "t.co",
        "www.reddit.com",       "lm.facebook.com",   "l.instagram.com",
        "news.ycombinator.com", "www.linkedin.com",  "www.youtube.com",
        "out.reddit.com",       "www.pinterest.com", "medium.com",
        "github.com",           "stackoverflow.com", "en.wikipedia.org",
        "mail.google.com",      "outlook.live.com",  "www.tiktok.com",
        "away.vk.com",          "web.telegram.org",  "news.google.com",
        "www.msn.com",          "flipboard.com",     "de.wikipedia.org",
};

static const char **ext_sites;
static size_t next_sites;
static struct zipf ext_zipf;

static void referer_init(void)
{
	ext_sites = xcalloc(NELEM(social_sites) + EXT_SITES, sizeof *ext_sites);
	for (size_t k = 0; k < NELEM(social_sites); k++)
		if (!fixed_string_matches(social_sites[k]))
			ext_sites[next_sites++] = social_sites[k];
	struct sb b;
	for (size_t k = 0; k < EXT_SITES; k++) {
		sb_reset(&b);
		site_domain(&b); /* checked not to match */
		ext_sites[next_sites++] = keep(&b);
	}
	zipf_init(&ext_zipf, (uint32_t)next_sites, 1.0);
}

static void search_referer(struct sb *b)
{
	static const char *const google_tlds[] = {"com", "com", "com", "de",     "co.uk", "fr",
	                                          "nl",  "es",  "it",  "com.br", "ca",    "pl"};
	uint32_t r = below(100);
	if (r < 60) {
		sb_add(b, "https://www.google.");
		sb_add(b, PICK(google_tlds));
		sb_addc(b, '/');
	} else if (r < 70) {
		sb_add(b, "https://www.bing.com/search?q=");
		put_words(b, '+');
		sb_add(b, "&form=");
		sb_add(b, chance(50) ? "QBLH" : "ANNTH1");
		sb_add(b, "&sp=-1&sc=10-");
		sb_addu(b, range(3, 40));
		sb_add(b, "&cvid=");
		size_t at = b->n;
		bg_hash(b, 32); /* Bing writes it in upper case */
		sb_upper(b, at);
	} else if (r < 74) {
		sb_add(b, "https://duckduckgo.com/");
	} else if (r < 78) {
		sb_add(b, "https://search.yahoo.com/");
	} else if (r < 82) {
		sb_add(b, "https://yandex.ru/search/?text=");
		put_words(b, '+');
		sb_add(b, "&lr=");
		sb_addu(b, range(1, 20000));
	} else if (r < 84) {
		sb_add(b, "https://www.baidu.com/link?url=");
		sb_addalnum(b, range(40, 90));
		sb_add(b, "&wd=&eqid=");
		bg_hash(b, 32);
	} else if (r < 86) {
		sb_add(b, "https://www.ecosia.org/");
	} else if (r < 88) {
		sb_add(b, "https://search.brave.com/");
	} else {
		sb_add(b, "android-app://com.google.android.googlequicksearchbox/");
	}
}

static void external_referer(struct sb *b)
{
	const char *site = ext_sites[zipf_draw(&ext_zipf)];
	sb_add(b, "https://");
	sb_add(b, site);
	if (strcmp(site, "t.co") == 0) {
		sb_addc(b, '/');
		sb_addalnum(b, 10);
		return;
	}
	if (strstr(site, "facebook.com") != NULL || strstr(site, "instagram.com") != NULL) {
		sb_addc(b, '/');
		return;
	}
	if (strstr(site, "reddit.com") != NULL) {
		sb_add(b, "/r/");
		sb_add(b, PICK(slug_words));
		sb_add(b, "/comments/");
		for (int i = 0; i < 6; i++)
			sb_addc(b, "abcdefghijklmnopqrstuvwxyz0123456789"[below(36)]);
		sb_addc(b, '/');
		put_words(b, '_');
		sb_addc(b, '/');
		return;
	}
	if (strcmp(site, "news.ycombinator.com") == 0) {
		sb_add(b, "/item?id=");
		sb_addu(b, range(38000000, 39999999));
		return;
	}
	uint32_t r = below(100);
	if (r < 25) {
		sb_addc(b, '/');
	} else if (r < 45) {
		sb_addc(b, '/');
		sb_addu(b, range(2012, 2024));
		sb_addc(b, '/');
		sb_add2(b, range(1, 12));
		sb_addc(b, '/');
		put_slug(b);
		sb_addc(b, '/');
	} else if (r < 60) {
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
		put_slug(b);
		sb_addc(b, '-');
		sb_addu(b, range(100, 999999));
	} else if (r < 70) {
		sb_add(b, "/forum/thread/");
		sb_addu(b, range(1000, 9999999));
		sb_add(b, "?page=");
		sb_addu(b, range(1, 80));
	} else if (r < 80) {
		sb_add(b, "/index.php?topic=");
		sb_addu(b, range(100, 999999));
		sb_add(b, "&PHPSESSID=");
		for (int i = 0; i < 26; i++)
			sb_addc(b, "abcdefghijklmnopqrstuvwxyz0123456789"[below(36)]);
	} else {
		page_path(b);
	}
	if (chance(20))
		put_tracking(b);
}

/* The status of a request and the size of its answer. */
static void status_bytes(struct line *l, enum req_kind kind)
{
	uint32_t r = below(1000);
	unsigned st;
	if (kind == REQ_SCAN)
		st = r < 700 ? 404 : r < 850 ? 403 : r < 900 ? 301 : r < 980 ? 200 : 400;
	else if (kind == REQ_ASSET)
		st = r < 760   ? 200
		     : r < 930 ? 304
		     : r < 960 ? 404
		     : r < 985 ? 206
		     : r < 995 ? 301
		               : 499;
	else
		st = r < 790   ? 200
		     : r < 820 ? 304
		     : r < 850 ? 301
		     : r < 890 ? 302
		     : r < 925 ? 404
		     : r < 940 ? 204
		     : r < 950 ? 403
		     : r < 962 ? 400
		     : r < 974 ? 401
		     : r < 982 ? 499
		     : r < 992 ? 500
		     : r < 997 ? 503
		               : 429;
	l->status = st;
	switch (st) {
	case 200:
		l->bytes = kind == REQ_API ? range(40, 24000)
		           : kind == REQ_ASSET
		                   ? (chance(5) ? range(400000, 6000000) : range(300, 400000))
		                   : range(3000, 180000);
		break;
	case 206: l->bytes = range(65536, 4000000); break;
	case 301:
	case 302: l->bytes = range(150, 700); break;
	case 304:
	case 204:
	case 499: l->bytes = 0; break;
	default: l->bytes = range(150, 9000); break;
	}
}

static struct sb vhosts[VHOSTS];

/* Client pool: sessions come back, so addresses repeat. */
struct client {
	bool v6;
	char text[48];
	size_t n;
};
static struct client clients[CLIENTS];

static void new_client(struct client *c)
{
	struct sb b;
	sb_reset(&b);
	c->v6 = chance(8);
	if (c->v6)
		bg_ipv6(&b);
	else
		put_ipv4(&b, bg_ipv4());
	memcpy(c->text, b.d, b.n + 1);
	c->n = b.n;
}

/* The clock: one second every ~30 lines, from 2024-03-01 00:00:00. */
static unsigned t_year = 2024, t_mon = 2, t_day = 1, t_h, t_m, t_s;
static char t_text[32]; /* "01/Mar/2024:00:00:00 +0000" */
static size_t t_len;

static void clock_text(void)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct sb b;
	sb_reset(&b);
	sb_add2(&b, t_day);
	sb_addc(&b, '/');
	sb_add(&b, months[t_mon]);
	sb_addc(&b, '/');
	sb_addu(&b, t_year);
	sb_addc(&b, ':');
	sb_add2(&b, t_h);
	sb_addc(&b, ':');
	sb_add2(&b, t_m);
	sb_addc(&b, ':');
	sb_add2(&b, t_s);
	sb_add(&b, " +0000");
	memcpy(t_text, b.d, b.n + 1);
	t_len = b.n;
}

static void clock_tick(void)
{
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (++t_s < 60)
		goto done;
	t_s = 0;
	if (++t_m < 60)
		goto done;
	t_m = 0;
	if (++t_h < 24)
		goto done;
	t_h = 0;
	if (++t_day <= mdays[t_mon])
		goto done;
	t_day = 1;
	if (++t_mon < 12)
		goto done;
	t_mon = 0;
	t_year++;
done:
	clock_text();
}

/* An ordinary line; every value in it is checked not to match. */
static void bg_line(struct line *l)
{
	sb_reset(&l->vhost);
	sb_reset(&l->client);
	sb_reset(&l->user);
	sb_reset(&l->method);
	sb_reset(&l->target);
	sb_reset(&l->referer);
	struct sb *vh = &vhosts[below(VHOSTS)];
	if (chance(50)) {
		sb_addn(&l->vhost, vh->d, vh->n);
		sb_add(&l->vhost, chance(85) ? ":443" : ":80");
	}
	struct client *c = &clients[below(CLIENTS)];
	if (chance(20))
		new_client(c);
	sb_addn(&l->client, c->text, c->n);

	uint32_t r = below(1000);
	if (r < 950) {
		sb_addc(&l->user, '-');
	} else if (r < 990) {
		sb_add(&l->user, PICK(first_names));
	} else {
		sb_add(&l->user, PICK(first_names));
		sb_addc(&l->user, '.');
		sb_add(&l->user, PICK(last_names));
		sb_addc(&l->user, '@');
		size_t at = l->user.n;
		sb_add(&l->user, PICK(freemail));
		if (strset_has(l->user.d, l->user.n) ||
		    host_hits(l->user.d + at, l->user.n - at) > 0) {
			sb_reset(&l->user);
			sb_addc(&l->user, '-');
		}
	}
	uint8_t cls;
	l->ua = draw_ua(&l->own_ua, &cls);
	enum req_kind kind = req_path(&l->target, cls);
	r = below(100);
	if (kind == REQ_API)
		sb_add(&l->method, r < 60 ? "GET" : r < 92 ? "POST" : r < 96 ? "PUT" : "OPTIONS");
	else
		sb_add(&l->method, r < 94 ? "GET" : r < 98 ? "POST" : "HEAD");

	/* Crawlers and tools rarely send a referer; browsers send the page
	 * for most requests (assets, API calls, the next page). */
	r = below(100);
	if (cls != UA_BROWSER)
		r = chance(92) ? 0 : 30;
	if (r < 25) {
		sb_addc(&l->referer, '-');
	} else if (r < 80) {
		sb_add(&l->referer, chance(97) ? "https://" : "http://");
		sb_addn(&l->referer, vh->d, vh->n);
		page_path(&l->referer);
	} else {
		/* the hosts of search engines and other sites are fixed or
		 * checked; what comes after them is checked here */
		do {
			sb_reset(&l->referer);
			if (r < 90)
				search_referer(&l->referer);
			else
				external_referer(&l->referer);
		} while (fixed_string_matches(l->referer.d));
	}
	if (l->referer.n > 1 && strset_has(l->referer.d, l->referer.n)) {
		sb_reset(&l->referer);
		sb_addc(&l->referer, '-');
	}
	status_bytes(l, kind);
}

/* ---- planting ---------------------------------------------------------- */

struct counts {
	size_t by_kind[K_COUNT];
	size_t lines;
	size_t subdomain, upper, cidr_edge, proxy_url, in_referer;
	size_t expected; /* hits an exact matcher reports for these lines */
};
static struct counts hits, traps;

/* The host of a URL "scheme://host[:port]/..." (no userinfo in our lists). */
static void url_host(const char *u, const char **h, size_t *n)
{
	const char *p = strstr(u, "://");
	p = p != NULL ? p + 3 : u;
	const char *e = p;
	while (*e != '\0' && *e != '/' && *e != '?' && *e != '#' && *e != ':')
		e++;
	*h = p;
	*n = (size_t)(e - p);
}

static void set_referer_url(struct line *l, const char *host, size_t n)
{
	sb_reset(&l->referer);
	sb_add(&l->referer, chance(70) ? "https://" : "http://");
	sb_addn(&l->referer, host, n);
	page_path(&l->referer);
}

static void set_vhost(struct line *l, const char *host, size_t n, bool upper)
{
	sb_reset(&l->vhost);
	sb_addn(&l->vhost, host, n);
	if (upper)
		sb_upper(&l->vhost, 0);
	sb_add(&l->vhost, ":443");
}

/* Plants one hit of kind k into l.  Returns the hits an exact matcher
 * reports for the line, or -1 when the list has no value of kind k. */
static int plant_hit(struct line *l, int k, struct sb *what)
{
	const char *v = pick_value(k);
	if (v == NULL)
		return -1;
	size_t n = strlen(v);
	int e = 0;
	sb_reset(what);
	switch (k) {
	case K_IPV4:
	case K_IPV6:
		sb_reset(&l->client);
		sb_addn(&l->client, v, n);
		sb_addn(what, v, n);
		e = 1;
		break;
	case K_CIDR4: {
		const char *slash = strchr(v, '/');
		uint32_t net;
		parse_ipv4(v, (size_t)(slash - v), &net);
		unsigned len = (unsigned)strtoul(slash + 1, NULL, 10);
		uint32_t size = len == 0 ? 0xffffffffu : (1u << (32 - len)) - 1, a;
		uint32_t r = below(4);
		if (r < 2) {
			a = net + (size > 1 ? range(1, size - 1) : 0);
		} else {
			a = r == 2 ? net : net + size; /* the first and last address */
			hits.cidr_edge++;
		}
		sb_reset(&l->client);
		put_ipv4(&l->client, a);
		sb_addn(what, l->client.d, l->client.n);
		e = ip_hits(a);
		break;
	}
	case K_DOMAIN: {
		struct sb host;
		sb_reset(&host);
		if (chance(30)) {
			static const char *const subs[] = {"www", "mail",   "cdn", "login",
			                                   "m",   "static", "api", "secure"};
			if (chance(70))
				sb_add(&host, PICK(subs));
			else
				sb_addhex(&host, range(4, 10), false);
			sb_addc(&host, '.');
			hits.subdomain++;
		}
		sb_addn(&host, v, n);
		e = host_hits(host.d, host.n);
		bool in_vhost = chance(60);
		if (in_vhost) {
			bool upper = chance(15);
			hits.upper += upper;
			set_vhost(l, host.d, host.n, upper);
		} else {
			set_referer_url(l, host.d, host.n);
			e += strset_has(l->referer.d, l->referer.n);
			hits.in_referer++;
		}
		sb_addn(what, in_vhost ? l->vhost.d : host.d, host.n); /* as written */
		break;
	}
	case K_URL: {
		if (chance(40)) {
			sb_reset(&l->target);
			sb_addn(&l->target, v, n);
			hits.proxy_url++;
		} else {
			sb_reset(&l->referer);
			sb_addn(&l->referer, v, n);
			hits.in_referer++;
		}
		const char *h;
		size_t hn;
		url_host(v, &h, &hn);
		e = 1 + host_hits(h, hn);
		sb_addn(what, v, n);
		break;
	}
	case K_HASH: {
		bool upper = chance(10);
		hits.upper += upper;
		sb_reset(&l->target);
		uint32_t r = below(3);
		sb_add(&l->target, r == 0 ? "/download/" : r == 1 ? "/files/" : "/check?sha=");
		size_t at = l->target.n;
		sb_addn(&l->target, v, n);
		if (upper)
			sb_upper(&l->target, at);
		sb_addn(what, l->target.d + at, n); /* as written */
		if (r == 1)
			sb_add(&l->target, chance(50) ? ".exe" : ".bin");
		e = 1;
		break;
	}
	default: { /* K_EMAIL */
		sb_reset(&l->user);
		sb_addn(&l->user, v, n);
		const char *at = strrchr(v, '@');
		e = 1 + host_hits(at + 1, strlen(at + 1));
		sb_addn(what, v, n);
		break;
	}
	}
	return e;
}

/* Plants one trap of kind k into l: a look-alike of a listed value.
 * Returns the hits an exact matcher reports for the line (normally 0), or -1
 * when no trap can be made from the value drawn. */
static int plant_trap(struct line *l, int k, struct sb *what)
{
	const char *v = pick_value(k);
	if (v == NULL)
		return -1;
	size_t n = strlen(v);
	int e = 0;
	sb_reset(what);
	switch (k) {
	case K_IPV4: { /* 1.2.3.4 inside 11.2.3.4 or 1.2.3.45 */
		uint32_t a;
		parse_ipv4(v, n, &a);
		unsigned o1 = a >> 24, o4 = a & 255;
		unsigned pre = range(1, 9) * (o1 >= 10 ? 100 : 10) + o1; /* a digit before */
		unsigned post = o4 * 10 + below(10);                     /* a digit after */
		bool pre_ok = o1 < 100 && pre <= 255, post_ok = o4 != 0 && post <= 255;
		uint32_t t;
		if (pre_ok && (!post_ok || chance(50)))
			t = (uint32_t)pre << 24 | (a & 0xffffff);
		else if (post_ok)
			t = (a & ~255u) | post;
		else
			return -1;
		sb_reset(&l->client);
		put_ipv4(&l->client, t);
		e = ip_hits(t);
		break;
	}
	case K_CIDR4: { /* just outside the network */
		const char *slash = strchr(v, '/');
		uint32_t net;
		parse_ipv4(v, (size_t)(slash - v), &net);
		unsigned len = (unsigned)strtoul(slash + 1, NULL, 10);
		uint32_t size = len == 0 ? 0xffffffffu : (1u << (32 - len)) - 1;
		uint32_t t = chance(50) ? net - 1 : net + size + 1;
		sb_reset(&l->client);
		put_ipv4(&l->client, t);
		e = ip_hits(t);
		traps.cidr_edge++;
		break;
	}
	case K_IPV6: { /* a longer last group: 2001:db8::1 inside 2001:db8::1a */
		const char *colon = strrchr(v, ':');
		size_t last = n - (size_t)(colon + 1 - v);
		if (last == 0 || last >= 4 || colon[1] == '0')
			return -1;
		sb_reset(&l->client);
		sb_addn(&l->client, v, n);
		sb_addhex(&l->client, 1, false);
		e = strset_has(l->client.d, l->client.n);
		break;
	}
	case K_DOMAIN: {
		struct sb host;
		sb_reset(&host);
		if (chance(50)) { /* notevil.com */
			static const char *const pre[] = {"not", "my", "x", "the", "go", "e", "i"};
			sb_add(&host, PICK(pre));
			sb_addn(&host, v, n);
		} else { /* evil.com.cdn-edge.net */
			sb_addn(&host, v, n);
			sb_addc(&host, '.');
			site_domain(&host);
		}
		e = host_hits(host.d, host.n);
		if (chance(60)) {
			set_vhost(l, host.d, host.n, false);
		} else {
			set_referer_url(l, host.d, host.n);
			e += strset_has(l->referer.d, l->referer.n);
		}
		sb_addn(what, host.d, host.n);
		return e;
	}
	case K_URL: { /* more after it: a query or another parameter */
		struct sb *u = chance(50) ? &l->referer : &l->target;
		sb_reset(u);
		sb_addn(u, v, n);
		sb_add(u, memchr(v, '?', n) != NULL ? "&utm_source=" : "?utm_source=");
		sb_add(u, chance(50) ? "newsletter" : "partner");
		const char *h;
		size_t hn;
		url_host(v, &h, &hn);
		e = host_hits(h, hn) + strset_has(u->d, u->n);
		sb_addn(what, u->d, u->n);
		return e;
	}
	case K_HASH: { /* inside a longer hex run: never a hash length */
		sb_reset(&l->target);
		sb_add(&l->target, "/static/bundle.");
		sb_addhex(&l->target, 3, false);
		sb_addn(&l->target, v, n);
		sb_add(&l->target, ".js");
		break;
	}
	default: { /* K_EMAIL: a longer local part */
		sb_reset(&l->user);
		sb_add(&l->user, chance(50) ? "x" : "no");
		sb_addn(&l->user, v, n);
		const char *at = strrchr(v, '@');
		e = strset_has(l->user.d, l->user.n) + host_hits(at + 1, strlen(at + 1));
		break;
	}
	}
	if (what->n == 0) {
		struct sb *src = k == K_HASH ? &l->target : k == K_EMAIL ? &l->user : &l->client;
		sb_addn(what, src->d, src->n);
	}
	return e;
}

/* ---- output ------------------------------------------------------------ */

static char out_buf[OUT_MAX];
static size_t out_used;

static void out_flush(void)
{
	if (out_used > 0 && fwrite(out_buf, 1, out_used, stdout) != out_used)
		die("write: %s", strerror(errno));
	out_used = 0;
}

static void out_write(const char *s, size_t n)
{
	if (out_used + n > sizeof out_buf)
		out_flush();
	memcpy(out_buf + out_used, s, n);
	out_used += n;
}

static void format_line(const struct line *l, struct sb *b)
{
	sb_reset(b);
	if (l->vhost.n > 0) {
		sb_addn(b, l->vhost.d, l->vhost.n);
		sb_addc(b, ' ');
	}
	sb_addn(b, l->client.d, l->client.n);
	sb_add(b, " - ");
	sb_addn(b, l->user.d, l->user.n);
	sb_add(b, " [");
	sb_addn(b, t_text, t_len);
	sb_add(b, "] \"");
	sb_addn(b, l->method.d, l->method.n);
	sb_addc(b, ' ');
	sb_addn(b, l->target.d, l->target.n);
	sb_add(b, " HTTP/1.1\" ");
	sb_addu(b, l->status);
	sb_addc(b, ' ');
	sb_addu(b, l->bytes);
	sb_add(b, " \"");
	sb_addn(b, l->referer.d, l->referer.n);
	sb_add(b, "\" \"");
	sb_add(b, l->ua);
	sb_add(b, "\"\n");
}

static void print_counts(const char *what, const struct counts *c)
{
	fprintf(stderr, "gen-access-log: %s: %zu lines (", what, c->lines);
	bool first = true;
	for (int k = 0; k < K_COUNT; k++)
		if (c->by_kind[k] > 0) {
			fprintf(stderr, "%s%s %zu", first ? "" : ", ", kind_names[k],
			        c->by_kind[k]);
			first = false;
		}
	fprintf(stderr, ")\n");
}

static unsigned long parse_num(const char *opt, const char *s, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > max || s[0] == '-') {
		fprintf(stderr, "gen-access-log: %s must be a number from 1 to %lu\n", opt, max);
		exit(2);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen-access-log [-r EVERY] [-t EVERY] [-T TRUTH] INDICATORS MB\n"
	                "       gen-access-log -V\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long hit_every = 1000, trap_every = 1000;
	const char *truth_path = NULL;
	if (argc == 2 && strcmp(argv[1], "-V") == 0) {
		printf("%d\n", FORMAT);
		return 0;
	}
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "-r") == 0)
			hit_every = parse_num("-r", argv[++i], 1000000000);
		else if (strcmp(argv[i], "-t") == 0)
			trap_every = parse_num("-t", argv[++i], 1000000000);
		else if (strcmp(argv[i], "-T") == 0)
			truth_path = argv[++i];
		else
			usage();
	}
	if (argc - i != 2)
		usage();
	const char *list_path = argv[i];
	unsigned long mb = parse_num("MB", argv[i + 1], 1000000);

	fprintf(stderr, "gen-access-log: format %d\n", FORMAT);
	load_list(list_path);
	size_t total = 0;
	for (int k = 0; k < K_COUNT; k++)
		total += by_kind[k].n;
	if (total == 0)
		die("%s: no indicators this generator can plant", list_path);
	fprintf(stderr, "gen-access-log: %s: %zu indicators (", list_path, total);
	for (int k = 0; k < K_COUNT; k++)
		fprintf(stderr, "%s%s %zu", k ? ", " : "", kind_names[k], by_kind[k].n);
	fprintf(stderr, "), %zu not plantable\n", skipped_values);

	FILE *truth = NULL;
	if (truth_path != NULL && (truth = fopen(truth_path, "w")) == NULL)
		die("%s: %s", truth_path, strerror(errno));

	uint64_t seed = 0x6372697861636c67ULL; /* "crixaclg" */
	rng_state = splitmix64(&seed);

	/* The user agents and the other sites, none of which matches. */
	ua_init();
	referer_init();
	for (size_t k = 0; k < VHOSTS; k++) {
		sb_reset(&vhosts[k]);
		site_domain(&vhosts[k]);
	}
	for (size_t k = 0; k < CLIENTS; k++)
		new_client(&clients[k]);
	clock_text();

	uint64_t limit = mb * MEGABYTE, written = 0, lineno = 0;
	static struct line l;
	static struct sb text, what;
	for (;;) {
		bg_line(&l);
		int e = 0;
		const char *label = NULL;
		int kind = -1;
		if (below((uint32_t)hit_every) == 0) {
			kind = pick_kind();
			e = plant_hit(&l, kind, &what);
			if (e >= 0) {
				hits.lines++;
				hits.by_kind[kind]++;
				hits.expected += (size_t)e;
				label = "hit";
			}
		} else if (below((uint32_t)trap_every) == 0) {
			kind = pick_kind();
			e = plant_trap(&l, kind, &what);
			if (e >= 0) {
				traps.lines++;
				traps.by_kind[kind]++;
				traps.expected += (size_t)e;
				label = "trap";
			}
		}
		format_line(&l, &text);
		if (written + text.n > limit)
			break;
		out_write(text.d, text.n);
		written += text.n;
		lineno++;
		if (truth != NULL && label != NULL)
			fprintf(truth, "%llu\t%s-%s\t%d\t%s\n", (unsigned long long)lineno, label,
			        kind_names[kind], e, what.d);
		if (below(30) == 0)
			clock_tick();
	}
	out_flush();
	if (fflush(stdout) != 0)
		die("write: %s", strerror(errno));
	if (truth != NULL && fclose(truth) != 0)
		die("%s: write error", truth_path);

	fprintf(stderr, "gen-access-log: wrote %llu lines, %llu bytes\n",
	        (unsigned long long)lineno, (unsigned long long)written);
	print_counts("planted hits", &hits);
	fprintf(stderr,
	        "gen-access-log:   of these: %zu subdomains of listed domains, %zu upper-case, "
	        "%zu first/last addresses of networks, %zu URLs as proxy request, %zu in "
	        "referers\n",
	        hits.subdomain, hits.upper, hits.cidr_edge, hits.proxy_url, hits.in_referer);
	print_counts("planted traps", &traps);
	fprintf(stderr,
	        "gen-access-log:   hits in trap lines (the look-alike, or the host of a "
	        "look-alike URL or e-mail, is listed after all): %zu\n",
	        traps.expected);
	fprintf(stderr, "gen-access-log: hit lines: %zu\n", hits.lines);
	fprintf(stderr, "gen-access-log: trap lines: %zu\n", traps.lines);
	fprintf(stderr, "gen-access-log: expected crix hits: %zu\n",
	        hits.expected + traps.expected);
	return 0;
}
