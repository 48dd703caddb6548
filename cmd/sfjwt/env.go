package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// env is everything a command touches outside its arguments, so tests can run commands
// in-process with their own streams, environment and terminal.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// getenv reads an environment variable.
	getenv func(string) string
	// stdinIsTerminal reports whether a person can be prompted on standard input.
	stdinIsTerminal func() bool
	// stderrIsTerminal reports whether standard error is a terminal (progress bars).
	stderrIsTerminal func() bool
	// readPassword reads one line from the terminal without echo.
	readPassword func() ([]byte, error)
	now          func() time.Time
}

func newOSEnv() *env {
	return &env{
		stdin:            os.Stdin,
		stdout:           os.Stdout,
		stderr:           os.Stderr,
		getenv:           os.Getenv,
		stdinIsTerminal:  func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		stderrIsTerminal: func() bool { return term.IsTerminal(int(os.Stderr.Fd())) },
		readPassword:     func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) },
		now:              time.Now,
	}
}

// usageError is a mistake in how the command was called: exit status 2, usage printed.
type usageError struct {
	msg   string
	usage func(io.Writer)
}

func (e *usageError) Error() string { return e.msg }

// errHelpShown reports that -h was given and the help was printed: exit status 0.
var errHelpShown = errors.New("help shown")

// newFlagSet returns a flag set that reports errors instead of exiting, with a usage text made
// of the synopsis line, a description and the flag defaults.
func newFlagSet(name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage:\n  %s\n\n%s\n", synopsis, description)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args into fs. -h prints the usage to stdout-like output and returns
// errHelpShown; any other flag error becomes a usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil {
		return nil
	}
	if errors.Is(err, flag.ErrHelp) {
		return &helpRequest{fs: fs}
	}
	return usageErr(fs, "%s", err)
}

// helpRequest carries a flag set whose usage must be printed on stdout.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string { return "help requested" }
func (h *helpRequest) Unwrap() error { return errHelpShown }

// usageErr builds a usageError that prints fs's usage.
func usageErr(fs *flag.FlagSet, format string, a ...any) error {
	return &usageError{
		msg: fmt.Sprintf(format, a...),
		usage: func(w io.Writer) {
			fs.SetOutput(w)
			fs.Usage()
			fs.SetOutput(io.Discard)
		},
	}
}

// printHelp prints the usage of a helpRequest to stdout.
func printHelp(e *env, err error) {
	var h *helpRequest
	if errors.As(err, &h) {
		h.fs.SetOutput(e.stdout)
		h.fs.Usage()
		h.fs.SetOutput(io.Discard)
	}
}

// firstNonEmpty returns the first of values that is not empty after trimming spaces.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if s := strings.TrimSpace(v); s != "" {
			return s
		}
	}
	return ""
}
