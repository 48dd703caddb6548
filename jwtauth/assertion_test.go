package jwtauth

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// decodeSegment base64url-decodes one JWT segment into a map, keeping numbers as json.Number.
func decodeSegment(t *testing.T, seg string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("segment is not base64url: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("segment is not a JSON object: %v", err)
	}
	return m
}

func TestAssertionHeaderAndClaims(t *testing.T) {
	a := assertionSigner{clientID: "3MVG9TestClientID", username: "integration@example.com",
		audience: "https://test.salesforce.com", lifetime: 3 * time.Minute, key: testKey()}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	s, err := a.sign(now)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		t.Fatalf("assertion has %d parts, want 3", len(parts))
	}
	rawHeader, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if got, want := string(rawHeader), `{"alg":"RS256","typ":"JWT"}`; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	claims := decodeSegment(t, parts[1])
	wantStrings := map[string]string{"iss": "3MVG9TestClientID", "sub": "integration@example.com", "aud": "https://test.salesforce.com"}
	for k, want := range wantStrings {
		if got, ok := claims[k].(string); !ok || got != want {
			t.Errorf("claim %s = %#v, want %q", k, claims[k], want)
		}
	}
	wantNumbers := map[string]int64{"exp": now.Unix() + 180, "iat": now.Unix()}
	for k, want := range wantNumbers {
		n, ok := claims[k].(json.Number)
		if !ok {
			t.Errorf("claim %s = %#v, want a JSON number", k, claims[k])
			continue
		}
		if got, _ := n.Int64(); got != want {
			t.Errorf("claim %s = %d, want %d (seconds)", k, got, want)
		}
	}
	jti, _ := claims["jti"].(string)
	if len(jti) < 20 {
		t.Errorf("jti = %q, want a random id of at least 128 bits", jti)
	}
	if len(claims) != 6 {
		t.Errorf("claims = %v, want exactly iss, sub, aud, exp, iat, jti", claims)
	}
	// The signature verifies with the public key (what Salesforce checks against the certificate).
	_, err = jwt.Parse(s, func(*jwt.Token) (any, error) { return &testKey().PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		t.Errorf("signature does not verify: %v", err)
	}
	s2, err := a.sign(now)
	if err != nil {
		t.Fatal(err)
	}
	if jti2, _ := decodeSegment(t, strings.Split(s2, ".")[1])["jti"].(string); jti2 == jti {
		t.Errorf("two assertions share jti %q", jti)
	}
}

func TestAssertionWithOpaqueSigner(t *testing.T) {
	a := assertionSigner{clientID: "id", username: "u", audience: "https://login.salesforce.com",
		lifetime: time.Minute, key: opaqueSigner{testKey()}}
	s, err := a.sign(time.Now())
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	if _, err := jwt.Parse(s, func(*jwt.Token) (any, error) { return &testKey().PublicKey, nil }); err != nil {
		t.Errorf("signature of an opaque signer does not verify: %v", err)
	}
}
