/* proctree.c - process tree and attribution of a traced sandbox
 * (proctree.h). */
#include "proctree.h"
#include "pathnorm.h"

#include <string.h>

#define STARTUP_UNKNOWN ".pth at interpreter start"

struct proctree {
	struct proc **slots; /* open addressing on pid; never deleted */
	size_t nr_slots, nr;
	bool have_root;
	int root;            /* the traced command: bwrap, trusted for good */
	bool import;         /* phase "import" (else install/resolve) */
	char *build_root;
	char *pip_install;   /* "<build_root>/pip-install-" */
	char *pip_req_build; /* "<build_root>/pip-req-build-" */
};

struct proctree *proctree_new(const char *phase, const char *build_root)
{
	struct proctree *t = xcalloc(1, sizeof(*t));
	struct strbuf sb = STRBUF_INIT;

	t->nr_slots = 256;
	t->slots = xcalloc(t->nr_slots, sizeof(*t->slots));
	t->import = phase && !strcmp(phase, "import");
	strbuf_addstr(&sb, build_root && build_root[0] == '/' ? build_root
							      : "/tmp");
	path_lexical(&sb);
	t->build_root = strbuf_detach(&sb);
	return t;
}

static void proc_free_fds(struct proc *p)
{
	for (size_t i = 0; i < p->nr_fds; i++)
		free(p->fds[i]);
	free(p->fds);
	p->fds = NULL;
	p->nr_fds = 0;
}

static void proc_free(struct proc *p)
{
	if (!p)
		return;
	free(p->cwd);
	free(p->argv);
	free(p->package);
	free(p->last_pth);
	proc_free_fds(p);
	free(p);
}

void proctree_free(struct proctree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nr_slots; i++)
		proc_free(t->slots[i]);
	free(t->slots);
	free(t->build_root);
	free(t->pip_install);
	free(t->pip_req_build);
	free(t);
}

static size_t slot_of(const struct proctree *t, int pid)
{
	size_t i = ((unsigned)pid * 2654435761u) & (t->nr_slots - 1);
	while (t->slots[i] && t->slots[i]->pid != pid)
		i = (i + 1) & (t->nr_slots - 1);
	return i;
}

struct proc *proctree_get(struct proctree *t, int pid)
{
	return t->slots[slot_of(t, pid)];
}

static void grow(struct proctree *t)
{
	struct proc **old = t->slots;
	size_t n = t->nr_slots;

	t->nr_slots *= 2;
	t->slots = xcalloc(t->nr_slots, sizeof(*t->slots));
	for (size_t i = 0; i < n; i++)
		if (old[i])
			t->slots[slot_of(t, old[i]->pid)] = old[i];
	free(old);
}

struct proc *proctree_leader(struct proctree *t, struct proc *p)
{
	if (p->tgid && p->tgid != p->pid) {
		struct proc *l = proctree_get(t, p->tgid);
		if (l)
			return l;
	}
	return p;
}

static const char *default_phase(const struct proctree *t)
{
	return t->import ? "import" : "install";
}

static const char *default_package(const struct proctree *t)
{
	return t->import ? "python" : "pip";
}

/* A fresh process in pid's slot (replacing a dead one of a reused pid). */
static struct proc *new_proc(struct proctree *t, int pid)
{
	size_t i;
	struct proc *p;

	if ((t->nr + 1) * 2 > t->nr_slots)
		grow(t);
	i = slot_of(t, pid);
	if (t->slots[i])
		proc_free(t->slots[i]);
	else
		t->nr++;
	p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	p->tgid = pid;
	p->alive = true;
	t->slots[i] = p;
	return p;
}

struct proc *proctree_ensure(struct proctree *t, int pid)
{
	struct proc *p = proctree_get(t, pid);
	if (p)
		return p;
	p = new_proc(t, pid);
	p->package = xstrdup(default_package(t));
	p->phase = default_phase(t);
	if (!t->have_root) {
		t->have_root = true;
		t->root = pid;
		p->trusted = true;
	}
	return p;
}

static char **copy_fds(const struct proc *p)
{
	char **fds;
	if (!p->nr_fds)
		return NULL;
	fds = xcalloc(p->nr_fds, sizeof(*fds));
	for (size_t i = 0; i < p->nr_fds; i++)
		fds[i] = xstrdup(p->fds[i]);
	return fds;
}

