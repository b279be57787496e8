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

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

static int run_file(const char *path, long *count)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t alloc = 4096, len = 0, n;
	uint8_t *buf = malloc(alloc);
	if (!buf)
		abort();
	while ((n = fread(buf + len, 1, alloc - len, f)) > 0) {
		len += n;
		if (len == alloc && !(buf = realloc(buf, alloc *= 2)))
			abort();
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(buf);
		return -1;
	}
	/* Named first, so a crash report can be traced to its input. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	/* An exact-size copy: ASan sees reads past the input's end. */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	(*count)++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, long *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	char **names = NULL;
	size_t nr = 0, alloc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (nr == alloc &&
		    !(names = realloc(names, (alloc = alloc ? alloc * 2 : 64) *
						     sizeof(*names))))
			abort();
		if (!(names[nr++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), cmp);
	int rc = 0;
	for (size_t i = 0; i < nr; i++) {
		size_t n = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(n);
		if (!path)
			abort();
		snprintf(path, n, "%s/%s", dir, names[i]);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(path, count) < 0)
			rc = -1;
		free(path);
		free(names[i]);
	}
	free(names);
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
