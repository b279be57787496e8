/*
 * scan.c - the dynamic scan's phases (scan.h):
 *
 *   set-up   workspace, venv (--without-pip), decoy home, pip's input files
 *   install  pip install -r <flattened requirements> --report, network on,
 *            monitored (with --no-scan: pip install --dry-run, "resolve")
 *   import   network off; one bare interpreter start (import_probe.py
 *            --startup: .pth and sitecustomize hooks), then one process per
 *            installed distribution (import_probe.py --dist NAME)
 *   tear-down the workspace is removed, whatever happened
 *
 * Every command runs as `bwrap ... -- prlimit ... -- cmd` (sandbox.h) under
 * monitor_run() (monitor.h), which stops the sandbox on the first finding
 * at or above --stop-at and at the phase's time limit.
 */
#define _GNU_SOURCE
#include "scan.h"
#include "progress.h"

#include "input.h"
#include "monitor.h"
#include "pep503.h"
#include "pipreport.h"
#include "rules.h"
#include "sandbox.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <jansson.h>
#include <netdb.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PIPCANARY_PROBE_DIR
#define PIPCANARY_PROBE_DIR "probe"
#endif

#define PYPI_FILES_HOST "https://files.pythonhosted.org/"
#define OUTPUT_CAP (16u << 20) /* bytes read of a file the sandbox wrote */

struct scan_ctx {
	const struct options *opts;
	const struct input *in;
	struct scan_result *res;
	struct workspace ws;
	struct sandbox_user user;
	struct python_info py;
	struct ruleset *rules;
	struct strvec index_urls;  /* effective --index-url then extras */
	struct strvec peers;       /* allowed "ip:port" of install */
	char *prlimit;
	char *probe_dir;
	struct sandbox_limits limits;
	struct sandbox_watch watch;
	FILE *trace;
	int runs;                  /* sandboxes started (names the logs) */
};

/* What one sandboxed command left behind. */
struct run_result {
	struct monitor_outcome mo;
	struct strbuf out;  /* its stdout (capped) */
	struct strbuf err;  /* its stderr (capped) */
};

static void run_result_clear(struct run_result *r)
{
	strbuf_release(&r->out);
	strbuf_release(&r->err);
}

/*
 * Reads a file the sandbox could have written: no symlink is followed (a
 * package could plant one to a host file), only a regular file, at most
 * OUTPUT_CAP bytes (the tail is dropped). Returns 0 or -1 with errno.
 */
static int read_sandbox_file(const char *path, struct strbuf *sb)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t room = OUTPUT_CAP - sb->len;
		strbuf_add(sb, buf, (size_t)n < room ? (size_t)n : room);
		if (sb->len >= OUTPUT_CAP)
			break;
	}
	close(fd);
	return 0;
}

/* ---- set-up ---- */

static void require_tools(struct scan_ctx *c)
{
	_cleanup_free_ char *bwrap = find_program("bwrap");
	if (!bwrap)
		die(EXIT_UNAVAILABLE, "bwrap (bubblewrap) not found in PATH: the "
				      "sandbox needs it (Debian: apt-get install "
				      "bubblewrap)");
	_cleanup_free_ char *strace = find_program("strace");
	if (!strace)
		die(EXIT_UNAVAILABLE, "strace not found in PATH: the monitor needs "
				      "it (Debian: apt-get install strace)");
	c->prlimit = find_program("prlimit");
	const char *probe = getenv("PIPCANARY_PROBE_DIR");
	c->probe_dir = xstrdup(probe && *probe ? probe : PIPCANARY_PROBE_DIR);
	_cleanup_free_ char *p = xasprintf("%s/import_probe.py", c->probe_dir);
	if (access(p, R_OK) < 0)
		die(EXIT_UNAVAILABLE, "%s: %s (the import probe is part of the "
				      "installation)",
		    p, strerror(errno));
}

static void load_rules(struct scan_ctx *c)
{
	c->rules = ruleset_new();
	_cleanup_free_ char *def = xasprintf("%s/default.rules",
					     c->opts->rules_dir);
	if (access(def, R_OK) < 0)
		die(EXIT_UNAVAILABLE, "%s: %s (the default rule set is part of "
				      "the installation)",
		    def, strerror(errno));
	int problems = ruleset_load_file(c->rules, def);
	for (size_t i = 0; i < c->opts->rule_files.nr; i++)
		problems += ruleset_load_file(c->rules, c->opts->rule_files.v[i]);
	if (problems)
		die(EXIT_USAGE, "%d problem%s in the rule files: nothing was "
				"installed",
		    problems, problems == 1 ? "" : "s");
}

