#!/usr/bin/env bash
# The export's formats and compressions side by side: the executable jar in demo mode (its embedded
# emulator serves JOBS x ITEMS_PER_JOB demo items), each configuration once per round, rounds
# interleaved so that a noisy neighbour weighs on every configuration alike. Reports, per
# configuration, the medians of wall time, CPU seconds (user + system, the embedded emulator's
# serving included: it is the same process) and the output's bytes, as a Markdown table.
#
#   benchmarks/scripts/export-formats.sh                 # 1,000,000 items (100 x 10,000), 3 rounds
#   JOBS=10 ROUNDS=3 HEAP=1g benchmarks/scripts/export-formats.sh
set -euo pipefail
JAR=${JAR:-src/scrapinghub-cli/target/scrapinghub-io.jar}
JOBS=${JOBS:-100}
ITEMS_PER_JOB=${ITEMS_PER_JOB:-10000}
ROUNDS=${ROUNDS:-3}
WORK=${WORK:-$(mktemp -d /tmp/export-formats.XXXXXX)}
mkdir -p "$WORK"
# The README's JVM flags for a command-line run, but a heap for the demo's items too: the embedded
# emulator keeps them all in this JVM (1,000,000 demo items do not fit in the README's 1 GB).
HEAP=${HEAP:-4g}
JAVA=(java "-Xmx$HEAP" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR")
CONFIGS=("jsonl|--format=jsonl" "jsonl+gzip|--format=jsonl --compression=gzip"
         "jsonl+zstd|--format=jsonl --compression=zstd" "csv|--format=csv" "parquet|--format=parquet"
         "parquet+zstd|--format=parquet --compression=zstd")

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

for round in $(seq 1 "$ROUNDS"); do
  for config in "${CONFIGS[@]}"; do
    name=${config%%|*}
    read -r -a options <<< "${config#*|}"
    out="$WORK/$name-$round"
    /usr/bin/time -f '%e %U %S' -o "$WORK/$name-$round.time" "${JAVA[@]}" export --progress=none \
        --demo-jobs="$JOBS" --demo-items-per-job="$ITEMS_PER_JOB" "${options[@]}" --output="$out" \
        > "$WORK/$name-$round.log" 2>&1
    bytes=$(du -sb "$out" | cut -f1)
    echo "$(cat "$WORK/$name-$round.time") $bytes" > "$WORK/$name-$round.result"
    echo "round $round $name: $(cat "$WORK/$name-$round.result") (wall user sys bytes)" >&2
    rm -rf "$out"
  done
done

echo "| Format | Wall s (median) | CPU s, user + system (median) | Output bytes | Bytes vs jsonl |"
echo "|---|---:|---:|---:|---:|"
base=$(cat "$WORK"/jsonl-*.result | awk '{print $4}' | median)
for config in "${CONFIGS[@]}"; do
  name=${config%%|*}
  wall=$(cat "$WORK/$name"-*.result | awk '{print $1}' | median)
  cpu=$(cat "$WORK/$name"-*.result | awk '{print $2 + $3}' | median)
  bytes=$(cat "$WORK/$name"-*.result | awk '{print $4}' | median)
  printf '| %s | %.1f | %.1f | %d | %.2f |\n' "$name" "$wall" "$cpu" "$bytes" "$(echo "$bytes / $base" | bc -l)"
done
