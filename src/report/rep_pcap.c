/* A capture analysis as text and JSON (ipsecdiag pcap). Frames are cited
 * as #N, file#N in diagnostics; times are the capture's own (UTC). */
#include <string.h>
#include <time.h>

#include "report/rep_pcap.h"

enum { LIST_MAX = 20 };

static const char *
num(uint64_t v, char buf[32])
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	int o = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

static const char *
ts_format(double ts, char buf[40])
{
	time_t t = (time_t)ts;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	size_t n = strftime(buf, 40, "%Y-%m-%d %H:%M:%S", &tm);
	long us = (long)((ts - (double)t) * 1e6 + 0.5);
	snprintf(buf + n, 40 - n, ".%06ld", us > 999999 ? 999999 : us);
	return buf;
}

static bool
has_ports(uint8_t proto)
{
	return proto == PROTO_TCP || proto == PROTO_UDP;
}

static const char *
endpoint(const struct ipaddr *a, uint16_t port, bool ports, char buf[64])
{
	char ab[ADDR_STRLEN];
	ipaddr_format(a, ab);
	if (!ports)
		snprintf(buf, 64, "%s", ab);
	else if (a->fam == FAM_V6)
		snprintf(buf, 64, "[%s]:%u", ab, port);
	else
		snprintf(buf, 64, "%s:%u", ab, port);
	return buf;
}

static const char *
icmp_kind(uint8_t ipver, uint8_t type, uint8_t code)
{
	if (ipver == 4 && type == 3) {
		switch (code) {
		case 3:
			return "port-unreachable";
		case 4:
			return "need-frag";
		case 9:
		case 10:
		case 13:
			return "admin-prohibited";
		}
	}
	if (ipver == 6 && type == 2)
		return "packet-too-big";
	if (ipver == 6 && type == 1)
		return code == 1 ? "admin-prohibited" : "port-unreachable";
	return "error";
}

static const char *
notify_list(struct arena *ar, uint8_t ver, const uint16_t *n, size_t k)
{
	char *s = "";
	for (size_t i = 0; i < k; i++) {
		const char *name = ike_notify_name(ver, n[i]);
		s = name ? arena_printf(ar, "%s%s%s", s, i ? "," : "", name)
			 : arena_printf(ar, "%s%s%u", s, i ? "," : "", n[i]);
	}
	return s;
}

static const char *
ike_dir(const struct cap_ike *k)
{
	if (k->ver == 2)
		return k->flags & 0x20 ? "response" : "request";
	return "";
}

static void
text_head(FILE *f, const struct cap_result *r, const char *ifname)
{
	char b1[32], b2[32], t1[40], t2[40];
	if (r->linktype == LT_NFLOG) {
		fprintf(f, "%s: NFLOG (firewall log", r->path);
		for (size_t i = 0; i < r->nnflog_groups; i++)
			fprintf(f, "%s%u",
				i		       ? ","
				: r->nnflog_groups > 1 ? ", groups "
						       : ", group ",
				r->nflog_groups[i]);
		fprintf(f, ") (link type %d)\n", r->linktype);
	} else {
		fprintf(f, "%s: %s (link type %d)\n", r->path,
			linktype_name(r->linktype), r->linktype);
	}
	fprintf(f, "  role: %s\n", cap_role_guess(r));
	if (ifname)
		fprintf(f, "  interface: %s (from the pfSense file name)\n",
			ifname);
	if (r->packets)
		fprintf(f, "  time: %s .. %s UTC (%.3f s)\n",
			ts_format(r->first_ts, t1), ts_format(r->last_ts, t2),
			r->last_ts - r->first_ts);
	fprintf(f,
		"  packets: %s (%s bytes): IPv4 %llu, IPv6 %llu, ARP %llu,"
		" other %llu; %llu truncated, %llu malformed\n",
		num(r->packets, b1), num(r->bytes, b2),
		(unsigned long long)r->ipv4, (unsigned long long)r->ipv6,
		(unsigned long long)r->arp, (unsigned long long)r->other,
		(unsigned long long)r->truncated,
		(unsigned long long)r->malformed);
	for (size_t i = 0; i < r->nenc_spis; i++)
		fprintf(f, "%s0x%08x%s",
			i ? ", " : "  enc0 header SPIs: ", r->enc_spis[i],
			i + 1 == r->nenc_spis ? "\n" : "");
}