/* The value of option `name` in words (separate or "name=value"). */
static bool option_value(char **w, size_t *i, size_t nr, const char *name,
			 const char **val)
{
	size_t n = strlen(name);
	if (!strcmp(w[*i], name) && *i + 1 < nr) {
		*val = w[++*i];
		return true;
	}
	if (!strncmp(w[*i], name, n) && w[*i][n] == '=') {
		*val = w[*i] + n + 1;
		return true;
	}
	return false;
}

/*
 * The index URLs pip will use: --index-url from the command line, else
 * the input file's, else PyPI; then every --extra-index-url and http(s)
 * --find-links. Fills file_opts with the input's pip options minus its
 * index URL when the command line overrides it (pip would let the file's
 * win).
 */
static void plan_indexes(struct scan_ctx *c, struct strvec *file_opts)
{
	const struct options *o = c->opts;
	const struct strvec *po = &c->in->pip_options;
	const char *file_index = NULL;
	bool no_index = false;
	struct strvec extra = STRVEC_INIT;
	for (size_t i = 0; i < po->nr; i++) {
		const char *v;
		size_t start = i;
		if (option_value(po->v, &i, po->nr, "--index-url", &v) ||
		    option_value(po->v, &i, po->nr, "-i", &v)) {
			file_index = v;
			if (o->index_url)
				continue; /* dropped: the command line wins */
		} else if (option_value(po->v, &i, po->nr, "--extra-index-url", &v) ||
			   option_value(po->v, &i, po->nr, "--find-links", &v) ||
			   option_value(po->v, &i, po->nr, "-f", &v)) {
			if (str_starts_with(v, "http://") ||
			    str_starts_with(v, "https://"))
				strvec_push(&extra, v);
		} else if (!strcmp(po->v[i], "--no-index")) {
			no_index = true;
		}
		for (size_t k = start; k <= i; k++)
			strvec_push(file_opts, po->v[k]);
	}
	if (!no_index)
		strvec_push(&c->index_urls, o->index_url ? o->index_url
					    : file_index ? file_index
							 : DEFAULT_INDEX_URL);
	for (size_t i = 0; i < o->extra_index_urls.nr; i++)
		strvec_push(&c->index_urls, o->extra_index_urls.v[i]);
	for (size_t i = 0; i < extra.nr; i++)
		strvec_push(&c->index_urls, extra.v[i]);
	strvec_clear(&extra);
}

/* Adds "ip:port" of every address of host to peers. */
static void add_host_peers(struct strvec *peers, const char *host,
			   const char *port)
{
	struct addrinfo hints = {0}, *ai = NULL;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return; /* pip will say it cannot reach it */
	for (struct addrinfo *p = ai; p; p = p->ai_next) {
		char ip[INET6_ADDRSTRLEN];
		char *peer = NULL;
		if (p->ai_family == AF_INET) {
			const struct sockaddr_in *s = (void *)p->ai_addr;
			inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
			peer = xasprintf("%s:%u", ip, ntohs(s->sin_port));
		} else if (p->ai_family == AF_INET6) {
			const struct sockaddr_in6 *s = (void *)p->ai_addr;
			inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
			peer = xasprintf("[%s]:%u", ip, ntohs(s->sin6_port));
		}
		if (peer && !strvec_contains(peers, peer))
			strvec_push(peers, peer);
		free(peer);
	}
	freeaddrinfo(ai);
}

/* Host and port of an http(s) URL ("[::1]" kept without brackets). */
static void add_url_peers(struct strvec *peers, const char *url)
{
	bool https = str_starts_with(url, "https://");
	if (!https && !str_starts_with(url, "http://"))
		return;
	const char *h = url + (https ? 8 : 7);
	const char *at = NULL;
	size_t hostlen = strcspn(h, "/?#");
	for (size_t i = 0; i < hostlen; i++)
		if (h[i] == '@')
			at = h + i;
	if (at) { /* user:password@host */
		hostlen -= (size_t)(at + 1 - h);
		h = at + 1;
	}
	_cleanup_free_ char *hostport = xstrndup(h, hostlen);
	char *host = hostport, *port = NULL;
	if (host[0] == '[') {
		char *close_b = strchr(host, ']');
		if (!close_b)
			return;
		*close_b = 0;
		host++;
		if (close_b[1] == ':')
			port = close_b + 2;
	} else if ((port = strrchr(host, ':'))) {
		*port++ = 0;
	}
	add_host_peers(peers, host, port && *port ? port : https ? "443" : "80");
}

