#!/usr/bin/env bash
# Usage recording on the hot paths (ADR 0024): the token endpoint and the decision endpoint of two
# identical Gatehouse servers, one with GATEHOUSE_USAGE_RECORDING=off, side by side in one run.
# Rounds alternate between the two servers (off, on, off, on...) for each endpoint, and the median
# round of each is reported, so a burst of other load does not favour one side. Goal: recording
# costs at most 5% throughput. Bounded: about 2 x 2 x (WARMUP + ROUNDS x DURATION) s plus the build.
#   bash bench/run-usage.sh                       # 16 connections, 2 s warm-up, 3 rounds of 3 s
#   ROUNDS=5 DURATION=10 bash bench/run-usage.sh  # a longer, steadier run on a quiet machine
set -euo pipefail
cd "$(dirname "$0")"

DURATION="${DURATION:-3}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
OFF_PORT="${OFF_PORT:-5311}"
ON_PORT="${ON_PORT:-5312}"
TOKEN_BODY="grant_type=client_credentials&scope=customers:profile.read&resource=urn:gatehouse:development:customers"
OUT=out/usage
mkdir -p "$OUT"
printf '{"app":"billing","scope":"customers:profile.read","environment":"development"}' >"$OUT/decision.json"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
echo "building the Gatehouse bench host (Release)..."
dotnet build oauth/BenchHost -c Release -o "$OUT/host" --nologo -v q | grep -E "error|warn" && exit 1 || true

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_for() { # file pattern seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; exit 1
}

PORT="$OFF_PORT" GATEHOUSE_USAGE_RECORDING=off DOTNET_gcServer=1 dotnet "$OUT/host/BenchHost.dll" >"$OUT/off.log" 2>&1 &
pids+=($!)
PORT="$ON_PORT" GATEHOUSE_USAGE_RECORDING=on DOTNET_gcServer=1 dotnet "$OUT/host/BenchHost.dll" >"$OUT/on.log" 2>&1 &
pids+=($!)
wait_for "$OUT/off.log" "^client " 60
wait_for "$OUT/on.log" "^client " 60

basic() { grep "^client " "$1" | awk '{ printf "%s:%s", $2, $3 }' | base64 -w0; }
bearer() { grep "^token " "$1" | awk '{ print $2 }'; }
declare -A BASIC=([off]="$(basic "$OUT/off.log")" [on]="$(basic "$OUT/on.log")")
declare -A BEARER=([off]="$(bearer "$OUT/off.log")" [on]="$(bearer "$OUT/on.log")")
declare -A PORTS=([off]="$OFF_PORT" [on]="$ON_PORT")

run() { # endpoint side seconds file
  local url="http://127.0.0.1:${PORTS[$2]}"
  if [ "$1" = token ]; then
    BASIC="${BASIC[$2]}" BODY="$TOKEN_BODY" wrk -t1 -c"$CONNECTIONS" -d"$3s" --latency -s oauth/token.lua "$url/oauth2/token" >"$4"
  else
    BENCH_BODY_FILE="$OUT/decision.json" BENCH_TOKEN="${BEARER[$2]}" wrk -t1 -c"$CONNECTIONS" -d"$3s" --latency -s wrk/request.lua "$url/api/v1/decisions" >"$4"
  fi
  if grep -q "Non-2xx" "$4"; then echo "$1 ($2) answered errors under load:" >&2; cat "$4" >&2; exit 1; fi
}

rps() { awk '/Requests\/sec/ { printf "%.0f\n", $2 }' "$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "measuring: wrk, 1 thread, $CONNECTIONS connections; ${WARMUP}s warm-up, then $ROUNDS alternating rounds of ${DURATION}s per side and endpoint..."
: >"$OUT/rounds.txt"
for endpoint in token decision; do
  for side in off on; do run "$endpoint" "$side" "$WARMUP" "$OUT/warm.wrk"; done
  for round in $(seq 1 "$ROUNDS"); do
    for side in off on; do
      run "$endpoint" "$side" "$DURATION" "$OUT/$endpoint.$side.$round.wrk"
      echo "$endpoint $side $(rps "$OUT/$endpoint.$side.$round.wrk")" >>"$OUT/rounds.txt"
    done
    printf '  %-8s round %s: off %s req/s | on %s req/s\n' "$endpoint" "$round" \
      "$(rps "$OUT/$endpoint.off.$round.wrk")" "$(rps "$OUT/$endpoint.on.$round.wrk")"
  done
done

printf '\n%-10s %14s %14s %8s   (median of %s rounds)\n' endpoint "off req/s" "on req/s" change "$ROUNDS"
status=0
for endpoint in token decision; do
  off=$(awk -v e="$endpoint" '$1 == e && $2 == "off" { print $3 }' "$OUT/rounds.txt" | median)
  on=$(awk -v e="$endpoint" '$1 == e && $2 == "on" { print $3 }' "$OUT/rounds.txt" | median)
  change=$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%+.1f%%", (a - b) * 100 / b }')
  printf '%-10s %14s %14s %8s\n' "$endpoint" "$off" "$on" "$change"
  awk -v a="$on" -v b="$off" 'BEGIN { exit !((b - a) * 100 / b > 5) }' && status=1
done
echo "goal: recording on loses at most 5% throughput: $([ $status -eq 0 ] && echo PASS || echo FAIL)"
echo "machine load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine skews both sides)"
echo
echo "the recorder alone, per call (steady even on a busy machine; compare with 1e9 / req/s ns per request):"
dotnet "$OUT/host/BenchHost.dll" recorder
exit $status
