/*
 * misp.h - the MISP core format and MISP feeds.
 *
 * Reading: a MISP event ({"Event": {...}} with Attribute[] and
 * Object[].Attribute[], Tag[] with tlp:*, distribution, to_ids) becomes
 * STIX 2.1 objects: one indicator per attribute of a type crix knows (the
 * table in misp.c: ip-src/ip-dst and their |port forms, domain, hostname,
 * domain|ip, url, link, email-src/-dst, md5, sha1, sha256, sha512,
 * filename|HASH), whose id is the attribute's UUID, and one report per event
 * naming them.  Attributes with to_ids false, deleted ones, and unknown types
 * are counted, not converted.  A feed (manifest.json + UUID.json) is read
 * event by event.
 *
 * Writing: a collection, as one caller may see it (through sharing_objects,
 * the one visibility path), becomes one MISP event whose UUID is the
 * collection's id: an attribute per value of each visible indicator whose
 * pattern crix understands; the manifest lists one entry per readable
 * collection.  Only shared STIX objects are read: a victim's personal data is
 * never in them.
 *
 * Ownership: returned json_t are new references.
 */
#ifndef CRIX_SHARE_MISP_H
#define CRIX_SHARE_MISP_H

#include <jansson.h>
#include <stdio.h>

#include "ioc/ioc.h"
#include "model/account.h"
#include "share/sharing.h"
#include "share/tlp.h"
#include "util/err.h"

#define MISP_FILE_MAX (64u << 20) /* one event file or manifest */

/* What reading events found. */
struct misp_stats {
	size_t events, attributes; /* attributes seen */
	size_t converted;          /* became indicators */
	size_t not_ids;            /* to_ids false, or deleted */
	size_t invalid;            /* a known type whose value is not valid */
	json_t *unsupported;       /* type -> count (owned by the caller) */
};

/*
 * Appends to objs the STIX objects of one MISP event (doc: {"Event": {...}}
 * or the event object itself): indicators, then a report naming them (none
 * when no attribute converted).  Their TLP marking is the event's tlp: tag,
 * else AMBER+STRICT for distribution 0 (your organisation only), else none
 * (the collection's TLP applies).  CRIX_EINVAL naming the field when doc is
 * not an event.
 */
int misp_event_to_stix(const struct ioc_ctx *ioc, const json_t *doc, json_t *objs,
                       struct misp_stats *st, struct crix_error *err);

/*
 * crix import misp: path is an event file or a feed directory (manifest.json
 * and UUID.json files).  Imports into coll as its owner (sharing_import_*);
 * writes one JSON line of counts to out, problems to diag.  Returns the
 * exit status: 0, 1 (an input was not MISP), 2 (store error).
 */
int misp_import_path(struct sharing *sh, const struct ioc_ctx *ioc, const char *coll,
                     const char *path, FILE *out, FILE *diag);

/* The MISP event {"Event": {...}} of collection id as p sees it.
 * CRIX_ENOTFOUND when p may not read it. */
int misp_collection_event(struct sharing *sh, struct store *s, const struct ioc_ctx *ioc,
                          const struct principal *p, const char *id, json_t **event,
                          struct crix_error *err);

/* The feed manifest {UUID: {info, Orgc, Tag, date, analysis, threat_level_id,
 * timestamp}} of every collection p may read. */
int misp_manifest(struct sharing *sh, struct store *s, const struct ioc_ctx *ioc,
                  const struct principal *p, json_t **manifest, struct crix_error *err);

/* The manifest entry of one event document. */
json_t *misp_manifest_entry(const json_t *event);

#endif
