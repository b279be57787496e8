/* sandbox.c - workspace, cleanup, venv, decoy home, bwrap argv: see sandbox.h. */
#define _GNU_SOURCE
#include "sandbox.h"

#include "monitor.h"
#include "runcmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ---- process identity (for the owner file) ---- */

/* Start time of pid in clock ticks since boot (/proc/PID/stat field 22), or
 * -1 when the process does not exist. */
static long long proc_start_time(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path, 1 << 16) < 0)
		return -1;
	/* comm (field 2) may hold spaces and parentheses: count from the
	 * last ')'. */
	const char *p = strrchr(sb.buf, ')');
	if (!p)
		return -1;
	p++;
	/* p is now before field 3; field 22 is 19 fields further on. */
	for (int field = 3; field < 22; field++) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
		if (!*p)
			return -1;
	}
	char *end;
	long long v = strtoll(p, &end, 10);
	return end == p ? -1 : v;
}

/* ---- workspace ---- */

static bool owner_is_gone(const char *owner_file)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, owner_file, 256) < 0)
		return false; /* no owner file (yet): not ours to judge */
	long pid;
	long long start;
	if (sscanf(sb.buf, "%ld %lld", &pid, &start) != 2 || pid <= 0)
		return false;
	long long now_start = proc_start_time((pid_t)pid);
	return now_start < 0 || now_start != start;
}

