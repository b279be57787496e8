/*
 * testutil.h - what every cmocka unit test includes.
 * Each tests/unit/test_*.c is one binary linked with build/libpipcanary.a.
 */
#ifndef PIPCANARY_TESTUTIL_H
#define PIPCANARY_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes `data` to a new file in a fresh temporary folder; returns its path
 * (caller frees). The folder is removed by rm_tmpdir(). */
static inline char *write_tmp(const char *dir, const char *name,
			      const void *data, size_t len)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	snprintf(path, n, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

#endif
