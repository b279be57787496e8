/*
 * model.h - the data that flows through the pipeline, shared by modules.
 *
 *   input (reqfile/pyproject)  -> struct input        (what the user asked)
 *   scan (sandbox/monitor)     -> struct scan_result  (what was installed,
 *                                                       what it did)
 *   audit (pypi/audit)         -> struct audit_result (vulnerabilities,
 *                                                       cool-down, files)
 *   lockfile, report           <- all three
 *
 * Every string is owned by the struct that holds it; each *_free() /
 * *_clear() releases everything below it. Names: `name` is as written or as
 * the metadata spells it, `normalised` is the PEP 503 form.
 */
#ifndef PIPCANARY_MODEL_H
#define PIPCANARY_MODEL_H

#include "util.h"

#include <stdbool.h>
#include <time.h>

/* ---- input ---- */

/* One requirement line, after includes, continuations and ${VAR}. */
struct requirement {
	char *name;            /* as written ("Ruamel_YAML") */
	char *normalised;      /* PEP 503 ("ruamel-yaml") */
	struct strvec extras;  /* normalised extras, in the order written */
	char *specifier;       /* e.g. ">=1.0,<2" ; NULL when none */
	char *marker;          /* marker text after ';' ; NULL when none */
	char *url;             /* for "name @ url"; NULL otherwise */
	struct strvec hashes;  /* "sha256:<hex>" from --hash options */
	char *text;            /* the requirement as handed to pip (no options) */
	char *file;            /* where it came from (path as given) */
	int line;              /* 1-based line in file; 0 when not from a file */
	bool constraint;       /* from a -c file: limits versions, not requested */
};

struct input {
	struct requirement *reqs;
	size_t nr, alloc;
	/*
	 * File-level options for pip, each a separate argv word, e.g.
	 * "--index-url", "https://...", "--pre", "--only-binary", ":all:".
	 */
	struct strvec pip_options;
	struct strvec files; /* the input files, as given on the command line */
	bool pre;            /* --pre seen: pre-releases allowed */
	bool require_hashes; /* --require-hashes seen */
};

void input_clear(struct input *in);
void requirement_clear(struct requirement *r);
/* Returns the requested (non-constraint) requirement named `normalised`, or
 * NULL. Borrowed. */
const struct requirement *input_find(const struct input *in,
				     const char *normalised);

/* ---- scan ---- */

enum severity { SEV_NOTE = 0, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
const char *severity_name(enum severity s);            /* "medium" ... */
/* Parses "low|medium|high|critical|note"; returns false if unknown. */
bool severity_parse(const char *s, enum severity *out);

/* One installed distribution, from pip's --report. */
struct dist {
	char *name;          /* metadata Name ("MarkupSafe") */
	char *normalised;    /* PEP 503 ("markupsafe") */
	char *version;       /* as pip reports it */
	char *url;           /* artifact URL that was downloaded */
	char *sha256;        /* hex digest of that artifact; NULL if unknown */
	bool is_wheel;       /* false: an sdist was built */
	bool requested;      /* named in the user's input */
	struct strvec requires_dist; /* Requires-Dist lines of its metadata */
	struct strvec required_by;   /* normalised names that depend on it */
};

/* A rule that matched an event. */
struct finding {
	char *rule_id;
	char *category;
	enum severity severity;
	char *description;   /* "SSH private key exfiltration." */
	char *explanation;   /* "The package might be trying to ..." */
	char *shown_path;    /* the path as the rule names it (~/.ssh -> home) */
	char *path;          /* the exact path or peer that was touched */
	char *syscall;
	char *package;       /* distribution (or .pth file) it is attributed to */
	char *phase;         /* "install", "build", "import", "startup" */
	int pid;
	char *argv;          /* the process's command line, space-joined */
};

struct scan_result {
	struct dist *dists;
	size_t nr_dists, alloc_dists;
	struct finding *findings;   /* at or above --stop-at: scan stopped */
	size_t nr_findings, alloc_findings;
	struct finding *notes;      /* below --stop-at */
	size_t nr_notes, alloc_notes;
	struct strvec messages;     /* import failures and other notes */
	bool stopped;               /* killed on a finding */
	char *limit_hit;            /* "install phase time limit (600 s)"... */
	char *limit_package;        /* package that was running then */
	char *python_version;       /* "3.11.2" of the venv */
	char *platform;             /* "linux-x86_64" */
	double seconds_install, seconds_import, seconds_setup;
};

void finding_clear(struct finding *f);
void dist_clear(struct dist *d);
void scan_result_clear(struct scan_result *r);

/* ---- audit ---- */

struct advisory {
	char *id;
	struct strvec aliases;
	struct strvec fixed_in;  /* in the order the API gives them */
	char *summary;
	char *details;
	char *link;
	char *withdrawn;         /* RFC 3339 or NULL */
};

struct release_file {
	char *filename;
	char *packagetype;       /* "bdist_wheel", "sdist" */
	char *sha256;
	char *upload_time;       /* "2025-09-27T18:37:40" (UTC) or NULL */
	time_t upload_epoch;     /* -1 when unknown */
	bool upload_invalid;     /* the API gave an upload time that is not a
	                            timestamp or before 1970 (upload_time is
	                            then NULL, upload_epoch -1) */
	bool yanked;
	char *requires_python;
};

enum audit_status {
	AUDIT_OK = 0,       /* JSON read */
	AUDIT_NOT_FOUND,    /* 404: not on this index (private package) */
	AUDIT_ERROR,        /* bad answer: see error */
};

struct cooldown {
	bool too_recent;          /* newest upload within the cool-down */
	bool allowed;             /* --allow-upload-time covers it */
	bool upload_unknown;      /* a file without upload time */
	bool upload_invalid;      /* a file's upload time was unparsable or
	                             before 1970 (counted as unknown too) */
	char *newest_upload;      /* "2025-09-27T18:37:40" or NULL */
	char *suggestion;         /* next suitable version, NULL if none */
	struct advisory *suggestion_vulns; /* its (non-withdrawn) advisories */
	size_t nr_suggestion_vulns;
	char *error;              /* why no suggestion could be worked out
	                             (API or JSON problem), or NULL */
};

struct dist_audit {
	char *normalised;
	char *display_name;       /* info.name */
	char *version;
	enum audit_status status;
	char *error;              /* for AUDIT_ERROR: one line */
	struct advisory *vulns;   /* reported (not withdrawn, not ignored) */
	size_t nr_vulns;
	struct strvec ignored;    /* ids hidden by --ignore-vuln */
	struct release_file *files; /* urls[] of this release */
	size_t nr_files;
	struct cooldown cooldown;
};

struct audit_result {
	struct dist_audit *items;  /* same order as scan_result.dists */
	size_t nr;
	char *unreachable;         /* "cannot reach URL: reason" or NULL */
	double seconds;
};

void advisory_clear(struct advisory *a);
void release_file_clear(struct release_file *f);
void dist_audit_clear(struct dist_audit *d);
void audit_result_clear(struct audit_result *r);

#endif
