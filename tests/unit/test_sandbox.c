/*
 * Unit tests of sandbox.c: the workspace and its stale removal, the
 * async-signal-safe removal, the decoy home, the generated /etc files, the
 * bwrap argument vector, and (when bwrap works here) what a real sandbox
 * shows and hides.
 */
#include "testutil.h"

#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char *make_tmpdir(void)
{
	char *t = xstrdup("/tmp/test-sandbox-XXXXXX");
	assert_non_null(mkdtemp(t));
	return t;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void test_workspace_create_and_remove(void **state)
{
	char *tmp = make_tmpdir();
	struct workspace ws;
	assert_int_equal(workspace_create(&ws, tmp), 0);
	assert_true(str_starts_with(ws.dir, tmp));
	assert_non_null(strstr(ws.dir, "/" WORKSPACE_PREFIX));
	struct stat st;
	assert_int_equal(stat(ws.dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	const char *subs[] = {ws.venv == NULL ? "" : "", ws.home, ws.input,
			      ws.output, ws.etc};
	for (size_t i = 1; i < ARRAY_SIZE(subs); i++) {
		assert_int_equal(stat(subs[i], &st), 0);
		assert_true(S_ISDIR(st.st_mode));
	}
	/* The owner file names this process. */
	char *owner = xasprintf("%s/owner", ws.dir);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, owner, 0), 0);
	long pid = 0;
	assert_int_equal(sscanf(sb.buf, "%ld", &pid), 1);
	assert_int_equal(pid, getpid());
	strbuf_release(&sb);
	free(owner);

	char *dir = xstrdup(ws.dir);
	workspace_remove(&ws);
	assert_false(exists(dir));
	assert_null(ws.dir);
	free(dir);
	assert_int_equal(rmdir(tmp), 0);
	free(tmp);
}

static void test_stale_workspaces(void **state)
{
	char *tmp = make_tmpdir();
	/* A workspace whose owner is gone: a child that has exited. */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	char *dead = xasprintf("%s/" WORKSPACE_PREFIX "dead01", tmp);
	assert_int_equal(mkdir(dead, 0700), 0);
	char *f = xasprintf("%s/owner", dead);
	char *line = xasprintf("%d 12345\n", (int)child);
	assert_int_equal(write_file_atomic(f, line, strlen(line), 0600), 0);
	free(f);
	free(line);
	char *deep = xasprintf("%s/venv/lib", dead);
	char *venv = xasprintf("%s/venv", dead);
	assert_int_equal(mkdir(venv, 0700), 0);
	assert_int_equal(mkdir(deep, 0500), 0); /* not writable: still goes */
	free(deep);
	free(venv);

	/* Our own live workspace stays. */
	struct workspace live;
	assert_int_equal(workspace_create(&live, tmp), 0);
	/* Same pid as ours but another start time: pid reused, stale. */
	char *reused = xasprintf("%s/" WORKSPACE_PREFIX "reused", tmp);
	assert_int_equal(mkdir(reused, 0700), 0);
	f = xasprintf("%s/owner", reused);
	line = xasprintf("%d 1\n", (int)getpid());
	assert_int_equal(write_file_atomic(f, line, strlen(line), 0600), 0);
	free(f);
	free(line);
	/* No owner file: may be a run between mkdtemp and its marker. */
	char *fresh = xasprintf("%s/" WORKSPACE_PREFIX "fresh", tmp);
	assert_int_equal(mkdir(fresh, 0700), 0);
	/* Not ours by name. */
	char *other = xasprintf("%s/other-dir", tmp);
	assert_int_equal(mkdir(other, 0700), 0);

	assert_int_equal(workspace_remove_stale(tmp), 2);
	assert_false(exists(dead));
	assert_false(exists(reused));
	assert_true(exists(live.dir));
	assert_true(exists(fresh));
	assert_true(exists(other));

	workspace_remove(&live);
	rm_rf(tmp);
	free(dead);
	free(reused);
	free(fresh);
	free(other);
	free(tmp);
}

static void test_rm_rf_signal_safe(void **state)
{
	char *tmp = make_tmpdir();
	/* Enough entries to need several getdents64 calls, nested folders,
	 * a symlink out (not followed), a read-only folder. */
	char *outside = xasprintf("%s-outside", tmp);
	assert_int_equal(mkdir(outside, 0700), 0);
	char *keep = xasprintf("%s/keep", outside);
	assert_int_equal(write_file_atomic(keep, "x", 1, 0600), 0);
	char *a = xasprintf("%s/a/b/c", tmp);
	char *ab = xasprintf("%s/a/b", tmp);
	char *aa = xasprintf("%s/a", tmp);
	assert_int_equal(mkdir(aa, 0700), 0);
	assert_int_equal(mkdir(ab, 0700), 0);
	assert_int_equal(mkdir(a, 0700), 0);
	for (int i = 0; i < 300; i++) {
		char *p = xasprintf("%s/file-with-a-long-name-%04d", a, i);
		assert_int_equal(write_file_atomic(p, "y", 1, 0600), 0);
		free(p);
	}
	char *link = xasprintf("%s/a/link", tmp);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(chmod(ab, 0500), 0);

	assert_int_equal(rm_rf_signal_safe(tmp), 0);
	assert_false(exists(tmp));
	assert_true(exists(keep)); /* the symlink's target is untouched */
	rm_rf(outside);
	free(outside);
	free(keep);
	free(a);
	free(ab);
	free(aa);
	free(link);
	free(tmp);
}

static void test_signal_removes_workspace(void **state)
{
	char *tmp = make_tmpdir();
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t child = fork();
	if (child == 0) {
		struct workspace ws;
		if (workspace_create(&ws, tmp) < 0)
			_exit(3);
		cleanup_arm(&ws);
		char *x = xasprintf("%s/venv-file", ws.output);
		write_file_atomic(x, "z", 1, 0600);
		if (write(p[1], "r", 1) != 1)
			_exit(4);
		pause();
		_exit(5);
	}
	char c;
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	kill(child, SIGTERM);
	int st;
	assert_int_equal(waitpid(child, &st, 0), child);
	/* Ended by the same signal, after removing its workspace. */
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM);
	assert_int_equal(rmdir(tmp), 0); /* empty: nothing left */
	free(tmp);
}

