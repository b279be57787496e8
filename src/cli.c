/*
 * cli.c - command line parsing only: argv -> struct options (options.h).
 * Every bad word is one line on stderr and exit 64.
 */
#define _GNU_SOURCE
#include "options.h"
#include "pep503.h"
#include "version.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PIPCANARY_RULES_DIR
#define PIPCANARY_RULES_DIR "rules"
#endif

enum {
	OPT_EXTRA = 256,
	OPT_ALL_EXTRAS,
	OPT_GROUP,
	OPT_PRINT_REQS,
	OPT_INDEX_URL,
	OPT_EXTRA_INDEX_URL,
	OPT_API_URL,
	OPT_PYTHON,
	OPT_RULES,
	OPT_STOP_AT,
	OPT_TIMEOUT,
	OPT_IMPORT_TIMEOUT,
	OPT_KEEP_TRACE,
	OPT_NO_AUDIT,
	OPT_NO_SCAN,
	OPT_IGNORE_VULN,
	OPT_JOBS,
	OPT_COOL_DOWN,
	OPT_NOW,
	OPT_ALLOW_UPLOAD_TIME,
	OPT_LOCK_HASHES,
	OPT_LOCK_ON_WARNINGS,
	OPT_FORMAT,
	OPT_CONFIG,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{"requirement", required_argument, NULL, 'r'},
	{"extra", required_argument, NULL, OPT_EXTRA},
	{"all-extras", no_argument, NULL, OPT_ALL_EXTRAS},
	{"group", required_argument, NULL, OPT_GROUP},
	{"print-requirements", no_argument, NULL, OPT_PRINT_REQS},
	{"index-url", required_argument, NULL, OPT_INDEX_URL},
	{"extra-index-url", required_argument, NULL, OPT_EXTRA_INDEX_URL},
	{"api-url", required_argument, NULL, OPT_API_URL},
	{"python", required_argument, NULL, OPT_PYTHON},
	{"rules", required_argument, NULL, OPT_RULES},
	{"stop-at", required_argument, NULL, OPT_STOP_AT},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"import-timeout", required_argument, NULL, OPT_IMPORT_TIMEOUT},
	{"keep-trace", required_argument, NULL, OPT_KEEP_TRACE},
	{"no-audit", no_argument, NULL, OPT_NO_AUDIT},
	{"no-scan", no_argument, NULL, OPT_NO_SCAN},
	{"ignore-vuln", required_argument, NULL, OPT_IGNORE_VULN},
	{"jobs", required_argument, NULL, OPT_JOBS},
	{"cool-down", required_argument, NULL, OPT_COOL_DOWN},
	{"now", required_argument, NULL, OPT_NOW},
	{"allow-upload-time", required_argument, NULL, OPT_ALLOW_UPLOAD_TIME},
	{"lock", required_argument, NULL, 'l'},
	{"lock-hashes", required_argument, NULL, OPT_LOCK_HASHES},
	{"lock-on-warnings", required_argument, NULL, OPT_LOCK_ON_WARNINGS},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"output", required_argument, NULL, 'o'},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

