/*
 * extract.c - find every indicator in free text.
 *
 * One pass over the bytes.  A byte-class table finds the places where a
 * token can start (the previous byte does not continue a word); there the
 * recognisers are tried from the most to the least specific, and a token that
 * none accepts is skipped whole, so that nothing is ever found inside a longer
 * word ("x1.2.3.4", a hash inside a longer hex run).  Only tokens whose shape
 * fits a type reach a canonicaliser, which is what keeps this fast: ordinary
 * words cost a table lookup per byte.
 */
#include "ioc/ioc_int.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum {
	C_WORD = 1 << 0,  /* continues a word: a token must not start after it */
	C_START = 1 << 1, /* a token may start here */
	C_RUN = 1 << 2,   /* part of a domain/email/ip/hash run */
	C_HEX = 1 << 3,
	C_URLEND = 1 << 4, /* ends a URL */
	C_TRIG = 1 << 5    /* every indicator holds one: digit . @ : + newline, non-ASCII */
};

static uint8_t cls[256];

static void init_classes(void)
{
	for (int c = 0; c < 256; c++) {
		uint8_t k = 0;
		if (ioc_is_alnum((unsigned char)c) || c >= 0x80)
			k |= C_WORD | C_START | C_RUN;
		if (c == '_' || c == '-' || c == '.' || c == '@' || c == '$' || c == '%')
			k |= C_WORD;
		if (c == '_' || c == '-' || c == '.' || c == '@' || c == '+')
			k |= C_RUN;
		if (ioc_is_hex((unsigned char)c))
			k |= C_HEX;
		if (c == '+' || c == ':')
			k |= C_START;
		if (ioc_is_digit((unsigned char)c) || c == '.' || c == '@' || c == ':' ||
		    c == '+' || c == '\n' || c >= 0x80)
			k |= C_TRIG;
		if (c <= ' ' || c == 0x7f || strchr("\"'<>`{}|\\^", c) != NULL)
			k |= C_URLEND;
		cls[c] = k;
	}
}

/*
 * Length of a UTF-8 sequence at t[i] that reads as white space or
 * punctuation (no-break space, typographic quotes and dashes, ellipsis,
 * ideographic space and comma, byte-order mark), or 0.
 */
static size_t utf8_delim(const unsigned char *t, size_t len, size_t i)
{
	if (t[i] == 0xc2 && i + 1 < len &&
	    (t[i + 1] == 0xa0 || t[i + 1] == 0xab || t[i + 1] == 0xbb))
		return 2;
	if (t[i] == 0xe2 && i + 2 < len && t[i + 1] == 0x80 && t[i + 2] >= 0x80 && t[i + 2] <= 0xaf)
		return 3;
	if (t[i] == 0xe3 && i + 2 < len && t[i + 1] == 0x80 && t[i + 2] <= 0x81 && t[i + 2] >= 0x80)
		return 3;
	if (t[i] == 0xef && i + 2 < len && t[i + 1] == 0xbb && t[i + 2] == 0xbf)
		return 3;
	return 0;
}

struct scan {
	const struct ioc_ctx *ctx;
	const unsigned char *t; /* the text scanned (a refanged copy, or the input) */
	size_t len;
	const char *orig; /* the caller's input */
	size_t orig_len;
	const uint32_t *map; /* t offset -> orig offset, NULL when t is orig */
	const struct ioc_extract_opts *o;
	ioc_emit_fn emit;
	void *arg;
	const char *field; /* email header of the current line, or NULL */
	int rc;
	bool hashes_found;  /* set by hash_segments */
	size_t emitted_end; /* end in t of the last indicator reported */
	struct ioc_value v;
	char masked[64];
};

/* The first byte at or after i with C_TRIG, or len: 16 bytes at a time, as
 * prose between indicators is most of most text. */
