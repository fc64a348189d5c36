# Helpers for bench/*/run scripts: source "$BENCH_LIB".
# Times are wall-clock seconds, best of N runs (the least disturbed run);
# every figure is meant to be read as a ratio against a reference tool
# timed by the same script in the same run, never as an absolute.

# bench_best N CMD...: best wall time of N runs of CMD (output discarded).
bench_best() {
	local _runs=$1 _i best= t0 t1 t
	shift
	for ((_i = 0; _i < _runs; _i++)); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }
		t1=$(date +%s%N)
		t=$((t1 - t0))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	awk -v ns="$best" 'BEGIN { printf "%.6f\n", ns / 1e9 }'
}

# bench_ratio A B: A / B with two decimals ("-" when B is 0).
bench_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "-" }'
}

# bench_rss CMD...: peak resident memory of CMD in KiB (GNU time).
bench_rss() {
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
}

# bench_row LABEL OURS REF REFNAME: one Markdown table row with the ratio.
bench_row() {
	printf '| %s | %s s | %s s (%s) | %s |\n' "$1" "$2" "$3" "$4" \
		"$(bench_ratio "$2" "$3")"
}