struct proc *proctree_fork(struct proctree *t, int parent, int child,
			   int nspid, bool thread)
{
	struct proc *pp = proctree_ensure(t, parent);
	struct proc *pl = proctree_leader(t, pp);
	struct proc *c = proctree_get(t, child);

	if (c && !c->alive)
		c = NULL; /* a dead process's pid, reused */
	if (c && c->ppid == parent) {
		/* Already known from its own lines: only complete it. */
		if (nspid)
			c->nspid = nspid;
		return c;
	}
	if (c && c->argv) {
		/*
		 * Its lines came first and it already executed something
		 * (vfork + exec before the parent's return was printed):
		 * keep what the exec attributed, but link it.
		 */
		c->ppid = parent;
		if (nspid)
			c->nspid = nspid;
		return c;
	}
	c = new_proc(t, child);
	c->ppid = parent;
	c->nspid = nspid;
	c->trusted = pp->trusted;
	c->memfd = pp->memfd || pl->memfd;
	c->phase = pl->phase;
	c->package = xstrdup(pl->package);
	if (thread) {
		c->tgid = pl->pid;
		return c;
	}
	c->cwd = xstrdup(pl->cwd);
	c->argv = xstrdup(pl->argv);
	c->last_pth = xstrdup(pl->last_pth);
	c->fds = copy_fds(pl);
	c->nr_fds = pl->nr_fds;
	return c;
}

char *attr_sdist_from_path(const char *build_root, const char *path)
{
	struct strbuf prefix = STRBUF_INIT;
	const char *p, *dir, *end;
	char *name = NULL;

	if (!path)
		return NULL;
	strbuf_addstr(&prefix, build_root && build_root[0] == '/' ? build_root
								  : "/tmp");
	path_lexical(&prefix);
	if (prefix.len > 1)
		strbuf_addch(&prefix, '/');
	if (!str_starts_with(path, prefix.buf))
		goto out;
	p = path + prefix.len;
	if (str_starts_with(p, "pip-req-build-")) {
		end = strchr(p, '/');
		name = end ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
		goto out;
	}
	if (!str_starts_with(p, "pip-install-"))
		goto out;
	dir = strchr(p, '/');
	if (!dir || !dir[1] || dir[1] == '/')
		goto out;
	dir++;
	/*
	 * A normalised name and its suffix: [A-Za-z0-9._-]. The folder ends
	 * at '/', the end, or a quote (a path inside a `python -c` shim).
	 */
	end = dir;
	while ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z') ||
	       (*end >= '0' && *end <= '9') || *end == '.' || *end == '_' ||
	       *end == '-')
		end++;
	if (end == dir || (*end && *end != '/' && *end != '\'' && *end != '"'))
		goto out;
	/* "<name>_<uuid4 hex>" with parallel builds (the resolver's case). */
	if (end - dir > 33 && dir[end - dir - 33] == '_') {
		bool hex = true;
		for (const char *h = end - 32; h < end; h++)
			if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
				hex = false;
		if (hex) {
			name = xstrndup(dir, (size_t)(end - dir - 33));
			goto out;
		}
	}
	name = xstrndup(dir, (size_t)(end - dir));
out:
	strbuf_release(&prefix);
	return name;
}

static const char *basename_of(const char *s)
{
	const char *slash = strrchr(s, '/');
	return slash ? slash + 1 : s;
}

bool attr_probe_from_argv(const char *const *argv, char **package,
			  const char **phase)
{
	size_t n = 0;

	*package = NULL;
	*phase = NULL;
	if (!argv)
		return false;
	while (argv[n])
		n++;
	for (size_t i = 0; i < n; i++) {
		if (!str_ends_with(argv[i], "import_probe.py"))
			continue;
		for (size_t j = i + 1; j < n; j++) {
			if (!strcmp(argv[j], "--startup")) {
				*phase = "startup";
				return true;
			}
			if (!strcmp(argv[j], "--dist") && j + 1 < n) {
				*package = xstrdup(argv[j + 1]);
				*phase = "import";
				return true;
			}
			if (str_starts_with(argv[j], "--dist=")) {
				*package = xstrdup(argv[j] + 7);
				*phase = "import";
				return true;
			}
		}
		return false;
	}
	/* "python [-I] [-S] ... -c pass": the bare start. */
	if (n >= 3 && str_starts_with(basename_of(argv[0]), "python") &&
	    !strcmp(argv[n - 2], "-c") && !strcmp(argv[n - 1], "pass")) {
		for (size_t i = 1; i < n - 2; i++)
			if (argv[i][0] != '-')
				return false;
		*phase = "startup";
		return true;
	}
	return false;
}

