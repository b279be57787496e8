/*
 * sandbox.h - the scan's private workspace, its cleanup on every way out,
 * the venv, the decoy home, and the bubblewrap argument vector.
 *
 * Host side, one workspace per run: $TMPDIR/pipcanary-XXXXXX (mode 0700)
 *
 *   owner      "PID STARTTIME\n" of the pipcanary process that made it, so a
 *              later run can tell a stale workspace (owner SIGKILLed) from
 *              the workspace of a run that is still going
 *   venv/      made with `python -m venv --without-pip` (pip itself runs from
 *              a read-only pip wheel: see struct python_info)
 *   home/      the decoy home (canary credentials), bound at the user's home
 *              path inside the sandbox
 *   input/     requirements.txt, constraints.txt, an empty netrc (read-only)
 *   output/    pip's --report JSON and the logs of each phase
 *   etc/       passwd and group holding only the user
 *
 * Inside the sandbox the workspace appears at fixed paths (SANDBOX_*), the
 * home at the real home's path, the interpreter's prefix at its real path.
 * Package code never runs outside it.
 */
#ifndef PIPCANARY_SANDBOX_H
#define PIPCANARY_SANDBOX_H

#include "util.h"

#include <stdbool.h>
#include <sys/types.h>

/* Paths inside the sandbox. */
#define SANDBOX_VENV "/pipcanary/venv"
#define SANDBOX_INPUT "/pipcanary/input"
#define SANDBOX_OUTPUT "/pipcanary/output"
#define SANDBOX_PROBE "/pipcanary/probe"
#define SANDBOX_PIP_DIR "/pipcanary/pip"
/* pip's TMPDIR inside: where it unpacks and builds sdists (monitor's
 * build_root). */
#define SANDBOX_TMP "/tmp"

/* Prefix of workspace folder names under $TMPDIR. */
#define WORKSPACE_PREFIX "pipcanary-"

struct workspace {
	char *dir;     /* host path of the workspace (owned) */
	char *venv;    /* dir/venv */
	char *home;    /* dir/home: the decoy tree */
	char *input;   /* dir/input */
	char *output;  /* dir/output */
	char *etc;     /* dir/etc */
};

/*
 * The user the sandbox shows: real name, ids and home path (the decoy home
 * is mounted at `home`, so findings name real-looking paths).
 */
struct sandbox_user {
	char *name;    /* "sebastian"; "user" when the uid has no passwd entry */
	uid_t uid;
	gid_t gid;
	char *home;    /* absolute, no trailing slash; "/home/<name>" when $HOME
			  is unset, relative or "/" */
	char *shell;   /* login shell for the generated passwd ("/bin/sh") */
};

/*
 * What the interpreter given by --python told us about itself (asked on the
 * host with `python -I -c ...`, which runs no package code).
 */
struct python_info {
	char *executable;   /* realpath of sys.executable */
	struct strvec prefixes; /* sys.base_prefix, sys.exec_prefix (distinct,
				   realpath), bound read-only in the sandbox */
	char *version;      /* "3.11.7" */
	char *platform;     /* sysconfig.get_platform(): "linux-x86_64" */
	char *pip_wheel;    /* host path of the newest pip-*.whl of the
			       ensurepip bundle or /usr/share/python-wheels;
			       NULL when there is none */
};

/*
 * Per-process resource limits of the command in the sandbox (prlimit).
 * The kernel does not apply RLIMIT_NPROC to root (uid 0 keeps the initial
 * user's accounting inside a user namespace), so the monitor also counts
 * the processes of the tree (struct sandbox_watch, monitor.h).
 */
struct sandbox_limits {
	long nproc;         /* processes (RLIMIT_NPROC, and the monitor's count) */
	long long as_bytes; /* address space per process */
	long long fsize_bytes; /* largest file a process may write */
	long long tmp_bytes;   /* size of the sandbox's /tmp (a tmpfs: RAM) */
};
/* /tmp equals the largest file, so that a filler makes it full (which the
 * monitor sees) rather than only meeting EFBIG (which Python ignores). */
#define SANDBOX_LIMITS_DEFAULT {512, 8LL << 30, 1LL << 30, 1LL << 30}

/* Limits of the whole sandbox that the monitor watches (monitor.h). */
struct sandbox_watch {
	long long pss_bytes;   /* memory of all its processes together (Pss) */
	long long disk_bytes;  /* bytes the workspace may hold (venv, output) */
	long long output_bytes;/* stdout + stderr of one sandboxed command */
	long long output_keep; /* bytes kept of each stream (its tail) */
};
#define SANDBOX_WATCH_DEFAULT {2LL << 30, 8LL << 30, 64LL << 20, 1LL << 20}

/* ---- workspace ---- */

