/*
 * phone.c - telephone numbers, canonicalised to E.164 ("+442079460958").
 *
 * A number is read in two steps.  First the text is cut into digit groups
 * (tokenise): an optional '+', then groups of digits or "(digits)", with at
 * most one separator (' ', '-' or '.') between two groups.  Then the digits
 * are resolved against the table of ITU country calling codes below: the
 * international prefix ('+', "00", or "011" for NANP countries) is dropped,
 * the calling code is found (the codes are prefix-free, so at most one
 * matches), a "(0)" trunk hint after it is dropped, or for a national number
 * the default country's trunk prefix is stripped.  The national significant
 * number (NSN) is checked against the country's length bounds, or against
 * the generic E.164 bounds (8..15 digits in all) for the other countries.
 *
 * The parser accepts any such spelling of a whole value.  The scanner is
 * stricter, because free text is full of digit runs that are not phone
 * numbers: see ioc_scan_phone.
 */
#include "ioc/ioc_int.h"

#include <string.h>

#define E164_MAX         15 /* digits after the '+' */
#define E164_GENERIC_MIN 8  /* digits after the '+' when the country has no bounds */
#define TOK_DIGITS_CAP   32 /* digits the tokeniser reads before giving up */
#define TOK_GROUPS_CAP   16

/*
 * One row per country (or non-geographic service) and calling code.  Rows
 * that share a calling code (GB, GG, JE, IM) have the same trunk prefix and
 * bounds; the first of them is the one used for international numbers.
 */
struct phone_country {
	const char *cc;    /* calling code digits */
	const char *iso;   /* ISO 3166-1 alpha-2; "" for non-geographic codes */
	const char *trunk; /* national trunk prefixes, '|'-separated; "" if none */
	uint8_t nsn_min;   /* bounds of the national significant number; */
	uint8_t nsn_max;   /* 0, 0: unknown, the generic E.164 bounds apply */
	const char *lead;  /* no-trunk countries: digits a national number starts
	                      with, so the scanner can recognise one; "" = never */
};

#define NANP(iso)                                                                                  \
	{                                                                                          \
		"1", iso, "1", 10, 10, ""                                                          \
	}

