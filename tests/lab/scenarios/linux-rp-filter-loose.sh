#!/usr/bin/env bash
# linux-rp-filter with rp_filter=2 (loose): a route back to 10.0.1.10
# exists (the default via wan0), but ipsec0 has no IPv4 address, and then
# the kernel rejects as in strict mode (__fib_validate_source(): no_addr ->
# last_resort). Still dropped: linux-rp-filter @ gwB.
LAB_RP=2 LAB_SCEN=linux-rp-filter-loose exec bash "$(dirname "$0")/linux-rp-filter.sh" "$@"
