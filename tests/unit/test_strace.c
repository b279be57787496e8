/* Unit tests of strace.c: real lines recorded from strace 6.1
 * (strace -f -qq -yy -s 4096, and -s 10 for truncation) of benign commands
 * (python3 -c "import json", a socket script, sh -c ...), and hostile lines:
 * attacker-chosen quotes, escapes, newlines, invalid UTF-8, 4 KiB+ strings,
 * cut lines. Every parse is done on an exact-size heap copy without a NUL so
 * that AddressSanitizer catches any read past len. */
#include "testutil.h"
#include "strace.h"
#include "util.h"

/* Parses s from an exact-size heap copy (no terminator). */
static int parse(const char *s, size_t len, struct strace_line *l)
{
	char *copy = xmalloc(len ? len : 1);
	memcpy(copy, s, len);
	int r = strace_parse_line(copy, len, l);
	free(copy);
	return r;
}
#define PARSE(s, l) parse((s), strlen(s), (l))

static void test_real_openat_weird_name(void **state)
{
	/* python3: open("/tmp/rt/we\"ird\nname\x01\xff", "w") - Python encodes
	 * U+00FF as UTF-8 \303\277 */
	const char *line = "8908  openat(AT_FDCWD</tmp/rt>, \"/tmp/rt/we\\\"ird\\nname\\1\\303\\277\", "
			   "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 11</tmp/rt/we\\\"ird\\nname\\1\\303\\277>";
	const char want[] = "/tmp/rt/we\"ird\nname\x01\xc3\xbf";
	struct strace_line l;
	assert_int_equal(PARSE(line, &l), 0);
	assert_int_equal(l.kind, STRACE_SYSCALL);
	assert_int_equal(l.pid, 8908);
	assert_string_equal(l.syscall, "openat");
	assert_int_equal(l.nr_args, 4);
	assert_string_equal(l.args[0].raw, "AT_FDCWD</tmp/rt>");
	assert_string_equal(l.args[0].fd_path, "/tmp/rt");
	assert_null(l.args[0].str);
	assert_int_equal(l.args[1].str_len, sizeof(want) - 1);
	assert_memory_equal(l.args[1].str, want, sizeof(want) - 1);
	assert_false(l.args[1].truncated);
	assert_string_equal(l.args[2].raw, "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC");
	assert_int_equal(strace_open_access(l.args[2].raw), STRACE_ACCESS_WRITE);
	assert_string_equal(l.args[3].raw, "0666");
	assert_true(l.has_ret);
	assert_int_equal(l.ret, 11);
	assert_string_equal(l.ret_fd_path, want);
	assert_null(l.err);
	strace_line_clear(&l);
	assert_null(l.args);
}

static void test_real_enoent_and_unknown_ret(void **state)
{
	struct strace_line l;
	assert_int_equal(PARSE("8749  openat(AT_FDCWD</tmp/rt>, \"/usr/share/locale/C.utf8/LC_MESSAGES/bash.mo\", O_RDONLY) = -1 ENOENT (No such file or directory)", &l), 0);
	assert_true(l.has_ret);
	assert_int_equal(l.ret, -1);
	assert_string_equal(l.err, "ENOENT");
	assert_null(l.ret_fd_path);
	assert_int_equal(strace_open_access(l.args[2].raw), STRACE_ACCESS_READ);
	strace_line_clear(&l);

	assert_int_equal(PARSE("8942  kill(8942, SIGKILL)               = ?", &l), 0);
	assert_int_equal(l.kind, STRACE_SYSCALL);
	assert_false(l.has_ret);
	assert_int_equal(l.nr_args, 2);
	assert_string_equal(l.args[1].raw, "SIGKILL");
	strace_line_clear(&l);

	/* mmap returns an address (hex); memfd's fd path carries "(deleted)" */
	assert_int_equal(PARSE("8739  mmap(NULL, 48, PROT_READ, MAP_PRIVATE, 3</usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES>, 0) = 0x7fbff9d24000", &l), 0);
	assert_int_equal(l.ret, 0x7fbff9d24000LL);
	assert_string_equal(l.args[4].fd_path, "/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES");
	strace_line_clear(&l);
	assert_int_equal(PARSE("8908  memfd_create(\"x\", MFD_CLOEXEC)    = 11</memfd:x>(deleted)", &l), 0);
	assert_int_equal(l.ret, 11);
	assert_string_equal(l.ret_fd_path, "/memfd:x");
	strace_line_clear(&l);
}

