#!/usr/bin/env bash
# Issue 15, scale: a 10,000-app organisation topped up to 1,000,000 active grants beside the plain
# 10,000-app organisation of run-server.sh, on SQLite. Times `gatehouse push` of each on a fresh
# server, then serves both (pinned, as run-server.sh does) and sends checks and decisions rotating
# over every app, alternating between the two; reads each server's RSS (VmRSS, VmHWM) after.
# Prints a table and PASS/FAIL per goal: push under 2 minutes, RSS at most 300 MB, check
# throughput within 10% of the 10,000-app figure. Data generated once under bench/out/.
# Bounded: every push 10 minutes at most, each load run its duration (8 s by default).
# Extra arguments go to scale-bench (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "run-scale.sh: installing wrk" >&2
  if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  "${apt_get[@]}" update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq wrk >&2
fi

# Always republish, so the numbers are for the CLI and server of this checkout.
dotnet publish src/Gatehouse.Cli -c Release -o bench/out/cli --nologo -v quiet
dotnet build bench/Gatehouse.Bench -c Release --nologo -v quiet
exec dotnet run --project bench/Gatehouse.Bench -c Release --no-build -- scale-bench "$@"
