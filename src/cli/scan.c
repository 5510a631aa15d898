/*
 * scan.c - `crix scan`: check logs against indicator lists.
 *
 * Plain files are mapped into memory and cut into chunks at line
 * boundaries; with -j N, N threads scan chunks and the hits are written in
 * input order.  Gzip files and standard input are read as a stream of chunks
 * (decompression is serial) and scanned by the same workers.
 *
 * Mapping a file costs the kernel a page fault per few pages and their
 * unmapping at the end, about a tenth of a one-thread scan of a file cached
 * in small pages.  So the first log is mapped before the indicators load, and
 * a thread on an otherwise idle CPU fills in its page tables
 * (MADV_POPULATE_READ) while the load runs and then a bounded window ahead of
 * the scan, and the writer zaps the entries of what has been written: that
 * work runs beside the scan, not in it.
 *
 * How much work that is depends on the folios the page cache holds the log
 * in, not on crix: a 2 MiB folio is mapped and zapped as one PMD entry, smaller
 * ones a page at a time.  For 1 GB: populate 0.008 s and zap 0.003 s of
 * system time when 92-96% of it is in 2 MiB folios (as after a cold read,
 * by cat or by this mapping), 0.033 and 0.023-0.031 s when half is (as
 * after it was written, or partly evicted and read back).  That difference,
 * ~5% of a one-thread scan, is most of what separates the --stats figure
 * from the scanner alone; how the index was loaded (-i or -x) is not.
 */
#define _GNU_SOURCE /* sched_getaffinity (the default -j), SCHED_IDLE */
#include "cli/cli.h"
#include "cli/report_to.h"
#include "match/load.h"
#include "match/match.h"
#include "util/clock.h"
#include "util/jsonw.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK_MIN    (1u << 20)
#define CHUNK_MAX    (64u << 20)
#define STREAM_CHUNK (16u << 20)
#define MAX_THREADS  64
#define MAX_LISTS    256
/* Page tables are filled this far ahead of the written hits (at most a
 * quarter of the memory), a step at a time: a file larger than memory is read
 * ahead, not all at once. */
#define POPULATE_AHEAD (1024u << 20)
#define POPULATE_STEP  (4u << 20)

void cli_scan_help(FILE *f)
{
	fprintf(f,
	        "usage: crix scan -i INDICATORS [-i ...] [--allow FILE ...] [--refang] [-j N]\n"
	        "                 [--count | --stats] [--strict] [--format F] [--column C]\n"
	        "                 [--field NAME] [--type T] [--report-to URL --token TOKEN\n"
	        "                 [--report-where TEXT]] [--save-index FILE] [LOGFILE...]\n"
	        "       crix scan -x INDEX [-i MORE ...] [--allow FILE ...] [options] "
	        "[LOGFILE...]\n\n"
	        "Checks logs (any text: web, DNS, mail, proxy, Zeek, syslog; gzip too) against\n"
	        "indicator lists and prints one JSON object per hit:\n"
	        "  "
	        "{\"file\":\"access.log\",\"line\":12,\"offset\":4411,\"match\":\"www.evil."
	        "example\",\n"
	        "   \"indicator\":\"evil.example\",\"type\":\"domain\",\"source\":\"iocs.txt\",\n"
	        "   \"source_line\":7,\"tlp\":null,\"tags\":null}\n"
	        "Reads standard input when no LOGFILE is given.  Matches are exact: an address\n"
	        "never matches inside a longer one, a domain matches itself and its subdomains,\n"
	        "an address matches the most specific CIDR holding it.\n\n"
	        "Options:\n"
	        "  -i, --indicators FILE  an indicator list: plain, hosts, CSV, JSON lines, MISP\n"
	        "                         warning list or STIX 2.1 bundle (detected; see "
	        "--format)\n"
	        "  --allow FILE           known-benign values (warning list or plain) to remove\n"
	        "  -x, --index FILE       start from an index saved by --save-index instead of\n"
	        "                         parsing its lists again (-i and --allow add to it)\n"
	        "  --save-index FILE      save the index (lists, allow-lists, sources) to FILE,\n"
	        "                         mode 0600, for later -x runs; with no LOGFILE it only\n"
	        "                         saves (standard input is not read)\n"
	        "  --format F             plain|hosts|csv|jsonl|warninglist|stix for the next -i\n"
	        "  --column C             CSV column for the next -i: a number or a header name\n"
	        "  --field NAME           JSON lines field for the next -i (default \"value\")\n"
	        "  --type T               every value of the next -i is of type T\n"
	        "  --tlp TLP, --tags T    recorded with the next -i and shown in its hits\n"
	        "  --strict               a bad indicator line is an error, not a warning\n"
	        "  --refang               undo defanging in the logs first\n"
	        "  -j N                   scan (and parse the lists) with N threads (default: one\n"
	        "                         per CPU; -j1 scans in one thread)\n"
	        "  --count                print only the number of hits\n"
	        "  --stats                print a summary of hits per type and source\n"
	        "  --report-to URL        after the scan, send the hits to the crix server at URL\n"
	        "                         as sightings (POST URL/api/v1/sightings): one per\n"
	        "                         indicator hit, with its count; first and last seen\n"
	        "                         are the scan's start and end\n"
	        "  --token TOKEN          the API token for --report-to (default: $CRIX_TOKEN)\n"
	        "  --report-where TEXT    the sightings' \"where\" (default \"crix scan\")\n"
	        "  -q, --quiet            no load summary on standard error\n"
	        "  -h, --help             this help\n\n"
	        "Exit status: 0 hits found, 1 none, 2 error (like grep; a failed --report-to\n"
	        "is an error).\n");
}

