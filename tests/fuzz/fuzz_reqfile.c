/*
 * fuzz_reqfile.c - the requirements-file reader (reqfile.h) on arbitrary
 * bytes: reqfile_decode() (BOM, coding declaration, UTF-8 check), then the
 * whole reader (lines, continuations, comments, ${VAR}, options, hashes,
 * -r/-c includes relative to the file) through reqfile_read() on a file
 * holding the input, and requirement_parse() on its first line.
 *
 * The file lives in a private temporary folder (includes named by the
 * input resolve there; cycles are the reader's to detect). The Python
 * version is given, so no Python is ever run.
 */
#include "fuzz.h"
#include "model.h"
#include "reqfile.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static char dir[] = "/tmp/pipcanary-fuzz-reqfile-XXXXXX";
static char *path;

static void remove_dir(void)
{
	rm_rf(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path) {
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
		path = xasprintf("%s/requirements.txt", dir);
	}

	struct strbuf out = STRBUF_INIT;
	char *err = NULL;
	reqfile_decode((const char *)data, size, &out, &err);
	strbuf_release(&out);
	free(err);

	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	struct input in = {0};
	struct strvec problems = STRVEC_INIT;
	struct reqfile_env env = {.python = "/nonexistent/python3",
				  .python_full_version = "3.11.2"};
	reqfile_read(&in, path, &env, &problems);
	input_clear(&in);
	strvec_clear(&problems);
	reqfile_env_clear(&env);

	char *line, *rest;
	fuzz_split(data, size, &line, &rest);
	struct requirement r = {0};
	err = NULL;
	if (requirement_parse(&r, line, &err) == 0) {
		struct strbuf sb = STRBUF_INIT;
		requirement_format(&sb, &r);
		strbuf_release(&sb);
	}
	requirement_clear(&r);
	free(err);
	free(line);
	free(rest);
	return 0;
}
