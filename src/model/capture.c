#include "model/capture.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *
linktype_name(int lt)
{
	switch (lt) {
	case LT_ETHERNET:
		return "Ethernet";
	case LT_LINUX_SLL:
		return "Linux cooked (SLL)";
	case LT_LINUX_SLL2:
		return "Linux cooked v2 (SLL2)";
	case LT_NULL:
		return "BSD loopback (NULL)";
	case LT_LOOP:
		return "OpenBSD loopback (LOOP)";
	case LT_ENC:
		return "IPsec enc (ENC)";
	case LT_PFLOG:
		return "pflog";
	case LT_NFLOG:
		return "NFLOG (Linux firewall log)";
	case LT_RAW:
	case LT_RAW_DLT12:
	case LT_RAW_DLT14:
		return "raw IP";
	case LT_IPV4:
		return "raw IPv4";
	case LT_IPV6:
		return "raw IPv6";
	default:
		return "unsupported";
	}
}

/* RFC 7296 §3.1 exchange types; RFC 2408 §4 / RFC 2409 §5 for IKEv1. */
const char *
ike_exch_name(uint8_t ver, uint8_t exch)
{
	if (ver == 2) {
		switch (exch) {
		case 34:
			return "IKE_SA_INIT";
		case 35:
			return "IKE_AUTH";
		case 36:
			return "CREATE_CHILD_SA";
		case 37:
			return "INFORMATIONAL";
		case 38:
			return "IKE_SESSION_RESUME";
		case 43:
			return "IKE_INTERMEDIATE";
		case 44:
			return "IKE_FOLLOWUP_KE";
		}
	} else {
		switch (exch) {
		case 1:
			return "Base";
		case 2:
			return "Main Mode";
		case 3:
			return "Authentication Only";
		case 4:
			return "Aggressive Mode";
		case 5:
			return "Informational";
		case 6:
			return "Transaction";
		case 32:
			return "Quick Mode";
		case 33:
			return "New Group Mode";
		}
	}
	return NULL;
}

static const struct {
	uint16_t type;
	const char *name;
} v2_notify[] = {
    /* RFC 7296 §3.10.1 and the IANA IKEv2 Notify registry */
    {1, "UNSUPPORTED_CRITICAL_PAYLOAD"},
    {4, "INVALID_IKE_SPI"},
    {5, "INVALID_MAJOR_VERSION"},
    {7, "INVALID_SYNTAX"},
    {9, "INVALID_MESSAGE_ID"},
    {11, "INVALID_SPI"},
    {14, "NO_PROPOSAL_CHOSEN"},
    {17, "INVALID_KE_PAYLOAD"},
    {24, "AUTHENTICATION_FAILED"},
    {34, "SINGLE_PAIR_REQUIRED"},
    {35, "NO_ADDITIONAL_SAS"},
    {36, "INTERNAL_ADDRESS_FAILURE"},
    {37, "FAILED_CP_REQUIRED"},
    {38, "TS_UNACCEPTABLE"},
    {39, "INVALID_SELECTORS"},
    {40, "UNACCEPTABLE_ADDRESSES"},
    {41, "UNEXPECTED_NAT_DETECTED"},
    {43, "TEMPORARY_FAILURE"},
    {44, "CHILD_SA_NOT_FOUND"},
    {46, "AUTHORIZATION_FAILED"},
    {16384, "INITIAL_CONTACT"},
    {16385, "SET_WINDOW_SIZE"},
    {16386, "ADDITIONAL_TS_POSSIBLE"},
    {16387, "IPCOMP_SUPPORTED"},
    {16388, "NAT_DETECTION_SOURCE_IP"},
    {16389, "NAT_DETECTION_DESTINATION_IP"},
    {16390, "COOKIE"},
    {16391, "USE_TRANSPORT_MODE"},
    {16392, "HTTP_CERT_LOOKUP_SUPPORTED"},
    {16393, "REKEY_SA"},
    {16394, "ESP_TFC_PADDING_NOT_SUPPORTED"},
    {16395, "NON_FIRST_FRAGMENTS_ALSO"},
    {16396, "MOBIKE_SUPPORTED"},
    {16397, "ADDITIONAL_IP4_ADDRESS"},
    {16398, "ADDITIONAL_IP6_ADDRESS"},
    {16399, "NO_ADDITIONAL_ADDRESSES"},
    {16400, "UPDATE_SA_ADDRESSES"},
    {16401, "COOKIE2"},
    {16402, "NO_NATS_ALLOWED"},
    {16403, "AUTH_LIFETIME"},
    {16404, "MULTIPLE_AUTH_SUPPORTED"},
    {16405, "ANOTHER_AUTH_FOLLOWS"},
    {16406, "REDIRECT_SUPPORTED"},
    {16407, "REDIRECT"},
    {16408, "REDIRECTED_FROM"},
    {16417, "EAP_ONLY_AUTHENTICATION"},
    {16418, "CHILDLESS_IKEV2_SUPPORTED"},
    {16430, "IKEV2_FRAGMENTATION_SUPPORTED"},
    {16431, "SIGNATURE_HASH_ALGORITHMS"},
    {16435, "USE_PPK"},
    {16441, "INTERMEDIATE_EXCHANGE_SUPPORTED"},
};

