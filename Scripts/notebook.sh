#!/usr/bin/env bash
# Runs a Swift script ("notebook") that imports the project's libraries, so you can explore without
# adding a target: MLCore, Learning, Datasets, Privacy and Reporting, built in release mode as one dynamic
# library (libInversionLab.so) in .build-notebook/ (the first call builds it, about a minute; later calls
# rebuild only what changed).
#
# Usage: Scripts/notebook.sh FILE.swift [ARGUMENTS...]
#   e.g. Scripts/notebook.sh Scripts/notebooks/dataset-summary.swift
# The script sees ARGUMENTS as CommandLine.arguments.dropFirst(). Datasets are found as the experiments
# find them (INVERSIONLAB_DATA, else data/). (`swift run --repl` is no alternative on this image: lldb
# needs libpython3.10.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,12p' "$0"; exit 2; }
script=$1; shift
[ -f "$script" ] || { echo "notebook: $script: no such file" >&2; exit 1; }
script="$(cd "$(dirname "$script")" && pwd)/$(basename "$script")"
build="$root/.build-notebook"
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
fi
if ! log=$(cd "$root" && swift build -c release --scratch-path "$build" --product InversionLab 2>&1); then
  printf '%s\n' "$log" >&2
  echo "notebook: the libraries did not build (above)" >&2
  exit 1
fi
lib="$build/release"
maps=()
for m in CBLAS CLAPACK CPNG CZlib; do maps+=(-Xcc "-fmodule-map-file=$root/Sources/$m/module.modulemap"); done
export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cd "$root"
exec swift -I "$lib/Modules" "${maps[@]}" -L "$lib" -lInversionLab "$script" "$@"
