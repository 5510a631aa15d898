/*
 * stix.c - STIX 2.1 objects for crix indicators: deterministic ids (UUIDv5
 * over RFC 8785 canonical JSON), patterns, TLP 2.0 markings, identities.
 */
#include "share/stix.h"

#include "share/uuid.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the types */

/* Per indicator type: the STIX object, the pattern's object path, and the
 * pattern operator (CIDRs are ranges: ISSUBSET, as STIX patterning says). */
static const struct {
	const char *object;
	const char *path;
	const char *op;
	const char *hash; /* the hashes key of a file */
} types[IOC_TYPE_COUNT] = {
        [IOC_IPV4] = {"ipv4-addr", "ipv4-addr:value", "=", NULL},
        [IOC_CIDR4] = {"ipv4-addr", "ipv4-addr:value", "ISSUBSET", NULL},
        [IOC_IPV6] = {"ipv6-addr", "ipv6-addr:value", "=", NULL},
        [IOC_CIDR6] = {"ipv6-addr", "ipv6-addr:value", "ISSUBSET", NULL},
        [IOC_DOMAIN] = {"domain-name", "domain-name:value", "=", NULL},
        [IOC_URL] = {"url", "url:value", "=", NULL},
        [IOC_EMAIL] = {"email-addr", "email-addr:value", "=", NULL},
        [IOC_MD5] = {"file", "file:hashes.MD5", "=", "MD5"},
        [IOC_SHA1] = {"file", "file:hashes.'SHA-1'", "=", "SHA-1"},
        [IOC_SHA256] = {"file", "file:hashes.'SHA-256'", "=", "SHA-256"},
        [IOC_SHA512] = {"file", "file:hashes.'SHA-512'", "=", "SHA-512"},
        [IOC_ASN] = {"autonomous-system", "autonomous-system:number", "=", NULL},
        [IOC_CVE] = {"vulnerability", NULL, NULL, NULL},
};

const char *stix_object_type(enum ioc_type t)
{
	return t > IOC_NONE && t < IOC_TYPE_COUNT ? types[t].object : NULL;
}

/* ------------------------------------------------------------ producer */

int stix_producer_init(struct stix_producer *p, enum tlp tlp, const char *org, const char *time,
                       struct crix_error *err)
{
	memset(p, 0, sizeof *p);
	if (tlp < TLP_CLEAR || tlp > TLP_RED)
		return crix_error_set(err, CRIX_EINVAL, "tlp: not a TLP 2.0 level");
	p->tlp = tlp;
	if (time == NULL) {
		clock_now_iso(p->time);
	} else {
		int rc = clock_parse_iso(time, "time", p->time, NULL, err);
		if (rc != 0)
			return rc;
	}
	if (org == NULL)
		return 0;
	size_t n = strlen(org);
	if (n == 0 || n >= sizeof p->org)
		return crix_error_set(err, CRIX_EINVAL,
		                      "org: the name must have 1 to %zu bytes, not %zu",
		                      sizeof p->org - 1, n);
	if (!crix_utf8_valid(org))
		return crix_error_set(err, CRIX_EINVAL, "org: the name is not valid UTF-8");
	memcpy(p->org, org, n + 1);
	json_t *props = json_pack("{s:s, s:s, s:s}", "type", "identity", "identity_class",
	                          "organization", "name", org);
	if (props == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	int rc = stix_id_v5("identity", STIX_CRIX_NAMESPACE, props, p->identity_id, err);
	json_decref(props);
	return rc;
}

/* ----------------------------------------------------------------- JCS */

struct out {
	char *p;
	size_t n, cap;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->full || n >= o->cap - o->n) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
}

/* A string as ECMAScript's JSON.stringify writes it (RFC 8785 3.2.2.2). */
static void put_string(struct out *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	put(o, "\"", 1);
	size_t run = 0; /* bytes copied as they are */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(o, s + run, i - run);
		run = i + 1;
		char esc[6] = {'\\', 0};
		size_t k = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\t': esc[1] = 't'; break;
		case '\n': esc[1] = 'n'; break;
		case '\f': esc[1] = 'f'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			k = 6;
		}
		put(o, esc, k);
	}
	put(o, s + run, n - run);
	put(o, "\"", 1);
}

