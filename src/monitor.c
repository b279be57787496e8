/*
 * monitor.c - runs the sandbox under strace, reads the trace live, keeps the
 * process tree, attributes and classifies every event, matches the rules,
 * and kills the whole sandbox on a finding or at the time limit
 * (monitor.h).
 *
 * Decisions (documented in monitor.h too):
 *   - Attempts count: an access is matched whatever it returned (ENOENT,
 *     EACCES, ECONNREFUSED...). A package that looks for a wallet which is
 *     not there has still shown what it looks for; the rules' exceptions
 *     keep benign probes (Python's ~/.local site-packages) quiet.
 *   - For a successful open, the path the kernel returns for the new fd
 *     (-yy "= 3</home/u/.ssh/id_rsa>") is matched too: symlinks and
 *     /proc magic links to a decoy resolve there.
 *   - fstat-like calls on an fd ("", AT_EMPTY_PATH) are not matched: the
 *     open that made the fd was.
 *   - The sandbox's own command (the first exec of bwrap's child) is not
 *     matched as an exec; everything after it is.
 */
#define _GNU_SOURCE
#include "monitor.h"
#include "progress.h"
#include "pathnorm.h"
#include "proctree.h"
#include "rules.h"
#include "sandbox.h"
#include "strace.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <ftw.h>
#include <linux/magic.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

/* The syscalls traced ('?': ignored where the architecture lacks it). */
static const char trace_set[] =
	"?open,?openat,?openat2,?creat,?access,?faccessat,?faccessat2,"
	"?stat,?lstat,?newfstatat,?fstatat64,?statx,?readlink,?readlinkat,"
	"?link,?linkat,?symlink,?symlinkat,?rename,?renameat,?renameat2,"
	"?unlink,?unlinkat,?mkdir,?mkdirat,?chmod,?fchmod,?fchmodat,"
	"execve,?execveat,?memfd_create,?connect,?sendto,?sendmsg,?sendmmsg,"
	"?bind,"
	"?clone,?clone3,?fork,?vfork,?chdir,?fchdir,?ptrace,?io_uring_setup";

const char *monitor_trace_set(void)
{
	return trace_set;
}

/* ---- what each syscall means ---- */

enum sc_kind {
	SC_OPEN,     /* path, flags: read or write */
	SC_OPENAT2,  /* flags inside {flags=...} */
	SC_CREAT,    /* write */
	SC_PROBE,    /* access/stat/readlink */
	SC_LINK,     /* source read, target write */
	SC_SYMLINK,  /* target (relative to the link's folder) read, link write */
	SC_RENAME,   /* both write */
	SC_WRITE,    /* unlink, mkdir, chmod */
	SC_FCHMOD,   /* the fd's path: write */
	SC_EXEC,
	SC_MEMFD,
	SC_CONNECT,  /* connect(fd, addr) */
	SC_SENDTO,   /* sendto(fd, buf, len, flags, addr, alen) */
	SC_SENDMSG,  /* sendmsg(fd, {msg_name=addr...}) */
	SC_BIND,
	SC_FORK,
	SC_CHDIR,
	SC_FCHDIR,
	SC_SYSCALL,  /* ptrace, io_uring_setup */
};

struct sc_desc {
	const char *name;
	enum sc_kind kind;
	signed char dirfd, path, flags; /* argument indexes, -1: none/cwd */
	signed char dirfd2, path2;      /* second path (link, rename) */
};

static const struct sc_desc sc_table[] = {
	{"open", SC_OPEN, -1, 0, 1, -1, -1},
	{"openat", SC_OPEN, 0, 1, 2, -1, -1},
	{"openat2", SC_OPENAT2, 0, 1, 2, -1, -1},
	{"creat", SC_CREAT, -1, 0, -1, -1, -1},
	{"access", SC_PROBE, -1, 0, -1, -1, -1},
	{"faccessat", SC_PROBE, 0, 1, -1, -1, -1},
	{"faccessat2", SC_PROBE, 0, 1, -1, -1, -1},
	{"stat", SC_PROBE, -1, 0, -1, -1, -1},
	{"lstat", SC_PROBE, -1, 0, -1, -1, -1},
	{"newfstatat", SC_PROBE, 0, 1, -1, -1, -1},
	{"fstatat64", SC_PROBE, 0, 1, -1, -1, -1},
	{"statx", SC_PROBE, 0, 1, -1, -1, -1},
	{"readlink", SC_PROBE, -1, 0, -1, -1, -1},
	{"readlinkat", SC_PROBE, 0, 1, -1, -1, -1},
	{"link", SC_LINK, -1, 0, -1, -1, 1},
	{"linkat", SC_LINK, 0, 1, -1, 2, 3},
	{"symlink", SC_SYMLINK, -1, 0, -1, -1, 1},
	{"symlinkat", SC_SYMLINK, -1, 0, -1, 1, 2},
	{"rename", SC_RENAME, -1, 0, -1, -1, 1},
	{"renameat", SC_RENAME, 0, 1, -1, 2, 3},
	{"renameat2", SC_RENAME, 0, 1, -1, 2, 3},
	{"unlink", SC_WRITE, -1, 0, -1, -1, -1},
	{"unlinkat", SC_WRITE, 0, 1, -1, -1, -1},
	{"mkdir", SC_WRITE, -1, 0, -1, -1, -1},
	{"mkdirat", SC_WRITE, 0, 1, -1, -1, -1},
	{"chmod", SC_WRITE, -1, 0, -1, -1, -1},
	{"fchmodat", SC_WRITE, 0, 1, -1, -1, -1},
	{"fchmod", SC_FCHMOD, 0, -1, -1, -1, -1},
	{"execve", SC_EXEC, -1, 0, 1, -1, -1},
	{"execveat", SC_EXEC, 0, 1, 2, -1, -1},
	{"memfd_create", SC_MEMFD, -1, -1, -1, -1, -1},
	{"connect", SC_CONNECT, 0, 1, -1, -1, -1},
	{"sendto", SC_SENDTO, 0, 4, -1, -1, -1},
	{"sendmsg", SC_SENDMSG, 0, 1, -1, -1, -1},
	{"sendmmsg", SC_SENDMSG, 0, 1, -1, -1, -1},
	{"bind", SC_BIND, 0, 1, -1, -1, -1},
	{"clone", SC_FORK, -1, -1, -1, -1, -1},
	{"clone3", SC_FORK, -1, -1, -1, -1, -1},
	{"fork", SC_FORK, -1, -1, -1, -1, -1},
	{"vfork", SC_FORK, -1, -1, -1, -1, -1},
	{"chdir", SC_CHDIR, -1, 0, -1, -1, -1},
	{"fchdir", SC_FCHDIR, 0, -1, -1, -1, -1},
	{"ptrace", SC_SYSCALL, -1, -1, -1, -1, -1},
	{"io_uring_setup", SC_SYSCALL, -1, -1, -1, -1, -1},
};

static const struct sc_desc *find_sc(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(sc_table); i++)
		if (!strcmp(sc_table[i].name, name))
			return &sc_table[i];
	return NULL;
}

static bool is_fork_name(const char *s, size_t n)
{
	return (n == 5 && !memcmp(s, "clone", 5)) ||
	       (n == 6 && !memcmp(s, "clone3", 6)) ||
	       (n == 4 && !memcmp(s, "fork", 4)) ||
	       (n == 5 && !memcmp(s, "vfork", 5));
}

/* ---- small decoders of strace's printed values ---- */

/*
 * Decodes the C string literal at *pp (which points at '"') into out
 * (appends), as strace prints it: \" \\ \n \t \r \v \f \a \b, \xHH, \ooo.
 * Leaves *pp after the closing quote (and after a "..." truncation mark).
 * Returns false when the literal does not end before `end`.
 */