static size_t next_trigger(const unsigned char *t, size_t i, size_t len)
{
#ifdef __SSE2__
	const __m128i slash = _mm_set1_epi8('/'), semi = _mm_set1_epi8(';');
	const __m128i dot = _mm_set1_epi8('.'), at = _mm_set1_epi8('@');
	const __m128i plus = _mm_set1_epi8('+'), nl = _mm_set1_epi8('\n');
	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
		/* '0'..'9' and ':' (signed compares: bytes >= 0x80 are negative
		 * and come from the sign bits below) */
		__m128i m = _mm_and_si128(_mm_cmpgt_epi8(v, slash), _mm_cmplt_epi8(v, semi));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, dot));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, at));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, plus));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, nl));
		unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(m, v));
		if (bits != 0)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	while (i < len && !(cls[t[i]] & C_TRIG))
		i++;
	return i;
}

static bool wanted(const struct scan *s, enum ioc_type type)
{
	return s->o->types == 0 || (s->o->types & (1u << type)) != 0;
}

/* Reports v as found at t[start..end).  Returns the bytes consumed. */
static size_t emit(struct scan *s, size_t start, size_t end)
{
	if (s->rc != 0 || !wanted(s, s->v.type))
		return end - start;
	size_t rs = start, re = end;
	if (s->map != NULL) {
		rs = s->map[start];
		re = end < s->len ? s->map[end] : s->orig_len;
		while (re > rs && (s->orig[re - 1] == ' ' || s->orig[re - 1] == '\t'))
			re--;
	}
	struct ioc_match m = {
	        .type = s->v.type,
	        .value = s->v.v,
	        .value_len = s->v.len,
	        .raw = s->orig + rs,
	        .raw_len = re - rs,
	        .offset = rs,
	        .field = s->field,
	};
	if (m.type == IOC_CARD) {
		/* Never hand out a full card number, not even as raw text. */
		size_t n = m.raw_len < sizeof s->masked ? m.raw_len : sizeof s->masked - 1;
		size_t digits = 0, total = 0;
		for (size_t k = 0; k < n; k++)
			total += ioc_is_digit((unsigned char)m.raw[k]);
		for (size_t k = 0; k < n; k++) {
			char c = m.raw[k];
			if (ioc_is_digit((unsigned char)c)) {
				digits++;
				if (digits > 6 && digits + 4 <= total)
					c = '*';
			}
			s->masked[k] = c;
		}
		s->masked[n] = '\0';
		m.raw = s->masked;
		m.raw_len = n;
	}
	s->rc = s->emit(s->arg, &m);
	s->emitted_end = end;
	return end - start;
}

static bool is_word_at(const struct scan *s, size_t i)
{
	return (cls[s->t[i]] & C_WORD) && !(s->t[i] >= 0x80 && utf8_delim(s->t, s->len, i));
}

/* Does the character before t[i] continue a word?  A UTF-8 delimiter ends
 * in a continuation byte, so look back for the start of its sequence. */
static bool prev_is_word(const struct scan *s, size_t i)
{
	if (i == 0)
		return false;
	if (s->t[i - 1] < 0x80)
		return (cls[s->t[i - 1]] & C_WORD) != 0;
	size_t k = i - 1;
	while (k > 0 && i - k < 4 && (s->t[k] & 0xc0) == 0x80)
		k--;
	return utf8_delim(s->t, s->len, k) != i - k;
}

/* ---- URLs ---- */

static const char *const url_schemes[] = {"http", "https", "ftp", "ftps", "sftp", "ws", "wss"};