int workspace_remove_stale(const char *tmpdir)
{
	if (!tmpdir)
		tmpdir = "/tmp";
	DIR *d = opendir(tmpdir);
	if (!d)
		return 0;
	int removed = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!str_starts_with(de->d_name, WORKSPACE_PREFIX))
			continue;
		_cleanup_free_ char *path = xasprintf("%s/%s", tmpdir, de->d_name);
		struct stat st;
		if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != getuid())
			continue;
		_cleanup_free_ char *owner = xasprintf("%s/owner", path);
		if (owner_is_gone(owner) && rm_rf(path) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

static void workspace_free(struct workspace *ws)
{
	free(ws->dir);
	free(ws->venv);
	free(ws->home);
	free(ws->input);
	free(ws->output);
	free(ws->etc);
	*ws = (struct workspace){0};
}

int workspace_create(struct workspace *ws, const char *tmpdir)
{
	*ws = (struct workspace){0};
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	char *tmpl = xasprintf("%s/" WORKSPACE_PREFIX "XXXXXX", tmpdir);
	if (!mkdtemp(tmpl)) {
		warnx("cannot create the scan workspace in %s: %s", tmpdir,
		      strerror(errno));
		free(tmpl);
		return -1;
	}
	ws->dir = tmpl;
	/* Before any goto: the cleanup of a skipped declaration would free
	 * garbage (clang refuses to compile the jump). */
	_cleanup_free_ char *owner = xasprintf("%s/owner", ws->dir);
	_cleanup_free_ char *line = xasprintf(
		"%d %lld\n", (int)getpid(), proc_start_time(getpid()));
	/* mkdtemp makes it 0700 already; say so in case of an odd umask. */
	if (chmod(ws->dir, 0700) < 0)
		goto fail;
	if (write_file_atomic(owner, line, strlen(line), 0600) < 0)
		goto fail;
	ws->venv = xasprintf("%s/venv", ws->dir);
	ws->home = xasprintf("%s/home", ws->dir);
	ws->input = xasprintf("%s/input", ws->dir);
	ws->output = xasprintf("%s/output", ws->dir);
	ws->etc = xasprintf("%s/etc", ws->dir);
	const char *dirs[] = {ws->home, ws->input, ws->output, ws->etc};
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (mkdir(dirs[i], 0700) < 0)
			goto fail;
	return 0;
fail:
	warnx("cannot set up the scan workspace %s: %s", ws->dir,
	      strerror(errno));
	rm_rf(ws->dir);
	workspace_free(ws);
	return -1;
}

void workspace_remove(struct workspace *ws)
{
	if (ws->dir && rm_rf(ws->dir) < 0)
		warnx("could not remove all of %s: %s", ws->dir,
		      strerror(errno));
	workspace_free(ws);
}

/* ---- async-signal-safe removal ---- */

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int rm_at_safe(int parent, const char *name, int depth)
{
	if (unlinkat(parent, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth > 128)
		return -1;
	int fd = openat(parent, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && fchmodat(parent, name, 0700, 0) == 0)
		fd = openat(parent, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = 0;
	char buf[2048] __attribute__((aligned(8)));
	/* Entries shift while we delete: read again from the start until a
	 * pass finds nothing left to remove. */
	for (int pass = 0; pass < 64; pass++) {
		bool any = false;
		if (lseek(fd, 0, SEEK_SET) < 0)
			break;
		for (;;) {
			long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
			if (n <= 0)
				break;
			for (long off = 0; off < n;) {
				struct linux_dirent64 *de =
					(struct linux_dirent64 *)(buf + off);
				off += de->d_reclen;
				const char *nm = de->d_name;
				if (nm[0] == '.' &&
				    (nm[1] == 0 || (nm[1] == '.' && nm[2] == 0)))
					continue;
				any = true;
				if (rm_at_safe(fd, nm, depth + 1) < 0)
					rc = -1;
			}
		}
		if (!any || rc < 0)
			break;
	}
	close(fd);
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = -1;
	return rc;
}

int rm_rf_signal_safe(const char *path)
{
	return rm_at_safe(AT_FDCWD, path, 0);
}

/* ---- cleanup on every way out ---- */

static char armed_dir[PATH_MAX];
static volatile sig_atomic_t armed;
/* Every signal whose default action ends the process (but SIGKILL and
 * SIGSTOP, which cannot be caught: the next run removes what they leave). */
static const int cleanup_signals[] = {SIGINT,  SIGTERM, SIGHUP,    SIGQUIT,
				      SIGUSR1, SIGUSR2, SIGALRM,   SIGVTALRM,
				      SIGPROF, SIGXCPU, SIGXFSZ,   SIGPIPE};
static struct sigaction saved_actions[ARRAY_SIZE(cleanup_signals)];

static void on_fatal_signal(int sig)
{
	int saved_errno = errno;
	monitor_kill_current();
	if (armed) {
		/* A killed process may finish the system call it was in:
		 * remove, wait a moment, remove again. */
		rm_rf_signal_safe(armed_dir);
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
		rm_rf_signal_safe(armed_dir);
		armed = 0;
	}
	/* End by the same signal, so the caller sees how we ended. */
	struct sigaction dfl = {0};
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	errno = saved_errno;
}

static void die_hook(void)
{
	if (armed) {
		armed = 0;
		rm_rf(armed_dir);
	}
}

void cleanup_arm(const struct workspace *ws)
{
	if (!ws->dir || strlen(ws->dir) >= sizeof(armed_dir))
		return;
	memcpy(armed_dir, ws->dir, strlen(ws->dir) + 1);
	armed = 1;
	set_die_hook(die_hook);
	struct sigaction sa = {0};
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(cleanup_signals); i++)
		sigaddset(&sa.sa_mask, cleanup_signals[i]);
	for (size_t i = 0; i < ARRAY_SIZE(cleanup_signals); i++) {
		sigaction(cleanup_signals[i], &sa, &saved_actions[i]);
		/* An ignored signal (nohup's SIGHUP) stays ignored. */
		if (saved_actions[i].sa_handler == SIG_IGN)
			sigaction(cleanup_signals[i], &saved_actions[i], NULL);
	}
}

void cleanup_disarm(void)
{
	if (!armed_dir[0])
		return;
	for (size_t i = 0; i < ARRAY_SIZE(cleanup_signals); i++)
		sigaction(cleanup_signals[i], &saved_actions[i], NULL);
	armed = 0;
	armed_dir[0] = 0;
	set_die_hook(NULL);
}

/* ---- who ---- */

void sandbox_user_init(struct sandbox_user *u)
{
	*u = (struct sandbox_user){0};
	u->uid = getuid();
	u->gid = getgid();
	const struct passwd *pw = getpwuid(u->uid);
	u->name = xstrdup(pw && pw->pw_name && *pw->pw_name ? pw->pw_name
							    : "user");
	const char *home = getenv("HOME");
	if (!home || home[0] != '/' || !home[1])
		home = pw && pw->pw_dir && pw->pw_dir[0] == '/' && pw->pw_dir[1]
			       ? pw->pw_dir
			       : NULL;
	struct strbuf sb = STRBUF_INIT;
	if (home)
		strbuf_addstr(&sb, home);
	else
		strbuf_addf(&sb, "/home/%s", u->name);
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	u->home = strbuf_detach(&sb);
	u->shell = xstrdup(pw && pw->pw_shell && str_starts_with(pw->pw_shell, "/")
				   ? pw->pw_shell
				   : "/bin/sh");
}

void sandbox_user_clear(struct sandbox_user *u)
{
	free(u->name);
	free(u->home);
	free(u->shell);
	*u = (struct sandbox_user){0};
}

char *find_program(const char *prog)
{
	if (!prog || !*prog)
		return NULL;
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? xstrdup(prog) : NULL;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *colon = strchrnul(path, ':');
		_cleanup_free_ char *cand =
			colon == path ? xasprintf("./%s", prog)
				      : xasprintf("%.*s/%s", (int)(colon - path),
						  path, prog);
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(cand, X_OK) == 0)
			return steal_pointer(&cand);
		path = *colon ? colon + 1 : colon;
	}
	return NULL;
}