static const struct phone_country phone_countries[] = {
        /* Zone 1: the North American Numbering Plan. */
        NANP("US"),
        NANP("CA"),
        NANP("AG"),
        NANP("AI"),
        NANP("AS"),
        NANP("BB"),
        NANP("BM"),
        NANP("BS"),
        NANP("DM"),
        NANP("DO"),
        NANP("GD"),
        NANP("GU"),
        NANP("JM"),
        NANP("KN"),
        NANP("KY"),
        NANP("LC"),
        NANP("MP"),
        NANP("MS"),
        NANP("PR"),
        NANP("SX"),
        NANP("TC"),
        NANP("TT"),
        NANP("VC"),
        NANP("VG"),
        NANP("VI"),
        /* Zone 2: Africa and some islands. */
        {"20", "EG", "0", 8, 10, ""},
        {"211", "SS", "0", 0, 0, ""},
        {"212", "MA", "0", 0, 0, ""},
        {"212", "EH", "0", 0, 0, ""},
        {"213", "DZ", "0", 0, 0, ""},
        {"216", "TN", "", 0, 0, ""},
        {"218", "LY", "0", 0, 0, ""},
        {"220", "GM", "", 0, 0, ""},
        {"221", "SN", "", 0, 0, ""},
        {"222", "MR", "", 0, 0, ""},
        {"223", "ML", "", 0, 0, ""},
        {"224", "GN", "", 0, 0, ""},
        {"225", "CI", "", 0, 0, ""},
        {"226", "BF", "", 0, 0, ""},
        {"227", "NE", "", 0, 0, ""},
        {"228", "TG", "", 0, 0, ""},
        {"229", "BJ", "", 0, 0, ""},
        {"230", "MU", "", 0, 0, ""},
        {"231", "LR", "0", 0, 0, ""},
        {"232", "SL", "0", 0, 0, ""},
        {"233", "GH", "0", 0, 0, ""},
        {"234", "NG", "0", 8, 10, ""},
        {"235", "TD", "", 0, 0, ""},
        {"236", "CF", "", 0, 0, ""},
        {"237", "CM", "", 0, 0, ""},
        {"238", "CV", "", 0, 0, ""},
        {"239", "ST", "", 0, 0, ""},
        {"240", "GQ", "", 0, 0, ""},
        {"241", "GA", "", 0, 0, ""},
        {"242", "CG", "", 0, 0, ""},
        {"243", "CD", "0", 0, 0, ""},
        {"244", "AO", "", 0, 0, ""},
        {"245", "GW", "", 0, 0, ""},
        {"246", "IO", "", 0, 0, ""},
        {"247", "AC", "", 0, 0, ""},
        {"248", "SC", "", 0, 0, ""},
        {"249", "SD", "0", 0, 0, ""},
        {"250", "RW", "0", 0, 0, ""},
        {"251", "ET", "0", 0, 0, ""},
        {"252", "SO", "0", 0, 0, ""},
        {"253", "DJ", "", 0, 0, ""},
        {"254", "KE", "0", 9, 9, ""},
        {"255", "TZ", "0", 0, 0, ""},
        {"256", "UG", "0", 0, 0, ""},
        {"257", "BI", "", 0, 0, ""},
        {"258", "MZ", "", 0, 0, ""},
        {"260", "ZM", "0", 0, 0, ""},
        {"261", "MG", "0", 0, 0, ""},
        {"262", "RE", "0", 0, 0, ""},
        {"262", "YT", "0", 0, 0, ""},
        {"263", "ZW", "0", 0, 0, ""},
        {"264", "NA", "0", 0, 0, ""},
        {"265", "MW", "0", 0, 0, ""},
        {"266", "LS", "", 0, 0, ""},
        {"267", "BW", "", 0, 0, ""},
        {"268", "SZ", "", 0, 0, ""},
        {"269", "KM", "", 0, 0, ""},
        {"27", "ZA", "0", 9, 9, ""},
        {"290", "SH", "", 0, 0, ""},
        {"290", "TA", "", 0, 0, ""},
        {"291", "ER", "0", 0, 0, ""},
        {"297", "AW", "", 0, 0, ""},
        {"298", "FO", "", 0, 0, ""},
        {"299", "GL", "", 0, 0, ""},
        /* Zones 3 and 4: Europe. */
        {"30", "GR", "", 10, 10, "26"},
        {"31", "NL", "0", 7, 10, ""},
        {"32", "BE", "0", 8, 9, ""},
        {"33", "FR", "0", 9, 9, ""},
        {"34", "ES", "", 9, 9, "6789"},
        {"350", "GI", "", 8, 8, ""},
        {"351", "PT", "", 9, 9, "29"},
        {"352", "LU", "", 4, 11, ""},
        {"353", "IE", "0", 7, 10, ""},
        {"354", "IS", "", 7, 9, ""},
        {"355", "AL", "0", 0, 0, ""},
        {"356", "MT", "", 8, 8, ""},
        {"357", "CY", "", 8, 8, ""},
        {"358", "FI", "0", 5, 12, ""},
        {"358", "AX", "0", 5, 12, ""},
        {"359", "BG", "0", 6, 9, ""},
        {"36", "HU", "06", 8, 9, ""},
        {"370", "LT", "8|0", 8, 8, ""},
        {"371", "LV", "", 8, 8, ""},
        {"372", "EE", "", 7, 10, ""},
        {"373", "MD", "0", 0, 0, ""},
        {"374", "AM", "0", 0, 0, ""},
        {"375", "BY", "80|8", 0, 0, ""},
        {"376", "AD", "", 0, 0, ""},
        {"377", "MC", "0", 0, 0, ""},
        {"378", "SM", "", 0, 0, ""},
        {"380", "UA", "0", 9, 9, ""},
        {"381", "RS", "0", 0, 0, ""},
        {"382", "ME", "0", 0, 0, ""},
        {"383", "XK", "0", 0, 0, ""},
        {"385", "HR", "0", 8, 9, ""},
        {"386", "SI", "0", 8, 8, ""},
        {"387", "BA", "0", 0, 0, ""},
        {"389", "MK", "0", 0, 0, ""},
        /* Italy keeps the leading 0 of its area codes: +39 06 ... */
        {"39", "IT", "", 6, 11, "03"},
        {"39", "VA", "", 6, 11, "03"},
        {"40", "RO", "0", 9, 9, ""},
        {"41", "CH", "0", 9, 9, ""},
        {"420", "CZ", "", 9, 9, ""},
        {"421", "SK", "0", 9, 9, ""},
        {"423", "LI", "", 7, 9, ""},
        {"43", "AT", "0", 5, 13, ""},
        {"44", "GB", "0", 9, 10, ""},
        {"44", "GG", "0", 9, 10, ""},
        {"44", "JE", "0", 9, 10, ""},
        {"44", "IM", "0", 9, 10, ""},
        {"45", "DK", "", 8, 8, ""},
        {"46", "SE", "0", 7, 9, ""},
        {"47", "NO", "", 8, 8, ""},
        {"47", "SJ", "", 8, 8, ""},
        {"48", "PL", "", 9, 9, ""},
        {"49", "DE", "0", 6, 13, ""},
        /* Zone 5: Latin America. */
        {"500", "FK", "", 0, 0, ""},
        {"501", "BZ", "", 0, 0, ""},
        {"502", "GT", "", 0, 0, ""},
        {"503", "SV", "", 0, 0, ""},
        {"504", "HN", "", 0, 0, ""},
        {"505", "NI", "", 0, 0, ""},
        {"506", "CR", "", 0, 0, ""},
        {"507", "PA", "", 0, 0, ""},
        {"508", "PM", "0", 0, 0, ""},
        {"509", "HT", "", 0, 0, ""},
        {"51", "PE", "0", 0, 0, ""},
        {"52", "MX", "", 10, 10, ""},
        {"53", "CU", "0", 0, 0, ""},
        {"54", "AR", "0", 10, 11, ""},
        {"55", "BR", "0", 10, 11, ""},
        {"56", "CL", "", 9, 9, ""},
        {"57", "CO", "", 10, 10, ""},
        {"58", "VE", "0", 0, 0, ""},
        {"590", "GP", "0", 0, 0, ""},
        {"590", "BL", "0", 0, 0, ""},
        {"590", "MF", "0", 0, 0, ""},
        {"591", "BO", "0", 0, 0, ""},
        {"592", "GY", "", 0, 0, ""},
        {"593", "EC", "0", 0, 0, ""},
        {"594", "GF", "0", 0, 0, ""},
        {"595", "PY", "0", 0, 0, ""},
        {"596", "MQ", "0", 0, 0, ""},
        {"597", "SR", "", 0, 0, ""},
        {"598", "UY", "0", 0, 0, ""},
        {"599", "CW", "", 0, 0, ""},
        {"599", "BQ", "", 0, 0, ""},
        /* Zone 6: South-East Asia and Oceania. */
        {"60", "MY", "0", 8, 10, ""},
        {"61", "AU", "0", 9, 10, ""},
        {"61", "CX", "0", 9, 10, ""},
        {"61", "CC", "0", 9, 10, ""},
        {"62", "ID", "0", 8, 12, ""},
        {"63", "PH", "0", 8, 10, ""},
        {"64", "NZ", "0", 8, 10, ""},
        {"65", "SG", "", 8, 8, ""},
        {"66", "TH", "0", 8, 9, ""},
        {"670", "TL", "", 0, 0, ""},
        {"672", "NF", "", 0, 0, ""},
        {"673", "BN", "", 0, 0, ""},
        {"674", "NR", "", 0, 0, ""},
        {"675", "PG", "", 0, 0, ""},
        {"676", "TO", "", 0, 0, ""},
        {"677", "SB", "", 0, 0, ""},
        {"678", "VU", "", 0, 0, ""},
        {"679", "FJ", "", 0, 0, ""},
        {"680", "PW", "", 0, 0, ""},
        {"681", "WF", "", 0, 0, ""},
        {"682", "CK", "", 0, 0, ""},
        {"683", "NU", "", 0, 0, ""},
        {"685", "WS", "", 0, 0, ""},
        {"686", "KI", "", 0, 0, ""},
        {"687", "NC", "", 0, 0, ""},
        {"688", "TV", "", 0, 0, ""},
        {"689", "PF", "", 0, 0, ""},
        {"690", "TK", "", 0, 0, ""},
        {"691", "FM", "", 0, 0, ""},
        {"692", "MH", "", 0, 0, ""},
        /* Zone 7: Russia and Kazakhstan share +7 and the trunk prefix 8. */
        {"7", "RU", "8", 10, 10, ""},
        {"7", "KZ", "8", 10, 10, ""},
        /* Zone 8: East Asia and global services. */
        {"800", "", "", 8, 8, ""}, /* international freephone */
        {"808", "", "", 8, 8, ""}, /* international shared cost */
        {"81", "JP", "0", 9, 10, ""},
        {"82", "KR", "0", 8, 10, ""},
        {"84", "VN", "0", 9, 10, ""},
        {"850", "KP", "0", 0, 0, ""},
        {"852", "HK", "", 8, 8, ""},
        {"853", "MO", "", 8, 8, ""},
        {"855", "KH", "0", 0, 0, ""},
        {"856", "LA", "0", 0, 0, ""},
        {"86", "CN", "0", 9, 11, ""},
        {"870", "", "", 9, 9, ""}, /* Inmarsat */
        {"880", "BD", "0", 0, 0, ""},
        {"881", "", "", 0, 0, ""}, /* global mobile satellite */
        {"882", "", "", 0, 0, ""}, /* international networks */
        {"883", "", "", 0, 0, ""}, /* international networks */
        {"886", "TW", "0", 0, 0, ""},
        /* Zone 9: West, Central and South Asia. */
        {"90", "TR", "0", 10, 10, ""},
        {"91", "IN", "0", 10, 10, ""},
        {"92", "PK", "0", 9, 10, ""},
        {"93", "AF", "0", 0, 0, ""},
        {"94", "LK", "0", 0, 0, ""},
        {"95", "MM", "0", 0, 0, ""},
        {"960", "MV", "", 0, 0, ""},
        {"961", "LB", "0", 0, 0, ""},
        {"962", "JO", "0", 0, 0, ""},
        {"963", "SY", "0", 0, 0, ""},
        {"964", "IQ", "0", 0, 0, ""},
        {"965", "KW", "", 0, 0, ""},
        {"966", "SA", "0", 8, 9, ""},
        {"967", "YE", "0", 0, 0, ""},
        {"968", "OM", "", 0, 0, ""},
        {"970", "PS", "0", 0, 0, ""},
        {"971", "AE", "0", 8, 9, ""},
        {"972", "IL", "0", 8, 9, ""},
        {"973", "BH", "", 0, 0, ""},
        {"974", "QA", "", 0, 0, ""},
        {"975", "BT", "", 0, 0, ""},
        {"976", "MN", "0", 0, 0, ""},
        {"977", "NP", "0", 0, 0, ""},
        {"979", "", "", 0, 0, ""}, /* international premium rate */
        {"98", "IR", "0", 0, 0, ""},
        {"992", "TJ", "8", 0, 0, ""},
        {"993", "TM", "8", 0, 0, ""},
        {"994", "AZ", "0", 0, 0, ""},
        {"995", "GE", "0", 0, 0, ""},
        {"996", "KG", "0", 0, 0, ""},
        {"998", "UZ", "8", 0, 0, ""},
};