/* One line per option; the man page (docs/pipcanary.1) says the same. */
static const char usage_text[] =
	"Usage: pipcanary -r FILE [-r FILE]... [OPTION]...\n"
	"Installs the requirements in FILE in a bubblewrap sandbox under strace,\n"
	"imports every installed distribution, stops at the first suspicious\n"
	"access, then audits the releases against the PyPI JSON API.\n"
	"\n"
	"Input:\n"
	"  -r, --requirement FILE    requirements file, or pyproject.toml (*.toml); repeatable\n"
	"      --extra NAME          pyproject: add [project.optional-dependencies] NAME; repeatable\n"
	"      --all-extras          pyproject: add every optional-dependencies group\n"
	"      --group NAME          pyproject: add [dependency-groups] / Poetry group NAME; repeatable\n"
	"      --print-requirements  print the flattened requirement list and exit\n"
	"      --config FILE         read [tool.pipcanary] settings from FILE\n"
	"Index and API:\n"
	"      --index-url URL       package index (default " DEFAULT_INDEX_URL ")\n"
	"      --extra-index-url URL another package index; repeatable\n"
	"      --api-url URL         JSON API base (default " DEFAULT_API_URL ")\n"
	"Scan:\n"
	"      --python PATH         Python that makes the sandbox venv (default python3)\n"
	"      --rules FILE          extra rule file, added to the default rules; repeatable\n"
	"      --stop-at SEVERITY    stop the scan at findings of this severity or above:\n"
	"                            low, medium (default), high, critical\n"
	"      --timeout SECONDS     time limit of the install phase (default 600)\n"
	"      --import-timeout SECONDS  time limit of the import phase (default 120)\n"
	"      --keep-trace FILE     write the raw strace output to FILE\n"
	"      --no-scan             resolve only (pip --dry-run, monitored), then audit\n"
	"      --no-audit            skip the vulnerability audit and the cool-down check\n"
	"Audit and cool-down:\n"
	"      --ignore-vuln ID      hide an advisory (id or alias); repeatable\n"
	"      --jobs N              concurrent JSON API requests (default 16)\n"
	"      --cool-down DAYS      warn about releases newer than DAYS (default 7; 0: off)\n"
	"      --now TIMESTAMP       evaluate the cool-down as if it were TIMESTAMP (UTC)\n"
	"      --allow-upload-time 'NAME<=TIMESTAMP'  accept NAME's uploads up to TIMESTAMP\n"
	"Lock file:\n"
	"  -l, --lock FILE           write a hash-locked requirements file of what was scanned\n"
	"      --lock-hashes all|scanned  hashes of every file of the release (default)\n"
	"                            or only of the artifact that was scanned\n"
	"      --lock-on-warnings write|skip  write the lock despite vulnerabilities or\n"
	"                            cool-down warnings (default write) or not\n"
	"Output:\n"
	"      --format text|json|sarif  report format (default text)\n"
	"  -o, --output FILE         write the report to FILE\n"
	"  -q, --quiet               print only findings and summaries\n"
	"  -v, --verbose             print details (files, syscalls, timings, notes)\n"
	"  -h, --help                print this help and exit\n"
	"      --version             print the version and exit\n"
	"\n"
	"Exit status:\n"
	"  0   nothing found\n"
	"  1   known vulnerabilities, cool-down warnings, or an incomplete check\n"
	"      (a package hit a limit; a release could not be audited)\n"
	"  2   malicious behaviour found (scan stopped)\n"
	"  64  bad command line or bad input file\n"
	"  69  something needed is unavailable (bwrap, strace, python, index, API)\n"
	"  70  internal error\n"
	"\n"
	"No sandbox is perfect, and the scan needs network access to download\n"
	"packages: run PipCanary on a machine without sensitive data, outside\n"
	"sensitive networks.\n";

void cli_usage(FILE *f)
{
	fputs(usage_text, f);
}

static PC_NORETURN void usage_error(const char *fmt, ...) PC_PRINTF(1, 2);
static void usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", prog_name);
	exit(EXIT_USAGE);
}

static long number_arg(const char *opt, const char *arg, long min, long max)
{
	long v;
	if (!parse_long(arg, min, max, &v))
		usage_error("%s: '%s' is not a whole number from %ld to %ld",
			    opt, arg, min, max);
	return v;
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool parse_timestamp(const char *s, time_t *out)
{
	struct tm tm = {0};
	int y, mo, d, h = 0, mi = 0, sec = 0;
	long offset = 0;
	if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return false;
	y = atoi(s);
	mo = atoi(s + 5);
	d = atoi(s + 8);
	const char *p = s + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(p, 2) || p[2] != ':' || !digits(p + 3, 2))
			return false;
		h = atoi(p);
		mi = atoi(p + 3);
		p += 5;
		if (*p == ':') {
			if (!digits(p + 1, 2))
				return false;
			sec = atoi(p + 1);
			p += 3;
			if (*p == '.') {
				p++;
				if (!isdigit((unsigned char)*p))
					return false;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;
			if (!digits(p + 1, 2) || p[3] != ':' || !digits(p + 4, 2))
				return false;
			int oh = atoi(p + 1), om = atoi(p + 4);
			if (oh > 23 || om > 59)
				return false;
			offset = sign * (oh * 3600L + om * 60L);
			p += 6;
		}
	}
	if (*p)
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return false;
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - offset;
	return true;
}

void format_timestamp(time_t t, char buf[static 20])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 20, "%Y-%m-%dT%H:%M:%S", &tm);
}

