/*
 * Unit tests of pep440.c. Expected values come from the text of PEP 440
 * (§Normalization, §Summary of permitted suffixes and relative ordering,
 * §Version specifiers and its examples), worked out by hand from the PEP.
 */
#include "testutil.h"
#include "pep440.h"
#include "util.h"

#include <stdbool.h>

/* The normalised text of s, or NULL when s is not a version (caller frees). */
static char *norm(const char *s)
{
	struct pep440_version *v = pep440_parse(s);
	if (!v)
		return NULL;
	char *r = pep440_normalised(v);
	pep440_free(v);
	return r;
}

static void check_norm(const char *in, const char *want)
{
	char *got = norm(in);
	if (!got)
		fail_msg("'%s' did not parse (expected '%s')", in, want);
	if (strcmp(got, want))
		fail_msg("'%s' normalised to '%s', expected '%s'", in, got, want);
	free(got);
}

static void check_invalid(const char *in)
{
	char *got = norm(in);
	if (got)
		fail_msg("'%s' parsed as '%s', expected invalid", in, got);
}

static int cmp(const char *a, const char *b)
{
	int c = 99;
	if (!pep440_compare_str(a, b, &c))
		fail_msg("'%s' or '%s' is not a version", a, b);
	return c < 0 ? -1 : c > 0;
}

/* PEP 440 §Normalization, every example spelling. */
static void test_normalisation(void **state)
{
	check_norm("1.0", "1.0");
	check_norm("1.1RC1", "1.1rc1");              /* §Case sensitivity */
	check_norm("00", "0");                       /* §Integer normalization */
	check_norm("09000", "9000");
	check_norm("1.0.01", "1.0.1");
	check_norm("1.1.a1", "1.1a1");               /* §Pre-release separators */
	check_norm("1.1-a1", "1.1a1");
	check_norm("1.1_a1", "1.1a1");
	check_norm("1.0a.1", "1.0a1");
	check_norm("1.0a-1", "1.0a1");
	check_norm("1.1alpha1", "1.1a1");            /* §Pre-release spelling */
	check_norm("1.1beta2", "1.1b2");
	check_norm("1.1c3", "1.1rc3");
	check_norm("1.1pre4", "1.1rc4");
	check_norm("1.1preview5", "1.1rc5");
	check_norm("1.2a", "1.2a0");                 /* §Implicit pre-release number */
	check_norm("1.2.post2", "1.2.post2");        /* §Post release separators */
	check_norm("1.2-post2", "1.2.post2");
	check_norm("1.2post2", "1.2.post2");
	check_norm("1.2.post-2", "1.2.post2");
	check_norm("1.2.post_2", "1.2.post2");
	check_norm("1.0-r4", "1.0.post4");           /* §Post release spelling */
	check_norm("1.0-rev4", "1.0.post4");
	check_norm("1.0.r4", "1.0.post4");
	check_norm("1.2.post", "1.2.post0");         /* §Implicit post release number */
	check_norm("1.0-1", "1.0.post1");            /* §Implicit post releases */
	check_norm("1.2-dev2", "1.2.dev2");          /* §Development release separators */
	check_norm("1.2dev2", "1.2.dev2");
	check_norm("1.2.dev", "1.2.dev0");           /* §Implicit development release number */
	check_norm("1.0+ubuntu-1", "1.0+ubuntu.1");  /* §Local version segments */
	check_norm("1.0+Ubuntu_1", "1.0+ubuntu.1");
	check_norm("1.0+abc.007", "1.0+abc.7");
	check_norm("v1.0", "1.0");                   /* §Preceding v character */
	check_norm("V1.0", "1.0");
	check_norm("  1.0\n", "1.0");                /* §Leading and trailing whitespace */
	check_norm("1!2.0", "1!2.0");                /* §Version epochs */
	check_norm("0!2.0", "2.0");
	check_norm("1.0b2.post345.dev456", "1.0b2.post345.dev456");
	check_norm("1.0RC1-1-DEV2+Local.5", "1.0rc1.post1.dev2+local.5");
	check_norm("2013.10", "2013.10");
	/* PEP 440 Appendix B's regular expression lets a separator follow a
	 * pre/post/dev label without a number ("[-_\.]?(?P<pre_n>[0-9]+)?"). */
	check_norm("1.0a-", "1.0a0");
	check_norm("1.0.post-", "1.0.post0");
	check_norm("1.0.dev_", "1.0.dev0");
	check_norm("1.0a--dev", "1.0a0.dev0");
	check_norm("1.0a.-1", "1.0a0.post1");
	check_norm("1.0rev.dev", "1.0.post0.dev0");
	check_norm("1.0-r-.dev.5+abc", "1.0.post0.dev5+abc");
	check_norm("1.0.dev-+abc", "1.0.dev0+abc");
	/* ...and a separator with digits after a label is its number. */
	check_norm("1.0a-1", "1.0a1");
	/* Python's str.strip() also strips the ASCII separators 0x1c-0x1f. */
	check_norm("\x1c" "1.0\x1f", "1.0");
}

