/* A capture analysis as JSON (ipsecdiag pcap --format json). */
#include "report/json_model.h"
#include "report/rep_pcap.h"

static json_t *
jflow(const struct cap_flow *x)
{
	return json_pack(
	    "{s:I, s:s, s:o, s:i, s:o, s:i, s:I, s:I, s:I, s:I,"
	    " s:b, s:f, s:f, s:i, s:i, s:I, s:I}",
	    "frame", (json_int_t)x->first_frame, "proto", proto_name(x->proto),
	    "a", json_addr(&x->a), "a_port", x->aport, "b", json_addr(&x->b),
	    "b_port", x->bport, "packets_ab", (json_int_t)x->pkts[0],
	    "packets_ba", (json_int_t)x->pkts[1], "bytes_ab",
	    (json_int_t)x->bytes[0], "bytes_ba", (json_int_t)x->bytes[1],
	    "one_way", x->pkts[1] == 0, "first_ts", x->first_ts, "last_ts",
	    x->last_ts, "syn_mss_a", x->mss[0], "syn_mss_b", x->mss[1],
	    "retrans", (json_int_t)(x->retrans[0] + x->retrans[1]), "rst",
	    (json_int_t)(x->rst[0] + x->rst[1]));
}

static json_t *
jesp(const struct cap_esp *e)
{
	char spi[16];
	snprintf(spi, sizeof(spi), "0x%08x", e->spi);
	return json_pack(
	    "{s:I, s:s, s:o, s:o, s:b, s:I, s:I, s:I, s:I, s:I}", "frame",
	    (json_int_t)e->first_frame, "spi", spi, "src", json_addr(&e->src),
	    "dst", json_addr(&e->dst), "udp", e->udp, "packets",
	    (json_int_t)e->pkts, "bytes", (json_int_t)e->bytes, "seq_first",
	    (json_int_t)e->seq_first, "seq_last", (json_int_t)e->seq_last,
	    "fragments", (json_int_t)e->frags);
}

static json_t *
jike(const struct cap_ike *k)
{
	json_t *n = json_array();
	for (size_t i = 0; i < k->nnotify; i++) {
		const char *name = ike_notify_name(k->ver, k->notify[i]);
		json_array_append_new(
		    n, json_pack("{s:i, s:s?, s:b}", "type", k->notify[i],
				 "name", name, "error",
				 ike_notify_is_error(k->ver, k->notify[i])));
	}
	const char *x = ike_exch_name(k->ver, k->exch);
	return json_pack(
	    "{s:I, s:o, s:i, s:o, s:i, s:i, s:i, s:s?, s:b, s:I,"
	    " s:b, s:b, s:I, s:o}",
	    "frame", (json_int_t)k->first_frame, "src", json_addr(&k->src),
	    "sport", k->sport, "dst", json_addr(&k->dst), "dport", k->dport,
	    "version", k->ver, "exchange", k->exch, "exchange_name", x,
	    "response", k->ver == 2 && (k->flags & 0x20), "msgid",
	    (json_int_t)k->msgid, "encrypted", k->encrypted, "non_esp_marker",
	    k->natt, "count", (json_int_t)k->count, "notify", n);
}

static json_t *
jarp(const struct cap_arp *a)
{
	char m[18];
	return json_pack(
	    "{s:I, s:o, s:o, s:s, s:I, s:I}", "frame",
	    (json_int_t)a->first_frame, "sender", json_addr(&a->spa), "target",
	    json_addr(&a->tpa), "sender_mac", mac_format(a->sha, m), "requests",
	    (json_int_t)a->requests, "replies", (json_int_t)a->replies);
}

static json_t *
jicmp(const struct cap_icmp *e)
{
	json_t *o =
	    json_pack("{s:I, s:o, s:o, s:i, s:i, s:i, s:I}", "frame",
		      (json_int_t)e->first_frame, "src", json_addr(&e->src),
		      "dst", json_addr(&e->dst), "type", e->type, "code",
		      e->code, "mtu", e->mtu, "count", (json_int_t)e->count);
	if (e->inner.valid)
		json_object_set_new(
		    o, "quoted",
		    json_pack("{s:s, s:o, s:i, s:o, s:i}", "proto",
			      proto_name(e->inner.proto), "src",
			      json_addr(&e->inner.src), "sport", e->inner.sport,
			      "dst", json_addr(&e->inner.dst), "dport",
			      e->inner.dport));
	return o;
}

static json_t *jnflog_common(const struct cap_nflog *x);

static json_t *
jnflog(const struct cap_nflog *x)
{
	json_t *o = jnflog_common(x);
	if (x->esp) { /* only on ESP records: others keep their shape */
		json_object_set_new(o, "esp_spi", json_integer(x->spi));
		json_object_set_new(o, "esp_in_udp", json_boolean(x->esp_udp));
	}
	return o;
}

