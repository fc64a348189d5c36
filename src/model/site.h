/* The model of one site (one firewall): what every importer builds and
 * every later stage reads. Knows nothing of file formats. All memory is
 * owned by the run arena. */
#ifndef MODEL_SITE_H
#define MODEL_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/addr.h"
#include "model/evidence.h"
#include "model/proposal.h"
#include "util/diag.h"

enum site_kind {
	SITE_UNKNOWN, /* no config: evidence only */
	SITE_PFSENSE,
	SITE_OPNSENSE,
	SITE_LINUX, /* strongSwan + nftables/iptables */
	SITE_CLOUD, /* a cloud VPN's stated config (model/cloud.h) */
};

enum if_role {
	ROLE_LAN,
	ROLE_WAN, /* has a gateway or a dynamic address */
	ROLE_OPT,
	ROLE_ENC, /* enc0, the IPsec tab */
	ROLE_VTI,
	ROLE_OPENVPN,
};

struct ifaddr {
	struct ipaddr addr;
	uint8_t plen;
};

struct iface {
	const char *key;   /* wan, lan, optN, enc0 */
	const char *dev;   /* igb0, igb1.10, ipsec1, ovpns1 */
	const char *descr; /* WAN, LAN, DMZ */
	enum if_role role;
	struct ifaddr *addrs; /* interface and VIP addresses */
	size_t naddrs, caddrs;
	const char *ipaddr_mode; /* "dhcp", "pppoe", "track6", ... or NULL */
	const char *gateway;	 /* gateway name, WAN-type interfaces */
	unsigned mtu;		 /* 0 = unset (1500) */
	unsigned mss;		 /* interface MSS clamp, 0 = unset */
	unsigned ifindex; /* Linux ifindex (ip -j addr), 0 = unknown: names
			   * the devices an NFLOG record gives by index */
	bool enabled, blockpriv, blockbogons;
	const char *dhcp_gateway; /* gateway the DHCP server hands out */
	bool dhcp_enabled;
	struct srcloc loc;
	/* Linux xfrm interface (`ip -d link`: "xfrm if_id 0x2a"): the if_id
	 * the SAs and policies of its tunnel must carry */
	unsigned xfrm_if_id;
	bool has_if_id;
	/* Linux VTI (`ip -d link`: "vti ... ikey 0.0.0.42 okey 0.0.0.42"):
	 * the marks its packets carry into the xfrm lookups
	 * (doc/behaviour/cloud-and-linux.md §10) */
	uint32_t vti_ikey, vti_okey;
	bool has_vti_keys;
	bool tun; /* `ip -d link`: "tun type tun" (kernel-libipsec's ipsec0) */
};

struct gateway {
	const char *name, *iface, *descr;
	struct ipaddr addr;
	bool dynamic, disabled, is_default;
	bool default_auto; /* default by automatic selection, not by name */
	uint8_t fam;
	struct srcloc loc;
};

enum route_kind {
	ROUTE_CONNECTED,
	ROUTE_STATIC,
	ROUTE_OPENVPN, /* OpenVPN remote/tunnel network */
	ROUTE_VTI,
	ROUTE_IPSEC, /* strongSwan table 220 */
	ROUTE_DEFAULT,
};

struct route {
	enum route_kind kind;
	struct prefix net;
	const char *iface;   /* interface key */
	const char *gateway; /* gateway name, or NULL when on link */
	struct ipaddr via;   /* gateway address when known */
	bool has_via;
	const char *origin; /* "static route", "OpenVPN server 1 tunnel" */
	unsigned table;	    /* Linux table, 0 = main */
	bool disabled;
	struct srcloc loc;
};

/* One IPsec transform, enough to compute the encapsulation overhead. */
enum cipher {
	CIPHER_UNKNOWN,
	CIPHER_NULL,
	CIPHER_AES_CBC,
	CIPHER_AES_GCM, /* icv 8, 12 or 16 */
	CIPHER_AES_CCM,
	CIPHER_CHACHA20_POLY1305,
	CIPHER_3DES,
	CIPHER_BLOWFISH,
	CIPHER_CAST128,
};
enum integ {
	INTEG_NONE,
	INTEG_HMAC_MD5,
	INTEG_HMAC_SHA1,
	INTEG_HMAC_SHA256,
	INTEG_HMAC_SHA384,
	INTEG_HMAC_SHA512,
	INTEG_AES_XCBC,
};
struct transform {
	enum cipher cipher;
	unsigned keylen; /* bits, 0 = auto/unknown */
	unsigned icv;	 /* AEAD ICV bytes */
};