static void test_invalid_versions(void **state)
{
	check_invalid("");
	check_invalid("   ");
	check_invalid("french toast");
	check_invalid("1.0.");
	check_invalid(".1");
	check_invalid("1..0");
	check_invalid("1.0+");
	check_invalid("1.0+abc..1");
	check_invalid("1.0+abc.");
	check_invalid("1.0-");
	check_invalid("1!");
	check_invalid("!1.0");
	check_invalid("1.0a1a2");
	check_invalid("1.0.post1.post2");
	check_invalid("1.0 .1");
	check_invalid("1.0\x01");
	check_invalid("1.0-1-1");
	check_invalid("vv1.0");
	check_invalid("1.0+ab c");
	check_invalid("1.0+\xc3\xa9");
	/* One separator after a label, not two; nothing after a dev number. */
	check_invalid("1.0a--");
	check_invalid("1.0.post--1");
	check_invalid("1.0.dev1-");
	check_invalid("1.0.dev1.post1");
	assert_null(pep440_parse(NULL));
}

/* PEP 440 §Summary of permitted suffixes and relative ordering: the list in
 * the PEP, each entry strictly before the next. */
static void test_ordering_table(void **state)
{
	static const char *const order[] = {
		"1.dev0",        "1.0.dev456",      "1.0a1",
		"1.0a2.dev456",  "1.0a12.dev456",   "1.0a12",
		"1.0b1.dev456",  "1.0b2",           "1.0b2.post345.dev456",
		"1.0b2.post345", "1.0rc1.dev456",   "1.0rc1",
		"1.0",           "1.0+abc.5",       "1.0+abc.7",
		"1.0+5",         "1.0.post456.dev34", "1.0.post456",
		"1.0.15",        "1.1.dev1",
	};
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		for (size_t j = 0; j < ARRAY_SIZE(order); j++) {
			int want = i < j ? -1 : i > j ? 1 : 0;
			int got = cmp(order[i], order[j]);
			if (got != want)
				fail_msg("compare('%s', '%s') = %d, expected %d",
					 order[i], order[j], got, want);
		}
}

static void test_ordering_rules(void **state)
{
	/* §Final releases: trailing zeros are not significant. */
	assert_int_equal(cmp("1.0", "1.0.0"), 0);
	assert_int_equal(cmp("1", "1.0.0.0"), 0);
	assert_int_equal(cmp("1.0a1", "1.0.0a1"), 0);
	assert_int_equal(cmp("1.0.post1", "1.0.0-1"), 0);
	/* Numeric, not lexicographic. */
	assert_int_equal(cmp("1.9", "1.10"), -1);
	assert_int_equal(cmp("1.01", "1.1"), 0);
	/* §Version epochs: 1!1.0 sorts after every epoch-0 version. */
	assert_int_equal(cmp("2013.10", "1!1.0"), -1);
	assert_int_equal(cmp("1!1.0", "2!0.1"), -1);
	assert_int_equal(cmp("0!1.0", "1.0"), 0);
	/* Alternate spellings compare as their normal forms. */
	assert_int_equal(cmp("1.0alpha1", "1.0a1"), 0);
	assert_int_equal(cmp("1.0c1", "1.0rc1"), 0);
	assert_int_equal(cmp("1.0-1", "1.0.post1"), 0);
	assert_int_equal(cmp("v1.0", "1.0"), 0);
	/* §Local versions: numeric segments after alphanumeric ones, longer
	 * after its prefix; local after the same public version. */
	assert_int_equal(cmp("1.0+abc", "1.0+abc.5"), -1);
	assert_int_equal(cmp("1.0+abc.5", "1.0+abd"), -1);
	assert_int_equal(cmp("1.0+xyz", "1.0+1"), -1);
	assert_int_equal(cmp("1.0+9", "1.0+10"), -1);
	assert_int_equal(cmp("1.0+ubuntu-1", "1.0+ubuntu.1"), 0);
	assert_int_equal(cmp("1.0+1", "1.0.post0"), -1);
	/* Pre/post/dev. */
	assert_int_equal(cmp("1.0.dev1", "1.0a0"), -1);
	assert_int_equal(cmp("1.0a1.post1", "1.0a2"), -1);
	assert_int_equal(cmp("1.0a1.dev1", "1.0a1"), -1);
	assert_int_equal(cmp("1.0.post1.dev1", "1.0.post1"), -1);
	assert_int_equal(cmp("1.0", "1.0.post1.dev1"), -1);
}