struct list_arg {
	const char *path;
	struct match_load_opts o;
};

struct hit_rec {
	size_t offset, len;
	uint64_t line; /* 1-based, within the chunk */
	enum ioc_type type;
	const char *indicator;
	uint32_t ilen;
	uint32_t source;
	uint64_t source_line;
};

struct chunk {
	const char *data;
	size_t len;
	size_t base;    /* offset of data in the file */
	uint64_t lines; /* newlines in data */
	struct hit_rec *hits;
	size_t nhits, caphits;
	int rc;
	bool done;
	char *owned; /* stream chunks own their buffer */
};

/* A log to scan, opened ahead of its scan (the first one before the load).
 * A plain file is mapped; gzip, pipes and standard input are streams. */
struct log_file {
	const char *path; /* NULL: standard input */
	int fd;           /* -1 when closed or not opened */
	int errnum;       /* why it could not be opened or mapped, reported by log_scan */
	bool stream;
	const char *data; /* the mapping of size bytes; [0, dropped) is zapped */
	size_t size, dropped;
	/* the populator (populate_ahead) and what it shares with the writer */
	pthread_t populator;
	bool populating;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t front; /* hits written up to here: the populator stays ahead of it */
	bool stop;
};

static size_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);
	return p > 0 ? (size_t)p : 4096;
}

/* Fills in the page tables of a mapped log, a step at a time and at most
 * POPULATE_AHEAD past the written hits, so that the scanners find the pages
 * mapped.  It starts before the load, when the scanners have not begun, and
 * runs only on a CPU that is otherwise idle (SCHED_IDLE): with every CPU
 * loading or scanning, the scanners fault the pages in themselves, which
 * costs no more than this thread would take from them. */
static void *populate_ahead(void *arg)
{
	struct log_file *lf = arg;
	struct sched_param idle = {0};
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
	size_t page = page_size(), ahead = POPULATE_AHEAD;
	long pages = sysconf(_SC_PHYS_PAGES);
	if (pages > 0 && (size_t)pages / 4 < ahead / page)
		ahead = (size_t)pages / 4 * page;
	size_t pos = 0;
	pthread_mutex_lock(&lf->mu);
	while (!lf->stop && pos < lf->size) {
		if (pos < lf->front) /* the scan got there first */
			pos = lf->front / page * page;
		if (pos >= lf->front + ahead) {
			pthread_cond_wait(&lf->cv, &lf->mu);
			continue;
		}
		size_t len = lf->size - pos < POPULATE_STEP ? lf->size - pos : POPULATE_STEP;
		pthread_mutex_unlock(&lf->mu);
		/* fails before Linux 5.14 and past the end of a file cut short: the
		 * scanners then fault the pages in themselves */
		int r = madvise((void *)(lf->data + pos), len, MADV_POPULATE_READ);
		pthread_mutex_lock(&lf->mu);
		if (r != 0)
			break;
		pos += len;
	}
	pthread_mutex_unlock(&lf->mu);
	return NULL;
}

/* Maps size bytes of lf's file and starts its populator (not for files of a
 * step or less, for which a thread is no saving).  0, or -1 with errnum. */
static int log_map(struct log_file *lf, size_t size)
{
	lf->size = size;
	lf->dropped = 0;
	lf->front = 0;
	lf->stop = false;
	if (size == 0)
		return 0;
	void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, lf->fd, 0);
	if (p == MAP_FAILED) {
		lf->errnum = errno;
		lf->size = 0;
		return -1;
	}
	lf->data = p;
	madvise(p, size, MADV_SEQUENTIAL);
	lf->populating = size > POPULATE_STEP &&
	                 pthread_create(&lf->populator, NULL, populate_ahead, lf) == 0;
	return 0;
}

/* Stops the populator and unmaps the file. */
static void log_unmap(struct log_file *lf)
{
	if (lf->populating) {
		pthread_mutex_lock(&lf->mu);
		lf->stop = true;
		pthread_cond_signal(&lf->cv);
		pthread_mutex_unlock(&lf->mu);
		pthread_join(lf->populator, NULL);
		lf->populating = false;
	}
	if (lf->size > 0)
		munmap((void *)lf->data, lf->size);
	lf->data = NULL;
	lf->size = lf->dropped = 0;
}

/* Opens the log at path (NULL: standard input) and maps it when it is a
 * plain file.  A failure is kept in errnum for log_scan to report in turn. */
