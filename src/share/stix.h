/*
 * stix.h - crix indicators as STIX 2.1 objects (jansson json_t).
 *
 * One crix indicator (a type and its canonical value, src/ioc) becomes:
 *   - its cyber-observable object (SCO): ipv4-addr, ipv6-addr (CIDRs too),
 *     domain-name, url, email-addr, file (hashes MD5, SHA-1, SHA-256,
 *     SHA-512) or autonomous-system, with the deterministic id STIX 2.1
 *     section 2.9 asks for: UUIDv5 in the namespace STIX_SCO_NAMESPACE of the
 *     RFC 8785 canonical JSON of the SCO's ID contributing properties
 *     ({"value":...}, {"hashes":{"MD5":...}}, {"number":...});
 *   - an indicator SDO whose STIX pattern matches that observable;
 *   - a relationship "indicator based-on observable".
 * A CVE becomes a vulnerability SDO with its "cve" external reference (there
 * is nothing to observe, so no indicator).  Phone numbers, IBANs, payment
 * cards and Bitcoin/Ethereum addresses have no STIX 2.1 object and are not
 * exported: stix_object_type is NULL for them (see docs/stix.md).
 *
 * Every object carries the export's TLP 2.0 marking (object_marking_refs)
 * and, when a producing organisation is named, created_by_ref to its
 * identity SDO.  The ids of crix's SDOs and SROs are UUIDv5 in crix's own
 * namespace STIX_CRIX_NAMESPACE over the canonical JSON of what defines them
 * (type, pattern or name, producer), so that exporting the same indicator
 * again gives the same id: a newer version of the same object, not a
 * duplicate.  Bundles get random (v4) ids.
 *
 * Victims' personal data cannot appear: this module is given nothing but
 * indicator values and an organisation name.
 *
 * Ownership: every json_t returned is a new reference the caller releases
 * with json_decref.  struct stix_producer is a plain value.
 */
#ifndef CRIX_SHARE_STIX_H
#define CRIX_SHARE_STIX_H

#include <jansson.h>
#include <stddef.h>

#include "ioc/ioc.h"
#include "share/tlp.h"
#include "util/clock.h"
#include "util/err.h"

#define STIX_ID_MAX 64 /* "marking-definition--" + a UUID, with room to spare */

/* STIX 2.1 section 2.9: the namespace of deterministic SCO ids. */
#define STIX_SCO_NAMESPACE "00abedb4-aa42-466c-9c01-fed23315a9b7"
/* crix's namespace for its own SDO/SRO ids (STIX forbids the SCO one there). */
#define STIX_CRIX_NAMESPACE "58cce361-bd7c-4834-af76-a8719be1ba99"
/* The TLP 2.0 marking-definition extension and its objects' created time. */
#define STIX_TLP2_EXTENSION "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
#define STIX_TLP2_CREATED   "2022-10-01T00:00:00.000Z"

/* Longest pattern stix_pattern writes: a value of IOC_VALUE_MAX bytes,
 * every byte escaped, plus the object path. */
#define STIX_PATTERN_MAX (2 * IOC_VALUE_MAX + 64)

/* What every object of one export shares. */
struct stix_producer {
	enum tlp tlp;                  /* marking of every object */
	char org[256];                 /* producing organisation, or "" */
	char identity_id[STIX_ID_MAX]; /* its identity SDO's id, or "" */
	char time[CLOCK_ISO_LEN];      /* created, modified and valid_from */
};

/*
 * Fills p: tlp must be a TLP (tlp_parse), org may be NULL (no identity, no
 * created_by_ref), time may be NULL (now) or a time clock_parse_iso reads.
 * Fails with CRIX_EINVAL naming the bad argument.
 */
int stix_producer_init(struct stix_producer *p, enum tlp tlp, const char *org, const char *time,
                       struct crix_error *err);

/* The STIX type crix writes for an indicator type ("ipv4-addr", "file",
 * "autonomous-system", "vulnerability", ...), or NULL when STIX 2.1 has none. */
const char *stix_object_type(enum ioc_type t);

/*
 * RFC 8785 (JCS) canonical JSON of v into out[0..cap): objects with members
 * sorted by the UTF-16 code units of their names, no white space, strings
 * escaped as ECMAScript's JSON.stringify does.  Only objects, arrays,
 * strings, integers, true, false and null (crix never hashes a fraction).
 * OUT: *len (without the NUL written after it).  CRIX_ETOOBIG when it does
 * not fit, CRIX_EINVAL for a real number.
 */
