#!/usr/bin/env bash
# Puts the plan on a pull request as one comment, updated on every push rather than added again:
# the comment is found by the marker on its first line.
# Usage: comment-plan.sh PLAN_MARKDOWN_FILE
# Env: GH_REPO (owner/name), PR_NUMBER, GH_TOKEN (read by gh; needs pull-requests: write).
set -euo pipefail

marker='<!-- gatehouse-plan -->'
plan_file=${1:?usage: comment-plan.sh PLAN_MARKDOWN_FILE}
: "${GH_REPO:?set GH_REPO to owner/name}" "${PR_NUMBER:?set PR_NUMBER to the pull request number}"

body="$marker
$(cat "$plan_file")"

# The first comment that starts with the marker; --paginate reads every page of comments.
existing=$(gh api --paginate "repos/$GH_REPO/issues/$PR_NUMBER/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)

if [ -n "$existing" ]; then
  gh api --method PATCH "repos/$GH_REPO/issues/comments/$existing" -f body="$body" >/dev/null
  echo "gatehouse: updated the plan comment ($existing)"
else
  gh api --method POST "repos/$GH_REPO/issues/$PR_NUMBER/comments" -f body="$body" >/dev/null
  echo "gatehouse: added the plan comment"
fi