/* The resolvers of /etc/resolv.conf as "ip:53". */
static void add_resolver_peers(struct strvec *peers)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, "/etc/resolv.conf", 1 << 20) < 0)
		return;
	for (char *line = strtok(sb.buf, "\n"); line; line = strtok(NULL, "\n")) {
		char ns[128];
		if (sscanf(line, " nameserver %127s", ns) == 1)
			strvec_pushf(peers, strchr(ns, ':') ? "[%s]:53" : "%s:53",
				     ns);
	}
}

static void write_input_files(struct scan_ctx *c, const struct strvec *file_opts)
{
	struct input view = *c->in; /* the same input, its options filtered */
	view.pip_options = *file_opts;
	_cleanup_strbuf_ struct strbuf reqs = STRBUF_INIT;
	_cleanup_strbuf_ struct strbuf cons = STRBUF_INIT;
	input_write_requirements(&view, &reqs, &cons);
	_cleanup_free_ char *rp = xasprintf("%s/requirements.txt", c->ws.input);
	_cleanup_free_ char *cp = xasprintf("%s/constraints.txt", c->ws.input);
	_cleanup_free_ char *np = xasprintf("%s/netrc", c->ws.input);
	if (write_file_atomic(rp, reqs.buf, reqs.len, 0644) < 0 ||
	    write_file_atomic(cp, cons.buf, cons.len, 0644) < 0 ||
	    write_file_atomic(np, "", 0, 0600) < 0)
		die(EXIT_INTERNAL, "cannot write pip's input files in %s: %s",
		    c->ws.input, strerror(errno));
}

static void set_up(struct scan_ctx *c)
{
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	workspace_remove_stale(tmpdir);
	if (workspace_create(&c->ws, tmpdir) < 0)
		die(EXIT_INTERNAL, "the scan cannot start without a workspace");
	cleanup_arm(&c->ws);

	_cleanup_free_ char *err = NULL;
	if (python_setup(c->opts->python, c->ws.venv, &c->py, &err) < 0)
		die(EXIT_UNAVAILABLE, "%s", err);
	if (!c->py.pip_wheel)
		die(EXIT_UNAVAILABLE,
		    "no pip wheel for %s (looked in its ensurepip bundle and "
		    "/usr/share/python-wheels; Debian: apt-get install "
		    "python3-pip-whl)",
		    c->opts->python);
	c->res->python_version = xstrdup(c->py.version);
	c->res->platform = xstrdup(c->py.platform);

	sandbox_user_init(&c->user);
	if (sandbox_write_etc(&c->ws, &c->user) < 0 ||
	    decoy_home_write(c->ws.home) < 0)
		die(EXIT_INTERNAL, "cannot write the decoy home in %s: %s",
		    c->ws.dir, strerror(errno));

	struct strvec file_opts = STRVEC_INIT;
	plan_indexes(c, &file_opts);
	write_input_files(c, &file_opts);
	strvec_clear(&file_opts);
	for (size_t i = 0; i < c->index_urls.nr; i++) {
		add_url_peers(&c->peers, c->index_urls.v[i]);
		if (!strcmp(c->index_urls.v[i], DEFAULT_INDEX_URL))
			add_url_peers(&c->peers, PYPI_FILES_HOST);
	}
	add_resolver_peers(&c->peers);
	c->limits = (struct sandbox_limits)SANDBOX_LIMITS_DEFAULT;
	c->watch = (struct sandbox_watch)SANDBOX_WATCH_DEFAULT;

	if (c->opts->keep_trace) {
		int fd = open(c->opts->keep_trace,
			      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || !(c->trace = fdopen(fd, "w")))
			die(EXIT_USAGE, "--keep-trace %s: %s", c->opts->keep_trace,
			    strerror(errno));
	}
}

/* ---- running one command in the sandbox ---- */