static size_t try_url(struct scan *s, size_t i)
{
	const unsigned char *t = s->t;
	size_t k = i;
	while (k < s->len && k - i <= 5 && ioc_is_alpha(t[k]))
		k++;
	if (k + 3 > s->len || t[k] != ':' || t[k + 1] != '/' || t[k + 2] != '/')
		return 0;
	bool known = false;
	for (size_t n = 0; n < sizeof url_schemes / sizeof url_schemes[0]; n++) {
		size_t sl = strlen(url_schemes[n]);
		if (sl != k - i)
			continue;
		known = true;
		for (size_t q = 0; q < sl; q++)
			if (ioc_lower(t[i + q]) != (unsigned char)url_schemes[n][q])
				known = false;
		if (known)
			break;
	}
	if (!known)
		return 0;
	size_t e = k + 3;
	while (e < s->len && !(cls[t[e]] & C_URLEND) && !(t[e] >= 0x80 && utf8_delim(t, s->len, e)))
		e++;
	/* Trailing punctuation belongs to the sentence; a ')' or ']' only when
	 * the URL opened one. */
	for (;;) {
		if (e <= k + 3)
			return 0;
		unsigned char c = t[e - 1];
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
		    c == '*') {
			e--;
			continue;
		}
		if (c == ')' || c == ']') {
			unsigned char open = c == ')' ? '(' : '[';
			int depth = 0;
			for (size_t q = i; q < e; q++)
				depth += t[q] == open ? 1 : t[q] == c ? -1 : 0;
			if (depth < 0) {
				e--;
				continue;
			}
		}
		break;
	}
	if (ioc_parse_url(s->ctx, (const char *)t + i, e - i, &s->v, NULL) != 0)
		return 0;
	return emit(s, i, e);
}

/* ---- IPv6 ---- */

/* An IPv6 address has a ':' within its first five characters. */
static bool colon_soon(const unsigned char *t, size_t len, size_t i)
{
	for (size_t k = i; k < len && k < i + 5; k++) {
		if (t[k] == ':')
			return true;
		if (!(cls[t[k]] & C_HEX))
			return false;
	}
	return false;
}

static size_t try_ipv6(struct scan *s, size_t i)
{
	const unsigned char *t = s->t;
	size_t e = i, colons = 0;
	while (e < s->len && e - i < 64 && ((cls[t[e]] & C_HEX) || t[e] == ':' || t[e] == '.')) {
		colons += t[e] == ':';
		e++;
	}
	if (colons < 2)
		return 0;
	/* A trailing ':' or '.' is punctuation ("at fe80::1: blah"), not the address. */
	while (e > i && (t[e - 1] == '.' || (t[e - 1] == ':' && !(e >= 2 && t[e - 2] == ':'))))
		e--;
	if (e < s->len && (ioc_is_alnum(t[e]) || t[e] == '_'))
		return 0;
	if (ioc_parse_ipv6((const char *)t + i, e - i, &s->v, NULL) != 0)
		return 0;
	/* "/64" after the address makes it a network. */
	if (e + 1 < s->len && t[e] == '/' && ioc_is_digit(t[e + 1])) {
		size_t p = e + 1;
		while (p < s->len && ioc_is_digit(t[p]) && p - e <= 4)
			p++;
		if ((p >= s->len || !ioc_is_alnum(t[p])) &&
		    ioc_parse_cidr((const char *)t + i, p - i, &s->v, NULL) == 0)
			return emit(s, i, p);
	}
	/* "fe80::1%eth0": the zone is not part of the address. */
	return emit(s, i, e);
}

/* ---- words: emails, IPv4, domains, hashes and the rest ---- */

struct word {
	size_t start, end; /* the run, trailing punctuation removed */
	size_t run_end;    /* the run as it stands */
	bool dot, at, underscore, plus, allhex, digits_dots, high;
	bool has_digit, has_alpha;
};

enum {
	W_DOT = 1 << 0,
	W_AT = 1 << 1,
	W_US = 1 << 2,
	W_PLUS = 1 << 3,
	W_HIGH = 1 << 4,
	W_DIGIT = 1 << 5,
	W_ALPHA = 1 << 6,
	W_NONHEX = 1 << 7,
	W_NONDIGDOT = 1 << 8
};

static uint16_t wflags[256];

static void init_wflags(void)
{
	for (int c = 0; c < 256; c++) {
		uint16_t f = 0;
		f |= c == '.' ? W_DOT : 0;
		f |= c == '@' ? W_AT : 0;
		f |= c == '_' ? W_US : 0;
		f |= c == '+' ? W_PLUS : 0;
		f |= c >= 0x80 ? W_HIGH : 0;
		f |= ioc_is_digit((unsigned char)c) ? W_DIGIT : 0;
		f |= ioc_is_alpha((unsigned char)c) ? W_ALPHA : 0;
		f |= ioc_is_hex((unsigned char)c) ? 0 : W_NONHEX;
		f |= (ioc_is_digit((unsigned char)c) || c == '.') ? 0 : W_NONDIGDOT;
		wflags[c] = f;
	}
}