struct phase1 {
	const char *ikeid, *descr;
	const char *iface;  /* interface key, VIP id or gateway group */
	const char *remote; /* as written: IP, hostname, 0.0.0.0 */
	struct ipaddr peer;
	bool peer_known;  /* remote is an address (not a name, not any) */
	unsigned ikever;  /* 1, 2, 0 = auto */
	const char *natt; /* "on", "force" */
	/* ESP in UDP 4500, as the engine decided it from the evidence and
	 * both configs (engine/natt.c); natt_decided is false before */
	bool natt_decided, natt_in_use;
	bool natt_nat_between;	/* an address NAT between the peers */
	bool natt_from_configs; /* decided by the configs alone */
	const char *natt_why;
	bool disabled, mobile, splitconn, gw_duplicates;
	uint8_t outer_fam;     /* FAM_V4/FAM_V6 */
	const char *proposals; /* IKE proposals: "aes128-sha256-modp2048" */
	struct srcloc loc;
	/* Linux (swanctl local_addrs, ipsec.conf left): our outer address;
	 * iface is then the interface holding it, once known. pfSense /
	 * OPNsense: the VIP's address when bound to a virtual IP. */
	struct ipaddr local;
	bool local_known;
	/* OPNsense VPN > IPsec > Connections (<OPNsense><Swanctl>, 23.1+),
	 * not a legacy <ipsec><phase1> tunnel. OPNsense adds no automatic
	 * WAN rules for these (ipsec_firewall() serves legacy tunnels only,
	 * doc/behaviour/pfsense.md §2.2, §7), so the engine adds none; each
	 * child is a CHILD_SA of its own (splitconn is set). iface is the
	 * interface holding local_addrs, else the one routing to the peer. */
	bool swanctl;
	/* The interface as written when it is a VIP or a gateway group
	 * (iface is then the parent interface, local the VIP or member
	 * address), else NULL (doc/behaviour/pf-ruleset.md §5). */
	const char *bind;
	/* Why the product never starts this tunnel though it is enabled
	 * (no encryption item, interface without address, OPNsense IPsec
	 * off), else NULL (doc/behaviour/pf-ruleset.md §10). */
	const char *not_started;
	/* What both ends must agree on (check_params.c,
	 * doc/behaviour/ike-parameters.md §5-§8). NULL / 0 = not set or
	 * not known; ike.text NULL = the product's default proposals. */
	struct proposals ike;
	const char *myid, *peerid; /* "address:192.0.2.1", "fqdn:vpn.example" */
	const char *auth;	   /* "psk", "cert", "eap", other as written */
	const char *psk;	   /* the secret: compared, never printed */
	bool psk_redacted;	   /* "xxxxx" in a sanitized status archive */
	const char *start_action;  /* the phase 1's own (pfSense startaction) */
	const char *close_action, *dpd_action;
	unsigned dpd_delay;	      /* seconds, 0 = DPD off */
	unsigned life, rekey, reauth; /* seconds, 0 = not known */
	struct srcloc id_loc, psk_loc, start_loc, dpd_loc, ver_loc;
	/* Certificate authentication (pfSense/OPNsense certref, caref): this
	 * end's certificate and the CA it requires of the peer, NULL when
	 * not set or not in the config (ike-parameters.md §14). */
	const char *certref, *caref;
	const struct x509_info *cert, *ca;
	struct srcloc cert_loc;
};

enum p2_mode { P2_TUNNEL, P2_TUNNEL6, P2_TRANSPORT, P2_VTI };

/* An X.509 certificate from a config (pfSense/OPNsense <cert>, <ca>),
 * decoded by import/x509.c. Names as strongSwan prints them: subject and
 * issuer "C=CH, O=Example, CN=gw", SANs typed like phase 1 ids
 * ("fqdn:gw.example.org", "address:192.0.2.1", "userfqdn:a@b"). */
struct x509_info {
	const char *refid, *descr;
	const char *subject, *issuer;
	const char **san;
	size_t nsan, csan;
	int64_t not_before, not_after; /* Unix seconds */
	bool is_ca;
	struct srcloc loc;
};