bool parse_allowance(const char *arg, struct upload_allowance *out, char **err)
{
	const char *le = strstr(arg, "<=");
	if (!le) {
		*err = xasprintf("'%s' is not NAME<=TIMESTAMP", arg);
		return false;
	}
	_cleanup_free_ char *name = xstrndup(arg, (size_t)(le - arg));
	/* Trim spaces around the name: a quoted 'Name <= ...' is common. */
	char *n = name;
	while (isspace((unsigned char)*n))
		n++;
	char *e = n + strlen(n);
	while (e > n && isspace((unsigned char)e[-1]))
		*--e = '\0';
	const char *ts = le + 2;
	while (isspace((unsigned char)*ts))
		ts++;
	if (!pep503_valid(n)) {
		*err = xasprintf("'%s' is not a valid project name", n);
		return false;
	}
	time_t t;
	if (!parse_timestamp(ts, &t)) {
		*err = xasprintf("'%s' is not a timestamp like 2025-09-27T18:37:40",
				 ts);
		return false;
	}
	/* A date alone means the whole day. */
	if (strlen(ts) == 10)
		t += 86399;
	out->normalised = pep503_normalise(n);
	out->until = t;
	return true;
}

void options_add_allowance(struct options *o, const struct upload_allowance *a)
{
	GROW(o->allowances, o->alloc_allowances, o->nr_allowances + 1);
	o->allowances[o->nr_allowances].normalised = xstrdup(a->normalised);
	o->allowances[o->nr_allowances].until = a->until;
	o->nr_allowances++;
}

static void add_allowance(struct options *o, const char *arg)
{
	struct upload_allowance a;
	char *err = NULL;
	if (!parse_allowance(arg, &a, &err))
		usage_error("--allow-upload-time: %s", err);
	options_add_allowance(o, &a);
	free(a.normalised);
}

