/* rules.c - STUB (being written): loads nothing, matches nothing. */
#include "rules.h"
#include "util.h"

struct ruleset { size_t nr; };
struct rule { int dummy; };
struct ruleset *ruleset_new(void) { return xcalloc(1, sizeof(struct ruleset)); }
void ruleset_free(struct ruleset *rs) { free(rs); }
int ruleset_load_file(struct ruleset *rs, const char *path) { (void)rs; (void)path; return 0; }
int ruleset_load_string(struct ruleset *rs, const char *name, const char *text) { (void)rs; (void)name; (void)text; return 0; }
size_t ruleset_count(const struct ruleset *rs) { return rs->nr; }
const struct rule *ruleset_match(const struct ruleset *rs, const struct rule_event *ev, char **shown_path)
{ (void)rs; (void)ev; *shown_path = NULL; return NULL; }
const char *rule_id(const struct rule *r) { (void)r; return ""; }
const char *rule_category(const struct rule *r) { (void)r; return ""; }
enum severity rule_severity(const struct rule *r) { (void)r; return SEV_NOTE; }
const char *rule_description(const struct rule *r) { (void)r; return ""; }
const char *rule_explanation(const struct rule *r) { (void)r; return ""; }
