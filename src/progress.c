/* progress.c - see progress.h. */
#include "progress.h"

#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <unistd.h>

static bool enabled;
static bool shown;
/* A private copy of the terminal: the scan points fd 2 elsewhere while the
 * sandbox runs, and the status line must still reach the user. */
static FILE *term;

void progress_enable(bool on)
{
	enabled = false;
	if (!on)
		return;
	if (!term) {
		int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (fd < 0 || !(term = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			return;
		}
	}
	enabled = true;
}

bool progress_enabled(void)
{
	return enabled;
}

static size_t columns(void)
{
	struct winsize ws;
	if (ioctl(fileno(term), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col;
	return 80;
}

void progress_set(const char *fmt, ...)
{
	if (!enabled)
		return;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s: ", prog_name);
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	/* One line only: never wrap, never let a package name add lines. */
	for (size_t i = 0; i < sb.len; i++)
		if ((unsigned char)sb.buf[i] < 0x20)
			sb.buf[i] = ' ';
	size_t max = columns() - 1;
	if (sb.len > max)
		strbuf_setlen(&sb, max);
	fprintf(term, "\r%s\033[K", sb.buf);
	fflush(term);
	shown = true;
	strbuf_release(&sb);
}

void progress_clear(void)
{
	if (!enabled || !shown)
		return;
	fputs("\r\033[K", term);
	fflush(term);
	shown = false;
}