#define PHONE_NCOUNTRIES (sizeof phone_countries / sizeof phone_countries[0])

/* The first row of calling code d[0..n), or NULL when it is not assigned. */
static const struct phone_country *country_by_cc(const char *d, size_t n)
{
	for (size_t i = 0; i < PHONE_NCOUNTRIES; i++) {
		const char *cc = phone_countries[i].cc;
		if (strlen(cc) == n && memcmp(cc, d, n) == 0)
			return &phone_countries[i];
	}
	return NULL;
}

/* The row of an ISO 3166-1 alpha-2 code in either case, or NULL. */
static const struct phone_country *country_by_iso(const char *iso)
{
	if (strlen(iso) != 2)
		return NULL;
	char up[3] = {(char)ioc_upper((unsigned char)iso[0]),
	              (char)ioc_upper((unsigned char)iso[1]), '\0'};
	for (size_t i = 0; i < PHONE_NCOUNTRIES; i++)
		if (strcmp(phone_countries[i].iso, up) == 0)
			return &phone_countries[i];
	return NULL;
}

static bool is_nanp(const struct phone_country *c)
{
	return strcmp(c->cc, "1") == 0;
}

/*
 * Length of the trunk prefix of c that d[0..n) starts with (trying the
 * '|'-separated alternatives in order), or 0 when none does.
 */
