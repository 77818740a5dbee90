#!/usr/bin/env bash
# Times `gatehouse template update` of a 1,000-file project across a version that changes 10% of
# the files (some merged with the team's edits), side by side with `gatehouse new` of the same
# template, and checks the goal (update under 3 s). See docs/benchmarks.md.
# Usage: bash bench/run-template-update.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
files=1000
changed=$((files / 10))

dotnet publish src/Gatehouse.Cli -c Release -o bench/out/cli --nologo -v quiet
cli="$PWD/bench/out/cli/gatehouse"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git_() { git -c user.email=bench@example.com -c user.name=bench -c commit.gpgsign=false "$@"; }

# The template: 1,000 text files in 20 folders, a quarter of them using Liquid, one binary file.
mkdir -p "$work/template" && cd "$work/template" && git init --quiet
cat > template.yaml <<'YAML'
name: bench
questions:
  - name: app
    default: bench
YAML
for i in $(seq 1 $files); do
  dir="src/part$((i % 20))"; mkdir -p "$dir"
  { for l in $(seq 1 40); do echo "line $l of file $i"; done
    if [ $((i % 4)) -eq 0 ]; then echo "app {{ app }}"; fi; } > "$dir/file$i.txt"
done
head -c 4096 /dev/urandom > logo.bin
git_ add -A && git_ commit --quiet -m v1 && git tag v1.0.0
# v1.1.0 changes 10% of the files: a line at the end of each.
for i in $(seq 1 10 $files); do echo "added in 1.1.0" >> "src/part$((i % 20))/file$i.txt"; done
git_ commit --quiet -am v1.1 && git tag v1.1.0

# The project: made from 1.0.0; the team edited 50 files, 20 of them among those the template changes.
cd "$work" && "$cli" new "$work/template" project --version 1.0.0 --answer app=bench > /dev/null
cd project && git init --quiet
for i in $(seq 1 10 200) $(seq 502 10 800); do sed -i "1s/.*/edited by the team/" "src/part$((i % 20))/file$i.txt"; done
git_ add -A && git_ commit --quiet -m project

hyperfine --runs "$runs" --warmup 1 --export-json "$work/result.json" \
  --prepare "git reset --quiet --hard && git clean --quiet -fdx" \
  -n "template update (1,000 files, $changed changed)" "$cli template update" \
  -n "new (1,000 files)" "rm -rf $work/fresh && $cli new $work/template $work/fresh --answer app=bench"

git reset --quiet --hard && "$cli" template update | awk '{print $1}' | sort | uniq -c | sed 's/^/  /'
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
update, new = r[0]["mean"], r[1]["mean"]
print(f"update: {update:.3f} s   new: {new:.3f} s   update/new: {update/new:.2f}x")
print("goal (update under 3 s):", "met" if update < 3 else "MISSED")
PY