static json_t *
jnflog_common(const struct cap_nflog *x)
{
	return json_pack("{s:I, s:s, s:b, s:s?, s:I, s:I, s:s, s:o, s:i, s:o,"
			 " s:i, s:I, s:I, s:f, s:f}",
			 "frame", (json_int_t)x->first_frame, "prefix",
			 x->prefix, "dropped", nflog_prefix_drops(x->prefix),
			 "hook", x->has_hook ? nflog_hook_name(x->hook) : NULL,
			 "indev", (json_int_t)x->indev, "outdev",
			 (json_int_t)x->outdev, "proto", proto_name(x->proto),
			 "src", json_addr(&x->src), "sport", x->sport, "dst",
			 json_addr(&x->dst), "dport", x->dport, "count",
			 (json_int_t)x->count, "bytes", (json_int_t)x->bytes,
			 "first_ts", x->first_ts, "last_ts", x->last_ts);
}

static json_t *
jcounts(const struct cap_result *r)
{
	return json_pack(
	    "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
	    " s:I, s:I, s:I, s:I, s:I}",
	    "packets", (json_int_t)r->packets, "bytes", (json_int_t)r->bytes,
	    "ipv4", (json_int_t)r->ipv4, "ipv6", (json_int_t)r->ipv6, "arp",
	    (json_int_t)r->arp, "other", (json_int_t)r->other, "truncated",
	    (json_int_t)r->truncated, "malformed", (json_int_t)r->malformed,
	    "esp", (json_int_t)r->esp_pkts, "natt", (json_int_t)r->natt_pkts,
	    "keepalives", (json_int_t)r->keepalives, "ike",
	    (json_int_t)r->ike_pkts, "fragments_v4", (json_int_t)r->frag4,
	    "fragments_v6", (json_int_t)r->frag6, "esp_fragments",
	    (json_int_t)r->esp_frag);
}

json_t *
rep_pcap_json(struct arena *ar, const struct cap_result *r)
{
	json_t *flows = json_array(), *esp = json_array(), *ike = json_array(),
	       *arp = json_array(), *icmp = json_array(), *mss = json_array();
	for (size_t i = 0; i < r->nflows; i++)
		json_array_append_new(flows, jflow(&r->flows[i]));
	for (size_t i = 0; i < r->nesp; i++)
		json_array_append_new(esp, jesp(&r->esp[i]));
	for (size_t i = 0; i < r->nike; i++)
		json_array_append_new(ike, jike(&r->ike[i]));
	for (size_t i = 0; i < r->narps; i++)
		json_array_append_new(arp, jarp(&r->arps[i]));
	for (size_t i = 0; i < r->nicmp; i++)
		json_array_append_new(icmp, jicmp(&r->icmp[i]));
	for (size_t i = 0; i < r->nmss; i++)
		json_array_append_new(
		    mss, json_pack("{s:i, s:I, s:I}", "mss", r->mss[i].mss,
				   "count", (json_int_t)r->mss[i].count,
				   "frame", (json_int_t)r->mss[i].first_frame));
	const char *ifname = cap_name_iface(ar, r->path);
	json_t *o = json_pack(
	    "{s:s, s:i, s:s, s:s, s:s?, s:f, s:f, s:o, s:I, s:I,"
	    " s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I}",
	    "file", r->path, "linktype", r->linktype, "linktype_name",
	    linktype_name(r->linktype), "role", cap_role_guess(r),
	    "interface_from_name", ifname, "first_ts", r->first_ts, "last_ts",
	    r->last_ts, "counts", jcounts(r), "flows_total",
	    (json_int_t)r->flows_total, "flows_one_way",
	    (json_int_t)r->flows_oneway, "flows_evicted",
	    (json_int_t)r->flows_evicted, "flows_not_listed",
	    (json_int_t)r->flows_dropped, "flows", flows, "esp", esp, "ike",
	    ike, "arp", arp, "icmp_errors", icmp, "syn_mss", mss,
	    "retransmissions", (json_int_t)r->retrans_pkts, "rst",
	    (json_int_t)r->rst_pkts);
	if (r->linktype == LT_NFLOG) {
		/* the firewall's log: logged packets, not flows on a wire */
		json_t *groups = json_array(), *logged = json_array();
		for (size_t i = 0; i < r->nnflog_groups; i++)
			json_array_append_new(groups,
					      json_integer(r->nflog_groups[i]));
		for (size_t i = 0; i < r->nnflog; i++)
			json_array_append_new(logged, jnflog(&r->nflog[i]));
		json_object_set_new(o, "nflog_groups", groups);
		json_object_set_new(o, "nflog", logged);
		json_object_set_new(o, "nflog_not_kept",
				    json_integer((json_int_t)r->nflog_dropped));
	}
	return o;
}
