/*
 * lockfile.h - the hash-locked requirements file (-l FILE).
 *
 * Format (brief §Locked requirements file, issue 8), pip's requirements
 * file syntax so that `pip install --require-hashes --no-deps -r FILE`
 * installs exactly what was scanned:
 *
 *   # header: what made it, from which input files, for which Python and
 *   # platform, which hashes, how to install it, and the audit's warnings
 *   black==26.3.1 \
 *      --hash=sha256:86a8b50... \
 *      --hash=sha256:5602bdb...
 *   click==8.1.7 ; python_version >= "3.8" \
 *      --hash=sha256:...
 *      # via black
 *
 * - One entry per scanned distribution (struct dist), sorted by normalised
 *   name (strcmp order).
 * - The name is as written in the user's file for requested distributions
 *   (the first requested requirement of that name), the normalised name for
 *   the rest; extras are left out (their dependencies are entries of their
 *   own, as pip-compile --strip-extras does).
 * - The markers of the input are kept: "name==version ; marker". When the
 *   project is requested on several lines, the markers are joined with
 *   "or" (any line without a marker means no marker).
 * - "name @ url" requirements stay direct references ("name @ url") with
 *   the scanned artifact's hash only; VCS URLs cannot be hash-locked (pip
 *   cannot hash a repository) and are an error.
 * - Hashes: with --lock-hashes all (default) and an audit, every sha256 of
 *   the release's files in the JSON API's order (urls[]), duplicates
 *   dropped; the scanned artifact's hash must be among them. A release the
 *   API does not know (404: a private package) gets the scanned hash only,
 *   with a header note. With --lock-hashes scanned or no audit (NULL): the
 *   scanned artifact's hash only.
 * - Distributions the user did not request get "   # via a, b" after their
 *   hashes (dist.required_by, shown as their lock names).
 */
#ifndef PIPCANARY_LOCKFILE_H
#define PIPCANARY_LOCKFILE_H

#include "model.h"
#include "options.h"

/*
 * Writes opts->lock_file atomically (write_file_atomic, mode 0666 & ~umask):
 * every scanned distribution pinned (name==version) with --hash=sha256:
 * lines, sorted by normalised name. audit may be NULL (--no-audit): then
 * only the scanned artifact's hash.
 * Returns 0, or -1 after printing one line on stderr (the scanned artifact's
 * hash missing from the API's list or unknown, no API answer for a
 * release, a VCS requirement, a write error); nothing is written then.
 */
int lockfile_write(const struct options *opts, const struct input *in,
		   const struct scan_result *scan,
		   const struct audit_result *audit);

/*
 * The same lock, appended to out instead of written to disk (what
 * lockfile_write writes). Returns 0, or -1 with a one-line message (no
 * "pipcanary:" prefix) in *error, which the caller frees; out then holds a
 * partial text to be thrown away.
 */
int lockfile_render(struct strbuf *out, const struct options *opts,
		    const struct input *in, const struct scan_result *scan,
		    const struct audit_result *audit, char **error);

#endif