static size_t trunk_match(const struct phone_country *c, const char *d, size_t n)
{
	const char *p = c->trunk;
	while (*p != '\0') {
		size_t k = strcspn(p, "|");
		if (k > 0 && k <= n && memcmp(p, d, k) == 0)
			return k;
		p += k;
		if (*p == '|')
			p++;
	}
	return 0;
}

/* Length of the first trunk alternative of c (for messages). */
static int trunk_first_len(const struct phone_country *c)
{
	return (int)strcspn(c->trunk, "|");
}

/*
 * Whether c uses a trunk prefix starting with 0: its national significant
 * numbers then never start with 0, so "+44 020 ..." is a mistake.
 */
static bool trunk_is_zero(const struct phone_country *c)
{
	const char *p = c->trunk;
	for (;;) {
		if (*p == '0')
			return true;
		p = strchr(p, '|');
		if (p == NULL)
			return false;
		p++;
	}
}

/* A digit group: digits[start .. start+len) of the token list. */
struct phone_group {
	uint8_t start;
	uint8_t len;
	bool paren; /* written "(digits)" */
	char sep;   /* separator before the group: ' ', '-', '.', or 0 */
};

struct phone_tok {
	bool plus;
	bool overflow; /* more than TOK_DIGITS_CAP digits or TOK_GROUPS_CAP groups */
	size_t ndigits;
	char digits[TOK_DIGITS_CAP];
	struct phone_group g[TOK_GROUPS_CAP];
	size_t ngroups;
	size_t end; /* bytes of s consumed: up to the end of the last group */
};

static bool is_sep(unsigned char c)
{
	return c == ' ' || c == '-' || c == '.';
}

/* Whether s[i..n) starts a group: a digit, or '(' digit. */
static bool group_starts(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return false;
	if (ioc_is_digit((unsigned char)s[i]))
		return true;
	return s[i] == '(' && i + 1 < n && ioc_is_digit((unsigned char)s[i + 1]);
}