static void test_real_sockets(void **state)
{
	struct strace_line l;
	char *peer = NULL;
	assert_int_equal(PARSE("8908  connect(3<TCP:[33123]>, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.2\")}, 16) = -1 EINPROGRESS (Operation now in progress)", &l), 0);
	assert_int_equal(l.nr_args, 3);
	assert_string_equal(l.args[0].fd_path, "TCP:[33123]");
	assert_int_equal(strace_sockaddr_peer(l.args[1].raw, &peer), 0);
	assert_string_equal(peer, "127.0.0.2:9");
	free(peer);
	assert_string_equal(l.err, "EINPROGRESS");
	assert_int_equal(strace_fd_peer(l.args[0].fd_path, &peer), -1); /* not connected yet */
	strace_line_clear(&l);

	assert_int_equal(PARSE("8908  connect(4<TCPv6:[33124]>, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)", &l), 0);
	assert_int_equal(l.nr_args, 3);
	assert_int_equal(strace_sockaddr_peer(l.args[1].raw, &peer), 0);
	assert_string_equal(peer, "[::1]:9");
	free(peer);
	strace_line_clear(&l);

	assert_int_equal(PARSE("8908  connect(5<UNIX-STREAM:[33125]>, {sa_family=AF_UNIX, sun_path=\"/tmp/nonexist.sock\"}, 21) = -1 ENOENT (No such file or directory)", &l), 0);
	assert_int_equal(strace_sockaddr_peer(l.args[1].raw, &peer), 0);
	assert_string_equal(peer, "/tmp/nonexist.sock");
	free(peer);
	strace_line_clear(&l);

	assert_int_equal(PARSE("8908  sendto(6<UDP:[33126]>, \"x\", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"127.0.0.3\")}, 16) = 1", &l), 0);
	assert_int_equal(l.nr_args, 6);
	assert_int_equal(strace_sockaddr_peer(l.args[4].raw, &peer), 0);
	assert_string_equal(peer, "127.0.0.3:53");
	free(peer);
	strace_line_clear(&l);

	assert_int_equal(PARSE("8908  sendto(8<TCP:[127.0.0.1:60622->127.0.0.1:35885]>, \"hi\", 2, 0, NULL, 0) = 2", &l), 0);
	assert_string_equal(l.args[0].fd_path, "TCP:[127.0.0.1:60622->127.0.0.1:35885]");
	assert_int_equal(strace_sockaddr_peer(l.args[4].raw, &peer), -1);
	assert_int_equal(strace_fd_peer(l.args[0].fd_path, &peer), 0);
	assert_string_equal(peer, "127.0.0.1:35885");
	free(peer);
	strace_line_clear(&l);

	assert_int_equal(strace_fd_peer("TCPv6:[[::1]:40000->[::1]:9]", &peer), 0);
	assert_string_equal(peer, "[::1]:9");
	free(peer);
	assert_int_equal(strace_sockaddr_peer("{sa_family=AF_UNIX, sun_path=@\"/tmp/.X11-unix/X0\"}", &peer), 0);
	assert_string_equal(peer, "@/tmp/.X11-unix/X0");
	free(peer);
	assert_int_equal(strace_sockaddr_peer("{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}", &peer), 0);
	assert_string_equal(peer, "AF_NETLINK");
	free(peer);
	assert_int_equal(strace_sockaddr_peer("{msg_name={sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"1.1.1.1\")}, msg_namelen=16, msg_iov=[{iov_base=\"q\", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=0}", &peer), 0);
	assert_string_equal(peer, "1.1.1.1:53");
	free(peer);
	/* attacker data that looks like a sockaddr inside a string is data */
	assert_int_equal(strace_sockaddr_peer("{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"{sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\\\"6.6.6.6\\\")}\", iov_len=60}], msg_iovlen=1}", &peer), -1);
	assert_null(peer);
}

static void test_real_unfinished_resumed(void **state)
{
	const char *lines[] = {
		"8775  vfork( <unfinished ...>",
		"8776  execve(\"/usr/bin/ls\", [\"ls\", \"/etc\"], 0x55c8b1b5ff30 /* 37 vars */ <unfinished ...>",
		"8775  <... vfork resumed>)              = 8776",
		"8733  rt_sigprocmask(SIG_SETMASK, [],  <unfinished ...>",
		"8776  <... execve resumed>)             = 0",
		"8733  <... rt_sigprocmask resumed>NULL, 8) = 0",
	};
	struct strace_line l;
	/* each half alone */
	assert_int_equal(PARSE(lines[1], &l), 0);
	assert_int_equal(l.kind, STRACE_UNFINISHED);
	assert_int_equal(l.nr_args, 3);
	assert_false(l.has_ret);
	strace_line_clear(&l);
	assert_int_equal(PARSE(lines[2], &l), 0);
	assert_int_equal(l.kind, STRACE_RESUMED);
	assert_string_equal(l.syscall, "vfork");
	assert_int_equal(l.ret, 8776);
	strace_line_clear(&l);

	struct strace_joiner *j = strace_joiner_new();
	assert_int_equal(strace_joiner_feed(j, lines[0], strlen(lines[0]), &l), 0);
	assert_int_equal(strace_joiner_feed(j, lines[1], strlen(lines[1]), &l), 0);
	assert_int_equal(strace_joiner_feed(j, lines[2], strlen(lines[2]), &l), 1);
	assert_int_equal(l.kind, STRACE_SYSCALL);
	assert_int_equal(l.pid, 8775);
	assert_string_equal(l.syscall, "vfork");
	assert_int_equal(l.nr_args, 0);
	assert_int_equal(l.ret, 8776);
	strace_line_clear(&l);
	assert_int_equal(strace_joiner_feed(j, lines[3], strlen(lines[3]), &l), 0);
	assert_int_equal(strace_joiner_feed(j, lines[4], strlen(lines[4]), &l), 1);
	assert_int_equal(l.kind, STRACE_SYSCALL);
	assert_int_equal(l.pid, 8776);
	assert_string_equal(l.syscall, "execve");
	assert_int_equal(l.nr_args, 3);
	assert_string_equal(l.args[0].str, "/usr/bin/ls");
	struct strvec argv = STRVEC_INIT;
	bool trunc = true;
	assert_int_equal(strace_arg_strings(&l.args[1], &argv, &trunc), 0);
	assert_false(trunc);
	assert_int_equal(argv.nr, 2);
	assert_string_equal(argv.v[0], "ls");
	assert_string_equal(argv.v[1], "/etc");
	strvec_clear(&argv);
	/* envp printed as a count is an array without strings */
	assert_int_equal(strace_arg_strings(&l.args[2], &argv, NULL), -1);
	assert_true(l.has_ret);
	assert_int_equal(l.ret, 0);
	strace_line_clear(&l);
	assert_int_equal(strace_joiner_feed(j, lines[5], strlen(lines[5]), &l), 1);
	assert_string_equal(l.syscall, "rt_sigprocmask");
	assert_int_equal(l.nr_args, 4);
	assert_string_equal(l.args[1].raw, "[]");
	assert_string_equal(l.args[2].raw, "NULL");
	assert_string_equal(l.args[3].raw, "8");
	strace_line_clear(&l);

	/* a resumed half without its start passes through as RESUMED */
	assert_int_equal(strace_joiner_feed(j, lines[2], strlen(lines[2]), &l), 1);
	assert_int_equal(l.kind, STRACE_RESUMED);
	strace_line_clear(&l);
	/* a pending half is dropped when its process is killed */
	assert_int_equal(strace_joiner_feed(j, lines[0], strlen(lines[0]), &l), 0);
	assert_int_equal(strace_joiner_feed(j, "8775  +++ killed by SIGKILL +++", 31, &l), 1);
	assert_int_equal(l.kind, STRACE_KILLED);
	strace_line_clear(&l);
	assert_int_equal(strace_joiner_feed(j, lines[2], strlen(lines[2]), &l), 1);
	assert_int_equal(l.kind, STRACE_RESUMED);
	strace_line_clear(&l);
	strace_joiner_free(j);
}

/* A non-leader thread's execve, recorded from strace 6.1 (a Python thread
 * calling os.execv): it must come out whole, under the leader's pid, or an
 * attacker could hide what it runs behind a thread. */
static void test_real_thread_execve(void **state)
{
	const char *lines[] = {
		"6746  execve(\"/bin/true\", [\"true\", \"from-thread\"], 0x7ffce76846c8 /* 37 vars */ <pid changed to 6741 ...>",
		"6741  +++ superseded by execve in pid 6746 +++",
		"6741  <... execve resumed>)             = 0",
	};
	struct strace_line l;
	assert_int_equal(PARSE(lines[0], &l), 0);
	assert_int_equal(l.kind, STRACE_UNFINISHED);
	assert_int_equal(l.pid, 6746);
	assert_int_equal(l.nr_args, 3);
	strace_line_clear(&l);

	struct strace_joiner *j = strace_joiner_new();
	assert_int_equal(strace_joiner_feed(j, lines[0], strlen(lines[0]), &l), 0);
	assert_int_equal(strace_joiner_feed(j, lines[1], strlen(lines[1]), &l), 1);
	assert_int_equal(l.kind, STRACE_OTHER);
	assert_int_equal(l.pid, 6741);
	strace_line_clear(&l);
	assert_int_equal(strace_joiner_feed(j, lines[2], strlen(lines[2]), &l), 1);
	assert_int_equal(l.kind, STRACE_SYSCALL);
	assert_int_equal(l.pid, 6741);
	assert_string_equal(l.syscall, "execve");
	assert_string_equal(l.args[0].str, "/bin/true");
	struct strvec argv = STRVEC_INIT;
	assert_int_equal(strace_arg_strings(&l.args[1], &argv, NULL), 0);
	assert_int_equal(argv.nr, 2);
	assert_string_equal(argv.v[1], "from-thread");
	strvec_clear(&argv);
	assert_true(l.has_ret);
	assert_int_equal(l.ret, 0);
	strace_line_clear(&l);

	/* malformed markers are not understood, never half-understood */
	assert_int_equal(PARSE("6746  execve(\"/x\", [], NULL <pid changed to ...>", &l), -1);
	strace_line_clear(&l);
	assert_int_equal(PARSE("6746  execve(\"/x\", [], NULL <pid changed to 0 ...>", &l), -1);
	strace_line_clear(&l);
	assert_int_equal(PARSE("6746  execve(\"/x\", [], NULL <pid changed to 99999999999 ...>", &l), -1);
	strace_line_clear(&l);
	strace_joiner_free(j);
}

static void test_real_signals_and_exits(void **state)
{
	struct strace_line l;
	assert_int_equal(PARSE("8775  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=8776, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---", &l), 0);
	assert_int_equal(l.kind, STRACE_SIGNAL);
	assert_int_equal(l.pid, 8775);
	assert_string_equal(l.signal, "SIGCHLD");
	assert_null(l.syscall);
	strace_line_clear(&l);
	assert_int_equal(PARSE("8942  +++ killed by SIGKILL +++", &l), 0);
	assert_int_equal(l.kind, STRACE_KILLED);
	assert_string_equal(l.signal, "SIGKILL");
	strace_line_clear(&l);
	assert_int_equal(PARSE("8943  +++ killed by SIGSEGV (core dumped) +++", &l), 0);
	assert_string_equal(l.signal, "SIGSEGV");
	strace_line_clear(&l);
	assert_int_equal(PARSE("12 +++ exited with 3 +++", &l), 0);
	assert_int_equal(l.kind, STRACE_EXITED);
	assert_int_equal(l.pid, 12);
	assert_int_equal(l.exit_status, 3);
	strace_line_clear(&l);
	assert_int_equal(PARSE("+++ exited with 0 +++", &l), 0);
	assert_int_equal(l.kind, STRACE_EXITED);
	assert_int_equal(l.pid, 0);
	strace_line_clear(&l);
	assert_int_equal(PARSE("strace: Process 1234 attached", &l), -1);
	assert_int_equal(l.kind, STRACE_OTHER);
	strace_line_clear(&l);
	assert_int_equal(PARSE("[pid  4321] openat(AT_FDCWD, \"/x\", O_RDONLY) = 3", &l), 0);
	assert_int_equal(l.pid, 4321);
	assert_string_equal(l.args[1].str, "/x");
	strace_line_clear(&l);
	/* pid namespace comment after the return value */
	assert_int_equal(PARSE("900 clone3({flags=CLONE_VM, exit_signal=0}, 88) = 2 /* 8843 in strace's PID NS */", &l), 0);
	assert_int_equal(l.ret, 2);
	strace_line_clear(&l);
}

static void test_real_truncation_and_annotations(void **state)
{
	struct strace_line l;
	/* strace -s 10 */
	assert_int_equal(PARSE("8975  write(1</dev/null<char 1:3>>, \"0123456789\"..., 21) = 21", &l), 0);
	assert_string_equal(l.args[0].fd_path, "/dev/null");
	assert_string_equal(l.args[1].str, "0123456789");
	assert_true(l.args[1].truncated);
	assert_string_equal(l.args[1].raw, "\"0123456789\"...");
	strace_line_clear(&l);
	assert_int_equal(PARSE("8976  execve(\"/bin/true\", [\"/bin/true\", \"0123456789\"...], 0x558aa916eac0 /* 37 vars */) = 0", &l), 0);
	struct strvec argv = STRVEC_INIT;
	bool trunc = false;
	assert_int_equal(strace_arg_strings(&l.args[1], &argv, &trunc), 0);
	assert_true(trunc);
	assert_int_equal(argv.nr, 2);
	assert_string_equal(argv.v[1], "0123456789");
	strvec_clear(&argv);
	strace_line_clear(&l);
	/* '<' and '>' in file names are \74 and \76 inside annotations */
	assert_int_equal(PARSE("8942  openat(AT_FDCWD</tmp/rt>, \"/tmp/rt/w_x>, 5\", O_WRONLY|O_CREAT|O_CLOEXEC, 0600) = 3</tmp/rt/w_x\\76, 5>", &l), 0);
	assert_int_equal(l.nr_args, 4);
	assert_string_equal(l.args[1].str, "/tmp/rt/w_x>, 5");
	assert_string_equal(l.ret_fd_path, "/tmp/rt/w_x>, 5");
	strace_line_clear(&l);
	assert_int_equal(PARSE("8942  newfstatat(3</tmp/rt/w_a\\74b>, \"\", {st_mode=S_IFREG|0600, st_size=0, ...}, AT_EMPTY_PATH) = 0", &l), 0);
	assert_int_equal(l.nr_args, 4);
	assert_string_equal(l.args[0].fd_path, "/tmp/rt/w_a<b");
	assert_string_equal(l.args[1].str, "");
	assert_string_equal(l.args[2].raw, "{st_mode=S_IFREG|0600, st_size=0, ...}");
	strace_line_clear(&l);
	/* \0011: octal 001 then the digit 1 */
	assert_int_equal(PARSE("8942  openat(AT_FDCWD</tmp/rt>, \"/tmp/rt/w_dig\\0011\", O_WRONLY|O_CREAT|O_CLOEXEC, 0600) = 3</tmp/rt/w_dig\\0011>", &l), 0);
	assert_int_equal(l.args[1].str_len, 15);
	assert_memory_equal(l.args[1].str, "/tmp/rt/w_dig\x01" "1", 15);
	strace_line_clear(&l);
}

/* Real lines of strace 6.1 run as the monitor runs it (-f --seccomp-bpf -q
 * -yy --decode-pids=pidns -s 4096 -e signal=none --trace=<monitor's set>) on
 * a Python script that names files, sockets and argv like an attacker
 * would. */
static void test_real_hostile_run(void **state)
{
	struct strace_line l;
	char *peer = NULL;

	/* a file name that spells ", 5) = 3": inside the fd annotation too */
	assert_int_equal(PARSE("25161 newfstatat(3</tmp/rules-work/tmppmn9s3_z/x, 5) = 3>, \"\", {st_mode=S_IFREG|0644, st_size=0, ...}, AT_EMPTY_PATH) = 0", &l), 0);
	assert_int_equal(l.nr_args, 4);
	assert_string_equal(l.args[0].fd_path, "/tmp/rules-work/tmppmn9s3_z/x, 5) = 3");
	assert_string_equal(l.args[1].str, "");
	assert_string_equal(l.args[3].raw, "AT_EMPTY_PATH");
	assert_int_equal(l.ret, 0);
	strace_line_clear(&l);

	/* a file named "AT_FDCWD<x>" */
	assert_int_equal(PARSE("25161 openat(AT_FDCWD</tmp/rules-work>, \"/tmp/rules-work/tmppmn9s3_z/AT_FDCWD<x>\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 3</tmp/rules-work/tmppmn9s3_z/AT_FDCWD\\74x\\76>", &l), 0);
	assert_int_equal(l.nr_args, 4);
	assert_string_equal(l.args[0].fd_path, "/tmp/rules-work");
	assert_string_equal(l.args[1].str, "/tmp/rules-work/tmppmn9s3_z/AT_FDCWD<x>");
	assert_string_equal(l.ret_fd_path, "/tmp/rules-work/tmppmn9s3_z/AT_FDCWD<x>");
	strace_line_clear(&l);

	/* symlink and readlink with two decoded strings each */
	assert_int_equal(PARSE("25161 readlink(\"/tmp/rules-work/tmppmn9s3_z/we\\\"ird\\nname\\1\\303\\2774\", \"/tmp/rules-work/tmppmn9s3_z/we\\\"ird\\nname\\1\\303\\2772\", 4096) = 43", &l), 0);
	assert_int_equal(l.nr_args, 3);
	assert_string_equal(l.args[0].str, "/tmp/rules-work/tmppmn9s3_z/we\"ird\nname\x01\xc3\xbf" "4");
	assert_string_equal(l.args[1].str, "/tmp/rules-work/tmppmn9s3_z/we\"ird\nname\x01\xc3\xbf" "2");
	assert_int_equal(l.ret, 43);
	strace_line_clear(&l);
	assert_int_equal(PARSE("25161 mkdir(\"/tmp/rules-work/tmppmn9s3_z/dir\\\"<>\", 0777) = 0", &l), 0);
	assert_string_equal(l.args[0].str, "/tmp/rules-work/tmppmn9s3_z/dir\"<>");
	assert_string_equal(l.args[1].raw, "0777");
	strace_line_clear(&l);

	/* unix peers with quotes in their names */
	assert_int_equal(PARSE("25161 sendto(3<UNIX:[202300]>, \"x\\0\\\"y\", 4, 0, {sa_family=AF_UNIX, sun_path=\"/tmp/rules-work/no\\\"sock\"}, 26) = -1 ENOENT (No such file or directory)", &l), 0);
	assert_int_equal(l.nr_args, 6);
	assert_int_equal(l.args[1].str_len, 4);
	assert_memory_equal(l.args[1].str, "x\0\"y", 4);
	assert_int_equal(strace_sockaddr_peer(l.args[4].raw, &peer), 0);
	assert_string_equal(peer, "/tmp/rules-work/no\"sock");
	free(peer);
	strace_line_clear(&l);
	assert_int_equal(PARSE("25161 connect(3<UNIX:[202300]>, {sa_family=AF_UNIX, sun_path=@\"abstract\\\"x\"}, 13) = -1 ECONNREFUSED (Connection refused)", &l), 0);
	assert_int_equal(strace_sockaddr_peer(l.args[1].raw, &peer), 0);
	assert_string_equal(peer, "@abstract\"x");
	free(peer);
	strace_line_clear(&l);

	/* sendto whose data spells a sockaddr: the peer is the real one (the
	 * recorded 4096-byte data is shortened here) */
	assert_int_equal(PARSE("25161 sendto(4<UDP:[202303]>, \"{sa_family=AF_INET, sin_port=htons(1)}{sa_family=AF_INET, sin_port=htons(1)}\"..., 7600, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"127.0.0.3\")}, 16) = 7600", &l), 0);
	assert_int_equal(l.nr_args, 6);
	assert_true(l.args[1].truncated);
	assert_int_equal(strace_sockaddr_peer(l.args[1].raw, &peer), -1);
	assert_int_equal(strace_sockaddr_peer(l.args[4].raw, &peer), 0);
	assert_string_equal(peer, "127.0.0.3:53");
	free(peer);
	strace_line_clear(&l);

	/* sendmsg with a 4 KiB+ iov cut by -s 4096 */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "25161 sendmsg(4<UDP:[0.0.0.0:43933]>, {msg_name={sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"127.0.0.4\")}, msg_namelen=16, msg_iov=[{iov_base=\"");
	for (int i = 0; i < 4096; i++)
		strbuf_addch(&sb, 'q');
	strbuf_addstr(&sb, "\"..., iov_len=5000}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 5000");
	assert_int_equal(parse(sb.buf, sb.len, &l), 0);
	assert_int_equal(l.nr_args, 3);
	assert_string_equal(l.args[0].fd_path, "UDP:[0.0.0.0:43933]");
	assert_int_equal(strace_sockaddr_peer(l.args[1].raw, &peer), 0);
	assert_string_equal(peer, "127.0.0.4:53");
	free(peer);
	assert_int_equal(l.ret, 5000);
	strace_line_clear(&l);
	strbuf_release(&sb);

	/* memfd with a quote in its name, then exec of it, joined */
	assert_int_equal(PARSE("25161 memfd_create(\"m\\\"x\", MFD_CLOEXEC) = 5</memfd:m\\\"x>(deleted)", &l), 0);
	assert_string_equal(l.args[0].str, "m\"x");
	assert_string_equal(l.ret_fd_path, "/memfd:m\"x");
	strace_line_clear(&l);
	struct strace_joiner *j = strace_joiner_new();
	const char *a = "25267 execve(\"/proc/self/fd/5\", [\"/proc/self/fd/5\"], 0x7fffff7febe0 /* 40 vars */ <unfinished ...>";
	const char *b = "25267 <... execve resumed>)             = 0";
	assert_int_equal(strace_joiner_feed(j, a, strlen(a), &l), 0);
	assert_int_equal(strace_joiner_feed(j, b, strlen(b), &l), 1);
	assert_int_equal(l.kind, STRACE_SYSCALL);
	assert_int_equal(l.pid, 25267);
	assert_string_equal(l.args[0].str, "/proc/self/fd/5");
	assert_string_equal(l.args[2].raw, "0x7fffff7febe0 /* 40 vars */");
	assert_int_equal(l.ret, 0);
	strace_line_clear(&l);

	/* an argv string of 6000 bytes (cut at 4096) and one of "\n\"\\" */
	strbuf_addstr(&sb, "25274 execve(\"/bin/true\", [\"/bin/true\", \"");
	for (int i = 0; i < 4096; i++)
		strbuf_addch(&sb, 'x');
	strbuf_addstr(&sb, "\"..., \"\\n\\\"\\\\\"], 0x7fffff7febe0 /* 40 vars */ <unfinished ...>");
	assert_int_equal(strace_joiner_feed(j, sb.buf, sb.len, &l), 0);
	const char *c = "25274 <... execve resumed>)             = 0";
	assert_int_equal(strace_joiner_feed(j, c, strlen(c), &l), 1);
	struct strvec argv = STRVEC_INIT;
	bool trunc = false;
	assert_int_equal(strace_arg_strings(&l.args[1], &argv, &trunc), 0);
	assert_true(trunc);
	assert_int_equal(argv.nr, 3);
	assert_int_equal(strlen(argv.v[1]), 4096);
	assert_string_equal(argv.v[2], "\n\"\\");
	strvec_clear(&argv);
	strace_line_clear(&l);
	strbuf_release(&sb);
	strace_joiner_free(j);
}

