#!/usr/bin/env bash
# Peak resident memory of real renders against their budget (issue 14, item 3).
# Usage: Benchmarks/memory/peak-rss.sh [atlas binary] [input]   (default: .build/release/atlas, Examples/sea-light.jsonl)
# Needs GNU time (/usr/bin/time, Debian package `time`). Each render runs alone; a refused render
# exits 1 at once with its estimate, and its row shows the estimate instead of a measurement.
set -u
atlas=${1:-.build/release/atlas}
input=${2:-Examples/sea-light.jsonl}
style=${STYLE:-poster}   # latent_scale 0.25 (preview uses 0.5: 4× the decoding memory)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ -x "$atlas" ] || { echo "no atlas binary at $atlas (make build)"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)"; exit 1; }

printf '%-13s %-8s %-10s %-10s %-8s %s\n' canvas budget "peak RSS" outcome seconds note
run() {  # side budget [extra args…]
    local side=$1 budget=$2; shift 2
    local log="$out/time.log" err="$out/err.log"
    /usr/bin/time -v -o "$log" "$atlas" render "$input" --style "${style}" --set canvas.width="$side" --set canvas.height="$side" \
        --memory "$budget" -o "$out/r" -q "$@" 2>"$err"
    local status=$?
    local kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    local secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    local outcome=rendered note="${*:-}"
    [ "$style" = poster ] || note="style $style${note:+, $note}"
    if [ $status -ne 0 ]; then
        outcome=refused
        note="$(grep -o 'needs ~[^;]*' "$err" || tail -1 "$err")${note:+ ($note)}"
    fi
    printf '%-13s %-8s %-10s %-10s %-8s %s\n' "${side}²" "$budget" "$((kb / 1024)) MB" "$outcome" "$secs" "$note"
    rm -rf "$out/r"
}
for side in 4096 8192 16384 32768; do
    for budget in 256M 2G; do run $side $budget; done
done
# The bands alone (no painting to decode): streamed within even a small budget.
run 8192 256M --set "layers=[heatmap, edges, circle, typography]"
run 16384 256M --set "layers=[heatmap, edges, circle, typography]"
# The exhibition preset as shipped (16-bit PNG + PDF from one pass, its own 2 GB budget).
style=exhibition run 8192 2G --format png,pdf
