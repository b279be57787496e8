/* input.c - STUB until the input issue lands: see input.h. */
#include "input.h"

int input_load(struct input *in, const struct options *opts)
{
	(void)in;
	(void)opts;
	warnx("reading input: not implemented yet");
	return 0;
}

void input_write_requirements(const struct input *in, struct strbuf *reqs,
			      struct strbuf *constraints_out)
{
	(void)in;
	(void)reqs;
	(void)constraints_out;
}