static void test_escapes(void **state)
{
	struct strace_line l;
	assert_int_equal(PARSE("1 write(1, \"\\t\\n\\v\\f\\r\\\"\\\\\\x41\\x4a\\101\\0\\377z\", 13) = 13", &l), 0);
	const char want[] = "\t\n\v\f\r\"\\AJA\0\377z";
	assert_int_equal(l.args[1].str_len, sizeof(want) - 1);
	assert_memory_equal(l.args[1].str, want, sizeof(want) - 1);
	strace_line_clear(&l);
}

static void test_open_access(void **state)
{
	assert_int_equal(strace_open_access("O_RDONLY|O_CLOEXEC"), STRACE_ACCESS_READ);
	assert_int_equal(strace_open_access("O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY"), STRACE_ACCESS_READ);
	assert_int_equal(strace_open_access("O_WRONLY|O_CREAT|O_TRUNC"), STRACE_ACCESS_WRITE);
	assert_int_equal(strace_open_access("O_RDWR"), STRACE_ACCESS_READ | STRACE_ACCESS_WRITE);
	assert_int_equal(strace_open_access("O_RDONLY|O_CREAT"), STRACE_ACCESS_READ | STRACE_ACCESS_WRITE);
	assert_int_equal(strace_open_access("O_WRONLY|O_APPEND"), STRACE_ACCESS_WRITE);
	assert_int_equal(strace_open_access("O_PATH|O_CLOEXEC"), 0);
	assert_int_equal(strace_open_access("{flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}"), STRACE_ACCESS_READ);
	assert_int_equal(strace_open_access("{flags=O_RDWR|O_TMPFILE, mode=0600}"), STRACE_ACCESS_READ | STRACE_ACCESS_WRITE);
	assert_int_equal(strace_open_access("0x200000"), STRACE_ACCESS_READ | STRACE_ACCESS_WRITE);
	/* a token that merely contains the name is not the flag */
	assert_int_equal(strace_open_access("O_RDONLY|O_CREATX"), STRACE_ACCESS_READ);
}