static void set_package(struct proc *p, char *package, const char *phase)
{
	free(p->package);
	p->package = package;
	p->phase = phase;
}

struct proc *proctree_exec(struct proctree *t, int pid,
			   const char *const *argv)
{
	struct proc *p = proctree_ensure(t, pid);
	struct proc *l = proctree_leader(t, p);
	struct strbuf sb = STRBUF_INIT;

	/* bwrap's own exec (the first line of the trace) keeps it trusted */
	if (p->pid != t->root)
		p->trusted = false;
	if (argv)
		for (size_t i = 0; argv[i]; i++) {
			if (i)
				strbuf_addch(&sb, ' ');
			strbuf_addstr(&sb, argv[i]);
		}
	free(l->argv);
	l->argv = strbuf_detach(&sb);
	free(l->last_pth);
	l->last_pth = NULL;

	if (t->import) {
		char *package;
		const char *phase;
		if (attr_probe_from_argv(argv, &package, &phase))
			set_package(l, package ? package
					       : xstrdup(STARTUP_UNKNOWN),
				    phase);
		return p;
	}
	/* Install: once a build, always that build (sticky). */
	if (strcmp(l->phase, "build") != 0) {
		char *name = attr_sdist_from_path(t->build_root, l->cwd);
		for (size_t i = 0; !name && argv && argv[i]; i++) {
			const char *s = strstr(argv[i], t->build_root);
			/* an argv word naming a path in a build folder */
			while (s && !name) {
				name = attr_sdist_from_path(t->build_root, s);
				s = strstr(s + 1, t->build_root);
			}
		}
		if (name)
			set_package(l, name, "build");
	}
	return p;
}

void proctree_chdir(struct proctree *t, int pid, const char *path)
{
	struct proc *l = proctree_leader(t, proctree_ensure(t, pid));
	if (l->cwd && !strcmp(l->cwd, path))
		return;
	free(l->cwd);
	l->cwd = xstrdup(path);
}

void proctree_exit(struct proctree *t, int pid)
{
	struct proc *p = proctree_get(t, pid);
	if (!p)
		return;
	p->alive = false;
	if (p->tgid == p->pid)
		proc_free_fds(p);
}

void proctree_set_fd(struct proctree *t, int pid, int fd, const char *path)
{
	struct proc *l = proctree_leader(t, proctree_ensure(t, pid));
	if (fd < 0 || fd > 65535)
		return;
	if ((size_t)fd >= l->nr_fds) {
		size_t n = (size_t)fd + 16;
		l->fds = xrealloc(l->fds, n * sizeof(*l->fds));
		memset(l->fds + l->nr_fds, 0, (n - l->nr_fds) * sizeof(*l->fds));
		l->nr_fds = n;
	}
	if (l->fds[fd] && !strcmp(l->fds[fd], path))
		return;
	free(l->fds[fd]);
	l->fds[fd] = xstrdup(path);
}

const char *proctree_fd_path(struct proctree *t, int pid, int fd)
{
	struct proc *p = proctree_get(t, pid);
	/* Bounded walk: a corrupt ppid chain must not loop forever. */
	for (int depth = 0; p && depth < 64; depth++) {
		struct proc *l = proctree_leader(t, p);
		if (fd >= 0 && (size_t)fd < l->nr_fds && l->fds[fd])
			return l->fds[fd];
		p = l->ppid ? proctree_get(t, l->ppid) : NULL;
	}
	return NULL;
}

int proctree_host_pid(struct proctree *t, int nspid)
{
	if (nspid <= 0)
		return 0;
	for (size_t i = 0; i < t->nr_slots; i++) {
		struct proc *p = t->slots[i];
		if (p && p->alive && p->nspid == nspid)
			return p->pid;
	}
	return 0;
}

void proctree_each_alive(struct proctree *t, void (*fn)(struct proc *, void *),
			 void *data)
{
	for (size_t i = 0; i < t->nr_slots; i++)
		if (t->slots[i] && t->slots[i]->alive)
			fn(t->slots[i], data);
}

void proctree_note_open(struct proctree *t, int pid, const char *path)
{
	struct proc *l = proctree_leader(t, proctree_ensure(t, pid));
	const char *base = basename_of(path);

	if (strcmp(l->phase, "startup") != 0)
		return;
	if (!str_ends_with(base, ".pth") && strcmp(base, "sitecustomize.py") &&
	    strcmp(base, "usercustomize.py"))
		return;
	free(l->last_pth);
	l->last_pth = xstrdup(base);
	set_package(l, xstrdup(base), "startup");
}
