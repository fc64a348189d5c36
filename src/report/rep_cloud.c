/* `show` of a cloud VPN's stated configuration and of Linux kernel
 * facts. Pre-shared keys are never kept, so never shown: only whether
 * one was stated. */
#include <string.h>

#include "model/cloud.h"
#include "report/json_model.h"
#include "report/rep_cloud.h"

static const char *
params_text(struct arena *ar, const struct cloud_params *p)
{
	if (!p->enc && !p->integ && !p->dh)
		return "not stated";
	return arena_printf(ar, "%s / %s / DH group %u, lifetime %us",
			    p->enc ? p->enc : "?", p->integ ? p->integ : "?",
			    p->dh, p->lifetime);
}

static void
tunnel_text(FILE *f, struct arena *ar, const struct cloud_tunnel *t)
{
	fprintf(f, "  tunnel %u: cloud %s, on-premises %s%s\n", t->n,
		t->has_cloud_ip ? ipaddr_str(ar, &t->cloud_ip) : "?",
		t->has_onprem_ip ? ipaddr_str(ar, &t->onprem_ip) : "?",
		t->has_psk ? ", pre-shared key stated (not shown)" : "");
	if (t->has_inside)
		fprintf(f, "    inside: cloud %s/%u, on-premises %s/%u\n",
			ipaddr_str(ar, &t->inside_cloud.addr),
			t->inside_cloud.plen,
			ipaddr_str(ar, &t->inside_onprem.addr),
			t->inside_onprem.plen);
	fprintf(f, "    IKE%s: %s\n",
		t->ikever ? arena_printf(ar, "v%u", t->ikever) : "",
		params_text(ar, &t->ike));
	fprintf(f, "    ESP: %s\n", params_text(ar, &t->esp));
	if (t->bgp_asn_cloud || t->bgp_asn_onprem)
		fprintf(f, "    BGP: cloud ASN %u, on-premises ASN %u\n",
			t->bgp_asn_cloud, t->bgp_asn_onprem);
	if (t->mtu || t->mss)
		fprintf(f, "    tunnel MTU %u, TCP MSS %u\n", t->mtu, t->mss);
}

static const char *
nets_text(struct arena *ar, const struct prefix *p, size_t n)
{
	const char *s = "";
	for (size_t i = 0; i < n; i++)
		s = arena_printf(ar, "%s%s%s", s, i ? ", " : "",
				 prefix_str(ar, &p[i]));
	return n ? s : "not stated";
}

void
rep_cloud_text(FILE *f, struct arena *ar, const struct site *s)
{
	const struct cloud_vpn *v = s->cloud;
	if (v == NULL)
		return;
	fprintf(f, "\n%s (%s)%s%s: %s, %s", cloud_provider_name(v->provider),
		v->format, v->id ? " " : "", v->id ? v->id : "",
		v->route_based ? "route-based" : "policy-based",
		!v->routing_stated ? "routing not stated"
		: v->bgp	   ? "BGP"
				   : "static routing");
	if (v->provider == CLOUD_AZURE)
		fprintf(f, ", UsePolicyBasedTrafficSelectors %s",
			v->policy_ts ? "true" : "false");
	fputc('\n', f);
	if (v->ncloud || v->nonprem)
		fprintf(f, "  networks: cloud %s; on-premises %s\n",
			nets_text(ar, v->cloud_nets, v->ncloud),
			nets_text(ar, v->onprem_nets, v->nonprem));
	for (size_t i = 0; i < v->ntun; i++)
		tunnel_text(f, ar, &v->tun[i]);
}

static json_t *
params_json(const struct cloud_params *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "encryption", json_str(p->enc));
	json_object_set_new(o, "integrity", json_str(p->integ));
	json_object_set_new(o, "dh_group", json_integer(p->dh));
	json_object_set_new(o, "lifetime", json_integer(p->lifetime));
	return o;
}

