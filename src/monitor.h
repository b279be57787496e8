/*
 * monitor.h - runs a command under strace (outside the sandbox), reads the
 * trace live from a pipe, keeps the process tree, attributes every event to a
 * package and phase, matches the rules, kills the whole sandbox on a finding
 * at or above stop_at, or at the time limit.
 */
#ifndef PIPCANARY_MONITOR_H
#define PIPCANARY_MONITOR_H

#include "model.h"

#include <stdbool.h>
#include <stdio.h>

struct ruleset; /* rules.h */

struct monitor_config {
	const char *phase;               /* "install", "resolve" or "import" */
	const char *home;                /* sandbox home path, e.g. "/home/u" */
	const struct ruleset *rules;     /* rules.h */
	enum severity stop_at;
	const char *const *allowed_peers;/* NULL-terminated "127.0.0.1:8080", resolver "x:53" */
	double timeout;                  /* seconds of wall time for this run */
	FILE *trace_copy;                /* --keep-trace: every raw line appended, or NULL */
	const char *build_root;          /* install: where pip unpacks sdists
	                                    (the sandbox path of pip's TMPDIR) */
	/* Called with the host pid of the sandbox's pid-namespace init (from
	 * bwrap --info-fd) once known; the monitor kills with kill(pid, SIGKILL),
	 * which ends the whole pid namespace. Set by the scan engineer's code. */
	int info_fd;                     /* read end of bwrap --info-fd pipe, or -1 */
	/*
	 * Containment limits watched while the sandbox runs (0 / NULL: not
	 * watched). Reaching one stops the run like the time limit:
	 * res->limit_hit names it ("import phase process limit (512
	 * processes)"), res->limit_package the package, out->limit is set.
	 * Checked about every 200 ms (the workspace walk every second), so a
	 * fast sandbox may overshoot by that much.
	 */
	long max_procs;                  /* processes and threads alive in the tree */
	long long max_pss;               /* bytes: sum of the processes' Pss
	                                    (/proc/PID/smaps_rollup; shared pages
	                                    counted once, fork bombs fairly) */
	long long tmp_bytes;             /* size of the sandbox's /tmp tmpfs: full
	                                    (less than 4 MiB free) is the disk limit */
	const char *disk_dir;            /* host folder the sandbox writes (the
	                                    workspace) ... */
	long long disk_bytes;            /* ... and the most it may hold (bytes
	                                    allocated, st_blocks) */
	/*
	 * The sandbox's stdout and stderr: read ends of pipes (close-on-exec)
	 * read live; only the last output_keep bytes of each are kept in
	 * *out_tail / *err_tail (appended); more than output_limit bytes in
	 * all is the output limit (0: none). out_tail NULL: not captured.
	 */
	int out_fd, err_fd;
	struct strbuf *out_tail, *err_tail;
	size_t output_keep;
	long long output_limit;
};

struct monitor_outcome {
	bool finding;          /* stopped on a finding (res->findings has it) */
	bool timed_out;        /* the time limit hit; res->limit_hit says which */
	bool limit;            /* another limit of the config hit (processes,
	                          memory, disk, output); res->limit_hit says which */
	int exit_status;       /* of the traced command (bwrap), -1 if killed */
	long long lines;       /* trace lines read */
};

/*
 * Runs argv (bwrap ... -- command) under `strace -f --seccomp-bpf -q -yy
 * --decode-pids=pidns -s 4096 -e signal=none -e trace=<set>` with the trace
 * on a pipe (-q, not -qq: the exit lines end processes in the tree;
 * --decode-pids=pidns: clone returns inside the sandbox carry the host pid).
 *
 * Attribution and matching are described in proctree.h. Every attempted
 * access is matched, whatever it returned (an open of a decoy that fails,
 * a probe of a wallet folder that does not exist, a refused connect): the
 * attempt shows the intent; the rules' exceptions keep benign probes
 * quiet. For a successful open the kernel's path of the new fd is matched
 * too (symlinks, hard-link-free magic links). Findings below stop_at are
 * notes, one per rule, package and shown path.
 *
 * On a finding at or above stop_at, at the time limit, or on
 * monitor_kill_current(): SIGKILL to the sandbox's pid-namespace init (from
 * info_fd, or from the trace: bwrap's clone with CLONE_NEWPID), to bwrap,
 * and to every process of the tree still traced by our strace; then the
 * trace is drained to its end and strace reaped. Appends findings
 * (>= stop_at) and notes (< stop_at) to res, with package and phase filled:
 * install phase: the sdist being built (from the build process's cwd or
 * argv under build_root), otherwise "pip"; import phase: the distribution
 * named by the probe's argv ("import_probe.py DIST"), or ".pth at interpreter
 * start" for the bare start (argv "-c pass" / probe "--startup"). Returns 0,
 * or -1 if strace could not be started (message printed). No process of
 * the sandbox is alive when it returns.
 * Benchmark only: with PIPCANARY_BENCH_UNMONITORED=1 in the environment,
 * argv runs WITHOUT strace (no rules, no findings, only the time limit;
 * said on stderr at start), for `make bench`'s overhead ratio.
 */
int monitor_run(const char *const *argv, const struct monitor_config *cfg,
		struct scan_result *res, struct monitor_outcome *out);

/*
 * Kills the running sandbox (if any) at once: for signal handlers (async
 * signal safe).
 */
void monitor_kill_current(void);

/* ---- the pieces, for unit tests and benchmarks ---- */

/* The -e trace= list given to strace. Borrowed, static. */
const char *monitor_trace_set(void);

/*
 * One traced run without the process part: feed it raw trace lines (as
 * strace writes them, without '\n'); it keeps the tree, attributes,
 * matches and appends findings and notes to res (borrowed, as cfg).
 */
struct monitor_state;
struct proctree;
struct monitor_state *monitor_state_new(const struct monitor_config *cfg,
					struct scan_result *res);
void monitor_state_free(struct monitor_state *st);
/* Returns 1 when this line gave a finding at or above stop_at (the run
 * stops: later lines are counted but not matched), else 0. */
int monitor_feed(struct monitor_state *st, const char *line, size_t len);
/* The process tree of the run (proctree.h). Borrowed. */
struct proctree *monitor_state_tree(struct monitor_state *st);
/* Host pid of the sandbox's pid 1 as learnt from the trace (bwrap's clone
 * with CLONE_NEWPID); 0 when not seen, negative once it has ended. */
int monitor_state_sandbox_init(const struct monitor_state *st);

/* Decodes strace's argv array text ["a", "b\n"] into sv (appends). False
 * when raw is not an array (NULL, an address). */
bool monitor_decode_argv(const char *raw, struct strvec *sv);
/* The peer of strace's sockaddr text into out: "127.0.0.1:53",
 * "[::1]:443", "/run/x.sock", "@abstract"; false for none or netlink. */
bool monitor_decode_sockaddr(const char *raw, struct strbuf *out);
/* The first question name of a DNS query message (RFC 1035 4.1) into out:
 * "abc.example.com"; false when msg is not a query. (The sendto/sendmsg/
 * sendmmsg data to a peer on port 53 gives the rules' "dns" events: path =
 * the name, peer = the resolver.) */
bool monitor_decode_dns_query(const unsigned char *msg, size_t len,
			      struct strbuf *out);

#endif