/* A pipe whose ends are both above stdin/stdout/stderr and close-on-exec
 * (the write end is dup2'ed onto 1 or 2 for the sandbox). */
static void output_pipe(int fds[2])
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		die(EXIT_INTERNAL, "pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		fds[i] = p[i] > 2 ? p[i] : fcntl(p[i], F_DUPFD_CLOEXEC, 3);
		if (fds[i] < 0)
			die(EXIT_INTERNAL, "fcntl: %s", strerror(errno));
		if (fds[i] != p[i])
			close(p[i]);
	}
	/* Room for pip's bursts (best effort). */
	fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);
}

/*
 * Runs cmd (paths inside) in a fresh sandbox under the monitor, with the
 * command's stdout and stderr on pipes that the monitor reads: only their
 * last output_keep bytes are kept (in rr), and more than output_bytes in
 * all stops the run (an output flood neither fills the disk nor our
 * memory). Returns 0, or dies 69 when strace cannot be started.
 */
static void run_sandboxed(struct scan_ctx *c, const char *phase, bool network,
			  const char *const *cmd, const char *const *env,
			  double timeout, struct run_result *rr)
{
	int info[2];
	if (pipe2(info, O_CLOEXEC) < 0)
		die(EXIT_INTERNAL, "pipe: %s", strerror(errno));
	/* The write end goes through strace to bwrap. */
	if (fcntl(info[1], F_SETFD, 0) < 0)
		die(EXIT_INTERNAL, "fcntl: %s", strerror(errno));
	struct sandbox_spec spec = {
		.ws = &c->ws,
		.user = &c->user,
		.py = &c->py,
		.probe_dir = c->probe_dir,
		.network = network,
		.venv_readonly = !strcmp(phase, "import"),
		.disable_userns = bwrap_has_disable_userns(),
		.info_fd = info[1],
		.limits = &c->limits,
		.prlimit = c->prlimit,
		.extra_env = env,
	};
	_cleanup_strvec_ struct strvec argv = STRVEC_INIT;
	sandbox_argv(&spec, cmd, &argv);

	static const char *const no_peers[] = {NULL};
	c->runs++;
	int outp[2], errp[2];
	output_pipe(outp);
	output_pipe(errp);
	*rr = (struct run_result){.out = STRBUF_INIT, .err = STRBUF_INIT};

	struct monitor_config cfg = {
		.phase = phase,
		.home = c->user.home,
		.rules = c->rules,
		.stop_at = c->opts->stop_at,
		.allowed_peers = c->peers.v ? (const char *const *)c->peers.v
					    : no_peers,
		.timeout = timeout > 0.1 ? timeout : 0.1,
		.trace_copy = c->trace,
		.build_root = SANDBOX_TMP,
		.info_fd = info[0],
		.max_procs = c->limits.nproc,
		.max_pss = c->watch.pss_bytes,
		.tmp_bytes = c->limits.tmp_bytes,
		.disk_dir = c->ws.dir,
		.disk_bytes = c->watch.disk_bytes,
		.out_fd = outp[0],
		.err_fd = errp[0],
		.out_tail = &rr->out,
		.err_tail = &rr->err,
		.output_keep = (size_t)c->watch.output_keep,
		.output_limit = c->watch.output_bytes,
	};
	/* The sandbox's output goes to the workspace, not into our report:
	 * point fds 1 and 2 there while the monitor runs. */
	fflush(stdout);
	fflush(stderr);
	int saved_out = fcntl(1, F_DUPFD_CLOEXEC, 3);
	int saved_err = fcntl(2, F_DUPFD_CLOEXEC, 3);
	dup2(outp[1], 1);
	dup2(errp[1], 2);
	close(outp[1]);
	close(errp[1]);
	int rc = monitor_run((const char *const *)argv.v, &cfg, c->res, &rr->mo);
	fflush(stdout);
	fflush(stderr);
	if (saved_out >= 0) {
		dup2(saved_out, 1);
		close(saved_out);
	}
	if (saved_err >= 0) {
		dup2(saved_err, 2);
		close(saved_err);
	}
	close(info[1]);
	close(info[0]);
	close(outp[0]);
	close(errp[0]);
	if (rc < 0) {
		/* The monitor's message went to the log: show it. */
		strbuf_trim(&rr->err);
		if (rr->err.len)
			fprintf(stderr, "%s\n", rr->err.buf);
		die(EXIT_UNAVAILABLE, "the monitor (strace) could not be started");
	}
	if (rr->mo.finding)
		c->res->stopped = true;
}

