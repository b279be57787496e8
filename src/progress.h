/*
 * progress.h - one status line on stderr while a long step runs.
 *
 * Only when stderr is a terminal and not -q (options.progress): then each
 * progress_set() replaces the line ("\r" + text + erase to end of line) and
 * progress_clear() removes it before anything else is printed. Otherwise
 * every call does nothing, so callers never check. Not thread-safe; not for
 * signal handlers.
 */
#ifndef PIPCANARY_PROGRESS_H
#define PIPCANARY_PROGRESS_H

#include "util.h"

#include <stdbool.h>

/* Turns the status line on or off (off by default). */
void progress_enable(bool on);
bool progress_enabled(void);
/* Shows "pipcanary: <text>", cut to the terminal's width. */
void progress_set(const char *fmt, ...) PC_PRINTF(1, 2);
/* Removes the status line (before printing results or errors). */
void progress_clear(void);

#endif
