#!/usr/bin/env bash
# Installs the pinned official Salesforce CLI (@salesforce/cli, see package.json and
# package-lock.json) into .ci/sf-cli/node_modules for sfjwt's interop tests against
# sfclient/sftest, and prints the absolute path of the `sf` binary on stdout (all other
# output goes to stderr).
#
# It runs `npm ci` only when the CLI is missing or is not the version package.json pins,
# so a second run costs nothing. A cold install takes about 30 s here (no npm cache).
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
want="$(sed -n 's/.*"@salesforce\/cli": *"\([^"]*\)".*/\1/p' "$dir/package.json" | head -n1)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "sf-cli/install.sh: node and npm are required (Node.js >= 20)" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "sf-cli/install.sh: Node.js >= 20 required, found $(node --version)" >&2
  exit 1
fi

installed=""
if [ -f "$dir/node_modules/@salesforce/cli/package.json" ]; then
  installed="$(node -p "require('$dir/node_modules/@salesforce/cli/package.json').version")"
fi

if [ ! -x "$sf" ] || [ "$installed" != "$want" ]; then
  echo "sf-cli/install.sh: installing @salesforce/cli $want (npm ci) ..." >&2
  start=$(date +%s)
  # No telemetry or update checks from npm itself either; output to stderr so stdout
  # carries only the binary path.
  (cd "$dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error 1>&2)
  echo "sf-cli/install.sh: installed in $(( $(date +%s) - start ))s" >&2
fi

echo "$sf"
