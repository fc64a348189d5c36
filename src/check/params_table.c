/* Both ends' parameters side by side for `ipsecdiag compare`, with the
 * same rules as check_params.c (doc/behaviour/ike-parameters.md). */
#include <string.h>

#include "check/params.h"
#include "engine/route.h"

static void
row(struct arena *ar, struct params_table *t, struct params_block *b,
    const char *name, const char *va, const char *vb, int match)
{
	*ARENA_PUSH(ar, b->rows, b->n, b->c) =
	    (struct params_row){.name = name,
				.a = va ? va : "-",
				.b = vb ? vb : "-",
				.match = match};
	if (match == 0)
		t->ndiffer++;
}

static const char *
ver(struct arena *ar, unsigned v)
{
	return v ? arena_printf(ar, "IKEv%u", v) : "auto (IKEv1 or IKEv2)";
}

static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return -1;
	return strcmp(a, b) == 0;
}

static bool
sa_installed(const struct site *s)
{
	for (size_t i = 0; i < s->ev.nobs; i++)
		if (s->ev.obs[i].kind == OBS_SA)
			return true;
	return false;
}

static const char *
start_words(const struct site *s, const struct phase1 *p1)
{
	int any = -2;
	for (size_t i = 0; i < s->np2; i++)
		if (s->p2[i].p1 == p1 && p2_enabled(&s->p2[i])) {
			int v = params_initiates(s, p1, &s->p2[i]);
			any = any == -2 || v == 1 ? v : any;
		}
	return any == 1	   ? "initiates"
	       : any == 0  ? "responder only"
	       : any == -1 ? "not known"
			   : "no phase 2";
}

/* Identity row: what one end sends, what the other expects. */
static void
id_row(struct arena *ar, struct params_table *t, struct params_block *b,
       const char *name, const char *sent, const char *want, bool a_sends)
{
	int m = sent && want ? (strcmp(want, "any") == 0 ||
				params_id_equal(ar, sent, want))
			     : -1;
	row(ar, t, b, name, a_sends ? sent : want, a_sends ? want : sent, m);
}

static const char *
psk_words(const struct phase1 *p)
{
	if (p->auth == NULL)
		return NULL;
	if (strcmp(p->auth, "psk") != 0)
		return p->auth;
	return p->psk == NULL	 ? "psk"
	       : p->psk_redacted ? "psk (redacted)"
				 : "psk (set)";
}

static void
p1_block(struct arena *ar, struct params_table *t, const struct site *a,
	 const struct phase1 *x, const struct site *b, const struct phase1 *y)
{
	struct params_block *k = ARENA_PUSH(ar, t->blocks, t->n, t->c);
	k->title = arena_printf(ar, "phase 1: %s '%s' / %s '%s'", a->name,
				x->descr ? x->descr : x->ikeid, b->name,
				y->descr ? y->descr : y->ikeid);
	row(ar, t, k, "IKE version", ver(ar, x->ikever), ver(ar, y->ikever),
	    !x->ikever || !y->ikever || x->ikever == y->ikever);
	bool cmp =
	    x->ike.text && y->ike.text && !x->ike.unknown && !y->ike.unknown;
	const char *sel =
	    cmp ? proposals_selected(ar, &y->ike, &x->ike, false) : NULL;
	row(ar, t, k, "IKE proposals", proposals_format(ar, &x->ike),
	    proposals_format(ar, &y->ike), cmp ? sel != NULL : -1);
	if (sel) {
		const char *rev =
		    proposals_selected(ar, &x->ike, &y->ike, false);
		row(ar, t, k, "selected",
		    arena_printf(ar, "%s (%s initiates)", sel, a->name),
		    arena_printf(ar, "%s (%s initiates)", rev, b->name), 2);
	}
	id_row(ar, t, k, "identity sent/expected", x->myid, y->peerid, true);
	id_row(ar, t, k, "identity expected/sent", x->peerid, y->myid, false);
	int auth = same_str(x->auth, y->auth);
	if (auth == 1 && strcmp(x->auth, "psk") == 0)
		auth = !x->psk || !y->psk || x->psk_redacted || y->psk_redacted
			   ? -1
			   : strcmp(x->psk, y->psk) == 0;
	row(ar, t, k, "authentication", psk_words(x), psk_words(y), auth);
	if (x->cert || y->cert) /* judged by check_params_certs.c */
		row(ar, t, k, "certificate", x->cert ? x->cert->subject : NULL,
		    y->cert ? y->cert->subject : NULL, 2);
	if (x->ca || y->ca)
		row(ar, t, k, "peer CA", x->ca ? x->ca->subject : NULL,
		    y->ca ? y->ca->subject : NULL, 2);
	/* both responder only is a difference unless an installed SA
	 * shows someone started it by hand (as diagnose rules it out) */
	const char *sa = start_words(a, x), *sb = start_words(b, y);
	row(ar, t, k, "start", sa, sb,
	    strcmp(sa, "responder only") == 0 &&
		    strcmp(sb, "responder only") == 0 && !sa_installed(a) &&
		    !sa_installed(b)
		? 0
		: 2);
	row(ar, t, k, "rekey / reauth",
	    x->rekey ? arena_printf(ar, "%u s / %u s", x->rekey, x->reauth)
		     : NULL,
	    y->rekey ? arena_printf(ar, "%u s / %u s", y->rekey, y->reauth)
		     : NULL,
	    2);
	row(ar, t, k, "DPD",
	    x->dpd_delay ? arena_printf(ar, "every %u s", x->dpd_delay) : "off",
	    y->dpd_delay ? arena_printf(ar, "every %u s", y->dpd_delay) : "off",
	    2);
}

