/*
 * bench_audit.c - benchmark (not a test) of the vulnerability audit:
 * audit_run() over N installed releases against a JSON API (the fixture
 * server with /fault/latency-<ms>/ in front), once with --jobs J
 * (concurrent) and once with --jobs 1 (one request after another, over one
 * reused connection), the cool-down off so each run is exactly N requests.
 * Prints both wall times, the speed-up and the process's peak memory.
 *
 *   bench_audit API_URL LIST_FILE [JOBS]
 *
 * LIST_FILE: one "name version" per line (bench_audit.sh writes it from
 * the fixture index). Exit 0 when every request got an answer.
 */
#include "audit.h"
#include "options.h"

#include <string.h>
#include <sys/resource.h>

static double run(struct options *o, const struct scan_result *scan, long jobs,
		  size_t *failed)
{
	struct audit_result res = {0};
	struct input in = {0};
	o->jobs = jobs;
	double t0 = now_monotonic();
	int rc = audit_run(o, &in, scan, &res);
	double t = now_monotonic() - t0;
	*failed = 0;
	for (size_t i = 0; i < res.nr; i++)
		if (res.items[i].status != AUDIT_OK) {
			if (!*failed)
				fprintf(stderr, "%s %s: %s\n", res.items[i].normalised,
					res.items[i].version,
					res.items[i].error ? res.items[i].error : "not found");
			(*failed)++;
		}
	if (rc < 0) {
		fprintf(stderr, "%s\n", res.unreachable);
		*failed = res.nr;
	}
	audit_result_clear(&res);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_audit API_URL LIST_FILE [JOBS]\n");
		return 64;
	}
	long jobs = argc > 3 ? atol(argv[3]) : 16;
	struct strbuf list = STRBUF_INIT;
	if (strbuf_read_file(&list, argv[2], 0) < 0)
		die(EXIT_USAGE, "%s: cannot read", argv[2]);
	struct scan_result scan = {0};
	for (char *line = strtok(list.buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		GROW(scan.dists, scan.alloc_dists, scan.nr_dists + 1);
		struct dist *d = &scan.dists[scan.nr_dists++];
		memset(d, 0, sizeof(*d));
		d->name = xstrndup(line, (size_t)(sp - line));
		d->normalised = xstrdup(d->name);
		d->version = xstrdup(sp + 1);
	}
	strbuf_release(&list);

	struct options o = {0};
	o.api_url = xstrdup(argv[1]);
	o.cool_down_days = 0;
	o.now = time(NULL);

	size_t failed_c, failed_s;
	double conc = run(&o, &scan, jobs, &failed_c);
	double seq = run(&o, &scan, 1, &failed_s);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double speedup = seq / conc;
	printf("audit of %zu releases (%s)\n", scan.nr_dists, argv[1]);
	printf("  concurrent (--jobs %ld): %7.3f s\n", jobs, conc);
	printf("  sequential (--jobs 1):  %7.3f s\n", seq);
	printf("  speed-up: %.1fx (target >= 12x): %s\n", speedup,
	       speedup >= 12 ? "met" : "NOT met");
	printf("  peak memory (max RSS): %.1f MB (target <= 20 MB): %s\n",
	       ru.ru_maxrss / 1024.0, ru.ru_maxrss <= 20 * 1024 ? "met" : "NOT met");
	if (failed_c || failed_s)
		printf("  failed requests: %zu concurrent, %zu sequential\n",
		       failed_c, failed_s);
	free(o.api_url);
	scan_result_clear(&scan);
	return failed_c || failed_s ? 1 : 0;
}
