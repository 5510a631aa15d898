/*
 * bundle.c - the streaming STIX bundle scanner (see bundle.h).
 *
 * Two layers: a small state machine for the structure around the elements
 * (the top-level object, its keys, colons and commas, the "objects" array
 * and its commas), and a value capture that only follows strings and
 * nesting to find where a value ends.  Captured bytes are copied a span at
 * a time; a value that lies wholly inside one fed piece is handed to the
 * callback from that piece without a copy.
 */
#include "share/bundle.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MEMBER_MAX (64u << 10) /* a top-level member other than "objects" */
#define KEY_MAX    256

enum state {
	S_START,        /* before the top-level '{' */
	S_KEY_OR_END,   /* after '{': a key or '}' */
	S_KEY,          /* after ',': a key */
	S_COLON,        /* after a key */
	S_MEMBER,       /* after a key's ':': its value */
	S_ARRAY,        /* after "objects": '[' */
	S_ELEM_OR_END,  /* after '[': an element or ']' */
	S_ELEM,         /* after ',' in the array: an element */
	S_AFTER_ELEM,   /* ',' or ']' */
	S_AFTER_MEMBER, /* ',' or '}' */
	S_DONE,         /* only white space may follow */
	S_CAPTURE       /* inside a value */
};

enum target { T_KEY, T_MEMBER, T_ELEM };

struct bundle_scan {
	bundle_object_fn fn;
	void *arg;
	size_t obj_max;
	enum state st;
	size_t offset; /* bytes fed before the current piece */
	size_t index;  /* elements handed over */
	bool seen_objects, key_is_objects, key_is_type;
	/* the value being captured */
	enum target target;
	size_t cap_max;
	size_t vstart; /* offset of its first byte */
	size_t depth;
	bool in_str, esc, scalar, started;
	char *buf;
	size_t len, cap;
};

int bundle_scan_new(size_t obj_max, bundle_object_fn fn, void *arg, struct bundle_scan **out,
                    struct crix_error *err)
{
	struct bundle_scan *b = calloc(1, sizeof *b);
	if (b == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "bundle: out of memory");
	b->fn = fn;
	b->arg = arg;
	b->obj_max = obj_max ? obj_max : BUNDLE_OBJECT_MAX;
	*out = b;
	return 0;
}

void bundle_scan_free(struct bundle_scan *b)
{
	if (b == NULL)
		return;
	free(b->buf);
	free(b);
}

static bool ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* "byte N: expected X, found 'c'" */
static int expected(struct crix_error *err, size_t at, const char *what, char got)
{
	if ((unsigned char)got > 0x20 && (unsigned char)got < 0x7f)
		return crix_error_set(err, CRIX_EINVAL, "bundle: byte %zu: expected %s, found '%c'",
		                      at, what, got);
	return crix_error_set(err, CRIX_EINVAL, "bundle: byte %zu: expected %s, found byte 0x%02x",
	                      at, what, (unsigned char)got);
}

/* Can a JSON value start with c? */
static bool value_start(char c)
{
	return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' ||
	       c == 'f' || c == 'n';
}

static void capture_start(struct bundle_scan *b, enum target t, size_t at)
{
	b->vstart = at;
	b->st = S_CAPTURE;
	b->target = t;
	b->cap_max = t == T_ELEM ? b->obj_max : t == T_KEY ? KEY_MAX : MEMBER_MAX;
	b->depth = 0;
	b->in_str = b->esc = b->scalar = b->started = false;
	b->len = 0;
}

static int too_big(const struct bundle_scan *b, struct crix_error *err)
{
	if (b->target == T_ELEM)
		return crix_error_set(err, CRIX_ETOOBIG,
		                      "bundle: objects[%zu] (from byte %zu): larger than %zu bytes",
		                      b->index, b->vstart, b->cap_max);
	return crix_error_set(err, CRIX_ETOOBIG, "bundle: byte %zu: a %s over %zu bytes", b->vstart,
	                      b->target == T_KEY ? "member name" : "top-level member", b->cap_max);
}