static const char *
nets(struct arena *ar, const struct phase2 *p)
{
	return arena_printf(ar, "%s === %s",
			    prefix_str(ar, p2_visible_local(p)),
			    prefix_str(ar, &p->remote.net));
}

static void
p2_block(struct arena *ar, struct params_table *t, const struct site *a,
	 const struct phase2 *p, const struct site *b, const struct phase2 *q)
{
	struct params_block *k = ARENA_PUSH(ar, t->blocks, t->n, t->c);
	k->title = arena_printf(ar, "phase 2: %s '%s' / %s '%s'", a->name,
				p->descr ? p->descr : "", b->name,
				q->descr ? q->descr : "");
	const struct prefix *pl = p2_visible_local(p),
			    *ql = p2_visible_local(q);
	bool mirror = prefix_equal(pl, &q->remote.net) &&
		      prefix_equal(ql, &p->remote.net);
	/* nested on both sides: IKEv2 narrows to the intersection, and
	 * whether hosts drop out depends on the LANs (diagnose decides) */
	bool nested = (prefix_within(pl, &q->remote.net) ||
		       prefix_within(&q->remote.net, pl)) &&
		      (prefix_within(ql, &p->remote.net) ||
		       prefix_within(&p->remote.net, ql));
	row(ar, t, k, "networks", nets(ar, p), nets(ar, q),
	    mirror   ? 1
	    : nested ? -1
		     : 0);
	/* transport against tunnel: IKEv1 fails, IKEv2 runs tunnel mode
	 * (check_params_modes.c, ike-parameters.md §11); VTI is tunnel mode
	 * on the wire */
	bool v1 = (p->p1->ikever == 1 && q->p1->ikever != 2) ||
		  (q->p1->ikever == 1 && p->p1->ikever != 2);
	row(ar, t, k, "mode", p2_mode_name(p->mode), p2_mode_name(q->mode),
	    (p->mode == P2_TRANSPORT) == (q->mode == P2_TRANSPORT) ? 1
	    : v1						   ? 0
								   : 2);
	bool cmp = p->esp.text && q->esp.text && !p->esp.unknown &&
		   !q->esp.unknown && p->esp.proto == q->esp.proto;
	bool v2 =
	    p->p1->ikever == 2 || (p->p1->ikever == 0 && q->p1->ikever == 2);
	const char *first =
	    cmp ? proposals_selected(ar, &q->esp, &p->esp, v2) : NULL;
	const char *rekey =
	    cmp ? proposals_selected(ar, &q->esp, &p->esp, false) : NULL;
	row(ar, t, k,
	    p->esp.proto == PROP_AH ? "AH proposals" : "ESP proposals",
	    proposals_format(ar, &p->esp), proposals_format(ar, &q->esp),
	    cmp ? first != NULL : -1);
	unsigned gp = proposals_pfs_group(&p->esp),
		 gq = proposals_pfs_group(&q->esp);
	row(ar, t, k, "PFS group", gp ? ke_group_name(ar, gp) : "off",
	    gq ? ke_group_name(ar, gq) : "off",
	    !cmp	      ? -1
	    : first && !rekey ? 0
			      : 1);
	if (rekey)
		row(ar, t, k, "selected", rekey,
		    proposals_selected(ar, &p->esp, &q->esp, false), 2);
	row(ar, t, k, "rekey",
	    p->rekey ? arena_printf(ar, "%u s", p->rekey) : NULL,
	    q->rekey ? arena_printf(ar, "%u s", q->rekey) : NULL, 2);
}

static void
p2_blocks(struct arena *ar, struct params_table *t, const struct site *a,
	  const struct phase1 *x, const struct site *b, const struct phase1 *y)
{
	for (size_t i = 0; i < a->np2; i++) {
		const struct phase2 *p = &a->p2[i], *q;
		if (p->p1 == x && p2_enabled(p) &&
		    (q = params_peer_p2(p, b, y)))
			p2_block(ar, t, a, p, b, q);
	}
}

void
params_table(struct arena *ar, const struct site *a, const struct site *b,
	     struct params_table *out)
{
	*out = (struct params_table){.a = a->name, .b = b->name};
	for (size_t i = 0; i < a->np1; i++) {
		const struct phase1 *x = &a->p1[i];
		const struct phase1 *y = params_peer_p1(a, x, b);
		if (y == NULL)
			continue;
		p1_block(ar, out, a, x, b, y);
		p2_blocks(ar, out, a, x, b, y);
	}
}
