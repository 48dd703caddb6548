package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one sub-command of sfjwt.
type command struct {
	name    string
	summary string
	// run executes the command. Errors wrapped as usageError exit with status 2 and print the
	// command's usage; other errors exit with status 1.
	run func(ctx context.Context, e *env, args []string) error
}

// commands lists every sub-command in the order "sfjwt help" shows them: the guide's order
// (files, keystores), then the org (emulate, log in, read), then checking and the demo.
// Each command lives in its own file; add one line here per command.
func commands() []command {
	return []command{
		{"cert", "create the guide's key and certificate bundle (replaces the openssl steps)", runCert},
		{"keystore", "write, convert, rename and list JKS/PKCS#12 keystores (replaces openssl pkcs12 + keytool)", runKeystore},
		{"serve", "run an emulated Salesforce org over HTTPS for testing clients", runServe},
		{"login", "log in with the JWT bearer flow and confirm the token with one REST call", runLogin},
		{"query", "run a SOQL query and stream the records as NDJSON, JSON or CSV", runQuery},
		{"logs", "list and download Event Monitoring log files (EventLogFile CSVs)", runLogs},
		{"doctor", "check the key, certificate, fields and login, naming the guide step to fix", runDoctor},
		{"demo", "run the whole guide offline against an emulated org, step by step", runDemo},
		// sfjwt commands: add new ones above this line.
		{"version", "print the version of sfjwt", runVersion},
		{"help", "show help for sfjwt or one of its commands", runHelp},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, newOSEnv(), os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes sfjwt with args and returns the process exit status. It never lets a panic reach
// the user as a Go stack trace.
func run(ctx context.Context, e *env, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "sfjwt: internal error: %v\nPlease report this at https://github.com/cytechint/sfjwt/issues\n", r)
			code = 1
		}
	}()
	if len(args) == 0 {
		printUsage(e.stderr)
		return 2
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" {
		name = "help"
	}
	for _, c := range commands() {
		if c.name == name {
			return exitCode(e, c.name, c.run(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(e.stderr, "sfjwt: unknown command %q\n\n", args[0])
	printUsage(e.stderr)
	return 2
}

// exitCode prints err (if any) and maps it to an exit status.
func exitCode(e *env, name string, err error) int {
	if err == nil {
		return 0
	}
	var se *silentError
	if errors.As(err, &se) {
		return 1
	}
	if errors.Is(err, errHelpShown) {
		printHelp(e, err)
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		if ue.msg != "" {
			fmt.Fprintf(e.stderr, "sfjwt %s: %s\n", name, ue.msg)
		}
		if ue.usage != nil {
			fmt.Fprintln(e.stderr)
			ue.usage(e.stderr)
		}
		return 2
	}
	fmt.Fprintf(e.stderr, "sfjwt %s: %v\n", name, err)
	return 1
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, "sfjwt sets up and checks Salesforce JWT bearer authentication.\n\nUsage:\n  sfjwt <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"sfjwt help <command>\" or \"sfjwt <command> -h\" for a command's flags.\n")
}

func runHelp(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printUsage(e.stdout)
		return nil
	}
	if len(args) > 1 {
		return &usageError{msg: "help takes at most one command name"}
	}
	for _, c := range commands() {
		if c.name == args[0] && c.name != "help" {
			return c.run(ctx, e, []string{"-h"})
		}
	}
	return &usageError{msg: fmt.Sprintf("unknown command %q", args[0]), usage: printUsage}
}