static void measure(const struct scan *s, size_t i, struct word *w)
{
	const unsigned char *t = s->t;
	size_t e = i;
	unsigned f = 0;
	while (e < s->len && (cls[t[e]] & C_RUN)) {
		if (t[e] >= 0x80 && utf8_delim(t, s->len, e))
			break;
		f |= wflags[t[e]];
		e++;
	}
	w->run_end = e;
	if (e > i && (t[e - 1] == '.' || t[e - 1] == '-' || t[e - 1] == '_' || t[e - 1] == '@' ||
	              t[e - 1] == '+')) {
		/* trailing punctuation is not part of the word: recount without it */
		while (e > i && (t[e - 1] == '.' || t[e - 1] == '-' || t[e - 1] == '_' ||
		                 t[e - 1] == '@' || t[e - 1] == '+'))
			e--;
		f = 0;
		for (size_t k = i; k < e; k++)
			f |= wflags[t[k]];
	}
	w->start = i;
	w->end = e;
	w->dot = f & W_DOT;
	w->at = f & W_AT;
	w->underscore = f & W_US;
	w->plus = f & W_PLUS;
	w->high = f & W_HIGH;
	w->has_digit = f & W_DIGIT;
	w->has_alpha = f & W_ALPHA;
	w->allhex = !(f & W_NONHEX);
	w->digits_dots = !(f & W_NONDIGDOT);
}

/* File extensions that are also top-level domains: "readme.md" is a file. */
static const char *const file_tlds[] = {"md", "py", "sh", "rs", "zip", "mov", "so",
                                        "ps", "pm", "mo", "am", "mk",  "ml",  "ac"};

/* First labels that mark a dotted name as code: "window.location.host". */
static const char *const code_heads[] = {
        "this",    "self",   "window", "document", "console", "os",     "sys",     "std",  "math",
        "json",    "np",     "pd",     "obj",      "req",     "res",    "ctx",     "args", "module",
        "process", "system", "foo",    "exports",  "event",   "config", "settings"};

static bool in_list(const char *const *list, size_t n, const unsigned char *s, size_t len)
{
	if (len == 0)
		return false;
	unsigned char first = ioc_lower(s[0]);
	for (size_t k = 0; k < n; k++) {
		if ((unsigned char)list[k][0] != first)
			continue;
		size_t ln = strlen(list[k]);
		if (ln != len)
			continue;
		size_t q = 0;
		while (q < ln && ioc_lower(s[q]) == (unsigned char)list[k][q])
			q++;
		if (q == ln)
			return true;
	}
	return false;
}

/* Was t[a..b) written differently in the input (i.e. refanged)? */
static bool was_refanged(const struct scan *s, size_t a, size_t b)
{
	if (s->map == NULL)
		return false;
	size_t re = b < s->len ? s->map[b] : s->orig_len;
	return re - s->map[a] != b - a;
}

static size_t try_domain(struct scan *s, const struct word *w)
{
	const unsigned char *t = s->t;
	if (w->underscore || w->plus)
		return 0;
	size_t a = w->start, b = w->end;
	/* The last label must be letters (or an IDN / xn-- label). */
	size_t last = b;
	while (last > a && t[last - 1] != '.')
		last--;
	if (last == a || b - last < 2)
		return 0;
	for (size_t k = last; k < b; k++)
		if (ioc_is_digit(t[k]) && !(b - last > 4 && ioc_lower(t[last]) == 'x'))
			return 0;
	if (b < s->len && t[b] == '(')
		return 0; /* a function call: foo.bar( */
	size_t first = a;
	while (first < b && t[first] != '.')
		first++;
	if (in_list(code_heads, sizeof code_heads / sizeof code_heads[0], t + a, first - a))
		return 0;
	bool two_labels = first + 1 == last;
	if (two_labels && !was_refanged(s, a, b) &&
	    in_list(file_tlds, sizeof file_tlds / sizeof file_tlds[0], t + last, b - last))
		return 0;
	/* Mixed-case labels such as "getElementById" are code, not host names. */
	for (size_t k = a + 1; k < b; k++)
		if (t[k - 1] >= 'a' && t[k - 1] <= 'z' && t[k] >= 'A' && t[k] <= 'Z' && k >= 2 &&
		    t[k - 2] >= 'a' && t[k - 2] <= 'z')
			return 0;
	if (ioc_parse_domain(s->ctx, (const char *)t + a, b - a, &s->v, NULL) != 0)
		return 0;
	return emit(s, a, b);
}