static bool decode_quoted(const char **pp, const char *end, struct strbuf *out)
{
	const char *p = *pp;
	if (p >= end || *p != '"')
		return false;
	p++;
	while (p < end && *p != '"') {
		if (*p != '\\') {
			strbuf_addch(out, *p++);
			continue;
		}
		if (++p >= end)
			return false;
		char c = *p++;
		switch (c) {
		case 'n': strbuf_addch(out, '\n'); break;
		case 't': strbuf_addch(out, '\t'); break;
		case 'r': strbuf_addch(out, '\r'); break;
		case 'v': strbuf_addch(out, '\v'); break;
		case 'f': strbuf_addch(out, '\f'); break;
		case 'a': strbuf_addch(out, '\a'); break;
		case 'b': strbuf_addch(out, '\b'); break;
		case 'x': {
			int v = 0, k = 0;
			while (k < 2 && p < end &&
			       ((*p >= '0' && *p <= '9') ||
				(*p >= 'a' && *p <= 'f') ||
				(*p >= 'A' && *p <= 'F'))) {
				int d = *p <= '9' ? *p - '0'
						  : (*p | 0x20) - 'a' + 10;
				v = v * 16 + d;
				p++;
				k++;
			}
			strbuf_addch(out, v);
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				int v = c - '0', k = 1;
				while (k < 3 && p < end && *p >= '0' && *p <= '7') {
					v = v * 8 + (*p++ - '0');
					k++;
				}
				strbuf_addch(out, v & 0xff);
			} else {
				strbuf_addch(out, c); /* \" \\ and others */
			}
		}
	}
	if (p >= end)
		return false;
	p++; /* closing quote */
	if (end - p >= 3 && !memcmp(p, "...", 3))
		p += 3;
	*pp = p;
	return true;
}

/*
 * Decodes an argv array as strace prints it: ["a", "b\n", ...] into sv.
 * Elements after a "..." (abbreviation) are not known. Returns false for
 * anything else (NULL, an address).
 */
bool monitor_decode_argv(const char *raw, struct strvec *sv)
{
	const char *p = raw, *end = raw + strlen(raw);
	struct strbuf sb = STRBUF_INIT;

	if (*p != '[')
		return false;
	p++;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == ','))
			p++;
		if (p < end && *p == ']')
			break;
		if (p < end && *p == '"') {
			strbuf_reset(&sb);
			if (!decode_quoted(&p, end, &sb))
				break;
			strvec_push(sv, sb.buf);
			continue;
		}
		break; /* "..." or something unexpected: stop */
	}
	strbuf_release(&sb);
	return true;
}

/* Finds key (e.g. "sin_port=htons(") in s outside quoted strings. */
static const char *find_unquoted(const char *s, const char *key)
{
	size_t n = strlen(key);
	bool q = false;
	for (const char *p = s; *p; p++) {
		if (q) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				q = false;
			continue;
		}
		if (*p == '"') {
			q = true;
			continue;
		}
		if (!strncmp(p, key, n))
			return p + n;
	}
	return NULL;
}

/*
 * The peer of a printed sockaddr into out: "127.0.0.1:53", "[::1]:443",
 * "/run/x.sock", "@abstract". Returns false for none (NULL, AF_NETLINK,
 * unparsable).
 */
bool monitor_decode_sockaddr(const char *raw, struct strbuf *out)
{
	const char *p, *q;
	long port = -1;

	strbuf_reset(out);
	if (!raw || !(p = find_unquoted(raw, "sa_family=")))
		return false;
	if (str_starts_with(p, "AF_NETLINK"))
		return false;
	if (str_starts_with(p, "AF_UNIX") || str_starts_with(p, "AF_LOCAL")) {
		q = find_unquoted(raw, "sun_path=");
		if (!q)
			return false;
		if (*q == '@') {
			strbuf_addch(out, '@');
			q++;
		}
		return decode_quoted(&q, q + strlen(q), out);
	}
	if ((q = find_unquoted(raw, "_port=htons(")))
		port = strtol(q, NULL, 10);
	if (str_starts_with(p, "AF_INET6")) {
		q = find_unquoted(raw, "inet_pton(AF_INET6, ");
		if (!q || !decode_quoted(&q, q + strlen(q), out)) {
			strbuf_addstr(out, "[?]");
		} else {
			struct strbuf tmp = STRBUF_INIT;
			strbuf_addch(&tmp, '[');
			strbuf_add(&tmp, out->buf, out->len);
			strbuf_addch(&tmp, ']');
			strbuf_reset(out);
			strbuf_add(out, tmp.buf, tmp.len);
			strbuf_release(&tmp);
		}
		strbuf_addf(out, ":%ld", port);
		return true;
	}
	if (str_starts_with(p, "AF_INET")) {
		q = find_unquoted(raw, "inet_addr(");
		if (!q || !decode_quoted(&q, q + strlen(q), out))
			strbuf_addstr(out, "?");
		strbuf_addf(out, ":%ld", port);
		return true;
	}
	/* Other families: the family name is what there is to show. */
	q = p;
	while (*q && *q != ',' && *q != '}')
		q++;
	strbuf_add(out, p, (size_t)(q - p));
	return true;
}

/* ---- the monitor state: one traced run ---- */

struct pending_fork {
	int pid;
	bool thread;
};

struct monitor_state {
	const struct monitor_config *cfg;
	struct scan_result *res;
	struct proctree *tree;
	struct strace_joiner *joiner;
	struct strace_line line;
	struct pending_fork *pending;
	size_t nr_pending, alloc_pending;
	struct strbuf path, path2, peer; /* reused: no allocation per line */
	struct strvec argv;
	int root;           /* host pid of the traced command (bwrap) */
	int nsinit;         /* host pid of the sandbox's pid 1, 0 unknown */
	int root_status;    /* root's exit status from the trace, -1 unknown */
	bool stopped;       /* a finding at or above stop_at was recorded */
	long long lines;
	char *last_package; /* package of the last event (for time limits) */
	const char *rule_phase;
};

struct monitor_state *monitor_state_new(const struct monitor_config *cfg,
					struct scan_result *res)
{
	struct monitor_state *st = xcalloc(1, sizeof(*st));
	st->cfg = cfg;
	st->res = res;
	st->tree = proctree_new(cfg->phase, cfg->build_root);
	st->joiner = strace_joiner_new();
	strbuf_init(&st->path, 256);
	strbuf_init(&st->path2, 256);
	strbuf_init(&st->peer, 64);
	st->root_status = -1;
	return st;
}

void monitor_state_free(struct monitor_state *st)
{
	if (!st)
		return;
	proctree_free(st->tree);
	strace_joiner_free(st->joiner);
	strbuf_release(&st->path);
	strbuf_release(&st->path2);
	strbuf_release(&st->peer);
	strvec_clear(&st->argv);
	free(st->pending);
	free(st->last_package);
	free(st);
}

struct proctree *monitor_state_tree(struct monitor_state *st)
{
	return st->tree;
}

int monitor_state_sandbox_init(const struct monitor_state *st)
{
	return st->nsinit;
}

/* Resolves /proc/<who>/cwd and /proc/<who>/fd/N for pathnorm. */
struct lookup_ctx {
	struct monitor_state *st;
	int pid;
};

static const char *lookup_proc(void *data, int who, int fd)
{
	struct lookup_ctx *lc = data;
	int pid = who == -1 ? lc->pid : proctree_host_pid(lc->st->tree, who);
	struct proc *p;

	if (!pid)
		return NULL;
	if (fd >= 0)
		return proctree_fd_path(lc->st->tree, pid, fd);
	p = proctree_get(lc->st->tree, pid);
	return p ? proctree_leader(lc->st->tree, p)->cwd : NULL;
}

