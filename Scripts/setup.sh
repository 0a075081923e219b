#!/usr/bin/env bash
# Set-up of a fresh Debian or Ubuntu machine for InversionLab: installs the system libraries the package
# links (OpenBLAS, LAPACKE, libpng, zlib), checks the Swift toolchain, tells which OpenBLAS kernels to ask
# for, and checks every dataset it can find against the package's checksum lists.
#
# Usage: Scripts/setup.sh            (installs with apt-get; uses sudo when not root)
#        Scripts/setup.sh --check    (installs nothing; only reports)
# Datasets are looked for where the experiments look: $INVERSIONLAB_DATA, then data/, then ../shared/datasets.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
check_only=0
[ "${1:-}" = "--check" ] && check_only=1
status=0

echo "== System libraries"
missing=()
for pkg in libopenblas-dev liblapacke-dev libpng-dev zlib1g-dev; do
  if dpkg -s "$pkg" >/dev/null 2>&1; then echo "  $pkg: installed"; else missing+=("$pkg"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ $check_only = 1 ]; then
    echo "  missing: ${missing[*]} (run Scripts/setup.sh to install them)"; status=1
  else
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "  installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    echo "  installed"
  fi
fi

echo "== Swift"
if command -v swift >/dev/null 2>&1; then
  echo "  $(swift --version 2>&1 | head -1)"
else
  echo "  swift is not on PATH: install Swift 6 from https://www.swift.org/install/linux/"; status=1
fi

echo "== OpenBLAS kernels"
if grep -qw avx512f /proc/cpuinfo; then want=SkylakeX; elif grep -qw avx2 /proc/cpuinfo; then want=Haswell; else want=""; fi
if [ -n "$want" ] && [ "${OPENBLAS_CORETYPE:-}" != "$want" ]; then
  echo "  this CPU supports $want kernels; OpenBLAS 0.3.21 may not recognise it and fall back to generic ones (about 4x"
  echo "  slower). Add to your shell profile: export OPENBLAS_CORETYPE=$want (every run's header shows the core it got)"
else
  echo "  OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}: nothing to do"
fi

echo "== Datasets"
for list in Sources/Datasets/Checksums/*.sha256; do
  name=$(basename "$list" .sha256)
  found=""
  for base in "${INVERSIONLAB_DATA:-}" data ../shared/datasets; do
    [ -n "$base" ] && [ -d "$base/$name" ] && { found="$base/$name"; break; }
  done
  if [ -z "$found" ]; then
    echo "  $name: not found (see the README's Datasets table for where to get it)"
    continue
  fi
  if (cd "$found" && sha256sum --quiet --strict -c "$root/$list" >/dev/null 2>&1); then
    echo "  $name: $found, $(wc -l < "$list") files verified"
  else
    echo "  $name: $found FAILS its checksums; (cd $found && sha256sum -c $root/$list) lists the files"; status=1
  fi
done

echo
echo "Next: swift run -c release Fredrikson2015Faces    (an experiment; results in out/)"
echo "      swift test --disable-xctest                 (the tests)"
exit $status
