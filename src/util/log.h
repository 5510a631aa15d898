/*
 * log.h - structured logs: one JSON object per line on stderr, so that an
 * operator can feed them to any log pipeline (and grep them).
 */
#ifndef CRIX_UTIL_LOG_H
#define CRIX_UTIL_LOG_H

#include <jansson.h>

/* Writes {"ts": now, "level": level, "msg": msg, ...fields} as one line.
 * Steals the reference to fields (may be NULL).  Thread-safe. */
void log_event(const char *level, const char *msg, json_t *fields);

/* Turns logging off (tests that want quiet stderr) or on. */
void log_set_enabled(int on);

#endif
