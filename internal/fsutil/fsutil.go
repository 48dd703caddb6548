// Package fsutil writes files the way key material must be written: atomically (a temporary
// file in the same folder, synced, then renamed into place), with explicit permissions, and
// never over an existing file unless the caller asks for it.
//
// On Windows, permission bits other than read-only are not enforced by the file system;
// protect key folders with ACLs there.
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// ErrExists is returned when a target file exists and overwriting was not asked for.
// It is fs.ErrExist itself, so the message reads "write PATH: file already exists"; callers
// add what the user can do about it (their --force flag, another name), which fsutil cannot
// know.
var ErrExists = fs.ErrExist

// File is one file to write with WriteFiles.
type File struct {
	Path string
	Data []byte
	Perm os.FileMode // e.g. 0o600 for keys, 0o644 for certificates
}

// WriteFile writes data to path atomically with permissions perm. If path exists and
// overwrite is false it returns an error matching ErrExists and leaves path untouched.
// A failed write leaves any existing file unchanged.
func WriteFile(path string, data []byte, perm os.FileMode, overwrite bool) error {
	return WriteFiles([]File{{Path: path, Data: data, Perm: perm}}, overwrite)
}

// WriteFiles writes every file or none. All data goes to temporary files first; only when
// all are on disk are they moved into place. If overwrite is false and any target exists,
// nothing is written. If a move fails midway, the targets already replaced are restored,
// so a folder never holds a mix of old and new files.
func WriteFiles(files []File, overwrite bool) (err error) {
	for _, f := range files {
		st, err := os.Lstat(f.Path)
		switch {
		case err == nil && st.IsDir():
			return &fs.PathError{Op: "write", Path: f.Path, Err: errors.New("is a folder, not a file")}
		case err == nil && !overwrite:
			return &fs.PathError{Op: "write", Path: f.Path, Err: ErrExists}
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return err
		}
	}
	temps := make([]string, 0, len(files))
	defer func() {
		for _, t := range temps {
			os.Remove(t) // already renamed ones are gone; the error is expected then
		}
	}()
	for _, f := range files {
		t, err := writeTemp(f)
		if err != nil {
			return err
		}
		temps = append(temps, t)
	}
	return commit(files, temps, overwrite, os.Rename)
}

// writeTemp writes f's data to a synced temporary file beside f.Path and returns its name.
func writeTemp(f File) (string, error) {
	dir, base := filepath.Split(f.Path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		// Name the file the caller asked for, not the temporary one.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", &fs.PathError{Op: "write", Path: f.Path, Err: err}
	}
	name := tmp.Name()
	fail := func(err error) (string, error) {
		tmp.Close()
		os.Remove(name)
		return "", err
	}
	if err := tmp.Chmod(f.Perm); err != nil && runtime.GOOS != "windows" {
		return fail(err)
	}
	if _, err := tmp.Write(f.Data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// commit moves temps into place with rename (os.Rename; tests inject failures). Existing
// targets are first moved aside to backups so that a failure can put them back.
func commit(files []File, temps []string, overwrite bool, rename func(oldpath, newpath string) error) error {
	type moved struct{ target, backup string }
	var done []moved
	rollback := func() {
		for i := len(done) - 1; i >= 0; i-- {
			os.Remove(done[i].target)
			if done[i].backup != "" {
				os.Rename(done[i].backup, done[i].target)
			}
		}
	}
	for i, f := range files {
		backup := ""
		if overwrite {
			if _, err := os.Lstat(f.Path); err == nil {
				backup = temps[i] + ".old"
				if err := rename(f.Path, backup); err != nil {
					rollback()
					return err
				}
			}
		}
		if err := place(temps[i], f.Path, overwrite, rename); err != nil {
			if backup != "" {
				os.Rename(backup, f.Path)
			}
			rollback()
			return err
		}
		done = append(done, moved{f.Path, backup})
	}
	for _, m := range done {
		if m.backup != "" {
			os.Remove(m.backup)
		}
	}
	syncDirs(files)
	return nil
}

// place moves tmp to target. Without overwrite it uses a hard link, which fails if target
// appeared in the meantime, so a file created by someone else is never replaced.
func place(tmp, target string, overwrite bool, rename func(string, string) error) error {
	if overwrite {
		return rename(tmp, target)
	}
	if err := os.Link(tmp, target); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &fs.PathError{Op: "write", Path: target, Err: ErrExists}
		}
		// File systems without hard links: check, then rename.
		if _, statErr := os.Lstat(target); statErr == nil {
			return &fs.PathError{Op: "write", Path: target, Err: ErrExists}
		}
		return rename(tmp, target)
	}
	return os.Remove(tmp)
}

// syncDirs flushes the folders holding files so the renames survive a crash (not on Windows,
// where a folder cannot be opened for syncing).
func syncDirs(files []File) {
	if runtime.GOOS == "windows" {
		return
	}
	seen := map[string]bool{}
	for _, f := range files {
		dir := filepath.Dir(f.Path)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		if d, err := os.Open(dir); err == nil {
			d.Sync()
			d.Close()
		}
	}
}

// ReadFileLimit reads at most limit bytes of path and fails if the file is larger, so a
// wrong path (a disk image, a log) does not fill memory.
func ReadFileLimit(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("is a directory, not a file")}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("file is larger than %d bytes; is this the right file?", limit)}
	}
	return data, nil
}
