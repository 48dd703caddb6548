package keystore

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/cytechint/sfjwt/certgen"
)

func TestExportWritesBothFiles0600(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	dir := t.TempDir()
	cfg := ExportConfig{Key: f.key, Certificate: f.cert, Alias: "Salesforce_JWT", Password: []byte(testPassword),
		PKCS12Path: filepath.Join(dir, "keystore.p12"), JKSPath: filepath.Join(dir, "servercert.jks")}
	if err := Export(cfg); err != nil {
		t.Fatalf("Export: %v", err)
	}
	for _, p := range []string{cfg.PKCS12Path, cfg.JKSPath} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want 0600", p, st.Mode().Perm())
		}
		e, err := ReadFile(p, []byte(testPassword), "")
		if err != nil {
			t.Fatalf("ReadFile(%s): %v", p, err)
		}
		if !f.key.Equal(e.Key) {
			t.Errorf("%s holds another key", p)
		}
	}
	l, err := ListFile(cfg.JKSPath, []byte(testPassword))
	if err != nil || l.Entries[0].Alias != "salesforce_jwt" {
		t.Errorf("ListFile = %+v, %v", l, err)
	}

	// A second export without Overwrite changes nothing.
	before := readAll(t, cfg.PKCS12Path, cfg.JKSPath)
	cfg.Alias = "other_name"
	if err := Export(cfg); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second Export = %v, want fs.ErrExist", err)
	}
	if after := readAll(t, cfg.PKCS12Path, cfg.JKSPath); !bytes.Equal(before, after) {
		t.Error("a refused export changed the files")
	}
	cfg.Overwrite = true
	if err := Export(cfg); err != nil {
		t.Fatalf("Export with Overwrite: %v", err)
	}
	if e, err := ReadFile(cfg.JKSPath, []byte(testPassword), "other_name"); err != nil || e.Alias != "other_name" {
		t.Errorf("overwritten JKS: %v", err)
	}
}

func TestExportRefusesBeforeWriting(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	dir := t.TempDir()
	p12 := filepath.Join(dir, "k.p12")
	// The PKCS#12 part alone would be fine; the JKS alias is not, so nothing is written.
	err := Export(ExportConfig{Key: f.key, Certificate: f.cert, Alias: "1", Password: []byte(testPassword),
		PKCS12Path: p12, JKSPath: filepath.Join(dir, "k.jks")})
	if !errors.Is(err, ErrInvalidAlias) {
		t.Fatalf("Export = %v, want ErrInvalidAlias", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written despite the error: %v", entries)
	}
	err = Export(ExportConfig{Key: f.key, Certificate: f.otherCert, Password: []byte(testPassword), PKCS12Path: p12})
	if !errors.Is(err, certgen.ErrKeyMismatch) {
		t.Fatalf("Export = %v, want certgen.ErrKeyMismatch", err)
	}
}

func TestConvertAndRenameFile(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	dir := t.TempDir()
	p12 := filepath.Join(dir, "keystore.p12")
	jksPath := filepath.Join(dir, "servercert.jks")
	if err := Export(ExportConfig{Key: f.key, Certificate: f.cert, Password: []byte("p12-password"), PKCS12Path: p12}); err != nil {
		t.Fatal(err)
	}
	alias, err := Convert(ConvertConfig{PKCS12Path: p12, PKCS12Password: []byte("p12-password"), JKSPath: jksPath, Password: []byte(testPassword)})
	if err != nil || alias != "my_jwt_cert" {
		t.Fatalf("Convert = %q, %v; want my_jwt_cert", alias, err)
	}
	if _, err := Convert(ConvertConfig{PKCS12Path: p12, PKCS12Password: []byte("p12-password"), JKSPath: jksPath, Password: []byte(testPassword)}); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Convert over an existing file = %v, want fs.ErrExist", err)
	}

	before := readAll(t, jksPath)
	failures := []struct {
		name, pw, from, to string
		want               error
	}{
		{"wrong password", "wrong-password", "my_jwt_cert", "new_name", ErrWrongPassword},
		{"missing alias", testPassword, "1", "new_name", ErrAliasNotFound},
		{"invalid target", testPassword, "my_jwt_cert", "new name", ErrInvalidAlias},
	}
	for _, tt := range failures {
		if err := RenameFile(jksPath, []byte(tt.pw), tt.from, tt.to); !errors.Is(err, tt.want) {
			t.Errorf("%s: RenameFile = %v, want %v", tt.name, err, tt.want)
		}
		if !bytes.Equal(before, readAll(t, jksPath)) {
			t.Errorf("%s: the file changed although the rename failed", tt.name)
		}
	}
	if err := RenameFile(jksPath, []byte(testPassword), "MY_JWT_CERT", "Renamed"); err != nil {
		t.Fatalf("RenameFile: %v", err)
	}
	if _, err := ReadFile(jksPath, []byte(testPassword), "renamed"); err != nil {
		t.Errorf("after rename: %v", err)
	}
	if st, err := os.Stat(jksPath); err == nil && runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("renamed file mode = %v, want 0600", st.Mode().Perm())
	}
	if _, err := ListFile(filepath.Join(dir, "missing.jks"), []byte(testPassword)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ListFile(missing) = %v, want fs.ErrNotExist", err)
	}
}

func readAll(t *testing.T, paths ...string) []byte {
	t.Helper()
	var all []byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}
