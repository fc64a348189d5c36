/* `show`: the box's own state as read from its status archive. */
#include <string.h>

#include "report/rep_site.h"

static const char *
where(struct arena *ar, const struct srcloc *l)
{
	char b[600];
	return l->file ? arena_strdup(ar, srcloc_format(l, b, sizeof(b))) : "";
}

static void
box_routes(FILE *f, struct arena *ar, const struct boxstate *b)
{
	fprintf(f, "  routes (netstat -nWr): %zu\n", b->nroutes);
	for (size_t i = 0; i < b->nroutes; i++) {
		const struct box_route *r = &b->routes[i];
		fprintf(f, "    %s via %s on %s [%s] mtu %u  (%s)\n",
			r->is_default ? "default" : prefix_str(ar, &r->net),
			r->gateway, r->netif, r->flags, r->mtu,
			where(ar, &r->loc));
	}
}

static void
box_ifs(FILE *f, struct arena *ar, const struct boxstate *b)
{
	fprintf(f, "  interfaces (ifconfig): %zu\n", b->nifs);
	for (size_t i = 0; i < b->nifs; i++) {
		const struct box_if *x = &b->ifs[i];
		fprintf(f, "    %s mtu %u%s%s", x->name, x->mtu,
			x->up ? " up" : " down",
			x->no_carrier ? " no-carrier" : "");
		for (size_t k = 0; k < x->naddrs; k++)
			fprintf(f, " %s/%u", ipaddr_str(ar, &x->addrs[k].addr),
				x->addrs[k].plen);
		if (x->has_tunnel)
			fprintf(f, " tunnel %s -> %s",
				ipaddr_str(ar, &x->tun_src),
				ipaddr_str(ar, &x->tun_dst));
		if (x->reqid)
			fprintf(f, " reqid %u", x->reqid);
		fprintf(f, "  (%s)\n", where(ar, &x->loc));
	}
	for (size_t i = 0; i < b->ncarp; i++)
		fprintf(f, "    CARP %s vhid %u on %s: %s  (%s)\n",
			ipaddr_str(ar, &b->carp[i].addr), b->carp[i].vhid,
			b->carp[i].ifname,
			b->carp[i].state ? b->carp[i].state : "?",
			where(ar, &b->carp[i].loc));
}

static void
box_neigh(FILE *f, struct arena *ar, const struct boxstate *b)
{
	size_t inc = 0;
	for (size_t i = 0; i < b->nneigh; i++)
		inc += b->neigh[i].incomplete;
	fprintf(f, "  neighbours (arp -an, ndp -na): %zu, %zu incomplete\n",
		b->nneigh, inc);
	for (size_t i = 0; i < b->nneigh; i++)
		if (b->neigh[i].incomplete)
			fprintf(f, "    %s (incomplete) on %s  (%s)\n",
				ipaddr_str(ar, &b->neigh[i].addr),
				b->neigh[i].ifname,
				where(ar, &b->neigh[i].loc));
}

static void
box_spd(FILE *f, struct arena *ar, const struct boxstate *b)
{
	static const char *const dirs[] = {"in", "out", "fwd", "?"};
	fprintf(f, "  kernel policies (setkey -DP): %zu\n", b->nspd);
	for (size_t i = 0; i < b->nspd; i++) {
		const struct box_spd *p = &b->spd[i];
		fprintf(f, "    %s %s %s -> %s", dirs[p->dir],
			p->action ? p->action : "?", prefix_str(ar, &p->src),
			prefix_str(ar, &p->dst));
		if (p->has_outer)
			fprintf(f, " tunnel %s -> %s",
				ipaddr_str(ar, &p->outer_src),
				ipaddr_str(ar, &p->outer_dst));
		if (p->reqid)
			fprintf(f, " reqid %u", p->reqid);
		if (p->ifname)
			fprintf(f, " on %s", p->ifname);
		fprintf(f, "  (%s)\n", where(ar, &p->loc));
	}
}

/* The running ruleset (doc/behaviour/rules-debug.md §4): which file the
 * trace evaluates, or why none. */
static void
box_running(FILE *f, const struct boxstate *b)
{
	if (b->nld_rules || b->ld_why_not)
		fprintf(
		    f,
		    "  loaded ruleset (pfctl -vvsr): %zu rules from %s%s%s\n",
		    b->nld_rules, b->nld_rules ? b->ld_rules[0].loc.file : "?",
		    b->ld_why_not ? "; not evaluated, " : "",
		    b->ld_why_not ? b->ld_why_not : "");
	if (b->nrd_rules || b->rd_why_not)
		fprintf(f,
			"  generated ruleset (rules.debug): %zu rules, %zu "
			"tables from %s%s%s\n",
			b->nrd_rules, b->ntables,
			b->rules_debug_file ? b->rules_debug_file : "?",
			b->rd_why_not ? "; not evaluated, " : "",
			b->rd_why_not ? b->rd_why_not : "");
}

void
rep_box_text(FILE *f, struct arena *ar, const struct site *s)
{
	const struct boxstate *b = &s->ev.box;
	if (!b->present)
		return;
	fprintf(f, "\nbox state (%s", b->archive);
	if (b->product_version)
		fprintf(f, ", version %s from %s", b->product_version,
			b->version_from);
	fputs("):\n", f);
	if (b->has_routes)
		box_routes(f, ar, b);
	if (b->has_ifs)
		box_ifs(f, ar, b);
	if (b->has_arp || b->has_ndp)
		box_neigh(f, ar, b);
	if (b->has_spd)
		box_spd(f, ar, b);
	box_running(f, b);
	for (size_t i = 0; i < b->nerrors; i++)
		fprintf(f, "  not collected: %s  (%s)\n", b->errors[i].text,
			where(ar, &b->errors[i].loc));
}