static void test_die_hook_removes_workspace(void **state)
{
	char *tmp = make_tmpdir();
	pid_t child = fork();
	if (child == 0) {
		struct workspace ws;
		if (workspace_create(&ws, tmp) < 0)
			_exit(3);
		cleanup_arm(&ws);
		fclose(stderr);
		die(EXIT_UNAVAILABLE, "gone");
	}
	int st;
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), EXIT_UNAVAILABLE);
	assert_int_equal(rmdir(tmp), 0);
	free(tmp);
}

static void test_decoy_home(void **state)
{
	size_t nr;
	const struct decoy *d = decoy_list(&nr);
	/* Every decoy the issue lists, at its standard path. */
	static const char *const must[] = {
		".ssh/id_rsa", ".ssh/id_ed25519", ".ssh/config",
		".ssh/known_hosts", ".aws/credentials", ".aws/config",
		".config/gcloud/application_default_credentials.json",
		".config/gcloud/credentials.db", ".azure/accessTokens.json",
		".kube/config", ".docker/config.json", ".netrc", ".pypirc",
		".npmrc", ".git-credentials", ".bash_history", ".zsh_history",
		".bashrc", ".profile",
		".config/google-chrome/Default/Login Data",
		".config/google-chrome/Default/Cookies",
		".config/google-chrome/Local State",
		".config/chromium/Default/Login Data",
		".config/BraveSoftware/Brave-Browser/Default/Login Data",
		".mozilla/firefox/profiles.ini",
		".config/discord/Local Storage/leveldb/000005.ldb",
		".local/share/TelegramDesktop/tdata/key_datas",
		".electrum/wallets/default_wallet",
		".config/atomic/Local Storage/leveldb/000003.log",
	};
	for (size_t i = 0; i < ARRAY_SIZE(must); i++) {
		bool found = false;
		for (size_t k = 0; k < nr; k++)
			found |= !strcmp(d[k].path, must[i]);
		if (!found)
			fail_msg("no decoy %s", must[i]);
	}
	/* Prefix-matched ones. */
	static const char *const prefixes[] = {
		".gnupg/private-keys-v1.d/", ".config/Exodus/exodus.wallet/",
		".config/google-chrome/Default/Local Extension Settings/"
		"nkbihfbeogaeaoehlefnkodbefgpgknn/",
		".mozilla/firefox/"};
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		bool found = false;
		for (size_t k = 0; k < nr; k++)
			found |= str_starts_with(d[k].path, prefixes[i]);
		if (!found)
			fail_msg("no decoy under %s", prefixes[i]);
	}
	/* Firefox: logins.json, key4.db, cookies.sqlite in the profile that
	 * profiles.ini names. */
	const char *ini = NULL;
	for (size_t k = 0; k < nr; k++)
		if (!strcmp(d[k].path, ".mozilla/firefox/profiles.ini"))
			ini = d[k].content;
	if (!ini)
		fail_msg("no profiles.ini");
	const char *pl = strstr(ini, "Path=");
	assert_non_null(pl);
	char *prof = xstrndup(pl + 5, strcspn(pl + 5, "\n"));
	static const char *const ff[] = {"logins.json", "key4.db", "cookies.sqlite"};
	for (size_t i = 0; i < ARRAY_SIZE(ff); i++) {
		char *want = xasprintf(".mozilla/firefox/%s/%s", prof, ff[i]);
		bool found = false;
		for (size_t k = 0; k < nr; k++)
			found |= !strcmp(d[k].path, want);
		if (!found)
			fail_msg("no decoy %s", want);
		free(want);
	}
	free(prof);

	/* Written: readable by the user, with canaries; credentials carry a
	 * PIPCANARY-DECOY- string (the shell rc files are plain). */
	char *tmp = make_tmpdir();
	assert_int_equal(decoy_home_write(tmp), 0);
	for (size_t k = 0; k < nr; k++) {
		char *p = xasprintf("%s/%s", tmp, d[k].path);
		struct strbuf sb = STRBUF_INIT;
		assert_int_equal(strbuf_read_file(&sb, p, 0), 0);
		assert_string_equal(sb.buf, d[k].content);
		if (strcmp(d[k].path, ".bashrc") && strcmp(d[k].path, ".profile") &&
		    strcmp(d[k].path, ".gitconfig") &&
		    !str_ends_with(d[k].path, "profiles.ini") &&
		    !strstr(sb.buf, "PIPCANARY-DECOY-"))
			fail_msg("%s has no canary", d[k].path);
		struct stat st;
		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_mode & 0777, d[k].mode);
		strbuf_release(&sb);
		free(p);
	}
	rm_rf(tmp);
	free(tmp);
}

