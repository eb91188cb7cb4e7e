#!/usr/bin/env bash
# Builds the two libFuzzer targets with the Swift toolchain's clang/swiftc and runs each for a
# bounded time: `make fuzz` (FUZZ_SECONDS=60 each by default). Corpora grow in .build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-60}
toolchain=$(dirname "$(command -v swiftc)")
clang=${CLANG:-$toolchain/clang}
out=.build/fuzz
mkdir -p "$out/png-corpus" "$out/json-corpus"

"$clang" -g -O1 -fsanitize=fuzzer,address,undefined -ISources/CPNG/include $(pkg-config --cflags libpng libdeflate) \
    Benchmarks/fuzz/png_fuzz.c Sources/CPNG/atlas_png.c -o "$out/png-fuzz" $(pkg-config --libs libpng libdeflate) -lz \
    2> >(grep -v "Cannot export local symbol" >&2)
swiftc -sanitize=fuzzer,address -parse-as-library -O Sources/Contexts/JSONValue.swift Benchmarks/fuzz/JSONFuzz.swift \
    -o "$out/json-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)

# Seeds: small PNGs of every kind the writer makes, and the example inputs' lines.
if [ -z "$(ls -A "$out/png-corpus")" ]; then
    for f in Benchmarks/fuzz/seeds/*.png; do cp "$f" "$out/png-corpus/"; done
fi
if [ -z "$(ls -A "$out/json-corpus")" ]; then
    i=0
    for f in Examples/*.jsonl; do head -c 4000 "$f" > "$out/json-corpus/seed-$i.jsonl"; i=$((i + 1)); done
    for f in Examples/*.json; do head -c 4000 "$f" > "$out/json-corpus/seed-$i.json"; i=$((i + 1)); done
fi

for target in png json; do
    log="$out/$target-fuzz.log"
    "$out/$target-fuzz" -artifact_prefix="$out/$target-" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
        "$out/$target-corpus" > "$log" 2>&1 || { tail -40 "$log"; echo "$target fuzzing found a problem (log: $log)"; exit 1; }
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "$target: ${seconds} s, $runs inputs run, corpus $(ls "$out/$target-corpus" | wc -l) files ($(du -sh "$out/$target-corpus" | cut -f1))"
done