/* Next code point of a valid UTF-8 string, as one or two UTF-16 units. */
static size_t utf16_units(const unsigned char **s, unsigned u[2])
{
	const unsigned char *p = *s;
	unsigned cp;
	if (p[0] < 0x80) {
		cp = p[0];
		*s += 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		cp = (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu);
		*s += 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
		*s += 3;
	} else {
		cp = (p[0] & 0x07u) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 |
		     (p[3] & 0x3fu);
		*s += 4;
	}
	if (cp < 0x10000) {
		u[0] = cp;
		return 1;
	}
	u[0] = 0xd800 + ((cp - 0x10000) >> 10);
	u[1] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
	return 2;
}

/* RFC 8785 3.2.3: member names sort by their UTF-16 code units. */
static int cmp_utf16(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a;
	const unsigned char *y = *(const unsigned char *const *)b;
	unsigned ux[2], uy[2];
	size_t nx = 0, ny = 0, ix = 0, iy = 0;
	for (;;) {
		if (ix == nx) {
			if (*x == '\0')
				return *y == '\0' && iy == ny ? 0 : -1;
			nx = utf16_units(&x, ux);
			ix = 0;
		}
		if (iy == ny) {
			if (*y == '\0')
				return 1;
			ny = utf16_units(&y, uy);
			iy = 0;
		}
		if (ux[ix] != uy[iy])
			return ux[ix] < uy[iy] ? -1 : 1;
		ix++;
		iy++;
	}
}

static int put_value(struct out *o, const json_t *v, int depth, struct crix_error *err)
{
	if (depth > 32)
		return crix_error_set(err, CRIX_ETOOBIG, "canonical JSON: nested too deeply");
	char num[32];
	switch (json_typeof(v)) {
	case JSON_STRING: put_string(o, json_string_value(v), json_string_length(v)); return 0;
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		put(o, num, strlen(num));
		return 0;
	case JSON_TRUE: put(o, "true", 4); return 0;
	case JSON_FALSE: put(o, "false", 5); return 0;
	case JSON_NULL: put(o, "null", 4); return 0;
	case JSON_REAL:
		return crix_error_set(err, CRIX_EINVAL,
		                      "canonical JSON: real numbers are not "
		                      "supported");
	case JSON_ARRAY: {
		put(o, "[", 1);
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				put(o, ",", 1);
			int rc = put_value(o, json_array_get(v, i), depth + 1, err);
			if (rc != 0)
				return rc;
		}
		put(o, "]", 1);
		return 0;
	}
	case JSON_OBJECT: break;
	}
	size_t n = json_object_size(v);
	const char **keys = n ? malloc(n * sizeof *keys) : NULL;
	if (n && keys == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	size_t i = 0;
	for (void *it = json_object_iter((json_t *)v); it != NULL && i < n;
	     it = json_object_iter_next((json_t *)v, it))
		keys[i++] = json_object_iter_key(it);
	if (n > 1)
		qsort(keys, n, sizeof *keys, cmp_utf16);
	put(o, "{", 1);
	int rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0)
			put(o, ",", 1);
		put_string(o, keys[i], strlen(keys[i]));
		put(o, ":", 1);
		rc = put_value(o, json_object_get(v, keys[i]), depth + 1, err);
	}
	put(o, "}", 1);
	free(keys);
	return rc;
}

int stix_jcs(const json_t *v, char *out, size_t cap, size_t *len, struct crix_error *err)
{
	struct out o = {out, 0, cap, cap == 0};
	int rc = put_value(&o, v, 0, err);
	if (rc != 0)
		return rc;
	if (o.full)
		return crix_error_set(err, CRIX_ETOOBIG,
		                      "canonical JSON: longer than its buffer of %zu bytes", cap);
	out[o.n] = '\0';
	*len = o.n;
	return 0;
}

