/*
 * gen-iocs.c - writes a deterministic list of N distinct canonical
 * indicators, one a line, to stdout: the indicator set of bench/scan-run.
 *
 * Usage: gen-iocs N        (1 .. 100000000)
 *
 * The output is a deterministic function of N (own PRNG, fixed seed, no
 * clock, environment or locale), and the list for N is the first N lines of
 * the list for any larger N, so sets of several sizes share their values.
 *
 * Proportions follow large commercial and open feeds:
 *   30% IPv4 (half clustered in "hosting" /16s, all public unicast),
 *    5% IPv4 CIDR /16../30 (mostly /22../24, host bits cleared),
 *    3% IPv6 (global unicast, RFC 5952 text),
 *   30% domains (word combinations, DGA-like strings, brand look-alikes,
 *       pronounceable names; 20% with subdomains; varied public suffixes),
 *   15% URLs (http/https, domain or IPv4 host, paths, some ports/queries),
 *   12% hashes (md5 4%, sha1 3%, sha256 5%, lower-case hex),
 *    5% e-mail addresses (free-mail or generated domains).
 * Every value is in crix's canonical form (lower-case, no leading zeros,
 * known TLDs, normalised URLs), so `crix scan` loads all N with no
 * invalid values and no duplicates; duplicates are suppressed here through a
 * table of 64-bit value hashes.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_MAX   (1u << 20)
#define VALUE_MAX 1024

/* ---- PRNG ---------------------------------------------------------------- */

#include "rng.h"

/* ---- string builder ---------------------------------------------------- */

/* A bounded string: appends past the capacity are dropped (never overflow). */
struct sb {
	char d[VALUE_MAX];
	size_t n;
};

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

