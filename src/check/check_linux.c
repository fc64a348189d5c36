/* Linux kernel facts of a strongSwan gateway: the xfrm if_id of each
 * route-based child must be an xfrm interface's, and an xfrm interface
 * the routes use must have a child (doc/behaviour/cloud-and-linux.md
 * §7). rp_filter and fwd policies are decided per packet by the trace
 * (engine/trace_linux.c). */
#include <string.h>

#include "check/check.h"

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

void
check_linux(struct analysis *an)
{
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