/* A phase 2 selector end: what was written and what it means. */
struct selector {
	const char *type; /* network, address, lan, wan, optN, none */
	const char *text; /* as written, e.g. "lan" or "10.0.1.0/24" */
	struct prefix net;
	bool resolved; /* false: interface without a static address */
};

struct phase2 {
	const char *ikeid, *descr, *uniqid;
	unsigned reqid;
	struct phase1 *p1; /* NULL when no phase 1 has this ikeid */
	enum p2_mode mode;
	struct selector local, remote, natlocal;
	bool has_nat;
	unsigned proto;	    /* PROTO_ESP or PROTO_AH */
	bool proto_missing; /* no <protocol>: ESP assumed, no ESP WAN rule */
	struct transform *enc;
	size_t nenc, cenc;
	enum integ *integ;
	size_t ninteg, cinteg;
	bool disabled, mobile;
	struct srcloc loc;
	/* Linux (swanctl): the child's start_action and XFRM interface ids
	 * (route-based when non-zero; mode is then P2_VTI). */
	const char *start_action;
	unsigned if_id_in, if_id_out;
	/* swanctl mark_in/mark_out, ipsec.conf mark=/mark_in=/mark_out=:
	 * value/mask (doc/behaviour/cloud-and-linux.md §10); %unique and
	 * the like leave has_mark_* false */
	uint32_t mark_in, mark_in_mask, mark_out, mark_out_mask;
	bool has_mark_in, has_mark_out;
	/* ESP/AH proposals as data (check_params.c); esp.text NULL = the
	 * product's default. life/rekey: seconds, 0 = not known. */
	struct proposals esp;
	unsigned life, rekey;
	const char *dpd_action,
	    *close_action; /* swanctl child, NULL = default */
};

enum rule_action { ACT_PASS, ACT_BLOCK, ACT_REJECT, ACT_MATCH };

/* Linux netfilter verdicts and NAT statements; ACT_MATCH for the ones
 * that do not end evaluation by themselves. */
enum nf_verdict {
	NFV_NONE, /* no verdict statement: evaluation continues */
	NFV_ACCEPT,
	NFV_DROP,
	NFV_REJECT,
	NFV_JUMP, /* target = chain */
	NFV_GOTO,
	NFV_RETURN,
	NFV_MASQUERADE,
	NFV_SNAT, /* nat_addr */
	NFV_DNAT,
	NFV_REDIRECT,
	NFV_OTHER, /* queue, notrack, mark, ... */
};
enum {
	NF_CT_NEW = 1,
	NF_CT_ESTABLISHED = 2,
	NF_CT_RELATED = 4,
	NF_CT_INVALID = 8,
	NF_CT_UNTRACKED = 16,
};
enum rule_dir { DIR_ANY, DIR_IN, DIR_OUT };

struct rule_end {
	struct addrset addrs; /* resolved, before negation */
	bool negate;
	const char *text; /* as written: "any", "lan net", "alias SERVERS" */
	struct portset ports; /* any when no port given */
	const char *port_text;
	bool partial; /* some part is not known offline (FQDN, DHCP address) */
	/* pfSense's generated text of this end (address and port) holds
	 * "any": what its negate-rule test looks at (doc/behaviour/
	 * pf-ruleset.md §3) */
	bool any_word;
	/* the box's running ruleset: what the engine resolves when it
	 * builds the ruleset: "<table>", "self", "(em0)", "(em0:network)",
	 * "em0:network"; addrs holds the literal addresses */
	const char **refs;
	size_t nrefs, crefs;
};

/* Where a rule comes from: the user's config, or pfSense itself. */
enum rule_origin {
	ORIGIN_USER,
	ORIGIN_BLOCKPRIV,      /* block private networks, tracker 12001+ */
	ORIGIN_BLOCKBOGONS,    /* block bogon networks, 11001+ */
	ORIGIN_ANTILOCKOUT,    /* 10001+ */
	ORIGIN_NEGATE,	       /* negate rule before a policy-routed rule */
	ORIGIN_AUTO_VPN,       /* auto-added IPsec WAN rules */
	ORIGIN_DEFAULT_DENY,   /* 1000000103..106 */
	ORIGIN_LET_OUT,	       /* pass out all keep state */
	ORIGIN_IPSEC_HOST_OUT, /* pass out on enc0 all */
	ORIGIN_CHAIN_POLICY,   /* Linux chain policy */
	ORIGIN_BLOCK_IPV6,     /* "Block all IPv6" without ipv6allow */
	ORIGIN_BLOCK_APIPA,    /* 169.254/16 link-local, 1000000101/102 */
	ORIGIN_RUNNING,	       /* the box's running ruleset (import/pf/) */
};

