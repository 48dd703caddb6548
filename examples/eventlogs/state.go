package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cytechint/sfjwt/sfclient"
)

// loadCursor reads the cursor saved by the last run. A missing file means a first run: the
// zero cursor, from the beginning.
func loadCursor(path string) (sfclient.Cursor, error) {
	var c sfclient.Cursor
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("state file %s: %w", path, err)
	}
	return c, nil
}

// saveCursor writes the cursor as JSON, atomically: into a temporary file in the same folder
// that is synced and then renamed over the old state, so a crash leaves the old cursor or
// the new one, never half a file.
func saveCursor(path string, c sfclient.Cursor) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(append(data, '\n'))
	if err := errors.Join(err, tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
