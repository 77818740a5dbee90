#!/usr/bin/env bash
# Token endpoint benchmark: Gatehouse beside npm's oidc-provider (client credentials, ES256 JWT
# access tokens, client_secret_basic, same audience and scope), each driven alone by the same wrk
# load. Prints tokens/s and p99 latency for each and their ratio. Bounded: about
# 2 x (WARMUP + DURATION) seconds plus the build.
#   bash bench/oauth/run.sh                 # defaults: 32 connections, 5 s warm-up, 15 s measured
#   DURATION=30 CONNECTIONS=64 bash bench/oauth/run.sh
set -euo pipefail
cd "$(dirname "$0")"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
CONNECTIONS="${CONNECTIONS:-32}"
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

OIDC_SECRET="$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
CLIENT_ID=bench CLIENT_SECRET="$OIDC_SECRET" PORT="$OIDC_PORT" node oidc-provider.mjs >"$OUT/oidc-provider.log" 2>&1 &
pids+=($!)
PORT="$GATEHOUSE_PORT" DOTNET_gcServer=1 dotnet "$OUT/host/BenchHost.dll" >"$OUT/gatehouse.log" 2>&1 &
pids+=($!)
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

measure() { # name url basic -> "tokens/s p99ms"
  BASIC="$3" BODY="$BODY" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s token.lua "$2" >/dev/null
  BASIC="$3" BODY="$BODY" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s token.lua "$2" >"$OUT/$1.wrk"
  if grep -q "Non-2xx" "$OUT/$1.wrk"; then echo "$1 answered errors under load:" >&2; cat "$OUT/$1.wrk" >&2; exit 1; fi
  awk '/Requests\/sec/ { rps = $2 }
       $1 == "99%" { v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v);
                     ms = unit == "us" ? v / 1000 : unit == "s" ? v * 1000 : v }
       END { printf "%.0f %.2f\n", rps, ms }' "$OUT/$1.wrk"
}
echo "measuring: wrk, 1 thread, $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s each, one server at a time..."
read -r OIDC_RPS OIDC_P99 < <(measure oidc-provider "http://127.0.0.1:$OIDC_PORT/token" "$OIDC_BASIC")
read -r GH_RPS GH_P99 < <(measure gatehouse "http://127.0.0.1:$GATEHOUSE_PORT/oauth2/token" "$GH_BASIC")

printf '\n%-14s %12s %10s\n' "server" "tokens/s" "p99 ms"
printf '%-14s %12s %10s\n' "oidc-provider" "$OIDC_RPS" "$OIDC_P99"
printf '%-14s %12s %10s\n' "gatehouse" "$GH_RPS" "$GH_P99"
awk -v g="$GH_RPS" -v o="$OIDC_RPS" -v gp="$GH_P99" -v op="$OIDC_P99" \
  'BEGIN { printf "ratio: gatehouse/oidc-provider throughput %.2fx, p99 %.2fx (goal: >= 1.5x throughput, lower p99)\n", g / o, gp / op }'