struct rule {
	enum rule_action action;
	enum rule_origin origin;
	const char **ifaces; /* interface keys or group names; floating: many */
	size_t nifaces, cifaces;
	bool floating, quick, disabled, log;
	bool scheduled; /* has a schedule: loaded only while it is active */
	enum rule_dir dir;
	bool fam[FAM_COUNT];	   /* inet / inet6 / both */
	struct protoset protos;	   /* any when no protocol given */
	bool icmp_any;		   /* icmptype not restricted */
	struct protoset icmptypes; /* ICMP types when restricted */
	struct rule_end src, dst;
	const char *gateway; /* policy routing (route-to) */
	const char *descr;
	const char *tracker; /* pfSense integer, OPNsense 32-hex or uuid */
	const char *statetype;
	unsigned position; /* 1-based within its tab */
	struct srcloc loc;
	/* OPNsense: the pf priority group the rule is registered in
	 * (filter.lib.inc filter_core_rules_user(), FilterRuleField.php
	 * getPriority()): 200000 floating, 300000 + group sequence, 400000
	 * interface; 0 = not OPNsense. */
	unsigned prio;
	/* OPNsense MVC rule (<OPNsense><Firewall><Filter><rules>, the page
	 * site->automation_page): its sequence as written, interface
	 * negation (interfacenot: "on ! X"), and why OPNsense leaves it out
	 * of pf (NULL = loaded; disabled is then set too). */
	bool mvc, ifaces_negate;
	unsigned sequence;
	const char *not_loaded;
	/* Linux: chain, jump target, ipsec policy match */
	const char *chain, *target;
	int ipsec_match; /* 0 none, 1 "ipsec in/out exists", -1 "missing" */
	/* Linux netfilter (nftables / iptables), see struct nf_chain. */
	size_t nf_chain;	 /* index in site->chains + 1, 0 = not Linux */
	enum nf_verdict verdict; /* action is derived from it */
	enum rule_dir ipsec_dir; /* ipsec in / out, --dir in|out */
	const char **iifnames, **oifnames; /* "eth0", "eth*"; none = any */
	size_t niif, ciif, noif, coif;
	bool iif_negate, oif_negate;
	unsigned ct_state; /* NF_CT_* bits, 0 = not matched */
	bool ct_negate;
	struct ipaddr nat_addr; /* snat/dnat to */
	bool has_nat_addr;
	uint64_t packets, bytes; /* counter values: evidence of hits */
	bool has_counter;
	/* pfctl -vvsr: "@nr", Evaluations and States of the rule */
	unsigned pf_nr;
	uint64_t evals, states;
	bool has_evals;
	const char *unparsed; /* first statement not understood, or NULL */
};

/* Linux netfilter: a chain of a table. Base chains are attached to a
 * hook (prerouting, input, forward, output, postrouting) and run in
 * priority order, lowest first; iptables chains get the priorities of
 * their table (raw -300, mangle -150, nat dstnat -100, filter 0, nat
 * srcnat 100). Rules point to their chain by index. */
struct nf_chain {
	const char *family; /* ip, ip6, inet, arp, bridge, netdev */
	const char *table;  /* filter, nat, ... */
	const char *name;
	const char *hook; /* NULL: regular chain, reached by jump/goto */
	const char *type; /* filter, nat, route */
	int priority;
	enum rule_action policy; /* ACT_PASS or ACT_BLOCK */
	bool base;
	size_t first_rule, nrules; /* its rules: site->rules[first..+n) */
	struct srcloc loc;
};

/* Linux policy routing: one line of `ip rule`. */
struct ip_rule {
	unsigned pref;
	struct prefix from, to;
	bool from_any, to_any, not ;
	const char *iif, *oif;
	uint32_t fwmark, fwmask;
	bool has_fwmark;
	unsigned table;	    /* 0 with action set: unreachable, prohibit, ... */
	const char *action; /* NULL = lookup */
	struct srcloc loc;
};

