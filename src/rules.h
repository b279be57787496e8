/*
 * rules.h - the rule set (data in rules/default.rules + --rules FILE).
 * The rule-file format is documented in docs/rules.md.
 */
#ifndef PIPCANARY_RULES_H
#define PIPCANARY_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

enum event_class {
	EVENT_READ,     /* open for reading, readlink, link/symlink source ... */
	EVENT_WRITE,    /* open for writing/creat/truncate, rename/link target, unlink, mkdir, chmod */
	EVENT_PROBE,    /* access/faccessat/stat/statx/readlink of a path */
	EVENT_EXEC,     /* execve/execveat */
	EVENT_CONNECT,  /* connect/sendto/sendmsg with an address */
	EVENT_SYSCALL,  /* the syscall itself matters: ptrace, io_uring_setup, memfd_create, bind */
};
struct rule_event {
	enum event_class cls;
	const char *syscall;        /* "openat" */
	const char *path;           /* normalised absolute path (or the fd's path), NULL if none */
	const char *peer;           /* "127.0.0.2:9", "[::1]:53", "/run/x.sock"; NULL if none */
	const char *const *argv;    /* EVENT_EXEC: the new argv, NULL-terminated */
	const char *phase;          /* "install", "build", "import", "startup" */
	const char *home;           /* the sandbox home path ("/home/u"), for ~ in rules */
	const char *const *allowed_peers; /* index hosts "127.0.0.1:8080"... (install) */
	bool after_memfd;           /* this process called memfd_create before (exec of /proc/self/fd/N, memfd:) */
};
struct rule;                    /* opaque */
struct ruleset;
struct ruleset *ruleset_new(void);
void ruleset_free(struct ruleset *rs);
/* Loads a rule file; appends its rules. Returns 0, or the number of problems
 * after printing each as "FILE:LINE: what is wrong" on stderr. */
int ruleset_load_file(struct ruleset *rs, const char *path);
int ruleset_load_string(struct ruleset *rs, const char *name, const char *text); /* for tests */
size_t ruleset_count(const struct ruleset *rs);
/* The first rule (most severe first) that matches ev, or NULL. When it
 * matches, *shown_path (caller frees) is the path as the rule names it for
 * the brief's "Found suspicious access to <shown_path> in package X."
 * (e.g. rule on ~/.ssh/ and below -> "/home/u/.ssh"). */
const struct rule *ruleset_match(const struct ruleset *rs, const struct rule_event *ev, char **shown_path);
const char *rule_id(const struct rule *r);
const char *rule_category(const struct rule *r);
enum severity rule_severity(const struct rule *r);     /* model.h */
const char *rule_description(const struct rule *r);    /* "SSH private key exfiltration." */
const char *rule_explanation(const struct rule *r);

#endif
