/*
 * gen-text.c - writes N megabytes (10^6 bytes) of realistic mixed text to
 * stdout, the input of `make bench`.
 *
 * Usage: gen-text [MB]      (default 100)
 *
 * The output is a deterministic function of MB: the generator has its own
 * PRNG (splitmix64 seeding xorshift64*) with a fixed seed and never looks at
 * the clock, the environment or the locale, so every run and every machine
 * produces the same bytes and benchmark numbers stay comparable.
 *
 * The mix imitates what crix is fed in practice:
 *   - English prose paragraphs with a few indicators each (domains, URLs
 *     with paths and queries, emails, IPv4/IPv6, CIDRs, hashes, phone
 *     numbers, IBANs, BTC/ETH addresses, CVE ids, AS numbers),
 *   - defanged threat-report lines (hxxp://evil[.]com, 1.2.3[.]4, user[at]...),
 *   - Apache combined log lines, syslog, mail log and mail header lines,
 *   - false-positive bait (file names, versions, dotted identifiers, OIDs,
 *     times, MAC addresses, long hex runs, UUIDs).
 * Text is ASCII with a little UTF-8.  Indicators that carry a checksum
 * (IBAN, BTC, ETH, card) come from a small fixed list of known-valid values.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEGABYTE  1000000ULL
#define BLOCK_MAX 16384 /* longest paragraph or log line, with room to spare */
#define OUT_MAX   (1u << 20)

/* ---- PRNG ---------------------------------------------------------------- */

#include "rng.h"

/* ---- string builder ---------------------------------------------------- */

/* A bounded string: appends past the capacity are dropped (never overflow). */
struct sb {
	char *d;
	size_t cap;
	size_t n;
};

