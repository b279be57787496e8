/*
 * options.h - the command line, parsed (cli.c) and handed to the pipeline.
 *
 * cli.c only turns argv into `struct options` and validates the words
 * (after curl's split between tool_getparam.c and tool_operate.c); the work
 * happens in main.c's pipeline. Defaults point at the real PyPI.
 */
#ifndef PIPCANARY_OPTIONS_H
#define PIPCANARY_OPTIONS_H

#include "model.h"

#include <time.h>

#define DEFAULT_INDEX_URL "https://pypi.org/simple"
#define DEFAULT_API_URL "https://pypi.org/pypi"

enum report_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF };
enum lock_hashes { LOCK_HASHES_ALL, LOCK_HASHES_SCANNED };
enum lock_on_warnings { LOCK_ON_WARNINGS_WRITE, LOCK_ON_WARNINGS_SKIP };

/* One --allow-upload-time 'NAME<=TIMESTAMP'. */
struct upload_allowance {
	char *normalised; /* PEP 503 */
	time_t until;     /* UTC epoch seconds, inclusive */
};

struct options {
	struct strvec req_files;     /* -r FILE, in order */
	struct strvec extras;        /* --extra NAME (pyproject) */
	bool all_extras;             /* --all-extras */
	struct strvec groups;        /* --group NAME (PEP 735 / Poetry) */
	bool print_requirements;     /* --print-requirements */

	char *index_url;             /* --index-url; NULL: file or PyPI */
	struct strvec extra_index_urls;
	char *api_url;               /* --api-url; default DEFAULT_API_URL */
	char *python;                /* --python PATH; default "python3" */
	char *rules_dir;             /* where default.rules lives */
	struct strvec rule_files;    /* --rules FILE (added to the default) */
	enum severity stop_at;       /* --stop-at; default medium */
	long install_timeout;        /* --timeout SECONDS (install), def 600 */
	long import_timeout;         /* --import-timeout SECONDS, def 120 */
	char *keep_trace;            /* --keep-trace FILE */
	bool no_audit;               /* --no-audit */
	bool no_scan;                /* --no-scan */

	struct strvec ignore_vulns;  /* --ignore-vuln ID */
	long jobs;                   /* --jobs N, default 16 */
	long cool_down_days;         /* --cool-down DAYS, default 7; 0 = off */
	time_t now;                  /* --now TIMESTAMP, default time(NULL) */
	struct upload_allowance *allowances; /* --allow-upload-time */
	size_t nr_allowances, alloc_allowances;

	char *lock_file;             /* -l FILE */
	enum lock_hashes lock_hashes;          /* --lock-hashes all|scanned */
	enum lock_on_warnings lock_on_warnings;/* --lock-on-warnings write|skip */

	enum report_format format;   /* --format text|json|sarif */
	char *output;                /* -o FILE */
	int verbosity;               /* -q: -1, default 0, -v: 1 */
	char *config;                /* --config FILE */
	bool color;                  /* decided from isatty + NO_COLOR */
	bool progress;               /* stderr is a terminal and not -q */
	/* Given on the command line (so [tool.pipcanary] does not override). */
	bool cool_down_set, stop_at_set;
};

/*
 * Parses argv into *opts (which it initialises). Returns 0 when the
 * pipeline should run, 1 when --help/--version was handled (exit 0).
 * A bad command line prints one line on stderr and exits 64 (die()).
 */
int cli_parse(struct options *opts, int argc, char **argv);
void options_clear(struct options *opts);

/* Prints the --help text (matches the man page) to f. */
void cli_usage(FILE *f);

/*
 * Parses a timestamp as the brief prints it ("2025-09-27T18:37:40", UTC),
 * with a "Z" or "+HH:MM"/"-HH:MM" offset, with fractional seconds, or a date
 * alone ("2025-09-27" = 00:00:00 UTC). Returns true and sets *out (epoch
 * seconds), false if malformed. ISO 8601 / RFC 3339.
 */
bool parse_timestamp(const char *s, time_t *out);
/*
 * Parses an --allow-upload-time value 'NAME<=TIMESTAMP' (NAME a project
 * name, PEP 503-normalised into out->normalised, caller frees; TIMESTAMP as
 * parse_timestamp, a date alone meaning the whole day). Returns false and
 * sets *err (caller frees) when malformed.
 */
bool parse_allowance(const char *arg, struct upload_allowance *out, char **err);
/* Appends a copy of *a to opts->allowances. */
void options_add_allowance(struct options *opts, const struct upload_allowance *a);

/* Formats t (UTC) as "YYYY-MM-DDTHH:MM:SS" into buf (at least 20 bytes). */
void format_timestamp(time_t t, char buf[static 20]);

#endif
