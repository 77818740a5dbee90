#!/usr/bin/env bash
# Cold start of the gatehouse CLI as users get it (the dotnet tool package, installed with
# `dotnet tool install`), side by side with a ReadyToRun hello-world console app (bench/Hello.Console),
# timed by hyperfine in one run: `validate` of one manifest (the goal: at most 2x hello), and
# `--version` and `--help` for reference. Prints wall and CPU (user+sys) means and their ratios to
# hello. See docs/benchmarks.md#cli-start-up.
# Usage: bash bench/run-cli-start.sh [RUNS]        (default 40; packing takes a few minutes)
#        GATEHOUSE_BENCH_TOOL=DIR bash bench/run-cli-start.sh   times an installed tool in DIR instead of packing
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-40}"

if ! command -v hyperfine >/dev/null 2>&1; then
  echo "run-cli-start.sh: installing hyperfine" >&2
  if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  "${apt_get[@]}" update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq hyperfine >&2
fi

out="$PWD/bench/out/cli-start"
mkdir -p "$out"
dotnet publish bench/Hello.Console -c Release -o "$out/hello" --nologo -v quiet
hello="$out/hello/hello"

if [ -n "${GATEHOUSE_BENCH_TOOL:-}" ]; then
  tool="$GATEHOUSE_BENCH_TOOL"
else
  # The package exactly as ci/test-tool-install.sh makes and installs it: pack, then install from
  # the folder (the top-level package picks the one for this platform).
  version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' Directory.Build.props | head -n 1)
  rm -rf "$out/nuget" "$out/tool" "$out/home"
  dotnet pack src/Gatehouse.Cli -c Release -o "$out/nuget" --nologo -v quiet
  DOTNET_CLI_HOME="$out/home" DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    dotnet tool install Gatehouse.Cli --version "$version" --add-source "$out/nuget" --tool-path "$out/tool" >/dev/null
  tool="$out/tool"
fi
gatehouse="$tool/gatehouse"
manifest="examples/acme/services/orders/gatehouse.yaml"

# Sanity: the timed command really validates (a stub that exits 0 would otherwise win).
"$gatehouse" validate "$manifest" 2>&1 | grep -q '^2 files, 0 errors' || { echo "FAIL: validate of $manifest did not report 2 files and no errors"; exit 1; }
printf 'apiVersion: gatehouse/v1\napp: sanity\nowners: [team:x]\nunknown: 1\n' > "$out/gatehouse.yaml"
if "$gatehouse" validate "$out/gatehouse.yaml" >/dev/null 2>&1; then echo "FAIL: validate accepted a manifest with an unknown key"; exit 1; fi

echo "hello:     $hello ($(du -sh "$out/hello" | cut -f1))"
echo "gatehouse: $gatehouse ($(du -sh "$tool" | cut -f1) installed)"
echo "machine:   $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/result.json" --style basic \
  -n "hello (ReadyToRun)" "$hello" \
  -n "gatehouse validate (1 file)" "$gatehouse validate $manifest" \
  -n "gatehouse --version" "$gatehouse --version" \
  -n "gatehouse --help" "$gatehouse --help" >/dev/null

python3 - "$out/result.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
hello = results[0]
cpu = lambda r: r["user"] + r["system"]
print(f"{'command':28} {'mean':>9} {'median':>9} {'CPU':>9}   {'mean/hello':>10} {'CPU/hello':>10}")
for r in results:
    print(f"{r['command']:28} {r['mean']*1000:7.1f}ms {r['median']*1000:7.1f}ms {cpu(r)*1000:7.1f}ms"
          f"   {r['mean']/hello['mean']:9.2f}x {cpu(r)/cpu(hello):9.2f}x")
validate = results[1]
ratio = validate["mean"] / hello["mean"]
print(f"goal: validate of one manifest <= 2x hello (mean wall time): {ratio:.2f}x", "PASS" if ratio <= 2 else "FAIL")
PY
