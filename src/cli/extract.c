/*
 * extract.c - `crix extract`: indicators in text files as JSON lines.
 *
 * Input is streamed in chunks cut at line boundaries so that memory stays
 * bounded whatever the input size (indicators never span lines).  zlib's
 * gzread reads gzip files and plain files alike.
 */
#include "cli/cli.h"
#include "ioc/ioc.h"
#include "util/jsonw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (16u << 20) /* a longer line is cut here */

void cli_extract_help(FILE *f)
{
	fprintf(f,
	        "usage: crix extract [--refang] [--type T[,T...]] [--country CC] [FILE...]\n\n"
	        "Finds indicators in text and prints one JSON object per line:\n"
	        "  "
	        "{\"type\":\"domain\",\"value\":\"evil.com\",\"raw\":\"evil[.]com\",\"offset\":12,"
	        "\"line\":1,\"file\":\"r.txt\"}\n"
	        "Reads each FILE (gzip is read transparently; '-' is standard input), or standard\n"
	        "input when no FILE is given.\n\n"
	        "Options:\n"
	        "  --refang        undo defanging (hxxp, [.], (dot), [at], ...) first; raw and\n"
	        "                  offset still refer to the original text\n"
	        "  --type T,...    only these types: ipv4 ipv6 cidr4 cidr6 domain url email md5\n"
	        "                  sha1 sha256 sha512 phone iban card btc eth asn cve\n"
	        "  --country CC    default country (ISO 3166-1 alpha-2) for national phone "
	        "numbers\n"
	        "  -h, --help      this help\n\n"
	        "Exit status: 0 if an indicator was found, 1 if none, 2 on error.\n");
}

struct out_state {
	struct jsonw_out *out;
	const char *file; /* NULL for standard input */
	const char *chunk;
	size_t base;        /* offset of chunk in the input */
	size_t cursor;      /* offset in chunk up to which lines are counted */
	unsigned long line; /* line number at cursor */
	unsigned long found;
};

static int print_match(void *arg, const struct ioc_match *m)
{
	struct out_state *st = arg;
	size_t off = (size_t)(m->raw - st->chunk);
	if (m->type == IOC_CARD)
		off = m->offset; /* raw points at a masked copy */
	while (st->cursor < off) {
		const char *nl = memchr(st->chunk + st->cursor, '\n', off - st->cursor);
		if (nl == NULL) {
			st->cursor = off;
			break;
		}
		st->line++;
		st->cursor = (size_t)(nl - st->chunk) + 1;
	}
	struct jsonw_out *o = st->out;
	jsonw_out_str(o, "{\"type\":\"");
	jsonw_out_str(o, ioc_type_name(m->type));
	jsonw_out_str(o, "\",\"value\":");
	jsonw_out_string(o, m->value, m->value_len);
	jsonw_out_str(o, ",\"raw\":");
	jsonw_out_string(o, m->raw, m->raw_len);
	jsonw_out_str(o, ",\"offset\":");
	jsonw_out_u64(o, st->base + off);
	jsonw_out_str(o, ",\"line\":");
	jsonw_out_u64(o, st->line);
	if (m->field != NULL) {
		jsonw_out_str(o, ",\"field\":\"");
		jsonw_out_str(o, m->field);
		jsonw_out_str(o, "\"");
	}
	if (st->file != NULL) {
		jsonw_out_str(o, ",\"file\":");
		jsonw_out_string(o, st->file, strlen(st->file));
	}
	jsonw_out_str(o, "}\n");
	if (o->err != 0)
		return -1;
	st->found++;
	return 0;
}