/* ---- Python ---- */

/*
 * Run on the host by the user's interpreter with -I (isolated: no user site,
 * no PYTHON* variables, no cwd on sys.path). It reads nothing of the scanned
 * packages. argv[1]: the venv folder to make, or "" for none.
 */
static const char python_query[] =
	"import sys, os, glob, json, platform, sysconfig\n"
	"def ver(p):\n"
	"    v = os.path.basename(p).split('-')[1]\n"
	"    return tuple(int(x) if x.isdigit() else 0 for x in v.split('.'))\n"
	"dirs = [os.path.join(sysconfig.get_paths()['stdlib'], 'ensurepip', '_bundled')]\n"
	"w = sysconfig.get_config_var('WHEEL_PKG_DIR')\n"
	"if w: dirs.append(w)\n"
	"dirs.append('/usr/share/python-wheels')\n"
	"pip = None\n"
	"for d in dirs:\n"
	"    c = sorted(glob.glob(os.path.join(d, 'pip-*.whl')), key=ver)\n"
	"    if c: pip = os.path.realpath(c[-1]); break\n"
	"if len(sys.argv) > 1 and sys.argv[1]:\n"
	"    import venv\n"
	"    venv.EnvBuilder(symlinks=True, with_pip=False).create(sys.argv[1])\n"
	"print(json.dumps({'executable': os.path.realpath(sys.executable),\n"
	"  'prefixes': [os.path.realpath(sys.base_prefix), os.path.realpath(sys.exec_prefix)],\n"
	"  'version': platform.python_version(), 'implementation': sys.implementation.name,\n"
	"  'hexversion': sys.hexversion, 'platform': sysconfig.get_platform(), 'pip': pip}))\n";

int python_setup(const char *python, const char *venv_dir,
		 struct python_info *pi, char **err)
{
	*pi = (struct python_info){0};
	*err = NULL;
	_cleanup_free_ char *exe = find_program(python);
	if (!exe) {
		*err = xasprintf("Python interpreter '%s' not found%s", python,
				 strchr(python, '/') ? "" : " in PATH");
		return -1;
	}
	const char *argv[] = {exe, "-I", "-c", python_query,
			      venv_dir ? venv_dir : "", NULL};
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	_cleanup_strbuf_ struct strbuf errs = STRBUF_INIT;
	int rc = run_capture(argv, &out, &errs, 1 << 20);
	if (rc != 0) {
		strbuf_trim(&errs);
		const char *last = strrchr(errs.buf, '\n');
		*err = xasprintf("%s could not make the sandbox venv: %s", python,
				 rc < 0 ? strerror(errno)
					: last ? last + 1
					: errs.len ? errs.buf
						   : "it failed");
		return -1;
	}
	json_error_t jerr;
	json_t *j = json_loads(out.buf, 0, &jerr);
	const char *exe_s = NULL, *ver = NULL, *plat = NULL, *impl = NULL;
	json_t *prefixes = NULL, *pip = NULL;
	json_int_t hex = 0;
	if (!j || json_unpack(j, "{s:s, s:o, s:s, s:s, s:I, s:s, s:o}",
			      "executable", &exe_s, "prefixes", &prefixes,
			      "version", &ver, "implementation", &impl,
			      "hexversion", &hex, "platform", &plat, "pip",
			      &pip) < 0) {
		*err = xasprintf("%s: unexpected answer about itself", python);
		json_decref(j);
		return -1;
	}
	if (strcmp(impl, "cpython") != 0 || hex < 0x03080000) {
		*err = xasprintf("%s is %s %s: the scan needs CPython 3.8 or newer",
				 python, impl, ver);
		json_decref(j);
		return -1;
	}
	pi->executable = xstrdup(exe_s);
	pi->version = xstrdup(ver);
	pi->platform = xstrdup(plat);
	pi->pip_wheel = json_is_string(pip) ? xstrdup(json_string_value(pip))
					    : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(prefixes, i, v)
	{
		if (json_is_string(v) &&
		    !strvec_contains(&pi->prefixes, json_string_value(v)))
			strvec_push(&pi->prefixes, json_string_value(v));
	}
	json_decref(j);
	return 0;
}