/* bwrap failed before running anything (its messages start "bwrap: "). */
static void check_sandbox_started(const struct run_result *rr)
{
	if (rr->mo.finding || rr->mo.timed_out || rr->mo.exit_status == 0)
		return;
	const char *b = strstr(rr->err.buf, "bwrap: ");
	if (!b || (b != rr->err.buf && b[-1] != '\n'))
		return;
	size_t len = strcspn(b, "\n");
	bool userns = strstr(b, "namespace") || strstr(b, "uid map") ||
		      strstr(b, "Operation not permitted") ||
		      strstr(b, "Permission denied");
	die(EXIT_UNAVAILABLE, "the sandbox could not be created (%.*s)%s",
	    (int)len, b,
	    userns ? ": unprivileged user namespaces seem to be disabled on "
		     "this kernel (sysctl kernel.unprivileged_userns_clone=1 "
		     "or user.max_user_namespaces > 0; AppArmor: "
		     "kernel.apparmor_restrict_unprivileged_userns=0)"
		   : "");
}

/* Which resource limit the failed command's messages point at, or NULL. */
static char *limit_from_messages(const struct scan_ctx *c, const char *phase,
				 const struct run_result *rr)
{
	const char *e = rr->err.buf;
	if (strstr(e, "MemoryError") || strstr(e, "Cannot allocate memory") ||
	    strstr(e, "out of memory"))
		return xasprintf("%s phase memory limit (%lld MiB of address "
				 "space per process)",
				 phase, c->limits.as_bytes >> 20);
	if (strstr(e, "File size limit exceeded") ||
	    strstr(e, "File too large") ||
	    rr->mo.exit_status == 128 + SIGXFSZ)
		return xasprintf("%s phase file size limit (%lld MiB)", phase,
				 c->limits.fsize_bytes >> 20);
	if (strstr(e, "Resource temporarily unavailable") &&
	    (strstr(e, "fork") || strstr(e, "spawn") ||
	     strstr(e, "BlockingIOError") || strstr(e, "thread")))
		return xasprintf("%s phase process limit (%ld processes)", phase,
				 c->limits.nproc);
	return NULL;
}

/* The distribution pip was working on last, from its progress lines
 * ("Collecting X", "Building wheel for X"), or NULL. */
static char *pip_current_package(const struct strbuf *out)
{
	static const char *const marks[] = {"Building wheel for ",
					    "Collecting ", "Processing "};
	const char *best = NULL;
	size_t best_mark = 0;
	for (size_t m = 0; m < ARRAY_SIZE(marks); m++) {
		const char *p = out->buf, *last = NULL;
		while ((p = strstr(p, marks[m]))) {
			last = p;
			p += strlen(marks[m]);
		}
		if (last && (!best || last > best)) {
			best = last;
			best_mark = strlen(marks[m]);
		}
	}
	if (!best)
		return NULL;
	best += best_mark;
	size_t n = strcspn(best, " \n<>=!~;[(@");
	const char *slash = memrchr(best, '/', n);
	if (slash) { /* "Processing /path/pkg-1.0.tar.gz" */
		n -= (size_t)(slash + 1 - best);
		best = slash + 1;
	}
	return n ? xstrndup(best, n) : NULL;
}

/*
 * Records a limit the monitor reported (filling what it left out): a time
 * limit is named by the phase's whole limit (the monitor knows only what
 * was left of it for this command).
 */
static void note_limit(struct scan_ctx *c, const struct monitor_outcome *mo,
		       const char *phase, long limit, const char *package);
static void note_timeout(struct scan_ctx *c, const char *phase, long limit,
			 const char *package)
{
	if (!c->res->limit_hit)
		c->res->limit_hit = xasprintf("%s phase time limit (%ld s)",
					      phase, limit);
	/* The monitor names "pip" when it saw no build process; pip's own
	 * progress lines may know better. */
	if (package && (!c->res->limit_package ||
			!strcmp(c->res->limit_package, "pip") ||
			!strcmp(c->res->limit_package, "python"))) {
		free(c->res->limit_package);
		c->res->limit_package = xstrdup(package);
	}
}