static size_t try_email(struct scan *s, const struct word *w)
{
	const unsigned char *t = s->t;
	size_t at = 0, count = 0;
	for (size_t k = w->start; k < w->end; k++)
		if (t[k] == '@') {
			at = k;
			count++;
		}
	if (count != 1 || at == w->start)
		return 0;
	/* never back into an indicator already reported */
	size_t a = ioc_email_local_start(t, w->start, s->emitted_end);
	if (ioc_parse_email(s->ctx, (const char *)t + a, w->end - a, &s->v, NULL) != 0)
		return 0;
	return emit(s, a, w->end);
}

static size_t try_ipv4(struct scan *s, const struct word *w)
{
	const unsigned char *t = s->t;
	size_t a = w->start, b = w->end;
	if (b - a > 15 || ioc_parse_ipv4((const char *)t + a, b - a, &s->v, NULL) != 0)
		return 0;
	if (b + 1 < s->len && t[b] == '/' && ioc_is_digit(t[b + 1])) {
		size_t p = b + 1;
		while (p < s->len && ioc_is_digit(t[p]) && p - b <= 3)
			p++;
		if ((p >= s->len || !ioc_is_alnum(t[p])) &&
		    ioc_parse_cidr((const char *)t + a, p - a, &s->v, NULL) == 0)
			return emit(s, a, p);
	}
	return emit(s, a, b);
}

/* "AS 13335" / "ASN 13335" (upper-case only, "as 2021" is prose) or
 * "AS13335" / "asn13335". */
static size_t try_asn(struct scan *s, size_t i)
{
	const unsigned char *t = s->t;
	size_t k = i + 2;
	bool upper = t[i] == 'A' && t[i + 1] == 'S';
	if (k < s->len && ioc_upper(t[k]) == 'N')
		k++;
	bool spaced = false;
	if (k < s->len && t[k] == ' ') {
		if (!upper || (k == i + 3 && t[i + 2] != 'N'))
			return 0;
		k++;
		spaced = true;
	}
	if (!spaced && k == i + 2 && !upper)
		return 0; /* "as400" */
	size_t d = k;
	while (d < s->len && ioc_is_digit(t[d]) && d - k < 11)
		d++;
	if (d == k || (d < s->len && (is_word_at(s, d) && t[d] != '.' && t[d] != '-')))
		return 0;
	if (ioc_parse_asn((const char *)t + i, d - i, &s->v, NULL) != 0)
		return 0;
	return emit(s, i, d);
}

/* Emits the hashes among the segments of a word split at '_' and at its
 * first '.', e.g. "sample_e5f9...0005.bin" or "d41d...427e.exe".  Sets
 * s->hashes_found. */
static void hash_segments(struct scan *s, const struct word *w)
{
	const unsigned char *t = s->t;
	s->hashes_found = false;
	size_t a = w->start;
	while (a < w->end) {
		size_t b = a;
		while (b < w->end && t[b] != '_' && t[b] != '.')
			b++;
		size_t n = b - a;
		if (n == 32 || n == 40 || n == 64 || n == 128) {
			unsigned f = 0;
			for (size_t k = a; k < b; k++)
				f |= wflags[t[k]];
			if (!(f & W_NONHEX) && (f & W_DIGIT) && (f & W_ALPHA)) {
				enum ioc_type ht = n == 32   ? IOC_MD5
				                   : n == 40 ? IOC_SHA1
				                   : n == 64 ? IOC_SHA256
				                             : IOC_SHA512;
				if (ioc_parse_hash(ht, (const char *)t + a, n, &s->v, NULL) == 0) {
					emit(s, a, b);
					s->hashes_found = true;
				}
			}
		}
		if (b < w->end && t[b] == '.')
			break; /* after the first dot comes the extension */
		a = b + 1;
	}
}

