/*
 * email.c - e-mail addresses: the local part as written (it is case-sensitive
 * in principle and people read it), the domain canonical.
 */
#include "ioc/ioc_int.h"

#include <string.h>

/* RFC 5322 atext, the characters of a dot-atom besides the dots. */
static bool is_atext(unsigned char c)
{
	return ioc_is_alnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

int ioc_parse_email(const struct ioc_ctx *ctx, const char *s, size_t n, struct ioc_value *out,
                    struct crix_error *err)
{
	const char *at = NULL;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == '@') {
			at = s + i - 1;
			break;
		}
	if (at == NULL)
		return crix_error_set(err, CRIX_EINVAL, "email: missing '@'");
	size_t ln = (size_t)(at - s);
	if (ln == 0)
		return crix_error_set(err, CRIX_EINVAL, "email: empty local part");
	if (ln > 64)
		return crix_error_set(err, CRIX_EINVAL,
		                      "email: local part longer than 64 characters");
	for (size_t i = 0; i < ln; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (i == 0 || i == ln - 1 || s[i - 1] == '.')
				return crix_error_set(err, CRIX_EINVAL,
				                      "email: misplaced '.' in the local part");
		} else if (!is_atext(c)) {
			return crix_error_set(err, CRIX_EINVAL,
			                      "email: invalid character in the local part at "
			                      "position %zu",
			                      i + 1);
		}
	}
	struct ioc_value d;
	struct crix_error derr;
	if (ioc_parse_domain(ctx, at + 1, n - ln - 1, &d, &derr) != 0)
		return crix_error_set(err, CRIX_EINVAL, "email: %s", derr.msg);
	if (ln + 1 + d.len > 254)
		return crix_error_set(err, CRIX_EINVAL, "email: longer than 254 characters");
	memcpy(out->v, s, ln);
	out->v[ln] = '@';
	memcpy(out->v + ln + 1, d.v, d.len + 1);
	out->len = ln + 1 + d.len;
	out->type = IOC_EMAIL;
	return 0;
}

/* RFC 5322 atext specials that prose also uses as punctuation. */
static bool odd_special(unsigned char c)
{
	return c != '\0' && strchr("!#$%'*^`{|}~", c) != NULL;
}

static bool atext_or_dot(unsigned char c)
{
	return ioc_is_alnum(c) || (c != '\0' && strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

size_t ioc_email_local_start(const unsigned char *t, size_t start, size_t floor)
{
	if (start < 2 || !odd_special(t[start - 1]) || !ioc_is_alnum(t[start - 2]))
		return start;
	size_t a = start;
	while (a > floor && atext_or_dot(t[a - 1]))
		a--;
	while (a < start && !ioc_is_alnum(t[a]))
		a++;
	return a;
}
