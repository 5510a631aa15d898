#include "util/log.h"

#include "util/clock.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int enabled = 1;

void log_set_enabled(int on)
{
	enabled = on;
}

void log_event(const char *level, const char *msg, json_t *fields)
{
	if (!enabled) {
		json_decref(fields);
		return;
	}
	char ts[CLOCK_ISO_LEN];
	json_t *o = json_pack("{s:s,s:s,s:s}", "ts", clock_now_iso(ts), "level", level, "msg", msg);
	if (o != NULL && fields != NULL)
		json_object_update(o, fields);
	json_decref(fields);
	char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (line == NULL)
		return;
	/* One fputs under a lock: lines from different threads never mix. */
	pthread_mutex_lock(&lock);
	fputs(line, stderr);
	fputc('\n', stderr);
	fflush(stderr);
	pthread_mutex_unlock(&lock);
	free(line);
}