static void note_limit(struct scan_ctx *c, const struct monitor_outcome *mo,
		       const char *phase, long limit, const char *package)
{
	if (mo->timed_out) {
		free(c->res->limit_hit);
		c->res->limit_hit = NULL;
	}
	note_timeout(c, phase, limit, package);
}

/* ---- install (or resolve) ---- */

static bool has_requirements(const struct input *in)
{
	for (size_t i = 0; i < in->nr; i++)
		if (!in->reqs[i].constraint)
			return true;
	return false;
}

/* pip's own words on why it failed: its "ERROR:" lines, or with -v the
 * end of its output (a failed sdist build's traceback is there). */
static void print_pip_errors(const struct strbuf *err, bool verbose)
{
	int shown = 0;
	const char *p = err->buf;
	if (verbose)
		p = err->buf + (err->len > 16384 ? err->len - 16384 : 0);
	while (*p && shown < (verbose ? 400 : 20)) {
		size_t n = strcspn(p, "\n");
		if (n && (verbose || str_starts_with(p, "ERROR:") || shown)) {
			/* A package's build output is not ours to let drive
			 * the terminal: control bytes (escapes) become '?'. */
			fprintf(stderr, "%s: pip: ", prog_name);
			for (size_t i = 0; i < n; i++) {
				unsigned char ch = (unsigned char)p[i];
				fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, stderr);
			}
			fputc('\n', stderr);
			shown++;
		}
		p += n + (p[n] == '\n');
	}
	if (!shown) {
		/* No "ERROR:" line: show the last lines as they are. */
		const char *tail = err->buf + (err->len > 2000 ? err->len - 2000 : 0);
		for (; *tail; tail++) {
			unsigned char ch = (unsigned char)*tail;
			fputc((ch < 0x20 && ch != '\n') || ch == 0x7f ? '?' : ch,
			      stderr);
		}
	} else if (!verbose) {
		fprintf(stderr, "%s: (-v shows the end of pip's output)\n",
			prog_name);
	}
}

static void install_phase(struct scan_ctx *c)
{
	const struct options *o = c->opts;
	const char *phase = o->no_scan ? "resolve" : "install";
	const char *base = strrchr(c->py.pip_wheel, '/');
	_cleanup_free_ char *pip = xasprintf(SANDBOX_PIP_DIR "/%s/pip",
					     base ? base + 1 : c->py.pip_wheel);
	struct strvec cmd = STRVEC_INIT;
	strvec_pushl(&cmd, SANDBOX_VENV "/bin/python", pip, "install", NULL);
	if (o->no_scan)
		strvec_push(&cmd, "--dry-run");
	strvec_pushl(&cmd, "--isolated", "--no-cache-dir",
		     "--disable-pip-version-check", "--no-input",
		     "--progress-bar", "off", "--root-user-action=ignore",
		     "--retries", "2", "--report", SANDBOX_OUTPUT "/report.json",
		     NULL);
	/* The command line's index wins; a file's own --index-url stays in
	 * the file (then it wins inside pip, as the user wrote it). */
	if (o->index_url)
		strvec_pushl(&cmd, "--index-url", o->index_url, NULL);
	else if (c->index_urls.nr &&
		 !strcmp(c->index_urls.v[0], DEFAULT_INDEX_URL))
		strvec_pushl(&cmd, "--index-url", DEFAULT_INDEX_URL, NULL);
	for (size_t i = 0; i < o->extra_index_urls.nr; i++)
		strvec_pushl(&cmd, "--extra-index-url", o->extra_index_urls.v[i],
			     NULL);
	strvec_pushl(&cmd, "-r", SANDBOX_INPUT "/requirements.txt", "-c",
		     SANDBOX_INPUT "/constraints.txt", NULL);
	/* No user or site pip configuration; pip's HTTP library reads
	 * ~/.netrc by itself: point it at an empty file so that the decoy
	 * is not read by pip. */
	const char *env[] = {"PIP_CONFIG_FILE=/dev/null",
			     "NETRC=" SANDBOX_INPUT "/netrc", NULL};

	double t0 = now_monotonic();
	struct run_result rr;
	run_sandboxed(c, phase, true, (const char *const *)cmd.v, env,
		      (double)o->install_timeout, &rr);
	strvec_clear(&cmd);
	c->res->seconds_install = now_monotonic() - t0;
	check_sandbox_started(&rr);

	if (rr.mo.finding) {
		run_result_clear(&rr);
		return;
	}
	if (rr.mo.timed_out || rr.mo.limit) {
		_cleanup_free_ char *pkg = pip_current_package(&rr.out);
		note_limit(c, &rr.mo, phase, o->install_timeout, pkg);
		run_result_clear(&rr);
		return;
	}
	if (rr.mo.exit_status != 0) {
		char *limit = limit_from_messages(c, phase, &rr);
		if (limit) {
			c->res->limit_hit = limit;
			c->res->limit_package = pip_current_package(&rr.out);
			run_result_clear(&rr);
			return;
		}
		print_pip_errors(&rr.err, o->verbosity > 0);
		bool unreachable = strstr(rr.err.buf, "NewConnectionError") ||
				   strstr(rr.err.buf, "Max retries exceeded") ||
				   strstr(rr.err.buf, "Could not fetch URL");
		run_result_clear(&rr);
		if (unreachable)
			die(EXIT_UNAVAILABLE, "cannot reach the package index %s",
			    c->index_urls.nr ? c->index_urls.v[0] : "(none)");
		die(EXIT_UNAVAILABLE, "pip could not %s the requirements: "
				      "nothing was scanned",
		    o->no_scan ? "resolve" : "install");
	}
	run_result_clear(&rr);

	_cleanup_free_ char *rp = xasprintf("%s/report.json", c->ws.output);
	_cleanup_strbuf_ struct strbuf report = STRBUF_INIT;
	if (read_sandbox_file(rp, &report) < 0)
		die(EXIT_INTERNAL, "pip left no report (%s): %s", rp,
		    strerror(errno));
	_cleanup_free_ char *err = NULL;
	if (pipreport_parse(report.buf, report.len, c->in, c->res, &err) < 0)
		die(EXIT_INTERNAL, "%s", err);
}

