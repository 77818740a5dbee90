#!/usr/bin/env bash
# Token endpoint benchmark: Gatehouse beside npm's oidc-provider (client credentials, ES256 JWT
# access tokens, client_secret_basic, same audience and scope), each driven alone by the same wrk
# load. Rounds alternate between the two servers and the median round of each is reported, so a
# burst of other load on the machine does not favour one side. Prints tokens/s and p99 latency
# for each and their ratio, and each server's CPU time per token (utime+stime of its process from
# /proc/PID/stat over the round, divided by the tokens wrk got), which moves much less than
# tokens/s when other work shares the machine. Bounded: about 2 x (WARMUP + ROUNDS x DURATION) s plus the build.
#   bash bench/oauth/run.sh          # defaults: 32 connections, 5 s warm-up, 3 rounds of 8 s each
#   ROUNDS=5 DURATION=10 CONNECTIONS=64 bash bench/oauth/run.sh
#   PIN=yes bash bench/oauth/run.sh  # both servers on core 1, wrk on core 0 (as bench/run-server.sh pins); default: unpinned
set -euo pipefail
cd "$(dirname "$0")"

DURATION="${DURATION:-8}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-5}"
CONNECTIONS="${CONNECTIONS:-32}"
PIN="${PIN:-no}"
SERVER_CPU=(); CLIENT_CPU=()
if [ "$PIN" = yes ]; then
  command -v taskset >/dev/null || { echo "PIN=yes needs taskset (util-linux)" >&2; exit 1; }
  SERVER_CPU=(taskset -c 1); CLIENT_CPU=(taskset -c 0)
fi
OIDC_PORT="${OIDC_PORT:-5301}"
GATEHOUSE_PORT="${GATEHOUSE_PORT:-5302}"
export RESOURCE="urn:gatehouse:development:customers"
export SCOPE="customers:profile.read"
BODY="grant_type=client_credentials&scope=${SCOPE}&resource=${RESOURCE}"
OUT=../out/oauth
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -d node_modules/oidc-provider ] || npm ci --no-audit --no-fund --loglevel=error
echo "building the Gatehouse bench host (Release)..."
dotnet build BenchHost -c Release -o "$OUT/host" --nologo -v q | grep -E "error|warn" && exit 1 || true

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

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime+stime in clock ticks
TICK_US=$(( 1000000 / $(getconf CLK_TCK) ))

OIDC_SECRET="$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
CLIENT_ID=bench CLIENT_SECRET="$OIDC_SECRET" PORT="$OIDC_PORT" "${SERVER_CPU[@]}" node oidc-provider.mjs >"$OUT/oidc-provider.log" 2>&1 &
pids+=($!)
OIDC_PID=$!
PORT="$GATEHOUSE_PORT" DOTNET_gcServer=1 "${SERVER_CPU[@]}" dotnet "$OUT/host/BenchHost.dll" >"$OUT/gatehouse.log" 2>&1 &
pids+=($!)
GH_PID=$!
wait_for "$OUT/oidc-provider.log" "listening" 30
wait_for "$OUT/gatehouse.log" "^client " 60
read -r _ GH_ID GH_SECRET < <(grep "^client " "$OUT/gatehouse.log")

OIDC_BASIC="$(printf '%s:%s' bench "$OIDC_SECRET" | base64 -w0)"
GH_BASIC="$(printf '%s:%s' "$GH_ID" "$GH_SECRET" | base64 -w0)"

sanity() { # name url basic: one token, must be an ES256 JWT with the same audience
  local token
  token="$(curl -sf -X POST "$2" -H "Authorization: Basic $3" -H 'Content-Type: application/x-www-form-urlencoded' --data "$BODY" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const t=JSON.parse(s).access_token;const [h,p]=t.split(".").slice(0,2).map(x=>JSON.parse(Buffer.from(x,"base64url")));if(h.alg!=="ES256"||p.aud!==process.env.RESOURCE)process.exit(1);console.log(h.alg,h.typ,p.aud,p.scope)})')" \
    || { echo "$1 did not issue an ES256 token for $RESOURCE" >&2; exit 1; }
  printf '  %-14s %s\n' "$1" "$token"
}
echo "sanity check (alg typ aud scope):"
sanity oidc-provider "http://127.0.0.1:$OIDC_PORT/token" "$OIDC_BASIC"
sanity gatehouse "http://127.0.0.1:$GATEHOUSE_PORT/oauth2/token" "$GH_BASIC"

