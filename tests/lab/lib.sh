# Lab library: two IPsec gateways (strongSwan, userspace ESP through
# kernel-libipsec, tests/lab/README.md) and their LAN hosts in network namespaces.
# A scenario script sets variables, may define scenario_inject and
# scenario_verify, then calls lab_main NAME EXPECTED_ID EXPECTED_SITE.
#
#   hostA 10.0.1.10 ── lan0 gwA wan0 ── br0 (WAN) ── wan0 gwB lan0 ── hostB 10.0.2.10
#                          198.51.100.1              198.51.100.2
#
# Exit status of a scenario: 0 pass, 1 fail (lab misbehaved, fault not
# reproduced, or wrong finding), 4 tool-missing (diagnose not built yet),
# 77 skipped (not root, packages missing). The one-line result is also
# written to tests/out/lab/NAME/result: "status<TAB>expected<TAB>found<TAB>note".

set -u
set -o pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_ROOT=$(cd "$LAB_DIR/../.." && pwd)
LAB_PKGS="strongswan-charon strongswan-swanctl libcharon-extra-plugins
libstrongswan-extra-plugins libstrongswan-standard-plugins iproute2 nftables
tcpdump iputils-ping
traceroute netcat-openbsd ethtool jq"
LAB_PREFIX=ipdl # namespaces are ipdl<pid>-<role>
LAB_PLUGINS="random nonce openssl pem pkcs1 x509 pubkey aes sha1 sha2 hmac
kdf gmp kernel-libipsec kernel-netlink socket-default vici updown"
LAB_XFER_BYTES=${LAB_XFER_BYTES:-204800} # the bulk transfer probe
LAB_CAP_COUNT=${LAB_CAP_COUNT:-3000}     # tcpdump -c per interface

# ---- defaults a scenario may override before lab_main ----------------
A_LAN=10.0.1.0/24 A_LAN_IP=10.0.1.1 A_WAN_IP=198.51.100.1
B_LAN=10.0.2.0/24 B_LAN_IP=10.0.2.1 B_WAN_IP=198.51.100.2
C_WAN_IP=198.51.100.3 C_LAN=10.0.2.1/25 # gwC: route-overlap only
ISP_IP=198.51.100.254 ISP_MAC=02:00:5e:00:53:fe # absent upstream router
HA_ADDR=10.0.1.10 HA_PLEN=24 HA_GW=10.0.1.1
HB_ADDR=10.0.2.10 HB_PLEN=24 HB_GW=10.0.2.1 HB_FW=none # none|drop|reject
# phase 2 selectors (child "lan" of each end)
A_LOCAL_TS=$A_LAN A_REMOTE_TS=$B_LAN
B_LOCAL_TS=$B_LAN B_REMOTE_TS=$A_LAN
# forward rules: LAN -> tunnel present (1/0); tunnel -> LAN all|tcp|none
A_FWD_LAN_TUN=1 B_FWD_LAN_TUN=1
A_FWD_TUN_LAN=all B_FWD_TUN_LAN=all
A_MSS_CLAMP="" B_MSS_CLAMP=""         # "" | "rt mtu" | a number
A_DROP_FRAGNEEDED=0 B_DROP_FRAGNEEDED=0
A_EXTRA_CONNS="" A_EXTRA_SECRETS=""   # more swanctl.conf text for gwA
B_LAN1=""                             # second LAN of gwB (addr/plen)
WITH_GWC=0                            # third gateway (route-overlap)
# gwB behind a NAT router (namespace natB): its WAN is private, natB holds
# B_WAN_IP and forwards UDP 500/4500 to it; strongSwan detects the NAT
WITH_NAT_B=0 B_PRIV_IP=192.168.1.2 B_PRIV_GW=192.168.1.1
GWC_CONF=""
EXPECT_PROBES=""                      # "ping=ok tcp=timeout ..."
EXPECT_ALSO=""                        # other error ids tolerated (symptoms)
LAB_SA_CHILDREN="A:lan B:lan"         # children that must be INSTALLED
# negotiated parameters of each end's connection (the defaults match)
A_IKE_PROPOSALS=aes128gcm16-prfsha256-modp2048 B_IKE_PROPOSALS=$A_IKE_PROPOSALS
A_ESP_PROPOSALS=aes128gcm16-modp2048 B_ESP_PROPOSALS=$A_ESP_PROPOSALS
A_REMOTE_ID="" B_REMOTE_ID=""         # remote.id; "" = the peer's address
A_PSK="" B_PSK=""                     # "" = the shared lab secret
A_START_ACTION=none B_START_ACTION=none
A_DPD_DELAY=0 B_DPD_DELAY=0
A_CONN_EXTRA="" B_CONN_EXTRA=""       # more lines in the connection
A_CHILD_EXTRA="" B_CHILD_EXTRA=""     # more lines in child "lan"
LAB_EXPECT_UP=1      # 0: gwA's initiation must fail (a negotiation fault);
                     # start: no --initiate, the config starts the tunnel
EXPECT_SAYS=""       # regex the finding's summary or detail must match
# asserted by lab_views after the main assertion: "id status site file"
# on the folders cut down to the logs and SA status, and to the configs
EXPECT_FROM_LOGS="" EXPECT_FROM_CONFIGS=""
# field-lab options (issue #18), all off by default:
COLLECT_SYSCTL=0       # 1: gwX/sysctl.txt, the rp_filter values (grep . /proc/...)
COLLECT_IPLINK=0       # 1: gwX/ip-link.txt, `ip -d link` (xfrm if_id, VTIs)
EXPECT_CITE=""         # a file the expected finding's evidence must cite
                       # (e.g. gwB/hosts): what decided it
