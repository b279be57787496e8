/* pep503.c - see pep503.h. */
#include "pep503.h"
#include "util.h"

#include <ctype.h>
#include <string.h>

char *pep503_normalise_n(const char *name, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	bool sep = false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (c == '-' || c == '_' || c == '.') {
			sep = true;
			continue;
		}
		if (sep)
			strbuf_addch(&sb, '-');
		sep = false;
		strbuf_addch(&sb, tolower((unsigned char)c));
	}
	if (sep) /* trailing separators are kept as one '-' */
		strbuf_addch(&sb, '-');
	return strbuf_detach(&sb);
}

char *pep503_normalise(const char *name)
{
	return pep503_normalise_n(name, strlen(name));
}

bool pep503_valid(const char *name)
{
	size_t n = strlen(name);
	if (!n)
		return false;
	if (!isalnum((unsigned char)name[0]) ||
	    !isalnum((unsigned char)name[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c >= 0x80 || !(isalnum(c) || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}