static void log_open(struct log_file *lf, const char *path)
{
	*lf = (struct log_file){.path = path, .fd = -1};
	pthread_mutex_init(&lf->mu, NULL);
	pthread_cond_init(&lf->cv, NULL);
	if (path == NULL) {
		lf->fd = dup(STDIN_FILENO);
		lf->stream = true;
		return;
	}
	lf->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (lf->fd < 0) {
		lf->errnum = errno;
		return;
	}
	struct stat sb;
	unsigned char magic[2] = {0, 0};
	bool known = fstat(lf->fd, &sb) == 0;
	if (known && S_ISDIR(sb.st_mode)) {
		lf->errnum = EISDIR;
		return;
	}
	if (!known || !S_ISREG(sb.st_mode)) {
		lf->stream = true;
		return;
	}
	if (pread(lf->fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		lf->stream = true;
		return;
	}
	log_map(lf, (size_t)sb.st_size);
}

static void log_close(struct log_file *lf)
{
	log_unmap(lf);
	if (lf->fd >= 0)
		close(lf->fd);
	lf->fd = -1;
	pthread_mutex_destroy(&lf->mu);
	pthread_cond_destroy(&lf->cv);
}

/* The hits before end are written: the populator may move on, and the
 * page table entries of the pages before end's page are zapped, a chunk at
 * a time beside the scan instead of all in the munmap at its end (later
 * chunks read from their start on).  MADV_DONTNEED, unlike munmap, takes
 * the mapping's lock only to read, so it never waits for the populator,
 * nor makes a scanner's page fault wait. */
static void log_written(struct log_file *lf, size_t end)
{
	size_t cut = end / page_size() * page_size();
	pthread_mutex_lock(&lf->mu);
	lf->front = end;
	pthread_cond_signal(&lf->cv);
	pthread_mutex_unlock(&lf->mu);
	if (cut > lf->dropped) {
		madvise((void *)(lf->data + lf->dropped), cut - lf->dropped, MADV_DONTNEED);
		lf->dropped = cut;
	}
}

struct scan_job {
	struct match_index *ix;
	struct match_scan_opts so;
	struct chunk *chunks;
	size_t nchunks;
	struct log_file *log; /* a mapped file, told what is written; or NULL */
	atomic_size_t next;
	atomic_size_t bytes_done;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* Keeps a hit of chunk arg; its line comes from the scanner, which counts
 * newlines in the blocks it reads anyway. */
static int collect_hit(void *arg, const struct match_scan_hit *h)
{
	struct chunk *c = arg;
	if (c->nhits == c->caphits) {
		size_t cap = c->caphits ? c->caphits * 2 : 64;
		struct hit_rec *p = realloc(c->hits, cap * sizeof *p);
		if (p == NULL)
			return CRIX_ENOMEM;
		c->hits = p;
		c->caphits = cap;
	}
	c->hits[c->nhits++] = (struct hit_rec){
	        .offset = h->offset,
	        .len = h->len,
	        .line = h->line + 1,
	        .type = h->hit->type,
	        .indicator = h->hit->indicator,
	        .ilen = (uint32_t)h->hit->indicator_len,
	        .source = h->hit->source,
	        .source_line = h->hit->line,
	};
	return 0;
}

static void scan_chunk(struct scan_job *j, struct chunk *c)
{
	struct crix_error err;
	struct match_scan_opts so = j->so;
	so.newlines = &c->lines; /* the next chunk's first line follows from it */
	c->rc = match_scan(j->ix, c->data, c->len, &so, collect_hit, c, &err);
	atomic_fetch_add(&j->bytes_done, c->len);
	pthread_mutex_lock(&j->mu);
	c->done = true;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

static void *worker(void *arg)
{
	struct scan_job *j = arg;
	for (;;) {
		size_t k = atomic_fetch_add(&j->next, 1);
		if (k >= j->nchunks)
			return NULL;
		scan_chunk(j, &j->chunks[k]);
	}
}

struct out_ctx {
	struct jsonw_out *out;
	struct match_index *ix;
	bool count_only, stats;
	uint64_t hits;
	uint64_t bytes; /* scanned, for the summary */
	/* --stats: hits per (type, source) */
	uint64_t *per; /* [nsources * IOC_TYPE_COUNT] */
	size_t nsources;
	struct report_to *report; /* --report-to: hits summed per indicator */
	int report_rc;
};

static void put_opt_str(struct jsonw_out *o, const char *s)
{
	if (s == NULL)
		jsonw_out_str(o, "null");
	else
		jsonw_out_string(o, s, strlen(s));
}

static void write_hits(struct out_ctx *oc, const char *file, const struct chunk *c,
                       uint64_t base_line)
{
	struct jsonw_out *o = oc->out;
	for (size_t k = 0; k < c->nhits; k++) {
		const struct hit_rec *h = &c->hits[k];
		oc->hits++;
		if (oc->stats && h->source < oc->nsources)
			oc->per[h->source * IOC_TYPE_COUNT + h->type]++;
		if (oc->report != NULL && oc->report_rc == 0)
			oc->report_rc = report_to_add(oc->report, h->type, h->indicator, h->ilen);
		if (oc->count_only || oc->stats)
			continue;
		const struct match_source *src = match_index_source(oc->ix, h->source);
		jsonw_out_str(o, "{\"file\":");
		put_opt_str(o, file);
		jsonw_out_str(o, ",\"line\":");
		jsonw_out_u64(o, base_line + h->line - 1);
		jsonw_out_str(o, ",\"offset\":");
		jsonw_out_u64(o, c->base + h->offset);
		jsonw_out_str(o, ",\"match\":");
		jsonw_out_string(o, c->data + h->offset, h->len);
		jsonw_out_str(o, ",\"indicator\":");
		jsonw_out_string(o, h->indicator, h->ilen);
		jsonw_out_str(o, ",\"type\":\"");
		jsonw_out_str(o, ioc_type_name(h->type));
		jsonw_out_str(o, "\",\"source\":");
		put_opt_str(o, src != NULL ? src->name : NULL);
		jsonw_out_str(o, ",\"source_line\":");
		jsonw_out_u64(o, h->source_line);
		jsonw_out_str(o, ",\"tlp\":");
		put_opt_str(o, src != NULL ? src->tlp : NULL);
		jsonw_out_str(o, ",\"tags\":");
		put_opt_str(o, src != NULL ? src->tags : NULL);
		jsonw_out_str(o, "}\n");
	}
}

/* Progress on a terminal: bytes, MB/s, ETA. */
struct progress {
	struct scan_job *job;
	size_t total;
	const char *name;
	atomic_bool stop;
	struct timespec start;
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void *progress_thread(void *arg)
{
	struct progress *p = arg;
	while (!atomic_load(&p->stop)) {
		struct timespec nap = {0, 250 * 1000 * 1000};
		nanosleep(&nap, NULL);
		double s = since(&p->start);
		size_t done = atomic_load(&p->job->bytes_done);
		double rate = s > 0 ? (double)done / s : 0;
		double eta = rate > 0 && p->total > done ? (double)(p->total - done) / rate : 0;
		fprintf(stderr, "\r%s: %.0f / %.0f MB, %.0f MB/s, ETA %.0f s   ", p->name,
		        done / 1e6, p->total / 1e6, rate / 1e6, eta);
	}
	fprintf(stderr, "\r%*s\r", 70, "");
	return NULL;
}

/* Runs the job with nthreads workers, writing chunks' hits in order. */
static int run_job(struct scan_job *j, int nthreads, struct out_ctx *oc, const char *file,
                   uint64_t *line, size_t total, bool progress)
{
	pthread_t th[MAX_THREADS];
	int started = 0;
	for (int k = 0; k < nthreads; k++) {
		if (pthread_create(&th[k], NULL, worker, j) != 0)
			break;
		started++;
	}
	if (started == 0)
		worker(j); /* no threads to be had: scan here */
	struct progress pr = {.job = j, .total = total, .name = file ? file : "(stdin)"};
	pthread_t pt;
	bool have_pt = false;
	if (progress && total > (64u << 20)) {
		clock_gettime(CLOCK_MONOTONIC, &pr.start);
		have_pt = pthread_create(&pt, NULL, progress_thread, &pr) == 0;
	}
	int rc = 0;
	for (size_t k = 0; k < j->nchunks; k++) {
		pthread_mutex_lock(&j->mu);
		while (!j->chunks[k].done)
			pthread_cond_wait(&j->cv, &j->mu);
		pthread_mutex_unlock(&j->mu);
		struct chunk *c = &j->chunks[k];
		if (c->rc != 0 && rc == 0)
			rc = c->rc;
		write_hits(oc, file, c, *line);
		if (j->log != NULL)
			log_written(j->log, c->base + c->len);
		*line += c->lines;
		oc->bytes += c->len;
		free(c->hits);
		c->hits = NULL;
		free(c->owned);
		c->owned = NULL;
	}
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	if (have_pt) {
		atomic_store(&pr.stop, true);
		pthread_join(pt, NULL);
	}
	return rc;
}

static void job_init(struct scan_job *j, struct match_index *ix, const struct match_scan_opts *so)
{
	memset(j, 0, sizeof *j);
	j->ix = ix;
	j->so = *so;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
}

static void job_destroy(struct scan_job *j)
{
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j->chunks);
}

/* The length of the next chunk of a mapped file with left bytes to go: with
 * one thread the largest, with more a share of what is left, so that the
 * chunks shrink towards the end and the threads finish together (down to
 * CHUNK_MIN: with 4 MiB last chunks one thread of -j2 idled 0.6-6.8 ms at
 * the end of a 1 GB scan, median 2.6; with 1 MiB 0.07-1.2, median 0.2). */
static size_t chunk_want(size_t left, int nthreads)
{
	size_t want = nthreads > 1 ? left / ((size_t)nthreads * 4) : CHUNK_MAX;
	if (want < CHUNK_MIN)
		want = CHUNK_MIN;
	if (want > CHUNK_MAX)
		want = CHUNK_MAX;
	return want;
}

/* A mapped file: cut it into chunks at line boundaries and scan them. */
static int scan_mapped(struct match_index *ix, struct log_file *lf, int nthreads,
                       const struct match_scan_opts *so, struct out_ctx *oc, bool progress)
{
	const char *data = lf->data;
	size_t size = lf->size;
	struct scan_job j;
	job_init(&j, ix, so);
	j.log = lf;
	/* every chunk but the last holds CHUNK_MIN bytes or more */
	j.chunks = calloc(size / CHUNK_MIN + 1, sizeof *j.chunks);
	if (j.chunks == NULL) {
		job_destroy(&j);
		fprintf(stderr, "crix scan: out of memory\n");
		return -1;
	}
	size_t off = 0;
	while (off < size) {
		size_t want = chunk_want(size - off, nthreads);
		size_t end = want < size - off ? off + want : size;
		if (end < size) {
			const char *nl = memchr(data + end, '\n', size - end);
			end = nl != NULL ? (size_t)(nl - data) + 1 : size;
		}
		j.chunks[j.nchunks++] =
		        (struct chunk){.data = data + off, .len = end - off, .base = off};
		off = end;
	}
	uint64_t line = 1;
	int rc = run_job(&j, nthreads, oc, lf->path, &line, size, progress);
	job_destroy(&j);
	if (rc != 0) {
		fprintf(stderr, "crix scan: %s: %s\n", lf->path, crix_strerror(rc));
		return -1;
	}
	return 0;
}

/* Gzip or a pipe: read chunks of STREAM_CHUNK cut at line boundaries,
 * nthreads at a time. */
static int scan_stream(struct match_index *ix, const char *path, int fd, int nthreads,
                       const struct match_scan_opts *so, struct out_ctx *oc)
{
	const char *name = path != NULL ? path : "(stdin)";
	gzFile gz = gzdopen(fd, "rb");
	if (gz == NULL) {
		fprintf(stderr, "crix scan: %s: cannot read\n", name);
		return -1;
	}
	gzbuffer(gz, 1u << 17);
	char *carry = NULL;
	size_t carry_len = 0, base = 0;
	uint64_t line = 1;
	bool eof = false;
	int rc = 0;
	while (!eof && rc == 0) {
		struct scan_job j;
		job_init(&j, ix, so);
		j.chunks = calloc((size_t)nthreads, sizeof *j.chunks);
		if (j.chunks == NULL) {
			job_destroy(&j);
			rc = -1;
			break;
		}
		while (j.nchunks < (size_t)nthreads && !eof) {
			char *buf = malloc(STREAM_CHUNK);
			if (buf == NULL) {
				rc = -1;
				break;
			}
			if (carry_len > 0)
				memcpy(buf, carry, carry_len);
			size_t have = carry_len;
			free(carry);
			carry = NULL;
			carry_len = 0;
			while (have < STREAM_CHUNK) {
				int r = gzread(gz, buf + have, STREAM_CHUNK - (unsigned)have);
				if (r < 0) {
					int ze;
					const char *msg = gzerror(gz, &ze);
					fprintf(stderr, "crix scan: %s: %s\n", name,
					        ze == Z_ERRNO ? strerror(errno) : msg);
					rc = -1;
					eof = true;
					break;
				}
				if (r == 0) {
					int ze = Z_OK;
					gzerror(gz, &ze);
					if (ze != Z_OK) {
						fprintf(stderr,
						        "crix scan: %s: truncated or corrupt gzip "
						        "data\n",
						        name);
						rc = -1;
					}
					eof = true;
					break;
				}
				have += (size_t)r;
			}
			size_t take = have;
			if (!eof) {
				size_t k = have;
				while (k > 0 && buf[k - 1] != '\n')
					k--;
				if (k > 0)
					take = k;
			}
			if (take < have) {
				carry = malloc(have - take);
				if (carry == NULL) {
					free(buf);
					rc = -1;
					break;
				}
				memcpy(carry, buf + take, have - take);
				carry_len = have - take;
			}
			j.chunks[j.nchunks++] = (struct chunk){
			        .data = buf, .len = take, .base = base, .owned = buf};
			base += take;
		}
		int jr = run_job(&j, nthreads, oc, path, &line, 0, false);
		if (jr != 0 && rc == 0) {
			fprintf(stderr, "crix scan: %s: %s\n", name, crix_strerror(jr));
			rc = -1;
		}
		for (size_t k = 0; k < j.nchunks; k++)
			free(j.chunks[k].owned);
		job_destroy(&j);
	}
	free(carry);
	gzclose(gz);
	return rc;
}

/* Scans a log opened by log_open. */
static int log_scan(struct match_index *ix, struct log_file *lf, int nthreads,
                    const struct match_scan_opts *so, struct out_ctx *oc, bool progress)
{
	if (lf->errnum != 0) {
		fprintf(stderr, "crix scan: %s: %s\n", lf->path, strerror(lf->errnum));
		return -1;
	}
	if (lf->stream) {
		int fd = lf->fd;
		lf->fd = -1; /* scan_stream closes it */
		return scan_stream(ix, lf->path, fd, nthreads, so, oc);
	}
	/* A log that grew or was cut (rotated) since it was opened, maybe
	 * before the load: scan it as it is now, not past its end. */
	struct stat sb;
	if (fstat(lf->fd, &sb) == 0 && (size_t)sb.st_size != lf->size) {
		log_unmap(lf);
		if (log_map(lf, (size_t)sb.st_size) != 0) {
			fprintf(stderr, "crix scan: %s: %s\n", lf->path, strerror(lf->errnum));
			return -1;
		}
	}
	if (lf->size == 0)
		return 0;
	return scan_mapped(ix, lf, nthreads, so, oc, progress);
}

/* A log argument's path: "-" is standard input (NULL). */
static const char *log_path(const char *arg)
{
	return strcmp(arg, "-") == 0 ? NULL : arg;
}

/* -j by default: one thread per CPU this process may run on (the online
 * CPUs, unless taskset or a cpuset allows fewer), as ripgrep does. */
static int default_threads(void)
{
	cpu_set_t set;
	int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
	                                                    : (int)sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}

/* Parses a non-negative number option. */
static int parse_count(const char *opt, const char *v, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "crix scan: %s: '%s' is not a number from %d to %d\n", opt, v, lo,
		        hi);
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int parse_format(const char *v, enum match_format *f)
{
	static const struct {
		const char *name;
		enum match_format f;
	} names[] = {{"auto", MATCH_FMT_AUTO},   {"plain", MATCH_FMT_PLAIN},
	             {"hosts", MATCH_FMT_HOSTS}, {"csv", MATCH_FMT_CSV},
	             {"jsonl", MATCH_FMT_JSONL}, {"warninglist", MATCH_FMT_WARNINGLIST},
	             {"stix", MATCH_FMT_STIX}};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (strcmp(v, names[k].name) == 0) {
			*f = names[k].f;
			return 0;
		}
	fprintf(stderr,
	        "crix scan: --format: unknown format '%s' "
	        "(plain, hosts, csv, jsonl, warninglist, stix)\n",
	        v);
	return -1;
}

static void print_load(const char *what, const char *path, const struct match_load_stats *st)
{
	fprintf(stderr,
	        "crix scan: %s %s: %zu records, %zu added, %zu duplicates, %zu allow-listed, "
	        "%zu invalid, %zu skipped%s%s%s\n",
	        what, path, st->records, st->added, st->duplicates, st->allowed, st->invalid,
	        st->skipped, st->skip_reason[0] ? " (first: " : "", st->skip_reason,
	        st->skip_reason[0] ? ")" : "");
}

int cli_scan(int argc, char **argv)
{
	struct list_arg lists[MAX_LISTS], allows[MAX_LISTS];
	size_t nlists = 0, nallows = 0;
	struct match_load_opts next = {.diag = stderr};
	bool refang = false, count_only = false, stats = false, strict = false, quiet = false;
	const char *report_url = NULL, *report_token = getenv("CRIX_TOKEN"), *report_where = NULL;
	const char *index_path = NULL, *save_path = NULL;
	int nthreads = default_threads();
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;
		const char *v = has_val ? argv[i + 1] : NULL;
		if (strcmp(a, "--refang") == 0) {
			refang = true;
		} else if (strcmp(a, "--count") == 0) {
			count_only = true;
		} else if (strcmp(a, "--stats") == 0) {
			stats = true;
		} else if (strcmp(a, "--strict") == 0) {
			strict = true;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			quiet = true;
		} else if (strncmp(a, "-j", 2) == 0 && a[2] != '\0') {
			if (parse_count("-j", a + 2, 1, MAX_THREADS, &nthreads) != 0)
				return 2;
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (a[0] == '-' && a[1] != '\0') {
			if (!has_val) {
				fprintf(stderr,
				        "crix scan: %s needs a value (see 'crix scan --help')\n",
				        a);
				return 2;
			}
			i++;
			if (strcmp(a, "-i") == 0 || strcmp(a, "--indicators") == 0 ||
			    strcmp(a, "--allow") == 0) {
				bool allow = a[2] == 'a';
				if ((allow ? nallows : nlists) >= MAX_LISTS) {
					fprintf(stderr, "crix scan: more than %d lists\n",
					        MAX_LISTS);
					return 2;
				}
				struct list_arg *l = allow ? &allows[nallows++] : &lists[nlists++];
				l->path = v;
				l->o = next;
				next = (struct match_load_opts){.diag = stderr};
			} else if (strcmp(a, "-j") == 0) {
				if (parse_count("-j", v, 1, MAX_THREADS, &nthreads) != 0)
					return 2;
			} else if (strcmp(a, "-x") == 0 || strcmp(a, "--index") == 0) {
				index_path = v;
			} else if (strcmp(a, "--save-index") == 0) {
				save_path = v;
			} else if (strcmp(a, "--format") == 0) {
				if (parse_format(v, &next.format) != 0)
					return 2;
			} else if (strcmp(a, "--column") == 0) {
				int col;
				if (v[0] >= '0' && v[0] <= '9') {
					if (parse_count("--column", v, 1, 100000, &col) != 0)
						return 2;
					next.csv_column = (unsigned)col;
				} else {
					next.csv_header = v;
				}
				if (next.format == MATCH_FMT_AUTO)
					next.format = MATCH_FMT_CSV;
			} else if (strcmp(a, "--field") == 0) {
				next.json_field = v;
				if (next.format == MATCH_FMT_AUTO)
					next.format = MATCH_FMT_JSONL;
			} else if (strcmp(a, "--type") == 0) {
				next.type = ioc_type_from_name(v);
				if (next.type == IOC_NONE) {
					fprintf(stderr,
					        "crix scan: --type: unknown indicator type '%s'\n",
					        v);
					return 2;
				}
			} else if (strcmp(a, "--report-to") == 0) {
				report_url = v;
			} else if (strcmp(a, "--token") == 0) {
				report_token = v;
			} else if (strcmp(a, "--report-where") == 0) {
				report_where = v;
			} else if (strcmp(a, "--tlp") == 0) {
				next.tlp = v;
			} else if (strcmp(a, "--tags") == 0) {
				next.tags = v;
			} else {
				fprintf(stderr,
				        "crix scan: unknown option '%s' (see 'crix scan --help')\n",
				        a);
				return 2;
			}
		} else {
			break;
		}
	}
	if (nlists == 0 && index_path == NULL) {
		fprintf(stderr,
		        "crix scan: no indicators: give at least one -i FILE or -x INDEX\n");
		return 2;
	}
	if (count_only && stats) {
		fprintf(stderr, "crix scan: --count and --stats exclude each other\n");
		return 2;
	}
	struct ioc_ctx *ctx = NULL;
	struct match_index *ix = NULL;
	struct report_to *report = NULL;
	struct crix_error err;
	int status = 2;
	if (report_url == NULL && report_where != NULL) {
		fprintf(stderr, "crix scan: --report-where needs --report-to\n");
		return 2;
	}
	if (report_url != NULL &&
	    report_to_new(report_url, report_token, report_where, &report, &err) != 0) {
		fprintf(stderr, "crix scan: %s\n", err.msg);
		return 2;
	}
	/* The first log is opened and mapped now, so that its page tables are
	 * filled in while the lists load.  --save-index without logs only
	 * saves: standard input is not read. */
	struct log_file lf;
	bool save_only = save_path != NULL && i >= argc;
	bool lf_open = !save_only;
	if (lf_open)
		log_open(&lf, i < argc ? log_path(argv[i]) : NULL);
	char scan_start[CLOCK_ISO_LEN];
	clock_now_iso(scan_start);
	struct timespec t_load;
	clock_gettime(CLOCK_MONOTONIC, &t_load);
	if (ioc_ctx_new(&ctx, &err) != 0) {
		fprintf(stderr, "crix scan: %s\n", err.msg);
		goto out;
	}
	if (index_path != NULL) {
		/* a saved index instead of its lists: read, not parsed */
		struct timespec t_ix;
		clock_gettime(CLOCK_MONOTONIC, &t_ix);
		if (match_index_load_file(index_path, &ix, &err) != 0) {
			fprintf(stderr, "crix scan: %s\n", err.msg);
			goto out;
		}
		if (!quiet) {
			struct match_stats xs;
			match_index_stats(ix, &xs);
			size_t nsrc = 0;
			while (match_index_source(ix, (uint32_t)nsrc) != NULL)
				nsrc++;
			fprintf(stderr,
			        "crix scan: index %s: %zu indicators from %zu source%s, %zu "
			        "allow-listed, read in %.3f s\n",
			        index_path, xs.indicators, nsrc, nsrc == 1 ? "" : "s", xs.allowed,
			        since(&t_ix));
		}
	} else if (match_index_new(&ix, &err) != 0) {
		fprintf(stderr, "crix scan: %s\n", err.msg);
		goto out;
	}
	/* Allow-lists first, so that listed values are refused as they come. */
	for (size_t k = 0; k < nallows; k++) {
		struct match_load_stats st = {0};
		allows[k].o.strict = strict;
		if (match_load_allow_file(ix, ctx, allows[k].path, &allows[k].o, &st, &err) != 0) {
			fprintf(stderr, "crix scan: %s\n", err.msg);
			goto out;
		}
		if (!quiet)
			print_load("allow-list", allows[k].path, &st);
	}
	for (size_t k = 0; k < nlists; k++) {
		struct match_load_stats st = {0};
		lists[k].o.strict = strict;
		lists[k].o.refang = lists[k].o.refang || refang;
		lists[k].o.threads = (unsigned)nthreads; /* -j parses the lists too */
		if (match_load_file(ix, ctx, lists[k].path, &lists[k].o, &st, &err) != 0) {
			fprintf(stderr, "crix scan: %s\n", err.msg);
			goto out;
		}
		if (!quiet)
			print_load("indicators", lists[k].path, &st);
	}
	struct match_stats ms;
	match_index_stats(ix, &ms);
	if (!quiet)
		fprintf(stderr,
		        "crix scan: %zu indicators loaded in %.2f s, %zu allow-listed, %.1f MB\n",
		        ms.indicators, since(&t_load), ms.allowed, ms.memory / 1e6);
	if (save_path != NULL) {
		struct timespec t_save;
		clock_gettime(CLOCK_MONOTONIC, &t_save);
		if (match_index_save(ix, save_path, &err) != 0) {
			fprintf(stderr, "crix scan: %s\n", err.msg);
			goto out;
		}
		struct stat sb;
		if (!quiet)
			fprintf(stderr, "crix scan: saved index %s (%.1f MB) in %.3f s\n",
			        save_path,
			        stat(save_path, &sb) == 0 ? (double)sb.st_size / 1e6 : 0.0,
			        since(&t_save));
		if (save_only) {
			status = 0;
			goto out;
		}
	}
	struct timespec t_scan, cpu_scan;
	clock_gettime(CLOCK_MONOTONIC, &t_scan);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_scan);
	struct rusage ru_scan;
	getrusage(RUSAGE_SELF, &ru_scan);

	struct jsonw_out out;
	if (jsonw_out_init(&out, STDOUT_FILENO, 1u << 16) != 0) {
		fprintf(stderr, "crix scan: out of memory\n");
		goto out;
	}
	struct out_ctx oc = {
	        .out = &out, .ix = ix, .count_only = count_only, .stats = stats, .report = report};
	if (stats) {
		oc.nsources = 0;
		while (match_index_source(ix, (uint32_t)oc.nsources) != NULL)
			oc.nsources++;
		oc.per = calloc(oc.nsources * IOC_TYPE_COUNT + 1, sizeof *oc.per);
		if (oc.per == NULL) {
			fprintf(stderr, "crix scan: out of memory\n");
			jsonw_out_free(&out);
			goto out;
		}
	}
	bool progress = isatty(STDERR_FILENO) && !quiet;
	int failed = 0;
	/* one context for every chunk: making one loads the public suffix list */
	struct match_scan_opts so = {.refang = refang, .ioc = ctx};
	for (;;) {
		failed |= log_scan(ix, &lf, nthreads, &so, &oc, progress);
		log_close(&lf);
		if (++i >= argc || out.err != 0)
			break;
		log_open(&lf, log_path(argv[i]));
	}
	lf_open = false;
	if (count_only) {
		jsonw_out_u64(&out, oc.hits);
		jsonw_out_str(&out, "\n");
	}
	if (stats) {
		char line[512];
		int w = snprintf(line, sizeof line, "%-8s %10s  %s\n", "type", "hits", "source");
		jsonw_out_put(&out, line, (size_t)w);
		for (size_t s = 0; s < oc.nsources; s++)
			for (int t = 0; t < IOC_TYPE_COUNT; t++) {
				uint64_t n = oc.per[s * IOC_TYPE_COUNT + (size_t)t];
				if (n == 0)
					continue;
				w = snprintf(line, sizeof line, "%-8s %10llu  %s\n",
				             ioc_type_name((enum ioc_type)t), (unsigned long long)n,
				             match_index_source(ix, (uint32_t)s)->name);
				jsonw_out_put(
				        &out, line,
				        (size_t)(w < (int)sizeof line ? w : (int)sizeof line - 1));
			}
		w = snprintf(line, sizeof line, "%-8s %10llu\n", "total",
		             (unsigned long long)oc.hits);
		jsonw_out_put(&out, line, (size_t)w);
	}
	if (jsonw_out_flush(&out) != 0) {
		fprintf(stderr, "crix scan: writing output: %s\n", strerror(out.err));
		failed = -1;
	}
	if (!quiet) {
		/* the scan alone, so that benchmarks need not subtract the load */
		/* and per CPU second of all threads: the rate per core, which
		 * other processes on a busy machine change less than the wall
		 * time */
		double sec = since(&t_scan);
		struct timespec c1;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
		double cpu = (double)(c1.tv_sec - cpu_scan.tv_sec) +
		             (double)(c1.tv_nsec - cpu_scan.tv_nsec) / 1e9;
		/* the kernel's part, apart: mostly the log's page tables, filled
		 * and zapped, which cost as much as the page cache's folios make
		 * them (see the top of this file), not the scanner */
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		double sys = (double)(ru.ru_stime.tv_sec - ru_scan.ru_stime.tv_sec) +
		             (double)(ru.ru_stime.tv_usec - ru_scan.ru_stime.tv_usec) / 1e6;
		fprintf(stderr,
		        "crix scan: scanned %.1f MB in %.3f s, %.1f MB/s with %d thread%s "
		        "(%.3f CPU s in the kernel); %.3f CPU s, %.1f MB per CPU s\n",
		        oc.bytes / 1e6, sec, sec > 0 ? oc.bytes / 1e6 / sec : 0.0, nthreads,
		        nthreads == 1 ? "" : "s", sys, cpu, cpu > 0 ? oc.bytes / 1e6 / cpu : 0.0);
	}
	jsonw_out_free(&out);
	free(oc.per);
	status = failed ? 2 : oc.hits > 0 ? 0 : 1;
	if (report != NULL && oc.report_rc != 0) {
		fprintf(stderr, "crix scan: --report-to: out of memory summing hits\n");
		status = 2;
	} else if (report != NULL && !failed) {
		char scan_end[CLOCK_ISO_LEN];
		size_t stored = 0, unmatched = 0;
		clock_now_iso(scan_end);
		if (report_to_count(report) > 0 &&
		    report_to_send(report, scan_start, scan_end, &stored, &unmatched, &err) != 0) {
			fprintf(stderr, "crix scan: %s\n", err.msg);
			status = 2;
		} else if (!quiet) {
			fprintf(stderr,
			        "crix scan: reported %zu indicators as sightings: %zu stored, %zu "
			        "not known to the server (or not visible to this token)\n",
			        report_to_count(report), stored, unmatched);
		}
	}
out:
	if (lf_open)
		log_close(&lf);
	report_to_free(report);
	match_index_free(ix);
	ioc_ctx_free(ctx);
	return status;
}