struct alias {
	const char *name, *type, *descr;
	const char *content; /* as written */
	struct addrset addrs;
	struct portset ports;
	bool resolved; /* false: a member could not be resolved (FQDN, URL) */
	bool cyclic;
	struct srcloc loc;
};

struct openvpn {
	bool server; /* else client */
	const char *vpnid, *descr, *dev;
	struct prefix *tunnel, *remote, *local;
	size_t ntunnel, ctunnel, nremote, cremote, nlocal, clocal;
	bool disabled;
	struct srcloc loc;
};

struct ifgroup {
	const char *name;
	const char **members;
	size_t nmembers, cmembers;
	unsigned seq; /* OPNsense <sequence>: rule priority 300000 + seq */
	struct srcloc loc;
};

/* A host whose configuration the user told us (hosts file). */
struct host {
	struct ipaddr addr;
	uint8_t plen;	  /* its subnet mask */
	bool has_gateway; /* false: no default gateway */
	struct ipaddr gateway;
	enum { HOST_FW_NONE, HOST_FW_DROP, HOST_FW_REJECT } firewall;
	bool ignores_gateway;
	struct srcloc loc;
	/* Read from the host's own output (ipconfig, ip addr, ifconfig):
	 * a fact, not an assumption. name: its host name or heading;
	 * mask_loc / gw_loc: the lines that gave mask and gateway. */
	bool pasted;
	bool gw_unknown; /* the paste shows no routes: gateway not known */
	const char *name;
	struct srcloc mask_loc, gw_loc;
	struct host_route *routes; /* other than the default route */
	size_t nroutes, croutes;
};

/* A route of a host (route print, ip route, netstat -rn). */
struct host_route {
	struct prefix net;
	struct ipaddr via;
	bool on_link;
	struct srcloc loc;
};

/* A service of the firewall that sends to an address of its own accord
 * (DNS, NTP, syslog, LDAP/RADIUS, SNMP traps, DHCP relay):
 * doc/behaviour/self-traffic.md. */
struct self_service {
	const char *what;   /* "remote syslog server", GUI place */
	const char *path;   /* config.xml path, "syslog/remoteserver" */
	const char *target; /* as written */
	struct ipaddr addr;
	unsigned proto, port;
	const char *source; /* its source setting as written, NULL = none */
	const char *fix;    /* the service's own source setting, or NULL */
	struct srcloc loc;
};

/* OPNsense Firewall > Settings > Normalization rule with a max-mss
 * (<filter><scrub><rule>, doc/behaviour/mss.md §3). */
struct scrub_clamp {
	const char *ifaces;    /* comma-separated interface keys */
	const char *src, *dst; /* "any", an address or network, or a name */
	unsigned max_mss;
	const char *descr;
	struct srcloc loc;
};

struct sysflags {
	bool disablevpnrules, disablenegate, maxmss_enable;
	unsigned maxmss; /* 0 = unset, pfSense then uses 1400 */
	bool mss_pmtu;	 /* Linux: clamp to the path MTU (maxseg rt mtu) */
	bool mss_linux;	 /* Linux: maxmss/mss_pmtu from an nft/iptables rule */
	const char *mss_words; /* Linux: the clamp as written, for findings */
	const char
	    *statepolicy; /* if-bound, floating, NULL = version default */
	bool noshuntlaninterfaces, disablereplyto, disablescrub;
	bool bypassstaticroutes;
	bool ipsec_bypassrules;	  /* <ipsec><bypassrules>: user SPD bypasses */
	bool pf_disable_force_gw; /* OPNsense: no route-to of own traffic */
	struct srcloc force_gw_loc;
	const char *filtermode; /* enc, if_ipsec */
	const char *nat_outbound_mode;
	bool ipsec_enable;		/* OPNsense legacy <ipsec><enable/> */
	bool ipv6allow, no_apipa_block; /* <system>, presence */
	unsigned ipsec_port, ipsec_port_nat_t;	  /* <ipsec><port>, 500/4500 */
	struct srcloc system_loc, filtermode_loc; /* <system>, <filtermode> */
	struct srcloc maxmss_loc, disablevpnrules_loc;
};

/* A file given for the site, recognised by content: one row per kind in
 * model/inputs.def (how it is recognised, its reader, what it adds). */