/* ---- import ---- */

static void pth_to_distribution(struct scan_ctx *c, struct finding *f);

/* Turns the probe's JSON lines into notes for modules that failed. */
static void import_notes(struct scan_ctx *c, const char *dist,
			 const struct strbuf *out)
{
	const char *p = out->buf;
	while (*p) {
		size_t n = strcspn(p, "\n");
		json_t *j = json_loadb(p, n, 0, NULL);
		const char *mod = NULL, *error = NULL;
		int ok = 1;
		if (j && json_unpack(j, "{s:s, s:b}", "module", &mod, "ok", &ok) == 0 &&
		    !ok) {
			json_t *e = json_object_get(j, "error");
			error = json_is_string(e) ? json_string_value(e) : "unknown error";
			strvec_pushf(&c->res->messages,
				     "%s: module %s could not be imported "
				     "(%.300s)",
				     dist, mod, error);
		}
		json_decref(j);
		p += n + (p[n] == '\n');
	}
}

static void import_phase(struct scan_ctx *c)
{
	const struct options *o = c->opts;
	double t0 = now_monotonic();
	double budget = (double)o->import_timeout;
	const char *py = SANDBOX_VENV "/bin/python";
	const char *probe = SANDBOX_PROBE "/import_probe.py";

	/* i == -1: the bare interpreter start; then each distribution. */
	for (long i = -1; i < (long)c->res->nr_dists; i++) {
		double left = budget - (now_monotonic() - t0);
		const char *dist = i < 0 ? NULL : c->res->dists[i].name;
		if (left <= 0) {
			note_timeout(c, "import", o->import_timeout, dist);
			break;
		}
		const char *cmd_startup[] = {py, "-I", probe, "--startup", NULL};
		const char *cmd_dist[] = {py, "-I", probe, "--dist", dist, NULL};
		struct run_result rr;
		if (dist)
			progress_set("importing %s [%ld/%zu]", dist, i + 1,
				     c->res->nr_dists);
		else
			progress_set("starting the interpreter (.pth hooks)");
		run_sandboxed(c, "import", false, i < 0 ? cmd_startup : cmd_dist,
			      NULL, left, &rr);
		check_sandbox_started(&rr);
		if (rr.mo.finding) {
			run_result_clear(&rr);
			break;
		}
		if (rr.mo.timed_out || rr.mo.limit) {
			note_limit(c, &rr.mo, "import", o->import_timeout,
				   dist ? dist : ".pth at interpreter start");
			run_result_clear(&rr);
			break;
		}
		if (rr.mo.exit_status != 0) {
			char *limit = limit_from_messages(c, "import", &rr);
			if (limit) {
				c->res->limit_hit = limit;
				c->res->limit_package = xstrdup(
					dist ? dist : ".pth at interpreter start");
				run_result_clear(&rr);
				break;
			}
			strvec_pushf(&c->res->messages,
				     "%s: the import probe ended with status %d",
				     dist ? dist : "interpreter start",
				     rr.mo.exit_status);
		}
		if (dist)
			import_notes(c, dist, &rr.out);
		run_result_clear(&rr);
	}
	c->res->seconds_import = now_monotonic() - t0;
	for (size_t i = 0; i < c->res->nr_findings; i++)
		pth_to_distribution(c, &c->res->findings[i]);
	for (size_t i = 0; i < c->res->nr_notes; i++)
		pth_to_distribution(c, &c->res->notes[i]);
}