/* What stands out about a flow, in the words a user checks for. */
static void
flow_notes(FILE *f, const struct cap_flow *x)
{
	char m[18];
	if (x->pkts[1] == 0)
		fputs("  ONE WAY", f);
	for (int d = 0; d < 2; d++) {
		if (x->rst[d])
			fprintf(f, "  RST from %s (#%llu)", d ? "b" : "a",
				(unsigned long long)x->rst_frame[d]);
		if (x->retrans[d])
			fprintf(f,
				"  %u retransmitted by %s, up to %u bytes "
				"(#%llu)",
				x->retrans[d], d ? "b" : "a", x->retrans_len[d],
				(unsigned long long)x->retrans_frame[d]);
	}
	if (x->has_mac[0] && x->has_mac[1] && x->pkts[1] &&
	    memcmp(x->mac_src[0], x->mac_dst[1], 6) != 0)
		fprintf(f, "  reply to MAC %s, request came from %s",
			mac_format(x->mac_dst[1], m),
			mac_format(x->mac_src[0], (char[18]){0}));
	fputc('\n', f);
}

static void
text_flows(FILE *f, const struct cap_result *r)
{
	char a[64], b[64];
	fprintf(f, "  flows: %llu, %llu both ways, %llu one way\n",
		(unsigned long long)r->flows_total,
		(unsigned long long)(r->flows_total - r->flows_oneway),
		(unsigned long long)r->flows_oneway);
	if (r->flows_evicted)
		fprintf(f,
			"  note: the flow table reached its ceiling; %llu "
			"idle flows were closed early (a late reply counts as"
			" a new flow)\n",
			(unsigned long long)r->flows_evicted);
	size_t shown = 0;
	for (size_t i = 0; i < r->nflows && shown < LIST_MAX; i++, shown++) {
		const struct cap_flow *x = &r->flows[i];
		bool pr = has_ports(x->proto);
		fprintf(f, "    #%-6llu %-5s %s %s %s  %llu/%llu packets",
			(unsigned long long)x->first_frame,
			proto_name(x->proto), endpoint(&x->a, x->aport, pr, a),
			x->pkts[1] ? "<->" : "->",
			endpoint(&x->b, x->bport, pr, b),
			(unsigned long long)x->pkts[0],
			(unsigned long long)x->pkts[1]);
		flow_notes(f, x);
	}
	if (r->flows_total > shown)
		fprintf(f, "    ... %llu more flows\n",
			(unsigned long long)(r->flows_total - shown));
}

static bool
esp_has_reverse(const struct cap_result *r, const struct cap_esp *e)
{
	for (size_t i = 0; i < r->nesp; i++)
		if (r->esp[i].src.v == e->dst.v &&
		    r->esp[i].dst.v == e->src.v &&
		    r->esp[i].src.fam == e->dst.fam)
			return true;
	return false;
}

static void
text_esp(FILE *f, const struct cap_result *r)
{
	char a[64], b[64];
	if (r->nesp == 0 && r->keepalives == 0)
		return;
	fprintf(f,
		"  ESP: %zu SPIs (%llu ESP, %llu UDP-encapsulated, %llu "
		"NAT-T keepalives)\n",
		r->nesp, (unsigned long long)r->esp_pkts,
		(unsigned long long)r->natt_pkts,
		(unsigned long long)r->keepalives);
	for (size_t i = 0; i < r->nesp && i < LIST_MAX; i++) {
		const struct cap_esp *e = &r->esp[i];
		fprintf(f,
			"    #%-6llu SPI 0x%08x %s -> %s%s  %llu packet%s, "
			"seq %u..%u%s\n",
			(unsigned long long)e->first_frame, e->spi,
			endpoint(&e->src, 0, false, a),
			endpoint(&e->dst, 0, false, b),
			e->udp ? " (UDP 4500)" : "",
			(unsigned long long)e->pkts, e->pkts == 1 ? "" : "s",
			e->seq_first, e->seq_last,
			esp_has_reverse(r, e) ? "" : "  ONE WAY: no ESP back");
	}
	if (r->nesp > LIST_MAX || r->esp_dropped)
		fprintf(f, "    ... more SPIs not listed\n");
}