/* "192.0.2.1-192.0.2.20": each end of a range. */
static size_t ip_range(struct scan *s, const struct word *w)
{
	const unsigned char *t = s->t;
	size_t a = w->start;
	bool any = false;
	while (a < w->end) {
		size_t b = a;
		while (b < w->end && t[b] != '-')
			b++;
		if (b - a <= 15 && ioc_parse_ipv4((const char *)t + a, b - a, &s->v, NULL) == 0) {
			emit(s, a, b);
			any = true;
		}
		a = b + 1;
	}
	return any ? w->end - w->start : 0;
}

static size_t try_word(struct scan *s, const struct word *wp)
{
	const unsigned char *t = s->t;
	const struct word w = *wp;
	size_t i = w.start;
	size_t n = w.end - w.start;
	if (n == 0)
		return 0;
	if (w.at)
		return try_email(s, &w);
	s->hashes_found = false;
	if (w.underscore || (w.dot && !w.digits_dots))
		hash_segments(s, &w); /* "sample_<md5>.bin", "<sha256>.exe" */
	if (s->hashes_found)
		return w.end - w.start;
	if (w.dot) {
		if (w.digits_dots)
			return try_ipv4(s, &w);
		if (!w.has_alpha && !w.high)
			return ip_range(s, &w); /* "192.0.2.1-192.0.2.20" */
		return try_domain(s, &w);
	}
	if (w.underscore || w.plus)
		return 0;
	unsigned char c = t[i];
	if (ioc_is_digit(c) && !w.has_alpha && i >= 3 && t[i - 1] == ' ') {
		/* "AS 13335" / "ASN 13335": the number finds its prefix */
		size_t a = t[i - 2] == 'N' && i >= 4 ? i - 4 : i - 3;
		if (t[a] == 'A' && t[a + 1] == 'S' && (a == 0 || !is_word_at(s, a - 1))) {
			size_t r = try_asn(s, a);
			if (r != 0)
				return r - (i - a);
		}
	}
	if (w.allhex && w.has_digit && w.has_alpha && (n == 32 || n == 40 || n == 64 || n == 128)) {
		enum ioc_type ht = n == 32   ? IOC_MD5
		                   : n == 40 ? IOC_SHA1
		                   : n == 64 ? IOC_SHA256
		                             : IOC_SHA512;
		if (ioc_parse_hash(ht, (const char *)t + i, n, &s->v, NULL) == 0)
			return emit(s, i, w.end);
		return 0;
	}
	if (n == 42 && c == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')) {
		if (ioc_parse_eth((const char *)t + i, n, &s->v, NULL) == 0)
			return emit(s, i, w.end);
		return 0;
	}
	if ((c == 'C' || c == 'c') && n >= 13 &&
	    ioc_parse_cve((const char *)t + i, n, &s->v, NULL) == 0)
		return emit(s, i, w.end);
	if ((c == 'A' || c == 'a') && i + 2 < s->len && ioc_upper(t[i + 1]) == 'S') {
		size_t r = try_asn(s, i);
		if (r != 0)
			return r;
	}
	if (c >= 'A' && c <= 'Z' && i + 3 < s->len && t[i + 1] >= 'A' && t[i + 1] <= 'Z' &&
	    ioc_is_digit(t[i + 2]) && ioc_is_digit(t[i + 3])) {
		size_t r = ioc_scan_iban((const char *)t, s->len, i, &s->v);
		if (r != 0)
			return emit(s, i, i + r);
	}
	if ((n >= 25 && n <= 35 && (c == '1' || c == '3')) ||
	    (n >= 14 && n <= 74 && (c == 'b' || c == 'B') && ioc_lower(t[i + 1]) == 'c' &&
	     t[i + 2] == '1')) {
		if (ioc_parse_btc((const char *)t + i, n, &s->v, NULL) == 0)
			return emit(s, i, w.end);
	}
	if (ioc_is_digit(c)) {
		/* Cheap shape checks first: most digit runs in logs are neither. */
		size_t d = i;
		while (d < s->len && ioc_is_digit(t[d]))
			d++;
		bool grouped =
		        d + 1 < s->len && (t[d] == ' ' || t[d] == '-') && ioc_is_digit(t[d + 1]);
		size_t r = 0;
		if ((d - i >= 13 && d - i <= 19) || (d - i == 4 && grouped))
			r = ioc_scan_card((const char *)t, s->len, i, &s->v);
		if (r != 0)
			return emit(s, i, i + r);
		if (s->o->country[0] != '\0' || (c == '0' && i + 1 < s->len && t[i + 1] == '0'))
			r = ioc_scan_phone((const char *)t, s->len, i, s->o->country, &s->v);
		if (r != 0)
			return emit(s, i, i + r);
	}
	return 0;
}

