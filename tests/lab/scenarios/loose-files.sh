#!/usr/bin/env bash
# Healthy tunnel, the gateways' state given as the loose text files an
# admin pastes (doc/behaviour/loose-files.md): `ip xfrm state`, `ip -s
# xfrm state`, `ip xfrm policy`, `ip route show table all` (text, not
# -j), `nft list ruleset` (text only), `swanctl --list-sas`, `sysctl -a |
# grep rp_filter`. diagnose must read every one (no "skipped" note), stay
# silent, and `show` must list the SA with its counters.
LAB_BUILD=${1:-build}
. "$(dirname "$0")/../lib.sh"

EXPECT_PROBES="ping=ok tcp=ok udp=ok xfer=ok trace=yes rping=ok"

scenario_verify() {
	lab_cap_expect gwA wan0 1 "UDP, encap|ESP|4500 > .*4500" "ESP in UDP 4500 on the WAN"
	lab_cap_expect gwB ipsec0 1 "10.0.1.10 > 10.0.2.10: ICMP echo request" "requests decrypted on gwB ipsec0"
}

# Loose text instead of the JSON dumps; names as users give them.
scenario_collect() { # role gw dir
	local r=$1 d=$3
	rm -f "$d/ip-route.json" "$d/nft-ruleset.json"
	lab_ns "$r" ip route show table all >"$d/routes.txt"
	lab_ns "$r" nft list ruleset >"$d/ruleset"
	lab_ns "$r" ip xfrm state >"$d/xfrm-state.txt"
	lab_ns "$r" ip -s xfrm state >"$d/xfrm-state-stats.txt"
	lab_ns "$r" ip xfrm policy >"$d/xfrm-policy.txt"
	lab_ns "$r" sysctl -a 2>/dev/null | grep rp_filter >"$d/rp_filter.txt"
	mv "$d/swanctl-list-sas.txt" "$d/sas"
	rm -f "$d/nft-ruleset.txt"
}

# Every non-empty loose file read (kernel-libipsec keeps its SAs and
# policies in userspace, the kernel has no ESP: the xfrm dumps are empty
# here and skipped as empty, never misread; tests/fixtures/loose has real
# ones);
# the SA shows in `show` with its byte counters.
scenario_check() { # found
	local g f err
	for g in gwA gwB; do
		err=$(cd "$OUT" && "$LAB_BIN" show "$g" --format json 2>&1 >"$OUT/show-$g.json")
		for f in routes.txt ruleset xfrm-state.txt xfrm-state-stats.txt \
			xfrm-policy.txt rp_filter.txt sas; do
			[ -s "$OUT/$g/$f" ] || continue
			if grep -F "$g/$f" <<<"$err" | grep -q skipped; then
				lab_result fail "$1" "$g/$f skipped: $(grep -F "$g/$f" <<<"$err")"
				return 1
			fi
			if ! jq -e --arg p "$g/$f" '.sites[0].inputs[] |
				select(.path == $p and .failed == false and .kind != "unrecognised")' \
				"$OUT/show-$g.json" >/dev/null; then
				lab_result fail "$1" "$g/$f not read by show"
				return 1
			fi
		done
		if ! jq -e '.sites[0].inputs[] | select(.kind == "ip route (text)")' \
			"$OUT/show-$g.json" >/dev/null; then
			lab_result fail "$1" "$g/routes.txt not read as the gateway's ip route"
			return 1
		fi
		if ! jq -e '.sites[0].sa_status[] | select(.bytes_in > 0 and .bytes_out > 0)' \
			"$OUT/show-$g.json" >/dev/null; then
			lab_result fail "$1" "$g: no SA with bytes both ways in show"
			return 1
		fi
	done
	return 0
}

lab_main loose-files none gwA
