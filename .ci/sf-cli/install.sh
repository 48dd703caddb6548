#!/usr/bin/env bash
# Installs the pinned official Salesforce CLI (@salesforce/cli, see package.json and
# package-lock.json) into .ci/sf-cli/node_modules for sfjwt's interop tests against
# sfclient/sftest, and prints the absolute path of the `sf` binary on stdout (all other
# output goes to stderr).
#
# It runs `npm ci` only when node_modules is missing or was installed from another
# package-lock.json (a stamp file holds the lockfile's SHA-256), so a second run costs
# nothing. A cold install takes about 30 s here (empty npm cache), ~300 MB on disk.
#
# Why the undici override: @salesforce/cli 2.150.6 declares node >=22, and on Node 20 it
# crashes at start in undici's zstd support; pinning undici to 7.16.0 (package.json
# "overrides") makes it run on Node 20, which is what the machines have.
#
# Usage (e.g. in .ci/run):
#   SFJWT_SF_CLI="$(bash .ci/sf-cli/install.sh)" && export SFJWT_SF_CLI
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sf="$dir/node_modules/.bin/sf"
stamp="$dir/node_modules/.sfjwt-lock.sha256"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "sf-cli/install.sh: node and npm are required (Node.js >= 20)" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "sf-cli/install.sh: Node.js >= 20 required, found $(node --version)" >&2
  exit 1
fi

want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"

if [ ! -x "$sf" ] || [ "$have" != "$want" ]; then
  echo "sf-cli/install.sh: installing the pinned Salesforce CLI (npm ci) ..." >&2
  start=$(date +%s)
  # npm's output goes to stderr so that stdout carries only the binary path.
  (cd "$dir" && npm ci --omit=dev --no-audit --no-fund --update-notifier=false --loglevel=error 1>&2)
  echo "$want" > "$stamp"
  echo "sf-cli/install.sh: installed in $(( $(date +%s) - start ))s" >&2
fi

echo "$sf"
