/*
 * misc.c - autonomous system numbers and CVE identifiers.
 */
#include "ioc/ioc_int.h"

#include <stdio.h>

/* "AS64496", "ASN 64496", "as64496", "64496" -> "AS64496". */
int ioc_parse_asn(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	size_t i = 0;
	if (n >= 2 && ioc_upper((unsigned char)s[0]) == 'A' &&
	    ioc_upper((unsigned char)s[1]) == 'S') {
		i = 2;
		if (i < n && ioc_upper((unsigned char)s[i]) == 'N')
			i++;
		if (i < n && s[i] == ' ')
			i++;
	}
	if (i == n)
		return crix_error_set(err, CRIX_EINVAL, "asn: missing number");
	if (n - i > 10)
		return crix_error_set(err, CRIX_EINVAL, "asn: number too long");
	if (s[i] == '0')
		return crix_error_set(err, CRIX_EINVAL, "asn: AS0 is reserved, no leading zeros");
	uint64_t v = 0;
	for (; i < n; i++) {
		if (!ioc_is_digit((unsigned char)s[i]))
			return crix_error_set(err, CRIX_EINVAL, "asn: expected AS and digits");
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > 4294967294u)
		return crix_error_set(err, CRIX_EINVAL, "asn: %llu is beyond the 32-bit range",
		                      (unsigned long long)v);
	int w = snprintf(out->v, sizeof out->v, "AS%llu", (unsigned long long)v);
	out->len = (size_t)w;
	out->type = IOC_ASN;
	return 0;
}

/* "cve-2021-44228" -> "CVE-2021-44228": year 1999 or later, 4+ digit id. */
int ioc_parse_cve(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	if (n < 13 || ioc_upper((unsigned char)s[0]) != 'C' ||
	    ioc_upper((unsigned char)s[1]) != 'V' || ioc_upper((unsigned char)s[2]) != 'E' ||
	    s[3] != '-' || s[8] != '-')
		return crix_error_set(err, CRIX_EINVAL, "cve: expected CVE-YYYY-NNNN");
	unsigned year = 0;
	for (size_t i = 4; i < 8; i++) {
		if (!ioc_is_digit((unsigned char)s[i]))
			return crix_error_set(err, CRIX_EINVAL, "cve: year is not a number");
		year = year * 10 + (unsigned)(s[i] - '0');
	}
	if (year < 1999)
		return crix_error_set(err, CRIX_EINVAL, "cve: year %u is before 1999", year);
	if (n - 9 > 19)
		return crix_error_set(err, CRIX_EINVAL, "cve: sequence number too long");
	for (size_t i = 9; i < n; i++)
		if (!ioc_is_digit((unsigned char)s[i]))
			return crix_error_set(err, CRIX_EINVAL,
			                      "cve: sequence number is not a number");
	if (n - 9 > 4 && s[9] == '0')
		return crix_error_set(
		        err, CRIX_EINVAL,
		        "cve: a sequence number longer than 4 digits has no leading zero");
	for (size_t i = 0; i < n; i++)
		out->v[i] = (char)ioc_upper((unsigned char)s[i]);
	out->v[n] = '\0';
	out->len = n;
	out->type = IOC_CVE;
	return 0;
}