/* Appends n bytes of s. */
static void sb_addn(struct sb *b, const char *s, size_t n)
{
	if (n > b->cap - 1 - b->n)
		n = b->cap - 1 - b->n;
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
	size_t room = b->cap - b->n;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(b->d + b->n, room, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	b->n += (size_t)k < room ? (size_t)k : room - 1;
}

/* A small local string builder over an array. */
#define SB_LOCAL(name, size)                                                                       \
	char name##_mem[size] = "";                                                                \
	struct sb name = {name##_mem, sizeof name##_mem, 0}

/* ---- vocabulary ------------------------------------------------------- */

static const char *const words[] = {
        "the",         "of",         "and",        "to",          "in",
        "a",           "is",         "that",       "for",         "it",
        "as",          "was",        "with",       "be",          "by",
        "on",          "not",        "this",       "are",         "from",
        "at",          "or",         "which",      "an",          "were",
        "all",         "their",      "has",        "been",        "one",
        "more",        "when",       "after",      "before",      "between",
        "during",      "attacker",   "actor",      "campaign",    "malware",
        "payload",     "server",     "victim",     "network",     "traffic",
        "domain",      "address",    "host",       "loader",      "dropper",
        "backdoor",    "implant",    "beacon",     "operator",    "phishing",
        "invoice",     "credential", "account",    "password",    "bank",
        "transfer",    "fraud",      "report",     "analysis",    "incident",
        "response",    "observed",   "contacted",  "downloaded",  "executed",
        "persistence", "lateral",    "movement",   "exfiltrated", "encrypted",
        "ransom",      "note",       "wallet",     "customer",    "support",
        "team",        "company",    "employees",  "email",       "message",
        "attachment",  "link",       "website",    "login",       "page",
        "certificate", "registered", "recently",   "several",     "multiple",
        "suspicious",  "activity",   "indicators", "compromise",  "infrastructure",
        "hosting",     "provider",   "week",       "month",       "morning",
        "evening",     "later",      "again",      "quickly",     "slowly",
        "into",        "over",       "under",      "without",     "through",
        "against",     "because",    "however",    "although",    "while",
        "police",      "officer",    "complaint",  "victims",     "losses",
        "pounds",      "dollars",    "euros",      "crypto",      "exchange",
        "scam",        "investment", "romance",    "parcel",      "delivery",
        "fee",         "urgent",     "verify",     "update",      "security",
        "alert",       "blocked",    "unusual",    "sign-in",
};

static const char *const utf8_words[] = {
        "café",   "naïve",       "résumé", "Zürich", "München", "São Paulo", "Kraków", "déjà vu",
        "façade", "smörgåsbord", "東京",   "Москва", "€250",    "£1,200",    "—",      "“urgent”",
};

static const char *const name_parts[] = {
        "secure", "login",  "update", "micro", "soft",   "pay",    "bank",    "cloud",  "track",
        "data",   "mail",   "shop",   "cdn",   "sync",   "verify", "account", "portal", "service",
        "web",    "net",    "node",   "apex",  "blue",   "dark",   "fast",    "star",   "nova",
        "zen",    "office", "help",   "desk",  "wallet", "coin",   "trade",   "safe",   "box",
        "drive",  "share",  "docs",   "file",  "online", "global", "prime",   "delta",  "omega",
};

static const char *const tlds[] = {
        "com",   "com", "com", "net",    "net", "org", "ru", "info", "io",   "xyz",    "top",
        "co.uk", "de",  "biz", "online", "cn",  "su",  "fr", "nl",   "site", "com.br", "me",
};

static const char *const subdomains[] = {
        "www", "mail", "cdn", "login", "update", "api", "secure", "portal", "static", "m", "mx1",
};

static const char *const path_parts[] = {
        "wp-content",  "admin", "login.php", "gate.php",    "index.html", "api",     "v1",
        "uploads",     "files", "download",  "invoice.pdf", "update.exe", "images",  "js",
        "payload.bin", "panel", "auth",      "verify",      "account",    "static",  "doc",
        "2023",        "img",   "track",     "redirect",    "session",    "cgi-bin", "bin.sh",
};

static const char *const query_keys[] = {"id", "ref", "token", "u", "session", "q", "lang", "r"};

static const char *const first_names[] = {"john",  "mary",  "alice", "bob",   "li",   "olga",
                                          "ahmed", "sofia", "james", "priya", "chen", "maria"};
static const char *const last_names[] = {"smith",  "jones", "doe",    "brown", "wang",
                                         "ivanov", "khan",  "garcia", "patel", "muller"};
static const char *const role_locals[] = {"admin",   "billing",  "support", "info",
                                          "noreply", "security", "hr",      "accounts"};

/* Known-valid values of the checksummed types (public test/example values). */
static const char *const ibans[] = {
        "GB82WEST12345698765432", "DE89370400440532013000",      "FR1420041010050500013M02606",
        "NL91ABNA0417164300",     "ES9121000418450200051332",    "BE68539007547034",
        "CH9300762011623852957",  "IT60X0542811101000000123456",
};
static const char *const ibans_grouped[] = {
        "GB82 WEST 1234 5698 7654 32",
        "DE89 3704 0044 0532 0130 00",
        "NL91 ABNA 0417 1643 00",
};
static const char *const btcs[] = {
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",         "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",         "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
};
static const char *const eths[] = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae",
};
static const char *const cards[] = {
        "4111111111111111",
        "4111 1111 1111 1111",
        "5500-0000-0000-0004",
        "378282246310005",
};

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static const char *const user_agents[] = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        "curl/7.88.1",
        "python-requests/2.31.0",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Wget/1.21.3",
};

static const char *const http_methods[] = {"GET", "GET", "GET", "GET", "POST", "HEAD", "PUT"};
static const int http_status[] = {200, 200, 200, 200, 301, 302, 304, 403, 404, 404, 500};

/* ---- indicators -------------------------------------------------------- */

/* A hostname label made of one or two name parts, sometimes with digits. */
static void gen_label(struct sb *b)
{
	sb_add(b, PICK(name_parts));
	if (chance(50)) {
		if (chance(30))
			sb_addc(b, '-');
		sb_add(b, PICK(name_parts));
	}
	if (chance(20))
		sb_addf(b, "%u", range(1, 999));
}

static void gen_domain(struct sb *b)
{
	static const char *const idn[] = {"bücher.de",     "münchen-bank.de",  "пример.рф",
	                                  "café-paris.fr", "xn--bcher-kva.de", "例え.jp"};
	if (chance(1)) {
		sb_add(b, PICK(idn));
		return;
	}
	if (chance(30)) {
		sb_add(b, PICK(subdomains));
		sb_addc(b, '.');
	}
	gen_label(b);
	sb_addc(b, '.');
	sb_add(b, PICK(tlds));
}

static void gen_ipv4(struct sb *b)
{
	static const unsigned firsts[] = {1,   5,   23,  31,  45,  62,  77,  91,  103, 104,
	                                  138, 141, 172, 176, 185, 192, 194, 198, 203, 212};
	sb_addf(b, "%u.%u.%u.%u", PICK(firsts), below(256), below(256), range(1, 254));
}