/*
 * Cuts s[0..n) into digit groups, stopping at the first byte that cannot
 * continue the number (a separator is taken only when a group follows it).
 * Never reads past s[n-1].  OUT: *tok; tok->end says how far it got.
 */
static void tokenise(const char *s, size_t n, struct phone_tok *tok)
{
	memset(tok, 0, sizeof *tok);
	size_t i = 0;
	if (n > 0 && s[0] == '+') {
		tok->plus = true;
		i = 1;
		/* "+(44)" is not a calling code: the '+' takes digits only. */
		if (i >= n || !ioc_is_digit((unsigned char)s[i]))
			return;
	}
	char sep = 0;
	while (group_starts(s, n, i)) {
		size_t j = i;
		bool paren = s[j] == '(';
		if (paren)
			j++;
		size_t first = tok->ndigits;
		while (j < n && ioc_is_digit((unsigned char)s[j])) {
			/* Stop early: a long digit run is never a phone number,
			 * and scanning it to its end would cost time per call. */
			if (tok->ndigits == TOK_DIGITS_CAP) {
				tok->overflow = true;
				tok->end = j;
				return;
			}
			tok->digits[tok->ndigits++] = s[j++];
		}
		if (paren) {
			if (j >= n || s[j] != ')') {
				/* "(12" without ')': the number ends before it. */
				tok->ndigits = first;
				break;
			}
			j++;
		}
		if (tok->ngroups == TOK_GROUPS_CAP) {
			tok->overflow = true;
			tok->end = j;
			return;
		}
		tok->g[tok->ngroups++] = (struct phone_group){
		        .start = (uint8_t)first,
		        .len = (uint8_t)(tok->ndigits - first),
		        .paren = paren,
		        .sep = sep,
		};
		i = tok->end = j;
		sep = 0;
		if (i < n && is_sep((unsigned char)s[i]) && group_starts(s, n, i + 1)) {
			sep = s[i];
			i++;
		}
	}
}

/* The index of the group holding digit k. */
static size_t group_of(const struct phone_tok *tok, size_t k)
{
	for (size_t i = 0; i < tok->ngroups; i++)
		if (k < (size_t)tok->g[i].start + tok->g[i].len)
			return i;
	return tok->ngroups;
}

/* How the number was written. */
enum phone_form {
	FORM_PLUS,     /* +44 ... */
	FORM_00,       /* 0044 ... */
	FORM_011,      /* 011 44 ... (NANP countries) */
	FORM_NATIONAL, /* 020 ... with a default country */
};

/* A resolved number. */
struct phone_num {
	enum phone_form form;
	size_t prefix;                    /* digits of the international prefix (0, 2 or 3) */
	size_t nsn_from;                  /* index of the first digit of the NSN in tok */
	const struct phone_country *home; /* the default country, or NULL */
	const struct phone_country *c;    /* the row of the calling code */
	char e164[E164_MAX + 2];          /* "+" digits, NUL-terminated */
	size_t e164_len;
};

/*
 * Checks the national significant number nsn[0..n) of country c: E.164
 * length, the trunk prefix rule, the country's bounds, and NANP's rules.
 * The NANP exchange rule is applied to national numbers only: international
 * examples such as "+1 (555) 123-4567" are written with made-up exchanges.
 */
static int check_nsn(const struct phone_country *c, const char *nsn, size_t n, bool national,
                     struct crix_error *err)
{
	size_t cclen = strlen(c->cc);
	if (cclen + n > E164_MAX)
		return crix_error_set(err, CRIX_EINVAL,
		                      "phone: %zu digits, E.164 allows at most %d", cclen + n,
		                      E164_MAX);
	if (trunk_is_zero(c) && nsn[0] == '0')
		return crix_error_set(
		        err, CRIX_EINVAL,
		        "phone: +%s numbers do not start with 0 after the calling code "
		        "(the trunk prefix 0 is dropped)",
		        c->cc);
	if (c->nsn_min != 0) {
		if (n < c->nsn_min || n > c->nsn_max) {
			if (c->nsn_min == c->nsn_max)
				return crix_error_set(err, CRIX_EINVAL,
				                      "phone: +%s numbers have %d digits after "
				                      "the calling code, this has %zu",
				                      c->cc, c->nsn_min, n);
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: +%s numbers have %d to %d digits after the "
			                      "calling code, this has %zu",
			                      c->cc, c->nsn_min, c->nsn_max, n);
		}
	} else if (cclen + n < E164_GENERIC_MIN) {
		return crix_error_set(
		        err, CRIX_EINVAL,
		        "phone: %zu digits, too short for an E.164 number (at least %d)", cclen + n,
		        E164_GENERIC_MIN);
	}
	if (is_nanp(c)) {
		/* n == 10 here: the bounds of NANP rows are 10..10. */
		if (nsn[0] == '0' || nsn[0] == '1')
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: NANP area code %.3s cannot start with 0 or 1",
			                      nsn);
		if (national && (nsn[3] == '0' || nsn[3] == '1'))
			return crix_error_set(
			        err, CRIX_EINVAL,
			        "phone: NANP exchange code %.3s cannot start with 0 or 1", nsn + 3);
	}
	return 0;
}

