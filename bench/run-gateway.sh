#!/usr/bin/env bash
# Forward-auth throughput, side by side in one run (docs/benchmarks.md, "Gateway"):
#   0. The Kestrel hello app (bench/Hello.Kestrel, issue 15's yardstick) against forward-auth: goal >= 0.80.
#   1. GET /healthz against GET /forward-auth/customers/development on the same Gatehouse
#      (serve --demo, a checkout token for customers, a granted route): the ratio is the goal (>= 80 %).
#   2. Requests through nginx to a static upstream, without and with the auth_request hop.
# Usage: bash bench/run-gateway.sh [SECONDS_PER_RUN (default 5)] [ROUNDS (default 3)]
# Bounded: about 4 x (ROUNDS + 1) x SECONDS plus the publish (one warm-up run per side, discarded). Needs wrk, nginx, curl, jq.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
rounds="${2:-3}"
connections="${BENCH_CONNECTIONS:-32}"
for tool in wrk curl jq; do command -v "$tool" >/dev/null || { echo "run-gateway.sh: $tool is required" >&2; exit 2; }; done
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$nginx_bin" ] || { echo "run-gateway.sh: nginx is required" >&2; exit 2; }

dotnet publish src/Gatehouse.Cli -c Release -o bench/out/cli --nologo -v quiet >&2
dotnet publish bench/Hello.Kestrel -c Release -o bench/out/hello --nologo -v quiet >&2

work="$(mktemp -d)"
server_pid=""
hello_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$hello_pid" ] && kill "$hello_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

gh_port="$(free_port)"
url="http://127.0.0.1:$gh_port"
GATEHOUSE_DATA="$work/data" bench/out/cli/gatehouse serve --demo --urls "$url" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$url/healthz" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }

admin="$(sed -n 's/.*GATEHOUSE_TOKEN=\([^ ]*\) *# alice .*/\1/p' "$work/serve.log" | head -1)"
client="$(curl -fs -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"app":"checkout","environment":"development"}' "$url/api/v1/clients")"
client_id="$(jq -r .client.id <<<"$client")"
client_secret="$(jq -r .clientSecret <<<"$client")"
token="$(curl -fs -u "$client_id:$client_secret" -d grant_type=client_credentials -d audience=customers "$url/oauth2/token" | jq -r .access_token)"
auth_headers="Authorization: Bearer $token|X-Forwarded-Method: GET|X-Forwarded-Uri: /customers/42/addresses"
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'X-Forwarded-Method: GET' \
  -H 'X-Forwarded-Uri: /customers/42/addresses' "$url/forward-auth/customers/development")"
[ "$status" = 200 ] || { echo "run-gateway.sh: forward-auth answered $status, expected 200" >&2; exit 1; }

# One wrk run; prints requests/s, p99 (ms) and the count of errors (non-2xx, socket errors).
measure() {
  local target="$1" headers="$2" out
  out="$(BENCH_HEADERS="$headers" wrk -t1 -c"$connections" -d"${seconds}s" -s bench/wrk/headers.lua "$target")"
  local line; line="$(grep '^BENCH ' <<<"$out")"
  local requests duration p99 errors
  requests="$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")"
  duration="$(sed -n 's/.* duration_us=\([0-9]*\).*/\1/p' <<<"$line")"
  p99="$(sed -n 's/.* p99_us=\([0-9]*\).*/\1/p' <<<"$line")"
  errors="$(awk '{for(i=1;i<=NF;i++){split($i,a,"="); if(a[1]~/^(connect|read|write|status|timeout)$/) s+=a[2]}} END{print s+0}' <<<"$line")"
  non2xx="$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' <<<"$out")"
  echo "$(( requests * 1000000 / duration )) $(awk -v u="$p99" 'BEGIN{printf "%.2f", u/1000}') $(( errors + ${non2xx:-0} ))"
}

best() { sort -n -r | head -1; }

