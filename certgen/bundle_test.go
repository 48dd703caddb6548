package certgen

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func bundleOpts() BundleOptions {
	return BundleOptions{Subject: testSubject(), Password: []byte("bundle-pass"), Key: testKey(), Iterations: 1000}
}

func TestWriteBundle(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "jwt")
	b, err := WriteBundle(dir, bundleOpts())
	if err != nil {
		t.Fatal(err)
	}
	wantPerm := map[string]fs.FileMode{FilePassKey: 0o600, FileKey: 0o600, FilePEM: 0o600, FileCSR: 0o644, FileCert: 0o644}
	for _, p := range b.Paths() {
		if !filepath.IsAbs(p) {
			t.Errorf("path %q is not absolute", p)
		}
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if want := wantPerm[filepath.Base(p)]; runtime.GOOS != "windows" && st.Mode().Perm() != want {
			t.Errorf("%s mode = %v, want %v", filepath.Base(p), st.Mode().Perm(), want)
		}
	}
	if st, _ := os.Stat(dir); runtime.GOOS != "windows" && st.Mode().Perm() != 0o700 {
		t.Errorf("created folder mode = %v, want 0700", st.Mode().Perm())
	}
	keyBytes, _ := os.ReadFile(b.Key)
	pemBytes, _ := os.ReadFile(b.PEM)
	if !bytes.Equal(keyBytes, pemBytes) {
		t.Errorf("server.pem differs from server.key")
	}
	if !bytes.HasPrefix(keyBytes, []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Errorf("server.key is not PKCS#8 PEM: %.40q", keyBytes)
	}
	passKey, err := ReadPrivateKeyFile(b.PassKey, []byte("bundle-pass"))
	if err != nil || !testKey().Equal(passKey) {
		t.Errorf("server.pass.key does not decrypt to the key: %v", err)
	}
	cert, err := ReadCertificateFile(b.Cert)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckKeyMatchesCertificate(passKey, cert); err != nil {
		t.Error(err)
	}
	if b.SHA256Fingerprint != FingerprintSHA256(cert) || b.Bits != 2048 || !b.NotAfter.Equal(cert.NotAfter) {
		t.Errorf("bundle summary %+v does not describe the certificate", b)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

// snapshot returns the names and contents of the files in dir.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = string(b)
	}
	return out
}

func TestWriteBundleRefusesExistingFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Only one of the five exists: nothing may be written.
	if err := os.WriteFile(filepath.Join(dir, FileCSR), []byte("old csr"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	_, err := WriteBundle(dir, bundleOpts())
	if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("err = %v, want fs.ErrExist saying nothing was written", err)
	}
	if after := snapshot(t, dir); len(after) != len(before) || after[FileCSR] != "old csr" {
		t.Errorf("folder changed: %v", after)
	}
}

func TestWriteBundleOverwriteReplacesAll(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := WriteBundle(dir, bundleOpts())
	if err != nil {
		t.Fatal(err)
	}
	oldCert, _ := os.ReadFile(first.Cert)
	opts := bundleOpts()
	opts.Key = otherKey()
	opts.Overwrite = true
	second, err := WriteBundle(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	newCert, _ := os.ReadFile(second.Cert)
	if bytes.Equal(oldCert, newCert) {
		t.Fatal("certificate not replaced")
	}
	key, err := ReadPrivateKeyFile(second.PEM, nil)
	if err != nil || !otherKey().Equal(key) {
		t.Errorf("server.pem not replaced with the new key: %v", err)
	}
	if len(snapshot(t, dir)) != 5 {
		t.Errorf("folder holds %d files, want 5", len(snapshot(t, dir)))
	}
}

func TestWriteBundleBadInput(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	mod := func(f func(*BundleOptions)) BundleOptions { o := bundleOpts(); f(&o); return o }
	tests := []struct {
		name     string
		dir      string
		opts     BundleOptions
		want     error
		wantText string
	}{
		{"output is a file", file, bundleOpts(), nil, "is not a folder"},
		{"no output folder", "", bundleOpts(), nil, "no output folder"},
		{"no password", t.TempDir(), mod(func(o *BundleOptions) { o.Password = nil }), nil, "password is required"},
		{"bad country", t.TempDir(), mod(func(o *BundleOptions) { o.Subject.Country = "USA" }), ErrSubject, "2 letters"},
		{"bad bits", t.TempDir(), mod(func(o *BundleOptions) { o.Key = nil; o.Bits = 1024 }), ErrKeySize, "2048"},
		{"bad days", t.TempDir(), mod(func(o *BundleOptions) { o.Days = -5 }), ErrValidity, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := WriteBundle(tt.dir, tt.opts)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("err = %v, want %v saying %q", err, tt.want, tt.wantText)
			}
			if tt.dir != "" && tt.dir != file {
				if n := len(snapshot(t, tt.dir)); n != 0 {
					t.Errorf("%d files written on error", n)
				}
			}
		})
	}
}