static const struct strace_arg *arg(const struct strace_line *l, int i)
{
	if (i < 0 || (size_t)i >= l->nr_args)
		return NULL;
	return &l->args[i];
}

/* The folder a dirfd argument names (AT_FDCWD: the cwd). Borrowed. */
static const char *dirfd_path(struct monitor_state *st, struct proc *p,
			      const struct strace_line *l, int idx)
{
	const struct strace_arg *a = arg(l, idx);
	struct proc *lead = proctree_leader(st->tree, p);
	long fd;

	if (!a)
		return lead->cwd;
	if (a->fd_path && a->fd_path[0] == '/')
		return a->fd_path;
	if (a->raw && str_starts_with(a->raw, "AT_FDCWD"))
		return lead->cwd;
	if (a->raw && parse_long(a->raw, 0, 65535, &fd))
		return proctree_fd_path(st->tree, p->pid, (int)fd);
	return NULL;
}

/* Normalises the path argument idx (relative to dirfd argument didx). */
static bool path_arg(struct monitor_state *st, struct proc *p,
		     const struct strace_line *l, int didx, int idx,
		     struct strbuf *out)
{
	const struct strace_arg *a = arg(l, idx);
	struct lookup_ctx lc = {st, p->pid};
	struct path_ctx ctx = {proctree_leader(st->tree, p)->cwd, lookup_proc,
			       &lc};

	if (!a || !a->str)
		return false;
	path_normalise(out, dirfd_path(st, p, l, didx), a->str, &ctx);
	return true;
}

static void add_finding(struct finding **arr, size_t *nr, size_t *alloc,
			struct finding *f)
{
	GROW(*arr, *alloc, *nr + 1);
	(*arr)[(*nr)++] = *f;
}

static bool note_seen(const struct scan_result *res, const struct rule *r,
		      const char *package, const char *shown)
{
	for (size_t i = 0; i < res->nr_notes; i++) {
		const struct finding *n = &res->notes[i];
		if (!strcmp(n->rule_id, rule_id(r)) &&
		    !strcmp(n->package, package) &&
		    !strcmp(n->shown_path ? n->shown_path : "",
			    shown ? shown : ""))
			return true;
	}
	return false;
}

/*
 * Matches one event of process p; records a finding or a note. Returns
 * true when the finding is at or above stop_at (the caller stops).
 */
static bool emit(struct monitor_state *st, struct proc *p, enum event_class cls,
		 const char *syscall, const char *path, const char *peer,
		 const char *const *argv, bool after_memfd)
{
	struct proc *lead = proctree_leader(st->tree, p);
	struct rule_event ev = {
		.cls = cls,
		.syscall = syscall,
		.path = path,
		.peer = peer,
		.argv = argv,
		.phase = lead->phase,
		.home = st->cfg->home,
		.allowed_peers = st->cfg->allowed_peers,
		.after_memfd = after_memfd,
	};
	const struct rule *r;
	char *shown = NULL;
	struct finding f = {0};

	if (!st->cfg->rules || st->stopped)
		return false;
	r = ruleset_match(st->cfg->rules, &ev, &shown);
	if (!r) {
		free(shown);
		return false;
	}
	if (rule_severity(r) < st->cfg->stop_at &&
	    note_seen(st->res, r, lead->package, shown)) {
		free(shown);
		return false;
	}
	f.rule_id = xstrdup(rule_id(r));
	f.category = xstrdup(rule_category(r));
	f.severity = rule_severity(r);
	f.description = xstrdup(rule_description(r));
	f.explanation = xstrdup(rule_explanation(r));
	f.path = xstrdup(path ? path : peer);
	f.shown_path = shown ? shown : xstrdup(f.path);
	f.syscall = xstrdup(syscall);
	f.package = xstrdup(lead->package);
	f.phase = xstrdup(lead->phase);
	f.pid = p->pid;
	if (cls == EVENT_EXEC && argv) {
		struct strvec sv = STRVEC_INIT;
		for (size_t i = 0; argv[i]; i++)
			strvec_push(&sv, argv[i]);
		f.argv = strvec_join(&sv, " ");
		strvec_clear(&sv);
	} else {
		f.argv = xstrdup(lead->argv ? lead->argv : "");
	}
	if (f.severity >= st->cfg->stop_at) {
		add_finding(&st->res->findings, &st->res->nr_findings,
			    &st->res->alloc_findings, &f);
		st->res->stopped = true;
		st->stopped = true;
		return true;
	}
	add_finding(&st->res->notes, &st->res->nr_notes, &st->res->alloc_notes,
		    &f);
	return false;
}

/* Open flags -> read, write or probe (O_PATH). */
static enum event_class open_class(const char *flags)
{
	if (!flags)
		return EVENT_READ;
	if (strstr(flags, "O_WRONLY") || strstr(flags, "O_RDWR") ||
	    strstr(flags, "O_CREAT") || strstr(flags, "O_TRUNC") ||
	    strstr(flags, "O_APPEND") || strstr(flags, "O_TMPFILE"))
		return EVENT_WRITE;
	if (strstr(flags, "O_PATH"))
		return EVENT_PROBE;
	return EVENT_READ;
}

/* Matches path and, when it differs, the kernel's path of the new fd. */
static bool emit_path(struct monitor_state *st, struct proc *p,
		      enum event_class cls, const struct strace_line *l,
		      const char *path)
{
	if (emit(st, p, cls, l->syscall, path, NULL, NULL, false))
		return true;
	if (l->has_ret && l->ret >= 0 && l->ret_fd_path &&
	    l->ret_fd_path[0] == '/' && strcmp(l->ret_fd_path, path) != 0)
		return emit(st, p, cls, l->syscall, l->ret_fd_path, NULL, NULL,
			    false);
	return false;
}

/* "= 2 (slash-star) 8843 in strace's PID NS (star-slash)" ending a raw line -> 8843. */
static int pidns_host_pid(const char *raw, size_t len)
{
	static const char tail[] = " in strace's PID NS */";
	size_t tl = sizeof(tail) - 1;
	const char *p;
	int v = 0, mul = 1;

	while (len && (raw[len - 1] == ' ' || raw[len - 1] == '\n'))
		len--;
	if (len < tl + 4 || memcmp(raw + len - tl, tail, tl))
		return 0;
	p = raw + len - tl;
	while (p > raw && p[-1] >= '0' && p[-1] <= '9') {
		p--;
		if (mul > 100000000)
			return 0;
		v += (*p - '0') * mul;
		mul *= 10;
	}
	if (mul == 1 || p - raw < 3 || memcmp(p - 3, "/* ", 3))
		return 0;
	return v;
}

/* PPid of a host process from /proc (fallback for unknown pids). */
static int proc_ppid(int pid)
{
	char path[64], buf[1024];
	int fd, ppid = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strstr(buf, "\nPPid:");
	if (p)
		ppid = atoi(p + 6);
	return ppid;
}

/*
 * The process of a line. An unknown pid is a child whose first lines came
 * before its parent's fork returned: its parent is the process with an
 * unfinished fork (the one whose /proc PPid says so when there are
 * several), else /proc's PPid; it never inherits "trusted" from a guess
 * that is not certain.
 */
static struct proc *line_proc(struct monitor_state *st, int pid)
{
	struct proc *p = proctree_get(st->tree, pid);
	int parent = 0;
	bool thread = false;