# Alternate the two sides round by round, so a noisy neighbour hurts both alike; keep each side's best round.
compare() {
  local label_a="$1" target_a="$2" headers_a="$3" label_b="$4" target_b="$5" headers_b="$6"
  local a_runs="" b_runs=""
  # Warm-up, discarded: the JIT and the connection pools settle before anything counts.
  measure "$target_a" "$headers_a" >/dev/null
  measure "$target_b" "$headers_b" >/dev/null
  for round in $(seq 1 "$rounds"); do
    a_runs+="$(measure "$target_a" "$headers_a")"$'\n'
    b_runs+="$(measure "$target_b" "$headers_b")"$'\n'
  done
  local a b
  a="$(grep -v '^$' <<<"$a_runs" | best)"
  b="$(grep -v '^$' <<<"$b_runs" | best)"
  printf '%-44s %10s req/s   p99 %7s ms   errors %s\n' "$label_a" $a
  printf '%-44s %10s req/s   p99 %7s ms   errors %s\n' "$label_b" $b
  printf '%-44s %10s\n' "ratio (second / first)" "$(awk -v x="${a%% *}" -v y="${b%% *}" 'BEGIN{printf "%.0f %%", 100*y/x}')"
}

echo "Gatehouse $(bench/out/cli/gatehouse --version 2>/dev/null || echo dev), wrk 1 thread, $connections connections, ${seconds}s x $rounds rounds (best), $(nproc) cores"
echo
echo "0. The Kestrel hello app (bench/Hello.Kestrel, started the same way) against forward-auth (goal: at least 80 %)"
hello_port="$(free_port)"
bench/out/hello/Hello.Kestrel --urls "http://127.0.0.1:$hello_port" >"$work/hello.log" 2>&1 &
hello_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$hello_port/" >/dev/null 2>&1 && break; sleep 0.2; done
compare "Kestrel hello" "http://127.0.0.1:$hello_port/" "" \
        "GET /forward-auth/customers/development" "$url/forward-auth/customers/development" "$auth_headers"
kill "$hello_pid" 2>/dev/null || true
wait "$hello_pid" 2>/dev/null || true
hello_pid=""

echo
echo "1. Same server: /healthz against forward-auth (allowed: checkout -> customers:addresses.read)"
compare "GET /healthz" "$url/healthz" "" \
        "GET /forward-auth/customers/development" "$url/forward-auth/customers/development" "$auth_headers"

upstream_port="$(free_port)"; direct_port="$(free_port)"; auth_port="$(free_port)"
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
    upstream app { server 127.0.0.1:$upstream_port; keepalive 64; }
    upstream gatehouse { server 127.0.0.1:$gh_port; keepalive 64; }
    server { listen 127.0.0.1:$upstream_port; location / { return 200 "ok\n"; } }
    server {
        listen 127.0.0.1:$direct_port;
        location / { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://app; }
    }
    server {
        listen 127.0.0.1:$auth_port;
        location / {
            auth_request /_gatehouse;
            auth_request_set \$gatehouse_app \$upstream_http_x_gatehouse_app;
            proxy_set_header X-Gatehouse-App \$gatehouse_app;
            proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_pass http://app;
        }
        location = /_gatehouse {
            internal;
            proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_pass http://gatehouse/forward-auth/customers/development;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Forwarded-Method \$request_method;
            proxy_set_header X-Forwarded-Uri \$request_uri;
        }
    }
}
CONF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx.conf" -e "$work/nginx/error.log"
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$direct_port/" && break; sleep 0.1; done
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$auth_port/customers/42/addresses")"
[ "$status" = 200 ] || { echo "run-gateway.sh: nginx with forward-auth answered $status, expected 200" >&2; cat "$work/nginx/error.log" >&2; exit 1; }

echo
echo "2. Through nginx (1 worker) to a static upstream: without and with the forward-auth hop"
compare "nginx -> upstream" "http://127.0.0.1:$direct_port/customers/42/addresses" "Authorization: Bearer $token" \
        "nginx -> forward-auth -> upstream" "http://127.0.0.1:$auth_port/customers/42/addresses" "Authorization: Bearer $token"