/* Huge numbers are compared exactly, never through an overflowing integer. */
static void test_huge_numbers(void **state)
{
	assert_int_equal(cmp("1.99999999999999999999999999999999",
			     "1.99999999999999999999999999999998"), 1);
	assert_int_equal(cmp("18446744073709551616", "18446744073709551615"), 1);
	assert_int_equal(cmp("18446744073709551616", "018446744073709551616"), 0);
	assert_int_equal(cmp("99999999999999999999999!1.0", "1!2.0"), 1);
	assert_int_equal(cmp("1.0rc100000000000000000000000", "1.0rc99999999999999999999999"), 1);
	assert_int_equal(cmp("1.0+100000000000000000000", "1.0+99999999999999999999"), 1);
	check_norm("1.000000000000000000000000000000000000000042",
		   "1.42");
}

static void test_predicates(void **state)
{
	struct {
		const char *v;
		bool pre, post, dev, local;
		const char *pub;
	} cases[] = {
		{"1.0", false, false, false, false, "1.0"},
		{"1.0a1", true, false, false, false, "1.0a1"},
		{"1.0.dev1", true, false, true, false, "1.0.dev1"},
		{"1.0.post1.dev1", true, true, true, false, "1.0.post1.dev1"},
		{"1.0-1", false, true, false, false, "1.0.post1"},
		{"1.0rc1+local.1", true, false, false, true, "1.0rc1"},
		{"1!1.0+abc", false, false, false, true, "1!1.0"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pep440_version *v = pep440_parse(cases[i].v);
		assert_non_null(v);
		assert_int_equal(pep440_is_prerelease(v), cases[i].pre);
		assert_int_equal(pep440_is_postrelease(v), cases[i].post);
		assert_int_equal(pep440_is_devrelease(v), cases[i].dev);
		assert_int_equal(pep440_has_local(v), cases[i].local);
		char *pub = pep440_public(v);
		assert_string_equal(pub, cases[i].pub);
		free(pub);
		pep440_free(v);
	}
	assert_false(pep440_compare_str("1.0", "nope", NULL));
}

/* ---- specifiers ---- */

/* Does version v satisfy specifier set spec (allow_pre as given)? */
static bool in_spec(const char *spec, const char *v, bool pre)
{
	char *err = NULL;
	struct pep440_specset *ss = pep440_specset_parse(spec, &err);
	if (!ss)
		fail_msg("specifier '%s' did not parse: %s", spec, err);
	struct pep440_version *ver = pep440_parse(v);
	if (!ver)
		fail_msg("'%s' is not a version", v);
	bool r = pep440_specset_contains(ss, ver, pre);
	pep440_free(ver);
	pep440_specset_free(ss);
	return r;
}

#define IN(spec, v) assert_true(in_spec(spec, v, false))
#define OUT(spec, v) assert_false(in_spec(spec, v, false))

/* §Compatible release and its examples. */
static void test_compatible_release(void **state)
{
	/* ~= 2.2 is >= 2.2, == 2.* */
	IN("~= 2.2", "2.2");
	IN("~= 2.2", "2.3");
	IN("~= 2.2", "2.9.1");
	OUT("~= 2.2", "2.1");
	OUT("~= 2.2", "3.0");
	/* ~= 1.4.5 is >= 1.4.5, == 1.4.* */
	IN("~=1.4.5", "1.4.5");
	IN("~=1.4.5", "1.4.99");
	OUT("~=1.4.5", "1.5.0");
	OUT("~=1.4.5", "1.4.4");
	/* ~= 2.2.post3 is >= 2.2.post3, == 2.* */
	IN("~=2.2.post3", "2.2.post3");
	IN("~=2.2.post3", "2.5");
	OUT("~=2.2.post3", "2.2.post2");
	OUT("~=2.2.post3", "2.2");
	OUT("~=2.2.post3", "3.0");
	/* ~= 1.4.5a4 is >= 1.4.5a4, == 1.4.* */
	IN("~=1.4.5a4", "1.4.5a4");
	IN("~=1.4.5a4", "1.4.5");
	IN("~=1.4.5a4", "1.4.9");
	OUT("~=1.4.5a4", "1.5");
	/* ~= 2.2.0 is >= 2.2.0, == 2.2.* */
	IN("~=2.2.0", "2.2.7");
	OUT("~=2.2.0", "2.3");
	/* ~=3.1a1: 3.1a1 or later, not 4.0 or later (the set names a
	 * pre-release, so pre-releases are in). */
	IN("~=3.1a1", "3.1a1");
	IN("~=3.1a1", "3.5b2");
	OUT("~=3.1a1", "4.0");
	/* Leading zeros are numbers (packaging issue 583). */
	IN("~=2022.01.01", "2022.01.01");
	IN("~=2022.01.01", "2022.1.5");
	/* Epochs must match. */
	OUT("~=1!2.2", "2.5");
	IN("~=1!2.2", "1!2.5");
}

/* §Version matching and its examples (version = 1.1.post1). */
static void test_version_matching(void **state)
{
	OUT("== 1.1", "1.1.post1");
	IN("== 1.1.post1", "1.1.post1");
	IN("== 1.1.*", "1.1.post1");
	/* == 3.1: 3.1 or 3.1.0, nothing else. */
	IN("==3.1", "3.1");
	IN("==3.1", "3.1.0");
	OUT("==3.1", "3.1.1");
	OUT("==3.1", "3.1.post1");
	assert_false(in_spec("==3.1", "3.1a1", true));
	assert_false(in_spec("==3.1", "3.1.dev0", true));
	/* == 3.1.*: any version that starts with 3.1 (padded with zeros). */
	IN("==3.1.*", "3.1");
	IN("==3.1.*", "3.1.9");
	IN("==3.1.*", "3.1.0.0.1");
	OUT("==3.1.*", "3.10");
	OUT("==3.1.*", "3.2");
	assert_true(in_spec("==3.1.*", "3.1a1", true));
	assert_true(in_spec("==3.1.*", "3.1.dev1", true));
	IN("==3.1.0.*", "3.1");
	IN("==3.*", "3");
	/* Local versions: ignored unless the clause has one. */
	IN("==1.7.1", "1.7.1+ubuntu.1");
	IN("==1.7.1+ubuntu.1", "1.7.1+ubuntu.1");
	IN("==1.7.1+ubuntu-1", "1.7.1+UBUNTU.1");
	OUT("==1.7.1+ubuntu.1", "1.7.1");
	OUT("==1.7.1+ubuntu.1", "1.7.1+ubuntu.2");
	IN("==1.7.*", "1.7.1+local");
	/* Alternate spellings and zero padding. */
	IN("==1.0a1", "1.0alpha1");
	IN("==v1.0", "1.0.0");
	IN("==1!1.0", "1!1.0");
	OUT("==1!1.0", "1.0");
}

/* §Version exclusion and its examples (version = 1.1.post1). */
static void test_version_exclusion(void **state)
{
	IN("!= 1.1", "1.1.post1");
	OUT("!= 1.1.post1", "1.1.post1");
	OUT("!= 1.1.*", "1.1.post1");
	OUT("!=1.7.1", "1.7.1+local");
	IN("!=1.7.1+other", "1.7.1+local");
	IN("!=1.5.*", "1.6");
	OUT("!=1.5.*", "1.5");
}

/* §Inclusive and exclusive ordered comparison. */
static void test_ordered_comparison(void **state)
{
	IN(">=1.0", "1.0");
	IN(">=1.0", "1.0.post1");
	IN(">=1.0", "1.0+local");
	OUT(">=1.0", "0.9");
	IN("<=1.0", "1.0");
	IN("<=1.0", "1.0+local"); /* local ignored by inclusive comparisons */
	OUT("<=1.0", "1.0.post1");
	/* >1.7 allows 1.7.1 but not 1.7.0.post1 */
	IN(">1.7", "1.7.1");
	OUT(">1.7", "1.7.0.post1");
	OUT(">1.7", "1.7");
	/* >V never matches a local version of V */
	OUT(">1.7", "1.7+local");
	OUT(">1.7", "1.7.0+local");
	/* >1.7.post2 allows 1.7.1 and 1.7.0.post3 but not 1.7.0 */
	IN(">1.7.post2", "1.7.1");
	IN(">1.7.post2", "1.7.0.post3");
	OUT(">1.7.post2", "1.7.0");
	OUT(">1.7.post2", "1.7.post2");
	/* <3.1 excludes pre-releases of 3.1 even when they are allowed */
	assert_false(in_spec("<3.1", "3.1.dev0", true));
	assert_false(in_spec("<3.1", "3.1a1", true));
	assert_true(in_spec("<3.1", "3.0", true));
	assert_true(in_spec("<3.1", "3.0rc1", true));
	/* ...unless the clause names a pre-release */
	IN("<3.1rc1", "3.1a1");
	IN("<3.1rc1", "3.1.dev0");
	OUT("<3.1rc1", "3.1rc1");
	IN("<3.1", "3.0.99");
	OUT("<3.1", "3.1");
	/* The example set of §Version specifiers parses, and as "~= 0.9" means
	 * 0.* and ">= 1.0" means 1.0 or later, nothing satisfies it. */
	OUT("~= 0.9, >= 1.0, != 1.3.4.*, < 2.0", "1.5");
	OUT("~= 0.9, >= 1.0, != 1.3.4.*, < 2.0", "0.9.5");
	IN(">= 1.0, != 1.3.4.*, < 2.0", "1.5");
	IN(">= 1.0, != 1.3.4.*, < 2.0", "1.3.5");
	OUT(">= 1.0, != 1.3.4.*, < 2.0", "1.3.4.1");
	OUT(">= 1.0, != 1.3.4.*, < 2.0", "1.3.4");
	OUT(">= 1.0, != 1.3.4.*, < 2.0", "2.0");
}

/* §Arbitrary equality: string equality, no normalisation, no padding. */
static void test_arbitrary_equality(void **state)
{
	IN("===1.0", "1.0");
	OUT("===1.0", "1.0.0");
	OUT("===1.0", "1.0+local");
	char *err = NULL;
	struct pep440_specset *ss = pep440_specset_parse("===foobar", &err);
	assert_non_null(ss);
	assert_true(pep440_specset_contains_str(ss, "foobar", false));
	assert_false(pep440_specset_contains_str(ss, "foobar2", false));
	/* Case is ignored (packaging compares lower-cased text), spelling is not. */
	assert_true(pep440_specset_contains_str(ss, "FooBar", false));
	assert_false(pep440_specset_contains_str(ss, "foo-bar", false));
	pep440_specset_free(ss);
	ss = pep440_specset_parse(">=1.0", &err);
	assert_false(pep440_specset_contains_str(ss, "foobar", true));
	assert_true(pep440_specset_contains_str(ss, "1.5", false));
	pep440_specset_free(ss);
}

/* §Handling of pre-releases. */
static void test_prereleases(void **state)
{
	/* Excluded by default, even when they would match. */
	OUT(">=1.0", "2.0a1");
	OUT(">=1.0", "2.0.dev1");
	OUT("", "2.0b1");
	IN("", "2.0");
	/* Allowed when asked for. */
	assert_true(in_spec(">=1.0", "2.0a1", true));
	assert_true(in_spec("", "2.0b1", true));
	/* Allowed when the set names a pre-release... */
	IN(">=1.0a1", "1.0b1");
	IN(">=1.0a1", "2.0.dev1");
	IN("==1.0rc1", "1.0rc1");
	IN(">=1.0,<=2.0rc1", "1.5a1");
	/* Exclusive operators count too (packaging >= 24.2): >1.0a1 names a
	 * pre-release, so 1.0b1 is in; 2.0a1 is not below <2.0 (§Exclusive
	 * ordered comparison) even though the set names a pre-release. */
	IN(">1.0a1", "1.0b1");
	IN("<2.0b1", "2.0a1");
	OUT(">1.0a1,<2.0", "2.0a1");
	IN(">1.0a1,<2.0", "1.9rc1");
	/* ...but "!=" naming one does not allow them (packaging). */
	OUT("!=1.0rc1", "1.0rc2");
	/* Post-releases are ordinary releases. */
	IN(">=1.0", "1.0.post1");
	/* A dev release of a post release is a pre-release. */
	OUT(">=1.0", "1.1.post1.dev1");
}

static void check_spec_error(const char *spec, const char *want_part)
{
	char *err = NULL;
	struct pep440_specset *ss = pep440_specset_parse(spec, &err);
	if (ss)
		fail_msg("'%s' parsed, expected an error", spec);
	assert_non_null(err);
	if (!strstr(err, want_part))
		fail_msg("error for '%s' is '%s', expected it to mention '%s'",
			 spec, err, want_part);
	assert_null(strchr(err, '\n'));
	free(err);
}

static void test_specifier_errors(void **state)
{
	check_spec_error("~=1", "two release numbers");
	check_spec_error("~=1.0.*", "only allowed with == and !=");
	check_spec_error(">=1.0.*", "only allowed with == and !=");
	check_spec_error("<1.0+local", "local version");
	check_spec_error("~=1.0+local", "local version");
	check_spec_error("==1.0a1.*", "may only follow a release");
	check_spec_error("==1.0+abc.*", "may only follow a release");
	check_spec_error("==1.0x.*", "invalid version before");
	check_spec_error("1.0", "expected an operator");
	check_spec_error("=>1.0", "expected an operator");
	check_spec_error(">=", "missing version");
	check_spec_error(">=1.0 2.0", "whitespace inside");
	check_spec_error(">=1.0,<2.x", "invalid version");
	check_spec_error("==1.0\n.1", "whitespace inside");
	check_spec_error(">=foo\x01", "\\x01");
}

static void test_specifier_text(void **state)
{
	char *err = NULL;
	/* Spaces go, versions are normalised, "===" keeps its text, and empty
	 * clauses are skipped (packaging's SpecifierSet does this too). */
	struct pep440_specset *ss = pep440_specset_parse(" >= 1.0 , !=2.0.*,,!=1.5-1 , ===1.0-Weird", &err);
	assert_non_null(ss);
	assert_int_equal(pep440_specset_count(ss), 4);
	char *s = pep440_specset_str(ss);
	assert_string_equal(s, ">=1.0,!=2.0.*,!=1.5.post1,===1.0-Weird");
	free(s);
	pep440_specset_free(ss);
	ss = pep440_specset_parse("", &err);
	assert_non_null(ss);
	assert_int_equal(pep440_specset_count(ss), 0);
	pep440_specset_free(ss);
}

/* Arbitrary bytes never crash the parsers (run under ASan/UBSan). */
static void test_total_on_garbage(void **state)
{
	unsigned int seed = 12345;
	static const char alphabet[] = "0123456789.!+-_*=<>~, abcdeprvlostA\x01\xff";
	char buf[64];
	for (int round = 0; round < 20000; round++) {
		size_t n = (seed = seed * 1103515245u + 12345u) >> 16;
		n %= sizeof(buf);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		buf[n] = '\0';
		struct pep440_version *v = pep440_parse(buf);
		if (v) {
			char *t = pep440_normalised(v);
			/* Normalising is idempotent and keeps the order. */
			struct pep440_version *w = pep440_parse(t);
			assert_non_null(w);
			assert_int_equal(pep440_compare(v, w), 0);
			free(t);
			pep440_free(w);
		}
		char *err = NULL;
		struct pep440_specset *ss = pep440_specset_parse(buf, &err);
		if (ss && v)
			(void)pep440_specset_contains(ss, v, round & 1);
		if (!ss) {
			assert_non_null(err);
			assert_null(strchr(err, '\n'));
		}
		free(err);
		pep440_specset_free(ss);
		pep440_free(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalisation),
		cmocka_unit_test(test_invalid_versions),
		cmocka_unit_test(test_ordering_table),
		cmocka_unit_test(test_ordering_rules),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_predicates),
		cmocka_unit_test(test_compatible_release),
		cmocka_unit_test(test_version_matching),
		cmocka_unit_test(test_version_exclusion),
		cmocka_unit_test(test_ordered_comparison),
		cmocka_unit_test(test_arbitrary_equality),
		cmocka_unit_test(test_prereleases),
		cmocka_unit_test(test_specifier_errors),
		cmocka_unit_test(test_specifier_text),
		cmocka_unit_test(test_total_on_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
