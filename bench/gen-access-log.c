/*
 * gen-access-log.c - writes a deterministic web server access log of about
 * MB megabytes (10^6 bytes) to stdout, with hits from an indicator list
 * planted at a known rate: the log of bench/scan-run.
 *
 * Usage: gen-access-log [-r EVERY] [-t EVERY] [-T TRUTH] INDICATORS MB
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
 * with client pools (sessions repeat addresses), IPv6 clients, static
 * assets, APIs, WordPress scans, downloads named by a hash, internal,
 * search-engine and external referers, and some e-mail user names.
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

static const char *const search_refs[] = {
        "https://www.google.com/",
        "https://www.google.de/",
        "https://www.bing.com/search?q=",
        "https://duckduckgo.com/",
        "https://yandex.ru/search/?text=",
        "https://www.baidu.com/s?wd=",
        "https://search.yahoo.com/search?p=",
        "https://www.ecosia.org/search?q=",
        "https://t.co/",
        "https://l.facebook.com/",
};

static const char *const user_agents[] = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/122.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/121.0.0.0 Safari/537.36 Edg/121.0.0.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/17.3 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:122.0) Gecko/20100101 Firefox/122.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/122.0.6261.64 Mobile Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "curl/8.5.0",
        "python-requests/2.31.0",
        "Go-http-client/1.1",
        "Wget/1.21.4",
        "Mozilla/5.0 zgrab/0.x",
        "-",
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

/* A request path of the site (no host). */
static void bg_path(struct sb *b)
{
	uint32_t r = below(100);
	if (r < 15) {
		sb_addc(b, '/');
	} else if (r < 25) {
		bool js = chance(50);
		sb_add(b, js ? "/static/js/app." : "/assets/css/main.");
		sb_addhex(b, 8, false);
		sb_add(b, js ? ".js" : ".css");
	} else if (r < 35) {
		sb_add(b, "/images/");
		put_slug(b);
		sb_addc(b, '-');
		sb_addu(b, range(1, 999));
		sb_add(b, chance(60) ? ".jpg" : chance(50) ? ".png" : ".webp");
	} else if (r < 40) {
		sb_add(b, PICK(assets));
	} else if (r < 62) {
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
		put_slug(b);
		sb_addc(b, '-');
		sb_addu(b, range(100, 99999));
	} else if (r < 72) {
		sb_add(b, chance(50) ? "/api/v2/items?id=" : "/api/v1/cart?session=");
		sb_addu(b, below(10000000));
		if (chance(50)) {
			sb_add(b, "&page=");
			sb_addu(b, range(1, 40));
		}
	} else if (r < 77) {
		sb_add(b, "/search?q=");
		sb_add(b, PICK(slug_words));
		sb_addc(b, '+');
		sb_add(b, PICK(slug_words));
	} else if (r < 82) {
		sb_add(b, PICK(scans));
	} else if (r < 83) {
		static const unsigned lens[] = {32, 40, 64};
		sb_add(b, chance(50) ? "/download/" : "/files/");
		bg_hash(b, PICK(lens));
		if (chance(50))
			sb_add(b, chance(50) ? ".bin" : ".zip");
	} else if (r < 93) {
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
	} else {
		sb_addc(b, '/');
		sb_add(b, PICK(sections));
		sb_addc(b, '/');
		sb_add(b, PICK(slug_words));
		sb_add(b, ".html");
	}
}

/* ---- the log line ------------------------------------------------------ */

struct line {
	struct sb vhost;   /* empty: plain "combined" format */
	struct sb client;  /* address */
	struct sb user;    /* "-", a name or an e-mail */
	struct sb method;  /* GET, POST, ... */
	struct sb target;  /* path, or a full URL (proxy logs) */
	struct sb referer; /* "-" or a URL */
	const char *ua;
	unsigned status;
	unsigned long bytes;
};

static struct sb vhosts[VHOSTS];
static const char *uas[NELEM(user_agents)];
static size_t nuas;
static const char *searches[NELEM(search_refs)];
static size_t nsearches;

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
	r = below(100);
	sb_add(&l->method, r < 85 ? "GET" : r < 95 ? "POST" : r < 98 ? "HEAD" : "OPTIONS");
	bg_path(&l->target);

	r = below(100);
	if (r < 45) {
		sb_addc(&l->referer, '-');
	} else if (r < 75) {
		sb_add(&l->referer, "https://");
		sb_addn(&l->referer, vh->d, vh->n);
		bg_path(&l->referer);
	} else if (r < 88 && nsearches > 0) {
		sb_add(&l->referer, searches[below((uint32_t)nsearches)]);
		if (l->referer.d[l->referer.n - 1] == '=') {
			sb_add(&l->referer, PICK(slug_words));
			sb_addc(&l->referer, '+');
			sb_add(&l->referer, PICK(slug_words));
		}
	} else {
		sb_add(&l->referer, chance(80) ? "https://" : "http://");
		site_domain(&l->referer);
		bg_path(&l->referer);
	}
	if (l->referer.n > 1 && strset_has(l->referer.d, l->referer.n)) {
		sb_reset(&l->referer);
		sb_addc(&l->referer, '-');
	}
	l->ua = uas[below((uint32_t)nuas)];
	static const unsigned statuses[] = {200, 200, 200, 200, 200, 200, 200, 304,
	                                    304, 301, 302, 404, 404, 403, 500, 206};
	l->status = PICK(statuses);
	l->bytes = l->status == 304 ? 0 : range(120, 250000);
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
	bg_path(&l->referer);
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
	fprintf(stderr, "usage: gen-access-log [-r EVERY] [-t EVERY] [-T TRUTH] INDICATORS MB\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long hit_every = 1000, trap_every = 1000;
	const char *truth_path = NULL;
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

	/* Fixed strings that would match are left out. */
	for (size_t k = 0; k < NELEM(user_agents); k++)
		if (!fixed_string_matches(user_agents[k]))
			uas[nuas++] = user_agents[k];
	for (size_t k = 0; k < NELEM(search_refs); k++)
		if (!fixed_string_matches(search_refs[k]))
			searches[nsearches++] = search_refs[k];
	if (nuas == 0)
		die("every user agent matches the list");
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