/* ---- e-mail headers ---- */

static const char *const header_fields[] = {
        "from",     "reply-to",   "return-path",      "to",           "cc",          "sender",
        "received", "message-id", "x-originating-ip", "delivered-to", "in-reply-to", "references"};

/* At a line start: sets s->field when the line is "Header: ...". Returns the
 * length of "Header:" or 0. */
static size_t header_at(struct scan *s, size_t i)
{
	const unsigned char *t = s->t;
	if (i < s->len && (t[i] == ' ' || t[i] == '\t'))
		return 0; /* a folded continuation keeps the field */
	s->field = NULL;
	if (i >= s->len || strchr("fFrRtTcCsSmMxXdDiI", t[i]) == NULL || t[i] == '\0')
		return 0;
	for (size_t k = 0; k < sizeof header_fields / sizeof header_fields[0]; k++) {
		size_t n = strlen(header_fields[k]);
		if (i + n + 1 > s->len || t[i + n] != ':')
			continue;
		size_t q = 0;
		while (q < n && ioc_lower(t[i + q]) == (unsigned char)header_fields[k][q])
			q++;
		if (q == n) {
			s->field = header_fields[k];
			return n + 1;
		}
	}
	return 0;
}

/* Message-ID: <local@host>: the host is the indicator, the whole is not an
 * address anyone can write to. */
static size_t message_id(struct scan *s, size_t i)
{
	const unsigned char *t = s->t;
	size_t e = i;
	while (e < s->len && t[e] != '\n' && t[e] != '>')
		e++;
	const unsigned char *at = NULL;
	for (size_t k = i; k < e; k++)
		if (t[k] == '@')
			at = t + k;
	if (at != NULL) {
		/* the host: the run of host characters after the '@' */
		size_t a = (size_t)(at - t) + 1, b = a;
		while (b < e && (cls[t[b]] & C_RUN) && t[b] != '@' && t[b] != '+')
			b++;
		if (b > a && ioc_parse_domain(s->ctx, (const char *)t + a, b - a, &s->v, NULL) == 0)
			emit(s, a, b);
	}
	return e - i;
}

