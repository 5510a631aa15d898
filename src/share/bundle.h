/*
 * bundle.h - a streaming reader of STIX 2.1 bundles.
 *
 * A bundle of tens of megabytes is one JSON object whose "objects" array
 * holds the objects.  Parsing it whole (json_loadb, or json_load_callback,
 * which still builds the full tree) costs memory in proportion to the
 * bundle.  This scanner is fed the bytes in pieces of any size and hands
 * each element of the top-level "objects" array, as the exact bytes it was
 * written with, to a callback as soon as its last byte arrives; the caller
 * parses that one element (json_loadb).  Memory is bounded by the largest
 * element (at most obj_max bytes, else an error).
 *
 * What it checks itself: the top level is an object; its members are
 * separated as JSON requires; "objects" appears once and is an array; every
 * other top-level member (type, id, spec_version...) is at most 64 KiB and
 * valid JSON, and "type", when present, is "bundle".  What it leaves to the
 * callback: that each element is valid JSON (it tracks only nesting and
 * strings to find where an element ends).
 *
 * Errors name the byte offset (from 0) and what was expected there.
 * Ownership: the scanner owns its buffer; the bytes given to the callback
 * are valid only during the call.
 */
#ifndef CRIX_SHARE_BUNDLE_H
#define CRIX_SHARE_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define BUNDLE_OBJECT_MAX (16u << 20) /* the default cap on one object */

struct bundle_scan;

/*
 * Called once per element of "objects", in order: index from 0, the
 * element's bytes (not NUL-terminated).  A non-zero return stops the scan
 * and is returned by bundle_scan_feed.
 */
typedef int (*bundle_object_fn)(void *arg, size_t index, const char *obj, size_t len);

/* A scanner; obj_max: the largest element accepted (0: BUNDLE_OBJECT_MAX). */
int bundle_scan_new(size_t obj_max, bundle_object_fn fn, void *arg, struct bundle_scan **out,
                    struct crix_error *err);
void bundle_scan_free(struct bundle_scan *b); /* NULL ok */

/* Feeds the next n bytes.  0, CRIX_EINVAL (naming the offset), CRIX_ETOOBIG
 * (an element over obj_max), CRIX_ENOMEM, or the callback's return. */
int bundle_scan_feed(struct bundle_scan *b, const char *data, size_t n, struct crix_error *err);

/* After the last byte: CRIX_EINVAL when the bundle is not complete.  OUT:
 * *objects, the elements handed over (may be NULL). */
int bundle_scan_end(struct bundle_scan *b, size_t *objects, struct crix_error *err);

#endif