int stix_id_v5(const char *type, const char *ns, const json_t *props, char out[STIX_ID_MAX],
               struct crix_error *err)
{
	struct uuid nsu, u;
	if (uuid_parse(ns, &nsu) != 0)
		return crix_error_set(err, CRIX_EINVAL, "namespace %.40s is not a UUID", ns);
	/* a value of IOC_VALUE_MAX bytes, every byte escaped as \u00XX, fits */
	size_t cap = 6 * IOC_VALUE_MAX + 1024, len;
	char *buf = malloc(cap);
	if (buf == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	int rc = stix_jcs(props, buf, cap, &len, err);
	if (rc == 0) {
		uuid_v5(&nsu, buf, len, &u);
		char s[UUID_STR_LEN];
		uuid_format(&u, s);
		if ((size_t)snprintf(out, STIX_ID_MAX, "%s--%s", type, s) >= STIX_ID_MAX)
			rc = crix_error_set(err, CRIX_ETOOBIG, "type %.40s is too long", type);
	}
	free(buf);
	return rc;
}

/* ------------------------------------------------------------ values */

/*
 * An IPv6 value (or network "addr/len") in RFC 5952 text without the dotted
 * IPv4 tail ("::ffff:1.2.3.4" is "::ffff:102:304"): both are valid IPv6
 * text, but the official STIX 2.1 JSON schema's ipv6-addr pattern rejects
 * the dotted form, and every object crix writes must validate.
 */
static int ipv6_hex(const char *v, char *out, size_t cap, struct crix_error *err)
{
	char addr[64];
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);
	unsigned char b[16];
	if (n >= sizeof addr)
		return crix_error_set(err, CRIX_EINVAL, "ipv6: %.60s is not an address", v);
	memcpy(addr, v, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET6, addr, b) != 1)
		return crix_error_set(err, CRIX_EINVAL, "ipv6: %.60s is not an address", v);
	unsigned g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	int best = -1, bestlen = 1; /* RFC 5952 4.2.2: a single 0 is not shortened */
	for (int i = 0; i < 8;) {
		if (g[i] != 0) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j;
	}
	char t[64];
	size_t o = 0;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			o += (size_t)snprintf(t + o, sizeof t - o, "::");
			i += bestlen - 1;
			continue;
		}
		o += (size_t)snprintf(t + o, sizeof t - o, "%s%x",
		                      i == 0 || i == best + bestlen ? "" : ":", g[i]);
	}
	if ((size_t)snprintf(out, cap, "%s%s", t, slash ? slash : "") >= cap)
		return crix_error_set(err, CRIX_ETOOBIG, "ipv6: value too long");
	return 0;
}

/* The value written into the SCO and the pattern: the canonical value, but
 * IPv6 without a dotted tail. */
static int stix_value(const struct ioc_value *v, char *out, size_t cap, struct crix_error *err)
{
	if (v->type == IOC_IPV6 || v->type == IOC_CIDR6)
		return ipv6_hex(v->v, out, cap, err);
	if (v->len >= cap)
		return crix_error_set(err, CRIX_ETOOBIG, "%s: value too long",
		                      ioc_type_name(v->type));
	memcpy(out, v->v, v->len + 1);
	return 0;
}

/* The AS number of "AS64496". */
static int asn_number(const struct ioc_value *v, json_int_t *n, struct crix_error *err)
{
	const char *s = v->v;
	if (strncmp(s, "AS", 2) != 0 || s[2] < '0' || s[2] > '9')
		return crix_error_set(err, CRIX_EINVAL, "asn: %.40s is not AS<number>", s);
	char *end;
	unsigned long long x = strtoull(s + 2, &end, 10);
	if (*end != '\0' || x > 4294967295ull)
		return crix_error_set(err, CRIX_EINVAL, "asn: %.40s is not AS<number>", s);
	*n = (json_int_t)x;
	return 0;
}

static int no_object(const struct ioc_value *v, struct crix_error *err)
{
	return crix_error_set(err, CRIX_EINVAL, "%s: STIX 2.1 has no object for this type",
	                      ioc_type_name(v->type));
}

