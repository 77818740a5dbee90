#!/usr/bin/env bash
# Installs the gatehouse CLI as a .NET global tool and puts it on the job's PATH.
# Env: GATEHOUSE_VERSION (empty: the newest), GATEHOUSE_SOURCE (an extra NuGet source: a feed
# URL or a folder holding Gatehouse.Cli.*.nupkg; empty: the configured feeds).
set -euo pipefail

if command -v gatehouse >/dev/null 2>&1 && [ -z "${GATEHOUSE_VERSION:-}" ]; then
  echo "gatehouse is already installed: $(gatehouse --version)"
  exit 0
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "::error title=gatehouse::the .NET SDK is needed to install gatehouse; add actions/setup-dotnet before this action" >&2
  exit 1
fi

args=(tool update --global Gatehouse.Cli)
if [ -n "${GATEHOUSE_VERSION:-}" ]; then
  args+=(--version "$GATEHOUSE_VERSION")
fi
if [ -n "${GATEHOUSE_SOURCE:-}" ]; then
  args+=(--add-source "$GATEHOUSE_SOURCE")
fi

# `tool update` installs when the tool is missing, and is a no-op when the version is there.
dotnet "${args[@]}"
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$tools" >>"$GITHUB_PATH"
fi
"$tools/gatehouse" --version