static void
text_ike(FILE *f, struct arena *ar, const struct cap_result *r)
{
	char a[64], b[64];
	if (r->nike == 0)
		return;
	fprintf(f, "  IKE: %llu packets, %zu messages\n",
		(unsigned long long)r->ike_pkts, r->nike);
	for (size_t i = 0; i < r->nike && i < LIST_MAX; i++) {
		const struct cap_ike *k = &r->ike[i];
		const char *x = ike_exch_name(k->ver, k->exch);
		fprintf(f, "    #%-6llu %s -> %s IKEv%u %s%s%s msgid %u",
			(unsigned long long)k->first_frame,
			endpoint(&k->src, k->sport, true, a),
			endpoint(&k->dst, k->dport, true, b), k->ver,
			x ? x : arena_printf(ar, "exchange %u", k->exch),
			*ike_dir(k) ? " " : "", ike_dir(k), k->msgid);
		if (k->nnotify)
			fprintf(f, " notify %s",
				notify_list(ar, k->ver, k->notify, k->nnotify));
		if (k->encrypted)
			fputs(" (encrypted)", f);
		if (k->count > 1)
			fprintf(f, " x%llu", (unsigned long long)k->count);
		fputc('\n', f);
	}
	if (r->nike > LIST_MAX || r->ike_dropped)
		fprintf(f, "    ... more IKE messages not listed\n");
}

static void
text_arp(FILE *f, const struct cap_result *r)
{
	char a[64], b[64], m[18];
	size_t unanswered = 0;
	for (size_t i = 0; i < r->narps; i++)
		unanswered += r->arps[i].replies == 0;
	if (r->narps == 0)
		return;
	fprintf(f, "  ARP: %zu who-has targets, %zu without reply\n", r->narps,
		unanswered);
	size_t shown = 0;
	for (size_t i = 0; i < r->narps && shown < LIST_MAX; i++) {
		const struct cap_arp *x = &r->arps[i];
		if (x->replies)
			continue;
		shown++;
		fprintf(f,
			"    #%-6llu who-has %s tell %s (%s) x%llu, no reply\n",
			(unsigned long long)x->first_frame,
			endpoint(&x->tpa, 0, false, a),
			endpoint(&x->spa, 0, false, b), mac_format(x->sha, m),
			(unsigned long long)x->requests);
	}
}

static void
text_tcp_icmp(FILE *f, const struct cap_result *r)
{
	char a[64], b[64], c[64];
	if (r->nmss) {
		fputs("  TCP SYN MSS:", f);
		for (size_t i = 0; i < r->nmss; i++)
			fprintf(f, "%s %u x%llu (#%llu)", i ? "," : "",
				r->mss[i].mss,
				(unsigned long long)r->mss[i].count,
				(unsigned long long)r->mss[i].first_frame);
		fputc('\n', f);
	}
	if (r->retrans_pkts || r->rst_pkts)
		fprintf(f, "  TCP: %llu retransmitted segments, %llu RST\n",
			(unsigned long long)r->retrans_pkts,
			(unsigned long long)r->rst_pkts);
	if (r->nicmp)
		fputs("  ICMP errors:\n", f);
	for (size_t i = 0; i < r->nicmp && i < LIST_MAX; i++) {
		const struct cap_icmp *e = &r->icmp[i];
		fprintf(f, "    #%-6llu ICMP %s",
			(unsigned long long)e->first_frame,
			icmp_kind(e->ipver, e->type, e->code));
		if (e->mtu)
			fprintf(f, " MTU %u", e->mtu);
		fprintf(f, " %s -> %s", endpoint(&e->src, 0, false, a),
			endpoint(&e->dst, 0, false, b));
		if (e->inner.valid) {
			bool pr = has_ports(e->inner.proto);
			fprintf(f, ", quoting %s %s -> %s",
				proto_name(e->inner.proto),
				endpoint(&e->inner.src, e->inner.sport, pr, a),
				endpoint(&e->inner.dst, e->inner.dport, pr, c));
		}
		fprintf(f, " x%llu\n", (unsigned long long)e->count);
	}
	if (r->frag4 || r->frag6 || r->esp_frag)
		fprintf(f,
			"  fragments: IPv4 %llu, IPv6 %llu, of ESP/NAT-T "
			"%llu\n",
			(unsigned long long)r->frag4,
			(unsigned long long)r->frag6,
			(unsigned long long)r->esp_frag);
	if (r->packets)
		fprintf(f, "  largest packet: %u bytes\n", r->max_len);
}

