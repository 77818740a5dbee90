#!/usr/bin/env bash
# Serve-only A/B of the scale benchmark (issue 15, ADR 0043): no push. Serves copies of a data
# folder kept by `bash bench/run-scale.sh --keep yes` (its work folder: data/, checks.tsv,
# decisions.tsv) with two gatehouse builds at once, pinned as scale-bench pins them, sends the same
# warm-ups and 2 x 8 s of checks, then of decisions, alternating A and B, and prints per server
# its RSS (peak, anonymous) and the GC's figures from /metrics after each phase.
#   bash bench/run-scale-serve.sh KEPT_WORK_FOLDER CLI_DIR_A CLI_DIR_B [VAR=VALUE ... for B]
# (ADMIN=user-... names the admin a token is made for; user-00001 by default, as generated).
# e.g. bench/out/cli-before (a copy of an older publish) against bench/out/cli, or one build
# against itself with DOTNET_GCConserveMemory=0 for B (ADR 0048's GC setting turned off).
# Throughput is comparable only within a run.
# KEPT_A=FOLDER serves A from another kept folder (e.g. the 10,000-app one beside the million-grant
# one, with its own checks.tsv and decisions.tsv); A_ENV="VAR=VALUE ..." sets variables for A;
# ROUNDS=N runs N rounds of each (2 by default).
set -euo pipefail
kept=$(realpath "$1") cli_a=$(realpath "$2") cli_b=$(realpath "$3"); shift 3
work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-scale-serve-XXXX")
trap 'kill ${PID_A:-} ${PID_B:-} 2>/dev/null || true; rm -rf "$work"' EXIT
server_core=() load_core=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then server_core=(taskset -c 0) load_core=(taskset -c "$(($(nproc) - 1))"); fi

kept_a=$(realpath "${KEPT_A:-$kept}")
kept_of() { if [ "$1" = A ]; then echo "$kept_a"; else echo "$kept"; fi; }

start() { # NAME CLI VAR=VALUE...
  local name=$1 cli=$2; shift 2
  cp -a "$(kept_of "$name")/data" "$work/$name"
  local port; port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  local boot; boot=ghb_bench_$(openssl rand -hex 16)
  env GATEHOUSE_DATA="$work/$name" GATEHOUSE_BOOTSTRAP_TOKEN="$boot" GATEHOUSE_RATE_LIMITS=off "$@" \
    "${server_core[@]}" "$cli/gatehouse" serve --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  local token; token=$(GATEHOUSE_URL="http://127.0.0.1:$port" GATEHOUSE_TOKEN="$boot" "$cli/gatehouse" token create --user "${ADMIN:-user-00001}" 2>/dev/null)
  eval "PID_$name=$pid URL_$name=http://127.0.0.1:$port TOKEN_$name=$token"
}

memory() { # NAME LABEL
  local pid url; eval "pid=\$PID_$1 url=\$URL_$1"
  local metrics; metrics=$(curl -s "$url/metrics")
  mib() { echo "$metrics" | grep -E "^$1" | awk '{s+=$2} END {printf "%d", s/1048576}'; }
  printf '[%s] %-16s RSS %4d MiB (peak %d, anonymous %d)  GC heap %d MiB, committed %d MiB; access_states %d MiB by its estimate\n' "$1" "$2" \
    "$(awk '/VmRSS/{print int($2/1024)}' "/proc/$pid/status")" "$(awk '/VmHWM/{print int($2/1024)}' "/proc/$pid/status")" \
    "$(awk '/^Anonymous/{print int($2/1024)}' "/proc/$pid/smaps_rollup")" \
    "$(mib dotnet_gc_last_collection_heap_size_bytes)" "$(mib dotnet_gc_last_collection_memory_committed_size_bytes)" \
    "$(echo "$metrics" | grep '^gatehouse_cache_bytes' | grep access_states | awk '{printf "%d", $2/1048576}')"
}

load() { # NAME FILE SECONDS LABEL
  local pid url token path=api/v1/check; eval "pid=\$PID_$1 url=\$URL_$1 token=\$TOKEN_$1"
  [[ $2 == *decisions* ]] && path=api/v1/decisions
  local cpu0; cpu0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  local line; line=$(BENCH_BODY_FILE=$2 BENCH_TOKEN=$token "${load_core[@]}" wrk -t1 -c32 -d"$3s" --timeout 5s -s bench/wrk/rotate.lua "$url/$path" | grep '^BENCH')
  local cpu1; cpu1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  python3 - "$1" "$4" "$line" "$((cpu1 - cpu0))" <<'PY'
import sys
name, label, line, ticks = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
f = dict(p.split("=") for p in line.split()[1:])
n = int(f["requests"])
errors = sum(int(f[k]) for k in ("connect", "read", "write", "status", "timeout"))
print(f"[{name}] {label:<16} {n / (int(f['duration_us']) / 1e6):7.0f} req/s  p99 {int(f['p99_us']) / 1000:7.2f} ms  max {int(f['max_us']) / 1000:7.2f} ms  server CPU {ticks * 1e4 / max(n, 1):5.0f} µs/request  errors {errors}")
PY
}

cd "$(dirname "$0")/.."
echo "$(date -u '+%Y-%m-%d %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg); A = $cli_a ${A_ENV:-} on $kept_a, B = $cli_b $* on $kept"
# shellcheck disable=SC2086 # A_ENV is a list of VAR=VALUE words
start A "$cli_a" ${A_ENV:-}
start B "$cli_b" "$@"
sync # the copies' writeback would otherwise run beside the first rounds
memory A start; memory B start
for n in A B; do load $n "$(kept_of $n)/checks.tsv" 3 warm-up; load $n "$(kept_of $n)/decisions.tsv" 3 warm-up; done
for r in $(seq 1 "${ROUNDS:-2}"); do for n in A B; do load $n "$(kept_of $n)/checks.tsv" 8 "checks $r"; done; done
for n in A B; do memory $n "after checks"; done
for r in $(seq 1 "${ROUNDS:-2}"); do for n in A B; do load $n "$(kept_of $n)/decisions.tsv" 8 "decisions $r"; done; done
for n in A B; do memory $n "after decisions"; done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
