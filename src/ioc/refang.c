/*
 * refang.c - undo the defanging analysts apply so that indicators in reports
 * cannot be clicked: "hxxps://evil[.]com", "bob[at]evil(dot)com", "1.2.3[.]4".
 *
 * Refanging only ever shortens text.  Each output byte remembers the input
 * offset it came from, so that extraction can report the raw text and offset
 * of the original (defanged) spelling.
 */
#include "ioc/ioc_int.h"

#include <string.h>

struct rule {
	const char *from; /* matched case-insensitively */
	const char *to;
};

/* Bracketed forms: unambiguous, applied wherever they occur. */
static const struct rule bracketed[] = {
        {"[://]", "://"}, {"[:]//", "://"}, {"[dot]", "."}, {"(dot)", "."}, {"{dot}", "."},
        {"[ . ]", "."},   {"[.]", "."},     {"(.)", "."},   {"{.}", "."},   {"[at]", "@"},
        {"(at)", "@"},    {"{at}", "@"},    {"[@]", "@"},   {"(@)", "@"},   {"{@}", "@"},
        {"[:]", ":"},     {"[/]", "/"},     {"[//]", "//"}, {"\\.", "."},
};

/* Defanged schemes, only when "://" (or a bracketed form of it) follows. */
static const struct rule schemes[] = {
        {"hxxps", "https"}, {"hxxp", "http"}, {"hxtps", "https"}, {"hxtp", "http"},
        {"h**ps", "https"}, {"h**p", "http"}, {"hzzps", "https"}, {"hzzp", "http"},
        {"fxps", "ftps"},   {"fxp", "ftp"},
};

static bool match_ci(const char *t, size_t len, size_t i, const char *pat)
{
	size_t n = strlen(pat);
	if (n > len - i)
		return false;
	for (size_t k = 0; k < n; k++)
		if (ioc_lower((unsigned char)t[i + k]) != (unsigned char)pat[k])
			return false;
	return true;
}

/*
 * Is the word that ends at out[o] one that prose puts before "at" ("hosted at
 * evil[.]com", "the C2 at ...")?  Then " at " is a preposition, not an
 * address: a local part is rarely one of these words.
 */
static bool prose_before_at(const char *out, size_t o)
{
	static const char *const words[] = {
	        "accessible", "active",    "address",  "advertised", "are",       "available",
	        "based",      "be",        "been",     "c2",         "download",  "downloaded",
	        "dropped",    "found",     "hosted",   "hosting",    "is",        "it",
	        "listening",  "live",      "located",  "login",      "look",      "looking",
	        "observed",   "online",    "page",     "panel",      "parked",    "payload",
	        "point",      "pointed",   "pointing", "points",     "portal",    "posted",
	        "published",  "reachable", "redirect", "redirected", "redirects", "registered",
	        "resolve",    "resolved",  "resolves", "resolving",  "running",   "seen",
	        "served",     "server",    "site",     "sold",       "stored",    "them",
	        "up",         "uploaded",  "was",      "website",    "were",
	};
	size_t a = o;
	while (a > 0 && ioc_is_alnum((unsigned char)out[a - 1]))
		a--;
	size_t n = o - a;
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		if (strlen(words[k]) != n)
			continue;
		size_t q = 0;
		while (q < n && ioc_lower((unsigned char)out[a + q]) == words[k][q])
			q++;
		if (q == n)
			return true;
	}
	return false;
}

/* Does a label followed by a defanged dot start at text[i]? */
static bool at_before_defanged_domain(const char *text, size_t len, size_t i)
{
	size_t k = i;
	while (k < len && (ioc_is_alnum((unsigned char)text[k]) || text[k] == '-'))
		k++;
	if (k == i)
		return false;
	static const char *const dots[] = {"[.]",   "(.)",   "{.}",   "[dot]",
	                                   "(dot)", "{dot}", " dot ", "[ . ]"};
	for (size_t d = 0; d < sizeof dots / sizeof dots[0]; d++)
		if (match_ci(text, len, k, dots[d]))
			return true;
	return false;
}

static bool is_word(unsigned char c)
{
	return ioc_is_alnum(c) || c == '-' || c >= 0x80;
}

int ioc_refang(const char *text, size_t len, char *out, size_t outsz, uint32_t *map, size_t *outlen,
               struct crix_error *err)
{
	if (outsz < len)
		return crix_error_set(err, CRIX_ETOOBIG, "refang: output buffer too small");
	if (map != NULL && len > UINT32_MAX)
		return crix_error_set(err, CRIX_ETOOBIG, "refang: input larger than 4 GiB");
	size_t o = 0;
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		const char *to = NULL;
		size_t from_len = 0;
		if (c == '[' || c == '(' || c == '{' || c == '\\') {
			for (size_t r = 0; r < sizeof bracketed / sizeof bracketed[0]; r++)
				if (match_ci(text, len, i, bracketed[r].from)) {
					to = bracketed[r].to;
					from_len = strlen(bracketed[r].from);
					break;
				}
			/* "evil [.] com": the spaces around a bracketed dot or at go too. */
			if (to != NULL && (to[0] == '.' || to[0] == '@') && o >= 2 &&
			    out[o - 1] == ' ' && is_word((unsigned char)out[o - 2]))
				o--;
			if (to != NULL && (to[0] == '.' || to[0] == '@') &&
			    i + from_len + 1 < len && text[i + from_len] == ' ' &&
			    is_word((unsigned char)text[i + from_len + 1]))
				from_len++;
		} else if ((c == 'h' || c == 'H' || c == 'f' || c == 'F' || c == 's' || c == 'S' ||
		            c == 'w' || c == 'W') &&
		           (i == 0 || !ioc_is_alnum((unsigned char)text[i - 1]))) {
			for (size_t r = 0; r < sizeof schemes / sizeof schemes[0]; r++) {
				if (!match_ci(text, len, i, schemes[r].from))
					continue;
				size_t after = i + strlen(schemes[r].from);
				if (match_ci(text, len, after, "://") ||
				    match_ci(text, len, after, "[://]") ||
				    match_ci(text, len, after, "[:]//") ||
				    match_ci(text, len, after, "[:]")) {
					to = schemes[r].to;
					from_len = strlen(schemes[r].from);
				}
				break;
			}
		} else if (c == ' ' && o > 0 && ioc_is_alnum((unsigned char)out[o - 1]) &&
		           match_ci(text, len, i, " dot ") && i + 5 < len &&
		           ioc_is_alnum((unsigned char)text[i + 5])) {
			/* "evil dot com": only between two word characters. */
			to = ".";
			from_len = 5;
		}
		if (to == NULL && c == ' ' && o > 0 && ioc_is_alnum((unsigned char)out[o - 1]) &&
		    match_ci(text, len, i, " at ") && at_before_defanged_domain(text, len, i + 4) &&
		    !prose_before_at(out, o)) {
			/* "bob at evil[.]com": only when the domain is defanged too, so
			 * that "look at example.com" stays prose */
			to = "@";
			from_len = 4;
		}
		if (to == NULL) {
			if (map != NULL)
				map[o] = (uint32_t)i;
			out[o++] = (char)c;
			i++;
			continue;
		}
		for (size_t k = 0; to[k] != '\0'; k++) {
			if (map != NULL)
				map[o] = (uint32_t)i;
			out[o++] = to[k];
		}
		i += from_len;
	}
	*outlen = o;
	return 0;
}
