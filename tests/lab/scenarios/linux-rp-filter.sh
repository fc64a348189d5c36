#!/usr/bin/env bash
# gwB routes its LAN's traffic into the tunnel by mark (nft marks what
# comes in on lan0 for 10.0.1.0/24, `ip rule fwmark 0x1 lookup 100`, table
# 100 holds 10.0.1.0/24 dev ipsec0; no route in table 220) with
# rp_filter=1. The kernel's reverse-path lookup carries mark 0: the fwmark
# rule does not apply, the route back to 10.0.1.10 is the default via wan0,
# not ipsec0, and every decrypted packet is dropped (IPReversePathFilter
# counts them). linux-rp-filter @ gwB. LAB_RP=2/0: the -loose and -off
# variants.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

COLLECT_SYSCTL=1
LAB_RP=${LAB_RP:-1}
EXPECT_PROBES=${LAB_PROBES:-"ping=fail tcp=timeout udp=fail xfer=fail trace=no rping=fail"}

rp_drops() { # the kernel's IPReversePathFilter counter in gwB
	lab_ns gB awk '/^TcpExt/ { if (!h++) { for (i = 2; i <= NF; i++)
		n[i] = $i; next } for (i = 2; i <= NF; i++)
		if (n[i] == "IPReversePathFilter") print $i }' /proc/net/netstat
}

scenario_inject() {
	# the admin's routing replaces charon's (kernel-libipsec installs its
	# table 220 route even with charon.install_routes = no)
	lab_ns gB ip route flush table 220
	lab_ns gB ip route add 10.0.1.0/24 dev ipsec0 table 100
	lab_ns gB ip rule add fwmark 0x1 lookup 100 pref 100
	lab_ns gB nft -f - <<NFT || lab_fail "nft mangle on gwB"
table ip mangle {
	chain prerouting {
		type filter hook prerouting priority mangle; policy accept;
		iifname "lan0" ip daddr 10.0.1.0/24 meta mark set 0x1
	}
}
NFT
	lab_sysctl gB net.ipv4.conf.all.rp_filter="$LAB_RP"
	RP_BEFORE=$(rp_drops)
}

scenario_verify() {
	local n=$(($(rp_drops) - RP_BEFORE))
	lab_cap_expect gwB ipsec0 1 "10.0.2.10 > 10.0.1.10: ICMP echo request" "hostB's own ping enters the tunnel (the mark rule)"
	if [ "$LAB_RP" = 0 ]; then
		lab_cap_expect gwB lan0 1 "10.0.2.10 > 10.0.1.10: ICMP echo reply" "replies on gwB LAN"
		[ "$n" -eq 0 ] || lab_fail "rp_filter=0 but IPReversePathFilter counted $n"
		return 0
	fi
	lab_cap_expect gwB ipsec0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests decrypted on gwB ipsec0"
	lab_cap_expect gwB lan0 none "10.0.1.10 > 10.0.2.10: ICMP" "nothing forwarded to gwB's LAN"
	[ "$n" -gt 0 ] || lab_fail "IPReversePathFilter did not count on gwB"
	lab_log "kernel: $n packet(s) dropped by rp_filter on gwB"
}

EXPECT_CITE=gwB/sysctl.txt # the rp_filter value decides it
if [ "$LAB_RP" = 0 ]; then
	lab_main "${LAB_SCEN:-linux-rp-filter}" none gwA
fi
lab_main "${LAB_SCEN:-linux-rp-filter}" linux-rp-filter gwB
