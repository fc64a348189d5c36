/* Linux kernel facts of a strongSwan gateway: the xfrm if_id of each
 * route-based child must be an xfrm interface's, and an xfrm interface
 * the routes use must have a child (doc/behaviour/cloud-and-linux.md
 * §7). rp_filter and fwd policies are decided per packet by the trace
 * (engine/trace_linux.c). A policy or SA mark must be one some VTI or
 * netfilter rule sets (§10). */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"

static const struct iface *
iface_of_ifid(const struct site *s, unsigned id)
{
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].has_if_id && s->ifaces[i].xfrm_if_id == id)
			return &s->ifaces[i];
	return NULL;
}

static bool
has_xfrm_iface(const struct site *s)
{
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].has_if_id)
			return true;
	return false;
}

/* kernel-libipsec's TUN (an ENC interface that is no xfrm interface) */
static bool
has_libipsec_tun(const struct site *s)
{
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].role == ROLE_ENC && s->ifaces[i].dev &&
		    !s->ifaces[i].has_if_id &&
		    strcmp(s->ifaces[i].key, "enc0") != 0)
			return true;
	return false;
}

/* The xfrm interfaces are known: one was read, or `ip -d link` (which
 * lists every link) was given and had none. A gateway on kernel-libipsec
 * with no xfrm interface is left alone: charon's SAs then live in
 * userspace, which ignores if_id (doc/behaviour/linux-lab.md §4). */
static bool
knows_if_ids(const struct site *s)
{
	if (has_xfrm_iface(s))
		return true;
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind == INPUT_IP_LINK && !s->inputs[i].failed)
			return !has_libipsec_tun(s);
	return false;
}

static void
child_ifid(struct analysis *an, const struct site *s, const struct phase2 *p,
	   unsigned id, const char *dir)
{
	struct arena *ar = an->ar;
	if (id == 0 || iface_of_ifid(s, id))
		return;
	struct finding *f = check_finding(
	    an, CHK_LINUX_XFRM_IFID, s,
	    arena_printf(ar, "%s|%u", check_loc(ar, &p->loc), id));
	f->summary = arena_printf(
	    ar,
	    "child '%s' has if_id_%s %#x, but no xfrm interface of %s "
	    "has that if_id",
	    p->descr ? p->descr : "", dir, id, s->name);
	f->detail =
	    !strcmp(dir, "out")
		? "Traffic routed into an xfrm interface is encrypted only by "
		  "the SAs and policies carrying that interface's if_id; "
		  "this child's are reached by no interface, so nothing is "
		  "sent into the tunnel (doc/behaviour/cloud-and-linux.md §7)."
		: "Decrypted traffic of an SA with an if_id is delivered to "
		  "the xfrm interface with that if_id; without one the "
		  "kernel drops it (doc/behaviour/cloud-and-linux.md §7).";
	finding_evidence(
	    ar, f, EVREF_CONFIG, &p->loc,
	    arena_printf(ar, "child '%s' if_id_in %#x, if_id_out %#x",
			 p->descr ? p->descr : "", p->if_id_in, p->if_id_out));
	for (size_t i = 0; i < s->ninputs && !has_xfrm_iface(s); i++)
		if (s->inputs[i].kind == INPUT_IP_LINK && !s->inputs[i].failed)
			finding_evidence(
			    ar, f, EVREF_CONFIG,
			    &(struct srcloc){.file = s->inputs[i].path},
			    "ip -d link lists no xfrm interface");
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].has_if_id)
			finding_evidence(ar, f, EVREF_CONFIG, &s->ifaces[i].loc,
					 arena_printf(ar, "%s: xfrm if_id %#x",
						      s->ifaces[i].dev,
						      s->ifaces[i].xfrm_if_id));
	f->fix = arena_printf(ar,
			      "On %s: give the child's if_id_in/if_id_out "
			      "the if_id of its xfrm interface (ip link add "
			      "xfrmN type xfrm dev WAN if_id %#x), or the "
			      "reverse.",
			      s->name, id);
}

/* One finding per site: the config's children and the kernel's
 * policies whose mark nothing sets, as evidence; the trace's failing hops
 * join it (check_flow.c, the same key). */
