#!/usr/bin/env bash
# Checks the distribution: `dotnet pack` makes a dotnet tool with its metadata, the package stays
# under a size budget, `dotnet tool install -g --add-source` installs it (into a throwaway
# DOTNET_CLI_HOME), and the installed `gatehouse --version` prints <Version> of Directory.Build.props.
# Usage: ci/test-tool-install.sh    (run by .ci/run; about a minute on a quiet machine)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
max_bytes=$((30 * 1024 * 1024))

expected=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' "$root/Directory.Build.props" | head -n 1)
dotnet pack "$root/src/Gatehouse.Cli" -c Release -o "$work/nuget" -v q -nologo
package="$work/nuget/Gatehouse.Cli.$expected.nupkg"
[ -f "$package" ] || { echo "FAIL: $package was not made"; exit 1; }

size=$(stat -c %s "$package")
[ "$size" -le "$max_bytes" ] || { echo "FAIL: the package is $size bytes, over the budget of $max_bytes"; exit 1; }

nuspec=$(unzip -p "$package" Gatehouse.Cli.nuspec)
for field in '<license type="expression">' '<readme>README.md</readme>' '<projectUrl>' '<description>' '<packageType name="DotnetTool"'; do
  grep -qF "$field" <<<"$nuspec" || { echo "FAIL: the nuspec lacks $field"; exit 1; }
done
unzip -l "$package" >"$work/contents.txt"
grep -q ' README.md$' "$work/contents.txt" || { echo "FAIL: README.md is not in the package"; exit 1; }

export DOTNET_CLI_HOME="$work/home" DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool install -g Gatehouse.Cli --version "$expected" --add-source "$work/nuget"
version=$("$DOTNET_CLI_HOME/.dotnet/tools/gatehouse" --version)
[ "$version" = "$expected" ] || { echo "FAIL: gatehouse --version printed '$version', expected '$expected'"; exit 1; }

echo "OK: Gatehouse.Cli $expected, $size bytes, installs as a global tool and prints its version"
