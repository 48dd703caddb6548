// Package keystore writes and reads the keystores of the Salesforce JWT setup: PKCS#12
// (.p12/.pfx) and Java KeyStore (.jks) files holding the RSA key and its certificate.
//
// It replaces the last part of the setup guide ("Converting server.crt to JKS Keystore
// File"): openssl pkcs12 -export, keytool -importkeystore and keytool -changealias -alias 1.
// Export writes a JKS straight from the key and certificate, with an alias Salesforce accepts,
// and optionally a PKCS#12 file; Convert turns an existing PKCS#12 into a JKS; RenameFile fixes
// the alias "1" of a JKS the guide's commands made; List shows what a keystore holds. No Java
// install is needed.
//
// What Salesforce's "Import from Keystore" needs, and this package enforces before writing:
//
//   - a JKS with one PrivateKeyEntry, its key as PKCS#8, its certificates of type "X.509";
//   - the key password equal to the store password (Salesforce asks for one password);
//   - an RSA key of 2048, 3072 or 4096 bits that matches the certificate;
//   - an alias that is a valid Salesforce unique name (ValidateAlias; SuggestAlias and
//     AliasFromCertificate make one), stored lower-cased as Java does;
//   - a password of at least 6 characters, printable ASCII for JKS (ValidatePassword).
//
// PKCS#12 files are written with PBES2/AES-256 and an HMAC-SHA-256 MAC (PKCS12Modern), which
// OpenSSL 3 reads without -legacy and Java 17 keytool reads; PKCS12LegacyDES (3DES) is there
// for old readers. Reading accepts what OpenSSL 3 writes (default and -legacy), what keytool
// writes and what this package writes. JKS and PKCS#12 are told apart by content
// (DetectFormat), never by file name.
//
// Files are written with mode 0600, atomically (a temporary file renamed into place), never
// over an existing file unless Overwrite is set; a failed operation leaves existing files
// byte-for-byte unchanged. Passwords never appear in error messages.
//
// Not supported: JCEKS and BKS/BCFKS keystores, PKCS#12 files in BER form or with more than
// one private key, secret-key entries, and keys other than RSA for writing.
//
// PKCS#12 files written with an alias carry it as the key's friendly name (go-pkcs12 writes
// none, so this package adds it and recomputes the MAC), so keytool -importkeystore of such a
// file gives a valid alias instead of "1".
//
// All functions are safe for concurrent use; they share no state.
package keystore