/*
 * Resolves the groups of tok to an E.164 number, country being the default
 * country for national numbers ("" or NULL: none).  OUT: *num.
 */
static int resolve(const struct phone_tok *tok, const char *country, struct phone_num *num,
                   struct crix_error *err)
{
	memset(num, 0, sizeof *num);
	const char *d = tok->digits;
	size_t nd = tok->ndigits;
	/* An unknown default country matters only to a national number. */
	bool has_home = country != NULL && country[0] != '\0';
	if (has_home)
		num->home = country_by_iso(country);
	if (tok->plus) {
		num->form = FORM_PLUS;
	} else if (nd >= 2 && !tok->g[0].paren && d[0] == '0' && d[1] == '0') {
		/* No national number starts with 00: it is always the
		 * international prefix. */
		if (tok->g[0].len < 2)
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: the international prefix 00 is split by a "
			                      "separator");
		num->form = FORM_00;
		num->prefix = 2;
	} else if (num->home != NULL && is_nanp(num->home) && tok->g[0].len >= 3 &&
	           !tok->g[0].paren && memcmp(d, "011", 3) == 0) {
		num->form = FORM_011;
		num->prefix = 3;
	} else {
		num->form = FORM_NATIONAL;
	}

	char nsn[TOK_DIGITS_CAP];
	size_t nsn_len = 0;
	if (num->form != FORM_NATIONAL) {
		size_t at = num->prefix, cclen = 0;
		for (size_t l = 1; l <= 3 && at + l <= nd && num->c == NULL; l++) {
			num->c = country_by_cc(d + at, l);
			cclen = l;
		}
		if (nd == at)
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: no digits after the international prefix");
		if (num->c == NULL)
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: unknown country calling code +%.*s",
			                      (int)(nd - at < 3 ? nd - at : 3), d + at);
		size_t gi = group_of(tok, at + cclen - 1);
		if (group_of(tok, at) != gi)
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: calling code +%s is split by a separator",
			                      num->c->cc);
		size_t from = at + cclen;
		/* "+44 (0)20 ...": the trunk prefix in parentheses is a hint
		 * for national callers, not part of the number. */
		if (gi + 1 < tok->ngroups) {
			const struct phone_group *h = &tok->g[gi + 1];
			if (h->paren && h->start == from &&
			    trunk_match(num->c, d + from, h->len) == h->len)
				from += h->len;
		}
		num->nsn_from = from;
		nsn_len = nd - from;
		memcpy(nsn, d + from, nsn_len);
	} else {
		if (has_home && num->home == NULL)
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: unknown default country '%s'", country);
		if (num->home == NULL)
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: national number needs a default country "
			                      "(or write it as +<calling code> ...)");
		num->c = num->home;
		size_t skip = 0;
		if (is_nanp(num->c)) {
			if (nd == 11 && d[0] == '1')
				skip = 1;
		} else if (num->c->trunk[0] != '\0') {
			skip = trunk_match(num->c, d, nd);
			if (skip == 0)
				return crix_error_set(err, CRIX_EINVAL,
				                      "phone: a national %s number starts with the "
				                      "trunk prefix %.*s",
				                      num->c->iso, trunk_first_len(num->c),
				                      num->c->trunk);
		}
		num->nsn_from = skip;
		nsn_len = nd - skip;
		memcpy(nsn, d + skip, nsn_len);
	}
	if (nsn_len == 0)
		return crix_error_set(err, CRIX_EINVAL,
		                      "phone: no digits after the calling code +%s", num->c->cc);
	int rc = check_nsn(num->c, nsn, nsn_len, num->form == FORM_NATIONAL, err);
	if (rc != 0)
		return rc;
	size_t cclen = strlen(num->c->cc);
	num->e164[0] = '+';
	memcpy(num->e164 + 1, num->c->cc, cclen);
	memcpy(num->e164 + 1 + cclen, nsn, nsn_len);
	num->e164_len = 1 + cclen + nsn_len;
	num->e164[num->e164_len] = '\0';
	return 0;
}