warm() { # url basic
  BASIC="$2" BODY="$BODY" "${CLIENT_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s token.lua "$1" >/dev/null
}

measure() { # name round url basic pid -> "tokens/s p99ms cpu_us_per_token"
  local out="$OUT/$1.$2.wrk" before after
  before=$(cpu_ticks "$5")
  BASIC="$4" BODY="$BODY" "${CLIENT_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s token.lua "$3" >"$out"
  after=$(cpu_ticks "$5")
  if grep -q "Non-2xx" "$out"; then echo "$1 answered errors under load:" >&2; cat "$out" >&2; exit 1; fi
  awk -v ticks=$(( after - before )) -v tick_us="$TICK_US" \
      '/Requests\/sec/ { rps = $2 }
       / requests in / { n = $1 }
       $1 == "99%" { v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v);
                     ms = unit == "us" ? v / 1000 : unit == "s" ? v * 1000 : v }
       END { printf "%.0f %.2f %.1f\n", rps, ms, ticks * tick_us / n }' "$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

OIDC_URL="http://127.0.0.1:$OIDC_PORT/token"
GH_URL="http://127.0.0.1:$GATEHOUSE_PORT/oauth2/token"
echo "measuring: wrk, 1 thread, $CONNECTIONS connections, $([ "$PIN" = yes ] && echo "servers pinned to core 1 and wrk to core 0" || echo "unpinned (servers and wrk share all $(nproc) cores)"); ${WARMUP}s warm-up, then $ROUNDS alternating rounds of ${DURATION}s per server..."
warm "$OIDC_URL" "$OIDC_BASIC"
warm "$GH_URL" "$GH_BASIC"
: >"$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r rps p99 cpu < <(measure oidc-provider "$round" "$OIDC_URL" "$OIDC_BASIC" "$OIDC_PID")
  echo "oidc-provider $rps $p99 $cpu" >>"$OUT/rounds.txt"
  read -r rps p99 cpu < <(measure gatehouse "$round" "$GH_URL" "$GH_BASIC" "$GH_PID")
  echo "gatehouse $rps $p99 $cpu" >>"$OUT/rounds.txt"
  printf '  round %s: oidc-provider %s tokens/s p99 %s ms cpu %s us/token | gatehouse %s tokens/s p99 %s ms cpu %s us/token\n' "$round" \
    $(grep "^oidc-provider" "$OUT/rounds.txt" | tail -1 | cut -d' ' -f2-) $(grep "^gatehouse" "$OUT/rounds.txt" | tail -1 | cut -d' ' -f2-)
done

col() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$OUT/rounds.txt" | median; } # server column
OIDC_RPS=$(col oidc-provider 2); OIDC_P99=$(col oidc-provider 3); OIDC_CPU=$(col oidc-provider 4)
GH_RPS=$(col gatehouse 2); GH_P99=$(col gatehouse 3); GH_CPU=$(col gatehouse 4)

printf '\n%-14s %12s %10s %16s   (median of %s rounds)\n' "server" "tokens/s" "p99 ms" "CPU us/token" "$ROUNDS"
printf '%-14s %12s %10s %16s\n' "oidc-provider" "$OIDC_RPS" "$OIDC_P99" "$OIDC_CPU"
printf '%-14s %12s %10s %16s\n' "gatehouse" "$GH_RPS" "$GH_P99" "$GH_CPU"
awk -v g="$GH_RPS" -v o="$OIDC_RPS" -v gp="$GH_P99" -v op="$OIDC_P99" -v gc="$GH_CPU" -v oc="$OIDC_CPU" \
  'BEGIN { printf "ratio: gatehouse/oidc-provider throughput %.2fx, p99 %.2fx, CPU per token %.2fx (goal: >= 4x throughput, >= 15,000 tokens/s)\n", g / o, gp / op, gc / oc }'
echo "machine load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine skews both sides)"