	if (p)
		return p;
	if (!st->root) {
		st->root = pid;
		return proctree_ensure(st->tree, pid);
	}
	if (st->nr_pending == 1) {
		parent = st->pending[0].pid;
		thread = st->pending[0].thread;
	} else {
		int pp = proc_ppid(pid);
		for (size_t i = 0; i < st->nr_pending; i++)
			if (st->pending[i].pid == pp) {
				parent = pp;
				thread = st->pending[i].thread;
			}
		if (!parent && pp && proctree_get(st->tree, pp) &&
		    !proctree_get(st->tree, pp)->trusted)
			parent = pp;
	}
	if (parent)
		return proctree_fork(st->tree, parent, pid, 0, thread);
	return proctree_ensure(st->tree, pid);
}

static void set_last_package(struct monitor_state *st, const struct proc *lead)
{
	if (st->last_package && !strcmp(st->last_package, lead->package))
		return;
	free(st->last_package);
	st->last_package = xstrdup(lead->package);
	/* What the user waits for: which sdist is built, what is imported. */
	if (!strcmp(lead->phase, "build"))
		progress_set("building %s from its sdist", lead->package);
	else if (!strcmp(lead->phase, "install"))
		progress_set("installing (pip resolves and downloads)");
	/* The import phase shows its own [k/N] counter (scan.c). */
}

static bool handle_exec(struct monitor_state *st, struct proc *p,
			const struct sc_desc *d, const struct strace_line *l)
{
	const struct strace_arg *av = arg(l, d->flags);
	bool was_trusted = p->trusted;
	bool ok = l->has_ret && l->ret == 0;
	bool after_memfd = false;
	const char *path = NULL;

	strvec_clear(&st->argv);
	if (av && av->raw)
		monitor_decode_argv(av->raw, &st->argv);
	if (path_arg(st, p, l, d->dirfd, d->path, &st->path))
		path = st->path.buf;
	if (d->dirfd >= 0 && (!arg(l, d->path) || !arg(l, d->path)->str ||
			      !arg(l, d->path)->str[0])) {
		/* execveat(fd, "", ..., AT_EMPTY_PATH): the fd itself */
		const char *fdp = dirfd_path(st, p, l, d->dirfd);
		const struct strace_arg *da = arg(l, d->dirfd);
		if (da && da->fd_path)
			fdp = da->fd_path;
		if (fdp) {
			strbuf_reset(&st->path);
			strbuf_addstr(&st->path, fdp);
			path = st->path.buf;
		}
	}
	if (path) {
		struct proc *lead = proctree_leader(st->tree, p);
		if (str_starts_with(path, "/memfd:"))
			after_memfd = true;
		else if ((p->memfd || lead->memfd) &&
			 (str_starts_with(path, "/proc/") ||
			  str_starts_with(path, "/dev/fd/")))
			after_memfd = true;
	}
	if (ok)
		proctree_exec(st->tree, p->pid,
			      (const char *const *)st->argv.v);
	/* The sandbox's own command is ours, not the package's. */
	if (was_trusted)
		return false;
	set_last_package(st, proctree_leader(st->tree, p));
	return emit(st, p, EVENT_EXEC, l->syscall, path, NULL,
		    (const char *const *)(st->argv.v ? st->argv.v
						     : (char *[]){NULL}),
		    after_memfd);
}

bool monitor_decode_dns_query(const unsigned char *msg, size_t len,
			      struct strbuf *out)
{
	size_t i = 12;

	strbuf_reset(out);
	/* header: QR bit clear (a query), QDCOUNT >= 1 */
	if (len < 17 || (msg[2] & 0x80) || (msg[4] == 0 && msg[5] == 0))
		return false;
	while (i < len && msg[i]) {
		size_t n = msg[i++];
		if (n > 63 || i + n > len || out->len + n > 253)
			return false;
		if (out->len)
			strbuf_addch(out, '.');
		strbuf_add(out, msg + i, n);
		i += n;
	}
	return i < len && out->len > 0;
}

/* "UDP:[10.0.0.2:40000->10.0.0.53:53]" -> "10.0.0.53:53" (the remote). */
static bool fd_peer(const char *fdp, struct strbuf *out)
{
	const char *a, *e;
	strbuf_reset(out);
	if (!fdp || !(a = strstr(fdp, "->")))
		return false;
	a += 2;
	e = a + strlen(a);
	if (e > a && e[-1] == ']')
		e--;
	strbuf_add(out, a, (size_t)(e - a));
	return out->len > 0;
}

static bool is_dns_peer(const char *peer)
{
	return str_ends_with(peer, ":53");
}

static bool handle_peer(struct monitor_state *st, struct proc *p,
			const struct sc_desc *d, const struct strace_line *l)
{
	const struct strace_arg *a = arg(l, d->path);
	const struct strace_arg *sock = arg(l, 0);
	const char *raw = a ? a->raw : NULL;
	bool have_peer;

	if (d->kind == SC_SENDMSG && raw) {
		const char *m = find_unquoted(raw, "msg_name=");
		raw = m && !str_starts_with(m, "NULL") ? m : NULL;
	}
	have_peer = monitor_decode_sockaddr(raw, &st->peer);
	if (d->kind == SC_CONNECT || d->kind == SC_BIND) {
		if (!have_peer)
			return false;
		/* A connect to a resolver's port sends nothing yet: the query
		 * that follows is matched with its name first (dns rules), then
		 * with its peer, so a DNS exfiltration is named as such. */
		if (d->kind == SC_CONNECT && is_dns_peer(st->peer.buf))
			return false;
		return emit(st, p,
			    d->kind == SC_BIND ? EVENT_SYSCALL : EVENT_CONNECT,
			    l->syscall, NULL, st->peer.buf, NULL, false);
	}
	/* sendto/sendmsg/sendmmsg: on a connected socket the peer is the
	 * fd's (-yy); the connect was matched already unless it is DNS. */
	if (!have_peer && !(sock && fd_peer(sock->fd_path, &st->peer)))
		return false;
	if (is_dns_peer(st->peer.buf)) {
		const unsigned char *msg = NULL;
		size_t len = 0;
		struct strbuf q = STRBUF_INIT;
		bool stop;
		if (d->kind == SC_SENDTO && arg(l, 1) && arg(l, 1)->str) {
			msg = (const unsigned char *)arg(l, 1)->str;
			len = arg(l, 1)->str_len;
		} else if (arg(l, 1) && arg(l, 1)->raw) {
			const char *b = find_unquoted(arg(l, 1)->raw, "iov_base=");
			if (b && decode_quoted(&b, b + strlen(b), &q)) {
				msg = (const unsigned char *)q.buf;
				len = q.len;
			}
		}
		if (msg && monitor_decode_dns_query(msg, len, &st->path)) {
			stop = emit(st, p, EVENT_CONNECT, l->syscall,
				    st->path.buf, st->peer.buf, NULL, false);
			/* The event carries the name and the peer: dns rules
			 * and connect rules (an odd resolver) both see it. */
			strbuf_release(&q);
			return stop;
		}
		strbuf_release(&q);
	}
	/* On a connected socket only the resolver port was left unmatched at
	 * connect time (above); everything else was matched then. */
	if (!have_peer && !is_dns_peer(st->peer.buf))
		return false;
	return emit(st, p, EVENT_CONNECT, l->syscall, NULL, st->peer.buf, NULL,
		    false);
}