static void test_etc_files(void **state)
{
	char *tmp = make_tmpdir();
	struct workspace ws;
	assert_int_equal(workspace_create(&ws, tmp), 0);
	struct sandbox_user u = {.name = "sebastian", .uid = 1000, .gid = 1001,
				 .home = "/home/sebastian", .shell = "/bin/bash"};
	assert_int_equal(sandbox_write_etc(&ws, &u), 0);
	char *p = xasprintf("%s/passwd", ws.etc);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, p, 0), 0);
	assert_string_equal(sb.buf,
			    "sebastian:x:1000:1001:sebastian:/home/sebastian:/bin/bash\n");
	strbuf_reset(&sb);
	free(p);
	p = xasprintf("%s/group", ws.etc);
	assert_int_equal(strbuf_read_file(&sb, p, 0), 0);
	assert_string_equal(sb.buf, "sebastian:x:1001:\n");
	strbuf_release(&sb);
	free(p);
	workspace_remove(&ws);
	rmdir(tmp);
	free(tmp);
}

/* Index of the first argv element equal to s at or after from, or -1. */
static long find_arg(const struct strvec *a, const char *s, size_t from)
{
	for (size_t i = from; i < a->nr; i++)
		if (!strcmp(a->v[i], s))
			return (long)i;
	return -1;
}