enum input_kind {
#define INPUT(id, ...) INPUT_##id,
#include "model/inputs.def"
#undef INPUT
};

/* Linux: one sysctl value as dumped (net.ipv4.conf.all.rp_filter = 1). */
struct sysctl_kv {
	const char *key; /* dotted, interface names with '/' as '.' */
	long value;
	struct srcloc loc;
};

/* Linux: one `ip xfrm policy` entry (the SPD as the kernel has it). */
enum xfrm_dir { XDIR_IN, XDIR_OUT, XDIR_FWD };
struct xfrm_pol {
	struct prefix src, dst;
	enum xfrm_dir dir;
	unsigned if_id;
	uint32_t mark, mark_mask;
	bool has_mark, has_tmpl, block; /* action block: no template */
	struct srcloc loc;
};

struct input_file {
	const char *path; /* as the user named it (relative) */
	enum input_kind kind;
	const char
	    *summary;	 /* "pfSense config 23.3", "filter.log 1.2M lines" */
	bool failed;	 /* a known kind that could not be read: not used */
	bool partial;	 /* read, with errors: what came before them is used */
	const char *why; /* skipped or not used: why, NULL when read */
	bool gateways;	 /* the folder shows it is the gateway's own dump */
};

struct cloud_vpn;

/* A CARP virtual IP (Firewall > Virtual IPs, mode carp): an HA pair's
 * shared address. A phase 1 on it has interface "_vip<uniqid>". */
struct carp_vip {
	const char *iface, *uniqid, *descr;
	struct ipaddr addr;
	unsigned vhid;
	struct srcloc loc;
};

struct site {
	const char *name;
	enum site_kind kind;
	const char *product_version; /* "2.7.x" derived from config version */
	/* OPNsense: the GUI page of the MVC rules ("Firewall > Automation >
	 * Filter"), NULL when the config has none */
	const char *automation_page;
	const char *config_version; /* <version> */
	const char *hostname;
	struct input_file *inputs;
	size_t ninputs, cinputs;
	bool has_config;

	struct iface *ifaces;
	size_t nifaces, cifaces;
	struct gateway *gateways;
	size_t ngateways, cgateways;
	struct route *routes;
	size_t nroutes, croutes;
	struct phase1 *p1;
	size_t np1, cp1;
	struct phase2 *p2;
	size_t np2, cp2;
	struct rule *rules; /* user rules in config order */
	size_t nrules, crules;
	struct alias *aliases;
	size_t naliases, caliases;
	struct openvpn *ovpn;
	size_t novpn, covpn;
	struct ifgroup *groups;
	size_t ngroups, cgroups;
	struct host *hosts;
	size_t nhosts, chosts;
	struct self_service *services; /* doc/behaviour/self-traffic.md */
	size_t nservices, cservices;
	struct sysflags flags;
	struct scrub_clamp *scrubs; /* OPNsense normalization max-mss rules */
	size_t nscrubs, cscrubs;
	/* Linux */
	struct nf_chain *chains;
	size_t nchains, cchains;
	struct ip_rule *iprules; /* `ip rule` in priority order */
	size_t niprules, ciprules;
	struct sysctl_kv *sysctls; /* a sysctl dump, when given */
	size_t nsysctls, csysctls;
	struct xfrm_pol *xpols; /* `ip xfrm policy`, when given */
	size_t nxpols, cxpols;
	bool has_xpols;
	/* `ip -d link` read (the VTIs and xfrm interfaces are known), and a
	 * netfilter rule that sets packet marks (MARK, CONNMARK, mark set) */
	bool has_link_details, nf_sets_mark;
	/* SITE_CLOUD: what the provider's config states */
	struct cloud_vpn *cloud;
	/* HA: CARP VIPs, the other node's config when the site was given as
	 * two (they share a CARP VIP), and whether XMLRPC sync copies the
	 * IPsec section (<hasync><synchronizeipsec>) */
	struct carp_vip *carps;
	size_t ncarps, ccarps;
	struct site *ha_node;
	bool hasync_ipsec;
	/* Status > CARP "Persistent CARP Maintenance Mode"
	 * (<virtualip_carp_maintenancemode>, doc/behaviour/ha.md §3) */
	bool carp_maintenance;
	struct srcloc carp_maintenance_loc;