/* IPv6 in the spellings found in reports: compressed, full, link-local. */
static void gen_ipv6(struct sb *b)
{
	switch (below(5)) {
	case 0:
		sb_addf(b, "2001:db8:%x:%x::%x", below(0x10000), below(0x10000), range(1, 0xffff));
		break;
	case 1:
		sb_addf(b, "2a03:2880:f%03x:%x:face:b00c:0:%x", below(0x1000), below(0x100),
		        range(1, 0xffff));
		break;
	case 2:
		sb_addf(b, "fe80::%x:%x:%x:%x", below(0x10000), below(0x10000), below(0x10000),
		        below(0x10000));
		break;
	case 3:
		sb_addf(b, "2001:0DB8:0000:0000:%04X:0000:0000:%04X", below(0x10000),
		        range(1, 0xffff));
		break;
	default: sb_addf(b, "2606:4700::%x", range(1, 0xffff)); break;
	}
}

static void gen_cidr(struct sb *b)
{
	static const unsigned lens4[] = {8, 16, 20, 22, 24, 24, 24, 28, 32};
	if (chance(80)) {
		unsigned len = PICK(lens4);
		uint32_t ip = (uint32_t)(rnd() >> 32);
		if (chance(70) && len < 32)
			ip &= ~((1u << (32 - len)) - 1); /* usually written as a network */
		sb_addf(b, "%u.%u.%u.%u/%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255,
		        len);
	} else {
		sb_addf(b, "2001:db8:%x::/%u", below(0x10000), range(32, 64));
	}
}

/* n random hex digits; upper-case when upper is set. */
static void gen_hex(struct sb *b, unsigned n, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	for (unsigned i = 0; i < n; i++)
		sb_addc(b, digits[below(16)]);
}

static void gen_url(struct sb *b)
{
	sb_add(b, chance(55) ? "https://" : chance(90) ? "http://" : "ftp://");
	if (chance(10))
		gen_ipv4(b);
	else
		gen_domain(b);
	if (chance(8))
		sb_addf(b, ":%u", chance(50) ? 8080 : range(1024, 65535));
	unsigned segs = below(4);
	for (unsigned i = 0; i < segs; i++) {
		sb_addc(b, '/');
		sb_add(b, PICK(path_parts));
	}
	if (segs == 0 || chance(30))
		sb_addc(b, '/');
	if (chance(35)) {
		unsigned nq = range(1, 3);
		for (unsigned i = 0; i < nq; i++) {
			sb_addc(b, i == 0 ? '?' : '&');
			sb_addf(b, "%s=", PICK(query_keys));
			if (chance(50))
				gen_hex(b, range(6, 16), 0);
			else
				sb_addf(b, "%u", below(100000));
		}
	}
	if (chance(5))
		sb_add(b, "%20copy");
}

static void gen_email(struct sb *b)
{
	switch (below(3)) {
	case 0: sb_addf(b, "%s.%s", PICK(first_names), PICK(last_names)); break;
	case 1: sb_addf(b, "%c.%s%u", PICK(first_names)[0], PICK(last_names), range(1, 99)); break;
	default: sb_add(b, PICK(role_locals)); break;
	}
	sb_addc(b, '@');
	gen_domain(b);
}

static void gen_phone(struct sb *b)
{
	switch (below(4)) {
	case 0: sb_addf(b, "+44 20 7946 0%03u", below(1000)); break;
	case 1: sb_addf(b, "+44 161 496 0%03u", below(1000)); break;
	case 2: sb_addf(b, "+1 (202) 555-0%03u", below(200)); break;
	default: sb_addf(b, "+33 1 99 00 %02u %02u", below(100), below(100)); break;
	}
}

/* One indicator of a type drawn with the weights of real reports. */
static void gen_indicator(struct sb *b)
{
	uint32_t r = below(100);
	if (r < 17)
		gen_domain(b);
	else if (r < 35)
		gen_url(b);
	else if (r < 46)
		gen_email(b);
	else if (r < 59)
		gen_ipv4(b);
	else if (r < 63)
		gen_ipv6(b);
	else if (r < 67)
		gen_cidr(b);
	else if (r < 72)
		gen_hex(b, 32, chance(20));
	else if (r < 76)
		gen_hex(b, 40, 0);
	else if (r < 82)
		gen_hex(b, 64, 0);
	else if (r < 85)
		gen_phone(b);
	else if (r < 87)
		sb_add(b, chance(70) ? PICK(ibans) : PICK(ibans_grouped));
	else if (r < 89)
		sb_add(b, PICK(btcs));
	else if (r < 91)
		sb_add(b, PICK(eths));
	else if (r < 96)
		sb_addf(b, "CVE-%u-%u", range(2014, 2024), range(1000, 49999));
	else if (r < 99)
		sb_addf(b, chance(70) ? "AS%u" : "ASN %u", range(1, 400000));
	else
		sb_add(b, PICK(cards));
}