/* Appends printf-style output, truncated at the capacity. */
__attribute__((format(printf, 2, 3))) static void sb_addf(struct sb *b, const char *fmt, ...)
{
	size_t room = sizeof b->d - b->n;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(b->d + b->n, room, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	b->n += (size_t)k < room ? (size_t)k : room - 1;
}

/* ---- vocabulary ------------------------------------------------------- */

static const char *const words[] = {
        "secure",  "login",   "update",  "micro",    "soft",     "pay",     "bank",    "cloud",
        "track",   "data",    "mail",    "shop",     "cdn",      "sync",    "verify",  "account",
        "portal",  "service", "web",     "net",      "node",     "apex",    "blue",    "dark",
        "fast",    "star",    "nova",    "zen",      "office",   "help",    "desk",    "wallet",
        "coin",    "trade",   "safe",    "box",      "drive",    "share",   "docs",    "file",
        "online",  "global",  "prime",   "delta",    "omega",    "alpha",   "sigma",   "cyber",
        "host",    "link",    "click",   "promo",    "deal",     "bonus",   "free",    "win",
        "prize",   "gift",    "card",    "cash",     "loan",     "credit",  "invest",  "crypto",
        "token",   "swap",    "dex",     "nft",      "mint",     "claim",   "airdrop", "reward",
        "support", "center",  "desk",    "team",     "group",    "media",   "news",    "daily",
        "world",   "live",    "stream",  "tv",       "play",     "game",    "bet",     "casino",
        "lucky",   "spin",    "store",   "market",   "mart",     "deals",   "outlet",  "best",
        "top",     "smart",   "tech",    "soft",     "ware",     "sys",     "logic",   "matrix",
        "vision",  "pixel",   "cloud",   "storage",  "backup",   "vault",   "key",     "pass",
        "auth",    "id",      "sso",     "access",   "connect",  "gate",    "way",     "bridge",
        "tunnel",  "proxy",   "vpn",     "dns",      "ns",       "mx",      "smtp",    "relay",
        "post",    "parcel",  "express", "delivery", "ship",     "cargo",   "freight", "logistic",
        "travel",  "tour",    "hotel",   "booking",  "flight",   "air",     "jet",     "sky",
        "sun",     "moon",    "river",   "lake",     "ocean",    "sea",     "bay",     "port",
        "city",    "metro",   "urban",   "home",     "house",    "estate",  "land",    "farm",
        "green",   "eco",     "bio",     "health",   "med",      "care",    "pharma",  "clinic",
        "dental",  "vita",    "fit",     "sport",    "club",     "fan",     "style",   "fashion",
        "beauty",  "lux",     "gold",    "silver",   "diamond",  "royal",   "king",    "queen",
        "crown",   "empire",  "nation",  "union",    "alliance", "partner", "pro",     "expert",
        "master",  "guru",    "hub",     "zone",     "space",    "base",    "point",   "spot",
        "wave",    "flow",    "pulse",   "spark",    "fire",     "ice",     "snow",    "storm",
        "thunder", "bolt",    "rocket",  "orbit",    "galaxy",   "quantum", "atom",    "core",
};

/* Brands phishing kits imitate. */
static const char *const brands[] = {
        "paypal",   "apple",     "microsoft",  "office365", "outlook",  "amazon",    "netflix",
        "facebook", "instagram", "whatsapp",   "google",    "dhl",      "fedex",     "ups",
        "usps",     "chase",     "wellsfargo", "hsbc",      "barclays", "santander", "binance",
        "coinbase", "metamask",  "steam",      "adobe",     "docusign", "dropbox",   "linkedin",
};

/* Public suffixes, weighted by repetition. */
static const char *const tlds[] = {
        "com",    "com",    "com", "com",    "com",   "com",    "com",    "com",  "com",   "com",
        "com",    "com",    "net", "net",    "net",   "org",    "org",    "info", "info",  "ru",
        "ru",     "ru",     "cn",  "cn",     "xyz",   "xyz",    "top",    "top",  "co.uk", "co.uk",
        "com.br", "com.br", "io",  "io",     "de",    "de",     "online", "site", "biz",   "su",
        "fr",     "nl",     "me",  "club",   "shop",  "live",   "pw",     "cc",   "tk",    "in",
        "jp",     "kr",     "es",  "it",     "pl",    "ua",     "kz",     "ir",   "vn",    "tr",
        "eu",     "us",     "ca",  "com.au", "co.in", "com.cn", "cloud",  "app",  "dev",   "icu",
};

static const char *const sub_labels[] = {
        "www", "mail", "cdn", "login",   "update", "api",  "secure", "portal", "static", "m",
        "mx1", "ns1",  "ns2", "webmail", "admin",  "auth", "my",     "app",    "dl",     "files",
};

static const char *const syllables[] = {
        "ba", "be", "bi", "bo", "ka", "ke", "ki", "ko", "la",  "le",  "li",  "lo",  "ma",  "me",
        "mi", "mo", "na", "ne", "ni", "no", "ra", "re", "ri",  "ro",  "sa",  "se",  "si",  "so",
        "ta", "te", "ti", "to", "va", "ve", "vi", "vo", "za",  "ze",  "zi",  "zo",  "da",  "de",
        "di", "do", "ga", "go", "pa", "pe", "pi", "po", "tra", "sto", "pla", "kre", "dro",
};

static const char *const path_segs[] = {
        "wp-content", "wp-admin", "wp-includes", "uploads", "plugins", "themes",  "admin",
        "login",      "signin",   "account",     "verify",  "secure",  "update",  "download",
        "files",      "docs",     "invoice",     "payment", "billing", "api",     "v1",
        "v2",         "gate",     "panel",       "cp",      "bin",     "tmp",     "images",
        "img",        "js",       "css",         "assets",  "static",  "media",   "cgi-bin",
        "include",    "inc",      "owa",         "auth",    "oauth",   "session", "confirm",
        "webscr",     "portal",   "share",       "drive",   "track",   "parcel",  "office",
        "2023",       "2024",     "03",          "11",      "new",     "old",     "mobile",
};

static const char *const file_exts[] = {
        "php",  "php", "php",  "html", "htm", "exe", "zip", "rar", "js",  "doc",
        "docm", "xls", "xlsm", "pdf",  "apk", "bin", "jpg", "png", "txt", "hta",
        "vbs",  "ps1", "dll",  "msi",  "iso", "lnk", "jar", "7z",
};

static const char *const query_keys[] = {"id",   "ref", "token", "u",    "session", "q",
                                         "lang", "r",   "uid",   "e",    "c",       "p",
                                         "cmd",  "key", "v",     "page", "sid",     "email"};

static const char *const first_names[] = {
        "john",   "mary",  "alice", "bob",   "olga", "ahmed", "sofia", "james",
        "priya",  "chen",  "maria", "david", "anna", "ivan",  "elena", "peter",
        "laura",  "mark",  "sarah", "tom",   "nina", "omar",  "yuki",  "carlos",
        "fatima", "lucas", "emma",  "noah",  "mia",  "leon",  "hana",  "dmitry",
};

static const char *const last_names[] = {
        "smith",    "jones",  "brown",  "garcia", "miller", "davis",  "wilson", "taylor",
        "anderson", "thomas", "moore",  "martin", "white",  "harris", "clark",  "lewis",
        "walker",   "hall",   "young",  "wright", "lopez",  "hill",   "scott",  "adams",
        "baker",    "nelson", "carter", "perez",  "turner", "parker", "evans",  "collins",
        "ivanov",   "petrov", "wang",   "zhang",  "kumar",  "singh",  "muller", "schmidt",
};

static const char *const role_locals[] = {
        "admin",   "support", "billing", "noreply", "security", "hr",      "payroll",
        "invoice", "info",    "service", "account", "helpdesk", "finance", "alerts",
};

static const char *const freemail[] = {
        "gmail.com",      "outlook.com", "hotmail.com",  "yahoo.com", "mail.ru", "yandex.ru",
        "qq.com",         "163.com",     "proton.me",    "gmx.de",    "aol.com", "icloud.com",
        "protonmail.com", "zoho.com",    "tutanota.com", "inbox.ru",  "bk.ru",   "126.com",
};

/* ---- indicators -------------------------------------------------------- */

/* Not private, loopback, link-local, CGNAT, multicast, reserved or a
 * documentation range: what a feed publishes. */
static bool ipv4_public(uint32_t a)
{
	unsigned o1 = a >> 24, o2 = (a >> 16) & 255, o3 = (a >> 8) & 255;
	if (o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224)
		return false;
	if ((o1 == 100 && (o2 & 0xc0) == 64) || (o1 == 169 && o2 == 254) ||
	    (o1 == 172 && (o2 & 0xf0) == 16) || (o1 == 192 && o2 == 168) ||
	    (o1 == 192 && o2 == 0 && (o3 == 0 || o3 == 2)) || (o1 == 198 && (o2 & 0xfe) == 18) ||
	    (o1 == 198 && o2 == 51 && o3 == 100) || (o1 == 203 && o2 == 0 && o3 == 113))
		return false;
	return true;
}

/* The /16 prefixes (top 16 bits) of the "hosting providers" that half of the
 * addresses come from, chosen once from the seed. */
#define HOSTING_NETS 4096
static uint32_t hosting[HOSTING_NETS];

static void init_hosting(void)
{
	for (size_t i = 0; i < HOSTING_NETS; i++) {
		uint32_t a;
		do
			a = (uint32_t)(rnd() >> 32) & 0xffff0000u;
		while (!ipv4_public(a) || !ipv4_public(a | 0xffffu));
		hosting[i] = a >> 16;
	}
}

/* A public unicast IPv4 address with a non-zero last octet. */
static uint32_t rand_ipv4(void)
{
	for (;;) {
		uint32_t a = (uint32_t)(rnd() >> 32);
		if (chance(50))
			a = PICK(hosting) << 16 | (a & 0xffffu);
		if ((a & 255) != 0 && ipv4_public(a))
			return a;
	}
}

static void put_ipv4(struct sb *b, uint32_t a)
{
	sb_addf(b, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void gen_ipv4(struct sb *b)
{
	put_ipv4(b, rand_ipv4());
}

/* Networks: lengths weighted as in DROP-style lists and blocklists. */
static void gen_cidr(struct sb *b)
{
	static const struct {
		unsigned len, weight;
	} lens[] = {{16, 1},  {17, 1}, {18, 2}, {19, 3}, {20, 5}, {21, 6}, {22, 10}, {23, 10},
	            {24, 35}, {25, 4}, {26, 5}, {27, 5}, {28, 6}, {29, 4}, {30, 3}};
	uint32_t r = below(100), acc = 0;
	unsigned len = 24;
	for (size_t i = 0; i < NELEM(lens); i++) {
		acc += lens[i].weight;
		if (r < acc) {
			len = lens[i].len;
			break;
		}
	}
	uint32_t mask = ~((1u << (32 - len)) - 1);
	uint32_t net;
	do
		net = rand_ipv4() & mask;
	while (!ipv4_public(net) || !ipv4_public(net | ~mask));
	put_ipv4(b, net);
	sb_addf(b, "/%u", len);
}

/* RFC 5952: lower-case, no leading zeros, the longest run (the first of equal
 * ones) of two or more zero groups written "::". */
static void put_ipv6(struct sb *b, const uint16_t g[8])
{
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
		sb_addf(b, "%x", g[i]);
	}
}

static void gen_ipv6(struct sb *b)
{
	static const uint16_t firsts[] = {0x2001, 0x2400, 0x2401, 0x2402, 0x2403, 0x2600,
	                                  0x2601, 0x2602, 0x2604, 0x2605, 0x2606, 0x2607,
	                                  0x2a00, 0x2a01, 0x2a02, 0x2a03, 0x2a05, 0x2a06,
	                                  0x2a0e, 0x2c0f, 0x2804, 0x2800, 0x240e, 0x2408};
	uint16_t g[8];
	g[0] = PICK(firsts);
	g[1] = (uint16_t)(g[0] == 0x2001 ? range(0x0200, 0x0fff) : below(0x10000));
	g[2] = (uint16_t)below(0x10000);
	g[3] = chance(40) ? 0 : (uint16_t)below(0x10000);
	switch (below(3)) {
	case 0: /* ::1, ::53 - a server with a static address */
		g[4] = g[5] = g[6] = 0;
		g[7] = (uint16_t)range(1, chance(50) ? 0xff : 0xffff);
		break;
	case 1: { /* EUI-64 */
		uint32_t mac = (uint32_t)(rnd() >> 32);
		g[4] = (uint16_t)(mac >> 16);
		g[5] = (uint16_t)((mac & 0xff) << 8 | 0xff);
		g[6] = (uint16_t)(0xfe00 | (rnd() >> 56));
		g[7] = (uint16_t)below(0x10000);
		break;
	}
	default: /* privacy address */
		for (int i = 4; i < 8; i++)
			g[i] = (uint16_t)below(0x10000);
		break;
	}
	put_ipv6(b, g);
}

/* Lower-case letters (and with digits, digits too). */
static void gen_random_label(struct sb *b, unsigned n, bool digits)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz";
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	for (unsigned i = 0; i < n; i++)
		sb_addc(b, digits && i > 0 ? alnum[below(36)] : alpha[below(26)]);
}

/*
 * Country codes whose registries publish city, province or category names as
 * public suffixes ("napoli.it", "nara.jp", "name.tr"): a dictionary-like name
 * under them could be a public suffix itself, which is no registrable domain
 * (crix rejects it), so such names get a number there.
 */
static bool tld_has_named_suffixes(const char *tld)
{
	static const char *const named[] = {"it", "jp", "pl", "tr", "ua", "us", "in",
	                                    "vn", "kr", "cn", "ca", "id", "ir", "kz",
	                                    "es", "fr", "me", "pw", "io", "ru"};
	for (size_t i = 0; i < NELEM(named); i++)
		if (strcmp(tld, named[i]) == 0)
			return true;
	return false;
}

/* The registrable label: the name part of "name.tld"; numbered when the
 * name is not random (DGA-like) and the TLD has named suffixes. */
static void gen_name(struct sb *b, const char *tld)
{
	size_t start = b->n;
	bool random = false;
	uint32_t r = below(100);
	if (r < 45) { /* word combinations: "securepay24", "cloud-docs" */
		unsigned k = range(1, 3);
		for (unsigned i = 0; i < k; i++) {
			if (i > 0 && chance(25))
				sb_addc(b, '-');
			sb_add(b, PICK(words));
		}
		if (k == 1 || chance(25))
			sb_addf(b, "%u", range(1, 9999));
	} else if (r < 70) { /* DGA-like */
		gen_random_label(b, range(8, 20), chance(20));
		random = true;
	} else if (r < 85) { /* brand look-alikes: "paypal-secure-login" */
		if (chance(50)) {
			sb_add(b, PICK(brands));
			sb_addc(b, '-');
			sb_add(b, PICK(words));
		} else {
			sb_add(b, PICK(words));
			sb_addc(b, '-');
			sb_add(b, PICK(brands));
		}
		if (chance(40)) {
			sb_addc(b, '-');
			sb_add(b, PICK(words));
		}
		if (chance(30))
			sb_addf(b, "%u", range(1, 999));
	} else { /* pronounceable */
		unsigned k = range(2, 5);
		for (unsigned i = 0; i < k; i++)
			sb_add(b, PICK(syllables));
	}
	if (!random && tld_has_named_suffixes(tld) && strpbrk(b->d + start, "0123456789") == NULL)
		sb_addf(b, "%u", range(1, 99));
}

static void gen_domain(struct sb *b, bool allow_sub)
{
	if (allow_sub && chance(20)) {
		if (chance(70))
			sb_add(b, PICK(sub_labels));
		else
			gen_random_label(b, range(4, 12), true);
		sb_addc(b, '.');
		if (chance(10)) {
			sb_add(b, PICK(sub_labels));
			sb_addc(b, '.');
		}
	}
	const char *tld = PICK(tlds);
	gen_name(b, tld);
	sb_addc(b, '.');
	sb_add(b, tld);
}

/* Query and path tokens: letters and digits, never a hash length. */
static void gen_token(struct sb *b, unsigned lo, unsigned hi)
{
	gen_random_label(b, range(lo, hi), true);
}

static void gen_url(struct sb *b)
{
	bool https = chance(60);
	sb_add(b, https ? "https://" : "http://");
	if (chance(10))
		gen_ipv4(b);
	else
		gen_domain(b, true);
	if (chance(5)) {
		static const unsigned ports[] = {8080, 8443, 81, 8000, 8888, 3000, 4443};
		unsigned p = chance(70) ? PICK(ports) : range(1024, 65535);
		sb_addf(b, ":%u", p);
	}
	unsigned segs = chance(10) ? 0 : range(1, 4);
	bool file = false;
	for (unsigned i = 0; i < segs; i++) {
		sb_addc(b, '/');
		if (i + 1 == segs && chance(60)) {
			file = true;
			if (chance(50))
				sb_add(b, PICK(words));
			else
				gen_token(b, 3, 12);
			sb_addc(b, '.');
			sb_add(b, PICK(file_exts));
		} else if (chance(75)) {
			sb_add(b, PICK(path_segs));
		} else {
			gen_token(b, 4, 16);
		}
	}
	if (segs == 0 || (!file && chance(15)))
		sb_addc(b, '/');
	if (chance(30)) {
		unsigned nq = range(1, 3);
		for (unsigned i = 0; i < nq; i++) {
			sb_addc(b, i == 0 ? '?' : '&');
			sb_add(b, PICK(query_keys));
			sb_addc(b, '=');
			if (chance(50))
				sb_addf(b, "%u", below(1000000));
			else
				gen_token(b, 4, 24);
		}
	}
}

static void gen_hex(struct sb *b, unsigned n)
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++)
		sb_addc(b, digits[below(16)]);
}

