package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cytechint/sfjwt/keystore"
)

// outputDir returns the folder given as the first argument, created if needed, or a new
// temporary folder.
func outputDir(args []string) (string, error) {
	if len(args) == 0 {
		return os.MkdirTemp("", "sfjwt-setup-")
	}
	if err := os.MkdirAll(args[0], 0o700); err != nil {
		return "", err
	}
	return filepath.Abs(args[0])
}

// keyPassword returns SFJWT_KEY_PASSWORD, or a generated password that it writes to
// dir/key-password.txt (mode 0600, never over an existing file) and whose path it returns.
func keyPassword(dir string, getenv func(string) string) ([]byte, string, error) {
	if p := getenv("SFJWT_KEY_PASSWORD"); p != "" {
		// Check it before writing anything, so a bad password leaves nothing behind.
		if err := keystore.ValidatePassword([]byte(p), keystore.FormatJKS); err != nil {
			return nil, "", fmt.Errorf("SFJWT_KEY_PASSWORD: %w", err)
		}
		return []byte(p), "", nil
	}
	password := []byte(rand.Text()) // 26 base32 characters: printable ASCII, as JKS needs
	path := filepath.Join(dir, "key-password.txt")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, "", err
	}
	_, err = f.Write(append(password, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, "", err
	}
	return password, path, nil
}

// printFile prints a written file's path and permissions.
func printFile(w io.Writer, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s (%04o, %d bytes)\n", path, fi.Mode().Perm(), fi.Size())
	return nil
}

// refuseExisting returns an error matching fs.ErrExist when one of paths exists.
func refuseExisting(paths ...string) error {
	for _, path := range paths {
		if _, err := os.Lstat(path); err == nil {
			return &fs.PathError{Op: "write", Path: path, Err: fs.ErrExist}
		}
	}
	return nil
}