static const struct {
	uint16_t type;
	const char *name;
} v1_notify[] = {
    /* RFC 2408 §3.14.1, RFC 2407 §4.6.3, RFC 3706 (DPD) */
    {1, "INVALID_PAYLOAD_TYPE"},
    {2, "DOI_NOT_SUPPORTED"},
    {3, "SITUATION_NOT_SUPPORTED"},
    {4, "INVALID_COOKIE"},
    {5, "INVALID_MAJOR_VERSION"},
    {6, "INVALID_MINOR_VERSION"},
    {7, "INVALID_EXCHANGE_TYPE"},
    {8, "INVALID_FLAGS"},
    {9, "INVALID_MESSAGE_ID"},
    {10, "INVALID_PROTOCOL_ID"},
    {11, "INVALID_SPI"},
    {12, "INVALID_TRANSFORM_ID"},
    {13, "ATTRIBUTES_NOT_SUPPORTED"},
    {14, "NO_PROPOSAL_CHOSEN"},
    {15, "BAD_PROPOSAL_SYNTAX"},
    {16, "PAYLOAD_MALFORMED"},
    {17, "INVALID_KEY_INFORMATION"},
    {18, "INVALID_ID_INFORMATION"},
    {19, "INVALID_CERT_ENCODING"},
    {20, "INVALID_CERTIFICATE"},
    {21, "CERT_TYPE_UNSUPPORTED"},
    {22, "INVALID_CERT_AUTHORITY"},
    {23, "INVALID_HASH_INFORMATION"},
    {24, "AUTHENTICATION_FAILED"},
    {25, "INVALID_SIGNATURE"},
    {26, "ADDRESS_NOTIFICATION"},
    {27, "NOTIFY_SA_LIFETIME"},
    {28, "CERTIFICATE_UNAVAILABLE"},
    {29, "UNSUPPORTED_EXCHANGE_TYPE"},
    {30, "UNEQUAL_PAYLOAD_LENGTHS"},
    {16384, "CONNECTED"},
    {24576, "RESPONDER_LIFETIME"},
    {24577, "REPLAY_STATUS"},
    {24578, "INITIAL_CONTACT"},
    {36136, "R_U_THERE"},
    {36137, "R_U_THERE_ACK"},
};

const char *
ike_notify_name(uint8_t ver, uint16_t type)
{
	if (ver == 2) {
		for (size_t i = 0; i < sizeof(v2_notify) / sizeof(*v2_notify);
		     i++)
			if (v2_notify[i].type == type)
				return v2_notify[i].name;
	} else {
		for (size_t i = 0; i < sizeof(v1_notify) / sizeof(*v1_notify);
		     i++)
			if (v1_notify[i].type == type)
				return v1_notify[i].name;
	}
	return NULL;
}

bool
ike_notify_is_error(uint8_t ver, uint16_t type)
{
	return ver == 2 ? type < 16384 : type < 8192;
}

const char *
mac_format(const uint8_t m[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

const char *
cap_name_iface(struct arena *ar, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	static const char pre[] = "packetcapture-";
	if (strncmp(base, pre, sizeof(pre) - 1) != 0)
		return NULL;
	const char *s = base + sizeof(pre) - 1;
	/* the timestamp is the last '-' field: YYYYmmddHHMMSS */
	const char *dash = strrchr(s, '-');
	if (dash == NULL || dash == s)
		return NULL;
	return arena_strndup(ar, s, (size_t)(dash - s));
}

const char *
cap_role_guess(const struct cap_result *r)
{
	switch (r->linktype) {
	case LT_ENC:
		return "IPsec enc0 (inner packets, before encryption and after "
		       "decryption)";
	case LT_NULL:
	case LT_LOOP:
		return "tunnel interface (VTI ipsecN or OpenVPN tun)";
	case LT_RAW:
	case LT_RAW_DLT12:
	case LT_RAW_DLT14:
	case LT_IPV4:
	case LT_IPV6:
		return "raw IP (Linux ipsec/xfrm or tun interface)";
	case LT_PFLOG:
		return "pflog (firewall log packets)";
	case LT_NFLOG:
		return "Linux firewall log (nftables log group / iptables "
		       "NFLOG), not an interface";
	default:
		break;
	}
	if (r->esp_pkts || r->natt_pkts || r->ike_pkts)
		return "outside (WAN): IKE/ESP between the peers";
	return "inside (LAN or other): no IKE/ESP";
}

const char *
nflog_hook_name(uint8_t hook)
{
	/* enum nf_inet_hooks, include/uapi/linux/netfilter.h */
	static const char *const names[] = {"prerouting", "input", "forward",
					    "output", "postrouting"};
	return hook < 5 ? names[hook] : "unknown hook";
}

bool
nflog_prefix_drops(const char *prefix)
{
	static const char *const words[] = {"drop", "reject", "block", "deny"};
	for (const char *s = prefix; s && *s; s++)
		for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
			if (strncasecmp(s, words[i], strlen(words[i])) == 0)
				return true;
	return false;
}