/* A string member; fails (NULL) on invalid UTF-8 like json_stringn. */
static int set_str(json_t *o, const char *k, const char *s)
{
	json_t *v = json_string(s);
	return v == NULL ? -1 : json_object_set_new(o, k, v);
}

/* The parts every STIX object of this export has: type, spec_version, id. */
static json_t *object_head(const char *type, const char *id)
{
	return json_pack("{s:s, s:s, s:s}", "type", type, "spec_version", "2.1", "id", id);
}

/* created_by_ref, created, modified, for SDOs and SROs. */
static int add_times(json_t *o, const struct stix_producer *p)
{
	int rc = 0;
	if (p->identity_id[0] != '\0')
		rc |= set_str(o, "created_by_ref", p->identity_id);
	rc |= set_str(o, "created", p->time);
	rc |= set_str(o, "modified", p->time);
	return rc;
}

static int add_marking(json_t *o, const struct stix_producer *p)
{
	return json_object_set_new(o, "object_marking_refs",
	                           json_pack("[s]", tlp_marking_id(p->tlp)));
}

/* Appends o to a; releases o instead when ok is false (a member could not
 * be set). */
static int append(json_t *a, json_t *o, bool ok, struct crix_error *err)
{
	if (!ok || o == NULL) {
		json_decref(o);
		return crix_error_oom(err);
	}
	if (json_array_append_new(a, o) != 0) /* it released o */
		return crix_error_oom(err);
	return 0;
}

/* -------------------------------------------------------------- SCOs */

int stix_sco(const struct stix_producer *p, const struct ioc_value *v, json_t **sco,
             char id[STIX_ID_MAX], struct crix_error *err)
{
	if (v->type <= IOC_NONE || v->type >= IOC_TYPE_COUNT || types[v->type].path == NULL)
		return no_object(v, err);
	const char *type = types[v->type].object;
	/* the ID contributing properties, STIX 2.1 section 6 per object */
	json_t *props;
	json_int_t asn = 0;
	char *val = malloc(IOC_VALUE_MAX);
	if (val == NULL)
		return crix_error_oom(err);
	int rc = stix_value(v, val, IOC_VALUE_MAX, err);
	if (rc != 0) {
		free(val);
		return rc;
	}
	if (types[v->type].hash != NULL)
		props = json_pack("{s:{s:s}}", "hashes", types[v->type].hash, val);
	else if (v->type == IOC_ASN)
		props = (rc = asn_number(v, &asn, err)) == 0 ? json_pack("{s:I}", "number", asn)
		                                             : NULL;
	else
		props = json_pack("{s:s}", "value", val);
	free(val);
	if (rc != 0)
		return rc;
	if (props == NULL)
		return crix_error_set(err, CRIX_EINVAL, "%s: value is not valid UTF-8",
		                      ioc_type_name(v->type));
	rc = stix_id_v5(type, STIX_SCO_NAMESPACE, props, id, err);
	if (rc != 0 || sco == NULL) {
		json_decref(props);
		return rc;
	}
	json_t *o = object_head(type, id);
	if (o == NULL || json_object_update(o, props) != 0 || add_marking(o, p) != 0) {
		json_decref(o);
		json_decref(props);
		return crix_error_oom(err);
	}
	json_decref(props);
	*sco = o;
	return 0;
}

/* ---------------------------------------------------------- patterns */

int stix_pattern_quote(const char *s, size_t len, char *out, size_t cap, size_t *outlen,
                       struct crix_error *err)
{
	size_t o = 0;
	if (cap < 3)
		goto toobig;
	out[o++] = '\'';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'' || s[i] == '\\') {
			if (o + 1 >= cap)
				goto toobig;
			out[o++] = '\\';
		}
		if (o + 1 >= cap)
			goto toobig;
		out[o++] = s[i];
	}
	if (o + 2 > cap)
		goto toobig;
	out[o++] = '\'';
	out[o] = '\0';
	*outlen = o;
	return 0;
toobig:
	return crix_error_set(err, CRIX_ETOOBIG, "pattern: value too long for %zu bytes", cap);
}