static void scan_text(struct scan *s)
{
	const unsigned char *t = s->t;
	size_t i = 0;
	bool line_start = true;
	while (i < s->len && s->rc == 0) {
		unsigned char c = t[i];
		if (line_start) {
			line_start = false;
			size_t h = header_at(s, i);
			if (h != 0 && s->field == header_fields[7]) {
				i += h + message_id(s, i + h);
				continue;
			}
			i += h;
			continue;
		}
		/* Fast path: jump to the next byte that some indicator must hold,
		 * then back up to the start of its word.  Words of letters alone
		 * ("AS" of "AS 13335" is found from its number) are never looked at. */
		size_t j = next_trigger(t, i, s->len);
		if (j >= s->len)
			break;
		if (t[j] == '\n') {
			line_start = true;
			i = j + 1;
			continue;
		}
		while (j > i && (cls[t[j - 1]] & C_RUN))
			j--;
		i = j;
		c = t[i];
		if (c == '@' && i + 1 < s->len && !prev_is_word(s, i)) {
			/* "@evil.com": a handle that names a domain */
			struct word w;
			measure(s, i + 1, &w);
			size_t r = 0;
			if (w.dot && !w.at && !w.digits_dots)
				r = try_domain(s, &w);
			i = r != 0 ? i + 1 + r : (w.run_end > i + 1 ? w.run_end : i + 1);
			continue;
		}
		if (!(cls[c] & C_START)) {
			i++;
			continue;
		}
		size_t r = 0;
		if (c == '+') {
			if (i + 1 < s->len && t[i + 1] >= '1' && t[i + 1] <= '9' &&
			    (i == 0 || !ioc_is_alnum(t[i - 1])))
				r = ioc_scan_phone((const char *)t, s->len, i, s->o->country,
				                   &s->v);
			if (r != 0)
				emit(s, i, i + r);
			i += r != 0 ? r : 1;
			continue;
		}
		if (c >= 0x80) {
			size_t d = utf8_delim(t, s->len, i);
			if (d != 0) {
				i += d;
				continue;
			}
		}
		if (c != ':' && prev_is_word(s, i)) {
			/* inside a word: skip to its end */
			i++;
			while (i < s->len && is_word_at(s, i))
				i++;
			continue;
		}
		if (c == ':' && prev_is_word(s, i)) {
			/* "x2001:db8::1": the rest of a glued address is no address */
			size_t k = i + 1, colons = 0;
			while (k < s->len && ((cls[t[k]] & C_HEX) || t[k] == ':'))
				colons += t[k++] == ':';
			i = colons > 0 ? k : i + 1;
			continue;
		}
		if (c == ':') {
			if (i + 1 < s->len && t[i + 1] == ':' && (i == 0 || t[i - 1] != ':'))
				r = try_ipv6(s, i);
			i += r != 0 ? r : 1;
			continue;
		}
		struct word w;
		measure(s, i, &w);
		bool colon = w.run_end < s->len && t[w.run_end] == ':';
		if (colon && ioc_is_alpha(c))
			r = try_url(s, i);
		if (r == 0 && (cls[c] & C_HEX) && colon_soon(t, s->len, i))
			r = try_ipv6(s, i);
		if (r == 0)
			r = try_word(s, &w);
		if (r != 0) {
			i += r;
			continue;
		}
		/* nothing here: skip the whole token so no slice of it matches */
		i = w.run_end > i ? w.run_end : i + 1;
	}
}

int ioc_extract(const struct ioc_ctx *ctx, const char *text, size_t len,
                const struct ioc_extract_opts *opts, ioc_emit_fn emitfn, void *arg,
                struct crix_error *err)
{
	static const struct ioc_extract_opts defaults;
	if (cls['a'] == 0) {
		/* idempotent: concurrent first calls write the same bytes */
		init_wflags();
		init_classes();
	}
	struct scan s = {
	        .ctx = ctx,
	        .t = (const unsigned char *)text,
	        .len = len,
	        .orig = text,
	        .orig_len = len,
	        .o = opts != NULL ? opts : &defaults,
	        .emit = emitfn,
	        .arg = arg,
	};
	char *copy = NULL;
	uint32_t *map = NULL;
	if (s.o->refang && len > 0) {
		copy = malloc(len);
		map = malloc(len * sizeof *map);
		if (copy == NULL || map == NULL) {
			free(copy);
			free(map);
			return crix_error_set(err, CRIX_ENOMEM, "extract: out of memory");
		}
		size_t n;
		int rc = ioc_refang(text, len, copy, len, map, &n, err);
		if (rc != 0) {
			free(copy);
			free(map);
			return rc;
		}
		s.t = (const unsigned char *)copy;
		s.len = n;
		s.map = map;
	}
	scan_text(&s);
	free(copy);
	free(map);
	return s.rc;
}
