package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// secretSource says where a password may come from, in the order they are tried.
type secretSource struct {
	what     string // "key password", "keystore password": used in prompts and errors
	file     string // value of a --*-password-file flag, may be empty
	fileFlag string // name of that flag, for messages
	envVar   string // environment variable, e.g. SFJWT_KEY_PASSWORD
	confirm  bool   // ask twice when prompting (a new password)
	optional bool   // no source at all is fine: return nil, nil
}

// errNoSecret means no password source was available and no terminal to prompt on.
var errNoSecret = errors.New("no password given")

// readSecret returns the password from the file named by src.file (its first line, without the
// line ending), else from src.envVar, else from a no-echo prompt when standard input is a
// terminal. Passwords are never taken as command-line values.
func readSecret(e *env, src secretSource) ([]byte, error) {
	if src.file != "" {
		pw, err := readPasswordFile(src.file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.fileFlag, err)
		}
		return pw, nil
	}
	if src.envVar != "" {
		if v := e.getenv(src.envVar); v != "" {
			return []byte(v), nil
		}
	}
	if src.optional {
		return nil, nil
	}
	if e.stdinIsTerminal == nil || !e.stdinIsTerminal() {
		return nil, fmt.Errorf("%w: the %s comes from %s FILE (first line) or the %s environment variable, or a prompt when run in a terminal",
			errNoSecret, src.what, src.fileFlag, src.envVar)
	}
	return promptSecret(e, src)
}

func promptSecret(e *env, src secretSource) ([]byte, error) {
	fmt.Fprintf(e.stderr, "Enter %s: ", src.what)
	pw, err := e.readPassword()
	fmt.Fprintln(e.stderr)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", src.what, err)
	}
	if len(pw) == 0 {
		return nil, fmt.Errorf("the %s is empty", src.what)
	}
	if !src.confirm {
		return pw, nil
	}
	fmt.Fprintf(e.stderr, "Enter %s again: ", src.what)
	again, err := e.readPassword()
	fmt.Fprintln(e.stderr)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", src.what, err)
	}
	if !bytes.Equal(pw, again) {
		return nil, fmt.Errorf("the two entries of the %s do not match", src.what)
	}
	return pw, nil
}

// maxPasswordLine bounds the first line of a password file: a password is short, and a wrong
// file (/dev/zero, a log, a disk image) must not be read into memory.
const maxPasswordLine = 4096

// readPasswordFile returns the first line of path without its line ending ("\n" or "\r\n").
// A UTF-8 byte order mark at the start is dropped. A first line longer than maxPasswordLine
// bytes is refused.
func readPasswordFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read password file: %w", err)
	}
	defer f.Close()
	head := make([]byte, maxPasswordLine+1)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("read password file: %w", err)
	}
	head = head[:n]
	line, _, found := bytes.Cut(head, []byte("\n"))
	if !found && n > maxPasswordLine {
		return nil, fmt.Errorf("the first line of password file %s is longer than %d bytes; is it the right file? (put the password alone on the first line)", path, maxPasswordLine)
	}
	line = bytes.TrimSuffix(line, []byte("\r"))
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	if len(line) == 0 {
		if n == 0 {
			return nil, fmt.Errorf("password file %s is empty", path)
		}
		return nil, fmt.Errorf("the first line of password file %s is empty", path)
	}
	if !utf8.Valid(line) {
		return nil, fmt.Errorf("password file %s is not UTF-8 text (saved as UTF-16? save it as UTF-8)", path)
	}
	return line, nil
}