/* Copies s defanged the ways analysts do it: dots, "@" and the scheme. */
static void add_defanged(struct sb *b, const char *s)
{
	static const char *const dots[] = {"[.]", "[.]", "[.]", "(.)", "[dot]", "{.}"};
	const char *dot = PICK(dots);
	int all_dots = chance(40);
	/* The last dot of the host, not of a file name in the path. */
	const char *host = strstr(s, "://");
	host = host != NULL ? host + 3 : s;
	const char *last_dot = NULL;
	for (const char *p = host; *p != '\0' && *p != '/' && *p != ':' && *p != '?'; p++)
		if (*p == '.')
			last_dot = p;
	if (strncmp(s, "http", 4) == 0) {
		sb_add(b, chance(80) ? "hxxp" : "hXXp");
		s += 4;
	} else if (strncmp(s, "ftp", 3) == 0) {
		sb_add(b, "fxp");
		s += 3;
	}
	for (; *s != '\0'; s++) {
		if (*s == '.' && (all_dots || s == last_dot))
			sb_add(b, dot);
		else if (*s == '@')
			sb_add(b, chance(70) ? "[at]" : "(at)");
		else if (*s == ':' && s[1] == '/' && s[2] == '/' && chance(30)) {
			sb_add(b, "[://]");
			s += 2;
		} else
			sb_addc(b, *s);
	}
}

/* ---- blocks ------------------------------------------------------------ */

static void add_word(struct sb *b, int capital)
{
	const char *w = chance(1) ? PICK(utf8_words) : PICK(words);
	if (capital && w[0] >= 'a' && w[0] <= 'z') {
		sb_addc(b, (char)(w[0] - 32));
		sb_add(b, w + 1);
	} else {
		sb_add(b, w);
	}
}

/* One indicator in prose: bare, quoted, bracketed, or ending the sentence. */
static void add_prose_indicator(struct sb *b)
{
	static const char *const leads[] = {"traffic to",  "hosted at",   "sent from", "see",
	                                    "contacted",   "resolved to", "hash",      "listed as",
	                                    "reported by", "paid to",     "linked to", "seen at"};
	SB_LOCAL(v, 512);
	gen_indicator(&v);
	sb_addf(b, " %s ", PICK(leads));
	switch (below(8)) {
	case 0: sb_addf(b, "\"%s\"", v.d); break;
	case 1: sb_addf(b, "(%s)", v.d); break;
	case 2: sb_addf(b, "<%s>", v.d); break;
	case 3: sb_addf(b, "%s,", v.d); break;
	default: sb_add(b, v.d); break;
	}
}

static void gen_paragraph(struct sb *b)
{
	unsigned sentences = range(3, 7);
	for (unsigned s = 0; s < sentences; s++) {
		unsigned nw = range(6, 18);
		unsigned at = chance(40) ? below(nw) : nw + 1;
		for (unsigned w = 0; w < nw; w++) {
			if (w > 0)
				sb_addc(b, ' ');
			add_word(b, w == 0);
			if (w == at)
				add_prose_indicator(b);
		}
		sb_add(b, chance(90) ? ". " : chance(50) ? "? " : "! ");
	}
	b->n--; /* drop the last space */
	sb_add(b, "\n\n");
}

static void gen_defanged_line(struct sb *b)
{
	static const char *const heads[] = {"IOC:",       "C2:", "Payload URL:", "Sender:",
	                                    "Drop site:", "- ",  "* Indicator",  "Callback"};
	SB_LOCAL(v, 512);
	switch (below(4)) {
	case 0: gen_url(&v); break;
	case 1: gen_ipv4(&v); break;
	case 2: gen_email(&v); break;
	default: gen_domain(&v); break;
	}
	sb_addf(b, "%s ", PICK(heads));
	add_defanged(b, v.d);
	if (chance(40)) {
		sb_add(b, " (first seen ");
		sb_addf(b, "%u-%02u-%02u)", range(2019, 2024), range(1, 12), range(1, 28));
	}
	sb_addc(b, '\n');
}

