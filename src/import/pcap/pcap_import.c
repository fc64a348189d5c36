/* Captures as site evidence: which interface a capture is from (link
 * type, pfSense's packetcapture-<if>-<timestamp>.pcap name, addresses
 * against the config; doc/behaviour/pfsense.md §4) and the observations
 * doc/ARCHITECTURE.md §4 decides guide sections with, each citing file#frame
 * and time. */
#include <stdio.h>
#include <string.h>

#include "import/load.h"
#include "import/pcap/capture.h"

enum { MAX_OBS_PER_KIND = 2000, NKINDS = 32 };

struct imp {
	struct arena *ar;
	struct site *s;
	const struct cap_result *r;
	const char *iface; /* interface key, or the device when unknown */
	const char *how;   /* how it was attributed, for the summary */
	struct iface *ifp; /* the site's interface, when known */
	size_t nkind[NKINDS];
	uint64_t dropped;
};

static struct observation *
obs_new(struct imp *im, enum obs_kind k, uint64_t frame, double first,
	double last)
{
	if (im->nkind[k % NKINDS]++ >= MAX_OBS_PER_KIND) {
		im->dropped++;
		return NULL;
	}
	struct evidence *ev = &im->s->ev;
	struct observation *o = ARENA_PUSH(im->ar, ev->obs, ev->nobs, ev->cobs);
	o->kind = k;
	o->iface = im->iface;
	o->where = (struct srcloc){.file = im->r->path, .frame = frame};
	o->first_ts = first;
	o->last_ts = last;
	return o;
}

static struct iface *
iface_by_role(const struct site *s, enum if_role role)
{
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].role == role)
			return &s->ifaces[i];
	return NULL;
}

static bool
is_peer(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->np1; i++)
		if (s->p1[i].peer_known && !s->p1[i].disabled &&
		    ipaddr_cmp(&s->p1[i].peer, a) == 0)
			return true;
	return false;
}

/* Interface whose subnets hold the most packets' addresses; an address
 * talking IKE/ESP with a phase 1 peer names the WAN outright. */
static struct iface *
iface_by_addresses(const struct site *s, const struct cap_result *r)
{
	for (size_t i = 0; i < r->nesp + r->nike; i++) {
		const struct ipaddr *a =
		    i < r->nesp ? &r->esp[i].src : &r->ike[i - r->nesp].src;
		const struct ipaddr *b =
		    i < r->nesp ? &r->esp[i].dst : &r->ike[i - r->nesp].dst;
		if (is_peer(s, b) && site_iface_for_addr(s, a))
			return site_iface_for_addr(s, a);
		if (is_peer(s, a) && site_iface_for_addr(s, b))
			return site_iface_for_addr(s, b);
	}
	struct iface *best = NULL;
	uint64_t best_n = 0;
	for (size_t i = 0; i < s->nifaces; i++) {
		uint64_t n = 0;
		for (size_t j = 0; j < r->nflows; j++) {
			const struct cap_flow *f = &r->flows[j];
			if (site_iface_for_addr(s, &f->a) == &s->ifaces[i] ||
			    site_iface_for_addr(s, &f->b) == &s->ifaces[i])
				n += f->pkts[0] + f->pkts[1];
		}
		if (n > best_n) {
			best = &s->ifaces[i];
			best_n = n;
		}
	}
	return best;
}

static void
attribute(struct imp *im)
{
	const struct cap_result *r = im->r;
	const char *dev = cap_name_iface(im->ar, r->path);
	struct iface *f = dev ? site_iface_by_dev(im->s, dev) : NULL;
	if (f == NULL && dev == NULL) {
		/* tcpdump users name files after the interface: lan0.pcap */
		const char *base = strrchr(r->path, '/');
		base = base ? base + 1 : r->path;
		const char *dot = strchr(base, '.');
		f = site_iface_by_dev(
		    im->s,
		    arena_strndup(im->ar, base,
				  dot ? (size_t)(dot - base) : strlen(base)));
	}
	if (f) {
		im->how = "file name";
	} else if (r->linktype == LT_ENC) {
		f = iface_by_role(im->s, ROLE_ENC);
		im->iface = "enc0";
		im->how = "link type ENC";
	} else if (dev == NULL && r->linktype != LT_NULL &&
		   r->linktype != LT_LOOP && r->linktype != LT_RAW &&
		   r->linktype != LT_IPV4 && r->linktype != LT_IPV6) {
		f = iface_by_addresses(im->s, r);
		im->how = "addresses";
	}
	if (f) {
		im->ifp = f;
		im->iface = f->key;
	} else if (im->iface == NULL) {
		im->iface = dev ? dev
			    : r->linktype == LT_NULL || r->linktype == LT_LOOP
				? "tunnel"
			    : r->linktype == LT_RAW ? "ipsec0"
						    : "unknown";
		im->how = dev ? "file name, not in the config" : "link type";
	}
}

