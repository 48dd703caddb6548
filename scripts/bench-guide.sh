#!/usr/bin/env bash
# Prints how long the setup guide's own command-line steps take on this machine next to the
# sfjwt commands that replace them, each run the same way (wall clock, mean of N runs, fresh
# folder each run, passwords through files), and the wall time of "sfjwt login" against a local
# "sfjwt serve". Go-level numbers come from the benchmarks (see BENCHMARKS.md).
# Usage: scripts/bench-guide.sh [runs]   (default 10)
set -euo pipefail
runs=${1:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
serve_pid=""
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
printf 'guide-pass-123\n' > pw
(cd "$repo" && go build -o "$work/sfjwt" ./cmd/sfjwt)
subj=(--country US --state California --locality "San Francisco" --org "Acme Corp")

now_ns() { date +%s%N; }

guide_bundle() {
  rm -rf g && mkdir g && cd g
  openssl genpkey -aes-256-cbc -algorithm RSA -pass file:../pw -out server.pass.key -pkeyopt rsa_keygen_bits:2048 2>/dev/null
  openssl rsa -passin file:../pw -in server.pass.key -out server.key 2>/dev/null
  openssl req -new -key server.key -out server.csr -subj "/C=US/ST=California/L=San Francisco/O=Acme Corp" 2>/dev/null
  openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt 2>/dev/null
  cp server.key server.pem
  cd ..
}

sfjwt_bundle() { rm -rf s; ./sfjwt cert --out s "${subj[@]}" --password-file pw >/dev/null; }

guide_keystore() {
  rm -f g/keystore.p12 g/servercert.jks
  openssl pkcs12 -export -in g/server.crt -inkey g/server.pem -out g/keystore.p12 -passout file:pw
  keytool -importkeystore -srckeystore g/keystore.p12 -srcstoretype pkcs12 -srcstorepass:file pw \
    -destkeystore g/servercert.jks -deststoretype JKS -deststorepass:file pw -noprompt >/dev/null 2>&1
  keytool -keystore g/servercert.jks -storepass:file pw -changealias -alias 1 -destalias my_jwt_cert >/dev/null 2>&1
}

sfjwt_keystore() {
  rm -f s/keystore.p12 s/servercert.jks
  ./sfjwt keystore export --key s/server.pem --cert s/server.crt --p12 s/keystore.p12 --jks s/servercert.jks \
    --alias my_jwt_cert --password-file pw >/dev/null
}

sfjwt_login() { ./sfjwt login --ca-file tls.pem >/dev/null; }

measure() { # label function
  local label=$1 fn=$2 start end total=0
  $fn # warm-up, not counted
  for _ in $(seq "$runs"); do
    start=$(now_ns); $fn; end=$(now_ns)
    total=$((total + end - start))
  done
  printf '  %-58s %9.1f ms\n' "$label" "$(awk -v t="$total" -v n="$runs" 'BEGIN{print t/n/1e6}')"
}

echo "$(openssl version); $(go version); $(nproc) CPUs; mean of $runs runs"
echo "Key and certificate bundle (RSA 2048):"
measure "guide: 4 openssl commands + cp" guide_bundle
measure "sfjwt cert (PBKDF2 600,000 iterations for server.pass.key)" sfjwt_bundle
echo "Keystores:"
if command -v keytool >/dev/null 2>&1; then
  measure "guide: pkcs12 -export + keytool -importkeystore + -changealias" guide_keystore
else
  echo "  keytool not found: guide keystore steps not timed"
fi
measure "sfjwt keystore export --p12 --jks" sfjwt_keystore
echo "Login (JWT bearer + one REST call) against a local sfjwt serve:"
./sfjwt serve --addr 127.0.0.1:0 --cert s/server.crt --tls-cert-out tls.pem --json > serve.json 2>serve.err &
serve_pid=$!
for _ in $(seq 50); do [ -s serve.json ] && break; sleep 0.1; done
url=$(sed -n 's/.*"instance_url":"\([^"]*\)".*/\1/p' serve.json)
client=$(sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p' serve.json)
user=$(sed -n 's/.*"username":"\([^"]*\)".*/\1/p' serve.json)
export SFJWT_INSTANCE_URL=$url SFJWT_CLIENT_ID=$client SFJWT_USERNAME=$user SFJWT_KEY_FILE=$work/s/server.pem
measure "sfjwt login (process start to exit)" sfjwt_login