static void test_hostile_lines(void **state)
{
	struct strace_line l;
	/* a file name that spells the end of the call and an unfinished marker */
	const char *fake = "1 openat(AT_FDCWD</>, \"/x\\\", 1) = 0 <unfinished ...>\", O_RDONLY) = 3</x\\\", 1) = 0 \\74unfinished ...\\76>";
	assert_int_equal(PARSE(fake, &l), 0);
	assert_int_equal(l.kind, STRACE_SYSCALL);
	assert_int_equal(l.nr_args, 3);
	assert_string_equal(l.args[1].str, "/x\", 1) = 0 <unfinished ...>");
	assert_string_equal(l.args[2].raw, "O_RDONLY");
	assert_int_equal(l.ret, 3);
	assert_string_equal(l.ret_fd_path, "/x\", 1) = 0 <unfinished ...>");
	strace_line_clear(&l);

	/* a 5000-byte name (paths are not cut by -s) and invalid UTF-8 */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "77 openat(AT_FDCWD</h>, \"/tmp/");
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&sb, 'A');
	strbuf_addstr(&sb, "\\377\\376\xff\xfe\", O_RDONLY) = -1 ENOENT (No such file or directory)");
	assert_int_equal(parse(sb.buf, sb.len, &l), 0);
	assert_int_equal(l.args[1].str_len, 5 + 5000 + 4);
	assert_int_equal((unsigned char)l.args[1].str[5005], 0xff);
	assert_int_equal((unsigned char)l.args[1].str[5008], 0xfe);
	strace_line_clear(&l);

	/* every prefix of a real line: cut lines never crash; each is either
	 * understood or STRACE_OTHER with the pid */
	for (size_t n = 0; n <= sb.len; n += (n < 64 ? 1 : 97)) {
		int r = parse(sb.buf, n, &l);
		assert_true(r == 0 || (r == -1 && l.kind == STRACE_OTHER));
		if (r == -1 && n > 3)
			assert_int_equal(l.pid, 77);
		strace_line_clear(&l);
	}
	strbuf_release(&sb);

	/* a cut line in the middle of a string */
	assert_int_equal(PARSE("5 openat(AT_FDCWD</tmp>, \"/home/u/.ss", &l), -1);
	assert_int_equal(l.kind, STRACE_OTHER);
	assert_int_equal(l.pid, 5);
	assert_null(l.syscall);
	strace_line_clear(&l);

	static const char *junk[] = {
		"", "1", "1 ", "(", ")", "1 x(", "1 x() =", "1 x() = ", "1 x() = abc",
		"1 x(\"\\", "1 x(\"\\x", "1 x(3<", "1 x(3</a\\", "1 x(3<TCP:[1->", "1 x(/*",
		"<... ", "<... x resumed", "--- ", "+++ ", "+++ exited with ", "+++ killed by ",
		"99999999999999999999999 x() = 99999999999999999999999999",
		"1 x() = -99999999999999999999999", "1 x() = 0x", "1 x() = 3<",
		"1 x([[[[[[[[[[{{{{{{{(((((((", "1 x(]]]]]}}}}))))) = 0",
		"\xff\xfe\xfd", "1 x(\"\xff\") = 0",
	};
	for (size_t i = 0; i < ARRAY_SIZE(junk); i++) {
		int r = PARSE(junk[i], &l);
		assert_true(r == 0 || l.kind == STRACE_OTHER);
		strace_line_clear(&l);
	}
	/* bytes after a NUL inside len are still bounded by len */
	assert_int_equal(parse("1 x(\"a\0b\") = 0", 14, &l), 0);
	assert_int_equal(l.args[0].str_len, 3);
	strace_line_clear(&l);
}

