#!/usr/bin/env bash
# Writes a dataset's checksum list (SHA256SUMS format) into Sources/Datasets/Checksums/ and prints the
# list's own SHA-256, which Sources/Datasets/Catalog*.swift pins so that a changed list is caught.
#
# Usage: Scripts/checksums.sh NAME DIR [PATTERN ...]
#   NAME     the catalog name, e.g. att_faces (the list becomes Checksums/NAME.sha256)
#   DIR      a folder holding the dataset as the store lays it out (e.g. ../shared/datasets/att_faces)
#   PATTERN  the dataset's files, as paths or globs relative to DIR (default: every file except
#            PROVENANCE.md and SHA256SUMS, which describe a copy rather than belong to the dataset)
# Then check a folder against the list with: (cd DIR && sha256sum -c Sources/Datasets/Checksums/NAME.sha256)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 2 ] || { sed -n '2,12p' "$0"; exit 2; }
name=$1 dir=$2; shift 2
[ -d "$dir" ] || { echo "checksums: $dir is not a folder" >&2; exit 1; }
list="$root/Sources/Datasets/Checksums/$name.sha256"
cd "$dir"
if [ $# -eq 0 ]; then
  files=$(find . -type f ! -name PROVENANCE.md ! -name SHA256SUMS | sed 's|^\./||')
else
  files=$(for p in "$@"; do ls -d $p; done)
fi
[ -n "$files" ] || { echo "checksums: no files matched in $dir" >&2; exit 1; }
tmp="$list.partial"
printf '%s\n' "$files" | LC_ALL=C sort -u | while IFS= read -r f; do sha256sum -- "$f"; done > "$tmp"
mv "$tmp" "$list"
echo "$(wc -l < "$list") files -> ${list#$root/}"
echo "pin in the catalog entry: $(sha256sum "$list" | cut -d' ' -f1)"
