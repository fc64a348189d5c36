/* One capture file through libpcap (pcap_open_offline reads pcap and
 * pcapng) and the dissectors, folded into a struct cap_result. */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import/pcap/capture.h"
#include "import/pcap/flowtab.h"
#include "util/diag.h"

struct cap_run {
	struct arena *ar;
	const struct cap_opts *o;
	struct cap_result *r;
	struct flowtab ft;
	uint64_t frame;
	double ts;
	uint64_t warned;
};

static bool
addr_eq(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->fam == b->fam && a->v == b->v;
}

static void
note_esp(struct cap_run *run, const struct pkt *p, uint32_t len)
{
	struct cap_result *r = run->r;
	struct cap_esp *e = NULL;
	/* most recent first: a capture is usually a few SPIs interleaved */
	for (size_t i = r->nesp; i-- > 0;)
		if (r->esp[i].spi == p->esp_spi &&
		    r->esp[i].udp == p->esp_udp &&
		    addr_eq(&r->esp[i].src, &p->src) &&
		    addr_eq(&r->esp[i].dst, &p->dst)) {
			e = &r->esp[i];
			break;
		}
	if (e == NULL) {
		if (r->nesp >= CAP_MAX_ESP) {
			r->esp_dropped++;
			return;
		}
		e = ARENA_PUSH(run->ar, r->esp, r->nesp, r->cesp);
		e->src = p->src;
		e->dst = p->dst;
		e->spi = p->esp_spi;
		e->udp = p->esp_udp;
		e->seq_first = p->esp_seq;
		e->first_ts = run->ts;
		e->first_frame = run->frame;
	}
	e->pkts++;
	e->bytes += len;
	e->frags += p->is_frag;
	e->seq_last = p->esp_seq;
	e->last_ts = run->ts;
}

static void
note_ike(struct cap_run *run, const struct pkt *p)
{
	struct cap_result *r = run->r;
	/* retransmissions come soon after: look back a little only */
	for (size_t i = r->nike, n = 0; i-- > 0 && n < 64; n++) {
		struct cap_ike *k = &r->ike[i];
		if (k->ispi == p->ike_ispi && k->rspi == p->ike_rspi &&
		    k->msgid == p->ike_msgid && k->exch == p->ike_exch &&
		    k->flags == p->ike_flags && addr_eq(&k->src, &p->src) &&
		    addr_eq(&k->dst, &p->dst)) {
			k->count++; /* a retransmission of the same message */
			k->last_ts = run->ts;
			return;
		}
	}
	if (r->nike >= CAP_MAX_IKE) {
		r->ike_dropped++;
		return;
	}
	struct cap_ike *k = ARENA_PUSH(run->ar, r->ike, r->nike, r->cike);
	k->src = p->src;
	k->dst = p->dst;
	k->sport = p->sport;
	k->dport = p->dport;
	k->ver = p->ike_ver;
	k->exch = p->ike_exch;
	k->flags = p->ike_flags;
	k->natt = p->ike_marker;
	k->encrypted = p->ike_encrypted;
	k->msgid = p->ike_msgid;
	k->ispi = p->ike_ispi;
	k->rspi = p->ike_rspi;
	memcpy(k->notify, p->notify, sizeof(k->notify));
	k->nnotify = p->nnotify;
	k->count = 1;
	k->first_frame = run->frame;
	k->first_ts = k->last_ts = run->ts;
}

/* Who-has (op 1) keyed by sender and target; is-at (op 2) answers the
 * request whose target is the reply's sender. */
