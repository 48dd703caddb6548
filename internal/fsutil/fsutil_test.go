package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteFileModesAndNoOverwrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "key.pem")
	if err := WriteFile(p, []byte("secret"), 0o600, false); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	err := WriteFile(p, []byte("other"), 0o600, false)
	if !errors.Is(err, ErrExists) || !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), p) {
		t.Fatalf("second write: err = %v, want ErrExists naming the file", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "secret" {
		t.Errorf("existing file changed to %q", b)
	}
	if err := WriteFile(p, []byte("replaced"), 0o644, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "replaced" {
		t.Errorf("overwrite: content %q", b)
	}
	assertNoTemps(t, dir)
}

func TestWriteFilesAllOrNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	existing := filepath.Join(dir, "b")
	os.WriteFile(existing, []byte("old b"), 0o600)
	files := []File{
		{Path: filepath.Join(dir, "a"), Data: []byte("new a"), Perm: 0o600},
		{Path: existing, Data: []byte("new b"), Perm: 0o600},
	}
	if err := WriteFiles(files, false); !errors.Is(err, ErrExists) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	if _, err := os.Stat(files[0].Path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a was written although b exists")
	}
	assertNoTemps(t, dir)
}

func TestWriteFilesRollsBackOnFailure(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || os.Getuid() == 0 {
		t.Skip("needs a folder the process cannot write to (not root, not Windows)")
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "readonly")
	os.Mkdir(ro, 0o755)
	a := filepath.Join(dir, "a")
	os.WriteFile(a, []byte("old a"), 0o600)
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	err := WriteFiles([]File{{Path: a, Data: []byte("new a"), Perm: 0o600}, {Path: filepath.Join(ro, "b"), Data: []byte("b"), Perm: 0o600}}, true)
	if err == nil {
		t.Fatal("want an error writing into a read-only folder")
	}
	if b, _ := os.ReadFile(a); string(b) != "old a" {
		t.Errorf("a = %q after a failed set, want the old content", b)
	}
	assertNoTemps(t, dir)
}

func TestWriteFilesRefusesFolderTarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	err := WriteFiles([]File{{Path: filepath.Join(dir, "sub"), Data: []byte("x"), Perm: 0o600}}, true)
	if err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("err = %v, want refusal to replace a folder", err)
	}
}

// A move that fails after other targets were already replaced puts the old files back.
func TestCommitRestoresReplacedFilesOnFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var files []File
	var temps []string
	for _, name := range []string{"a", "b", "c"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("old "+name), 0o600)
		f := File{Path: p, Data: []byte("new " + name), Perm: 0o600}
		tmp, err := writeTemp(f)
		if err != nil {
			t.Fatal(err)
		}
		files, temps = append(files, f), append(temps, tmp)
	}
	failThird := func(oldpath, newpath string) error {
		if newpath == files[2].Path {
			return errors.New("disk full")
		}
		return os.Rename(oldpath, newpath)
	}
	if err := commit(files, temps, true, failThird); err == nil || err.Error() != "disk full" {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	for _, f := range files {
		if got, _ := os.ReadFile(f.Path); !strings.HasPrefix(string(got), "old ") {
			t.Errorf("%s = %q after the failure, want the old content", filepath.Base(f.Path), got)
		}
	}
	for _, tmp := range temps {
		os.Remove(tmp)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("folder holds %d entries, want the 3 originals", len(entries))
	}
}

func TestReadFileLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("0123456789"), 0o600)
	if b, err := ReadFileLimit(p, 10); err != nil || string(b) != "0123456789" {
		t.Errorf("at the limit: %q, %v", b, err)
	}
	if _, err := ReadFileLimit(p, 9); err == nil || !strings.Contains(err.Error(), "larger than 9 bytes") {
		t.Errorf("over the limit: err = %v", err)
	}
	if _, err := ReadFileLimit(dir, 9); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("folder: err = %v", err)
	}
	if _, err := ReadFileLimit(filepath.Join(dir, "missing"), 9); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: err = %v", err)
	}
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	var left []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), ".tmp-") {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteFileIntoMissingFolderNamesTheTarget(t *testing.T) {
	t.Parallel()
	target := filepath.Join(t.TempDir(), "nodir", "key.pem")
	err := WriteFile(target, []byte("x"), 0o600, false)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "write "+target+": ") || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("err = %v, want it to name %s, not a temporary file", err, target)
	}
}
