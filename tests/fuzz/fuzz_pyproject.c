/*
 * fuzz_pyproject.c - the pyproject conversion's reader of the TOML
 * helper's JSON (pyproject_convert_json(), pyproject.h): arbitrary bytes
 * as the helper's output, arbitrary shapes inside valid JSON (tables that
 * are arrays, numbers for strings, include-group cycles, Poetry tables of
 * any kind). The same bytes serve as the file text used for line numbers.
 * The first byte chooses --all-extras; --extra and --group name fixed
 * lists that the seeds use.
 */
#include "fuzz.h"
#include "model.h"
#include "pyproject.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct strvec extras = STRVEC_INIT, groups = STRVEC_INIT;
	if (!extras.nr) {
		strvec_pushl(&extras, "security", "socks", "test", NULL);
		strvec_pushl(&groups, "dev", "test", "docs", NULL);
	}
	struct pyproject_opts o = {
		.python = "/nonexistent/python3",
		.probe_dir = "/nonexistent",
		.extras = &extras,
		.all_extras = size && (data[0] & 1),
		.groups = &groups,
	};
	char *text = fuzz_cstr(data, size);
	struct input in = {0};
	struct strvec problems = STRVEC_INIT;
	pyproject_convert_json(&in, "pyproject.toml", text, (const char *)data,
			       size, &o, &problems);
	input_clear(&in);
	strvec_clear(&problems);
	free(text);
	return 0;
}