static void
note_arp(struct cap_run *run, const struct pkt *p)
{
	struct cap_result *r = run->r;
	if (p->arp_spa.fam != FAM_V4 || p->arp_tpa.fam != FAM_V4)
		return;
	bool reply = p->arp_op == 2;
	const struct ipaddr *s = reply ? &p->arp_tpa : &p->arp_spa;
	const struct ipaddr *t = reply ? &p->arp_spa : &p->arp_tpa;
	for (size_t i = 0; i < r->narps; i++) {
		struct cap_arp *a = &r->arps[i];
		if (addr_eq(&a->spa, s) && addr_eq(&a->tpa, t)) {
			a->requests += !reply;
			a->replies += reply;
			a->last_ts = run->ts;
			return;
		}
	}
	if (reply || p->arp_op != 1 || r->narps >= CAP_MAX_ARP)
		return;
	struct cap_arp *a = ARENA_PUSH(run->ar, r->arps, r->narps, r->carps);
	a->spa = *s;
	a->tpa = *t;
	memcpy(a->sha, p->arp_sha, 6);
	a->requests = 1;
	a->first_frame = run->frame;
	a->first_ts = a->last_ts = run->ts;
}

static bool
icmp_interesting(const struct pkt *p)
{
	if (p->ipver == 4)
		return p->icmp_type == 3 &&
		       (p->icmp_code == 4 || p->icmp_code == 3 ||
			p->icmp_code == 9 || p->icmp_code == 10 ||
			p->icmp_code == 13);
	return p->icmp_type == 2 ||
	       (p->icmp_type == 1 && (p->icmp_code == 1 || p->icmp_code == 4));
}

static void
note_icmp(struct cap_run *run, const struct pkt *p)
{
	struct cap_result *r = run->r;
	for (size_t i = 0; i < r->nicmp; i++) {
		struct cap_icmp *e = &r->icmp[i];
		if (e->type == p->icmp_type && e->code == p->icmp_code &&
		    e->mtu == p->icmp_mtu && addr_eq(&e->src, &p->src) &&
		    addr_eq(&e->dst, &p->dst) &&
		    addr_eq(&e->inner.dst, &p->inner.dst) &&
		    e->inner.dport == p->inner.dport) {
			e->count++;
			e->last_ts = run->ts;
			return;
		}
	}
	if (r->nicmp >= CAP_MAX_ICMP)
		return;
	struct cap_icmp *e = ARENA_PUSH(run->ar, r->icmp, r->nicmp, r->cicmp);
	e->src = p->src;
	e->dst = p->dst;
	e->ipver = p->ipver;
	e->type = p->icmp_type;
	e->code = p->icmp_code;
	e->mtu = p->icmp_mtu;
	e->inner = p->inner;
	e->count = 1;
	e->first_frame = run->frame;
	e->first_ts = e->last_ts = run->ts;
	if (p->has_mac)
		memcpy(e->mac_dst, p->mac_dst, 6);
}

static void
note_mss(struct cap_run *run, uint16_t mss)
{
	struct cap_result *r = run->r;
	r->syn_with_mss++;
	for (size_t i = 0; i < r->nmss; i++)
		if (r->mss[i].mss == mss) {
			r->mss[i].count++;
			return;
		}
	if (r->nmss < CAP_MAX_MSS)
		r->mss[r->nmss++] = (struct cap_mss){mss, 1, run->frame};
}

static bool
nflog_same(const struct cap_nflog *e, const struct pkt *p, size_t plen)
{
	return e->indev == p->nflog_indev && e->outdev == p->nflog_outdev &&
	       e->proto == p->proto && e->dport == p->dport &&
	       e->esp == p->is_esp && (!e->esp || e->spi == p->esp_spi) &&
	       addr_eq(&e->src, &p->src) && addr_eq(&e->dst, &p->dst) &&
	       strlen(e->prefix) == plen &&
	       memcmp(e->prefix, p->nflog_prefix, plen) == 0;
}

static void
note_nflog_group(struct cap_result *r, uint16_t group)
{
	for (size_t i = 0; i < r->nnflog_groups; i++)
		if (r->nflog_groups[i] == group)
			return;
	if (r->nnflog_groups < 8)
		r->nflog_groups[r->nnflog_groups++] = group;
}

/* One logged packet into its group; most recent groups first, as a log
 * repeats the flows it just saw. */