static void test_argv(void **state)
{
	struct workspace ws = {.dir = "/w", .venv = "/w/venv", .home = "/w/home",
			       .input = "/w/input", .output = "/w/output",
			       .etc = "/w/etc"};
	struct sandbox_user u = {.name = "u", .uid = 1000, .gid = 1000,
				 .home = "/home/u", .shell = "/bin/sh"};
	struct python_info py = {0};
	strvec_push(&py.prefixes, "/home/u/.pyenv/versions/3.11.7");
	strvec_push(&py.prefixes, "/usr");
	py.pip_wheel = "/x/pip-23.2.1-py3-none-any.whl";
	struct sandbox_limits lim = {100, 1 << 30, 1 << 20, 4096};
	const char *env[] = {"PIP_CONFIG_FILE=/dev/null", NULL};
	struct sandbox_spec spec = {.ws = &ws, .user = &u, .py = &py,
				    .probe_dir = "/src/probe", .network = false,
				    .info_fd = 7, .limits = &lim,
				    .prlimit = "/usr/bin/prlimit",
				    .extra_env = env};
	const char *cmd[] = {"/pipcanary/venv/bin/python", "-c", "pass", NULL};
	struct strvec a = STRVEC_INIT;
	sandbox_argv(&spec, cmd, &a);

	assert_string_equal(a.v[0], "bwrap");
	assert_true(find_arg(&a, "--unshare-all", 0) > 0);
	assert_int_equal(find_arg(&a, "--share-net", 0), -1);
	assert_true(find_arg(&a, "--die-with-parent", 0) > 0);
	assert_true(find_arg(&a, "--new-session", 0) > 0);
	long cap = find_arg(&a, "--cap-drop", 0);
	assert_true(cap > 0);
	assert_string_equal(a.v[cap + 1], "ALL");
	long ce = find_arg(&a, "--clearenv", 0);
	assert_true(ce > 0);
	/* Environment after --clearenv. */
	long home = find_arg(&a, "HOME", 0);
	assert_true(home > ce);
	assert_string_equal(a.v[home + 1], "/home/u");
	long sb = find_arg(&a, "PIPCANARY_SANDBOX", 0);
	assert_string_equal(a.v[sb + 1], "1");
	long pc = find_arg(&a, "PIP_CONFIG_FILE", 0);
	assert_string_equal(a.v[pc + 1], "/dev/null");
	long path = find_arg(&a, "PATH", 0);
	assert_true(str_starts_with(a.v[path + 1], SANDBOX_VENV "/bin:"));
	/* No network files without network. */
	assert_int_equal(find_arg(&a, "/etc/resolv.conf", 0), -1);
	/* The decoy home, then the prefix inside it (bwrap mounts in order);
	 * /usr is not bound twice. */
	long hb = find_arg(&a, "/w/home", 0);
	assert_string_equal(a.v[hb - 1], "--bind");
	assert_string_equal(a.v[hb + 1], "/home/u");
	long pb = find_arg(&a, "/home/u/.pyenv/versions/3.11.7", 0);
	assert_true(pb > hb);
	assert_string_equal(a.v[pb - 1], "--ro-bind");
	long usr = find_arg(&a, "/usr", 0);
	assert_int_equal(find_arg(&a, "/usr", (size_t)usr + 2), -1);
	/* The generated passwd, the workspace at fixed paths. */
	long pw = find_arg(&a, "/w/etc/passwd", 0);
	assert_string_equal(a.v[pw + 1], "/etc/passwd");
	long vb = find_arg(&a, "/w/venv", 0);
	assert_string_equal(a.v[vb - 1], "--bind");
	assert_string_equal(a.v[vb + 1], SANDBOX_VENV);
	long ib = find_arg(&a, "/w/input", 0);
	assert_string_equal(a.v[ib - 1], "--ro-bind");
	long wb = find_arg(&a, "/x/pip-23.2.1-py3-none-any.whl", 0);
	assert_string_equal(a.v[wb - 1], "--ro-bind");
	assert_string_equal(a.v[wb + 1], SANDBOX_PIP_DIR "/pip-23.2.1-py3-none-any.whl");
	long pr = find_arg(&a, "/src/probe", 0);
	assert_string_equal(a.v[pr + 1], SANDBOX_PROBE);
	/* /tmp is a tmpfs of bounded size. */
	long tmp = find_arg(&a, "--tmpfs", 0);
	assert_string_equal(a.v[tmp + 1], SANDBOX_TMP);
	assert_string_equal(a.v[tmp - 2], "--size");
	assert_string_equal(a.v[tmp - 1], "4096");
	/* Nothing of the host's /root, /run, /home, /etc/shadow. */
	for (size_t i = 0; i < a.nr; i++) {
		assert_false(!strcmp(a.v[i], "/etc/shadow"));
		assert_false(!strcmp(a.v[i], "/run"));
		assert_false(!strcmp(a.v[i], "/root"));
		assert_false(!strcmp(a.v[i], "/"));
	}
	long info = find_arg(&a, "--info-fd", 0);
	assert_string_equal(a.v[info + 1], "7");
	/* Then "--", the limits, the command as given. */
	long dd = find_arg(&a, "--", 0);
	assert_true(dd > info);
	assert_string_equal(a.v[dd + 1], "/usr/bin/prlimit");
	assert_string_equal(a.v[dd + 2], "--nproc=100");
	assert_string_equal(a.v[dd + 3], "--as=1073741824");
	assert_string_equal(a.v[dd + 4], "--fsize=1048576");
	long dd2 = find_arg(&a, "--", (size_t)dd + 1);
	assert_string_equal(a.v[dd2 + 1], "/pipcanary/venv/bin/python");
	assert_string_equal(a.v[dd2 + 3], "pass");
	assert_int_equal((size_t)dd2 + 4, a.nr);
	strvec_clear(&a);

	/* Install: network and the resolver's files. */
	spec.network = true;
	spec.limits = NULL;
	sandbox_argv(&spec, cmd, &a);
	assert_true(find_arg(&a, "--share-net", 0) > 0);
	assert_true(find_arg(&a, "/etc/resolv.conf", 0) > 0);
	assert_int_equal(find_arg(&a, "/usr/bin/prlimit", 0), -1);
	strvec_clear(&a);
	strvec_clear(&py.prefixes);
}

