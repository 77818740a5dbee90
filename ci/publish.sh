#!/usr/bin/env bash
# Builds the release artefacts in one command (docs/ci.md#distribution):
#   OUT/nuget/Gatehouse.Cli.VERSION.nupkg     the dotnet tool (`dotnet tool install -g Gatehouse.Cli`)
#   OUT/RID/gatehouse                         a self-contained single-file executable per platform
# Usage: ci/publish.sh [OUT]            OUT defaults to ./artifacts
# Env:   GATEHOUSE_RIDS                 the platforms (default: linux-x64 linux-arm64 osx-arm64)
# The version is <Version> in Directory.Build.props; `gatehouse --version` and GET /version print it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-$root/artifacts}" && cd "${1:-$root/artifacts}" && pwd)
rids=${GATEHOUSE_RIDS:-linux-x64 linux-arm64 osx-arm64}

dotnet pack "$root/src/Gatehouse.Cli" -c Release -o "$out/nuget" -v q -nologo
for rid in $rids; do
  # PackAsTool is off here: a tool package cannot be self-contained, an executable must be.
  dotnet publish "$root/src/Gatehouse.Cli" -c Release -r "$rid" --self-contained \
    -p:PackAsTool=false -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true \
    -p:DebugType=none -o "$out/$rid" -v q -nologo
done

ls -l "$out"/nuget/*.nupkg
for rid in $rids; do
  ls -l "$out/$rid/gatehouse"
done