/* Extracts from one input; returns 0, or -1 after printing why. */
static int extract_stream(const struct ioc_ctx *ctx, const struct ioc_extract_opts *o,
                          const char *name, char *buf, struct jsonw_out *out, unsigned long *found)
{
	int fd = name == NULL ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "crix extract: %s: %s\n", name, strerror(errno));
		return -1;
	}
	gzFile gz = gzdopen(name == NULL ? dup(fd) : fd, "rb");
	if (gz == NULL) {
		fprintf(stderr, "crix extract: %s: cannot read\n", name ? name : "(stdin)");
		if (name != NULL)
			close(fd);
		return -1;
	}
	gzbuffer(gz, 1u << 17);
	struct out_state st = {.out = out, .file = name, .chunk = buf, .line = 1};
	size_t have = 0;
	int rc = 0;
	bool eof = false;
	while (!eof || have > 0) {
		while (!eof && have < CHUNK) {
			int n = gzread(gz, buf + have, CHUNK - have);
			if (n < 0) {
				int zerr;
				const char *msg = gzerror(gz, &zerr);
				fprintf(stderr, "crix extract: %s: %s\n", name ? name : "(stdin)",
				        zerr == Z_ERRNO ? strerror(errno) : msg);
				rc = -1;
				eof = true;
				break;
			}
			if (n == 0) {
				/* a gzip stream that stops early is an error, not an end */
				int zerr = Z_OK;
				gzerror(gz, &zerr);
				if (zerr != Z_OK) {
					fprintf(stderr,
					        "crix extract: %s: truncated or corrupt gzip "
					        "data\n",
					        name ? name : "(stdin)");
					rc = -1;
				}
				eof = true;
			}
			have += (size_t)n;
		}
		size_t take = have;
		if (!eof) {
			/* cut after the last newline; a line longer than CHUNK is cut at CHUNK */
			size_t k = have;
			while (k > 0 && buf[k - 1] != '\n')
				k--;
			if (k > 0)
				take = k;
		}
		struct crix_error err;
		crix_error_clear(&err);
		st.cursor = 0;
		if (ioc_extract(ctx, buf, take, o, print_match, &st, &err) != 0) {
			if (out->err != 0)
				fprintf(stderr, "crix extract: writing output: %s\n",
				        strerror(out->err));
			else
				fprintf(stderr, "crix extract: %s: %s\n", name ? name : "(stdin)",
				        err.msg);
			rc = -1;
			break;
		}
		/* count the rest of the chunk's lines for the next chunk's numbers */
		for (const char *p = buf + st.cursor;
		     (p = memchr(p, '\n', (size_t)(buf + take - p))) != NULL; p++)
			st.line++;
		memmove(buf, buf + take, have - take);
		st.base += take;
		have -= take;
	}
	gzclose(gz);
	*found += st.found;
	return rc;
}

int cli_extract(int argc, char **argv)
{
	struct ioc_extract_opts o = {0};
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--refang") == 0) {
			o.refang = true;
		} else if (strcmp(a, "--type") == 0 || strcmp(a, "--country") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "crix extract: %s needs a value\n", a);
				return 2;
			}
			const char *v = argv[++i];
			unsigned mask;
			if (a[2] == 't') {
				if (cli_parse_types("extract", v, &mask) != 0)
					return 2;
				o.types = mask;
			} else if (cli_parse_country("extract", v, o.country) != 0) {
				return 2;
			}
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr,
			        "crix extract: unknown option '%s' (see 'crix extract --help')\n",
			        a);
			return 2;
		} else {
			break;
		}
	}
	struct ioc_ctx *ctx;
	struct crix_error err;
	if (ioc_ctx_new(&ctx, &err) != 0) {
		fprintf(stderr, "crix extract: %s\n", err.msg);
		return 2;
	}
	char *buf = malloc(CHUNK);
	if (buf == NULL) {
		fprintf(stderr, "crix extract: out of memory\n");
		ioc_ctx_free(ctx);
		return 2;
	}
	struct jsonw_out out;
	if (jsonw_out_init(&out, STDOUT_FILENO, 1u << 16) != 0) {
		fprintf(stderr, "crix extract: out of memory\n");
		free(buf);
		ioc_ctx_free(ctx);
		return 2;
	}
	unsigned long found = 0;
	int failed = 0;
	if (i >= argc) {
		failed |= extract_stream(ctx, &o, NULL, buf, &out, &found);
	} else {
		for (; i < argc && out.err == 0; i++)
			failed |=
			        extract_stream(ctx, &o, strcmp(argv[i], "-") == 0 ? NULL : argv[i],
			                       buf, &out, &found);
	}
	if (jsonw_out_flush(&out) != 0) {
		fprintf(stderr, "crix extract: writing output: %s\n", strerror(out.err));
		failed = -1;
	}
	jsonw_out_free(&out);
	free(buf);
	ioc_ctx_free(ctx);
	return failed ? 2 : found > 0 ? 0 : 1;
}