static void
note_nflog(struct cap_run *run, const struct pkt *p, uint32_t len)
{
	struct cap_result *r = run->r;
	size_t plen = p->nflog_prefix_len < CAP_MAX_NFLOG_PREFIX
			  ? p->nflog_prefix_len
			  : CAP_MAX_NFLOG_PREFIX;
	struct cap_nflog *e = NULL;
	for (size_t i = r->nnflog; i-- > 0;)
		if (nflog_same(&r->nflog[i], p, plen)) {
			e = &r->nflog[i];
			break;
		}
	if (e == NULL) {
		if (r->nnflog >= CAP_MAX_NFLOG) {
			r->nflog_dropped++;
			return;
		}
		e = ARENA_PUSH(run->ar, r->nflog, r->nnflog, r->cnflog);
		e->prefix =
		    plen ? arena_strndup(run->ar, (const char *)p->nflog_prefix,
					 plen)
			 : "";
		e->indev = p->nflog_indev;
		e->outdev = p->nflog_outdev;
		e->has_hook = p->nflog_has_hook;
		e->hook = p->nflog_hook;
		e->proto = p->proto;
		e->ipver = p->ipver;
		e->src = p->src;
		e->dst = p->dst;
		e->sport = p->sport;
		e->dport = p->dport;
		/* the dissector read the SPI, bare or behind UDP 4500's
		 * non-ESP marker check (RFC 3948 §2.2) */
		e->esp = p->is_esp;
		e->esp_udp = p->esp_udp;
		e->spi = p->esp_spi;
		e->first_frame = run->frame;
		e->first_ts = run->ts;
	}
	e->count++;
	e->bytes += p->ip_len ? p->ip_len : len;
	e->last_ts = run->ts;
}

/* RFC 9293 §3.4 sequence space: a segment ending at or before what this
 * direction already sent is a retransmission (no progress). */
static void
note_tcp(struct cap_run *run, struct cap_flow *f, int d, const struct pkt *p)
{
	if (p->tcp_flags & TCP_SYN) {
		f->syn[d] = true;
		if (p->has_mss && f->mss[d] == 0) {
			f->mss[d] = p->mss;
			f->mss_frame[d] = run->frame;
			note_mss(run, p->mss);
		}
	}
	if ((p->tcp_flags & TCP_RST) && !f->rst[d]) {
		f->rst[d] = true;
		f->rst_frame[d] = run->frame;
	}
	run->r->rst_pkts += (p->tcp_flags & TCP_RST) != 0;
	uint32_t len = p->payload_len;
	if (len == 0)
		return;
	uint32_t end = p->tcp_seq + len;
	if (f->seq_valid[d] && (int32_t)(end - f->next_seq[d]) <= 0) {
		f->retrans[d]++;
		run->r->retrans_pkts++;
		if (len >= f->max_seg[d] && len >= 512)
			f->retrans_full[d]++;
		if (len > f->retrans_len[d])
			f->retrans_len[d] = len;
		if (f->retrans_frame[d] == 0)
			f->retrans_frame[d] = run->frame;
	} else if (!f->seq_valid[d] || (int32_t)(end - f->next_seq[d]) > 0) {
		f->next_seq[d] = end;
		f->seq_valid[d] = true;
	}
	if (len > f->max_seg[d])
		f->max_seg[d] = len;
}

static void
note_flow(struct cap_run *run, const struct pkt *p, uint32_t len)
{
	int d;
	struct cap_flow *f = flowtab_get(&run->ft, run->ar, run->r, p, &d);
	if (f->pkts[0] + f->pkts[1] == 0) {
		f->first_ts = run->ts;
		f->first_frame = run->frame;
	}
	if (d == 1 && f->pkts[1] == 0)
		f->rev_frame = run->frame;
	f->pkts[d]++;
	f->bytes[d] += len;
	f->last_ts = run->ts;
	if (p->has_mac && !f->has_mac[d]) {
		f->has_mac[d] = true;
		memcpy(f->mac_src[d], p->mac_src, 6);
		memcpy(f->mac_dst[d], p->mac_dst, 6);
	}
	if (p->proto == PROTO_TCP && p->has_l4)
		note_tcp(run, f, d, p);
}

