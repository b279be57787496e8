/*
 * strace.h - parses lines of strace output (strace 6.x).
 *
 * Lines are untrusted (attacker-chosen file names). We run strace as:
 *   strace -f --seccomp-bpf -qq -yy -s 4096 -e trace=<list> -o <fifo or fd>
 * so each line starts with the pid:
 *   1234 openat(AT_FDCWD</home/u>, "/x", O_RDONLY) = 3</x>
 *
 * The grammar followed is what strace(1) prints (strace 6.1, src/util.c
 * print_quoted_string, printfd with -yy, syscall.c's return printing):
 * quoted strings with \t \n \v \f \r \" \\ \ooo \xHH escapes, "..." after a
 * string cut by -s, fd annotations N<path>, struct args {k=v, ...}, arrays
 * [...], flags A|B, and "= ret [ERRNO (text)]" / "= ?".
 */
#ifndef PIPCANARY_STRACE_H
#define PIPCANARY_STRACE_H

#include <stdbool.h>
#include <stddef.h>

enum strace_kind {
	STRACE_SYSCALL,    /* complete: name(args) = ret */
	STRACE_UNFINISHED, /* name(args <unfinished ...>, or a thread's execve: name(args <pid changed to LEADER ...> */
	STRACE_RESUMED,    /* <... name resumed> args) = ret */
	STRACE_SIGNAL,     /* --- SIGCHLD {...} --- */
	STRACE_EXITED,     /* +++ exited with N +++ */
	STRACE_KILLED,     /* +++ killed by SIGKILL +++ */
	STRACE_OTHER,      /* anything else strace prints ("strace: ...") */
};
struct strace_arg {
	char *raw;        /* the argument's text as printed */
	char *str;        /* decoded C string for "..." args (escapes \n \x41 \123 \" \\), else NULL */
	size_t str_len;   /* bytes in str (may contain NUL) */
	bool truncated;   /* string ended with ... (longer than -s) */
	char *fd_path;    /* -y annotation: 3</etc/passwd> -> "/etc/passwd"; AT_FDCWD</cwd> -> "/cwd"; socket peers: "TCP:[127.0.0.1:40000->127.0.0.2:9]" kept as text */
};
struct strace_line {
	enum strace_kind kind;
	int pid;
	char *syscall;            /* "openat"; NULL for signal/exit lines */
	struct strace_arg *args;  size_t nr_args;
	bool has_ret;  long long ret;  char *ret_fd_path;  /* "= 3</x>" -> "/x" */
	char *err;                /* "ENOENT" when ret == -1, else NULL */
	int exit_status;          /* STRACE_EXITED */
	char *signal;             /* STRACE_SIGNAL / STRACE_KILLED: "SIGKILL" */
};
/* Parses one line (without its '\n'). Returns 0, or -1 when the line is not
 * understood (out is then STRACE_OTHER with pid if it had one). Never reads
 * past len; never crashes on any bytes. */
int strace_parse_line(const char *line, size_t len, struct strace_line *out);
void strace_line_clear(struct strace_line *l);

/* Joins "<unfinished ...>" with its "<... resumed>" per pid. */
struct strace_joiner;
struct strace_joiner *strace_joiner_new(void);
void strace_joiner_free(struct strace_joiner *j);
/* Feeds a line; returns 1 and fills *out with a complete STRACE_SYSCALL
 * (args of both halves) when one is ready, 0 when the line was absorbed
 * (an unfinished half), and passes other kinds through as 1. A thread's
 * execve ("T execve(... <pid changed to L ...>" then "L <... execve
 * resumed>") comes out complete with pid L, the thread group leader that
 * now runs the new program. */
int strace_joiner_feed(struct strace_joiner *j, const char *line, size_t len, struct strace_line *out);

/* ---- helpers for the monitor (additions to the agreed API) ---- */
struct strvec; /* util.h */

/* What an open flags argument allows: STRACE_ACCESS_READ and/or
 * STRACE_ACCESS_WRITE. Takes the flags text of open/openat ("O_RDONLY|
 * O_CLOEXEC") or the struct of openat2 ("{flags=O_RDWR|O_CREAT, ...}").
 * O_WRONLY/O_RDWR/O_CREAT/O_TRUNC/O_APPEND/O_TMPFILE mean write, no O_WRONLY
 * means read (O_RDONLY is 0), O_PATH alone means neither (a probe: returns
 * 0). Flags printed as a bare number (unknown bits) count as both. NULL ->
 * read. */
enum { STRACE_ACCESS_READ = 1, STRACE_ACCESS_WRITE = 2 };
int strace_open_access(const char *flags);

/* The peer of a sockaddr argument of connect/sendto/bind/sendmsg (raw text
 * as printed; for sendmsg the msg_name inside the msghdr is found):
 *   {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("1.2.3.4")}
 *       -> "1.2.3.4:9"
 *   AF_INET6 (inet_pton(AF_INET6, "::1", ...)) -> "[::1]:9"
 *   AF_UNIX sun_path="/run/x.sock" -> "/run/x.sock"; abstract @"x" -> "@x"
 *   any other family -> its name ("AF_NETLINK"): not a network address.
 * Returns 0 with *out (caller frees), or -1 (no sockaddr, e.g. NULL). Keys
 * inside quoted strings (attacker data) are never taken for fields. */
int strace_sockaddr_peer(const char *raw, char **out);

/* The remote end of a connected socket from its -yy annotation
 * ("TCP:[127.0.0.1:40000->127.0.0.2:9]" -> "127.0.0.2:9",
 * "TCPv6:[[::1]:40000->[::1]:9]" -> "[::1]:9"). Returns 0 with *out
 * (caller frees) or -1 when the annotation names no peer. */
int strace_fd_peer(const char *fd_path, char **out);

/* Decodes an array of strings argument (execve's argv: ["sh", "-c", "x"])
 * appending each decoded string to out. *truncated (may be NULL) is set when
 * strace cut a string or the array ("..."). Returns 0, or -1 when the arg is
 * not such an array (e.g. an address 0x7ffd...); what was appended stays. */
int strace_arg_strings(const struct strace_arg *a, struct strvec *out,
		       bool *truncated);

#endif
