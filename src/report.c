/* report.c - STUB until the report work lands: see report.h. */
#include "report.h"

void report_scan_text(FILE *f, const struct options *opts,
		      const struct scan_result *scan)
{
	(void)opts;
	if (!scan->stopped)
		fputs("All packages appear to be safe!\n", f);
}

void report_audit_text(FILE *f, const struct options *opts,
		       const struct audit_result *audit)
{
	(void)opts;
	fprintf(f, "Auditing %zu packages...\n", audit->nr);
}

int report_exit_code(const struct scan_result *scan,
		     const struct audit_result *audit)
{
	(void)audit;
	return scan->stopped ? EXIT_MALICIOUS : EXIT_OK;
}

void report_json(FILE *f, const struct options *opts, const struct input *in,
		 const struct scan_result *scan,
		 const struct audit_result *audit, int exit_code)
{
	(void)opts;
	(void)in;
	(void)scan;
	(void)audit;
	fprintf(f, "{\"exit_code\": %d}\n", exit_code);
}

void report_sarif(FILE *f, const struct options *opts, const struct input *in,
		  const struct scan_result *scan,
		  const struct audit_result *audit)
{
	(void)opts;
	(void)in;
	(void)scan;
	(void)audit;
	fputs("{}\n", f);
}