static json_t *
tunnel_json(struct arena *ar, const struct cloud_tunnel *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "number", json_integer(t->n));
	json_object_set_new(o, "cloud_ip",
			    t->has_cloud_ip
				? json_string(ipaddr_str(ar, &t->cloud_ip))
				: json_null());
	json_object_set_new(o, "onprem_ip",
			    t->has_onprem_ip
				? json_string(ipaddr_str(ar, &t->onprem_ip))
				: json_null());
	json_object_set_new(
	    o, "inside_cloud",
	    t->has_inside
		? json_string(arena_printf(
		      ar, "%s/%u", ipaddr_str(ar, &t->inside_cloud.addr),
		      t->inside_cloud.plen))
		: json_null());
	json_object_set_new(
	    o, "inside_onprem",
	    t->has_inside
		? json_string(arena_printf(
		      ar, "%s/%u", ipaddr_str(ar, &t->inside_onprem.addr),
		      t->inside_onprem.plen))
		: json_null());
	json_object_set_new(o, "psk_stated", json_boolean(t->has_psk));
	json_object_set_new(o, "ike_version", json_integer(t->ikever));
	json_object_set_new(o, "ike", params_json(&t->ike));
	json_object_set_new(o, "esp", params_json(&t->esp));
	json_object_set_new(o, "bgp_asn_cloud", json_integer(t->bgp_asn_cloud));
	json_object_set_new(o, "bgp_asn_onprem",
			    json_integer(t->bgp_asn_onprem));
	return o;
}

json_t *
rep_cloud_json(struct arena *ar, const struct site *s)
{
	const struct cloud_vpn *v = s->cloud;
	if (v == NULL)
		return json_null();
	json_t *o = json_object(), *tun = json_array();
	json_object_set_new(o, "provider",
			    json_string(v->provider == CLOUD_AWS     ? "aws"
					: v->provider == CLOUD_AZURE ? "azure"
								     : "gcp"));
	json_object_set_new(o, "format", json_str(v->format));
	json_object_set_new(o, "id", json_str(v->id));
	json_object_set_new(o, "route_based", json_boolean(v->route_based));
	json_object_set_new(o, "routing",
			    !v->routing_stated
				? json_null()
				: json_string(v->bgp ? "bgp" : "static"));
	json_object_set_new(o, "policy_based_traffic_selectors",
			    json_boolean(v->policy_ts));
	for (size_t i = 0; i < v->ntun; i++)
		json_array_append_new(tun, tunnel_json(ar, &v->tun[i]));
	json_object_set_new(o, "tunnels", tun);
	return o;
}

void
rep_kernel_text(FILE *f, struct arena *ar, const struct site *s)
{
	unsigned any = 0;
	for (size_t i = 0; i < s->nsysctls; i++) {
		const char *k = s->sysctls[i].key;
		size_t n = strlen(k);
		if (n < 10 || strcmp(k + n - 10, ".rp_filter") != 0)
			continue;
		if (!any)
			fprintf(f, "\nkernel (sysctl):\n");
		any++;
		fprintf(f, "  %s = %ld\n", k, s->sysctls[i].value);
	}
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].has_if_id)
			fprintf(f, "%s  xfrm interface %s: if_id %#x, mtu %u\n",
				any++ ? "" : "\nkernel:\n", s->ifaces[i].dev,
				s->ifaces[i].xfrm_if_id, s->ifaces[i].mtu);
	static const char *const dirs[] = {"in", "out", "fwd"};
	for (size_t i = 0; i < s->nxpols; i++) {
		const struct xfrm_pol *x = &s->xpols[i];
		fprintf(f, "%s  xfrm policy %s === %s dir %s%s%s\n",
			any++ ? "" : "\nkernel:\n", prefix_str(ar, &x->src),
			prefix_str(ar, &x->dst), dirs[x->dir],
			x->if_id ? arena_printf(ar, " if_id %#x", x->if_id)
				 : "",
			x->block ? " (block)" : "");
	}
}