static const char *
nflog_devs(const struct cap_nflog *x, char buf[48])
{
	if (x->indev && x->outdev)
		snprintf(buf, 48, "in if%u out if%u", x->indev, x->outdev);
	else if (x->indev || x->outdev)
		snprintf(buf, 48, "%s if%u", x->indev ? "in" : "out",
			 x->indev ? x->indev : x->outdev);
	else
		snprintf(buf, 48, "no device");
	return buf;
}

/* The logged packets by prefix, in the order each prefix first shows;
 * devices are ifindexes (the site's ip -j addr names them). */
static void
text_nflog(FILE *f, const struct cap_result *r)
{
	char a[64], b[64], d[48];
	fprintf(f, "  logged: %llu packets in %zu flow%s%s\n",
		(unsigned long long)r->nflog_pkts, r->nnflog,
		r->nnflog == 1 ? "" : "s",
		r->nflog_dropped ? " (more flows not kept)" : "");
	size_t shown = 0;
	for (size_t i = 0; i < r->nnflog && shown < LIST_MAX * 2; i++) {
		const struct cap_nflog *p = &r->nflog[i];
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			first = strcmp(r->nflog[j].prefix, p->prefix) != 0;
		if (!first)
			continue;
		uint64_t n = 0;
		for (size_t j = i; j < r->nnflog; j++)
			n += strcmp(r->nflog[j].prefix, p->prefix) == 0
				 ? r->nflog[j].count
				 : 0;
		fprintf(f, "    prefix \"%s\": %llu packets%s\n", p->prefix,
			(unsigned long long)n,
			nflog_prefix_drops(p->prefix) ? " (dropped)" : "");
		for (size_t j = i; j < r->nnflog && shown < LIST_MAX * 2; j++) {
			const struct cap_nflog *x = &r->nflog[j];
			if (strcmp(x->prefix, p->prefix) != 0)
				continue;
			shown++;
			bool pr = has_ports(x->proto);
			fprintf(f, "      #%-6llu %-5s %s -> %s  %s%s%s  x%llu",
				(unsigned long long)x->first_frame,
				proto_name(x->proto),
				endpoint(&x->src, x->sport, pr, a),
				endpoint(&x->dst, x->dport, pr, b),
				x->has_hook ? nflog_hook_name(x->hook) : "",
				x->has_hook ? ", " : "", nflog_devs(x, d),
				(unsigned long long)x->count);
			if (x->esp)
				fprintf(f, "  ESP SPI 0x%08x%s", x->spi,
					x->esp_udp ? " in UDP 4500" : "");
			fputc('\n', f);
		}
	}
	if (r->nnflog > shown)
		fprintf(f, "    ... %zu more flows\n", r->nnflog - shown);
}

void
rep_pcap_text(FILE *f, struct arena *ar, const struct cap_result *r,
	      bool blank_before)
{
	if (blank_before)
		fputc('\n', f);
	text_head(f, r, cap_name_iface(ar, r->path));
	if (r->linktype == LT_NFLOG) {
		text_nflog(f, r);
		text_tcp_icmp(f, r);
		return;
	}
	text_flows(f, r);
	text_esp(f, r);
	text_ike(f, ar, r);
	text_arp(f, r);
	text_tcp_icmp(f, r);
}