int stix_pattern(const struct ioc_value *v, char *out, size_t cap, struct crix_error *err)
{
	if (v->type <= IOC_NONE || v->type >= IOC_TYPE_COUNT || types[v->type].path == NULL)
		return no_object(v, err);
	const char *path = types[v->type].path, *op = types[v->type].op;
	int n;
	if (v->type == IOC_ASN) {
		json_int_t asn;
		int rc = asn_number(v, &asn, err);
		if (rc != 0)
			return rc;
		n = snprintf(out, cap, "[%s %s %" JSON_INTEGER_FORMAT "]", path, op, asn);
	} else {
		char *val = malloc(IOC_VALUE_MAX), *q = malloc(STIX_PATTERN_MAX);
		size_t qlen;
		int rc = val == NULL || q == NULL ? crix_error_oom(err) : 0;
		if (rc == 0)
			rc = stix_value(v, val, IOC_VALUE_MAX, err);
		if (rc == 0)
			rc = stix_pattern_quote(val, strlen(val), q, STIX_PATTERN_MAX, &qlen, err);
		n = rc == 0 ? snprintf(out, cap, "[%s %s %s]", path, op, q) : 0;
		free(val);
		free(q);
		if (rc != 0)
			return rc;
	}
	if (n < 0 || (size_t)n >= cap)
		return crix_error_set(err, CRIX_ETOOBIG, "pattern: longer than %zu bytes", cap);
	return 0;
}

/* ------------------------------------------------------- SDOs and SROs */

json_t *stix_tlp_marking(enum tlp t)
{
	static const char *const names[] = {"",          "TLP:CLEAR",        "TLP:GREEN",
	                                    "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"};
	if (t < TLP_CLEAR || t > TLP_RED)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}}}", "type",
	                 "marking-definition", "spec_version", "2.1", "id", tlp_marking_id(t),
	                 "created", STIX_TLP2_CREATED, "name", names[t], "extensions",
	                 STIX_TLP2_EXTENSION, "extension_type", "property-extension", "tlp_2_0",
	                 tlp_name(t));
}

