package keystore

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"testing"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// TestShortProtectedKey is a regression test: keystore-go v4.5.0 panics (makeslice: len out
// of range) when a key entry's protected key is shorter than its salt plus check, so such a
// file must be refused as corrupt before the library sees it.
func TestShortProtectedKey(t *testing.T) {
	t.Parallel()
	f := testFixtures(t)
	blob, _ := asn1.Marshal(struct {
		Algo pkix.AlgorithmIdentifier
		Key  []byte
	}{pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 42, 2, 17, 1, 1}, Parameters: asn1.NullRawValue}, make([]byte, 10)})
	var b []byte
	b = binary.BigEndian.AppendUint32(b, jksMagic)
	b = binary.BigEndian.AppendUint32(b, 2)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint16(b, 1)
	b = append(b, '1')
	b = binary.BigEndian.AppendUint64(b, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(len(blob)))
	b = append(b, blob...)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint16(b, 5)
	b = append(b, "X.509"...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(f.cert.Raw)))
	b = append(b, f.cert.Raw...)
	b = withJKSDigest(append(b, make([]byte, 20)...), testPassword)
	for name, op := range map[string]func() error{
		"DecodeJKS":      func() error { _, err := DecodeJKS(b, []byte(testPassword), ""); return err },
		"List":           func() error { _, err := List(b, []byte(testPassword)); return err },
		"RenameJKSAlias": func() error { _, err := RenameJKSAlias(b, []byte(testPassword), "1", "a"); return err },
	} {
		if err := op(); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s = %v, want ErrCorrupt", name, err)
		}
	}
}

// TestPKCS12IterationLimit: a PKCS#12 file asking for more key-derivation iterations than
// MaxPKCS12Iterations is refused before the library spends CPU on it.
func TestPKCS12IterationLimit(t *testing.T) {
	t.Parallel()
	params := func(n int) []byte { // PBE parameters: SEQUENCE { salt, iterations }
		der, err := asn1.Marshal(struct {
			Salt       []byte
			Iterations int
		}{[]byte("saltsalt"), n})
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	if err := checkPKCS12Iterations(params(MaxPKCS12Iterations)); err != nil {
		t.Errorf("at the limit: %v, want nil", err)
	}
	if err := checkPKCS12Iterations(params(MaxPKCS12Iterations + 1)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("over the limit: %v, want ErrUnsupported", err)
	}
	// A real file: encode with 32768 iterations (INTEGER 00 80 00), then make every such
	// count 0x7FFFFF (8388607).
	f := testFixtures(t)
	for _, enc := range []*pkcs12.Encoder{pkcs12.Modern2023, pkcs12.LegacyDES} {
		data, err := enc.WithIterations(0x8000).Encode(f.key, f.cert, nil, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte{2, 3, 0, 0x80, 0}, []byte{2, 3, 0x7f, 0xff, 0xff})
		if _, err := DecodePKCS12(data, []byte(testPassword)); !errors.Is(err, ErrUnsupported) {
			t.Errorf("over the limit: %v, want ErrUnsupported", err)
		}
	}
}