/* Deterministic mutations of real lines (no time involved): flips, cuts,
 * inserted quotes/backslashes/brackets; each parse on an exact-size copy. */
static void test_mutations(void **state)
{
	static const char *seeds[] = {
		"8908  openat(AT_FDCWD</tmp/rt>, \"/tmp/rt/we\\\"ird\\nname\\1\\303\\277\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 11</tmp/rt/we\\\"ird\\nname\\1\\303\\277>",
		"8908  connect(4<TCPv6:[33124]>, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)",
		"8776  execve(\"/usr/bin/ls\", [\"ls\", \"/etc\"], 0x55c8b1b5ff30 /* 37 vars */ <unfinished ...>",
		"8975  write(1</dev/null<char 1:3>>, \"0123456789\"..., 21) = 21",
		"8908  sendto(8<TCP:[127.0.0.1:60622->127.0.0.1:35885]>, \"hi\", 2, 0, NULL, 0) = 2",
		"8733  <... rt_sigprocmask resumed>NULL, 8) = 0",
	};
	static const char inject[] = "\"\\<>[](){},. =0x7-E\n\xff";
	unsigned long long x = 88172645463325252ULL;
	struct strace_joiner *j = strace_joiner_new();
	char buf[512];
	for (int it = 0; it < 20000; it++) {
		const char *s = seeds[it % ARRAY_SIZE(seeds)];
		size_t n = strlen(s);
		memcpy(buf, s, n);
		for (int k = 0; k < 1 + it % 4; k++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			size_t pos = (size_t)(x % n);
			buf[pos] = inject[(x >> 20) % (sizeof(inject) - 1)];
		}
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		size_t len = (x >> 33) % 8 == 0 ? (size_t)(x % (n + 1)) : n;
		struct strace_line l;
		parse(buf, len, &l);
		for (size_t a = 0; a < l.nr_args; a++) {
			char *peer = NULL;
			struct strvec sv = STRVEC_INIT;
			if (strace_sockaddr_peer(l.args[a].raw, &peer) == 0)
				free(peer);
			if (strace_fd_peer(l.args[a].fd_path, &peer) == 0)
				free(peer);
			strace_arg_strings(&l.args[a], &sv, NULL);
			strvec_clear(&sv);
			strace_open_access(l.args[a].raw);
		}
		strace_line_clear(&l);
		char *copy = xmalloc(len ? len : 1);
		memcpy(copy, buf, len);
		if (strace_joiner_feed(j, copy, len, &l))
			strace_line_clear(&l);
		free(copy);
	}
	strace_joiner_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_openat_weird_name),
		cmocka_unit_test(test_real_enoent_and_unknown_ret),
		cmocka_unit_test(test_real_sockets),
		cmocka_unit_test(test_real_unfinished_resumed),
		cmocka_unit_test(test_real_thread_execve),
		cmocka_unit_test(test_real_signals_and_exits),
		cmocka_unit_test(test_real_truncation_and_annotations),
		cmocka_unit_test(test_real_hostile_run),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_open_access),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