void python_info_clear(struct python_info *pi)
{
	free(pi->executable);
	strvec_clear(&pi->prefixes);
	free(pi->version);
	free(pi->platform);
	free(pi->pip_wheel);
	*pi = (struct python_info){0};
}

/* ---- the decoy home ---- */

#define CANARY "PIPCANARY-DECOY-"
#define MM "nkbihfbeogaeaoehlefnkodbefgpgknn" /* MetaMask's extension id */
#define FFP ".mozilla/firefox/x7k2p9qd.default-release"

static const struct decoy decoys[] = {
	{".ssh/id_rsa",
	 "-----BEGIN OPENSSH PRIVATE KEY-----\n" CANARY "ssh-id_rsa\n"
	 "-----END OPENSSH PRIVATE KEY-----\n", 0600},
	{".ssh/id_rsa.pub", "ssh-rsa AAAA" CANARY "ssh-id_rsa-pub user@host\n", 0644},
	{".ssh/id_ed25519",
	 "-----BEGIN OPENSSH PRIVATE KEY-----\n" CANARY "ssh-id_ed25519\n"
	 "-----END OPENSSH PRIVATE KEY-----\n", 0600},
	{".ssh/id_ed25519.pub", "ssh-ed25519 AAAA" CANARY "ssh-id_ed25519-pub user@host\n", 0644},
	{".ssh/config", "Host build\n  HostName build.internal\n  User deploy\n"
	 "  # " CANARY "ssh-config\n", 0600},
	{".ssh/known_hosts", "build.internal ssh-ed25519 AAAA" CANARY "ssh-known-hosts\n", 0644},
	{".aws/credentials", "[default]\naws_access_key_id = AKIA" CANARY "aws\n"
	 "aws_secret_access_key = " CANARY "aws-secret\n", 0600},
	{".aws/config", "[default]\nregion = eu-central-1\n# " CANARY "aws-config\n", 0600},
	{".config/gcloud/application_default_credentials.json",
	 "{\"client_id\": \"" CANARY "gcp\", \"client_secret\": \"" CANARY
	 "gcp-secret\", \"refresh_token\": \"" CANARY "gcp-refresh\", "
	 "\"type\": \"authorized_user\"}\n", 0600},
	{".config/gcloud/credentials.db", CANARY "gcp-credentials-db\n", 0600},
	{".config/gcloud/access_tokens.db", CANARY "gcp-access-tokens-db\n", 0600},
	{".azure/accessTokens.json",
	 "[{\"accessToken\": \"" CANARY "azure\", \"tokenType\": \"Bearer\"}]\n", 0600},
	{".azure/azureProfile.json", "{\"subscriptions\": [], \"note\": \"" CANARY "azure-profile\"}\n", 0600},
	{".kube/config",
	 "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n"
	 "    token: " CANARY "kube\n", 0600},
	{".docker/config.json",
	 "{\"auths\": {\"registry.example.com\": {\"auth\": \"" CANARY "docker\"}}}\n", 0600},
	{".netrc", "machine pypi.example.com login deploy password " CANARY "netrc\n", 0600},
	{".pypirc", "[pypi]\nusername = __token__\npassword = pypi-" CANARY "pypirc\n", 0600},
	{".npmrc", "//registry.npmjs.org/:_authToken=" CANARY "npmrc\n", 0600},
	{".git-credentials", "https://deploy:" CANARY "git-credentials@git.example.com\n", 0600},
	{".gitconfig", "[user]\n\tname = Developer\n\temail = dev@example.com\n", 0644},
	{".gnupg/private-keys-v1.d/3F1C2A9B8E7D6C5B4A39281706F5E4D3C2B1A098.key",
	 "Key: (private-key (rsa (n #" CANARY "gnupg#)))\n", 0600},
	{".gnupg/pubring.kbx", CANARY "gnupg-pubring\n", 0600},
	{".gnupg/trustdb.gpg", CANARY "gnupg-trustdb\n", 0600},
	{".bash_history", "ssh deploy@build.internal\nexport API_TOKEN=" CANARY "bash-history\n", 0600},
	{".zsh_history", ": 1700000000:0;export API_TOKEN=" CANARY "zsh-history\n", 0600},
	{".bashrc", "# ~/.bashrc\n[ -z \"$PS1\" ] && return\nHISTCONTROL=ignoreboth\n", 0644},
	{".profile", "# ~/.profile\nif [ -n \"$BASH_VERSION\" ] && [ -f \"$HOME/.bashrc\" ]; then\n"
	 "    . \"$HOME/.bashrc\"\nfi\n", 0644},
	/* Chromium-based browsers: the SQLite stores and the key file. */
	{".config/google-chrome/Default/Login Data", "SQLite format 3\n" CANARY "chrome-login-data\n", 0600},
	{".config/google-chrome/Default/Cookies", "SQLite format 3\n" CANARY "chrome-cookies\n", 0600},
	{".config/google-chrome/Default/Web Data", "SQLite format 3\n" CANARY "chrome-web-data\n", 0600},
	{".config/google-chrome/Local State", "{\"os_crypt\": {\"encrypted_key\": \"" CANARY "chrome-local-state\"}}\n", 0600},
	{".config/google-chrome/Default/Local Extension Settings/" MM "/000003.log",
	 CANARY "wallet-metamask-vault\n", 0600},
	{".config/chromium/Default/Login Data", "SQLite format 3\n" CANARY "chromium-login-data\n", 0600},
	{".config/chromium/Default/Cookies", "SQLite format 3\n" CANARY "chromium-cookies\n", 0600},
	{".config/chromium/Local State", "{\"os_crypt\": {\"encrypted_key\": \"" CANARY "chromium-local-state\"}}\n", 0600},
	{".config/BraveSoftware/Brave-Browser/Default/Login Data", "SQLite format 3\n" CANARY "brave-login-data\n", 0600},
	{".config/BraveSoftware/Brave-Browser/Default/Cookies", "SQLite format 3\n" CANARY "brave-cookies\n", 0600},
	{".config/BraveSoftware/Brave-Browser/Local State", "{\"os_crypt\": {\"encrypted_key\": \"" CANARY "brave-local-state\"}}\n", 0600},
	/* Firefox: profiles.ini names the profile folder. */
	{".mozilla/firefox/profiles.ini",
	 "[Profile0]\nName=default-release\nIsRelative=1\nPath=x7k2p9qd.default-release\nDefault=1\n\n"
	 "[General]\nStartWithLastProfile=1\nVersion=2\n", 0644},
	{FFP "/logins.json", "{\"logins\": [{\"encryptedPassword\": \"" CANARY "firefox-logins\"}]}\n", 0600},
	{FFP "/key4.db", "SQLite format 3\n" CANARY "firefox-key4\n", 0600},
	{FFP "/cookies.sqlite", "SQLite format 3\n" CANARY "firefox-cookies\n", 0600},
	/* Messengers. */
	{".config/discord/Local Storage/leveldb/000005.ldb", CANARY "discord-token\n", 0600},
	{".config/discord/Local Storage/leveldb/LOG", CANARY "discord-log\n", 0600},
	{".local/share/TelegramDesktop/tdata/key_datas", CANARY "telegram-key-datas\n", 0600},
	{".local/share/TelegramDesktop/tdata/D877F783D5D3EF8C/maps", CANARY "telegram-maps\n", 0600},
	/* Wallets. */
	{".electrum/wallets/default_wallet", "{\"seed\": \"" CANARY "wallet-electrum\"}\n", 0600},
	{".config/Exodus/exodus.wallet/seed.seco", CANARY "wallet-exodus-seed\n", 0600},
	{".config/Exodus/exodus.wallet/passphrase.json", "{\"passphrase\": \"" CANARY "wallet-exodus\"}\n", 0600},
	{".config/atomic/Local Storage/leveldb/000003.log", CANARY "wallet-atomic\n", 0600},
};