static bool
in_remote_p2(const struct site *s, const struct ipaddr *a,
	     const struct phase2 **which)
{
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		if (p->disabled || !p->remote.resolved)
			continue;
		if (prefix_contains(&p->remote.net, a)) {
			*which = p;
			return true;
		}
	}
	return false;
}

static void
obs_flow_end(struct observation *o, const struct cap_flow *f, int d)
{
	o->src = d ? f->b : f->a;
	o->dst = d ? f->a : f->b;
	o->sport = d ? f->bport : f->aport;
	o->dport = d ? f->aport : f->bport;
	o->proto = f->proto;
}

/* A reply sent to another MAC than the one the request came from: the
 * host answers through another gateway (doc/ARCHITECTURE.md §4, host-gateway).
 */
static const char *
reply_mac(struct arena *ar, const struct cap_flow *f)
{
	char m[18];
	if (!f->has_mac[0] || !f->has_mac[1] || f->pkts[1] == 0 ||
	    memcmp(f->mac_src[0], f->mac_dst[1], 6) == 0)
		return NULL;
	return arena_strdup(ar, mac_format(f->mac_dst[1], m));
}

static void
emit_tcp(struct imp *im, const struct cap_flow *f)
{
	for (int d = 0; d < 2; d++) {
		struct observation *o;
		if (f->mss[d] &&
		    (o = obs_new(im, OBS_CAP_TCP_MSS, f->mss_frame[d],
				 f->first_ts, f->first_ts))) {
			obs_flow_end(o, f, d);
			o->value = f->mss[d];
		}
		if (f->rst[d] &&
		    (o = obs_new(im, OBS_CAP_TCP_RST, f->rst_frame[d],
				 f->first_ts, f->last_ts))) {
			obs_flow_end(o, f, d);
		}
		if (f->retrans_full[d] &&
		    (o = obs_new(im, OBS_CAP_RETRANS, f->retrans_frame[d],
				 f->first_ts, f->last_ts))) {
			obs_flow_end(o, f, d);
			o->count = f->retrans[d];
			o->value = f->retrans_len[d];
		}
	}
}

/* On the WAN, traffic to or from a remote phase 2 network that is not
 * IKE/ESP left in clear (p2-not-covered, policy-route-bypass). */
static void
emit_cleartext(struct imp *im, const struct cap_flow *f)
{
	const struct phase2 *p2;
	if (im->ifp == NULL || im->ifp->role != ROLE_WAN ||
	    f->proto == PROTO_ESP ||
	    (f->proto == PROTO_UDP && (f->aport == 500 || f->aport == 4500 ||
				       f->bport == 500 || f->bport == 4500)))
		return;
	int d = in_remote_p2(im->s, &f->b, &p2)	  ? 0
		: in_remote_p2(im->s, &f->a, &p2) ? 1
						  : -1;
	if (d < 0)
		return;
	struct observation *o = obs_new(im, OBS_CAP_CLEARTEXT, f->first_frame,
					f->first_ts, f->last_ts);
	if (o == NULL)
		return;
	obs_flow_end(o, f, d);
	o->count = f->pkts[d];
	o->count_rev = f->pkts[!d];
	bool nat = site_is_own_addr(im->s, &o->src);
	o->text = arena_printf(im->ar,
			       "to remote phase 2 network %s in "
			       "clear%s",
			       p2->remote.text ? p2->remote.text : "?",
			       nat ? ", NATed to the WAN address" : "");
}

static void
emit_flows(struct imp *im)
{
	for (size_t i = 0; i < im->r->nflows; i++) {
		const struct cap_flow *f = &im->r->flows[i];
		struct observation *o = obs_new(
		    im, OBS_CAP_FLOW, f->first_frame, f->first_ts, f->last_ts);
		if (o) {
			obs_flow_end(o, f, 0);
			o->count = f->pkts[0];
			o->count_rev = f->pkts[1];
			o->bytes = f->bytes[0];
			o->bytes_rev = f->bytes[1];
			o->mac_dst = reply_mac(im->ar, f);
		}
		if (f->proto == PROTO_TCP)
			emit_tcp(im, f);
		emit_cleartext(im, f);
	}
}