HB_FACTS=line          # gwB/hosts: line (host X mask N gateway G), paste
                       # (hostB's own `ip addr` and `ip route` output), none
# A scenario may define scenario_probe: more probes while the captures run.
# A scenario may define scenario_tool_check: run after diagnose, before the
# assertion on its findings, for checks with other commands (trace);
# lab_tool_fail MSG fails the scenario.

lab_log() { printf '[%s] %s\n' "${SCEN:-lab}" "$*" >&2; }

# ---- result reporting -------------------------------------------------
lab_result() { # status found note
	local want="${EXPECT_ID:-?}@${EXPECT_SITE:-?}"
	[ "${EXPECT_ID:-}" = none ] && want=none
	printf '%s\t%s\t%s\t%s\n' "$1" "$want" "$2" "$3" >"$OUT/result"
}

# The lab itself misbehaved, or the fault did not show: fail loudly.
lab_fail() {
	lab_log "LAB FAILURE: $*"
	local g
	for g in gwA gwB; do
		[ -f "$WORK/$g/charon.log" ] || continue
		lab_log "--- last lines of $g charon.log"
		tail -n 15 "$WORK/$g/charon.log" >&2
	done
	lab_result fail "-" "lab: $*"
	exit 1
}

# `ipsecdiag trace SRC DST PROTO gwA gwB` on the collected folders must
# exit RC; with CAUSE, the request's failing step names that finding id.
lab_trace_expect() { # src dst proto rc [cause]
	local out=$OUT/trace-${1//[:\/]/_}.json rc cause
	(cd "$OUT" && "$LAB_BIN" trace -q "$1" "$2" "$3" gwA gwB \
		--format json >"$out" 2>/dev/null)
	rc=$?
	cause=$(jq -r '[.flows[0].request.steps[] | select(.failed) |
		.cause] | first // "none"' "$out" 2>/dev/null)
	[ "$rc" -eq "$4" ] ||
		lab_tool_fail "trace $1 $2 $3: exit $rc, expected $4 (cause $cause)"
	[ -z "${5:-}" ] || [ "$cause" = "$5" ] ||
		lab_tool_fail "trace $1 $2 $3: dies of $cause, expected $5"
	lab_log "tool ok: trace $1 $2 $3 exit $rc${5:+ ($cause)}"
}

# The tool's verdict (other than diagnose's findings) is wrong.
lab_tool_fail() {
	lab_log "TOOL: $*"
	lab_result fail "${LAB_FOUND:--}" "$*"
	exit 1
}

lab_skip() {
	lab_log "SKIP: $*"
	[ -n "${OUT:-}" ] && mkdir -p "$OUT" && lab_result skip "-" "$*"
	exit 77
}

# ---- packages ---------------------------------------------------------
lab_missing_pkgs() {
	local p m=""
	for p in $LAB_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || m="$m $p"
	done
	echo "$m"
}

# Skips (exit 77) unless root with every package installed.
lab_require() {
	[ "$(id -u)" -eq 0 ] ||
		lab_skip "the lab needs root (network namespaces, nftables)"
	local m
	m=$(lab_missing_pkgs)
	if [ -n "$m" ]; then
		lab_log "installing:$m"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $m \
			>/dev/null 2>&1 ||
			{ DEBIAN_FRONTEND=noninteractive apt-get update -qq \
				>/dev/null 2>&1 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $m \
				>/dev/null 2>&1; } ||
			lab_skip "cannot install Debian packages:$m"
	fi
	ip netns list >/dev/null 2>&1 ||
		lab_skip "network namespaces are not available here"
}

# ---- namespaces, processes, cleanup -----------------------------------
declare -A NS CHARON_PID
LAB_PIDS=()

lab_ns() { local r=$1; shift; ip netns exec "${NS[$r]}" "$@"; }

# Namespaces of an earlier run whose process is gone (crashed, killed):
# end what still runs inside them (our own charon/tcpdump/nc) and delete.
lab_reap_stale() {
	local ns pid p
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' |
		grep "^$LAB_PREFIX[0-9]*-"); do
		pid=${ns#"$LAB_PREFIX"}
		pid=${pid%%-*}
		kill -0 "$pid" 2>/dev/null && continue
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
}

lab_cleanup() {
	local p r
	for p in "${LAB_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for r in "${!NS[@]}"; do
		for p in $(ip netns pids "${NS[$r]}" 2>/dev/null); do
			kill -TERM "$p" 2>/dev/null
		done
	done
	sleep 0.2
	for r in "${!NS[@]}"; do
		for p in $(ip netns pids "${NS[$r]}" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "${NS[$r]}" 2>/dev/null
	done
	[ -n "${WORK:-}" ] && [ -d "$WORK" ] && [ -z "${LAB_KEEP:-}" ] && rm -rf "$WORK"
}

# Runs a command in a namespace in the background; remembers its pid.
lab_bg() { # role outfile errfile cmd...
	local r=$1 o=$2 e=$3
	shift 3
	ip netns exec "${NS[$r]}" "$@" >"$o" 2>"$e" &
	LAB_PIDS+=($!)
	LAST_PID=$!
}

lab_wait_for() { # tries(0.1 s each) cmd...
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# ---- topology ---------------------------------------------------------
lab_veth() { # roleA ifA roleB ifB
	ip -n "${NS[$1]}" link add "$2" type veth peer name "$4" \
		netns "${NS[$3]}" || lab_fail "cannot create veth $2/$4"
}

lab_if_up() { # role if [addr/plen]
	[ $# -ge 3 ] && ip -n "${NS[$1]}" addr add "$3" dev "$2"
	# real wire sizes in captures (tests/lab/README.md)
	lab_ns "$1" ethtool -K "$2" gso off tso off gro off >/dev/null 2>&1
	ip -n "${NS[$1]}" link set "$2" up
}

lab_sysctl() { lab_ns "$1" sysctl -qw "$2" >/dev/null; }

lab_topology() {
	local r roles="hA gA wan gB hB"
	[ "$WITH_GWC" = 1 ] && roles="$roles gC"
	[ "$WITH_NAT_B" = 1 ] && roles="$roles natB"
	for r in $roles; do
		NS[$r]="$LAB_PREFIX$$-$r"
		ip netns add "${NS[$r]}" || lab_fail "cannot add namespace"
		ip -n "${NS[$r]}" link set lo up
		lab_sysctl "$r" net.ipv4.icmp_ratelimit=0
		lab_sysctl "$r" net.ipv6.conf.all.disable_ipv6=1
	done
	ip -n "${NS[wan]}" link add br0 type bridge
	ip -n "${NS[wan]}" link set br0 up
	lab_veth gA lan0 hA eth0
	lab_veth gB lan0 hB eth0
	local g up
	for g in gA gB gC; do
		[ -n "${NS[$g]:-}" ] || continue
		lab_sysctl "$g" net.ipv4.ip_forward=1
		lab_sysctl "$g" net.ipv4.conf.all.rp_filter=0
		lab_sysctl "$g" net.ipv4.conf.default.rp_filter=0
		up=$g
		if [ "$g" = gB ] && [ "$WITH_NAT_B" = 1 ]; then
			lab_veth gB wan0 natB in0
			up=natB
		fi
		lab_veth "$up" wan0 wan "p$g"
		ip -n "${NS[wan]}" link set "p$g" master br0
		lab_if_up wan "p$g"
	done
	lab_if_up gA lan0 "$A_LAN_IP/24"
	lab_if_up gA wan0 "$A_WAN_IP/24"
	lab_if_up gB lan0 "$B_LAN_IP/24"
	if [ "$WITH_NAT_B" = 1 ]; then
		lab_nat_router
	else
		lab_if_up gB wan0 "$B_WAN_IP/24"
	fi
	if [ "$WITH_GWC" = 1 ]; then # its LAN has no hosts: both ends in gwC
		lab_if_up gC wan0 "$C_WAN_IP/24"
		ip -n "${NS[gC]}" link add lan0 type veth peer name lan0h
		lab_if_up gC lan0h
		lab_if_up gC lan0 "$C_LAN"
	fi
	if [ -n "$B_LAN1" ]; then # a LAN without hosts: both veth ends in gwB
		ip -n "${NS[gB]}" link add lan1 type veth peer name lan1h
		lab_if_up gB lan1h
		lab_if_up gB lan1 "$B_LAN1"
	fi
	for g in gA gB gC natB; do
		[ -n "${NS[$g]:-}" ] || continue
		if [ "$g" = gB ] && [ "$WITH_NAT_B" = 1 ]; then
			ip -n "${NS[gB]}" route add default via "$B_PRIV_GW" dev wan0
			continue
		fi
		# default route to an upstream router that is not there: what
		# leaves in clear is seen on the WAN and goes nowhere
		ip -n "${NS[$g]}" neigh replace "$ISP_IP" lladdr "$ISP_MAC" \
			dev wan0 nud permanent
		ip -n "${NS[$g]}" route add default via "$ISP_IP" dev wan0
	done
	lab_if_up hA eth0 "$HA_ADDR/$HA_PLEN"
	lab_if_up hB eth0 "$HB_ADDR/$HB_PLEN"
	ip -n "${NS[hA]}" route add default via "$HA_GW"
	[ "$HB_GW" != none ] && ip -n "${NS[hB]}" route add default via "$HB_GW"
	return 0
}

# natB: a home router in front of gwB. Its WAN (wan0) holds B_WAN_IP, its
# inside (in0) B_PRIV_GW; it masquerades gwB and forwards IKE and NAT-T to
# it, as a port forward on a consumer router does.
lab_nat_router() {
	lab_if_up natB wan0 "$B_WAN_IP/24"
	lab_if_up natB in0 "$B_PRIV_GW/24"
	lab_if_up gB wan0 "$B_PRIV_IP/24"
	lab_sysctl natB net.ipv4.ip_forward=1
	mkdir -p "$WORK/natB"
	cat >"$WORK/natB/nft.conf" <<EOF
flush ruleset
table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "wan0" udp dport { 500, 4500 } dnat to $B_PRIV_IP
	}
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" masquerade
	}
}
EOF
	lab_ns natB nft -f "$WORK/natB/nft.conf" || lab_fail "nft natB ruleset"
}

# ---- nftables ---------------------------------------------------------
# A Linux gateway's ruleset: policy drop on input and forward, drops
# logged to NFLOG group 1 (captured as nflog.pcap), masquerade to the WAN.
lab_nft_gateway() { # X(A|B) lan peer remote
	local x=$1 lan=$2 peer=$3 remote=$4
	local lt tl clamp fragneeded
	eval "lt=\$${x}_FWD_LAN_TUN tl=\$${x}_FWD_TUN_LAN"
	eval "clamp=\$${x}_MSS_CLAMP fragneeded=\$${x}_DROP_FRAGNEEDED"
	cat <<EOF
flush ruleset
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		iifname "lo" accept
		ct state established,related accept
		iifname "wan0" ip saddr $peer udp dport { 500, 4500 } accept
		meta l4proto icmp accept
		iifname "lan0" ip saddr $lan tcp dport 22 accept
		log prefix "input drop: " group 1 queue-threshold 1
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
EOF
	[ -n "$clamp" ] &&
		echo "		tcp flags syn tcp option maxseg size set $clamp"
	echo "		ct state established,related accept"
	[ "$lt" = 1 ] && echo "		iifname \"lan0\" oifname \"ipsec0\" ip saddr $lan ip daddr $remote accept"
	case $tl in
	all) echo "		iifname \"ipsec0\" oifname \"lan0\" ip saddr $remote ip daddr $lan accept" ;;
	tcp) echo "		iifname \"ipsec0\" oifname \"lan0\" ip saddr $remote ip daddr $lan meta l4proto tcp accept" ;;
	esac
	cat <<EOF
		iifname "lan0" oifname "wan0" ip saddr $lan accept
		log prefix "forward drop: " group 1 queue-threshold 1
	}
	chain output {
		type filter hook output priority filter; policy accept;
EOF
	[ "$fragneeded" = 1 ] &&
		echo "		icmp type destination-unreachable icmp code frag-needed log prefix \"output drop: \" group 1 queue-threshold 1 drop"
	cat <<EOF
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" ip saddr $lan masquerade
	}
}
EOF
}