/*
 * Removes the workspaces under tmpdir (WORKSPACE_PREFIX*, owned by our uid)
 * whose owner process is gone (pid not alive, or alive with another start
 * time: the pid was reused). Workspaces without an owner file are left
 * alone (their owner may be between mkdtemp and writing it). Returns how
 * many were removed.
 */
int workspace_remove_stale(const char *tmpdir);

/*
 * Creates a workspace under tmpdir ($TMPDIR, else /tmp when NULL) with its
 * owner file and empty sub-folders. Returns 0, or -1 with a message printed
 * (warnx) and nothing left behind.
 */
int workspace_create(struct workspace *ws, const char *tmpdir);

/* Removes the workspace from disk (idempotent) and frees ws's strings. */
void workspace_remove(struct workspace *ws);

/*
 * Makes ws the workspace that is removed on every way out: die() (through
 * set_die_hook) and SIGINT, SIGTERM, SIGHUP, whose handlers kill the running
 * sandbox (monitor_kill_current()), remove the workspace with async-signal
 * safe calls only, and then end the process by the same signal. ws must stay
 * valid until cleanup_disarm(). Only one workspace at a time.
 */
void cleanup_arm(const struct workspace *ws);
/* Restores the previous signal dispositions and clears the die hook. */
void cleanup_disarm(void);

/*
 * Removes path and everything below it using only async-signal-safe system
 * calls (openat, getdents64, unlinkat; no malloc), for signal handlers.
 * Returns 0, or -1 when something could not be removed.
 */
int rm_rf_signal_safe(const char *path);

/* ---- who, which Python ---- */

/* Fills *u from getuid()/getpwuid() and $HOME. Never fails. */
void sandbox_user_init(struct sandbox_user *u);
void sandbox_user_clear(struct sandbox_user *u);

/*
 * Asks `python` (a path or a name looked up in PATH) about itself and, when
 * venv_dir is not NULL, makes a venv there without pip (--without-pip, with
 * symlinks). Returns 0, or -1 with one line in *err (caller frees): the
 * interpreter cannot be run, is not CPython 3.8+, or the venv failed.
 */
int python_setup(const char *python, const char *venv_dir,
		 struct python_info *pi, char **err);
void python_info_clear(struct python_info *pi);

/* ---- the decoy home ---- */

/* One decoy: a path relative to the home and its content. */
struct decoy {
	const char *path;    /* ".ssh/id_rsa" */
	const char *content; /* text holding a "PIPCANARY-DECOY-" canary */
	int mode;            /* 0600, 0644 */
};
/* Every decoy, in a fixed order; *nr gets the count. */
const struct decoy *decoy_list(size_t *nr);

/*
 * Writes the decoy tree under dir (which exists): every decoy_list() file
 * with its folders (0700). Returns 0, or -1 with errno.
 */
int decoy_home_write(const char *dir);

/*
 * Writes etc/passwd and etc/group of the workspace holding only the user
 * (uid, gid, home, shell as in u). Returns 0, or -1 with errno.
 */
int sandbox_write_etc(const struct workspace *ws, const struct sandbox_user *u);

/* ---- bubblewrap ---- */

struct sandbox_spec {
	const struct workspace *ws;
	const struct sandbox_user *user;
	const struct python_info *py;
	const char *probe_dir;   /* host folder of probe/ (bound read-only) */
	bool network;            /* install/resolve: --share-net and the
				    resolver's files in /etc */
	bool venv_readonly;      /* import: the venv and output/ are bound
				    read-only (no writes to the host disk) */
	bool disable_userns;     /* bwrap --disable-userns (bwrap >= 0.8):
				    no nested user namespace inside */
	int info_fd;             /* bwrap --info-fd (write end), or -1 */
	const struct sandbox_limits *limits; /* NULL: no prlimit wrapper */
	const char *prlimit;     /* path of prlimit(1) on the host (its /usr is
				    bound, so the same path works inside) */
	const char *const *extra_env; /* "NAME=VALUE" added inside, or NULL */
};

/*
 * Appends to *argv the whole command line: "bwrap", its options (see
 * sandbox.c for the why of each), "--", the prlimit wrapper when limits are
 * set, then cmd (NULL-terminated, paths as seen inside). bwrap applies its
 * mount options in order: the home tmpfs/bind comes before the interpreter
 * prefix binds, so a prefix inside the home (pyenv) stays visible.
 */
void sandbox_argv(const struct sandbox_spec *spec, const char *const *cmd,
		  struct strvec *argv);

/*
 * Whether the bwrap found in PATH knows --disable-userns (asks `bwrap
 * --help`, once per process). False when it cannot tell.
 */
bool bwrap_has_disable_userns(void);

/*
 * Looks up prog in $PATH (or takes it as is when it has a '/'); returns the
 * path of an executable file (caller frees) or NULL.
 */
char *find_program(const char *prog);

#endif
