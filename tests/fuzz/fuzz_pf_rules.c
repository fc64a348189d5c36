/* libFuzzer target: arbitrary text as /tmp/rules.debug and as pfctl
 * -vvsr (import/pf/), then the running ruleset the engine builds from it
 * for a small pfSense site, evaluated for a few packets both ways. */
#include <stdint.h>
#include <string.h>

#include "engine/ruleset.h"
#include "import/pf/pf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
evaluate(struct arena *ar, struct site *s)
{
	static const char *const ifs[] = {"wan", "lan", "enc0"};
	struct packet p = {.proto = PROTO_UDP, .sport = 500, .dport = 500};
	ipaddr_parse(str_from("10.0.2.10"), &p.src);
	ipaddr_parse(str_from("10.0.1.10"), &p.dst);
	for (size_t i = 0; i < 3; i++)
		for (int out = 0; out < 2; out++) {
			struct ruleset rs = ruleset_running(ar, s, ifs[i], out);
			ruleset_eval(&rs, &p);
			ruleset_unsure(&rs, &p, true);
			for (size_t k = 0; k < rs.n && k < 4; k++)
				rule_describe(ar, s, rs.r[k]);
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena ar;
	arena_init(&ar);
	diag_set_quiet(true);
	char *buf = arena_strndup(&ar, (const char *)data, size);
	static struct iface ifs[] = {
	    {.key = "wan", .dev = "em0", .role = ROLE_WAN, .enabled = true},
	    {.key = "lan", .dev = "em1", .role = ROLE_LAN, .enabled = true},
	    {.key = "enc0", .dev = "enc0", .role = ROLE_ENC, .enabled = true},
	};
	struct site s = {.name = "fuzz", .kind = SITE_PFSENSE};
	s.ifaces = ifs;
	s.nifaces = 3;
	pf_read_rules_debug(&ar, &s.ev.box, "rules.debug", buf, size);
	evaluate(&ar, &s);
	pf_read_pfctl_rules(&ar, &s.ev.box, "pfctl", buf, size);
	evaluate(&ar, &s);
	arena_free(&ar);
	return 0;
}
