#!/usr/bin/env bash
# Times the setup guide's own command-line steps (OpenSSL, and keytool when present) on this
# machine, for comparison with sfjwt's Go benchmarks (go test -run x -bench . ./certgen ./keystore).
# Usage: scripts/bench-guide.sh [runs]   (default 10). Passwords go through files, not argv.
set -euo pipefail
runs=${1:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'guide-pass-123\n' > pw

now_ns() { date +%s%N; }

bundle_once() {
  rm -f server.* keystore.p12 servercert.jks
  openssl genpkey -aes-256-cbc -algorithm RSA -pass file:pw -out server.pass.key -pkeyopt rsa_keygen_bits:2048 2>/dev/null
  openssl rsa -passin file:pw -in server.pass.key -out server.key 2>/dev/null
  openssl req -new -key server.key -out server.csr -subj "/C=US/ST=California/L=San Francisco/O=Acme Corp" 2>/dev/null
  openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt 2>/dev/null
  cp server.key server.pem
}

keystore_once() {
  rm -f keystore.p12 servercert.jks
  openssl pkcs12 -export -in server.crt -inkey server.pem -out keystore.p12 -passout file:pw
  keytool -importkeystore -srckeystore keystore.p12 -srcstoretype pkcs12 -srcstorepass:file pw \
    -destkeystore servercert.jks -deststoretype JKS -deststorepass:file pw -noprompt >/dev/null 2>&1
  keytool -keystore servercert.jks -storepass:file pw -changealias -alias 1 -destalias my_jwt_cert >/dev/null 2>&1
}

measure() { # name function
  local name=$1 fn=$2 start end total=0
  for _ in $(seq "$runs"); do
    start=$(now_ns); $fn; end=$(now_ns)
    total=$((total + end - start))
  done
  printf '%-55s %8.1f ms/run (%d runs)\n' "$name" "$(awk -v t="$total" -v n="$runs" 'BEGIN{print t/n/1e6}')" "$runs"
}

openssl version
measure "guide bundle: 4 openssl commands + cp (RSA 2048)" bundle_once
if command -v keytool >/dev/null 2>&1; then
  bundle_once
  measure "guide keystore: pkcs12 -export + importkeystore + changealias" keystore_once
else
  echo "keytool not found: keystore steps not timed"
fi
