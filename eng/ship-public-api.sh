#!/usr/bin/env bash
# Ships the public API at a release: moves every entry of each shipped project's PublicAPI.Unshipped.txt into its
# PublicAPI.Shipped.txt (sorted, under the '#nullable enable' header); a '*REMOVED*<entry>' line deletes <entry>
# from Shipped. Unshipped is left with its header only. Run it once per release, after eng/update-public-api.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

header='#nullable enable'
for project in $(grep -l '<IsShippedProject>true</IsShippedProject>' src/*/*.csproj | sort); do
  dir="$(dirname "$project")"
  shipped="$dir/PublicAPI.Shipped.txt"
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [[ -f "$unshipped" ]] || continue
  [[ -f "$shipped" ]] || printf '%s\n' "$header" > "$shipped"

  entries() { grep -v -x -F "$header" "$1" | grep -v '^[[:space:]]*$' || true; }
  removed="$(entries "$unshipped" | sed -n 's/^\*REMOVED\*//p')"
  merged="$( { entries "$shipped"; entries "$unshipped" | grep -v '^\*REMOVED\*' || true; } \
    | { if [[ -n "$removed" ]]; then grep -v -x -F -f <(printf '%s\n' "$removed"); else cat; fi; } \
    | LC_ALL=C sort -u || true)"

  {
    printf '%s\n' "$header"
    if [[ -n "$merged" ]]; then printf '%s\n' "$merged"; fi
  } > "$shipped"
  printf '%s\n' "$header" > "$unshipped"
  echo "$(basename "$dir"): $(($(wc -l < "$shipped") - 1)) shipped entries"
done
