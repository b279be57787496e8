/*
 * fuzz.h - shared helpers of the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Each target defines LLVMFuzzerTestOneInput(data, size), the libFuzzer
 * entry point: built with clang -fsanitize=fuzzer by scripts/fuzz.sh, or
 * with replay.c's main() by the Makefile so `make check` replays the seed
 * corpus and the crash regressions under gcc's sanitizers.
 */
#ifndef PIPCANARY_FUZZ_H
#define PIPCANARY_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (stops at the first NUL, as every
 * C-string API would); caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Splits the input at its first '\n' into two NUL-terminated strings (the
 * second "" when there is no '\n'); caller frees both. */
static inline void fuzz_split(const uint8_t *data, size_t size, char **a,
			      char **b)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	*a = fuzz_cstr(data, n);
	*b = nl ? fuzz_cstr(nl + 1, size - n - 1) : fuzz_cstr(data, 0);
}

#endif