int stix_jcs(const json_t *v, char *out, size_t cap, size_t *len, struct crix_error *err);

/* "type--" + UUIDv5(namespace, the JCS of props).  namespace: a UUID text. */
int stix_id_v5(const char *type, const char *ns, const json_t *props, char out[STIX_ID_MAX],
               struct crix_error *err);

/*
 * The SCO of v (not a CVE or a type without STIX object: CRIX_EINVAL), with
 * its deterministic id.  OUT: *sco (may be NULL when only the id is
 * wanted), id.
 */
int stix_sco(const struct stix_producer *p, const struct ioc_value *v, json_t **sco,
             char id[STIX_ID_MAX], struct crix_error *err);

/*
 * Writes s[0..len) as a STIX pattern string literal, quotes included, with
 * ' and \ escaped by a backslash.  OUT: out (NUL-terminated), *outlen.
 * CRIX_ETOOBIG when cap is too small.
 */
int stix_pattern_quote(const char *s, size_t len, char *out, size_t cap, size_t *outlen,
                       struct crix_error *err);

/*
 * The STIX pattern matching v, e.g. [ipv4-addr:value = '198.51.100.7'],
 * [ipv4-addr:value ISSUBSET '10.0.0.0/8'], [file:hashes.'SHA-256' = '...'],
 * [autonomous-system:number = 64496].  OUT: out (cap bytes, at least
 * STIX_PATTERN_MAX suffices).
 */
int stix_pattern(const struct ioc_value *v, char *out, size_t cap, struct crix_error *err);

/* The standard TLP 2.0 marking-definition object of t, exactly as the TLP
 * 2.0 extension publishes it; NULL for an unknown t. */
json_t *stix_tlp_marking(enum tlp t);

/* The identity SDO of the producing organisation; NULL when p has none. */
json_t *stix_identity(const struct stix_producer *p);

/*
 * The objects for one indicator, in the order a bundle should hold them:
 * the SCO, the indicator and the relationship, or the vulnerability of a
 * CVE.  OUT: *objs, a new array.  A type without STIX object fails with
 * CRIX_EINVAL and a message naming the type.
 */
int stix_objects(const struct stix_producer *p, const struct ioc_value *v, json_t **objs,
                 struct crix_error *err);

/* ---- reports, cases, organisations, sightings (issue 5) ----
 *
 * These are built from what the caller passes: a report's reference,
 * times, category and the ids of its indicators' objects, never the
 * victim's details, which the callers do not read. */

/*
 * An organisation as an identity SDO: identity_class "organization", its
 * name, and sectors from its crix kind (law-enforcement:
 * government-emergency-services, cert: government-public-services, business:
 * commercial, public-sector: government, ngo: non-profit).  Its id is the
 * one stix_producer_init gives an organisation of that name, so the
 * producer's own organisation keeps one id.  OUT: id.
 */
json_t *stix_org_identity(const struct stix_producer *p, const char *name, const char *kind,
                          char id[STIX_ID_MAX], struct crix_error *err);

/*
 * A report SDO: name the crix reference, report_types ["threat-report"],
 * published, labels [label] when label is not empty, description, and
 * object_refs (a non-empty array of ids, not stolen).  Its id is v5 over
 * the name and producer.  OUT: id.
 */
json_t *stix_report(const struct stix_producer *p, const char *name, const char *published,
                    const char *label, const char *description, const json_t *refs,
                    char id[STIX_ID_MAX], struct crix_error *err);

/* A sighting SRO with its own id ("sighting--UUID"): sighting_of_ref,
 * where_sighted_refs [where_ref] (when not empty), count (capped at the
 * schema's 999,999,999), first_seen, last_seen, description (when not
 * empty), observed_data_refs from a comma-separated list (when not empty). */
json_t *stix_sighting(const struct stix_producer *p, const char *id, const char *sighting_of,
                      const char *where_ref, int64_t count, const char *first_seen,
                      const char *last_seen, const char *description, const char *observed,
                      struct crix_error *err);

/* A new bundle id, "bundle--" + a random UUID. */
void stix_bundle_id(char out[STIX_ID_MAX]);

#endif