const struct decoy *decoy_list(size_t *nr)
{
	*nr = ARRAY_SIZE(decoys);
	return decoys;
}

/* mkdir -p of the folders of rel (a path relative to dirfd), mode 0700. */
static int mkdirs_for(int dirfd, const char *rel)
{
	_cleanup_free_ char *p = xstrdup(rel);
	for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		if (mkdirat(dirfd, p, 0700) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

int decoy_home_write(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < ARRAY_SIZE(decoys) && rc == 0; i++) {
		const struct decoy *d = &decoys[i];
		if (mkdirs_for(dfd, d->path) < 0) {
			rc = -1;
			break;
		}
		int fd = openat(dfd, d->path,
				O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
					O_CLOEXEC,
				(mode_t)d->mode);
		if (fd < 0) {
			rc = -1;
			break;
		}
		size_t len = strlen(d->content);
		if (write(fd, d->content, len) != (ssize_t)len)
			rc = -1;
		if (close(fd) < 0)
			rc = -1;
	}
	int saved = errno;
	close(dfd);
	errno = saved;
	return rc;
}

int sandbox_write_etc(const struct workspace *ws, const struct sandbox_user *u)
{
	_cleanup_free_ char *passwd = xasprintf(
		"%s:x:%u:%u:%s:%s:%s\n", u->name, (unsigned)u->uid,
		(unsigned)u->gid, u->name, u->home, u->shell);
	/* getpwuid() of a uid 0 user inside must give root's real name. */
	_cleanup_free_ char *group =
		xasprintf("%s:x:%u:\n", u->uid == 0 ? "root" : u->name,
			  (unsigned)u->gid);
	_cleanup_free_ char *pp = xasprintf("%s/passwd", ws->etc);
	_cleanup_free_ char *gp = xasprintf("%s/group", ws->etc);
	if (write_file_atomic(pp, passwd, strlen(passwd), 0644) < 0 ||
	    write_file_atomic(gp, group, strlen(group), 0644) < 0)
		return -1;
	return 0;
}

/* ---- bubblewrap ---- */

static void push_ro_bind_try(struct strvec *a, const char *path)
{
	strvec_pushl(a, "--ro-bind-try", path, path, NULL);
}

/* A top-level folder of the host (/bin, /lib64 ...): the same symlink inside
 * when it is one (merged /usr), else a read-only bind; nothing if absent. */
static void push_toplevel(struct strvec *a, const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			return;
		target[n] = 0;
		strvec_pushl(a, "--symlink", target, path, NULL);
	} else if (S_ISDIR(st.st_mode)) {
		strvec_pushl(a, "--ro-bind", path, path, NULL);
	}
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == 0);
}