json_t *stix_identity(const struct stix_producer *p)
{
	if (p->identity_id[0] == '\0')
		return NULL;
	json_t *o = object_head("identity", p->identity_id);
	if (o == NULL || set_str(o, "created", p->time) != 0 ||
	    set_str(o, "modified", p->time) != 0 || set_str(o, "name", p->org) != 0 ||
	    set_str(o, "identity_class", "organization") != 0 || add_marking(o, p) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The id of one of crix's SDOs/SROs: v5 in crix's namespace over the JCS of
 * its defining properties, the producer included (two producers' objects
 * must not share an id). */
static int crix_id(const struct stix_producer *p, const char *type, json_t *props,
                   char id[STIX_ID_MAX], struct crix_error *err)
{
	if (props == NULL)
		return crix_error_oom(err);
	int rc = json_object_set_new(props, "type", json_string(type));
	if (rc == 0 && p->identity_id[0] != '\0')
		rc = set_str(props, "created_by_ref", p->identity_id);
	rc = rc != 0 ? crix_error_oom(err) : stix_id_v5(type, STIX_CRIX_NAMESPACE, props, id, err);
	json_decref(props);
	return rc;
}

static int vulnerability(const struct stix_producer *p, const struct ioc_value *v, json_t *objs,
                         struct crix_error *err)
{
	char id[STIX_ID_MAX];
	int rc = crix_id(p, "vulnerability", json_pack("{s:s}", "name", v->v), id, err);
	if (rc != 0)
		return rc;
	json_t *o = object_head("vulnerability", id);
	return append(objs, o,
	              o != NULL && add_times(o, p) == 0 && set_str(o, "name", v->v) == 0 &&
	                      json_object_set_new(o, "external_references",
	                                          json_pack("[{s:s, s:s}]", "source_name", "cve",
	                                                    "external_id", v->v)) == 0 &&
	                      add_marking(o, p) == 0,
	              err);
}

static int indicator(const struct stix_producer *p, const struct ioc_value *v, json_t *a,
                     char id[STIX_ID_MAX], struct crix_error *err)
{
	char *pattern = malloc(STIX_PATTERN_MAX);
	if (pattern == NULL)
		return crix_error_oom(err);
	int rc = stix_pattern(v, pattern, STIX_PATTERN_MAX, err);
	if (rc == 0)
		rc = crix_id(p, "indicator", json_pack("{s:s}", "pattern", pattern), id, err);
	if (rc == 0) {
		json_t *o = object_head("indicator", id);
		rc = append(a, o,
		            o != NULL && add_times(o, p) == 0 && set_str(o, "name", v->v) == 0 &&
		                    set_str(o, "pattern", pattern) == 0 &&
		                    set_str(o, "pattern_type", "stix") == 0 &&
		                    set_str(o, "pattern_version", "2.1") == 0 &&
		                    set_str(o, "valid_from", p->time) == 0 &&
		                    add_marking(o, p) == 0,
		            err);
	}
	free(pattern);
	return rc;
}

static int based_on(const struct stix_producer *p, const char *from, const char *to, json_t *a,
                    struct crix_error *err)
{
	char id[STIX_ID_MAX];
	int rc = crix_id(p, "relationship",
	                 json_pack("{s:s, s:s, s:s}", "relationship_type", "based-on", "source_ref",
	                           from, "target_ref", to),
	                 id, err);
	if (rc != 0)
		return rc;
	json_t *o = object_head("relationship", id);
	return append(a, o,
	              o != NULL && add_times(o, p) == 0 &&
	                      set_str(o, "relationship_type", "based-on") == 0 &&
	                      set_str(o, "source_ref", from) == 0 &&
	                      set_str(o, "target_ref", to) == 0 && add_marking(o, p) == 0,
	              err);
}

int stix_objects(const struct stix_producer *p, const struct ioc_value *v, json_t **objs,
                 struct crix_error *err)
{
	if (stix_object_type(v->type) == NULL)
		return no_object(v, err);
	json_t *a = json_array();
	if (a == NULL)
		return crix_error_oom(err);
	int rc;
	if (v->type == IOC_CVE) {
		rc = vulnerability(p, v, a, err);
	} else {
		json_t *sco = NULL;
		char sco_id[STIX_ID_MAX], ind_id[STIX_ID_MAX];
		rc = stix_sco(p, v, &sco, sco_id, err);
		if (rc == 0)
			rc = append(a, sco, true, err);
		if (rc == 0)
			rc = indicator(p, v, a, ind_id, err);
		if (rc == 0)
			rc = based_on(p, ind_id, sco_id, a, err);
	}
	if (rc != 0) {
		json_decref(a);
		return rc;
	}
	*objs = a;
	return 0;
}

/* ------------------------------- reports, cases, organisations, sightings */

static const char *sector_of(const char *kind)
{
	static const char *const map[][2] = {
	        {"law-enforcement", "government-emergency-services"},
	        {"cert", "government-public-services"},
	        {"business", "commercial"},
	        {"public-sector", "government"},
	        {"ngo", "non-profit"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (kind != NULL && strcmp(kind, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

json_t *stix_org_identity(const struct stix_producer *p, const char *name, const char *kind,
                          char id[STIX_ID_MAX], struct crix_error *err)
{
	json_t *props = json_pack("{s:s, s:s, s:s}", "type", "identity", "identity_class",
	                          "organization", "name", name);
	if (props == NULL) {
		crix_error_set(err, CRIX_EINVAL, "organisation '%s': not valid UTF-8", name);
		return NULL;
	}
	int rc = stix_id_v5("identity", STIX_CRIX_NAMESPACE, props, id, err);
	json_decref(props);
	if (rc != 0)
		return NULL;
	json_t *o = object_head("identity", id);
	const char *sector = sector_of(kind);
	bool ok = o != NULL && set_str(o, "created", p->time) == 0 &&
	          set_str(o, "modified", p->time) == 0 && set_str(o, "name", name) == 0 &&
	          set_str(o, "identity_class", "organization") == 0 &&
	          (sector == NULL ||
	           json_object_set_new(o, "sectors", json_pack("[s]", sector)) == 0) &&
	          add_marking(o, p) == 0;
	/* another organisation's identity says who described it */
	if (ok && p->identity_id[0] != '\0' && strcmp(p->identity_id, id) != 0)
		ok = set_str(o, "created_by_ref", p->identity_id) == 0;
	if (!ok) {
		json_decref(o);
		crix_error_oom(err);
		return NULL;
	}
	return o;
}

/* The parts of a report: head, times, name, description, object_refs,
 * marking. */
static json_t *container(const struct stix_producer *p, const char *type, const char *name,
                         const char *description, const json_t *refs, char id[STIX_ID_MAX],
                         struct crix_error *err)
{
	if (!json_is_array(refs) || json_array_size(refs) == 0) {
		crix_error_set(err, CRIX_EINVAL, "%s '%s': no objects to refer to", type, name);
		return NULL;
	}
	if (crix_id(p, type, json_pack("{s:s}", "name", name), id, err) != 0)
		return NULL;
	json_t *o = object_head(type, id);
	bool ok = o != NULL && add_times(o, p) == 0 && set_str(o, "name", name) == 0 &&
	          (description == NULL || description[0] == '\0' ||
	           set_str(o, "description", description) == 0) &&
	          json_object_set_new(o, "object_refs", json_deep_copy(refs)) == 0 &&
	          add_marking(o, p) == 0;
	if (!ok) {
		json_decref(o);
		crix_error_oom(err);
		return NULL;
	}
	return o;
}

json_t *stix_report(const struct stix_producer *p, const char *name, const char *published,
                    const char *label, const char *description, const json_t *refs,
                    char id[STIX_ID_MAX], struct crix_error *err)
{
	json_t *o = container(p, "report", name, description, refs, id, err);
	if (o == NULL)
		return NULL;
	bool ok = json_object_set_new(o, "report_types", json_pack("[s]", "threat-report")) == 0 &&
	          set_str(o, "published", published) == 0 &&
	          (label == NULL || label[0] == '\0' ||
	           json_object_set_new(o, "labels", json_pack("[s]", label)) == 0);
	if (!ok) {
		json_decref(o);
		crix_error_oom(err);
		return NULL;
	}
	return o;
}

json_t *stix_sighting(const struct stix_producer *p, const char *id, const char *sighting_of,
                      const char *where_ref, int64_t count, const char *first_seen,
                      const char *last_seen, const char *description, const char *observed,
                      struct crix_error *err)
{
	json_t *o = object_head("sighting", id);
	bool ok = o != NULL && add_times(o, p) == 0 &&
	          set_str(o, "sighting_of_ref", sighting_of) == 0 &&
	          json_object_set_new(o, "count",
	                              json_integer(count > 999999999 ? 999999999 : count)) == 0 &&
	          set_str(o, "first_seen", first_seen) == 0 &&
	          set_str(o, "last_seen", last_seen) == 0;
	if (ok && where_ref != NULL && where_ref[0] != '\0')
		ok = json_object_set_new(o, "where_sighted_refs", json_pack("[s]", where_ref)) == 0;
	if (ok && description != NULL && description[0] != '\0')
		ok = set_str(o, "description", description) == 0;
	if (ok && observed != NULL && observed[0] != '\0') {
		json_t *a = json_array();
		char buf[1024];
		snprintf(buf, sizeof buf, "%s", observed);
		for (char *s = buf, *e; ok && s != NULL && *s; s = e ? e + 1 : NULL) {
			e = strchr(s, ',');
			if (e != NULL)
				*e = '\0';
			ok = a != NULL && json_array_append_new(a, json_string(s)) == 0;
		}
		ok = ok && json_object_set_new(o, "observed_data_refs", a) == 0;
	}
	ok = ok && add_marking(o, p) == 0;
	if (!ok) {
		json_decref(o);
		crix_error_oom(err);
		return NULL;
	}
	return o;
}

void stix_bundle_id(char out[STIX_ID_MAX])
{
	struct uuid u;
	char s[UUID_STR_LEN];
	uuid_v4(&u);
	uuid_format(&u, s);
	snprintf(out, STIX_ID_MAX, "bundle--%s", s);
}