/* Describes the byte at which tokenising s[0..n) stopped short of the end. */
static int syntax_error(const char *s, size_t n, const struct phone_tok *tok,
                        struct crix_error *err)
{
	size_t p = tok->end;
	if (tok->ngroups == 0) {
		if (tok->plus)
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: '+' must be followed by the calling code");
		p = 0;
	} else if (is_sep((unsigned char)s[p])) {
		if (p + 1 == n)
			return crix_error_set(err, CRIX_EINVAL, "phone: trailing separator");
		if (is_sep((unsigned char)s[p + 1]))
			return crix_error_set(err, CRIX_EINVAL,
			                      "phone: two separators in a row at position %zu",
			                      p + 1);
		p++;
	}
	unsigned char c = (unsigned char)s[p];
	if (c == '(' || c == ')')
		return crix_error_set(err, CRIX_EINVAL,
		                      "phone: parentheses must hold one group of digits "
		                      "(position %zu)",
		                      p + 1);
	if (ioc_is_alpha(c))
		return crix_error_set(err, CRIX_EINVAL,
		                      "phone: letters are not allowed ('%c' at position %zu)", c,
		                      p + 1);
	if (c == '+')
		return crix_error_set(err, CRIX_EINVAL,
		                      "phone: '+' is only allowed at the start (position %zu)",
		                      p + 1);
	if (c >= 0x20 && c < 0x7f)
		return crix_error_set(err, CRIX_EINVAL,
		                      "phone: unexpected character '%c' at position %zu", c, p + 1);
	return crix_error_set(err, CRIX_EINVAL, "phone: unexpected byte 0x%02x at position %zu", c,
	                      p + 1);
}

int ioc_parse_phone(const char *s, size_t n, const char *country, struct ioc_value *out,
                    struct crix_error *err)
{
	if (n == 0)
		return crix_error_set(err, CRIX_EINVAL, "phone: empty value");
	struct phone_tok tok;
	tokenise(s, n, &tok);
	if (tok.overflow)
		return crix_error_set(err, CRIX_EINVAL,
		                      "phone: too many digits or groups for a phone number "
		                      "(E.164 allows at most %d digits)",
		                      E164_MAX);
	if (tok.ngroups == 0 || tok.end < n)
		return syntax_error(s, n, &tok, err);
	struct phone_num num;
	int rc = resolve(&tok, country, &num, err);
	if (rc != 0)
		return rc;
	return ioc_value_set(out, IOC_PHONE, num.e164, num.e164_len, err);
}

/* "1.2.3.4" / "192.168.1.1": four dot-separated groups of 1..3 digits. */
static bool looks_like_ipv4(const struct phone_tok *tok)
{
	if (tok->ngroups != 4)
		return false;
	for (size_t i = 0; i < 4; i++) {
		const struct phone_group *g = &tok->g[i];
		if (g->paren || g->len > 3 || (i > 0 && g->sep != '.'))
			return false;
	}
	return true;
}

/* "2024-01-15", "15.01.2024", "1-2-24": three groups joined by the same '-' or
 * '.', shaped like a date. */
static bool looks_like_date(const struct phone_tok *tok)
{
	if (tok->ngroups != 3)
		return false;
	const struct phone_group *g = tok->g;
	if (g[0].paren || g[1].paren || g[2].paren)
		return false;
	if (g[1].sep != g[2].sep || (g[1].sep != '-' && g[1].sep != '.'))
		return false;
	if (g[0].len == 4 && g[1].len <= 2 && g[2].len <= 2)
		return true;
	return g[0].len <= 2 && g[1].len <= 2 && (g[2].len == 2 || g[2].len == 4);
}

/*
 * Rejects groupings that people do not write phone numbers with, but that
 * decimals, measurements and identifiers have: two groups joined by '.'
 * ("80.4027351"), '.' mixed with '-' ("05.34 9-5-73.6"), '.' with other
 * separators past the first one ("8546.41 80"), a lone trunk 0 ("0 20 ..."),
 * and single digits inside the national number ("09 639-0-07687"; a single
 * digit is fine as its first group, "+33 1 23 ...", or before it, "8 (495)"),
 * and parentheses past the area code ("3(030)77").
 * "+1 555.123.4567" and "+33 (0)1 23 45 67 89" pass.
 */
static bool grouping_plausible(const struct phone_tok *tok, const struct phone_num *num)
{
	const struct phone_group *g = tok->g;
	bool dot = false, dash = false;
	for (size_t i = 1; i < tok->ngroups; i++) {
		dot = dot || g[i].sep == '.';
		dash = dash || g[i].sep == '-';
	}
	if (dot && (dash || tok->ngroups == 2))
		return false;
	for (size_t i = 0; dot && i < tok->ngroups; i++)
		if (g[i].len > 4) /* "+20 8.1094953" is a decimal */
			return false;
	if (num->form == FORM_NATIONAL && g[0].len == 1 && !g[0].paren && tok->digits[0] == '0')
		return false;
	for (size_t i = 0; i < tok->ngroups; i++) {
		if (dot && i >= 2 && g[i].sep != '.' && g[i].sep != 0)
			return false;
		if (g[i].len == 1 && !g[i].paren && g[i].start > num->nsn_from)
			return false;
		/* Parentheses hold the area code or the "(0)" hint, nothing later. */
		if (g[i].paren && g[i].start > num->nsn_from)
			return false;
	}
	return true;
}