lab_nft_host() { # drop|reject: a host firewall refusing the other site
	local v=$1
	cat <<EOF
table inet hostfw {
	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
EOF
	if [ "$v" = drop ]; then
		echo "		ip saddr $A_LAN drop"
	else
		echo "		ip saddr $A_LAN meta l4proto tcp reject with tcp reset"
		echo "		ip saddr $A_LAN reject with icmpx admin-prohibited"
	fi
	printf '\t}\n}\n'
}

lab_firewalls() {
	mkdir -p "$WORK/gwA" "$WORK/gwB" "$WORK/hB"
	lab_nft_gateway A "$A_LAN" "$B_WAN_IP" "$B_LAN" >"$WORK/gwA/nft.conf"
	lab_nft_gateway B "$B_LAN" "$A_WAN_IP" "$A_LAN" >"$WORK/gwB/nft.conf"
	lab_ns gA nft -f "$WORK/gwA/nft.conf" || lab_fail "nft gwA ruleset"
	lab_ns gB nft -f "$WORK/gwB/nft.conf" || lab_fail "nft gwB ruleset"
	if [ "$HB_FW" != none ]; then
		lab_nft_host "$HB_FW" >"$WORK/hB/nft.conf"
		lab_ns hB nft -f "$WORK/hB/nft.conf" || lab_fail "nft hostB"
	fi
}

# ---- strongSwan -------------------------------------------------------
lab_strongswan_conf() { # dir
	cat <<EOF
charon {
	load_modular = no
	load = $(echo $LAB_PLUGINS)
	retransmit_timeout = 1.0
	retransmit_tries = 3
	plugins {
		vici {
			socket = unix://$1/charon.vici
		}
	}
	filelog {
		lab {
			path = $1/charon.log
			time_format = %b %e %T
			ike_name = yes
			default = 1
			ike = 2
			cfg = 2
			flush_line = yes
		}
	}
	syslog {
		daemon {
			default = -1
		}
	}
}
EOF
}

# One connection: name local remote local_ts remote_ts [child name]
# With X (A|B), that end's X_* parameters apply (defaults above).
lab_swanctl_conn() { # name local_addr remote_addr local_ts remote_ts [child [local_id [X]]]
	local child=${6:-lan} local_id=${7:-$2} x=${8:-}
	local ike=aes128gcm16-prfsha256-modp2048 esp=aes128gcm16-modp2048
	local rid=$3 start=none dpd=0 cextra="" chextra=""
	if [ -n "$x" ]; then
		eval "ike=\$${x}_IKE_PROPOSALS esp=\$${x}_ESP_PROPOSALS"
		eval "rid=\${${x}_REMOTE_ID:-$3} start=\$${x}_START_ACTION"
		eval "dpd=\$${x}_DPD_DELAY cextra=\$${x}_CONN_EXTRA"
		eval "chextra=\$${x}_CHILD_EXTRA"
	fi
	cat <<EOF
	$1 {
		version = 2
		local_addrs = $2
		remote_addrs = $3
		proposals = $ike
		dpd_delay = $dpd
${cextra:+$cextra
}		local {
			auth = psk
			id = $local_id
		}
		remote {
			auth = psk
			id = $rid
		}
		children {
			$child {
				mode = tunnel
				local_ts = $4
				remote_ts = $5
				esp_proposals = $esp
				start_action = $start
${chextra:+$chextra
}			}
		}
	}
EOF
}

lab_swanctl_secret() { # name id1 id2 [secret]
	cat <<EOF
	$1 {
		id-1 = $2
		id-2 = $3
		secret = "${4:-lab-psk-$1-not-secret}"
	}
EOF
}

lab_swanctl_confs() {
	{
		echo "connections {"
		lab_swanctl_conn siteB "$A_WAN_IP" "$B_WAN_IP" "$A_LOCAL_TS" \
			"$A_REMOTE_TS" lan "$A_WAN_IP" A
		printf '%s' "$A_EXTRA_CONNS"
		echo "}"
		echo "secrets {"
		lab_swanctl_secret ike-siteB "$A_WAN_IP" "$B_WAN_IP" "$A_PSK"
		printf '%s' "$A_EXTRA_SECRETS"
		echo "}"
	} >"$WORK/gwA/swanctl.conf"
	{
		echo "connections {"
		local b_addr=$B_WAN_IP
		[ "$WITH_NAT_B" = 1 ] && b_addr=$B_PRIV_IP
		lab_swanctl_conn siteA "$b_addr" "$A_WAN_IP" "$B_LOCAL_TS" \
			"$B_REMOTE_TS" lan "$B_WAN_IP" B
		echo "}"
		echo "secrets {"
		lab_swanctl_secret ike-siteB "$A_WAN_IP" "$B_WAN_IP" "$B_PSK"
		echo "}"
	} >"$WORK/gwB/swanctl.conf"
	if [ "$WITH_GWC" = 1 ]; then
		mkdir -p "$WORK/gwC"
		printf '%s' "$GWC_CONF" >"$WORK/gwC/swanctl.conf"
	fi
}

lab_swanctl() { # gw args...
	local g=$1
	shift
	swanctl "$@" --uri "unix://$WORK/$g/charon.vici"
}

# One charon per gateway namespace, in its own mount namespace (tests/lab/README.md).
lab_charon_start() { # role gw
	local r=$1 g=$2 d=$WORK/$2
	lab_strongswan_conf "$d" >"$d/strongswan.conf"
	lab_bg "$r" "$d/charon.out" "$d/charon.err" unshare -m sh -c \
		"mount -t tmpfs tmpfs /run &&
		 STRONGSWAN_CONF='$d/strongswan.conf' exec /usr/lib/ipsec/charon"
	CHARON_PID[$g]=$LAST_PID
	lab_wait_for 50 test -S "$d/charon.vici" ||
		lab_fail "charon of $g did not start: $(tail -3 "$d/charon.err")"
	lab_wait_for 30 ip -n "${NS[$r]}" link show ipsec0 ||
		lab_fail "kernel-libipsec did not create ipsec0 on $g"
	lab_swanctl "$g" --load-all --file "$d/swanctl.conf" \
		>"$d/load.out" 2>&1 ||
		lab_fail "swanctl --load-all on $g: $(tail -3 "$d/load.out")"
}

# The gateway's charon crashes (SIGKILL: no DELETE sent) and is started
# again with the same config, as after a reboot of the box.
lab_charon_restart() { # role gw
	local pid=${CHARON_PID[$2]:-}
	[ -n "$pid" ] || lab_fail "no charon pid for $2"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$WORK/$2/charon.vici"
	lab_wait_for 50 sh -c "! ip -n ${NS[$1]} link show ipsec0" ||
		lab_fail "ipsec0 of $2 outlived its charon"
	lab_charon_start "$1" "$2"
}

lab_sa_installed() { # gw child
	lab_swanctl "$1" --list-sas 2>/dev/null |
		grep -Eq "^ +$2: #[0-9]+.*INSTALLED"
}

lab_initiate() { # gw ike child
	local try
	for try in 1 2 3; do
		lab_swanctl "$1" --initiate --ike "$2" --child "$3" --timeout 8 \
			>>"$WORK/$1/initiate.out" 2>&1 && return 0
		sleep 0.3
	done
	lab_fail "$1 could not initiate $2/$3: $(tail -3 "$WORK/$1/initiate.out")"
}

# A negotiation fault (LAB_EXPECT_UP=0): gwA's initiation must fail and
# leave no child SA; which refusal it was is the scenario's to verify.
lab_initiate_fails() { # gw ike child
	lab_swanctl "$1" --initiate --ike "$2" --child "$3" --timeout 8 \
		>>"$WORK/$1/initiate.out" 2>&1 &&
		lab_fail "$1 initiated $2/$3, expected a refusal"
	lab_sa_installed gwA "$3" && lab_fail "gwA has child $3 installed"
	lab_sa_installed gwB "$3" && lab_fail "gwB has child $3 installed"
	lab_log "initiation of $2/$3 failed, as expected"
}

lab_ipsec_up() {
	lab_swanctl_confs
	lab_charon_start gB gwB # responder first (tests/lab/README.md)
	[ "$WITH_GWC" = 1 ] && lab_charon_start gC gwC
	lab_charon_start gA gwA
	if [ "$LAB_EXPECT_UP" = 0 ]; then
		lab_initiate_fails gwA siteB lan
		return 0
	fi
	[ "$LAB_EXPECT_UP" = start ] || lab_initiate gwA siteB lan
	[ "$WITH_GWC" = 1 ] && lab_initiate gwA siteC old
	local c g child
	for c in $LAB_SA_CHILDREN; do
		g=gw${c%%:*} child=${c#*:}
		lab_wait_for 100 lab_sa_installed "$g" "$child" ||
			lab_fail "child SA $child never INSTALLED on $g"
	done
}

# ---- captures -----------------------------------------------------------
LAB_CAPS=() # "role gw iface file"

lab_capture_start() {
	local g r i f snap
	for g in gwA gwB; do
		r=g${g#gw}
		for i in wan0 lan0 ipsec0 nflog:1; do
			f=${i%%:*}
			# libpcap reads NFLOG into a snaplen-sized buffer:
			# a short snaplen truncates (loses) log batches
			snap=128
			[ "$f" = nflog ] && snap=0
			lab_bg "$r" "$WORK/$g/$f.tcpdump.out" \
				"$WORK/$g/$f.tcpdump.err" \
				tcpdump -i "$i" -n -U -s "$snap" -c "$LAB_CAP_COUNT" \
				-w "$WORK/$g/$f.pcap"
			LAB_CAPS+=("$LAST_PID $g $f")
		done
	done
	local c pid gw file
	for c in "${LAB_CAPS[@]}"; do
		read -r pid gw file <<<"$c"
		lab_wait_for 50 grep -q "listening on" \
			"$WORK/$gw/$file.tcpdump.err" ||
			lab_fail "tcpdump on $gw $file did not start: $(cat \
				"$WORK/$gw/$file.tcpdump.err")"
	done
}

lab_capture_stop() {
	local c pid gw file
	sleep 0.3 # late replies and log packets
	for c in "${LAB_CAPS[@]}"; do
		read -r pid gw file <<<"$c"
		kill -INT "$pid" 2>/dev/null
	done
	for c in "${LAB_CAPS[@]}"; do
		read -r pid gw file <<<"$c"
		wait "$pid" 2>/dev/null
		tcpdump -nn -r "$WORK/$gw/$file.pcap" >"$WORK/$gw/$file.txt" \
			2>/dev/null
	done
}

# Number of decoded packets of gw's capture matching an extended regex.
lab_cap_count() { # gw file regex
	grep -Ec -- "$3" "$WORK/$1/$2.txt"
}

lab_cap_expect() { # gw file min|none regex description
	local n
	n=$(lab_cap_count "$1" "$2" "$4")
	if [ "$3" = none ]; then
		[ "$n" -eq 0 ] ||
			lab_fail "$5: $n packet(s) in $1 $2.pcap, expected none"
	else
		[ "$n" -ge "$3" ] ||
			lab_fail "$5: $n packet(s) in $1 $2.pcap, expected >= $3"
	fi
	lab_log "capture ok: $5 ($1 $2.pcap: $n)"
}

# ---- probes: hostA -> hostB (and a ping back) ---------------------------
lab_probe() {
	local p=$WORK/probes dst=$HB_ADDR
	mkdir -p "$p"
	head -c "$LAB_XFER_BYTES" /dev/urandom >"$p/xfer.bin"
	lab_bg hB /dev/null "$p/l5001.err" timeout 20 nc -l 5001
	lab_bg hB "$p/xfer.recv" "$p/l5002.err" timeout 20 nc -l 5002
	lab_bg hB "$p/udp.recv" "$p/l5003.err" timeout 20 nc -u -l 5003
	lab_wait_for 30 sh -c "ip netns exec ${NS[hB]} ss -ltn |
		grep -q ':5002 ' && ip netns exec ${NS[hB]} ss -lun |
		grep -q ':5003 '" || lab_fail "listeners did not start on hostB"
	local pids=()
	lab_ns hA ping -n -c 3 -i 0.2 -W 1 "$dst" >"$p/ping.txt" 2>&1 &
	pids+=($!)
	lab_ns hB ping -n -c 3 -i 0.2 -W 1 "$HA_ADDR" >"$p/rping.txt" 2>&1 &
	pids+=($!)
	lab_ns hA nc -v -z -w 3 "$dst" 5001 >"$p/tcp.txt" 2>&1 &
	pids+=($!)
	echo lab-udp-probe | lab_ns hA nc -u -w 1 "$dst" 5003 \
		>"$p/udp.txt" 2>&1 &
	pids+=($!)
	lab_ns hA timeout 8 nc -v -N -w 6 "$dst" 5002 <"$p/xfer.bin" \
		>"$p/xfer.txt" 2>&1 &
	pids+=($!)
	lab_ns hA traceroute -n -w 1 -q 1 -m 5 "$dst" >"$p/traceroute.txt" \
		2>&1 &
	pids+=($!)
	local rc=() i
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}"
		rc[$i]=$?
	done
	sleep 0.3 # let the listeners write what arrived
	lab_probe_classify "${rc[@]}"
}

lab_probe_classify() { # rc: ping rping tcp udp xfer trace
	local p=$WORK/probes
	PROBE[ping]=$([ "$1" -eq 0 ] && echo ok || echo fail)
	PROBE[rping]=$([ "$2" -eq 0 ] && echo ok || echo fail)
	if [ "$3" -eq 0 ]; then PROBE[tcp]=ok
	elif grep -qi refused "$p/tcp.txt"; then PROBE[tcp]=refused
	elif grep -Eqi "unreachable|no route" "$p/tcp.txt"; then
		PROBE[tcp]=unreachable
	else PROBE[tcp]=timeout
	fi
	PROBE[udp]=$(grep -q lab-udp-probe "$p/udp.recv" && echo ok || echo fail)
	local got
	got=$(stat -c %s "$p/xfer.recv" 2>/dev/null || echo 0)
	if [ "$got" -eq "$LAB_XFER_BYTES" ] &&
		cmp -s "$p/xfer.bin" "$p/xfer.recv"; then PROBE[xfer]=ok
	elif grep -q succeeded "$p/xfer.txt"; then PROBE[xfer]=stall
	else PROBE[xfer]=fail
	fi
	echo "$got bytes of $LAB_XFER_BYTES received" >>"$p/xfer.txt"
	PROBE[trace]=$(tail -n 1 "$p/traceroute.txt" |
		grep -q " $HB_ADDR " && echo yes || echo no)
	local k s=""
	for k in ping tcp udp xfer trace rping; do s="$s $k=${PROBE[$k]}"; done
	PROBE_LINE=${s# }
	echo "$PROBE_LINE" >"$p/summary"
	lab_log "probes: $PROBE_LINE"
}

# EXPECT_PROBES "ping=fail tcp=timeout|refused ..." against the probes.
lab_probe_expect() {
	local kv k v
	for kv in $EXPECT_PROBES; do
		k=${kv%%=*} v=${kv#*=}
		[[ "|$v|" == *"|${PROBE[$k]:-?}|"* ]] ||
			lab_fail "fault not as expected: $k=${PROBE[$k]:-?}," \
				"expected $k=$v (probes: $PROBE_LINE)"
	done
}

# ---- collect what a user would export -----------------------------------
lab_host_facts() { # addr plen gw fw
	local line="host $1 mask $2 gateway $3"
	[ "$4" != none ] && line="$line firewall $4"
	echo "$line"
}

lab_collect_gw() { # role gw
	local r=$1 g=$2 d=$OUT/$2 w=$WORK/$2 f
	mkdir -p "$d"
	cp "$w/swanctl.conf" "$d/swanctl.conf"
	lab_ns "$r" nft list ruleset >"$d/nft-ruleset.txt"
	lab_ns "$r" nft -j list ruleset >"$d/nft-ruleset.json"
	lab_ns "$r" ip -j addr >"$d/ip-addr.json"
	lab_ns "$r" ip -j route show table all >"$d/ip-route.json"
	lab_ns "$r" ip rule >"$d/ip-rule.txt"
	lab_swanctl "$g" --list-sas >"$d/swanctl-list-sas.txt" 2>&1
	# no absolute paths of the run in what we keep
	sed "s|$WORK/||g" "$w/charon.log" >"$d/charon.log"
	if declare -F scenario_collect >/dev/null; then scenario_collect "$r" "$g" "$d"; fi
	for f in wan0 lan0 ipsec0 nflog; do
		cp "$w/$f.pcap" "$d/$f.pcap"
	done
	[ "$COLLECT_SYSCTL" = 1 ] &&
		lab_ns "$r" sh -c 'grep . /proc/sys/net/ipv4/conf/*/rp_filter' \
			>"$d/sysctl.txt"
	[ "$COLLECT_IPLINK" = 1 ] && lab_ns "$r" ip -d link >"$d/ip-link.txt"
	return 0
}

# hostB's own view, pasted as a user would: heading, `ip addr`, `ip route`.
lab_host_paste() { # role name
	echo "# $2"
	echo "\$ ip addr"
	lab_ns "$1" ip addr
	echo "\$ ip route"
	lab_ns "$1" ip route
}

lab_collect() {
	lab_collect_gw gA gwA
	lab_collect_gw gB gwB
	{
		echo "# LAN hosts behind gwA (ipsecdiag host facts)"
		lab_host_facts "$HA_ADDR" "$HA_PLEN" "$HA_GW" none
	} >"$OUT/gwA/hosts"
	case $HB_FACTS in
	line) {
		echo "# LAN hosts behind gwB (ipsecdiag host facts)"
		lab_host_facts "$HB_ADDR" "$HB_PLEN" "$HB_GW" "$HB_FW"
	} >"$OUT/gwB/hosts" ;;
	paste) lab_host_paste hB hostB >"$OUT/gwB/hosts" ;;
	esac
	mkdir -p "$OUT/probes"
	cp "$WORK/probes/"*.txt "$WORK/probes/summary" "$OUT/probes/"
}

# ---- the assertion against the tool ------------------------------------
# EXPECT_ID "none": no error finding at all. EXPECT_SITE may list
# alternatives (gwA|gwB) where the cause belongs to both ends.
lab_diagnose() {
	local bin=$LAB_BIN rc
	if [ ! -x "$bin" ]; then
		lab_result tool-missing "-" "no binary $bin"
		exit 4
	fi
	(cd "$OUT" && "$bin" diagnose gwA gwB --format json \
		>diagnose.json 2>diagnose.err)
	rc=$?
	if [ "$rc" -eq 3 ] && grep -q "not built yet" "$OUT/diagnose.err"; then
		lab_result tool-missing "-" "diagnose: not built yet"
		exit 4
	fi
	local found
	found=$(jq -r '[.findings[]? | select(.severity == "error") |
		"\(.id)@\(.site)"] | unique | join(",")' "$OUT/diagnose.json" \
		2>/dev/null)
	if [ $? -ne 0 ]; then
		lab_result fail "-" "diagnose exit $rc, no JSON: $(head -c 200 \
			"$OUT/diagnose.err" | tr '\n' ' ')"
		exit 1
	fi
	[ -n "$found" ] || found=none
	if declare -F scenario_tool_check >/dev/null; then
		LAB_FOUND=$found scenario_tool_check
	fi
	if [ "$rc" -eq 2 ]; then
		lab_result fail "$found" "diagnose exit 2 (input not understood): $(
			grep -m1 error "$OUT/diagnose.err")"
		exit 1
	fi
	if declare -F scenario_check >/dev/null; then scenario_check "$found" || exit 1; fi
	if [ "$EXPECT_ID" = none ]; then
		lab_check_clean "$found" "$rc"
	fi
	lab_check_finding "$found" "$rc"
}

# Nothing wrong must mean "examined and fine", not "read nothing": both
# sites understood as Linux gateways and at least one flow traced.
lab_check_clean() { # found rc
	local kinds nflows warn
	kinds=$(jq -r '[.sites[].kind] | join(",")' "$OUT/diagnose.json")
	nflows=$(jq '.flows | length' "$OUT/diagnose.json")
	warn=$(jq -r '[.findings[]? | select(.severity != "error") |
		"\(.id)@\(.site)"] | join(",")' "$OUT/diagnose.json")
	if [ "$1" != none ] || [ "$2" -ne 0 ]; then
		lab_result fail "$1" "expected no error finding (exit $2)"
		exit 1
	fi
	if [ "$kinds" != linux,linux ] || [ "$nflows" -eq 0 ]; then
		lab_result fail "$1" "vacuous: sites $kinds, $nflows flows traced"
		exit 1
	fi
	lab_result pass "$1" "${warn:+warnings: $warn}"
	exit 0
}

lab_check_finding() { # found rc
	local sites files ev site
	sites=$(jq -r --arg id "$EXPECT_ID" '.findings[]? |
		select(.id == $id) | .site' "$OUT/diagnose.json" | sort -u)
	if [ -z "$sites" ]; then
		lab_result fail "$1" "no finding $EXPECT_ID (exit $2)"
		exit 1
	fi
	site=$(grep -Ex "$EXPECT_SITE" <<<"$sites" | head -n 1)
	if [ -z "$site" ]; then
		lab_result fail "$1" "$EXPECT_ID at $(echo $sites), expected $EXPECT_SITE"
		exit 1
	fi
	# its evidence must cite a file of that site's folder
	ev=$(jq -r --arg id "$EXPECT_ID" --arg s "$site" '[.findings[] |
		select(.id == $id and .site == $s) | .evidence] |
		tostring' "$OUT/diagnose.json")
	# paths as given on the command line: "gwB/nflog.pcap#12", "gwB/hosts:2"
	local cited=""
	for files in $(cd "$OUT/$site" && ls); do
		if grep -qF "\"$site/$files" <<<"$ev"; then
			cited=$site/$files
			break
		fi
	done
	if [ -z "$cited" ]; then
		lab_result fail "$1" "evidence of $EXPECT_ID@$site cites no file of $site/"
		exit 1
	fi
	if [ -n "$EXPECT_CITE" ]; then
		grep -qF "\"$EXPECT_CITE" <<<"$ev" || {
			lab_result fail "$1" "evidence of $EXPECT_ID@$site does not cite $EXPECT_CITE"
			exit 1
		}
		cited=$EXPECT_CITE
	fi
	# one fault injected: any other error finding is a false positive
	local extra
	extra=$(jq -r --arg id "$EXPECT_ID" --arg ok "${EXPECT_ALSO:-}" '
		[.findings[]? | select(.severity == "error" and .id != $id and
		 (.id as $i | ($ok | split(" ") | index($i)) == null)) |
		 "\(.id)@\(.site)"] | unique | join(",")' "$OUT/diagnose.json")
	if [ -n "$extra" ]; then
		lab_result fail "$1" "$EXPECT_ID@$site found (cites $cited), but also: $extra"
		exit 1
	fi
	lab_views "$1" "evidence cites $cited"
}

# The same verdict from part of what a user exports, each in its own
# copy of both folders (views/logs, views/configs): the IKE logs and SA
# status alone (charon.log, swanctl-list-sas.txt), and the two configs
# alone (swanctl.conf). EXPECT_FROM_LOGS / EXPECT_FROM_CONFIGS: "id
# status site file", e.g. "pfs-mismatch confirmed gwA|gwB charon.log":
# a finding id at that site with that status whose evidence cites
# site/file:LINE. Passes (exit 0) when every view given holds.
lab_views() { # found note
	local v spec files id st site file g f got
	if [ -n "$EXPECT_SAYS" ] && ! jq -e --arg id "$EXPECT_ID" \
		--arg says "$EXPECT_SAYS" '[.findings[]? | select(.id == $id)
		| (.summary // "") + " " + (.detail // "") | test($says)]
		| any' "$OUT/diagnose.json" >/dev/null; then
		lab_result fail "$1" "$EXPECT_ID does not say /$EXPECT_SAYS/"
		exit 1
	fi
	for v in logs configs; do
		if [ $v = logs ]; then
			spec=$EXPECT_FROM_LOGS files="charon.log swanctl-list-sas.txt"
		else
			spec=$EXPECT_FROM_CONFIGS files="swanctl.conf"
		fi
		[ -n "$spec" ] || continue
		read -r id st site file <<<"$spec"
		rm -rf "$OUT/views/$v"
		for g in gwA gwB; do
			mkdir -p "$OUT/views/$v/$g"
			for f in $files; do
				cp "$OUT/$g/$f" "$OUT/views/$v/$g/"
			done
		done
		(cd "$OUT/views/$v" && "$LAB_BIN" diagnose gwA gwB \
			--format json >diagnose.json 2>diagnose.err)
		got=$(jq -r --arg id "$id" --arg st "$st" --arg f "$file" \
			--arg says "$EXPECT_SAYS" '
			[.findings[]? | select(.id == $id and .confidence == $st)
			 | select((.summary // "") + " " + (.detail // "") |
			   test($says))
			 | . as $x | select($x.evidence | tostring |
			   test("\"" + $x.site + "/" +
			   ($f | gsub("\\."; "\\.")) + ":[0-9]+"))
			 | .site] | unique | join(" ")' \
			"$OUT/views/$v/diagnose.json" 2>/dev/null)
		if ! grep -Eqw "$site" <<<"$got"; then
			lab_result fail "$1" "from the $v alone: no $id $st at $site citing $file:LINE (views/$v/diagnose.json)"
			exit 1
		fi
		lab_log "from the $v alone: $id $st at $got, cites $file"
		set -- "$1" "$2; from the $v alone too"
	done
	lab_result pass "$1" "$2"
	exit 0
}

# ---- the whole scenario -------------------------------------------------
declare -A PROBE

lab_main() { # name expected-id expected-site
	SCEN=$1 EXPECT_ID=$2 EXPECT_SITE=$3
	OUT=$LAB_ROOT/tests/out/lab/$SCEN
	LAB_BIN=$(cd "$LAB_ROOT" && realpath -m "${LAB_BUILD:-build}/ipsecdiag")
	# --recheck: only the assertion, on the folders of an earlier run
	if [ -n "${LAB_RECHECK:-}" ] && [ -d "$OUT/gwA" ] && [ -d "$OUT/gwB" ]; then
		lab_diagnose
	fi
	rm -rf "$OUT"
	mkdir -p "$OUT"
	lab_require
	WORK=$(mktemp -d /tmp/ipsecdiag-lab.XXXXXX)
	trap lab_cleanup EXIT
	trap 'exit 130' INT TERM
	lab_reap_stale
	lab_topology
	lab_firewalls
	lab_ipsec_up
	[ "$LAB_EXPECT_UP" = 0 ] || lab_log "SA installed"
	if declare -F scenario_inject >/dev/null; then scenario_inject; fi
	lab_capture_start
	lab_probe
	if declare -F scenario_probe >/dev/null; then scenario_probe; fi
	lab_capture_stop
	lab_probe_expect
	if declare -F scenario_verify >/dev/null; then scenario_verify; fi
	lab_collect
	lab_log "probes and captures as expected; folders in ${OUT#"$LAB_ROOT"/}"
	lab_diagnose
}
