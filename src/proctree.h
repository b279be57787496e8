/*
 * proctree.h - the process tree of a traced sandbox, kept from the trace
 * (clone/fork/vfork returns, execve, chdir/fchdir, exits), and the
 * attribution of every process to a package and a phase.
 *
 * Pids are host pids (strace runs outside the sandbox); the pid each
 * process has inside the sandbox's pid namespace is kept too (strace
 * --decode-pids=pidns prints both for clone returns) so that
 * /proc/<pid>/cwd and /proc/<pid>/fd/N named inside can be resolved.
 *
 * Attribution (what a finding names as "package" and "phase"):
 *   - processes of bwrap itself (the traced root and its children until
 *     they execute something) are "trusted": their events are not matched;
 *   - install phase: a process executed with its working directory (or an
 *     argv word) under pip's build folder of an sdist,
 *       <build_root>/pip-install-XXXX/<normalised-name>_<32 hex>[/...]
 *     (pip 23 InstallRequirement.ensure_build_location) or
 *       <build_root>/pip-req-build-XXXX (an unnamed requirement),
 *     is the build of that sdist: package = the name, phase "build"; its
 *     descendants keep it (sticky, even if they chdir away); everything
 *     else is pip itself: package "pip", phase "install";
 *   - import phase: ".../import_probe.py --dist NAME" is NAME, phase
 *     "import"; ".../import_probe.py --startup" or "python -c pass" is the
 *     bare interpreter start, phase "startup", package the last .pth (or
 *     sitecustomize/usercustomize) file the interpreter opened before the
 *     event, or ".pth at interpreter start" when none was opened.
 */
#ifndef PIPCANARY_PROCTREE_H
#define PIPCANARY_PROCTREE_H

#include "util.h"

#include <stdbool.h>

struct proc {
	int pid;            /* host pid (a thread's tid for threads) */
	int ppid;           /* host pid of the parent; 0 when unknown */
	int tgid;           /* thread group leader (== pid for processes) */
	int nspid;          /* pid inside the sandbox; 0 when unknown */
	bool alive;
	bool trusted;       /* bwrap before exec: events are not matched */
	bool memfd;         /* called memfd_create (inherited by children) */
	/* The fields below live in the leader for threads (proctree_leader). */
	char *cwd;          /* sandbox path; NULL when unknown */
	char *argv;         /* space-joined command line; NULL before exec */
	char *package;      /* attribution; never NULL */
	const char *phase;  /* "install", "build", "import", "startup" (static) */
	char *last_pth;     /* startup: basename of the last .pth opened */
	char **fds;         /* fd -> path of the last successful open, or NULL */
	size_t nr_fds;
};

struct proctree;

/*
 * phase: "install", "resolve" or "import" (the monitor's phase; "resolve"
 * is attributed like "install"); build_root: the sandbox path under which
 * pip makes its build folders (pip's TMPDIR), NULL for "/tmp".
 */
struct proctree *proctree_new(const char *phase, const char *build_root);
void proctree_free(struct proctree *t);

/* The process with host pid `pid`, or NULL. Borrowed. */
struct proc *proctree_get(struct proctree *t, int pid);
/* The thread group leader of p (p itself for processes). Borrowed. */
struct proc *proctree_leader(struct proctree *t, struct proc *p);
/*
 * The process pid, created when unknown: the first process seen is the
 * traced root (bwrap: trusted); any other unknown pid gets the default
 * attribution of the phase and is NOT trusted (a process whose parent we
 * missed must never be able to hide).
 */
struct proc *proctree_ensure(struct proctree *t, int pid);

/*
 * A fork/clone/vfork of parent returned child (host pid) and, when known,
 * its pid inside the sandbox (0 if not). thread: CLONE_THREAD (the child
 * shares the leader's cwd, fds, argv, attribution). The child inherits a
 * copy of everything else. A pid that was already known (pid reuse, or a
 * child whose lines came before the parent's return) is re-parented; its
 * own exec, if it already happened, is kept. Returns the child.
 */
struct proc *proctree_fork(struct proctree *t, int parent, int child,
			   int nspid, bool thread);

/*
 * A successful execve in pid with the new argv (NULL-terminated, may be
 * NULL when it could not be read): sets the command line, ends "trusted",
 * and re-attributes per the rules above. Returns the process.
 */
struct proc *proctree_exec(struct proctree *t, int pid,
			   const char *const *argv);
/* The working directory of pid is now path (absolute, normalised). */
void proctree_chdir(struct proctree *t, int pid, const char *path);
/* pid exited or was killed. */
void proctree_exit(struct proctree *t, int pid);
/* pid's fd now refers to path (from "= N<path>"). */
void proctree_set_fd(struct proctree *t, int pid, int fd, const char *path);
/*
 * The path of pid's fd, looked up in pid's table and then its ancestors'
 * (fds are inherited); NULL when unknown. Borrowed.
 */
const char *proctree_fd_path(struct proctree *t, int pid, int fd);
/* The host pid of the sandbox pid nspid (0 when unknown). */
int proctree_host_pid(struct proctree *t, int nspid);
/*
 * Calls fn for every process believed alive (for the kill fallback).
 */
void proctree_each_alive(struct proctree *t, void (*fn)(struct proc *, void *),
			 void *data);
/* A .pth/sitecustomize file was opened by pid (startup attribution). */
void proctree_note_open(struct proctree *t, int pid, const char *path);

/*
 * The distribution whose sdist build folder holds path, per the layout
 * above: "<build_root>/pip-install-X/markupsafe_0123...ef/src" ->
 * "markupsafe"; "<build_root>/pip-req-build-abc" -> "pip-req-build-abc"
 * (an unnamed requirement: the folder is all there is). NULL when path is
 * not in a build folder. Caller frees.
 */
char *attr_sdist_from_path(const char *build_root, const char *path);
/*
 * The import probe's target from its argv: returns true and sets *package
 * (caller frees; NULL for the bare start) and *phase ("import" or
 * "startup") when argv is the probe (an argv word ending in
 * "import_probe.py" followed by "--dist NAME" or "--startup") or
 * "<python> [-I|-S|-E...] -c pass". False otherwise.
 */
bool attr_probe_from_argv(const char *const *argv, char **package,
			  const char **phase);

#endif