static void gen_email(struct sb *b)
{
	switch (below(4)) {
	case 0: sb_addf(b, "%s.%s", PICK(first_names), PICK(last_names)); break;
	case 1: sb_addf(b, "%s%s%u", PICK(first_names), PICK(last_names), range(1, 999)); break;
	case 2: sb_addf(b, "%s_%c", PICK(first_names), PICK(last_names)[0]); break;
	default:
		if (chance(50))
			sb_add(b, PICK(role_locals));
		else
			gen_token(b, 5, 12);
		break;
	}
	sb_addc(b, '@');
	if (chance(40))
		sb_add(b, PICK(freemail));
	else
		gen_domain(b, false);
}

/* One indicator drawn with the proportions above. */
static void gen_indicator(struct sb *b)
{
	uint32_t r = below(100);
	if (r < 30)
		gen_ipv4(b);
	else if (r < 35)
		gen_cidr(b);
	else if (r < 38)
		gen_ipv6(b);
	else if (r < 68)
		gen_domain(b, true);
	else if (r < 83)
		gen_url(b);
	else if (r < 87)
		gen_hex(b, 32);
	else if (r < 90)
		gen_hex(b, 40);
	else if (r < 95)
		gen_hex(b, 64);
	else
		gen_email(b);
}

/* ---- duplicates -------------------------------------------------------- */

