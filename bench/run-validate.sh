#!/usr/bin/env bash
# Times `gatehouse validate` on 10,000 and 20,000 generated manifests against parsing the same
# files with YamlDotNet alone, and checks the goals. See docs/benchmarks.md.
# Extra arguments go to validate-vs-parse, e.g. bash bench/run-validate.sh --sizes 10000 --runs 5
set -euo pipefail
cd "$(dirname "$0")/.."

# Always republish, so the numbers are for the CLI of this checkout.
dotnet publish src/Gatehouse.Cli -c Release -o bench/out/cli --nologo -v quiet
dotnet build bench/Gatehouse.Bench -c Release --nologo -v quiet
exec dotnet run --project bench/Gatehouse.Bench -c Release --no-build -- validate-vs-parse "$@"