static void test_user_home_fallback(void **state)
{
	char *saved = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	setenv("HOME", "/home/someone///", 1);
	struct sandbox_user u;
	sandbox_user_init(&u);
	assert_string_equal(u.home, "/home/someone");
	assert_int_equal(u.uid, getuid());
	sandbox_user_clear(&u);
	setenv("HOME", "relative", 1);
	sandbox_user_init(&u);
	assert_int_equal(u.home[0], '/');
	assert_true(strlen(u.home) > 1);
	sandbox_user_clear(&u);
	if (saved)
		setenv("HOME", saved, 1);
	else
		unsetenv("HOME");
	free(saved);
}

/* Runs sh -c script in a real sandbox; returns its exit status, or -1
 * when bwrap cannot run here (the test is then skipped). */
static int run_in_sandbox(const struct sandbox_spec *spec, const char *script,
			  struct strbuf *out)
{
	const char *cmd[] = {"/bin/sh", "-c", script, NULL};
	struct strvec a = STRVEC_INIT;
	sandbox_argv(spec, cmd, &a);
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t c = fork();
	if (c == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp("bwrap", a.v);
		_exit(127);
	}
	close(p[1]);
	strbuf_read_fd(out, p[0], 1 << 20);
	close(p[0]);
	int st;
	waitpid(c, &st, 0);
	strvec_clear(&a);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_real_sandbox(void **state)
{
	char *bw = find_program("bwrap");
	if (!bw)
		skip();
	free(bw);
	struct python_info py;
	char *err = NULL;
	if (python_setup("python3", NULL, &py, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		free(err);
		skip();
	}
	char *tmp = make_tmpdir();
	struct workspace ws;
	assert_int_equal(workspace_create(&ws, tmp), 0);
	assert_int_equal(decoy_home_write(ws.home), 0);
	/* A stand-in for the real home, with a secret that must not show. */
	char *realhome = xasprintf("%s/realhome", tmp);
	assert_int_equal(mkdir(realhome, 0700), 0);
	char *secret = xasprintf("%s/real-secret", realhome);
	assert_int_equal(write_file_atomic(secret, "s", 1, 0600), 0);
	struct sandbox_user u;
	sandbox_user_init(&u);
	free(u.home);
	u.home = xstrdup(realhome);
	assert_int_equal(sandbox_write_etc(&ws, &u), 0);
	mkdir(ws.venv, 0700);
	struct sandbox_spec spec = {.ws = &ws, .user = &u, .py = &py,
				    .network = false, .info_fd = -1};
	struct strbuf out = STRBUF_INIT;
	char *script = xasprintf(
		"test -r \"$HOME/.ssh/id_rsa\" || echo NO-DECOY; "
		"grep -q PIPCANARY-DECOY \"$HOME/.aws/credentials\" || echo NO-CANARY; "
		"test -e \"$HOME/real-secret\" && echo REAL-HOME; "
		"test -e /etc/shadow && echo SHADOW; "
		"test -e /run/docker.sock && echo DOCKER; "
		"test -e /var/run/dbus && echo DBUS; "
		"test -e /work && echo WORK; "
		"test \"$PIPCANARY_SANDBOX\" = 1 || echo NO-ENV; "
		"test -z \"$TERM$SSH_AUTH_SOCK\" || echo HOST-ENV; "
		"test \"$(wc -l < /proc/net/dev)\" -le 3 || echo NETWORK; "
		"test -x %s || echo NO-PYTHON; "
		"echo > \"$HOME/.bashrc\" || echo HOME-NOT-WRITABLE; "
		"echo done",
		py.executable);
	int rc = run_in_sandbox(&spec, script, &out);
	if (rc != 0 && strstr(out.buf, "bwrap:")) {
		fprintf(stderr, "bwrap cannot run here: %s\n", out.buf);
		skip();
	}
	assert_int_equal(rc, 0);
	assert_string_equal(out.buf, "done\n");
	strbuf_release(&out);
	free(script);

	/* The interpreter starts inside, from its prefix even when that lies
	 * in the home. */
	char *pyscript = xasprintf("%s -I -c 'import sys; print(sys.version_info[0])'",
				   py.executable);
	rc = run_in_sandbox(&spec, pyscript, &out);
	assert_int_equal(rc, 0);
	assert_string_equal(out.buf, "3\n");
	strbuf_release(&out);
	free(pyscript);

	sandbox_user_clear(&u);
	python_info_clear(&py);
	workspace_remove(&ws);
	rm_rf(tmp);
	free(tmp);
	free(realhome);
	free(secret);
}

static void test_find_program(void **state)
{
	char *sh = find_program("sh");
	assert_non_null(sh);
	assert_int_equal(access(sh, X_OK), 0);
	free(sh);
	assert_null(find_program("no-such-program-pipcanary"));
	assert_null(find_program("/nonexistent/python3"));
	assert_null(find_program(""));
}

static void test_python_setup_errors(void **state)
{
	struct python_info py;
	char *err = NULL;
	assert_int_equal(python_setup("/nonexistent/python3", NULL, &py, &err), -1);
	assert_non_null(strstr(err, "/nonexistent/python3"));
	assert_non_null(strstr(err, "not found"));
	free(err);
	/* An executable that is not Python. */
	assert_int_equal(python_setup("false", NULL, &py, &err), -1);
	assert_non_null(err);
	free(err);
}

static void test_python_setup_venv(void **state)
{
	char *tmp = make_tmpdir();
	char *venv = xasprintf("%s/venv", tmp);
	struct python_info py;
	char *err = NULL;
	if (python_setup("python3", venv, &py, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
	assert_int_equal(py.version[0], '3');
	assert_true(py.prefixes.nr >= 1);
	assert_int_equal(py.executable[0], '/');
	char *cfg = xasprintf("%s/pyvenv.cfg", venv);
	assert_true(exists(cfg));
	/* --without-pip: no pip in the venv. */
	char *pipbin = xasprintf("%s/bin/pip", venv);
	assert_false(exists(pipbin));
	if (py.pip_wheel)
		assert_true(str_ends_with(py.pip_wheel, ".whl"));
	python_info_clear(&py);
	rm_rf(tmp);
	free(tmp);
	free(venv);
	free(cfg);
	free(pipbin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workspace_create_and_remove),
		cmocka_unit_test(test_stale_workspaces),
		cmocka_unit_test(test_rm_rf_signal_safe),
		cmocka_unit_test(test_signal_removes_workspace),
		cmocka_unit_test(test_die_hook_removes_workspace),
		cmocka_unit_test(test_decoy_home),
		cmocka_unit_test(test_etc_files),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_user_home_fallback),
		cmocka_unit_test(test_find_program),
		cmocka_unit_test(test_python_setup_errors),
		cmocka_unit_test(test_python_setup_venv),
		cmocka_unit_test(test_real_sandbox),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
