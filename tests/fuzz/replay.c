/*
 * replay.c - a main() for the fuzz targets without libFuzzer: runs
 * LLVMFuzzerTestOneInput() once on every file named on the command line,
 * and on every regular file inside each folder named (not recursive, in
 * name order), so gcc builds (plain and ASan/UBSan) replay the seed corpus
 * and the crash regressions in `make check`.
 *
 *   replay_<target> tests/fuzz/corpus/<target> tests/fuzz/regressions/<target>
 *
 * Prints "replay: N inputs" and exits 0; a crash or a sanitizer report
 * ends it non-zero (the name of the input is printed before it runs).
 * A folder that does not exist is skipped (a target may have no
 * regressions yet); a file that cannot be read is an error (exit 66).
 */
#include "fuzz.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

static int run_file(const char *path, long *count)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path, 0) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		strbuf_release(&sb);
		return -1;
	}
	/* Named first, so a crash report can be traced to its input. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, sb.len);
	/* An exact-size copy: ASan sees reads past the input's end. */
	uint8_t *exact = xmalloc(sb.len ? sb.len : 1);
	memcpy(exact, sb.buf, sb.len);
	LLVMFuzzerTestOneInput(exact, sb.len);
	free(exact);
	strbuf_release(&sb);
	(*count)++;
	return 0;
}

static int run_dir(const char *dir, long *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	struct strvec names = STRVEC_INIT;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			strvec_push(&names, e->d_name);
	closedir(d);
	strvec_sort(&names);
	int rc = 0;
	for (size_t i = 0; i < names.nr; i++) {
		char *path = xasprintf("%s/%s", dir, names.v[i]);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(path, count) < 0)
			rc = -1;
		free(path);
	}
	strvec_clear(&names);
	return rc;
}

int main(int argc, char **argv)
{
	long count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count) < 0)
				rc = 66;
		} else if (stat(argv[i], &st) < 0 && errno == ENOENT) {
			continue;
		} else if (run_file(argv[i], &count) < 0) {
			rc = 66;
		}
	}
	printf("replay: %ld inputs\n", count);
	return rc;
}
