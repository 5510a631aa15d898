#include "util/clock.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard
 * Hinnant's days_from_civil): timegm() is not in POSIX. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

char *clock_format_iso(int64_t t, int ms, char out[CLOCK_ISO_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	/* A wide scratch buffer: the compiler cannot see that every field
	 * fits its width. */
	char tmp[96];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
	size_t n = strnlen(tmp, CLOCK_ISO_LEN - 1);
	memcpy(out, tmp, n);
	out[n] = '\0';
	return out;
}

char *clock_now_iso(char out[CLOCK_ISO_LEN])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return clock_format_iso((int64_t)ts.tv_sec, (int)(ts.tv_nsec / 1000000), out);
}

double clock_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads exactly n digits at *p into *v. */
static int digits(const char **p, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		x = x * 10 + (c - '0');
	}
	*p += n;
	*v = x;
	return 0;
}

int clock_parse_iso(const char *s, const char *field, char out[CLOCK_ISO_LEN], int64_t *t,
                    struct crix_error *err)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, off = 0;
	if (strlen(s) > 40)
		goto bad;
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d))
		goto bad;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		goto bad;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			goto bad;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				goto bad;
			if (*p == '.') {
				p++;
				int k = 0;
				while (*p >= '0' && *p <= '9') {
					if (k < 3)
						ms = ms * 10 + (*p - '0');
					k++;
					p++;
				}
				if (k == 0)
					goto bad;
				for (; k < 3; k++)
					ms *= 10;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			goto bad;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om;
			p++;
			if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 ||
			    om > 59)
				goto bad;
			off = sign * (oh * 60 + om) * 60;
		}
	}
	if (*p != '\0')
		goto bad;
	if (sec == 60)
		sec = 59;
	int64_t v = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	/* An offset may carry the time out of the range the canonical form
	 * writes (and this function reads back): 1970 to 9999, in UTC. */
	if (v < 0 || v >= 253402300800LL)
		goto bad;
	if (out != NULL)
		clock_format_iso(v, ms, out);
	if (t != NULL)
		*t = v;
	return 0;
bad:
	return crix_error_set(err, CRIX_EINVAL,
	                      "%s: '%.40s' is not a date or time (ISO 8601, e.g. 2026-11-23 or "
	                      "2026-11-23T14:30:00Z)",
	                      field, s);
}

int64_t clock_parse_iso_us(const char *s)
{
	char norm[CLOCK_ISO_LEN];
	int64_t t;
	struct crix_error e = {0};
	if (s == NULL || s[0] == '\0' || clock_parse_iso(s, "time", norm, &t, &e) != 0)
		return -1;
	int64_t us = t * 1000000, scale = 100000;
	const char *f = strchr(s, '.');
	for (f = f ? f + 1 : ""; *f >= '0' && *f <= '9' && scale > 0; f++, scale /= 10)
		us += (*f - '0') * scale;
	return us;
}

char *clock_format_iso_us(int64_t us, char out[CLOCK_ISO_LEN])
{
	time_t secs = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	/* years 1970-9999 (clock_parse_iso's range), so the fields keep their widths */
	snprintf(out, CLOCK_ISO_LEN, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ",
	         (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
	         (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
	         (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u, (unsigned)(us % 1000000));
	return out;
}
