package jwtauth

import (
	"testing"
	"time"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// BenchmarkTokenCached is the hot path every REST call takes: a valid cached token.
func BenchmarkTokenCached(b *testing.B) {
	srv := sftest.NewServer(b)
	srv.AddCertificate(testCert())
	ts, err := New(Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername, Key: testKey(),
		InstanceURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ts.Token(); err != nil {
		b.Fatal(err)
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ts.Token(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := ts.Token(); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkAssertionSign measures building and RS256-signing one assertion (2048-bit key).
func BenchmarkAssertionSign(b *testing.B) {
	a := assertionSigner{clientID: sftest.DefaultClientID, username: sftest.DefaultUsername,
		audience: DefaultLoginURL, lifetime: MaxAssertionLifetime, key: testKey()}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.sign(now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdFetch measures a full login against sftest over HTTPS (kept-alive
// connection): sign, post, the emulator's signature check, parse and cache.
func BenchmarkColdFetch(b *testing.B) {
	srv := sftest.NewServer(b, sftest.Config{LoginRateLimit: 1 << 30})
	srv.AddCertificate(testCert())
	ts, err := New(Config{ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername, Key: testKey(),
		InstanceURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		tok, err := ts.Token()
		if err != nil {
			b.Fatal(err)
		}
		ts.Invalidate(tok)
	}
}
