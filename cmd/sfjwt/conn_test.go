package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNormalizeAPIVersion(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"66.0", "66.0", ""},
		{"v66.0", "66.0", ""},
		{"V62.0", "62.0", ""},
		{"62", "62.0", ""},
		{" 61.0 ", "61.0", ""},
		{"66.1", "", `API version "66.1"`},
		{"sixty", "", `API version "sixty"`},
		{"6", "", `API version "6"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := normalizeAPIVersion(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("normalizeAPIVersion(%q) = %q, %v; want error %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("normalizeAPIVersion(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestConnFlagsBeatEnvironment(t *testing.T) {
	te := newTestEnv(t)
	te.Vars = map[string]string{
		envInstanceURL: "https://env.my.salesforce.com", envClientID: "env-id", envUsername: "env@example.com",
		envKeyFile: "env.key", envLoginURL: "https://test.salesforce.com", envAudience: "https://env-aud",
		envAPIVersion: "v60.0", envCAFile: "env-ca.pem",
	}
	fs := newFlagSet("t", "t", "t")
	cf := addConnFlags(fs)
	if err := parseFlags(fs, []string{"--client-id", "flag-id", "--key", "flag.key"}); err != nil {
		t.Fatal(err)
	}
	c, err := cf.resolve(te.env, fs)
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	want := conn{InstanceURL: "https://env.my.salesforce.com", ClientID: "flag-id", Username: "env@example.com", KeyFile: "flag.key",
		LoginURL: "https://test.salesforce.com", Audience: "https://env-aud", APIVersion: "60.0", CAFile: "env-ca.pem"}
	if *c != want {
		t.Errorf("resolve = %+v\nwant      %+v", *c, want)
	}
}

func TestConnResolveMissing(t *testing.T) {
	te := newTestEnv(t)
	te.Vars[envUsername] = "u@example.com"
	fs := newFlagSet("t", "t", "t")
	cf := addConnFlags(fs)
	_ = parseFlags(fs, []string{"--key", "k.pem"})
	_, err := cf.resolve(te.env, fs)
	var ue *usageError
	if !errors.As(err, &ue) {
		t.Fatalf("resolve error = %v, want a usage error", err)
	}
	want := `missing --instance-url or SFJWT_INSTANCE_URL (the org's My Domain URL, Setup → My Domain); --client-id or SFJWT_CLIENT_ID (the Consumer Key, guide "How to Find Client ID")`
	if ue.msg != want {
		t.Errorf("message = %q\nwant      %q", ue.msg, want)
	}
}

func TestConnHTTPClientCAFile(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, file, want string }{
		{"no CA file", "", ""},
		{"missing file", filepath.Join(dir, "nope.pem"), "--ca-file"},
		{"not PEM", notPEM, "holds no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &conn{CAFile: tt.file}
			client, err := c.httpClient()
			if tt.want == "" {
				if err != nil || client == nil || client.Transport == nil {
					t.Fatalf("httpClient() = %v, %v", client, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("httpClient() error = %v, want %q", err, tt.want)
			}
		})
	}
}