static void handle_fork(struct monitor_state *st, struct proc *p,
			const struct strace_line *l, const char *raw,
			size_t len)
{
	int host = pidns_host_pid(raw, len);
	bool thread = false;

	for (size_t i = 0; i < l->nr_args; i++)
		if (l->args[i].raw && strstr(l->args[i].raw, "CLONE_THREAD"))
			thread = true;
	if (!l->has_ret || l->ret <= 0)
		return;
	if (p->pid == st->root && !st->nsinit)
		for (size_t i = 0; i < l->nr_args; i++)
			if (l->args[i].raw &&
			    strstr(l->args[i].raw, "CLONE_NEWPID"))
				st->nsinit = host ? host : (int)l->ret;
	if (host)
		proctree_fork(st->tree, p->pid, host, (int)l->ret, thread);
	else
		proctree_fork(st->tree, p->pid, (int)l->ret, 0, thread);
}

/* One complete syscall line. Returns true on a stop-level finding. */
static bool handle_syscall(struct monitor_state *st, const struct strace_line *l,
			   const char *raw, size_t len)
{
	const struct sc_desc *d = find_sc(l->syscall);
	struct proc *p = line_proc(st, l->pid);
	struct proc *lead = proctree_leader(st->tree, p);
	bool ok = l->has_ret && l->ret >= 0;

	/* -yy prints the cwd with every AT_FDCWD: the kernel's truth. */
	for (size_t i = 0; i < l->nr_args; i++)
		if (l->args[i].fd_path && l->args[i].fd_path[0] == '/' &&
		    l->args[i].raw && str_starts_with(l->args[i].raw, "AT_FDCWD")) {
			proctree_chdir(st->tree, p->pid, l->args[i].fd_path);
			break;
		}
	if (!d)
		return false;
	switch (d->kind) {
	case SC_FORK:
		handle_fork(st, p, l, raw, len);
		return false;
	case SC_EXEC:
		return handle_exec(st, p, d, l);
	case SC_CHDIR:
		if (ok && path_arg(st, p, l, -1, d->path, &st->path))
			proctree_chdir(st->tree, p->pid, st->path.buf);
		return false;
	case SC_FCHDIR: {
		const char *fdp = arg(l, 0) ? arg(l, 0)->fd_path : NULL;
		if (ok && fdp && fdp[0] == '/')
			proctree_chdir(st->tree, p->pid, fdp);
		return false;
	}
	default:
		break;
	}
	if (ok && l->ret_fd_path && l->ret_fd_path[0] == '/' &&
	    (d->kind == SC_OPEN || d->kind == SC_OPENAT2 ||
	     d->kind == SC_CREAT || d->kind == SC_MEMFD)) {
		proctree_set_fd(st->tree, p->pid, (int)l->ret, l->ret_fd_path);
		proctree_note_open(st->tree, p->pid, l->ret_fd_path);
	}
	if (p->trusted)
		return false;
	set_last_package(st, lead);

	switch (d->kind) {
	case SC_OPEN:
	case SC_OPENAT2: {
		const struct strace_arg *f = arg(l, d->flags);
		const char *flags = f ? f->raw : NULL;
		if (!path_arg(st, p, l, d->dirfd, d->path, &st->path))
			return false;
		return emit_path(st, p, open_class(flags), l, st->path.buf);
	}
	case SC_CREAT:
		if (!path_arg(st, p, l, d->dirfd, d->path, &st->path))
			return false;
		return emit_path(st, p, EVENT_WRITE, l, st->path.buf);
	case SC_PROBE: {
		const struct strace_arg *a = arg(l, d->path);
		if (!a || !a->str || !a->str[0])
			return false; /* fstat of an fd already opened */
		if (!path_arg(st, p, l, d->dirfd, d->path, &st->path))
			return false;
		return emit_path(st, p, EVENT_PROBE, l, st->path.buf);
	}
	case SC_WRITE:
		if (!path_arg(st, p, l, d->dirfd, d->path, &st->path))
			return false;
		return emit(st, p, EVENT_WRITE, l->syscall, st->path.buf, NULL,
			    NULL, false);
	case SC_FCHMOD: {
		const char *fdp = arg(l, 0) ? arg(l, 0)->fd_path : NULL;
		if (!fdp || fdp[0] != '/')
			return false;
		return emit(st, p, EVENT_WRITE, l->syscall, fdp, NULL, NULL,
			    false);
	}
	case SC_LINK:
	case SC_RENAME:
		if (path_arg(st, p, l, d->dirfd, d->path, &st->path) &&
		    emit(st, p, d->kind == SC_LINK ? EVENT_READ : EVENT_WRITE,
			 l->syscall, st->path.buf, NULL, NULL, false))
			return true;
		if (path_arg(st, p, l, d->dirfd2, d->path2, &st->path2))
			return emit(st, p, EVENT_WRITE, l->syscall,
				    st->path2.buf, NULL, NULL, false);
		return false;
	case SC_SYMLINK: {
		/* The target is resolved from the folder of the link. */
		const struct strace_arg *t = arg(l, d->path);
		bool have_link = path_arg(st, p, l, d->dirfd2, d->path2,
					  &st->path2);
		if (t && t->str && have_link) {
			char *slash = strrchr(st->path2.buf, '/');
			struct strbuf dir = STRBUF_INIT;
			struct lookup_ctx lc = {st, p->pid};
			struct path_ctx ctx = {lead->cwd, lookup_proc, &lc};
			strbuf_add(&dir, st->path2.buf,
				   slash ? (size_t)(slash - st->path2.buf) : 0);
			path_normalise(&st->path, dir.len ? dir.buf : "/",
				       t->str, &ctx);
			strbuf_release(&dir);
			if (emit(st, p, EVENT_READ, l->syscall, st->path.buf,
				 NULL, NULL, false))
				return true;
		}
		if (have_link)
			return emit(st, p, EVENT_WRITE, l->syscall,
				    st->path2.buf, NULL, NULL, false);
		return false;
	}
	case SC_MEMFD:
		if (ok)
			lead->memfd = p->memfd = true;
		return emit(st, p, EVENT_SYSCALL, l->syscall, NULL, NULL, NULL,
			    false);
	case SC_CONNECT:
	case SC_SENDTO:
	case SC_SENDMSG:
	case SC_BIND:
		return handle_peer(st, p, d, l);
	case SC_SYSCALL:
		return emit(st, p, EVENT_SYSCALL, l->syscall, NULL, NULL, NULL,
			    false);
	default:
		return false;
	}
}

/*
 * Notes an unfinished fork-like call from the raw line ("123 clone(...
 * <unfinished ...>"): the parent of a pid seen before the fork returns.
 */
static void track_pending(struct monitor_state *st, const char *raw,
			  size_t len)
{
	const char *p = raw, *end = raw + len, *name;
	int pid = 0;
	static const char unfinished[] = "<unfinished ...>";
	size_t ul = sizeof(unfinished) - 1;

	while (p < end && *p >= '0' && *p <= '9' && pid < 1 << 26)
		pid = pid * 10 + (*p++ - '0');
	if (!pid)
		return;
	while (p < end && *p == ' ')
		p++;
	if (end - p > 4 && !memcmp(p, "<... ", 5)) {
		/* a resumed half: the fork of pid is no longer pending */
		for (size_t i = 0; i < st->nr_pending; i++)
			if (st->pending[i].pid == pid) {
				st->pending[i] = st->pending[--st->nr_pending];
				break;
			}
		return;
	}
	name = p;
	while (p < end && *p != '(')
		p++;
	if (p >= end || !is_fork_name(name, (size_t)(p - name)))
		return;
	while (end > p && end[-1] == ' ')
		end--;
	if ((size_t)(end - p) < ul || memcmp(end - ul, unfinished, ul))
		return;
	GROW(st->pending, st->alloc_pending, st->nr_pending + 1);
	st->pending[st->nr_pending].pid = pid;
	st->pending[st->nr_pending].thread =
		memmem(raw, len, "CLONE_THREAD", 12) != NULL;
	st->nr_pending++;
}