static void add_timestamp_syslog(struct sb *b)
{
	sb_addf(b, "%s %2u %02u:%02u:%02u ", PICK(months), range(1, 28), below(24), below(60),
	        below(60));
}

static void gen_apache_line(struct sb *b)
{
	gen_ipv4(b);
	sb_addf(b, " - %s [%02u/%s/%u:%02u:%02u:%02u +0000] \"%s /", chance(90) ? "-" : "frank",
	        range(1, 28), PICK(months), range(2021, 2024), below(24), below(60), below(60),
	        PICK(http_methods));
	unsigned segs = range(0, 3);
	for (unsigned i = 0; i < segs; i++)
		sb_addf(b, "%s%s", i ? "/" : "", PICK(path_parts));
	if (chance(30))
		sb_addf(b, "?%s=%u", PICK(query_keys), below(100000));
	sb_addf(b, " HTTP/1.1\" %d %u \"", http_status[below((uint32_t)NELEM(http_status))],
	        below(60000));
	if (chance(40))
		gen_url(b);
	else
		sb_addc(b, '-');
	sb_addf(b, "\" \"%s\"\n", PICK(user_agents));
}

static void gen_syslog_line(struct sb *b)
{
	SB_LOCAL(host, 256);
	gen_domain(&host);
	add_timestamp_syslog(b);
	sb_addf(b, "%s ", chance(50) ? "mail" : "gw01");
	unsigned pid = range(300, 65000);
	switch (below(7)) {
	case 0:
		sb_addf(b, "sshd[%u]: Failed password for invalid user %s from ", pid,
		        PICK(first_names));
		gen_ipv4(b);
		sb_addf(b, " port %u ssh2\n", range(1024, 65535));
		break;
	case 1:
		sb_addf(b, "postfix/smtpd[%u]: connect from %s[", pid, host.d);
		gen_ipv4(b);
		sb_add(b, "]\n");
		break;
	case 2:
		sb_addf(b, "postfix/qmgr[%u]: ", pid);
		gen_hex(b, 10, 1);
		sb_add(b, ": from=<");
		gen_email(b);
		sb_addf(b, ">, size=%u, nrcpt=1 (queue active)\n", range(500, 90000));
		break;
	case 3:
		sb_addf(b, "postfix/smtp[%u]: ", pid);
		gen_hex(b, 10, 1);
		sb_add(b, ": to=<");
		gen_email(b);
		sb_addf(b, ">, relay=%s[", host.d);
		gen_ipv4(b);
		sb_addf(b, "]:25, delay=%u.%u, dsn=2.0.0, status=sent (250 2.0.0 OK)\n", below(10),
		        below(10));
		break;
	case 4:
		sb_addf(b, "kernel: [%u.%06u] IN=eth0 OUT= MAC=00:1a:2b:%02x:%02x:%02x SRC=",
		        range(1000, 999999), below(1000000), below(256), below(256), below(256));
		gen_ipv4(b);
		sb_add(b, " DST=");
		gen_ipv4(b);
		sb_addf(b, " LEN=60 TTL=%u PROTO=TCP SPT=%u DPT=%u\n", range(32, 128),
		        range(1024, 65535), chance(50) ? 22 : 445);
		break;
	case 5:
		sb_add(b, "Received: from ");
		sb_addf(b, "%s (%s [", host.d, host.d);
		gen_ipv4(b);
		sb_add(b, "]) by mx.example.net with ESMTPS id ");
		gen_hex(b, 12, 1);
		sb_add(b, "\n");
		break;
	default:
		sb_add(b, "Message-ID: <");
		gen_hex(b, 16, 0);
		sb_addf(b, "@%s>\n", host.d);
		break;
	}
}

