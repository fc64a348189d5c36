#!/bin/sh
# Writes an `nft list ruleset`-shaped ruleset of N rules (default 5000):
# a forward chain jumping into per-subnet chains, named and anonymous
# sets, ports, ct state, ipsec matches, NAT. Usage: gen-ruleset.sh [N]
awk -v n="${1:-5000}" 'BEGIN {
	print "table inet filter {"
	print "\tset tunnel_nets {\n\t\ttype ipv4_addr\n\t\tflags interval"
	printf "\t\telements = { "
	for (i = 0; i < 200; i++) printf "%s10.%d.%d.0/24", i ? ", " : "", 100 + int(i / 250), i % 250
	print " }\n\t}"
	chains = int(n / 50)
	print "\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;"
	print "\t\tct state established,related counter packets 10 bytes 840 accept"
	for (c = 0; c < chains; c++)
		printf "\t\tiifname \"ipsec0\" ip saddr 10.%d.%d.0/24 jump sub%d\n", 100 + int(c / 250), c % 250, c
	print "\t\tiifname \"eth1\" ip daddr @tunnel_nets meta ipsec missing counter packets 0 bytes 0 drop"
	print "\t}"
	left = n - chains - 2
	for (c = 0; c < chains; c++) {
		printf "\tchain sub%d {\n", c
		for (r = 0; r < 50 && left > 0; r++) {
			left--
			if (r % 3 == 0) {
				printf "\t\tip daddr 10.0.%d.%d tcp dport { 22, 443, %d } counter packets %d bytes %d accept\n", c % 250, r, 1024 + r, r, r * 60
			} else if (r % 3 == 1) {
				printf "\t\tip daddr 10.0.%d.0/24 udp dport %d-%d accept\n", c % 250, 1000 + r, 2000 + r
			} else {
				printf "\t\tip protocol icmp icmp type echo-request ip daddr != 10.9.%d.0/24 reject\n", r
			}
		}
		print "\t\treturn\n\t}"
	}
	print "}"
	print "table ip nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;"
	print "\t\toifname \"eth0\" ipsec out ip daddr 198.51.100.2 accept"
	print "\t\toifname \"eth0\" masquerade\n\t}\n}"
}'
