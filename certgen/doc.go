// Package certgen creates and reads the key material of the Salesforce JWT setup guide without
// OpenSSL: RSA keys, encrypted and plain PKCS#8 key files, PKCS#10 certificate signing requests
// and self-signed X.509 v3 certificates, and the guide's five-file bundle.
//
// It replaces the guide's section "Creating a Private Key and Self-Signed Digital Certificate":
//
//	openssl genpkey -aes-256-cbc ... -out server.pass.key   → EncodeEncryptedPKCS8PEM
//	openssl rsa -in server.pass.key -out server.key         → EncodePKCS8PEM
//	openssl req -new -key server.key -out server.csr        → CSR
//	openssl x509 -req -sha256 -days 365 ... -out server.crt → SelfSigned
//	cp server.key server.pem                                → WriteBundle writes both
//
// WriteBundle does all of it in one call, writing key files with mode 0600, atomically, and
// never over existing files unless asked.
//
// On the reading side, ParsePrivateKeyPEM and ReadPrivateKeyFile accept every private-key PEM a
// user is likely to hand over — PKCS#1, PKCS#8 and encrypted PKCS#8 as OpenSSL 1.1 and 3 write
// them, with Windows line ends or a byte order mark — and fail with a distinct error for each
// kind of mistake (wrong password, missing password, a certificate given as a key, UTF-16 text,
// legacy "Proc-Type" encryption, truncated data). ParseCertificatePEM reads PEM or DER
// certificates, and FingerprintSHA256, CheckKeyMatchesCertificate and DaysLeft answer the
// questions a person checking a set-up asks.
//
// Defaults: RSA 2048 bits (3072 and 4096 allowed; Salesforce's keystore import accepts exactly
// these three), SHA-256 with RSA, 365 days of validity, PBKDF2-HMAC-SHA256 with 600,000
// iterations and AES-256-CBC for encrypted keys.
//
// What it does not do: talk to Salesforce (see package jwtauth), or build keystores (see
// package keystore). All functions are safe for concurrent use.
package certgen
