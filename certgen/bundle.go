package certgen

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/cytechint/sfjwt/internal/fsutil"
)

// The file names the guide uses.
const (
	FilePassKey = "server.pass.key" // encrypted private key (openssl genpkey -aes-256-cbc)
	FileKey     = "server.key"      // unencrypted PKCS#8 private key (openssl rsa)
	FileCSR     = "server.csr"      // certificate signing request (openssl req -new)
	FileCert    = "server.crt"      // self-signed certificate to upload to the External Client App
	FilePEM     = "server.pem"      // same bytes as server.key (cp server.key server.pem), for the SIEM
)

// BundleOptions describes the guide's file bundle.
type BundleOptions struct {
	// Subject of the CSR and certificate. Required (Country, State, Locality, Organization).
	Subject Subject
	// Password encrypts server.pass.key. Required: the guide's "<your password>".
	Password []byte
	// Bits is the RSA key size; 0 means 2048. Ignored when Key is set.
	Bits int
	// Key is an existing key to use instead of generating one. Optional.
	Key *rsa.PrivateKey
	// Days is the certificate validity; 0 means 365.
	Days int
	// Overwrite replaces existing files. Without it, WriteBundle refuses to touch a folder
	// that already holds any of the five files.
	Overwrite bool
	// Now is the certificate issue time; zero means time.Now().
	Now time.Time
	// Iterations is the PBKDF2 iteration count for server.pass.key; 0 means 600,000.
	Iterations int
}

// Bundle lists the files WriteBundle wrote, as absolute paths.
type Bundle struct {
	Dir     string
	PassKey string // server.pass.key, mode 0600
	Key     string // server.key, mode 0600
	CSR     string // server.csr, mode 0644
	Cert    string // server.crt, mode 0644
	PEM     string // server.pem, mode 0600
	// Certificate details, for the next step (upload to Salesforce).
	SHA256Fingerprint string
	NotAfter          time.Time
	Bits              int
}

// Paths returns the five file paths in the order the guide creates them.
func (b Bundle) Paths() []string { return []string{b.PassKey, b.Key, b.CSR, b.Cert, b.PEM} }

// WriteBundle creates the guide's five files in dir, replacing steps 3 to 6 of "Creating a
// Private Key and Self-Signed Digital Certificate": server.pass.key (encrypted PKCS#8),
// server.key and server.pem (the same unencrypted PKCS#8 bytes), server.csr and server.crt.
// dir is created (0700) if missing. Key files are written 0600, the CSR and certificate 0644,
// each atomically; either all five are written or none is, so an error never leaves a mix of
// old and new files. Existing files are refused unless opts.Overwrite is set.
func WriteBundle(dir string, opts BundleOptions) (Bundle, error) {
	files, b, err := makeBundle(opts)
	if err != nil {
		return Bundle{}, err
	}
	abs, err := prepareDir(dir)
	if err != nil {
		return Bundle{}, err
	}
	b.Dir = abs
	var out []fsutil.File
	for _, f := range files {
		out = append(out, fsutil.File{Path: filepath.Join(abs, f.Path), Data: f.Data, Perm: f.Perm})
	}
	if err := fsutil.WriteFiles(out, opts.Overwrite); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Bundle{}, fmt.Errorf("certgen: write bundle: %w; nothing was written (choose another folder, or overwrite to replace all five files)", err)
		}
		return Bundle{}, fmt.Errorf("certgen: write bundle: %w", err)
	}
	b.PassKey = filepath.Join(abs, FilePassKey)
	b.Key = filepath.Join(abs, FileKey)
	b.CSR = filepath.Join(abs, FileCSR)
	b.Cert = filepath.Join(abs, FileCert)
	b.PEM = filepath.Join(abs, FilePEM)
	return b, nil
}

// makeBundle builds the five files in memory.
func makeBundle(opts BundleOptions) ([]fsutil.File, Bundle, error) {
	if err := opts.Subject.Validate(); err != nil {
		return nil, Bundle{}, err
	}
	if len(opts.Password) == 0 {
		return nil, Bundle{}, fmt.Errorf("certgen: a password is required to encrypt %s", FilePassKey)
	}
	key := opts.Key
	if key == nil {
		var err error
		if key, err = GenerateKey(opts.Bits); err != nil {
			return nil, Bundle{}, err
		}
	} else if err := CheckRSAKey(key.Public()); err != nil {
		return nil, Bundle{}, err
	}
	passKey, err := EncodeEncryptedPKCS8PEM(key, opts.Password, &EncryptOptions{Iterations: opts.Iterations})
	if err != nil {
		return nil, Bundle{}, err
	}
	plain, err := EncodePKCS8PEM(key)
	if err != nil {
		return nil, Bundle{}, err
	}
	csr, err := CSR(key, opts.Subject)
	if err != nil {
		return nil, Bundle{}, err
	}
	certDER, err := SelfSigned(key, opts.Subject, CertOptions{Days: opts.Days, Now: opts.Now})
	if err != nil {
		return nil, Bundle{}, err
	}
	cert, err := ParseCertificatePEM(certDER)
	if err != nil {
		return nil, Bundle{}, err
	}
	files := []fsutil.File{
		{Path: FilePassKey, Data: passKey, Perm: 0o600},
		{Path: FileKey, Data: plain, Perm: 0o600},
		{Path: FileCSR, Data: EncodeCSRPEM(csr), Perm: 0o644},
		{Path: FileCert, Data: EncodeCertificatePEM(certDER), Perm: 0o644},
		{Path: FilePEM, Data: plain, Perm: 0o600},
	}
	b := Bundle{SHA256Fingerprint: FingerprintSHA256(cert), NotAfter: cert.NotAfter, Bits: key.N.BitLen()}
	return files, b, nil
}

// prepareDir makes dir absolute and creates it (0700) when missing. A path that exists but is
// not a folder is an error.
func prepareDir(dir string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("certgen: write bundle: no output folder given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("certgen: write bundle: %w", err)
	}
	st, err := os.Stat(abs)
	switch {
	case err == nil && !st.IsDir():
		return "", fmt.Errorf("certgen: write bundle: %s exists and is not a folder; give a folder path", abs)
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(abs, 0o700); err != nil {
			return "", fmt.Errorf("certgen: write bundle: create folder: %w", err)
		}
	case err != nil:
		return "", fmt.Errorf("certgen: write bundle: %w", err)
	}
	return abs, nil
}