static struct finding *
mark_finding(struct analysis *an, const struct site *s, uint32_t value,
	     uint32_t mask)
{
	struct arena *ar = an->ar;
	struct finding *f = check_finding(an, CHK_LINUX_XFRM_MARK, s, "marks");
	if (f->summary)
		return f;
	bool rules = s->nchains > 0;
	if (rules)
		f->severity = SEV_ERROR;
	f->summary = arena_printf(
	    ar,
	    "%s's xfrm policies and SAs with mark %#x/%#x match only "
	    "packets carrying that mark, and %s sets it: the tunnel's "
	    "traffic matches no policy (sent in clear or dropped) and its "
	    "ESP finds no SA",
	    s->name, value, mask,
	    rules ? "no VTI (ip -d link) and no netfilter rule"
		  : "no VTI (ip -d link)");
	f->detail =
	    rules ? "The kernel compares a packet's mark with the policy's "
		    "and the SA's (mark & mask); a VTI sets its okey/ikey as "
		    "the mark, netfilter MARK/CONNMARK or 'meta mark set' "
		    "set one; none here does (doc/behaviour/"
		    "cloud-and-linux.md §10)."
		  : "The kernel compares a packet's mark with the policy's "
		    "and the SA's (mark & mask); a VTI sets its okey/ikey as "
		    "the mark, netfilter rules may too. Assumed: no netfilter "
		    "rule sets it (give 'iptables-save' or 'nft list "
		    "ruleset' to settle it) (doc/behaviour/"
		    "cloud-and-linux.md §10).";
	const struct iface *v = NULL;
	for (size_t i = 0; i < s->nifaces && v == NULL; i++)
		if (s->ifaces[i].has_vti_keys)
			v = &s->ifaces[i];
	const char *vti =
	    v ? arena_printf(ar,
			     "give VTI %s the key %u (ip link set %s type vti "
			     "key %u) or the child its okey %u as the mark",
			     v->dev, value & mask, v->dev, value & mask,
			     v->vti_okey)
	      : arena_printf(ar,
			     "create the VTI the mark is meant for (ip link "
			     "add vtiN type vti local LOCAL remote PEER key "
			     "%u, then route the remote networks into it)",
			     value & mask);
	f->fix = arena_printf(
	    ar,
	    "On %s: %s, or remove mark_in/mark_out (ipsec.conf mark=) from "
	    "the connection so that its policies match all traffic; for an "
	    "xfrm interface use if_id_in/if_id_out instead of marks.",
	    s->name, vti);
	return f;
}

static void
mark_check(struct analysis *an, const struct site *s, uint32_t value,
	   uint32_t mask, const struct srcloc *loc, const char *what)
{
	if (!xfrm_mark_unset(s, value, mask))
		return; /* set by a VTI, or mark 0: unmarked packets match */
	struct finding *f = mark_finding(an, s, value, mask);
	if (f->nev < 8)
		finding_evidence(an->ar, f, EVREF_CONFIG, loc, what);
}

/* Marks of children (swanctl mark_in/mark_out, ipsec.conf mark=) and of
 * the kernel's policies (ip xfrm policy), decided only when the links
 * are known (ip -d link) and no netfilter rule sets marks. */
static void
xfrm_marks(struct analysis *an, const struct site *s)
{
	struct arena *ar = an->ar;
	if (!s->has_link_details || s->nf_sets_mark)
		return;
	for (size_t j = 0; j < s->np2; j++) {
		const struct phase2 *p = &s->p2[j];
		const char *n = p->descr ? p->descr : "";
		if (p->disabled)
			continue;
		if (p->has_mark_out)
			mark_check(
			    an, s, p->mark_out, p->mark_out_mask, &p->loc,
			    arena_printf(ar, "child '%s' mark_out %#x/%#x", n,
					 p->mark_out, p->mark_out_mask));
		if (p->has_mark_in)
			mark_check(an, s, p->mark_in, p->mark_in_mask, &p->loc,
				   arena_printf(ar,
						"child '%s' mark_in %#x/%#x", n,
						p->mark_in, p->mark_in_mask));
	}
	for (size_t i = 0; i < s->nxpols; i++) {
		const struct xfrm_pol *x = &s->xpols[i];
		if (x->has_mark && x->has_tmpl && !x->block)
			mark_check(
			    an, s, x->mark, x->mark_mask, &x->loc,
			    arena_printf(ar,
					 "ip xfrm policy %s -> %s dir %s "
					 "mark %#x/%#x",
					 prefix_str(ar, &x->src),
					 prefix_str(ar, &x->dst),
					 x->dir == XDIR_IN    ? "in"
					 : x->dir == XDIR_OUT ? "out"
							      : "fwd",
					 x->mark, x->mark_mask));
	}
	for (size_t i = 0; i < an->fs.n; i++) /* the links that were read */
		if (an->fs.f[i].id == CHK_LINUX_XFRM_MARK && an->fs.f[i].site &&
		    strcmp(an->fs.f[i].site, s->name) == 0)
			for (size_t k = 0; k < s->nifaces; k++)
				if (s->ifaces[k].role == ROLE_VTI &&
				    an->fs.f[i].nev < 10)
					finding_evidence(
					    ar, &an->fs.f[i], EVREF_CONFIG,
					    &s->ifaces[k].loc,
					    s->ifaces[k].has_vti_keys
						? arena_printf(
						      ar,
						      "%s: VTI ikey %#x okey "
						      "%#x",
						      s->ifaces[k].dev,
						      s->ifaces[k].vti_ikey,
						      s->ifaces[k].vti_okey)
						: arena_printf(
						      ar, "%s: no keys",
						      s->ifaces[k].dev));
}

static void
check_linux_marks(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++)
		if (an->sites[i]->kind == SITE_LINUX)
			xfrm_marks(an, an->sites[i]);
}

void
check_linux(struct analysis *an)
{
	check_linux_marks(an);
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *s = an->sites[i];
		if (s->kind != SITE_LINUX || !knows_if_ids(s))
			continue;
		for (size_t j = 0; j < s->np2; j++) {
			const struct phase2 *p = &s->p2[j];
			if (p->disabled)
				continue;
			child_ifid(an, s, p, p->if_id_out, "out");
			if (p->if_id_in != p->if_id_out)
				child_ifid(an, s, p, p->if_id_in, "in");
		}
	}
}
