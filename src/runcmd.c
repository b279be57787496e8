/* runcmd.c - see runcmd.h. */
#define _GNU_SOURCE
#include "runcmd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
}

int run_capture(const char *const *argv, struct strbuf *out,
		struct strbuf *err, size_t max_bytes)
{
	int po[2] = {-1, -1}, pe[2] = {-1, -1}, px[2] = {-1, -1};
	if (!max_bytes)
		max_bytes = 64u << 20;
	if (pipe2(po, O_CLOEXEC) < 0 || (err && pipe2(pe, O_CLOEXEC) < 0) ||
	    pipe2(px, O_CLOEXEC) < 0) {
		int e = errno;
		close_pair(po), close_pair(pe), close_pair(px);
		errno = e;
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close_pair(po), close_pair(pe), close_pair(px);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(po[1], STDOUT_FILENO);
		if (err)
			dup2(pe[1], STDERR_FILENO);
		setpgid(0, 0); /* its own group: a cap kills its children too */
		execvp(argv[0], (char *const *)argv);
		/* Tell the parent why exec failed through the CLOEXEC pipe. */
		int e = errno;
		ssize_t w = write(px[1], &e, sizeof e);
		(void)w;
		_exit(127);
	}
	close(po[1]), po[1] = -1;
	close(pe[1]), pe[1] = -1;
	close(px[1]), px[1] = -1;

	int exec_errno = 0;
	ssize_t n = read(px[0], &exec_errno, sizeof exec_errno);
	close(px[0]);
	bool too_big = false;
	struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	struct strbuf *dst[2] = {out, err};
	struct strbuf discard = STRBUF_INIT;
	size_t got[2] = {0, 0};
	int open_fds = err ? 2 : 1;
	if (!err)
		fds[1].fd = -1;
	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			char buf[8192];
			ssize_t r = read(fds[i].fd, buf, sizeof buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			got[i] += (size_t)r;
			if (got[i] > max_bytes) {
				too_big = true;
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			strbuf_add(dst[i] ? dst[i] : &discard, buf, (size_t)r);
			strbuf_reset(&discard);
		}
	}
	strbuf_release(&discard);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof exec_errno) {
		errno = exec_errno;
		return -1;
	}
	if (too_big) {
		errno = EFBIG;
		return -1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