/* Text that looks like indicators to a naive regex but is not. */
static void gen_bait_line(struct sb *b)
{
	static const char *const files[] = {"setup.exe", "report.pdf", "archive.tar.gz",
	                                    "readme.md", "install.sh", "script.py",
	                                    "main.rs",   "data.zip",   "photo.jpg",
	                                    "index.php", "movie.mov",  "config.json"};
	static const char *const code[] = {"os.path.join(a, b)",
	                                   "System.out.println(x);",
	                                   "window.location.href = url;",
	                                   "self.assertEqual(x, y)",
	                                   "np.array(values).reshape(2, 3)",
	                                   "foo.bar(baz)"};
	switch (below(6)) {
	case 0:
		sb_addf(b, "Dropped %s and %s into %%TEMP%%, then ran %s.\n", PICK(files),
		        PICK(files), PICK(files));
		break;
	case 1:
		sb_addf(b,
		        "Upgraded openssl %u.%u.%u to v%u.%u.%u-beta (build %u.%u.%u.%u), "
		        "kernel %u.%u.0-%u-generic.\n",
		        range(1, 3), below(10), below(20), range(1, 4), below(10), below(10),
		        range(1, 20), below(10), below(100), below(1000), range(4, 6), below(20),
		        range(10, 99));
		break;
	case 2: sb_addf(b, "    %s  // %s\n", PICK(code), PICK(code)); break;
	case 3:
		sb_addf(b,
		        "OID 1.3.6.1.4.1.%u.%u.%u at %02u:%02u:%02u, ratio %u.%02u, e.g. and "
		        "i.e. at 9 a.m.\n",
		        range(100, 50000), below(30), below(10), below(24), below(60), below(60),
		        below(10), below(100));
		break;
	case 4:
		sb_add(b, "build-id ");
		gen_hex(b, range(33, 39), 0);
		sb_add(b, " blob ");
		gen_hex(b, range(44, 60), 0);
		sb_add(b, " commit ");
		gen_hex(b, 7, 0);
		sb_add(b, " 0x");
		gen_hex(b, 16, 0);
		sb_add(b, "\n");
		break;
	default:
		sb_add(b, "request ");
		gen_hex(b, 8, 0);
		sb_addc(b, '-');
		gen_hex(b, 4, 0);
		sb_add(b, "-4");
		gen_hex(b, 3, 0);
		sb_add(b, "-a");
		gen_hex(b, 3, 0);
		sb_addc(b, '-');
		gen_hex(b, 12, 0);
		sb_addf(b, " took %u.%03u s, status=%u, tel 0%u %u\n", below(5), below(1000),
		        range(0, 3), range(100, 999), range(100000, 999999));
		break;
	}
}

/* One block of text: a paragraph or a few lines of one kind. */
static void gen_block(struct sb *b)
{
	uint32_t r = below(100);
	if (r < 35) {
		gen_paragraph(b);
	} else if (r < 45) {
		for (unsigned i = range(1, 4); i > 0; i--)
			gen_defanged_line(b);
	} else if (r < 70) {
		for (unsigned i = range(1, 6); i > 0; i--)
			gen_apache_line(b);
	} else if (r < 88) {
		for (unsigned i = range(1, 5); i > 0; i--)
			gen_syslog_line(b);
	} else {
		gen_bait_line(b);
	}
}

/* ---- output ------------------------------------------------------------ */

static char out_buf[OUT_MAX];
static size_t out_used;

static void out_flush(void)
{
	if (out_used > 0 && fwrite(out_buf, 1, out_used, stdout) != out_used) {
		perror("gen-text: write");
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

/* The tail of the file: plain ASCII words up to exactly n bytes, ending in a
 * newline, so that the total size is exact without cutting a UTF-8 sequence. */
static void out_padding(size_t n)
{
	SB_LOCAL(pad, BLOCK_MAX);
	while (pad.n + 1 < n && pad.n + 1 < pad.cap - 1) {
		sb_add(&pad, PICK(words));
		sb_addc(&pad, ' ');
	}
	if (n > 0) {
		pad.d[n - 1] = '\n';
		out_write(pad.d, n);
	}
}

int main(int argc, char **argv)
{
	unsigned long mb = 100;
	if (argc > 2 || (argc == 2 && (argv[1][0] < '0' || argv[1][0] > '9'))) {
		fprintf(stderr, "usage: gen-text [MB]\n");
		return 2;
	}
	if (argc == 2) {
		char *end;
		mb = strtoul(argv[1], &end, 10);
		if (*end != '\0' || mb == 0 || mb > 100000) {
			fprintf(stderr, "gen-text: size must be 1..100000 (MB)\n");
			return 2;
		}
	}
	uint64_t seed = 0x63726978u; /* "crix" */
	rng_state = splitmix64(&seed);

	uint64_t limit = mb * MEGABYTE, written = 0;
	static char block_mem[BLOCK_MAX];
	struct sb block = {block_mem, sizeof block_mem, 0};
	for (;;) {
		block.n = 0;
		block.d[0] = '\0';
		gen_block(&block);
		if (written + block.n > limit)
			break;
		out_write(block.d, block.n);
		written += block.n;
	}
	out_padding((size_t)(limit - written));
	out_flush();
	if (fflush(stdout) != 0) {
		perror("gen-text: write");
		return 1;
	}
	return 0;
}
