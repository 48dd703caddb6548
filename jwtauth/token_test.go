package jwtauth

import (
	"slices"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestTokenHelpers(t *testing.T) {
	tok := (&oauth2.Token{AccessToken: "x"}).WithExtra(map[string]any{
		"instance_url": "https://acme.my.salesforce.com",
		"id":           "https://login.salesforce.com/id/00D5g000004AbcdEAC/0055g00000AbCdEAAV",
		"scope":        "api refresh_token  full",
		"issued_at":    "1795420800123",
	})
	if got := InstanceURL(tok); got != "https://acme.my.salesforce.com" {
		t.Errorf("InstanceURL = %q", got)
	}
	if got := OrgID(tok); got != "00D5g000004AbcdEAC" {
		t.Errorf("OrgID = %q, want 00D5g000004AbcdEAC", got)
	}
	if got := UserID(tok); got != "0055g00000AbCdEAAV" {
		t.Errorf("UserID = %q, want 0055g00000AbCdEAAV", got)
	}
	if got, want := Scopes(tok), []string{"api", "refresh_token", "full"}; !slices.Equal(got, want) {
		t.Errorf("Scopes = %q, want %q", got, want)
	}
	if got, want := IssuedAt(tok), time.UnixMilli(1795420800123); !got.Equal(want) {
		t.Errorf("IssuedAt = %v, want %v", got, want)
	}
	empty := &oauth2.Token{AccessToken: "x"}
	for name, got := range map[string]string{"InstanceURL": InstanceURL(nil), "OrgID": OrgID(empty), "UserID": UserID(nil), "IdentityURL": IdentityURL(empty)} {
		if got != "" {
			t.Errorf("%s of a token without extras = %q, want empty", name, got)
		}
	}
	if Scopes(nil) != nil || !IssuedAt(empty).IsZero() {
		t.Errorf("Scopes/IssuedAt of a token without extras are not empty")
	}
	bad := (&oauth2.Token{}).WithExtra(map[string]any{"id": "https://login.salesforce.com/services/x"})
	if OrgID(bad) != "" || UserID(bad) != "" {
		t.Errorf("OrgID/UserID of a non-identity URL = %q/%q, want empty", OrgID(bad), UserID(bad))
	}
}

func TestTokenKeepsExtras(t *testing.T) {
	srv := newTokenServer(t, nil)
	ts, _ := newTestSource(t, srv.URL, nil)
	tok, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if InstanceURL(tok) != "https://acme.my.salesforce.com" || OrgID(tok) != "00D000000000001AAA" ||
		UserID(tok) != "005000000000001AAA" || !slices.Equal(Scopes(tok), []string{"api", "refresh_token"}) || IssuedAt(tok).IsZero() {
		t.Errorf("extras lost: instance %q org %q user %q scopes %q issued %v",
			InstanceURL(tok), OrgID(tok), UserID(tok), Scopes(tok), IssuedAt(tok))
	}
	if tok.Extra("access_token") != nil {
		t.Errorf("the access token is duplicated in the extras")
	}
}