/*
 * The NANP national shapes: "(NXX) NXX-XXXX", "NXX-NXX-XXXX" (the same
 * separator twice: '-', '.' or ' '), optionally after "1 " or "1-".
 */
static bool nanp_shape(const struct phone_tok *tok)
{
	const struct phone_group *g = tok->g;
	size_t k = 0;
	if (tok->ngroups == 4 && g[0].len == 1 && !g[0].paren && tok->digits[0] == '1')
		k = 1;
	if (tok->ngroups != k + 3)
		return false;
	if (g[k].len != 3 || g[k + 1].len != 3 || g[k + 2].len != 4 || g[k + 1].paren ||
	    g[k + 2].paren || g[k + 2].sep == 0)
		return false;
	if (g[k].paren)
		return g[k + 1].sep == 0 || g[k + 1].sep == ' ';
	return g[k + 1].sep == g[k + 2].sep;
}

/*
 * Whether the number in tok has a shape that free text may be trusted with
 * (the digits have already been resolved to num).
 */
static bool scan_shape_ok(const struct phone_tok *tok, const struct phone_num *num)
{
	if (looks_like_ipv4(tok) || looks_like_date(tok) || !grouping_plausible(tok, num))
		return false;
	switch (num->form) {
	case FORM_PLUS: return true;
	case FORM_00:
	case FORM_011: {
		/* Only grouped, with the calling code ending a group: the first
		 * ("0044 20 ...") or the second ("00 44 20 ..."). */
		size_t g0 = tok->g[0].len, cc_end = num->prefix + strlen(num->c->cc);
		if (tok->ngroups < 2)
			return false;
		return g0 == cc_end || (g0 == num->prefix && tok->g[1].len == cc_end - g0);
	}
	case FORM_NATIONAL:
		if (num->c->nsn_min == 0 || tok->ngroups < 2)
			return false;
		if (is_nanp(num->c))
			return nanp_shape(tok);
		if (num->c->trunk[0] != '\0')
			return true; /* resolve() found the trunk prefix */
		return strchr(num->c->lead, tok->digits[0]) != NULL;
	}
	return false;
}

/*
 * Free-text scanner: see ioc_int.h.  Precision comes first: the shapes
 * accepted are '+' numbers, "00"/"011" numbers written in groups, and, with a
 * default country, national numbers of that country's shape.  The whole run
 * of digit groups must be one valid number: "+44 20 7946 0958 2024" is not
 * cut down to a shorter number.
 */
size_t ioc_scan_phone(const char *t, size_t len, size_t pos, const char *country,
                      struct ioc_value *out)
{
	if (t == NULL || pos >= len)
		return 0;
	unsigned char c0 = (unsigned char)t[pos];
	if (c0 != '+' && c0 != '(' && !ioc_is_digit(c0))
		return 0;
	if (pos > 0) {
		unsigned char p = (unsigned char)t[pos - 1];
		if (ioc_is_alnum(p) || p == '+')
			return 0;
		/* "12-020 7946 0958": the tail of a longer digit sequence. */
		if (c0 != '+' && pos >= 2 && (is_sep(p) || p == '/') &&
		    ioc_is_digit((unsigned char)t[pos - 2]))
			return 0;
	}
	struct phone_tok tok;
	tokenise(t + pos, len - pos, &tok);
	if (tok.overflow || tok.ngroups == 0)
		return 0;
	size_t end = pos + tok.end;
	if (end < len) {
		unsigned char c = (unsigned char)t[end];
		bool more = end + 1 < len && ioc_is_alnum((unsigned char)t[end + 1]);
		if (ioc_is_alnum(c) || c == '_' || c == '@' || c == '+')
			return 0;
		/* "...0958/9", "...0958:80", "...0958,0959", "+1-800-FLOWERS" */
		if (more && (c == '/' || c == ':' || c == ',' || c == '-'))
			return 0;
	}
	struct phone_num num;
	if (resolve(&tok, country, &num, NULL) != 0)
		return 0;
	if (!scan_shape_ok(&tok, &num))
		return 0;
	if (out != NULL && ioc_value_set(out, IOC_PHONE, num.e164, num.e164_len, NULL) != 0)
		return 0;
	return tok.end;
}
