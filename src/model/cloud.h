/* A cloud VPN peer as its provider's configuration states it (AWS
 * Site-to-Site VPN, Azure VPN Gateway, Google Cloud VPN). The cloud end
 * is not simulated: it is read for what it states and requires, and the
 * on-premises end is checked against that (check/check_cloud.c,
 * doc/behaviour/cloud-and-linux.md). Pre-shared keys are never kept:
 * only whether one was stated. */
#ifndef MODEL_CLOUD_H
#define MODEL_CLOUD_H

#include <stdbool.h>
#include <stddef.h>

#include "model/site.h"

enum cloud_provider { CLOUD_AWS, CLOUD_AZURE, CLOUD_GCP };

/* Stated IKE / ESP parameters, normalised: enc "aes128", "aes256",
 * "aes128gcm", "aes256gcm", "3des"; integ "sha1", "sha256", "sha384",
 * "sha512", "md5"; dh the group number. NULL / 0 = not stated. */
struct cloud_params {
	const char *enc, *integ;
	unsigned dh, lifetime;
	struct srcloc loc;
};

struct cloud_tunnel {
	unsigned n; /* as the provider numbers it, 1-based */
	struct ipaddr cloud_ip, onprem_ip; /* outside addresses */
	bool has_cloud_ip, has_onprem_ip;
	/* inside (tunnel interface) addresses with their prefix length,
	 * e.g. 169.254.44.1/30 (cloud) and 169.254.44.2/30 (on-prem) */
	struct ifaddr inside_cloud, inside_onprem;
	bool has_inside;
	bool has_psk;	 /* a pre-shared key was stated (never kept) */
	unsigned ikever; /* 1, 2, 0 = not stated */
	struct cloud_params ike, esp;
	unsigned bgp_asn_cloud, bgp_asn_onprem; /* 0 = not stated */
	unsigned mtu, mss;
	struct srcloc loc, cloud_ip_loc, inside_loc;
};

struct cloud_vpn {
	enum cloud_provider provider;
	const char *format; /* "AWS generic", "AWS pfSense", "key=value" */
	const char *id;	    /* vpn-0123..., connection name */
	struct cloud_tunnel *tun;
	size_t ntun, ctun;
	bool route_based;  /* any-to-any selectors, tunnel interfaces */
	bool route_stated; /* route_based was stated, not defaulted */
	bool bgp, routing_stated;
	bool policy_ts; /* Azure UsePolicyBasedTrafficSelectors */
	struct prefix *cloud_nets, *onprem_nets; /* stated selectors */
	size_t ncloud, ccloud, nonprem, conprem;
	struct srcloc loc, type_loc, ts_loc;
};

static inline const char *
cloud_provider_name(enum cloud_provider p)
{
	return p == CLOUD_AWS	  ? "AWS Site-to-Site VPN"
	       : p == CLOUD_AZURE ? "Azure VPN Gateway"
				  : "Google Cloud VPN";
}

#endif