	struct evidence ev; /* logs, captures, SA status */
	/* certificates and CAs of the config (<cert>, <ca>) */
	struct x509_info *certs;
	size_t ncerts, ccerts;
};

struct iface *site_iface(const struct site *s, const char *key);
/* By device name (igb0) or key; NULL when unknown. */
struct iface *site_iface_by_dev(const struct site *s, const char *dev);
struct gateway *site_gateway(const struct site *s, const char *name);
struct gateway *site_default_gateway(const struct site *s, unsigned fam);
struct alias *site_alias(const struct site *s, const char *name);
/* The interface whose subnet contains a, or NULL. */
struct iface *site_iface_for_addr(const struct site *s, const struct ipaddr *a);
bool site_is_own_addr(const struct site *s, const struct ipaddr *a);
/* Its own, or an address the box's ifconfig lists (a site given as loose
 * files without a config): orients SA dumps only, never the traces. */
bool site_is_box_addr(const struct site *s, const struct ipaddr *a);
struct host *site_host(const struct site *s, const struct ipaddr *a);
/* The host's most specific route (not its default) covering a, or NULL. */
const struct host_route *host_route_lookup(const struct host *h,
					   const struct ipaddr *a);
/* The config version mapped to a product version ("2.7.2"),
 * doc/behaviour/pfsense.md §0. */
const char *pfsense_version_of_config(const char *config_version);
/* pfSense 2.6.0 or later (MSS clamping moved, etc.). */
bool site_version_at_least(const struct site *s, unsigned major,
			   unsigned minor);
const char *site_kind_name(enum site_kind k);
const char *if_role_name(enum if_role r);
const char *route_kind_name(enum route_kind k);
const char *p2_mode_name(enum p2_mode m);
const char *rule_action_name(enum rule_action a);
const char *rule_origin_name(enum rule_origin o);
const char *cipher_name(enum cipher c);
const char *integ_name(enum integ i);
const char *input_kind_name(enum input_kind k);
/* Stable id of the kind ("filterlog") and what a site gains from it. */
const char *input_kind_key(enum input_kind k);
const char *input_kind_adds(enum input_kind k);
/* Linux: a sysctl value by key, or -1 when the dump does not have it. */
long site_sysctl(const struct site *s, const char *key,
		 const struct srcloc **loc);

/* The size-relevant meaning of a token (engine/esp_overhead.c costs
 * it): a cipher as struct transform, an integrity, or neither. */
/* strongSwan proposal tokens (swanctl.conf esp_proposals, ipsec.conf esp=,
 * `swanctl --list-sas`): what one dash-separated token is. */
enum proposal_token {
	PTOK_UNKNOWN,
	PTOK_CIPHER, /* *t set: aes256, aes128gcm16, chacha20poly1305, 3des */
	PTOK_INTEG,  /* *i set: sha1, sha256, sha2_256, aesxcbc, md5 */
	PTOK_OTHER,  /* DH group, PRF, esn/noesn: no effect on size */
};
enum proposal_token transform_parse_token(struct str tok, struct transform *t,
					  enum integ *i);
/* Queries over a site that importers and the engine share. */
/* Longest prefix match; Linux: table 220 before main (tests/lab/README.md). */
const struct route *route_lookup(const struct site *s,
				 const struct ipaddr *dst);
/* Linux's reverse-path lookup for rp_filter: every `ip rule` selector
 * against the reversed flow (to src, from dst, mark 0, iif: the forward
 * route's output device, "lo" for local delivery),
 * doc/behaviour/linux-lab.md §1. NULL: no route. */
const struct route *route_lookup_rpf(const struct site *s,
				     const struct ipaddr *src,
				     const struct ipaddr *dst, const char *iif);
/* Outer address of a phase 1 (its interface's first address). */
bool p1_local_addr(const struct site *s, const struct phase1 *p1,
		   struct ipaddr *out);
/* Does the IKE daemon's connection name conn stand for p1? pfSense names
 * it con<ikeid> (children con<ikeid>_<n>), swanctl and ipsec.conf by the
 * connection's own name (ikeid or descr here). */
bool p1_named(const struct phase1 *p1, const char *conn);
/* The first phase 1 of s that conn names, or NULL. */
const struct phase1 *site_p1_named(const struct site *s, const char *conn);

#endif