int monitor_feed(struct monitor_state *st, const char *raw, size_t len)
{
	struct strace_line *l = &st->line;
	int r;
	bool stop = false;

	st->lines++;
	if (st->stopped)
		return 0;
	/* Parent linking must be known before the resumed half is handled. */
	r = strace_joiner_feed(st->joiner, raw, len, l);
	if (r == 1) {
		switch (l->kind) {
		case STRACE_SYSCALL:
			stop = handle_syscall(st, l, raw, len);
			break;
		case STRACE_EXITED:
		case STRACE_KILLED:
			if (l->pid == st->root)
				st->root_status = l->kind == STRACE_EXITED
							  ? l->exit_status
							  : -1;
			proctree_exit(st->tree, l->pid);
			if (l->pid == st->nsinit)
				st->nsinit = -st->nsinit; /* gone: never kill */
			break;
		default:
			break;
		}
		strace_line_clear(l);
	}
	track_pending(st, raw, len);
	return stop ? 1 : 0;
}

/* ---- running strace, killing, reaping ---- */

/* For monitor_kill_current() (signal handlers): plain pids, no pointers. */
static volatile sig_atomic_t g_nsinit, g_root, g_strace;

void monitor_kill_current(void)
{
	int saved = errno;
	int nsinit = g_nsinit, root = g_root, tracer = g_strace;

	if (nsinit > 0)
		kill(nsinit, SIGKILL);
	if (root > 0)
		kill(root, SIGKILL);
	/*
	 * Neither known yet: strace itself. bwrap runs --die-with-parent, so
	 * the sandbox goes with it.
	 */
	if (nsinit <= 0 && root <= 0 && tracer > 0)
		kill(tracer, SIGKILL);
	errno = saved;
}

/* Kills pid only when it is still traced by our strace (pid reuse). */
static void kill_if_traced(struct proc *p, void *data)
{
	int tracer = *(int *)data;
	char path[64], buf[2048];
	int fd;
	ssize_t n;
	const char *t;

	snprintf(path, sizeof(path), "/proc/%d/status", p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	t = strstr(buf, "\nTracerPid:");
	if (t && atoi(t + 11) == tracer)
		kill(p->pid, SIGKILL);
}

static void kill_sandbox(struct monitor_state *st, int tracer)
{
	if (st->nsinit > 0)
		kill(st->nsinit, SIGKILL);
	if (g_nsinit > 0 && g_nsinit != st->nsinit)
		kill(g_nsinit, SIGKILL);
	if (st->root > 0)
		kill(st->root, SIGKILL);
	proctree_each_alive(st->tree, kill_if_traced, &tracer);
}

/* ---- containment: limits watched while the sandbox runs ---- */

/* What one look at the alive processes of the tree found. */
struct watch_sum {
	long procs;             /* processes and threads */
	long long pss;          /* bytes, sum over processes */
	long long biggest;      /* the largest Pss ... */
	const char *big_package;/* ... and its package (borrowed) */
	int sandboxed;          /* an alive process that executed something
				   inside (not bwrap before exec), or 0 */
	bool want_pss;
};

/* Pss of pid in bytes from /proc/PID/smaps_rollup, or -1. */
static long long proc_pss(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	const char *p = strstr(buf, "\nPss:");
	return p ? strtoll(p + 5, NULL, 10) * 1024 : -1;
}

static void watch_one(struct proc *p, void *data)
{
	struct watch_sum *w = data;
	w->procs++;
	if (p->tgid != p->pid)
		return; /* a thread: its memory is its leader's */
	if (!p->trusted && !w->sandboxed)
		w->sandboxed = p->pid;
	if (!w->want_pss)
		return;
	long long pss = proc_pss(p->pid);
	if (pss <= 0)
		return;
	w->pss += pss;
	if (pss > w->biggest) {
		w->biggest = pss;
		w->big_package = p->package;
	}
}

/* Bytes allocated under a folder (nftw has no user data: a static). */
static long long du_total;
static int du_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)path, (void)flag, (void)ftw;
	du_total += (long long)sb->st_blocks * 512;
	return 0;
}

struct watchdog {
	double next, next_du;
	int tmp_fd;              /* the sandbox's /tmp, held open: its usage
				    can be read after the sandbox ended */
	long long output;        /* bytes of stdout + stderr read */
};

/* Sets the limit text and package; true (the caller kills). */
static bool limit_reached(struct monitor_state *st, const char *package,
			  char *what)
{
	free(st->res->limit_hit);
	st->res->limit_hit = what;
	free(st->res->limit_package);
	st->res->limit_package = xstrdup(
		package ? package
		: st->last_package ? st->last_package
		: !strcmp(st->cfg->phase, "import") ? "python"
						    : "pip");
	st->stopped = true; /* nothing after the kill counts */
	return true;
}

/* The sandbox's /tmp is (nearly) full: less than 4 MiB free. */
static bool tmp_full(const struct monitor_config *cfg, int fd)
{
	struct statfs sf;
	if (fd < 0 || fstatfs(fd, &sf) < 0 || sf.f_type != TMPFS_MAGIC)
		return false;
	return (long long)sf.f_bavail * (long long)sf.f_bsize < (4LL << 20) &&
	       cfg->tmp_bytes > 0;
}

/*
 * One look at the limits (at most every 200 ms; the workspace walk every
 * second). Returns true when one is reached (res->limit_hit set).
 */
static bool watch_limits(struct monitor_state *st, struct watchdog *wd,
			 double now)
{
	const struct monitor_config *cfg = st->cfg;
	if (st->stopped || now < wd->next)
		return false;
	wd->next = now + 0.2;
	struct watch_sum w = {.want_pss = cfg->max_pss > 0};
	proctree_each_alive(st->tree, watch_one, &w);
	if (cfg->max_procs > 0 && w.procs > cfg->max_procs)
		return limit_reached(st, NULL, xasprintf(
			"%s phase process limit (%ld processes)", cfg->phase,
			cfg->max_procs));
	if (cfg->max_pss > 0 && w.pss > cfg->max_pss)
		return limit_reached(st, w.big_package, xasprintf(
			"%s phase memory limit (%lld MiB resident in the "
			"sandbox)", cfg->phase, cfg->max_pss >> 20));
	if (cfg->tmp_bytes > 0 && wd->tmp_fd < 0 && w.sandboxed) {
		/* Only once the command runs: before bwrap's pivot_root,
		 * /proc/PID/root/tmp would be the host's /tmp. */
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/root" SANDBOX_TMP,
			 w.sandboxed);
		wd->tmp_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (tmp_full(cfg, wd->tmp_fd))
		return limit_reached(st, NULL, xasprintf(
			"%s phase disk limit (the sandbox's /tmp of %lld MiB "
			"is full)", cfg->phase, cfg->tmp_bytes >> 20));
	if (cfg->disk_dir && cfg->disk_bytes > 0 && now >= wd->next_du) {
		wd->next_du = now + 1;
		du_total = 0;
		nftw(cfg->disk_dir, du_one, 16, FTW_PHYS | FTW_MOUNT);
		if (du_total > cfg->disk_bytes)
			return limit_reached(st, NULL, xasprintf(
				"%s phase disk limit (%lld MiB written to the "
				"workspace)", cfg->phase, cfg->disk_bytes >> 20));
	}
	return false;
}

/*
 * Reads what is there on a sandbox output pipe into its tail (the last
 * output_keep bytes); counts it. Returns false at end of file.
 */
