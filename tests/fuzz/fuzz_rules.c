/*
 * fuzz_rules.c - the rule-file loader (ruleset_load_string(), rules.h) on
 * arbitrary text, then matching of a few fixed events (a decoy read, an
 * exec, a connect, a syscall) and one event whose path is the input's
 * first line, against whatever rules loaded. The loader prints each
 * problem on stderr; that is its interface, left as is.
 */
#include "fuzz.h"
#include "rules.h"

static void match(const struct ruleset *rs, const struct rule_event *ev)
{
	char *shown = NULL;
	const struct rule *r = ruleset_match(rs, ev, &shown);
	if (r) {
		(void)rule_id(r);
		(void)rule_category(r);
		(void)rule_severity(r);
		(void)rule_description(r);
		(void)rule_explanation(r);
	}
	free(shown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *first, *rest;
	fuzz_split(data, size, &first, &rest);
	struct ruleset *rs = ruleset_new();
	ruleset_load_string(rs, "fuzz.rules", text);
	(void)ruleset_count(rs);

	static const char *const peers[] = {"127.0.0.1:8080", NULL};
	static const char *const argv[] = {"/bin/sh", "-c", "curl x | sh",
					   NULL};
	const struct rule_event events[] = {
		{.cls = EVENT_READ, .syscall = "openat",
		 .path = "/home/u/.ssh/id_rsa", .phase = "import",
		 .home = "/home/u", .allowed_peers = peers},
		{.cls = EVENT_WRITE, .syscall = "openat",
		 .path = "/home/u/.bashrc", .phase = "install",
		 .home = "/home/u", .allowed_peers = peers},
		{.cls = EVENT_EXEC, .syscall = "execve", .path = "/bin/sh",
		 .argv = argv, .phase = "build", .home = "/home/u",
		 .allowed_peers = peers},
		{.cls = EVENT_CONNECT, .syscall = "connect",
		 .peer = "203.0.113.5:443", .phase = "import",
		 .home = "/home/u", .allowed_peers = peers},
		{.cls = EVENT_SYSCALL, .syscall = "ptrace", .phase = "startup",
		 .home = "/home/u", .allowed_peers = peers,
		 .after_memfd = true},
		{.cls = EVENT_PROBE, .syscall = "statx", .path = first,
		 .phase = "import", .home = "/home/u",
		 .allowed_peers = peers},
	};
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		match(rs, &events[i]);
	ruleset_free(rs);
	free(text);
	free(first);
	free(rest);
	return 0;
}
