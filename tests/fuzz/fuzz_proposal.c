/* strongSwan proposal strings and ipsecdiag cipher/integ names come from
 * configs and the command line: parse anything, and whatever parses must
 * give sizes that agree with each other (esp_max_inner vs esp_outer_size);
 * as proposals (model/proposal.h) a list matches itself, and its
 * rendering parses back to a list that matches it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/esp_overhead.h"
#include "model/proposal.h"

static void
check_model(const char *s)
{
	struct arena ar;
	arena_init(&ar);
	for (int proto = PROP_IKE; proto <= PROP_AH; proto++) {
		struct proposals a = {0}, b = {0}, c = {0};
		struct prop_select sel;
		if (!proposals_parse(&ar, s, (enum prop_proto)proto, &a,
				     NULL) ||
		    a.n == 0)
			continue;
		if (!proposals_select(&a, &a, false, &sel))
			abort();
		const char *text = "";
		for (size_t i = 0; i < a.n; i++)
			text = arena_printf(&ar, "%s%s%s", text, i ? "," : "",
					    proposal_format(&ar, &a.p[i]));
		if (proposals_parse(&ar, text, (enum prop_proto)proto, &b,
				    NULL) &&
		    b.n && !proposals_select(&a, &b, false, &sel))
			abort();
		(void)proposals_parse_printed(&ar, s, &c);
		(void)proposals_selected(&ar, &a, &a, true);
	}
	arena_free(&ar);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct esp_params p = {.tunnel = true};
	enum integ i;
	bool ok = transform_parse_proposal(s, &p.enc, &p.integ);
	ok = transform_parse_cipher(s, &p.enc) || ok;
	(void)transform_parse_integ(s, &i);
	check_model(s);
	free(s);
	if (!ok)
		return 0;
	p.natt = size & 1;
	p.outer_v6 = size & 2;
	p.tunnel = !(size & 4);
	p.inner_v6 = p.tunnel ? size & 8 : p.outer_v6;
	for (unsigned mtu = 68; mtu <= 1500; mtu += 97) {
		unsigned inner = esp_max_inner(&p, mtu);
		if (inner && esp_outer_size(&p, inner) > mtu)
			abort();
		if (esp_outer_size(&p, inner + 1) != 0 &&
		    esp_outer_size(&p, inner + 1) <= mtu)
			abort();
	}
	return 0;
}