static bool read_output(const struct monitor_config *cfg, int fd,
			struct strbuf *tail, struct watchdog *wd)
{
	char buf[65536];
	size_t keep = cfg->output_keep ? cfg->output_keep : (1u << 20);
	for (int i = 0; i < 64; i++) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return false;
		if (n < 0)
			return true; /* EAGAIN: later */
		wd->output += n;
		strbuf_add(tail, buf, (size_t)n);
		if (tail->len > 2 * keep) {
			memmove(tail->buf, tail->buf + tail->len - keep, keep);
			strbuf_setlen(tail, keep);
		}
	}
	return true;
}

/* Trims a tail to its last output_keep bytes (read_output lets it grow to
 * twice that between trims). */
static void trim_tail(const struct monitor_config *cfg, struct strbuf *tail)
{
	size_t keep = cfg->output_keep ? cfg->output_keep : (1u << 20);
	if (tail && tail->len > keep) {
		memmove(tail->buf, tail->buf + tail->len - keep, keep);
		strbuf_setlen(tail, keep);
	}
}

/* Reads bwrap's --info-fd JSON; sets the sandbox init when complete. */
static void read_info(int fd, struct strbuf *info, struct monitor_state *st)
{
	char buf[1024];
	ssize_t n;
	const char *p;

	while ((n = read(fd, buf, sizeof(buf))) > 0 && info->len < 65536)
		strbuf_add(info, buf, (size_t)n);
	p = strstr(info->buf, "\"child-pid\"");
	if (!p || !(p = strchr(p, ':')))
		return;
	p++;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	long v = strtol(p, NULL, 10);
	if (v > 1 && v < 1 << 30 && st->nsinit == 0) {
		st->nsinit = (int)v;
		g_nsinit = (int)v;
	}
}

static pid_t spawn_strace(const char *const *argv, int out_fd)
{
	struct strvec sv = STRVEC_INIT;
	pid_t self = getpid(), pid;

	strvec_pushl(&sv, "strace", "-f", "--seccomp-bpf", "-q", "-yy",
		     "--decode-pids=pidns", "-s", "4096", "-e", "signal=none",
		     NULL);
	strvec_pushf(&sv, "--trace=%s", trace_set);
	/*
	 * strace opens our pipe through /proc: the write end stays close-on-
	 * exec here, so neither strace's tracees nor anything in the sandbox
	 * holds a writable end of the trace (no forged lines).
	 */
	strvec_pushf(&sv, "--output=/proc/%d/fd/%d", (int)self, out_fd);
	strvec_push(&sv, "--");
	for (size_t i = 0; argv[i]; i++)
		strvec_push(&sv, argv[i]);

	pid = fork();
	if (pid < 0) {
		warnx("cannot start strace: %s", strerror(errno));
		strvec_clear(&sv);
		return -1;
	}
	if (pid == 0) {
		sigset_t all;
		/* strace dies with us; bwrap (--die-with-parent) with it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != self)
			_exit(127);
		setpgid(0, 0);
		for (int s = 1; s < NSIG; s++)
			if (s != SIGKILL && s != SIGSTOP)
				signal(s, SIG_DFL);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		/*
		 * Only PATH (strace looks bwrap up in it): bwrap is the
		 * sandbox's pid 1, and its /proc/1/environ is readable from
		 * inside: the user's environment (tokens, keys) must not be
		 * there. The command inside gets bwrap's --setenv only.
		 */
		const char *path = getenv("PATH");
		char *envp[] = {xasprintf("PATH=%s", path ? path
						     : "/usr/bin:/bin"),
				NULL};
		execvpe("strace", sv.v, envp);
		dprintf(2, "%s: cannot run strace: %s\n", prog_name,
			strerror(errno));
		_exit(127);
	}
	strvec_clear(&sv);
	return pid;
}

/* Feeds the complete lines in buf; keeps a partial last line. */
static bool feed_buffer(struct monitor_state *st, struct strbuf *buf,
			FILE *copy)
{
	size_t start = 0;
	bool stop = false;

	for (;;) {
		char *nl = memchr(buf->buf + start, '\n', buf->len - start);
		if (!nl)
			break;
		size_t len = (size_t)(nl - (buf->buf + start));
		if (copy)
			fwrite(buf->buf + start, 1, len + 1, copy);
		*nl = '\0';
		if (monitor_feed(st, buf->buf + start, len))
			stop = true;
		start += len + 1;
	}
	if (start) {
		memmove(buf->buf, buf->buf + start, buf->len - start);
		strbuf_setlen(buf, buf->len - start);
	}
	/* A line longer than 1 MiB is not strace's: drop it, keep reading. */
	if (buf->len > (1u << 20))
		strbuf_reset(buf);
	return stop;
}

/*
 * Benchmark-only: PIPCANARY_BENCH_UNMONITORED=1 runs argv without strace (no
 * rules, no findings), so `make bench` can compare a monitored scan with
 * the same install+import in the same sandbox. Said once on stderr at
 * start (monitor_run's own stderr is the sandbox log).
 */
static bool bench_unmonitored(void)
{
	const char *e = getenv("PIPCANARY_BENCH_UNMONITORED");
	return e && !strcmp(e, "1");
}

__attribute__((constructor)) static void bench_unmonitored_warn(void)
{
	if (bench_unmonitored())
		fprintf(stderr, "pipcanary: PIPCANARY_BENCH_UNMONITORED=1: "
			"benchmark mode, the sandbox runs WITHOUT strace: no "
			"rules, no findings\n");
}

/* monitor_run() without strace: runs argv, kills it at the time limit. */
static int run_unmonitored(const char *const *argv,
			   const struct monitor_config *cfg,
			   struct scan_result *res, struct monitor_outcome *out)
{
	double deadline = cfg->timeout > 0 ? now_monotonic() + cfg->timeout : 0;
	int status = 0;
	pid_t self = getpid(), pid = fork();

	if (pid < 0) {
		warnx("cannot start %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigset_t all;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != self)
			_exit(127);
		for (int s = 1; s < NSIG; s++)
			if (s != SIGKILL && s != SIGSTOP)
				signal(s, SIG_DFL);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "%s: cannot run %s: %s\n", prog_name, argv[0],
			strerror(errno));
		_exit(127);
	}
	g_root = (int)pid;
	/* The output pipes are read here too: a full pipe would stall the
	 * sandbox (the output limit is not applied: benchmark only). */
	struct watchdog wd = {.tmp_fd = -1};
	int ofd[2] = {cfg->out_tail ? cfg->out_fd : -1,
		      cfg->err_tail ? cfg->err_fd : -1};
	struct strbuf *tails[2] = {cfg->out_tail, cfg->err_tail};
	for (int i = 0; i < 2; i++)
		if (ofd[i] >= 0)
			fcntl(ofd[i], F_SETFL, fcntl(ofd[i], F_GETFL) | O_NONBLOCK);
	for (;;) {
		for (int i = 0; i < 2; i++)
			if (ofd[i] >= 0 && !read_output(cfg, ofd[i], tails[i], &wd))
				ofd[i] = -1;
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (deadline && now_monotonic() >= deadline && !out->timed_out) {
			out->timed_out = true;
			free(res->limit_hit);
			res->limit_hit = xasprintf("%s phase time limit (%g s)",
						   cfg->phase, cfg->timeout);
			kill(pid, SIGKILL); /* bwrap --die-with-parent: all go */
		}
		usleep(5000);
	}
	g_root = 0;
	for (int i = 0; i < 2; i++)
		if (ofd[i] >= 0) {
			read_output(cfg, ofd[i], tails[i], &wd);
			trim_tail(cfg, tails[i]);
		}
	out->exit_status = out->timed_out ? -1
			   : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return 0;
}