/*
 * A finding at interpreter start names the .pth file ("evil.pth"); name the
 * distribution that installed it (the RECORD listing it) instead, as the
 * brief's "in package X" wants a package.
 */
static void pth_to_distribution(struct scan_ctx *c, struct finding *f)
{
	if (!f->package || !str_ends_with(f->package, ".pth") ||
	    strchr(f->package, '/'))
		return;
	_cleanup_free_ char *pattern = xasprintf(
		"%s/lib/python*/site-packages/*.dist-info/RECORD", c->ws.venv);
	glob_t g;
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	_cleanup_free_ char *needle = xasprintf("%s,", f->package);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		_cleanup_strbuf_ struct strbuf rec = STRBUF_INIT;
		if (read_sandbox_file(g.gl_pathv[i], &rec) < 0)
			continue;
		/* A RECORD line "<name>.pth,sha256=...,size". */
		_cleanup_free_ char *line = xasprintf("\n%s", needle);
		bool listed = str_starts_with(rec.buf, needle) ||
			      strstr(rec.buf, line) != NULL;
		if (!listed)
			continue;
		/* .../site-packages/<name>-<version>.dist-info/RECORD */
		const char *end = strrchr(g.gl_pathv[i], '/');
		const char *start = end;
		while (start > g.gl_pathv[i] && start[-1] != '/')
			start--;
		const char *dash = memchr(start, '-', (size_t)(end - start));
		if (!dash)
			continue;
		_cleanup_free_ char *raw = xstrndup(start, (size_t)(dash - start));
		_cleanup_free_ char *norm = pep503_normalise(raw);
		for (size_t k = 0; k < c->res->nr_dists; k++) {
			if (!strcmp(c->res->dists[k].normalised, norm)) {
				free(f->package);
				f->package = xstrdup(c->res->dists[k].name);
				globfree(&g);
				return;
			}
		}
	}
	globfree(&g);
}

/* ---- tear-down ---- */

static void tear_down(struct scan_ctx *c)
{
	if (c->trace) {
		/* A full disk shows in ferror, not always in fclose. */
		bool bad = ferror(c->trace);
		if (fclose(c->trace) != 0 || bad)
			warnx("--keep-trace %s: the trace could not be written "
			      "whole: %s",
			      c->opts->keep_trace,
			      bad ? "write error" : strerror(errno));
	}
	c->trace = NULL;
	workspace_remove(&c->ws);
	cleanup_disarm();
	ruleset_free(c->rules);
	sandbox_user_clear(&c->user);
	python_info_clear(&c->py);
	strvec_clear(&c->index_urls);
	strvec_clear(&c->peers);
	free(c->prlimit);
	free(c->probe_dir);
}

int scan_run(const struct options *opts, const struct input *in,
	     struct scan_result *res)
{
	struct scan_ctx c = {.opts = opts, .in = in, .res = res};
	double t0 = now_monotonic();
	require_tools(&c);
	load_rules(&c);
	set_up(&c);
	res->seconds_setup = now_monotonic() - t0;

	if (has_requirements(in))
		install_phase(&c);
	if (!opts->no_scan && !res->stopped && !res->limit_hit)
		import_phase(&c);
	tear_down(&c);
	return 0;
}