static int buf_add(struct bundle_scan *b, const char *p, size_t n, struct crix_error *err)
{
	if (n == 0)
		return 0;
	if (n > b->cap_max - b->len)
		return too_big(b, err);
	if (b->len + n > b->cap) {
		size_t nc = b->cap ? b->cap : 4096;
		while (nc < b->len + n)
			nc *= 2;
		char *q = realloc(b->buf, nc);
		if (q == NULL)
			return crix_error_set(err, CRIX_ENOMEM, "bundle: out of memory");
		b->buf = q;
		b->cap = nc;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	return 0;
}

/* A complete value v[0..n). */
static int value_done(struct bundle_scan *b, const char *v, size_t n, struct crix_error *err)
{
	size_t at = b->vstart;
	if (n > b->cap_max)
		return too_big(b, err);
	if (b->target == T_ELEM) {
		b->st = S_AFTER_ELEM;
		size_t i = b->index++;
		return b->fn(b->arg, i, v, n);
	}
	json_error_t je;
	json_t *j = json_loadb(v, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return crix_error_set(err, CRIX_EINVAL, "bundle: byte %zu: %s: %s", at,
		                      b->target == T_KEY ? "member name" : "top-level member",
		                      je.text);
	int rc = 0;
	if (b->target == T_KEY) {
		const char *k = json_string_value(j);
		b->key_is_objects = k != NULL && strcmp(k, "objects") == 0;
		b->key_is_type = k != NULL && strcmp(k, "type") == 0;
		if (b->key_is_objects && b->seen_objects)
			rc = crix_error_set(err, CRIX_EINVAL,
			                    "bundle: byte %zu: \"objects\" appears twice", at);
		b->st = S_COLON;
	} else {
		const char *t = json_string_value(j);
		if (b->key_is_type && (t == NULL || strcmp(t, "bundle") != 0))
			rc = crix_error_set(err, CRIX_EINVAL,
			                    "bundle: byte %zu: type: must be \"bundle\"", at);
		b->st = S_AFTER_MEMBER;
	}
	json_decref(j);
	return rc;
}

/*
 * Follows the value being captured through data[i..n).  OUT: *used, the
 * bytes that belong to it (a scalar ends before the byte that ends it).
 * Sets *done when the value ended.
 */
static size_t capture_scan(struct bundle_scan *b, const char *data, size_t i, size_t n, bool *done)
{
	size_t k = i;
	*done = false;
	if (!b->started) {
		char c = data[k];
		b->started = true;
		if (c == '{' || c == '[')
			b->depth = 1;
		else if (c == '"')
			b->in_str = true;
		else
			b->scalar = true;
		k++;
	}
	if (b->scalar) {
		for (; k < n; k++) {
			char c = data[k];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' ||
			      c == '+' || c == '.' || c == 'E')) {
				*done = true;
				return k - i;
			}
		}
		return k - i;
	}
	for (; k < n; k++) {
		char c = data[k];
		if (b->in_str) {
			if (b->esc)
				b->esc = false;
			else if (c == '\\')
				b->esc = true;
			else if (c == '"') {
				b->in_str = false;
				if (b->depth == 0) {
					*done = true;
					return k + 1 - i;
				}
			}
			continue;
		}
		if (c == '"')
			b->in_str = true;
		else if (c == '{' || c == '[')
			b->depth++;
		else if (c == '}' || c == ']') {
			if (--b->depth == 0) {
				*done = true;
				return k + 1 - i;
			}
		}
	}
	return k - i;
}

int bundle_scan_feed(struct bundle_scan *b, const char *data, size_t n, struct crix_error *err)
{
	size_t i = 0;
	int rc = 0;
	while (i < n && rc == 0) {
		char c = data[i];
		size_t at = b->offset + i;
		if (b->st == S_CAPTURE) {
			bool fresh = !b->started;
			bool done;
			size_t used = capture_scan(b, data, i, n, &done);
			if (done && fresh)
				rc = value_done(b, data + i, used, err); /* no copy */
			else {
				rc = buf_add(b, data + i, used, err);
				if (rc == 0 && done)
					rc = value_done(b, b->buf, b->len, err);
			}
			i += used;
			continue;
		}
		if (ws(c)) {
			i++;
			continue;
		}
		switch (b->st) {
		case S_START:
			if (c != '{')
				return expected(err, at, "a bundle: '{'", c);
			b->st = S_KEY_OR_END;
			i++;
			break;
		case S_KEY_OR_END:
		case S_KEY:
			if (c == '}' && b->st == S_KEY_OR_END) {
				b->st = S_DONE;
				i++;
			} else if (c == '"')
				capture_start(b, T_KEY, at);
			else
				return expected(err, at, "a member name", c);
			break;
		case S_COLON:
			if (c != ':')
				return expected(err, at, "':'", c);
			i++;
			if (b->key_is_objects) {
				b->seen_objects = true;
				b->st = S_ARRAY;
			} else
				b->st = S_MEMBER;
			break;
		case S_MEMBER:
			if (!value_start(c))
				return expected(err, at, "a value", c);
			capture_start(b, T_MEMBER, at);
			break;
		case S_ARRAY:
			if (c != '[')
				return expected(err, at, "objects: an array '['", c);
			b->st = S_ELEM_OR_END;
			i++;
			break;
		case S_ELEM_OR_END:
		case S_ELEM:
			if (c == ']' && b->st == S_ELEM_OR_END) {
				b->st = S_AFTER_MEMBER;
				i++;
			} else if (!value_start(c))
				return expected(err, at, "an object", c);
			else
				capture_start(b, T_ELEM, at);
			break;
		case S_AFTER_ELEM:
			if (c == ',')
				b->st = S_ELEM;
			else if (c == ']')
				b->st = S_AFTER_MEMBER;
			else
				return expected(err, at, "',' or ']' after an object", c);
			i++;
			break;
		case S_AFTER_MEMBER:
			if (c == ',')
				b->st = S_KEY;
			else if (c == '}')
				b->st = S_DONE;
			else
				return expected(err, at, "',' or '}'", c);
			i++;
			break;
		case S_DONE: return expected(err, at, "nothing after the bundle", c);
		case S_CAPTURE: break; /* handled above */
		}
	}
	b->offset += i;
	return rc;
}

int bundle_scan_end(struct bundle_scan *b, size_t *objects, struct crix_error *err)
{
	if (objects != NULL)
		*objects = b->index;
	if (b->st != S_DONE)
		return crix_error_set(err, CRIX_EINVAL, "bundle: ends early at byte %zu (%s)",
		                      b->offset,
		                      b->st == S_START ? "empty" : "not a complete JSON object");
	if (!b->seen_objects)
		return crix_error_set(err, CRIX_EINVAL, "bundle: no \"objects\" array");
	return 0;
}