int monitor_run(const char *const *argv, const struct monitor_config *cfg,
		struct scan_result *res, struct monitor_outcome *out)
{
	struct monitor_state *st;
	struct strbuf buf = STRBUF_INIT, info = STRBUF_INIT;
	int pfd[2], status = 0;
	pid_t tracer;
	bool have_writer = true, eof = false, killed = false;
	bool strace_done = false;
	double deadline = cfg->timeout > 0 ? now_monotonic() + cfg->timeout : 0;
	double drain_until = 0;
	int info_fd = cfg->info_fd;
	int out_fd = cfg->out_tail ? cfg->out_fd : -1;
	int err_fd = cfg->err_tail ? cfg->err_fd : -1;
	struct watchdog wd = {.tmp_fd = -1};

	*out = (struct monitor_outcome){.exit_status = -1};
	if (out_fd >= 0)
		fcntl(out_fd, F_SETFL, fcntl(out_fd, F_GETFL) | O_NONBLOCK);
	if (err_fd >= 0)
		fcntl(err_fd, F_SETFL, fcntl(err_fd, F_GETFL) | O_NONBLOCK);
	if (bench_unmonitored())
		return run_unmonitored(argv, cfg, res, out);
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		warnx("cannot make the trace pipe: %s", strerror(errno));
		return -1;
	}
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	/* Room for bursts, so strace rarely waits on us (best effort: the
	 * default 64 KiB stays when the limit is lower). */
	fcntl(pfd[0], F_SETPIPE_SZ, 1 << 20);
	if (info_fd >= 0)
		fcntl(info_fd, F_SETFL, fcntl(info_fd, F_GETFL) | O_NONBLOCK);
	st = monitor_state_new(cfg, res);
	tracer = spawn_strace(argv, pfd[1]);
	if (tracer < 0) {
		close(pfd[0]);
		close(pfd[1]);
		monitor_state_free(st);
		return -1;
	}
	g_strace = (int)tracer;
	strbuf_grow(&buf, 65536);

	while (!eof) {
		/* -1 fds are ignored by poll. */
		struct pollfd fds[4] = {{pfd[0], POLLIN, 0},
					{info_fd, POLLIN, 0},
					{out_fd, POLLIN, 0},
					{err_fd, POLLIN, 0}};
		double now = now_monotonic();
		int wait_ms = have_writer ? 50 : 200;

		if (!killed && deadline && now >= deadline) {
			out->timed_out = true;
			free(res->limit_hit);
			res->limit_hit = xasprintf("%s phase time limit (%g s)",
						   cfg->phase, cfg->timeout);
			free(res->limit_package);
			res->limit_package = xstrdup(
				st->last_package ? st->last_package
				: !strcmp(cfg->phase, "import") ? "python"
								: "pip");
			st->stopped = true; /* nothing after the kill counts */
			kill_sandbox(st, (int)tracer);
			killed = true;
			drain_until = now + 10;
		}
		if (!killed && watch_limits(st, &wd, now)) {
			out->limit = true;
			kill_sandbox(st, (int)tracer);
			killed = true;
			drain_until = now + 10;
		}
		if (!killed && cfg->output_limit > 0 &&
		    wd.output > cfg->output_limit) {
			out->limit = limit_reached(st, NULL, xasprintf(
				"%s phase output limit (%lld MiB of stdout and "
				"stderr)", cfg->phase, cfg->output_limit >> 20));
			kill_sandbox(st, (int)tracer);
			killed = true;
			drain_until = now + 10;
		}
		if (killed && now >= drain_until) {
			/* The trace does not end: strace itself goes. */
			kill(tracer, SIGKILL);
			break;
		}
		if (deadline && !killed) {
			double left = (deadline - now) * 1000;
			if (left < wait_ms)
				wait_ms = left < 1 ? 1 : (int)left;
		}
		int n = poll(fds, 4, wait_ms);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && out_fd >= 0 && fds[2].revents &&
		    !read_output(cfg, out_fd, cfg->out_tail, &wd))
			out_fd = -1;
		if (n > 0 && err_fd >= 0 && fds[3].revents &&
		    !read_output(cfg, err_fd, cfg->err_tail, &wd))
			err_fd = -1;
		if (info_fd >= 0 && n > 0 && fds[1].revents) {
			read_info(info_fd, &info, st);
			if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL) ||
			    st->nsinit)
				info_fd = -1; /* done with it */
		}
		if (n > 0 && fds[0].revents) {
			/* Bounded: a trace that never pauses (a fork bomb)
			 * must not starve the limits checked above. */
			for (int chunk = 0; chunk < 16; chunk++) {
				strbuf_grow(&buf, 65536);
				ssize_t r = read(pfd[0], buf.buf + buf.len,
						 buf.alloc - buf.len - 1);
				if (r > 0) {
					strbuf_setlen(&buf, buf.len + (size_t)r);
					if (have_writer) {
						/* strace has it open now */
						close(pfd[1]);
						have_writer = false;
					}
					if (feed_buffer(st, &buf, cfg->trace_copy) &&
					    !killed) {
						out->finding = true;
						kill_sandbox(st, (int)tracer);
						killed = true;
						drain_until = now_monotonic() + 10;
					}
					if (r < 65536)
						break;
					continue;
				}
				if (r == 0)
					eof = true;
				break;
			}
		}
		if (st->nsinit > 0)
			g_nsinit = st->nsinit;
		else if (st->nsinit < 0)
			g_nsinit = 0;
		g_root = st->root;
		if (have_writer && waitpid(tracer, &status, WNOHANG) == tracer) {
			/* strace ended before writing anything */
			strace_done = true;
			close(pfd[1]);
			have_writer = false;
		}
	}
	if (have_writer)
		close(pfd[1]);
	/* Any partial last line (strace killed mid-line) is fed as is. */
	if (buf.len) {
		if (cfg->trace_copy)
			fwrite(buf.buf, 1, buf.len, cfg->trace_copy);
		if (!st->stopped)
			monitor_feed(st, buf.buf, buf.len);
	}
	close(pfd[0]);
	if (!strace_done) {
		while (waitpid(tracer, &status, 0) < 0 && errno == EINTR)
			;
	}
	g_strace = g_root = g_nsinit = 0;
	if (cfg->trace_copy)
		fflush(cfg->trace_copy);
	/* The sandbox is gone: what its output pipes still hold. */
	if (out_fd >= 0)
		read_output(cfg, out_fd, cfg->out_tail, &wd);
	if (err_fd >= 0)
		read_output(cfg, err_fd, cfg->err_tail, &wd);
	trim_tail(cfg, cfg->out_tail);
	trim_tail(cfg, cfg->err_tail);
	/* A /tmp filled just before the end (between two looks) counts. */
	if (!killed && !st->stopped && tmp_full(cfg, wd.tmp_fd))
		out->limit = limit_reached(st, NULL, xasprintf(
			"%s phase disk limit (the sandbox's /tmp of %lld MiB is "
			"full)", cfg->phase, cfg->tmp_bytes >> 20));
	if (wd.tmp_fd >= 0)
		close(wd.tmp_fd);

	out->lines = st->lines;
	if (st->lines == 0 && !killed) {
		warnx("strace could not trace %s (strace exit status %d)",
		      argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		monitor_state_free(st);
		strbuf_release(&buf);
		strbuf_release(&info);
		return -1;
	}
	if (killed)
		out->exit_status = -1;
	else if (st->root_status >= 0)
		out->exit_status = st->root_status;
	else if (WIFEXITED(status))
		out->exit_status = WEXITSTATUS(status);
	monitor_state_free(st);
	strbuf_release(&buf);
	strbuf_release(&info);
	return 0;
}
