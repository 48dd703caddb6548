package main

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/cytechint/sfjwt/certgen"
)

// certExpiryWarnDays is how close to expiry a certificate makes doctor warn.
const certExpiryWarnDays = 30

// checkKey runs the key-file checks and returns the key when it could be read.
func (d *doctor) checkKey(r *report) crypto.Signer {
	path := d.conn.KeyFile
	if path == "" {
		r.fail("key file", "no key file given (--key or SFJWT_KEY_FILE)", stepCert)
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	r.Fields.KeyPath = abs
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		r.fail("key file", abs+" does not exist", stepCert)
		return nil
	case err != nil:
		r.fail("key file", err.Error(), "check the path and that this user may read it")
		return nil
	case st.IsDir():
		r.fail("key file", abs+" is a folder; give the key file inside it (server.pem)", stepKeyPath)
		return nil
	}
	d.checkKeyLocation(r, path, abs, st)
	key, err := certgen.ReadPrivateKeyFile(abs, d.keyPassword)
	if err != nil {
		fix := stepCert
		if errors.Is(err, certgen.ErrPasswordRequired) || errors.Is(err, certgen.ErrWrongPassword) {
			fix = "set SFJWT_KEY_PASSWORD (or --key-password-file) to the key's password, or give the unencrypted server.pem"
		}
		r.fail("key parses", strings.TrimPrefix(err.Error(), "certgen: "), fix)
		return nil
	}
	if err := certgen.CheckRSAKey(key.Public()); err != nil {
		r.fail("key type", strings.TrimPrefix(err.Error(), "certgen: "), stepCert+" with --bits 2048, 3072 or 4096")
		return nil
	}
	r.pass("key parses", fmt.Sprintf("RSA %d-bit private key", key.Public().(*rsa.PublicKey).N.BitLen()))
	return key
}

// checkKeyLocation checks the path form and the file mode.
func (d *doctor) checkKeyLocation(r *report, given, abs string, st os.FileInfo) {
	dir := filepath.Dir(abs)
	switch {
	case dir == filepath.VolumeName(abs)+string(filepath.Separator):
		r.fail("key path", abs+" is in the root folder", stepKeyPath)
	case !filepath.IsAbs(given):
		r.warn("key path", fmt.Sprintf("%q is relative; the SIEM needs the full path %s", given, abs), stepKeyPath)
	default:
		r.pass("key path", abs)
	}
	if runtime.GOOS == "windows" {
		r.skip("key permissions", "not checked on Windows (protect the folder with ACLs)")
		return
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		r.warn("key permissions", fmt.Sprintf("mode %04o lets other users read the private key", perm), "chmod 600 "+abs)
	} else {
		r.pass("key permissions", fmt.Sprintf("mode %04o", perm))
	}
}

// checkCert runs the certificate checks when --cert is given.
func (d *doctor) checkCert(r *report, key crypto.Signer) {
	if d.certFile == "" {
		r.skip("certificate", "no --cert given (give server.crt to check it against the key)")
		return
	}
	cert, err := certgen.ReadCertificateFile(d.certFile)
	if err != nil {
		r.fail("certificate", strings.TrimPrefix(err.Error(), "certgen: "), "give the certificate uploaded in step 9 (server.crt)")
		return
	}
	d.cert = cert
	r.pass("certificate", fmt.Sprintf("%s, SHA-256 %s (compare with the fingerprint the External Client App shows)", cert.Subject, certgen.FingerprintSHA256(cert)))
	if key != nil {
		if err := certgen.CheckKeyMatchesCertificate(key, cert); err != nil {
			r.fail("key matches certificate", "the key is not the one the certificate was made from", stepUpload)
		} else {
			r.pass("key matches certificate", "the certificate holds this key's public key")
		}
	}
	d.checkExpiry(r, cert)
}