void sandbox_argv(const struct sandbox_spec *spec, const char *const *cmd,
		  struct strvec *a)
{
	const struct workspace *ws = spec->ws;
	const struct sandbox_user *u = spec->user;
	strvec_push(a, "bwrap");
	/* Every namespace (user, pid, ipc, uts, cgroup, net); the network
	 * only where pip downloads. */
	strvec_push(a, "--unshare-all");
	if (spec->network)
		strvec_push(a, "--share-net");
	/* The sandbox dies with its tracer; no controlling terminal (no
	 * TIOCSTI into the user's shell); no capabilities. */
	strvec_pushl(a, "--die-with-parent", "--new-session", "--cap-drop",
		     "ALL", NULL);
	/* A nested user namespace would give the package every capability
	 * inside it (mount, raw sockets): kernel attack surface. */
	if (spec->disable_userns)
		strvec_pushl(a, "--unshare-user", "--disable-userns", NULL);

	strvec_pushl(a, "--clearenv", "--setenv", "HOME", u->home, "--setenv",
		     "PATH", SANDBOX_VENV "/bin:/usr/local/bin:/usr/bin:/bin",
		     "--setenv", "LANG", "C.UTF-8", "--setenv", "TMPDIR",
		     SANDBOX_TMP, "--setenv", "USER", u->name, "--setenv",
		     "LOGNAME", u->name, "--setenv", "PIPCANARY_SANDBOX", "1",
		     NULL);
	for (const char *const *e = spec->extra_env; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq)
			continue;
		_cleanup_free_ char *name = xstrndup(*e, (size_t)(eq - *e));
		strvec_pushl(a, "--setenv", name, eq + 1, NULL);
	}

	/* The system, read-only: what Python, pip and compilers need. */
	strvec_pushl(a, "--ro-bind", "/usr", "/usr", NULL);
	static const char *const tops[] = {"/bin",   "/sbin",  "/lib",
					   "/lib32", "/lib64", "/libx32"};
	for (size_t i = 0; i < ARRAY_SIZE(tops); i++)
		push_toplevel(a, tops[i]);
	static const char *const etc_always[] = {
		"/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf",
		"/etc/ld.so.conf.d", "/etc/localtime"};
	for (size_t i = 0; i < ARRAY_SIZE(etc_always); i++)
		push_ro_bind_try(a, etc_always[i]);
	/* Debian's interpreter reads /etc/python3.X/sitecustomize.py. */
	glob_t g;
	if (glob("/etc/python3*", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			push_ro_bind_try(a, g.gl_pathv[i]);
		globfree(&g);
	}
	if (spec->network) {
		static const char *const etc_net[] = {
			"/etc/ssl",	    "/etc/ca-certificates",
			"/etc/resolv.conf", "/etc/hosts",
			"/etc/nsswitch.conf", "/etc/host.conf",
			"/etc/gai.conf"};
		for (size_t i = 0; i < ARRAY_SIZE(etc_net); i++)
			push_ro_bind_try(a, etc_net[i]);
	}
	_cleanup_free_ char *passwd = xasprintf("%s/passwd", ws->etc);
	_cleanup_free_ char *group = xasprintf("%s/group", ws->etc);
	strvec_pushl(a, "--ro-bind", passwd, "/etc/passwd", "--ro-bind", group,
		     "/etc/group", NULL);

	/* Fresh /proc (of the new pid namespace), minimal /dev, empty /tmp
	 * (in RAM: bounded, so that a package cannot fill the host's). */
	strvec_pushl(a, "--proc", "/proc", "--dev", "/dev", NULL);
	if (spec->limits && spec->limits->tmp_bytes > 0) {
		strvec_push(a, "--size");
		strvec_pushf(a, "%lld", spec->limits->tmp_bytes);
	}
	strvec_pushl(a, "--tmpfs", SANDBOX_TMP, NULL);

	/* The decoy home at the real home's path; nothing of the real home. */
	strvec_pushl(a, "--bind", ws->home, u->home, NULL);
	/* The interpreter's prefix AFTER the home: bwrap mounts in order, so
	 * a prefix inside the home (pyenv: ~/.pyenv/versions/X) stays
	 * visible on top of the decoys. /usr is bound already. */
	for (size_t i = 0; i < spec->py->prefixes.nr; i++) {
		const char *p = spec->py->prefixes.v[i];
		if (!under(p, "/usr") && strcmp(p, "/") != 0)
			strvec_pushl(a, "--ro-bind", p, p, NULL);
	}

	/* The workspace at fixed paths. */
	strvec_pushl(a, spec->venv_readonly ? "--ro-bind" : "--bind", ws->venv,
		     SANDBOX_VENV, "--ro-bind", ws->input, SANDBOX_INPUT,
		     spec->venv_readonly ? "--ro-bind" : "--bind", ws->output,
		     SANDBOX_OUTPUT, NULL);
	if (spec->py->pip_wheel) {
		const char *base = strrchr(spec->py->pip_wheel, '/');
		base = base ? base + 1 : spec->py->pip_wheel;
		strvec_push(a, "--ro-bind");
		strvec_push(a, spec->py->pip_wheel);
		strvec_pushf(a, SANDBOX_PIP_DIR "/%s", base);
	}
	if (spec->probe_dir)
		strvec_pushl(a, "--ro-bind", spec->probe_dir, SANDBOX_PROBE,
			     NULL);
	strvec_pushl(a, "--chdir", u->home, NULL);
	if (spec->info_fd >= 0) {
		strvec_push(a, "--info-fd");
		strvec_pushf(a, "%d", spec->info_fd);
	}
	strvec_push(a, "--");
	if (spec->limits && spec->prlimit) {
		strvec_push(a, spec->prlimit);
		strvec_pushf(a, "--nproc=%ld", spec->limits->nproc);
		strvec_pushf(a, "--as=%lld", spec->limits->as_bytes);
		strvec_pushf(a, "--fsize=%lld", spec->limits->fsize_bytes);
		strvec_pushl(a, "--core=0", "--", NULL);
	}
	for (const char *const *c = cmd; *c; c++)
		strvec_push(a, *c);
}

bool bwrap_has_disable_userns(void)
{
	static int known = -1;
	if (known < 0) {
		const char *argv[] = {"bwrap", "--help", NULL};
		_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
		_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;
		run_capture(argv, &out, &err, 1 << 16);
		known = strstr(out.buf, "--disable-userns") ||
			strstr(err.buf, "--disable-userns");
	}
	return known == 1;
}