/* Open addressing over 64-bit value hashes (0 marks an empty slot).  Two
 * values with the same 64-bit hash count as one: a value is then merely
 * redrawn, which keeps the output deterministic. */
static uint64_t *seen;
static size_t seen_mask;

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h != 0 ? h : 1;
}

/* Records s; false when it was recorded before. */
static bool seen_add(const char *s, size_t n)
{
	uint64_t h = hash_str(s, n);
	for (size_t i = h & seen_mask;; i = (i + 1) & seen_mask) {
		if (seen[i] == h)
			return false;
		if (seen[i] == 0) {
			seen[i] = h;
			return true;
		}
	}
}

/* ---- output ------------------------------------------------------------ */

static char out_buf[OUT_MAX];
static size_t out_used;

static void out_flush(void)
{
	if (out_used > 0 && fwrite(out_buf, 1, out_used, stdout) != out_used) {
		perror("gen-iocs: write");
		exit(1);
	}
	out_used = 0;
}

static void out_write(const char *s, size_t n)
{
	if (out_used + n > sizeof out_buf)
		out_flush();
	memcpy(out_buf + out_used, s, n);
	out_used += n;
}

int main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] < '0' || argv[1][0] > '9') {
		fprintf(stderr, "usage: gen-iocs N\n");
		return 2;
	}
	char *end;
	unsigned long n = strtoul(argv[1], &end, 10);
	if (*end != '\0' || n == 0 || n > 100000000) {
		fprintf(stderr, "gen-iocs: N must be 1..100000000\n");
		return 2;
	}
	size_t slots = 1024;
	while (slots < 2 * (size_t)n)
		slots *= 2;
	seen = calloc(slots, sizeof *seen);
	if (seen == NULL) {
		fprintf(stderr, "gen-iocs: out of memory\n");
		return 1;
	}
	seen_mask = slots - 1;

	uint64_t seed = 0x63726978696f6373ULL; /* "crixiocs" */
	rng_state = splitmix64(&seed);
	init_hosting();

	struct sb v;
	for (unsigned long i = 0; i < n;) {
		v.n = 0;
		v.d[0] = '\0';
		gen_indicator(&v);
		if (!seen_add(v.d, v.n))
			continue;
		sb_addc(&v, '\n');
		out_write(v.d, v.n);
		i++;
	}
	out_flush();
	free(seen);
	if (fflush(stdout) != 0) {
		perror("gen-iocs: write");
		return 1;
	}
	return 0;
}
