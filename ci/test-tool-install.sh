#!/usr/bin/env bash
# Checks the distribution: `dotnet pack` makes a dotnet tool with its metadata (a top-level package
# and one per platform: ReadyToRun for linux-x64, linux-arm64, osx-arm64, and `any`, jitted, for the
# rest; ADR 0035), every package stays under a size budget, `dotnet tool install -g --add-source`
# installs it (into a throwaway DOTNET_CLI_HOME) and picks this platform's package, and the installed
# `gatehouse --version` prints <Version> of Directory.Build.props.
# Usage: ci/test-tool-install.sh    (run by .ci/run; a few minutes on a quiet machine: it precompiles 3 times)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
max_bytes=$((30 * 1024 * 1024))

expected=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' "$root/Directory.Build.props" | head -n 1)
dotnet pack "$root/src/Gatehouse.Cli" -c Release -o "$work/nuget" -v q -nologo
package="$work/nuget/Gatehouse.Cli.$expected.nupkg"
[ -f "$package" ] || { echo "FAIL: $package was not made"; exit 1; }

for rid in linux-x64 linux-arm64 osx-arm64 any; do
  [ -f "$work/nuget/Gatehouse.Cli.$rid.$expected.nupkg" ] || { echo "FAIL: the $rid package was not made"; exit 1; }
done
size=0
for each in "$work"/nuget/*.nupkg; do
  bytes=$(stat -c %s "$each")
  [ "$bytes" -le "$max_bytes" ] || { echo "FAIL: $(basename "$each") is $bytes bytes, over the budget of $max_bytes"; exit 1; }
  [ "$bytes" -le "$size" ] || size=$bytes
done

nuspec=$(unzip -p "$package" Gatehouse.Cli.nuspec)
for field in '<license type="expression">' '<readme>README.md</readme>' '<projectUrl>' '<description>' '<packageType name="DotnetTool"'; do
  grep -qF "$field" <<<"$nuspec" || { echo "FAIL: the nuspec lacks $field"; exit 1; }
done
unzip -l "$package" >"$work/contents.txt"
grep -q ' README.md$' "$work/contents.txt" || { echo "FAIL: README.md is not in the package"; exit 1; }

export DOTNET_CLI_HOME="$work/home" DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool install -g Gatehouse.Cli --version "$expected" --add-source "$work/nuget"
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)
case "$rid" in linux-x64|linux-arm64|osx-arm64) ;; *) rid=any ;; esac
[ -d "$DOTNET_CLI_HOME/.dotnet/tools/.store/gatehouse.cli/$expected/gatehouse.cli.$rid" ] || { echo "FAIL: dotnet tool install did not pick the $rid package"; ls "$DOTNET_CLI_HOME/.dotnet/tools/.store/gatehouse.cli/$expected"; exit 1; }
version=$("$DOTNET_CLI_HOME/.dotnet/tools/gatehouse" --version)
[ "$version" = "$expected" ] || { echo "FAIL: gatehouse --version printed '$version', expected '$expected'"; exit 1; }

echo "OK: Gatehouse.Cli $expected, largest package $size bytes, installs the $rid package as a global tool and prints its version"
