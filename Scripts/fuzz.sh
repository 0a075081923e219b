#!/usr/bin/env bash
# Fuzzes every parser that reads bytes from outside with libFuzzer (swiftc -sanitize=fuzzer,address):
# PGM, the CSV reader, the IWPC loader, the ZIP reader with inflate, checksum lists, .npy files, the Location,
# UCI Adult and IDX (MNIST) loaders (MLCore and Datasets), and PNG reading (Reporting, through libpng). A parser may reject an input only with its typed
# error; a trap, a crash, another error, a leak of memory safety or a result that breaks the format's
# promises stops the run with the input saved in .build-fuzz/crashes/.
#
# Usage: Scripts/fuzz.sh [--seconds S | --runs N] [TARGET ...]
#   --seconds S  fuzz each target for S seconds (default 10)
#   --runs N     fuzz each target for N inputs instead
#   TARGET       any of: pgm csv iwpc zip checksums npy location adult idx png (default: all)
# Seeds come from Tests/Fixtures (and Tests/Fixtures/fuzz); corpora grow in .build-fuzz/corpus/TARGET.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
limit=(-max_total_time=10)
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) limit=(-max_total_time="$2"); shift 2 ;;
    --runs) limit=(-runs="$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    pgm|csv|iwpc|zip|checksums|npy|location|adult|idx|png) targets+=("$1"); shift ;;
    *) echo "fuzz: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(pgm csv iwpc zip checksums npy location adult idx png)

build="$root/.build-fuzz"
mkdir -p "$build/crashes"
maps=()
for m in CBLAS CLAPACK CPNG CZlib; do maps+=(-Xcc "-fmodule-map-file=$root/Sources/$m/module.modulemap"); done

# One module per fuzzer: the library sources with their imports of each other removed, plus the entry point.
compile() {  # name, entry point, source folders...
  local name=$1 entry=$2; shift 2
  local src="$build/src-$name"
  rm -rf "$src"; mkdir -p "$src"
  for dir in "$@"; do
    for f in "$root/Sources/$dir"/*.swift; do
      sed -E '/^import (MLCore|Datasets|Learning|Reporting|Privacy)$/d' "$f" > "$src/$dir-$(basename "$f")"
    done
  done
  cp "$root/Tests/Fuzz/$entry" "$src/"
  local newest
  newest=$(find "$src" "$root/Tests/Fuzz/$entry" -newer "$build/$name" 2>/dev/null | head -1 || true)
  if [ -x "$build/$name" ] && [ -z "$newest" ]; then return; fi
  echo "fuzz: building $name"
  swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name "Fuzz$name" "${maps[@]}" \
    "$src"/*.swift -lopenblas -llapacke -lpng16 -lz -o "$build/$name" 2>&1 | grep -Ev "ld.gold: warning: Cannot export local symbol" || true
  [ -x "$build/$name" ] || { echo "fuzz: $name did not build" >&2; exit 1; }
}

needs_datasets=0; needs_png=0
for t in "${targets[@]}"; do if [ "$t" = png ]; then needs_png=1; else needs_datasets=1; fi; done
[ $needs_datasets = 1 ] && compile datasets DatasetsFuzz.swift MLCore Datasets
[ $needs_png = 1 ] && compile reporting ReportingFuzz.swift MLCore Reporting

seed() {  # target -> the fixtures that start its corpus
  case "$1" in
    pgm) echo Tests/Fixtures/binary.pgm Tests/Fixtures/plain.pgm ;;
    csv|iwpc) echo Tests/Fixtures/fuzz/iwpc_rows.csv ;;
    zip) echo Tests/Fixtures/tiny_dataset.zip ;;
    checksums) echo Tests/Fixtures/fuzz/tiny.sha256 ;;
    npy) echo Tests/Fixtures/fuzz/tiny.npy ;;
    location) echo Tests/Fixtures/fuzz/location_rows.csv ;;
    adult) echo Tests/Fixtures/fuzz/adult_rows.txt ;;
    idx) echo Tests/Fixtures/fuzz/tiny-images.idx Tests/Fixtures/fuzz/tiny-labels.idx.gz ;;
    png) echo Tests/Fixtures/fuzz/tiny-gray.png Tests/Fixtures/fuzz/tiny-rgb.png ;;
  esac
}

failed=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  for f in $(seed "$t"); do cp "$f" "$corpus/"; done
  binary=$build/datasets; [ "$t" = png ] && binary=$build/reporting
  log="$build/$t.log"
  set +e
  FUZZ_TARGET=$t "$binary" "${limit[@]}" -detect_leaks=0 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$t-" "$corpus" > "$log" 2>&1
  status=$?
  set -e
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
  if [ $status -eq 0 ]; then
    echo "fuzz: $t: $runs inputs, no crash (corpus $(ls "$corpus" | wc -l) files)"
  else
    failed=1
    echo "fuzz: $t: FAILED after $runs inputs; the input is in $build/crashes/ and the report in $log:" >&2
    grep -E "Fatal error|ERROR|SUMMARY|==[0-9]+==" "$log" | head -8 >&2
  fi
done
exit $failed
