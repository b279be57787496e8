/*
 * fuzz_pep440.c - PEP 440 versions and specifier sets (pep440.h).
 * Input: "SPECIFIER-SET\nVERSION". Both are parsed; the version is
 * normalised, compared with the specifier text read as a version, and
 * matched against the set with and without pre-releases.
 *
 * Invariants checked (PEP 440 §Normalization): the normalised text of a
 * version parses again to an equal version and normalises to the same
 * text; the text of a parsed specifier set parses again with as many
 * clauses. A broken invariant aborts (a finding for the fuzzer).
 */
#include "fuzz.h"
#include "pep440.h"

#include <stdio.h>

static void check_version(const struct pep440_version *v)
{
	char *norm = pep440_normalised(v);
	struct pep440_version *again = pep440_parse(norm);
	if (!again || pep440_compare(v, again) != 0) {
		fprintf(stderr, "normalised '%s' does not parse back equal\n",
			norm);
		abort();
	}
	char *norm2 = pep440_normalised(again);
	if (strcmp(norm, norm2)) {
		fprintf(stderr, "normalising is not stable: '%s' -> '%s'\n",
			norm, norm2);
		abort();
	}
	free(norm2);
	free(norm);
	free(pep440_public(v));
	pep440_free(again);
	(void)pep440_is_prerelease(v);
	(void)pep440_is_postrelease(v);
	(void)pep440_is_devrelease(v);
	(void)pep440_has_local(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec, *ver;
	fuzz_split(data, size, &spec, &ver);

	struct pep440_version *v = pep440_parse(ver);
	struct pep440_version *sv = pep440_parse(spec);
	if (v)
		check_version(v);
	if (sv)
		check_version(sv);
	if (v && sv) {
		int a = pep440_compare(v, sv), b = pep440_compare(sv, v);
		if ((a > 0) != (b < 0) || (a == 0) != (b == 0)) {
			fprintf(stderr, "compare not antisymmetric: %d %d\n", a,
				b);
			abort();
		}
	}
	int cmp;
	(void)pep440_compare_str(spec, ver, &cmp);

	char *err = NULL;
	struct pep440_specset *ss = pep440_specset_parse(spec, &err);
	free(err);
	if (ss) {
		int n = pep440_specset_count(ss);
		char *text = pep440_specset_str(ss);
		err = NULL;
		struct pep440_specset *again = pep440_specset_parse(text, &err);
		if (!again || pep440_specset_count(again) != n) {
			fprintf(stderr, "specifier text '%s' does not parse "
				"back (%s)\n", text, err ? err : "");
			abort();
		}
		pep440_specset_free(again);
		free(text);
		if (v) {
			(void)pep440_specset_contains(ss, v, false);
			(void)pep440_specset_contains(ss, v, true);
		}
		(void)pep440_specset_contains_str(ss, ver, false);
		pep440_specset_free(ss);
	}
	pep440_free(v);
	pep440_free(sv);
	free(spec);
	free(ver);
	return 0;
}
