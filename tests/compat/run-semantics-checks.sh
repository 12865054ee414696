#!/usr/bin/env sh
# Runs the repo copy of the compat semantics checks through the CLI's dry run (builds the CLI into a temp folder).
# Usage, from the repository root: tests/compat/run-semantics-checks.sh [--only SUBSTRING]
# Needs the shared checker: ../shared/compat/checks/run-checks.py (or set RUN_CHECKS to its path).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
checker=${RUN_CHECKS:-$root/../shared/compat/checks/run-checks.py}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build "$root/src/Orchestrator.Cli" -c Release -o "$out" -nologo -v q >/dev/null
cd "$root"
python3 "$checker" "$root/tests/Orchestrator.Cli.Tests/Fixtures/compat/semantics-examples.json" --cli "dotnet $out/Orchestrator.Cli.dll" --jobs 2 "$@"