static void
emit_esp(struct imp *im)
{
	for (size_t i = 0; i < im->r->nesp; i++) {
		const struct cap_esp *e = &im->r->esp[i];
		struct observation *o = obs_new(im, OBS_CAP_ESP, e->first_frame,
						e->first_ts, e->last_ts);
		if (o == NULL)
			return;
		o->src = e->src;
		o->dst = e->dst;
		o->proto = e->udp ? PROTO_UDP : PROTO_ESP;
		o->sport = o->dport = e->udp ? 4500 : 0;
		o->value = e->spi;
		o->count = e->pkts;
		o->bytes = e->bytes;
		o->dir = site_is_own_addr(im->s, &e->src)   ? PDIR_OUT
			 : site_is_own_addr(im->s, &e->dst) ? PDIR_IN
							    : PDIR_NONE;
		o->count_rev = e->frags; /* fragments: too big for the WAN */
		if (e->frags)
			o->text = arena_printf(im->ar, "%llu fragmented",
					       (unsigned long long)e->frags);
	}
}

static void
emit_ike(struct imp *im)
{
	for (size_t i = 0; i < im->r->nike; i++) {
		const struct cap_ike *k = &im->r->ike[i];
		struct observation *o = obs_new(im, OBS_CAP_IKE, k->first_frame,
						k->first_ts, k->last_ts);
		if (o == NULL)
			return;
		o->src = k->src;
		o->dst = k->dst;
		o->proto = PROTO_UDP;
		o->sport = k->sport;
		o->dport = k->dport;
		o->value = k->exch;
		o->count = k->count;
		const char *x = ike_exch_name(k->ver, k->exch);
		char *t = arena_printf(
		    im->ar, "IKEv%u %s%s", k->ver, x ? x : "exchange",
		    k->ver == 2 ? (k->flags & 0x20 ? " response" : " request")
				: "");
		for (size_t j = 0; j < k->nnotify; j++) {
			const char *n = ike_notify_name(k->ver, k->notify[j]);
			t = n ? arena_printf(im->ar, "%s %s", t, n)
			      : arena_printf(im->ar, "%s notify-%u", t,
					     k->notify[j]);
		}
		o->text = t;
	}
}

static bool
iface_holds(const struct iface *f, const struct ipaddr *a)
{
	for (size_t j = 0; j < f->naddrs; j++) {
		struct prefix p =
		    prefix_make(f->addrs[j].addr, f->addrs[j].plen);
		if (prefix_contains(&p, a))
			return true;
	}
	return false;
}

/* Who-has from a local host for a target outside its interface subnet:
 * the host's mask covers the remote network (host-mask). */
static void
emit_arp(struct imp *im)
{
	for (size_t i = 0; i < im->r->narps; i++) {
		const struct cap_arp *a = &im->r->arps[i];
		const struct iface *f = site_iface_for_addr(im->s, &a->spa);
		const struct phase2 *p2 = NULL;
		bool remote = in_remote_p2(im->s, &a->tpa, &p2);
		if (!remote && (f == NULL || iface_holds(f, &a->tpa)))
			continue;
		struct observation *o = obs_new(im, OBS_CAP_ARP, a->first_frame,
						a->first_ts, a->last_ts);
		if (o == NULL)
			return;
		o->src = a->spa;
		o->dst = a->tpa;
		o->count = a->requests;
		o->count_rev = a->replies;
		o->text =
		    remote
			? arena_printf(im->ar,
				       "who-has for an "
				       "address in remote phase 2 "
				       "network %s",
				       p2->remote.text ? p2->remote.text : "?")
			: "who-has for an address outside the "
			  "sender's interface subnet";
	}
}

static void
emit_icmp(struct imp *im)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	for (size_t i = 0; i < im->r->nicmp; i++) {
		const struct cap_icmp *e = &im->r->icmp[i];
		struct observation *o =
		    obs_new(im, OBS_CAP_ICMP_ERR, e->first_frame, e->first_ts,
			    e->last_ts);
		if (o == NULL)
			return;
		o->src = e->src;
		o->dst = e->dst;
		o->icmp_type = e->type;
		o->icmp_code = e->code;
		o->value = e->mtu;
		o->count = e->count;
		if (!e->inner.valid)
			continue;
		o->proto = e->inner.proto;
		o->sport = e->inner.sport;
		o->dport = e->inner.dport;
		o->text = arena_printf(
		    im->ar, "quoting %s %s:%u -> %s:%u",
		    proto_name(e->inner.proto), ipaddr_format(&e->inner.src, a),
		    e->inner.sport, ipaddr_format(&e->inner.dst, b),
		    e->inner.dport);
	}
}

/* The device of an NFLOG ifindex: by the site's ip -j addr; without
 * it, a guess from the address the device faces (the interface whose
 * subnet holds it, the IPsec interface for a remote phase 2 network). */