func (d *doctor) checkExpiry(r *report, cert *x509.Certificate) {
	now := d.now()
	left := certgen.DaysLeft(cert, now)
	until := cert.NotAfter.UTC().Format(time.DateOnly)
	switch {
	case now.After(cert.NotAfter):
		r.fail("certificate expiry", "expired on "+until, "make a new certificate (sfjwt cert) and upload it to the app (step 9) before switching the SIEM to the new key")
	case now.Before(cert.NotBefore):
		r.fail("certificate expiry", "not valid before "+cert.NotBefore.UTC().Format(time.RFC3339), stepClock)
	case left < certExpiryWarnDays:
		r.warn("certificate expiry", fmt.Sprintf("expires on %s, in %d days", until, left), "make a new certificate (sfjwt cert), upload it to the app next to the old one (step 9), then switch the SIEM to the new key")
	default:
		r.pass("certificate expiry", fmt.Sprintf("valid until %s (%d days)", until, left))
	}
}

var (
	// consumerKeyRE matches the shape of Salesforce consumer keys: long, from the base64url
	// alphabet plus '.', e.g. 3MVG9…; they are 85 characters in practice.
	consumerKeyRE = regexp.MustCompile(`^[A-Za-z0-9._]{40,256}$`)
	apiVersionOK  = regexp.MustCompile(`^[1-9][0-9]\.0$`)
)

// checkFields checks the shape of the guide's required fields.
func (d *doctor) checkFields(r *report) {
	c := d.conn
	f := &r.Fields
	f.Username, f.ClientID, f.InstanceURL, f.APIVersion, f.Audience = c.Username, c.ClientID, c.InstanceURL, c.APIVersion, c.Audience
	switch a, err := mail.ParseAddress(c.Username); {
	case c.Username == "":
		r.fail("username", "no username given (--username or SFJWT_USERNAME)", stepUsername)
	case err != nil || a.Address != c.Username:
		r.fail("username", fmt.Sprintf("%q is not shaped like a Salesforce username (an e-mail address, e.g. admin@acme.com)", c.Username), stepUsername)
	default:
		r.pass("username", c.Username)
	}
	switch {
	case c.ClientID == "":
		r.fail("client ID", "no Client ID given (--client-id or SFJWT_CLIENT_ID)", stepClientID)
	case !consumerKeyRE.MatchString(c.ClientID):
		r.warn("client ID", fmt.Sprintf("%q does not look like a Consumer Key (usually 85 characters starting 3MVG)", c.ClientID), stepClientID)
	default:
		r.pass("client ID", c.ClientID)
	}
	d.checkInstanceURL(r)
	switch v := c.APIVersion; {
	case v == "":
		r.skip("API version", "none given; the newest the org offers will be used")
	case !apiVersionOK.MatchString(v):
		r.fail("API version", fmt.Sprintf("%q is not shaped NN.0 (e.g. 66.0)", v), stepAPIVersion)
	default:
		r.pass("API version", v)
	}
}

func (d *doctor) checkInstanceURL(r *report) {
	raw := d.conn.InstanceURL
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		r.fail("instance URL", "no instance URL given (--instance-url or SFJWT_INSTANCE_URL)", stepMyDomain)
		return
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		r.fail("instance URL", fmt.Sprintf("%q is not a URL like https://acme.my.salesforce.com", raw), stepMyDomain)
		return
	}
	host := u.Hostname()
	switch {
	case isLoopbackHost(host):
		r.pass("instance URL", raw+" (loopback: a local emulator such as sfjwt serve)")
	case u.Scheme != "https":
		r.fail("instance URL", raw+" is not HTTPS; Salesforce requires HTTPS", stepMyDomain)
	case strings.HasSuffix(host, ".lightning.force.com"):
		r.fail("instance URL", raw+" is a Lightning UI URL, not the My Domain URL", stepMyDomain+" (use the .my.salesforce.com address)")
	case strings.HasSuffix(host, ".my.salesforce.com") || strings.HasSuffix(host, ".my.salesforce.mil") || strings.HasSuffix(host, ".my.site.com"):
		r.pass("instance URL", raw)
	case host == "login.salesforce.com" || host == "test.salesforce.com":
		r.warn("instance URL", raw+" is a login host, not your org's My Domain URL; REST calls must go to the instance", stepMyDomain)
	default:
		r.warn("instance URL", raw+" does not look like a My Domain URL (*.my.salesforce.com)", stepMyDomain)
	}
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
