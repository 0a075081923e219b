#!/usr/bin/env bash
# Reproduces every experiment with the papers' settings (release build) and writes out/INDEX.md: each
# experiment's headline numbers, its report, its figures and its claims table, with the time it took.
#
# Usage: Scripts/reproduce-all.sh [OPTIONS...]
#   OPTIONS are passed to every experiment, e.g. --quick (seconds each) or --seed 7.
# Each experiment writes out/<Experiment>/ all at once; one that fails leaves its previous results in place,
# the others still run, and the script exits non-zero at the end.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mapfile -t experiments < <(grep -v '^#' Scripts/experiments.list | grep .)
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
fi
echo "== building (release)"
swift build -c release 2>&1 | grep -E "error|warning: |Compiling|Build complete" | grep -v Compiling || true
bin=$(swift build -c release --show-bin-path)
failed=()
for e in "${experiments[@]}"; do
  echo
  echo "== $e $*"
  if ! "$bin/$e" "$@"; then failed+=("$e"); fi
done

index=out/INDEX.md
tmp=out/.INDEX.md.partial-$$
{
  echo "# Results index"
  echo
  echo "Written by \`Scripts/reproduce-all.sh $*\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo "Each folder's report.md puts the paper's numbers beside ours; config.csv holds every setting, timings.csv every time."
  for e in "${experiments[@]}"; do
    d=out/$e
    echo
    echo "## $e"
    echo
    if [ ! -f "$d/report.md" ]; then echo "No results yet."; continue; fi
    [ -f "$d/headline.txt" ] && { cat "$d/headline.txt"; echo; }
    seconds=$(awk -F, '$1 == "whole_run" { print $2 }' "$d/timings.csv" 2>/dev/null)
    quick=$(awk -F, '$1 == "quick" { print $2 }' "$d/config.csv" 2>/dev/null)
    seed=$(awk -F, '$1 == "seed" { print $2 }' "$d/config.csv" 2>/dev/null)
    echo "- settings: seed $seed$([ "$quick" = true ] && echo ", --quick (not the paper's settings)"); whole run ${seconds:-?} s"
    echo "- report: [$e/report.md]($e/report.md); claims: [$e/claims.csv]($e/claims.csv)"
    for png in "$d"/*.png; do
      [ -f "$png" ] || continue
      f=$(basename "$png")
      alt=$(grep -o "!\[[^]]*\]($f)" "$d/report.md" | head -1 | sed -E 's/!\[([^]]*)\].*/\1/')
      echo "- figure: [$e/$f]($e/$f)${alt:+: $alt}"
    done
    if [ -f "$d/claims.csv" ]; then
      echo
      echo "| claim | paper | ours | verdict | measured |"
      echo "|---|---|---|---|---|"
      # claims.csv is RFC 4180: split on commas outside quotes, undouble quotes; columns are found by name.
      awk '{
        n = 0; field = ""; q = 0
        for (i = 1; i <= length($0); i++) {
          c = substr($0, i, 1)
          if (q) { if (c == "\"") { if (substr($0, i + 1, 1) == "\"") { field = field "\""; i++ } else q = 0 } else field = field c }
          else if (c == "\"") q = 1
          else if (c == ",") { f[++n] = field; field = "" }
          else field = field c
        }
        f[++n] = field
        if (NR == 1) { for (k = 1; k <= n; k++) col[f[k]] = k; next }
        out = "|"
        split("claim paper ours verdict measured", want, " ")
        for (k = 1; k <= 5; k++) {
          v = f[col[want[k]]]
          if (want[k] == "paper" || want[k] == "ours") { if (v != "") v = v " " f[col["unit"]] }
          if (want[k] == "verdict" && f[col["note"]] != "") v = v " (" f[col["note"]] ")"
          gsub(/\|/, "\\|", v)
          out = out " " v " |"
        }
        print out
      }' "$d/claims.csv"
    fi
  done
} > "$tmp" && mv "$tmp" "$index"
echo
echo "== wrote $index"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]} (their previous results, if any, are unchanged)" >&2
  exit 1
fi
