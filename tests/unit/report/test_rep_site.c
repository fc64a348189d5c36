/* `show` printers on hand-built sites: what no importer produces today
 * but the model allows (an interface without a description), and the
 * evaluation order of netfilter chains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rep_linux.h"
#include "report/rep_site.h"

/* A site of kind k with one interface "ix0" that has no description and
 * one rule on it. */
static void
site_nodescr(struct arena *ar, struct site *s, enum site_kind k)
{
	*s = (struct site){.name = "x", .kind = k, .has_config = true};
	struct iface *f = ARENA_PUSH(ar, s->ifaces, s->nifaces, s->cifaces);
	f->key = "ix0";
	f->enabled = true;
	struct rule *r = ARENA_PUSH(ar, s->rules, s->nrules, s->crules);
	*ARENA_PUSH(ar, r->ifaces, r->nifaces, r->cifaces) = "ix0";
	r->fam[FAM_V4] = true;
	r->protos = protoset_any();
	r->icmp_any = true;
	r->position = 1;
}

static char *
render(struct arena *ar, struct site *s, bool json)
{
	char *out = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&out, &n);
	assert_non_null(m);
	if (json)
		rep_site_json(m, ar, &s, 1);
	else
		rep_site_text(m, ar, &s, 1);
	fclose(m);
	return out;
}

static void
test_no_description(void **state)
{
	(void)state;
	static const enum site_kind kinds[] = {SITE_PFSENSE, SITE_OPNSENSE,
					       SITE_LINUX};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		for (int json = 0; json < 2; json++) {
			struct arena ar;
			arena_init(&ar);
			struct site s;
			site_nodescr(&ar, &s, kinds[i]);
			char *out = render(&ar, &s, json);
			if (strstr(out, "(null)"))
				fail_msg("kind %d json %d: %s", kinds[i], json,
					 out);
			assert_non_null(strstr(out, "ix0"));
			free(out);
			arena_free(&ar);
		}
	}
}

/* Chains come out by hook in packet order, then priority; regular
 * chains last; ties as listed. */
static void
test_chain_order(void **state)
{
	(void)state;
	static const struct {
		const char *name, *hook;
		int prio;
	} in[] = {
	    {"out", "output", 0},	  {"user", NULL, 0},
	    {"in-nat", "input", 100},	  {"in-filter", "input", 0},
	    {"mangle-in", "input", -150}, {"pre", "prerouting", -100},
	    {"post", "postrouting", 100}, {"fwd", "forward", 0},
	    {"fwd2", "forward", 0},	  {"user2", NULL, -500},
	};
	static const char *const want[] = {
	    "pre",  "mangle-in", "in-filter", "in-nat", "fwd",
	    "fwd2", "out",	 "post",      "user",	"user2",
	};
	struct arena ar;
	arena_init(&ar);
	struct site s = {.kind = SITE_LINUX};
	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++) {
		struct nf_chain *c =
		    ARENA_PUSH(&ar, s.chains, s.nchains, s.cchains);
		*c = (struct nf_chain){.family = "ip",
				       .table = "t",
				       .name = in[i].name,
				       .hook = in[i].hook,
				       .priority = in[i].prio,
				       .base = in[i].hook != NULL};
	}
	size_t *order = rep_linux_chain_order(&ar, &s);
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		assert_string_equal(s.chains[order[i]].name, want[i]);
	arena_free(&ar);
}

int
main(void)
{
	const struct CMUnitTest t[] = {
	    cmocka_unit_test(test_no_description),
	    cmocka_unit_test(test_chain_order),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
