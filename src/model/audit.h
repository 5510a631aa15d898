/*
 * audit.h - the audit chain: every change, and every read of a victim's
 * personal data, appends an entry (who, what, when, which object) whose hash
 * covers the previous entry's hash, so that editing or removing any entry
 * breaks the chain from there on.
 */
#ifndef CRIX_MODEL_AUDIT_H
#define CRIX_MODEL_AUDIT_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Appends an entry inside tx (so it commits or rolls back with the change it
 * records).  actor: who ("user:3:alice", "public", "victim", "cli"); action:
 * what ("report.create", "report.read-victim", ...); object_type/object_id:
 * which object; detail: more, or NULL.
 */
int audit_append(struct store_tx *tx, const char *actor, const char *action,
                 const char *object_type, const char *object_id, const char *detail,
                 struct crix_error *err);

/* The hash an entry must carry, as hex, computed over its fields and
 * prev_hash. */
void audit_hash(const struct store_audit *a, char out[STORE_HEX_MAX]);

/*
 * Walks the chain from the first entry.  Returns 0 when it is intact (OUT:
 * *checked, the number of entries), or CRIX_EINVAL with a message naming the
 * first entry that was altered or whose predecessor was removed (OUT: *bad_id).
 */
int audit_verify(struct store *s, int64_t *checked, int64_t *bad_id, struct crix_error *err);

#endif