static const char *
nflog_dev(struct imp *im, uint32_t ifindex, const struct ipaddr *a)
{
	const struct site *s = im->s;
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].ifindex == ifindex && s->ifaces[i].dev)
			return s->ifaces[i].dev;
	const struct phase2 *p2;
	const struct iface *f = site_iface_for_addr(s, a);
	if (f == NULL && in_remote_p2(s, a, &p2))
		f = iface_by_role(s, ROLE_ENC);
	if (f && f->dev)
		return f->dev;
	return arena_printf(im->ar, "ifindex %u", ifindex);
}

/* Each group of logged packets is a firewall log observation, on the
 * in-device when there is one (as filterlog names the interface a
 * packet arrived on), else the out-device (locally sent packets). */
static void
emit_nflog(struct imp *im)
{
	for (size_t i = 0; i < im->r->nnflog; i++) {
		const struct cap_nflog *e = &im->r->nflog[i];
		struct observation *o = obs_new(
		    im, OBS_FW_BLOCK, e->first_frame, e->first_ts, e->last_ts);
		if (o == NULL)
			return;
		o->dir = e->indev ? PDIR_IN : e->outdev ? PDIR_OUT : PDIR_NONE;
		o->iface = e->indev    ? nflog_dev(im, e->indev, &e->src)
			   : e->outdev ? nflog_dev(im, e->outdev, &e->dst)
				       : "?";
		o->src = e->src;
		o->dst = e->dst;
		o->proto = e->proto;
		o->dport = e->dport;
		o->count = e->count;
		o->bytes = e->bytes;
		o->tracker = e->prefix;
		o->action = nflog_prefix_drops(e->prefix) ? "block" : "log";
		if (e->indev && e->outdev)
			o->text =
			    arena_printf(im->ar, "%s -> %s", o->iface,
					 nflog_dev(im, e->outdev, &e->dst));
		if (e->esp) {
			o->value = e->spi;
			o->text = arena_printf(
			    im->ar, "%s%sESP SPI 0x%08x%s",
			    o->text ? o->text : "", o->text ? ", " : "", e->spi,
			    e->esp_udp ? " in UDP 4500" : "");
		}
	}
}

/* A capture of link type NFLOG is the firewall's log: its records are
 * firewall log evidence (doc/ARCHITECTURE.md §4), not traffic on an interface.
 */
static void
nflog_import(struct imp *im, struct input_file *in)
{
	const struct cap_result *r = im->r;
	struct evidence *ev = &im->s->ev;
	emit_nflog(im);
	if (r->packets) {
		if (!ev->log_first || r->first_ts < ev->log_first)
			ev->log_first = r->first_ts;
		if (r->last_ts > ev->log_last)
			ev->log_last = r->last_ts;
	}
	ev->has_log = true;
	ev->log_lines += r->nflog_pkts;
	char *groups = "";
	for (size_t i = 0; i < r->nnflog_groups; i++)
		groups = arena_printf(im->ar, "%s%s%u", groups, i ? "," : " ",
				      r->nflog_groups[i]);
	in->summary = arena_printf(
	    im->ar,
	    "NFLOG (firewall log%s%s%s) "
	    "%llu packets, %zu flows",
	    r->nnflog_groups ? ", group" : "", r->nnflog_groups > 1 ? "s" : "",
	    groups, (unsigned long long)r->nflog_pkts, r->nnflog);
}

bool
pcap_import(struct arena *ar, struct input_file *in, struct site *s)
{
	struct cap_result r;
	struct cap_opts o = {0};
	if (!cap_analyze(ar, in->path, &o, &r))
		return false;
	struct imp im = {.ar = ar, .s = s, .r = &r};
	if (r.linktype == LT_NFLOG) {
		nflog_import(&im, in);
		return true;
	}
	attribute(&im);
	emit_flows(&im);
	emit_esp(&im);
	emit_ike(&im);
	emit_arp(&im);
	emit_icmp(&im);
	s->ev.has_capture = true;
	char n[32];
	snprintf(n, sizeof(n), "%llu", (unsigned long long)r.packets);
	in->summary = arena_printf(
	    ar, "capture %s%s%s%s %s packets%s", im.iface,
	    im.ifp && im.ifp->descr ? " (" : "",
	    im.ifp && im.ifp->descr ? im.ifp->descr : "",
	    im.ifp && im.ifp->descr ? ")" : "", n,
	    r.flows_evicted ? ", flow table evicted idle flows" : "");
	if (im.dropped) {
		struct srcloc loc = {.file = in->path};
		diag(DIAG_NOTE, &loc,
		     "%llu observations beyond %d per kind "
		     "not kept",
		     (unsigned long long)im.dropped, MAX_OBS_PER_KIND);
	}
	return true;
}
