#!/usr/bin/env bash
# The mark-routed shape of linux-rp-filter with rp_filter=0: every probe
# passes both ways; no error finding. (gwB's own ICMP errors to hostA, the
# traceroute's time-exceeded, leave its WAN in clear from 198.51.100.2: no
# table 220 route gives them a LAN source. That is the gateway's own
# traffic, at most a self-traffic-uncovered warning, not p2-not-covered.)
LAB_RP=0 LAB_SCEN=linux-rp-filter-off \
	LAB_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok" \
	exec bash "$(dirname "$0")/linux-rp-filter.sh" "$@"
