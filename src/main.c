/*
 * main.c - the pipeline, top-down: read input, scan, audit, lock, report.
 * Option parsing is in cli.c; each step is one module (DESIGN.md).
 */
#include "audit.h"
#include "config.h"
#include "input.h"
#include "lockfile.h"
#include "options.h"
#include "progress.h"
#include "report.h"
#include "scan.h"

#include <errno.h>
#include <string.h>

/* Where the text report goes: stdout, or (with -o and text) the file. */
static FILE *open_report(const struct options *opts)
{
	if (!opts->output)
		return stdout;
	FILE *f = fopen(opts->output, "w");
	if (!f)
		die(EXIT_USAGE, "-o %s: %s", opts->output, strerror(errno));
	return f;
}

static void read_input(const struct options *opts, struct input *in)
{
	int problems = input_load(in, opts);
	if (problems)
		die(EXIT_USAGE, "%d problem%s in the input: nothing was installed",
		    problems, problems == 1 ? "" : "s");
}

static void print_requirements(const struct input *in)
{
	_cleanup_strbuf_ struct strbuf reqs = STRBUF_INIT;
	_cleanup_strbuf_ struct strbuf cons = STRBUF_INIT;
	input_write_requirements(in, &reqs, &cons);
	fputs(reqs.buf, stdout);
	if (cons.len) {
		fputs("# constraints (pip -c):\n", stdout);
		fputs(cons.buf, stdout);
	}
}

/* The lock is never written after a finding; warnings decide per option. */
static int write_lock(const struct options *opts, const struct input *in,
		      const struct scan_result *scan,
		      const struct audit_result *audit, int code)
{
	if (!opts->lock_file || scan->stopped)
		return code;
	if (code == EXIT_WARNINGS &&
	    opts->lock_on_warnings == LOCK_ON_WARNINGS_SKIP) {
		warnx("lock file %s not written: there are warnings "
		      "(--lock-on-warnings skip)",
		      opts->lock_file);
		return code;
	}
	if (lockfile_write(opts, in, scan, opts->no_audit ? NULL : audit) < 0)
		return code > EXIT_MALICIOUS ? code : EXIT_INTERNAL;
	return code;
}

static void write_machine_report(const struct options *opts,
				 const struct input *in,
				 const struct scan_result *scan,
				 const struct audit_result *audit, int code)
{
	FILE *f = open_report(opts);
	if (opts->format == FORMAT_JSON)
		report_json(f, opts, in, scan, audit, code);
	else
		report_sarif(f, opts, in, scan, audit);
	if (f != stdout && fclose(f) != 0)
		die(EXIT_INTERNAL, "-o %s: %s", opts->output, strerror(errno));
}

static int run(struct options *opts)
{
	struct input in = {0};
	struct scan_result scan = {0};
	struct audit_result audit = {0};
	bool text = opts->format == FORMAT_TEXT;
	FILE *out;
	int code;

	read_input(opts, &in);
	if (opts->print_requirements) {
		print_requirements(&in);
		input_clear(&in);
		return EXIT_OK;
	}
	int problems = config_apply(opts);
	if (problems)
		die(EXIT_USAGE, "%d problem%s in the settings: nothing was "
				"installed",
		    problems, problems == 1 ? "" : "s");
	/* Opened only now: bad input must not truncate an earlier report. */
	out = text ? open_report(opts) : stderr;

	scan_run(opts, &in, &scan);
	progress_clear();
	if (text)
		report_scan_text(out, opts, &scan);
	bool unreachable = false;
	if (!scan.stopped && !opts->no_audit) {
		unreachable = audit_run(opts, &in, &scan, &audit) < 0;
		progress_clear();
		if (text)
			report_audit_text(out, opts, &audit);
	}
	code = report_exit_code(&scan, opts->no_audit ? NULL : &audit);
	if (unreachable && code != EXIT_MALICIOUS) {
		warnx("%s", audit.unreachable ? audit.unreachable
					      : "cannot reach the JSON API");
		code = EXIT_UNAVAILABLE;
	}
	code = write_lock(opts, &in, &scan, &audit, code);
	if (!text)
		write_machine_report(opts, &in, &scan, &audit, code);
	if (out != stdout && out != stderr && fclose(out) != 0)
		die(EXIT_INTERNAL, "-o %s: %s", opts->output, strerror(errno));

	audit_result_clear(&audit);
	scan_result_clear(&scan);
	input_clear(&in);
	return code;
}

int main(int argc, char **argv)
{
	struct options opts;
	if (cli_parse(&opts, argc, argv)) {
		options_clear(&opts);
		return EXIT_OK;
	}
	progress_enable(opts.progress);
	set_message_hook(progress_clear);
	int code = run(&opts);
	progress_clear();
	options_clear(&opts);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnx("cannot write the report to standard output: %s",
		      errno ? strerror(errno) : "write error");
		return EXIT_INTERNAL;
	}
	return code;
}