static void check_input_file(const char *opt, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		usage_error("%s %s: %s", opt, path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		usage_error("%s %s: is a directory, not a %s", opt, path,
			    !strcmp(opt, "-r") ? "requirements file or "
						 "pyproject.toml"
					       : "settings file");
	/* A FIFO without a writer would block, /dev/zero never ends. */
	if (!S_ISREG(st.st_mode))
		usage_error("%s %s: is not a regular file", opt, path);
	if (access(path, R_OK) < 0)
		usage_error("%s %s: %s", opt, path, strerror(errno));
}

/*
 * An output (-o, -l, --keep-trace) is checked before anything runs: its
 * folder must be writable, an existing file must be a regular file (never
 * a device or a link that a rename would replace), and it must not be an
 * input or another output (-r X -o X would erase the input).
 */
static void check_output_file(const char *opt, const char *path,
			      struct stat *seen, size_t *nr_seen,
			      const char *const *seen_opt)
{
	struct stat st;
	if (!*path)
		usage_error("%s: empty file name", opt);
	if (lstat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			usage_error("%s %s: is a directory", opt, path);
		if (!S_ISREG(st.st_mode))
			usage_error("%s %s: exists and is not a regular file "
				    "(a device, a link or a FIFO is never "
				    "replaced)",
				    opt, path);
		for (size_t i = 0; i < *nr_seen; i++)
			if (seen[i].st_dev == st.st_dev &&
			    seen[i].st_ino == st.st_ino)
				usage_error("%s %s: is the same file as %s", opt,
					    path, seen_opt[i]);
		seen[(*nr_seen)++] = st;
	} else if (errno != ENOENT) {
		usage_error("%s %s: %s", opt, path, strerror(errno));
	}
	_cleanup_free_ char *copy = xstrdup(path);
	char *slash = strrchr(copy, '/');
	const char *dir = slash ? (slash == copy ? "/" : (*slash = '\0', copy))
				: ".";
	if (access(dir, W_OK) < 0)
		usage_error("%s %s: cannot write in %s: %s", opt, path, dir,
			    strerror(errno));
}

/* http(s) URLs (and file: for an index, as pip allows) with a host. */
static void check_url(const char *opt, const char *url, bool file_ok)
{
	const char *rest = NULL;
	if (str_starts_with(url, "https://"))
		rest = url + 8;
	else if (str_starts_with(url, "http://"))
		rest = url + 7;
	else if (file_ok && str_starts_with(url, "file:///"))
		return;
	if (!rest || !*rest || *rest == '/' || *rest == ':')
		usage_error("%s: '%s' is not an http:// or https:// URL", opt,
			    url);
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			usage_error("%s: the URL contains a space or a control "
				    "character",
				    opt);
}

static void check_files(const struct options *o)
{
	size_t n = o->req_files.nr + 4, nr_seen = 0;
	_cleanup_free_ struct stat *seen = xcalloc(n, sizeof(*seen));
	_cleanup_free_ const char **seen_opt = xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < o->req_files.nr; i++) {
		check_input_file("-r", o->req_files.v[i]);
		if (stat(o->req_files.v[i], &seen[nr_seen]) == 0)
			seen_opt[nr_seen++] = "-r";
	}
	if (o->config) {
		check_input_file("--config", o->config);
		if (stat(o->config, &seen[nr_seen]) == 0)
			seen_opt[nr_seen++] = "--config";
	}
	const char *outs[][2] = {{"-o", o->output},
				 {"-l", o->lock_file},
				 {"--keep-trace", o->keep_trace}};
	for (size_t i = 0; i < ARRAY_SIZE(outs); i++) {
		if (!outs[i][1])
			continue;
		seen_opt[nr_seen] = outs[i][0];
		check_output_file(outs[i][0], outs[i][1], seen, &nr_seen,
				  seen_opt);
	}
	/* Two outputs named alike that do not exist yet. */
	for (size_t i = 0; i < ARRAY_SIZE(outs); i++)
		for (size_t j = i + 1; j < ARRAY_SIZE(outs); j++)
			if (outs[i][1] && outs[j][1] &&
			    !strcmp(outs[i][1], outs[j][1]))
				usage_error("%s and %s name the same file %s",
					    outs[i][0], outs[j][0], outs[i][1]);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

int cli_parse(struct options *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->api_url = xstrdup(DEFAULT_API_URL);
	o->python = xstrdup("python3");
	o->rules_dir = xstrdup(getenv("PIPCANARY_RULES_DIR")
				       ? getenv("PIPCANARY_RULES_DIR")
				       : PIPCANARY_RULES_DIR);
	o->stop_at = SEV_MEDIUM;
	o->install_timeout = 600;
	o->import_timeout = 120;
	o->jobs = 16;
	o->cool_down_days = 7;
	o->now = time(NULL);

	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":r:l:o:qvh", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'r':
			strvec_push(&o->req_files, optarg);
			break;
		case OPT_EXTRA:
			if (!pep503_valid(optarg))
				usage_error("--extra: '%s' is not a valid extra name",
					    optarg);
			strvec_push_nodup(&o->extras, pep503_normalise(optarg));
			break;
		case OPT_ALL_EXTRAS:
			o->all_extras = true;
			break;
		case OPT_GROUP:
			if (!pep503_valid(optarg))
				usage_error("--group: '%s' is not a valid group name",
					    optarg);
			strvec_push_nodup(&o->groups, pep503_normalise(optarg));
			break;
		case OPT_PRINT_REQS:
			o->print_requirements = true;
			break;
		case OPT_INDEX_URL:
			set_str(&o->index_url, optarg);
			break;
		case OPT_EXTRA_INDEX_URL:
			strvec_push(&o->extra_index_urls, optarg);
			break;
		case OPT_API_URL:
			set_str(&o->api_url, optarg);
			break;
		case OPT_PYTHON:
			set_str(&o->python, optarg);
			break;
		case OPT_RULES:
			strvec_push(&o->rule_files, optarg);
			break;
		case OPT_STOP_AT:
			o->stop_at_set = true;
			if (!severity_parse(optarg, &o->stop_at) ||
			    o->stop_at == SEV_NOTE)
				usage_error("--stop-at: '%s' is not one of low, "
					    "medium, high, critical",
					    optarg);
			break;
		case OPT_TIMEOUT:
			o->install_timeout =
				number_arg("--timeout", optarg, 1, 86400);
			break;
		case OPT_IMPORT_TIMEOUT:
			o->import_timeout =
				number_arg("--import-timeout", optarg, 1, 86400);
			break;
		case OPT_KEEP_TRACE:
			set_str(&o->keep_trace, optarg);
			break;
		case OPT_NO_AUDIT:
			o->no_audit = true;
			break;
		case OPT_NO_SCAN:
			o->no_scan = true;
			break;
		case OPT_IGNORE_VULN:
			if (!*optarg)
				usage_error("--ignore-vuln: empty advisory id");
			strvec_push(&o->ignore_vulns, optarg);
			break;
		case OPT_JOBS:
			o->jobs = number_arg("--jobs", optarg, 1, 256);
			break;
		case OPT_COOL_DOWN:
			o->cool_down_days =
				number_arg("--cool-down", optarg, 0, 36500);
			o->cool_down_set = true;
			break;
		case OPT_NOW:
			if (!parse_timestamp(optarg, &o->now))
				usage_error("--now: '%s' is not a timestamp like "
					    "2025-09-27T18:37:40",
					    optarg);
			break;
		case OPT_ALLOW_UPLOAD_TIME:
			add_allowance(o, optarg);
			break;
		case 'l':
			set_str(&o->lock_file, optarg);
			break;
		case OPT_LOCK_HASHES:
			if (!strcmp(optarg, "all"))
				o->lock_hashes = LOCK_HASHES_ALL;
			else if (!strcmp(optarg, "scanned"))
				o->lock_hashes = LOCK_HASHES_SCANNED;
			else
				usage_error("--lock-hashes: '%s' is not 'all' or "
					    "'scanned'",
					    optarg);
			break;
		case OPT_LOCK_ON_WARNINGS:
			if (!strcmp(optarg, "write"))
				o->lock_on_warnings = LOCK_ON_WARNINGS_WRITE;
			else if (!strcmp(optarg, "skip"))
				o->lock_on_warnings = LOCK_ON_WARNINGS_SKIP;
			else
				usage_error("--lock-on-warnings: '%s' is not 'write' "
					    "or 'skip'",
					    optarg);
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				o->format = FORMAT_TEXT;
			else if (!strcmp(optarg, "json"))
				o->format = FORMAT_JSON;
			else if (!strcmp(optarg, "sarif"))
				o->format = FORMAT_SARIF;
			else
				usage_error("--format: '%s' is not text, json or "
					    "sarif",
					    optarg);
			break;
		case 'o':
			set_str(&o->output, optarg);
			break;
		case 'q':
			o->verbosity = -1;
			break;
		case 'v':
			o->verbosity = 1;
			break;
		case OPT_CONFIG:
			set_str(&o->config, optarg);
			break;
		case 'h':
			cli_usage(stdout);
			if (fflush(stdout) != 0)
				die(EXIT_INTERNAL, "cannot write the help: %s",
				    strerror(errno));
			return 1;
		case OPT_VERSION:
			printf("pipcanary %s\n", PIPCANARY_VERSION);
			if (fflush(stdout) != 0)
				die(EXIT_INTERNAL, "cannot write the version: %s",
				    strerror(errno));
			return 1;
		case ':':
			usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt && optopt < 256)
				usage_error("unknown option '-%c'", optopt);
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s' (requirement files are "
			    "given with -r FILE)",
			    argv[optind]);
	if (!o->req_files.nr)
		usage_error("no input: give a requirements file or a "
			    "pyproject.toml with -r FILE");
	check_files(o);
	if (o->index_url)
		check_url("--index-url", o->index_url, true);
	for (size_t i = 0; i < o->extra_index_urls.nr; i++)
		check_url("--extra-index-url", o->extra_index_urls.v[i], true);
	check_url("--api-url", o->api_url, false);
	if (o->no_scan && o->no_audit)
		usage_error("--no-scan and --no-audit together leave nothing to do");
	const char *nc = getenv("NO_COLOR");
	o->color = isatty(STDOUT_FILENO) && !(nc && *nc) && !o->output;
	o->progress = isatty(STDERR_FILENO) && o->verbosity >= 0;
	return 0;
}

void options_clear(struct options *o)
{
	strvec_clear(&o->req_files);
	strvec_clear(&o->extras);
	strvec_clear(&o->groups);
	free(o->index_url);
	strvec_clear(&o->extra_index_urls);
	free(o->api_url);
	free(o->python);
	free(o->rules_dir);
	strvec_clear(&o->rule_files);
	free(o->keep_trace);
	strvec_clear(&o->ignore_vulns);
	for (size_t i = 0; i < o->nr_allowances; i++)
		free(o->allowances[i].normalised);
	free(o->allowances);
	free(o->lock_file);
	free(o->output);
	free(o->config);
	memset(o, 0, sizeof(*o));
}