static void
warn_malformed(struct cap_run *run, const struct pkt *p)
{
	struct srcloc loc = {.file = run->r->path, .frame = run->frame};
	run->r->malformed++;
	if (run->o->quiet)
		return;
	if (run->warned++ < CAP_MAX_WARNINGS)
		diag(DIAG_WARNING, &loc, "%s", p->malformed);
}

static void
cap_count(struct cap_run *run, const struct pkt *p, uint32_t len)
{
	struct cap_result *r = run->r;
	r->truncated += p->truncated;
	if (p->malformed)
		warn_malformed(run, p);
	if (p->has_enc && r->nenc_spis < 16) {
		size_t i = 0;
		while (i < r->nenc_spis && r->enc_spis[i] != p->enc_spi)
			i++;
		if (i == r->nenc_spis)
			r->enc_spis[r->nenc_spis++] = p->enc_spi;
	}
	r->pflog_pkts += p->has_pflog;
	if (p->has_nflog) {
		/* a log record, not traffic on a wire: no flows of its own */
		note_nflog_group(r, p->nflog_group);
		r->ipv4 += p->ipver == 4;
		r->ipv6 += p->ipver == 6;
		r->other += p->ipver == 0;
		r->nflog_pkts++;
		if (p->ipver)
			note_nflog(run, p, len);
		return;
	}
	if (p->is_arp) {
		r->arp++;
		note_arp(run, p);
		return;
	}
	if (p->ipver == 0) {
		r->other++;
		return;
	}
	r->ipv4 += p->ipver == 4;
	r->ipv6 += p->ipver == 6;
	r->frag4 += p->is_frag && p->ipver == 4;
	r->frag6 += p->is_frag && p->ipver == 6;
	if (p->is_frag && (p->proto == PROTO_ESP ||
			   (p->proto == PROTO_UDP && p->frag_off == 0 &&
			    (p->sport == 4500 || p->dport == 4500))))
		r->esp_frag++;
	if (p->frag_off)
		return; /* later fragments: counted, not a flow of their own */
	r->esp_pkts += p->is_esp && !p->esp_udp;
	r->natt_pkts += p->esp_udp;
	r->keepalives += p->natt_keepalive;
	r->ike_pkts += p->is_ike;
	if (p->is_esp)
		note_esp(run, p, len);
	if (p->is_ike)
		note_ike(run, p);
	if (p->has_l4 && icmp_interesting(p) &&
	    (p->proto == PROTO_ICMP || p->proto == PROTO_ICMP6))
		note_icmp(run, p);
	note_flow(run, p, len);
}

/* --dump: one line per packet with the fields tests/pcap/tshark-diff
 * compares against tshark (frame, src, dst, IP protocol, ports (of the
 * quoted packet for ICMP errors, as tshark shows them), ESP SPI
 * and sequence, IKE exchange type, notify types, M/T flags). */
static void
dump_packet(FILE *f, uint64_t frame, const struct pkt *p)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	fprintf(f, "%llu\t", (unsigned long long)frame);
	if (p->ipver)
		fprintf(f, "%s\t%s\t%u\t", ipaddr_format(&p->src, a),
			ipaddr_format(&p->dst, b), p->ip_proto);
	else
		fputs("\t\t\t", f);
	if (p->has_l4 && (p->proto == PROTO_TCP || p->proto == PROTO_UDP))
		fprintf(f, "%u\t%u\t", p->sport, p->dport);
	else if (p->inner.valid && (p->inner.sport || p->inner.dport))
		fprintf(f, "%u\t%u\t", p->inner.sport, p->inner.dport);
	else
		fputs("\t\t", f);
	if (p->is_esp)
		fprintf(f, "0x%08x\t%u\t", p->esp_spi, p->esp_seq);
	else
		fputs("\t\t", f);
	if (p->is_ike)
		fprintf(f, "%u\t", p->ike_exch);
	else
		fputs("\t", f);
	for (unsigned i = 0; i < p->nnotify; i++)
		fprintf(f, "%s%u", i ? "," : "", p->notify[i]);
	/* M malformed, T truncated by snaplen */
	fprintf(f, "\t%s%s\n", p->malformed ? "M" : "",
		p->truncated ? "T" : "");
}

