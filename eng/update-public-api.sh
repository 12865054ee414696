#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every shipped project (IsShippedProject=true under src/) from the build:
# empties each Unshipped file, builds the shipped projects once with the public-API analyzer's findings as warnings,
# writes every RS0016 symbol (public but undeclared) sorted into Unshipped, and every RS0017 symbol (declared in
# Shipped but gone) as a *REMOVED* line. Then builds again with warnings as errors to prove the files are right.
# Usage: eng/update-public-api.sh [--no-verify]
set -euo pipefail
cd "$(dirname "$0")/.."

verify=true
[[ "${1:-}" == "--no-verify" ]] && verify=false

mapfile -t projects < <(grep -l '<IsShippedProject>true</IsShippedProject>' src/*/*.csproj | sort)
if [[ ${#projects[@]} -eq 0 ]]; then
  echo "no shipped projects found" >&2
  exit 1
fi

# One solution filter of the shipped projects, so the build compiles each of them once and nothing else.
filter="$(mktemp --suffix=.slnf -p .)"
log="$(mktemp)"
trap 'rm -f "$filter" "$log"' EXIT
{
  printf '{ "solution": { "path": "Orchestrator.Core.sln", "projects": [\n'
  for i in "${!projects[@]}"; do
    sep=','; [[ $i -eq $((${#projects[@]} - 1)) ]] && sep=''
    printf '  "%s"%s\n' "${projects[$i]}" "$sep"
  done
  printf '] } }\n'
} > "$filter"

for project in "${projects[@]}"; do
  dir="$(dirname "$project")"
  [[ -f "$dir/PublicAPI.Shipped.txt" ]] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
done

# --no-incremental: the analyzer only reports while compiling, so an up-to-date project would report nothing.
dotnet build "$filter" --no-incremental -nologo -v q -p:TreatWarningsAsErrors=false -p:RunAnalyzersDuringBuild=true > "$log" 2>&1 || {
  cat "$log" >&2
  echo "build failed for another reason than the public API; fix it first" >&2
  exit 1
}

for project in "${projects[@]}"; do
  dir="$(cd "$(dirname "$project")" && pwd)"
  csproj="$dir/$(basename "$project")"
  unshipped="$dir/PublicAPI.Unshipped.txt"
  # A diagnostic line ends with "[<project path>]"; the symbol string sits between "Symbol '" and "' is ...".
  added="$(grep -F "[$csproj]" "$log" | grep -F 'RS0016' | sed -n "s/.*RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" | LC_ALL=C sort -u || true)"
  removed="$(grep -F "[$csproj]" "$log" | grep -F 'RS0017' | sed -n "s/.*RS0017: Symbol '\(.*\)' is part of the declared API.*/*REMOVED*\1/p" | LC_ALL=C sort -u || true)"
  {
    printf '#nullable enable\n'
    if [[ -n "$added" ]]; then printf '%s\n' "$added"; fi
    if [[ -n "$removed" ]]; then printf '%s\n' "$removed"; fi
  } > "$unshipped"
  echo "$(basename "$dir"): $(($(wc -l < "$unshipped") - 1)) unshipped entries"
done

if $verify; then
  dotnet build "$filter" -nologo -v q > "$log" 2>&1 || {
    grep -E 'error|RS00' "$log" | sort -u >&2
    echo "the regenerated files do not build cleanly" >&2
    exit 1
  }
  echo "verified: the shipped projects build with the regenerated files"
fi
