/* IKE headers and unencrypted payloads: IKEv2 (RFC 7296 §3.1 header,
 * §3.2 generic payload header, §3.10 Notify) and IKEv1 (RFC 2408 §3.1
 * header, §3.2 generic payload header, §3.14 Notification). Encrypted
 * payloads (IKEv2 SK/SKF, IKEv1 E flag) end the walk. */
#include <stdio.h>

#include "import/pcap/dissect/dissect.h"

enum {
	IKE_HDR_LEN = 28,
	MAX_PAYLOADS = 64,
	V2_NOTIFY = 41,
	V2_SK = 46,
	V2_SKF = 53,
	V1_NOTIFY = 11,
	V1_FLAG_ENC = 0x01,
};

/* One Notify payload body: RFC 7296 §3.10 (protocol, SPI size, type) or
 * RFC 2408 §3.14 (DOI first). */
static void
ike_notify(struct cursor body, struct pkt *p)
{
	uint8_t proto, spisize;
	uint16_t type;
	if (p->ike_ver == 1 && !cursor_skip(&body, 4))
		goto bad;
	if (!cursor_get_u8(&body, &proto) || !cursor_get_u8(&body, &spisize) ||
	    !cursor_get_u16be(&body, &type))
		goto bad;
	if (p->nnotify < PKT_MAX_NOTIFY)
		p->notify[p->nnotify++] = type;
	return;
bad:
	if (p->malformed == NULL)
		p->malformed = "IKE notify payload too short";
}

static void
ike_payloads(struct cursor *c, struct pkt *p, uint8_t np)
{
	for (int i = 0; np != 0 && i < MAX_PAYLOADS; i++) {
		if ((p->ike_ver == 2 && (np == V2_SK || np == V2_SKF)) ||
		    (p->ike_ver == 1 && (p->ike_flags & V1_FLAG_ENC))) {
			p->ike_encrypted = true;
			return;
		}
		uint8_t next, crit;
		uint16_t len;
		if (!cursor_get_u8(c, &next) || !cursor_get_u8(c, &crit) ||
		    !cursor_get_u16be(c, &len)) {
			pkt_short(p, "IKE payload header cut short");
			return;
		}
		struct cursor body;
		if (len < 4) {
			p->malformed = "IKE payload length below 4";
			return;
		}
		if (!cursor_sub(c, (size_t)len - 4, &body)) {
			pkt_short(p, "IKE payload longer than the message");
			return;
		}
		if ((p->ike_ver == 2 && np == V2_NOTIFY) ||
		    (p->ike_ver == 1 && np == V1_NOTIFY))
			ike_notify(body, p);
		np = next;
	}
}

void
dissect_ike(struct cursor *c, struct pkt *p)
{
	uint8_t np, ver;
	uint32_t len;
	if (cursor_left(c) < IKE_HDR_LEN) {
		if (p->payload_len)
			pkt_short(p, "IKE header cut short");
		return;
	}
	cursor_get_u64be(c, &p->ike_ispi);
	cursor_get_u64be(c, &p->ike_rspi);
	cursor_get_u8(c, &np);
	cursor_get_u8(c, &ver);
	cursor_get_u8(c, &p->ike_exch);
	cursor_get_u8(c, &p->ike_flags);
	cursor_get_u32be(c, &p->ike_msgid);
	cursor_get_u32be(c, &len);
	if (ver >> 4 != 1 && ver >> 4 != 2) {
		p->malformed = "IKE header with an unknown major version";
		return;
	}
	p->is_ike = true;
	p->ike_ver = ver >> 4;
	if (len < IKE_HDR_LEN) {
		p->malformed = "IKE length below the header size";
		return;
	}
	bool cut;
	struct cursor msg = cursor_sub_upto(c, len - IKE_HDR_LEN, &cut);
	if (cut)
		pkt_short(p, "IKE message shorter than its length field");
	ike_payloads(&msg, p, np);
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
