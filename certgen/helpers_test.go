package certgen

import (
	"crypto/rsa"
	"sync"
	"testing"
)

// testKey is an RSA-2048 key generated once per test run. It is a test key: never use it for
// anything else.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	return k
})

// otherKey is a second test key, for mismatch cases.
var otherKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	return k
})

func testSubject() Subject {
	return Subject{Country: "US", State: "California", Locality: "San Francisco", Organization: "Acme Corp"}
}

// fastEncrypt encodes key with few PBKDF2 iterations: tests need the format, not the strength.
func fastEncrypt(t testing.TB, key *rsa.PrivateKey, password string) []byte {
	t.Helper()
	pemBytes, err := EncodeEncryptedPKCS8PEM(key, []byte(password), &EncryptOptions{Iterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return pemBytes
}