static void
progress(struct cap_run *run, pcap_t *pc, off_t size, time_t *last)
{
	time_t now = time(NULL);
	if (now == *last || size <= 0)
		return;
	*last = now;
	FILE *fp = pcap_file(pc);
	off_t at = fp ? ftello(fp) : 0;
	fprintf(stderr, "\r%s: %3d%% %llu packets", run->r->path,
		(int)(at * 100 / size), (unsigned long long)run->r->packets);
}

static void
cap_loop(struct cap_run *run, pcap_t *pc, off_t size)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pkt p;
	time_t last = time(NULL);
	struct cap_result *r = run->r;
	int rc;
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		run->frame++;
		run->ts = (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6;
		if (r->packets == 0)
			r->first_ts = run->ts;
		if (run->ts > r->last_ts)
			r->last_ts = run->ts;
		r->packets++;
		r->bytes += h->len;
		if (h->len > r->max_len)
			r->max_len = h->len;
		dissect_packet(r->linktype, data, h->caplen, h->len, &p);
		if (run->o->dump)
			dump_packet(run->o->dump, run->frame, &p);
		cap_count(run, &p, h->len);
		if (run->o->progress && (run->frame & 0xffff) == 0)
			progress(run, pc, size, &last);
	}
	if (run->o->progress)
		fputs("\r\033[K", stderr);
	if (rc == PCAP_ERROR) {
		/* libpcap stops at a cut or bad record: keep what was read */
		struct srcloc loc = {.file = r->path, .frame = run->frame + 1};
		diag(DIAG_ERROR, &loc, "capture ends early: %s",
		     pcap_geterr(pc));
		r->read_error = true;
	}
}

bool
cap_analyze(struct arena *ar, const char *path, const struct cap_opts *o,
	    struct cap_result *r)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	struct srcloc loc = {.file = path};
	memset(r, 0, sizeof(*r));
	r->path = path;
	pcap_t *pc = pcap_open_offline(path, err);
	if (pc == NULL) {
		/* libpcap prefixes some messages with the path already */
		size_t pl = strlen(path);
		const char *msg = strncmp(err, path, pl) == 0 &&
					  strncmp(err + pl, ": ", 2) == 0
				      ? err + pl + 2
				      : err;
		/* a pcapng cut before its first interface block (the capture
		 * stopped at once): a capture of nothing, not a damaged one */
		if (strstr(msg, "no Interface Description Blocks")) {
			diag(DIAG_NOTE, &loc,
			     "a capture without packets (it names no "
			     "interface)");
			return true;
		}
		diag(DIAG_ERROR, &loc, "not a readable capture: %s", msg);
		return false;
	}
	r->linktype = pcap_datalink(pc);
	if (!linktype_supported(r->linktype))
		diag(DIAG_WARNING, &loc,
		     "link type %d (%s) is not dissected; "
		     "packets are only counted",
		     r->linktype,
		     pcap_datalink_val_to_name(r->linktype)
			 ? pcap_datalink_val_to_name(r->linktype)
			 : "?");
	struct stat st;
	off_t size = stat(path, &st) == 0 ? st.st_size : 0;
	struct cap_run run = {.ar = ar, .o = o, .r = r};
	flowtab_init(&run.ft, o->max_flows);
	cap_loop(&run, pc, size);
	flowtab_finish(&run.ft, ar, r);
	flowtab_free(&run.ft);
	pcap_close(pc);
	if (run.warned > CAP_MAX_WARNINGS)
		diag(DIAG_WARNING, &loc, "%llu more malformed packets",
		     (unsigned long long)(run.warned - CAP_MAX_WARNINGS));
	return true;
}
