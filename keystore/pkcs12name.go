package keystore

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"slices"
	"unicode/utf16"
)

// go-pkcs12 writes no friendlyName, so keytool would call the entry "1" (the guide's
// problem). setPKCS12FriendlyName adds one to the key bag of a PKCS#12 file that go-pkcs12
// just wrote and recomputes the MAC over the changed content. It touches only the
// unencrypted SafeContents holding the shrouded key, where OpenSSL and Java put the key's
// friendlyName too.

var (
	oidSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
)

// errNoKeyBag means the PKCS#12 data has no key bag in an unencrypted part.
var errNoKeyBag = errors.New("no key bag in an unencrypted SafeContents")

// setPKCS12FriendlyName returns pfx with name as the friendlyName of its key bag.
func setPKCS12FriendlyName(pfx []byte, name string, password []byte) ([]byte, error) {
	top, err := children(pfx, asn1.TagSequence) // version, authSafe, macData
	if err != nil || len(top) != 3 {
		return nil, fmt.Errorf("PFX: %w", errOr(err))
	}
	authSafe, err := dataContentInfoOctets(top[1])
	if err != nil {
		return nil, err
	}
	safes, err := children(authSafe, asn1.TagSequence)
	if err != nil {
		return nil, err
	}
	done := false
	for i, ci := range safes {
		contents, err := dataContentInfoOctets(ci)
		if err != nil {
			continue // encrypted SafeContents: the certificates
		}
		newContents, ok, err := nameKeyBag(contents, name)
		if err != nil {
			return nil, err
		}
		if ok {
			safes[i] = dataContentInfo(newContents)
			done = true
			break
		}
	}
	if !done {
		return nil, errNoKeyBag
	}
	newAuthSafe := seq(safes...)
	macData, err := remac(top[2], newAuthSafe, password)
	if err != nil {
		return nil, err
	}
	return seq(top[0], dataContentInfo(newAuthSafe), macData), nil
}

// nameKeyBag adds the friendlyName attribute to the first key bag in a SafeContents.
func nameKeyBag(safeContents []byte, name string) ([]byte, bool, error) {
	bags, err := children(safeContents, asn1.TagSequence)
	if err != nil {
		return nil, false, err
	}
	for i, bag := range bags {
		parts, err := children(bag, asn1.TagSequence) // bagId, [0] bagValue, attributes SET
		if err != nil || len(parts) < 2 {
			return nil, false, fmt.Errorf("SafeBag: %w", errOr(err))
		}
		var id asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(parts[0], &id); err != nil {
			return nil, false, err
		}
		if !id.Equal(oidShroudedKeyBag) && !id.Equal(oidKeyBag) {
			continue
		}
		var attrs [][]byte
		if len(parts) == 3 {
			if attrs, err = children(parts[2], asn1.TagSet); err != nil {
				return nil, false, err
			}
		}
		attrs = append(attrs, friendlyNameAttribute(name))
		slices.SortFunc(attrs, bytes.Compare) // DER orders SET OF by encoding
		bags[i] = seq(parts[0], parts[1], wrap(asn1.ClassUniversal, asn1.TagSet, attrs...))
		return seq(bags...), true, nil
	}
	return nil, false, nil
}

func friendlyNameAttribute(name string) []byte {
	u := utf16.Encode([]rune(name))
	bmp := make([]byte, 0, 2*len(u))
	for _, c := range u {
		bmp = append(bmp, byte(c>>8), byte(c))
	}
	oid, _ := asn1.Marshal(oidFriendlyName)
	value, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagBMPString, Bytes: bmp})
	return seq(oid, wrap(asn1.ClassUniversal, asn1.TagSet, value))
}

// remac recomputes the MacData of a PFX over content (the AuthenticatedSafe DER).
func remac(macData, content, password []byte) ([]byte, error) {
	parts, err := children(macData, asn1.TagSequence) // DigestInfo, macSalt, iterations
	if err != nil || len(parts) < 2 {
		return nil, fmt.Errorf("MacData: %w", errOr(err))
	}
	digestInfo, err := children(parts[0], asn1.TagSequence) // AlgorithmIdentifier, digest
	if err != nil || len(digestInfo) != 2 {
		return nil, fmt.Errorf("DigestInfo: %w", errOr(err))
	}
	var alg struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	var salt []byte
	iterations := 1
	if _, err := asn1.Unmarshal(digestInfo[0], &alg); err != nil {
		return nil, err
	}
	if _, err := asn1.Unmarshal(parts[1], &salt); err != nil {
		return nil, err
	}
	if len(parts) > 2 {
		if _, err := asn1.Unmarshal(parts[2], &iterations); err != nil {
			return nil, err
		}
	}
	var h func() hash.Hash
	switch {
	case alg.Algorithm.Equal(oidSHA1):
		h = sha1.New
	case alg.Algorithm.Equal(oidSHA256):
		h = sha256.New
	default:
		return nil, fmt.Errorf("%w: MAC algorithm %v", ErrUnsupported, alg.Algorithm)
	}
	key := pkcs12KDF(h, bmpPassword(password), salt, 3, iterations, h().Size())
	mac := hmac.New(h, key)
	mac.Write(content)
	digest, _ := asn1.Marshal(mac.Sum(nil))
	parts[0] = seq(digestInfo[0], digest)
	return seq(parts...), nil
}

// bmpPassword encodes a password as PKCS#12 wants it: UTF-16BE with two zero bytes at the end.
func bmpPassword(password []byte) []byte {
	u := utf16.Encode([]rune(string(password)))
	out := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		out = append(out, byte(c>>8), byte(c))
	}
	return append(out, 0, 0)
}

// pkcs12KDF is the key derivation of RFC 7292 appendix B.2 with hash h, purpose id (3 = MAC
// key), and n output bytes.
func pkcs12KDF(h func() hash.Hash, password, salt []byte, id byte, iterations, n int) []byte {
	u, v := h().Size(), h().BlockSize()
	d := bytes.Repeat([]byte{id}, v)
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	I := append(fill(salt), fill(password)...)
	var out []byte
	for len(out) < n {
		hh := h()
		hh.Write(d)
		hh.Write(I)
		a := hh.Sum(nil)
		for r := 1; r < iterations; r++ {
			hh.Reset()
			hh.Write(a)
			a = hh.Sum(a[:0])
		}
		out = append(out, a...)
		if len(out) >= n {
			break
		}
		b := make([]byte, v)
		for i := range b {
			b[i] = a[i%u]
		}
		for j := 0; j < len(I); j += v { // I_j = (I_j + B + 1) mod 2^v
			carry := 1
			for k := v - 1; k >= 0; k-- {
				sum := int(I[j+k]) + int(b[k]) + carry
				I[j+k] = byte(sum)
				carry = sum >> 8
			}
		}
	}
	return out[:n]
}

// dataContentInfoOctets returns the octets of a ContentInfo of type data.
func dataContentInfoOctets(der []byte) ([]byte, error) {
	var ci contentInfo
	if rest, err := asn1.Unmarshal(der, &ci); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("ContentInfo: %w", errOr(err))
	}
	return dataContent(ci)
}

// dataContentInfo encodes octets as a ContentInfo of type data.
func dataContentInfo(octets []byte) []byte {
	oid, _ := asn1.Marshal(oidData)
	os, _ := asn1.Marshal(octets)
	return seq(oid, wrap(asn1.ClassContextSpecific, 0, os))
}

// children returns the encodings of the elements of a constructed DER value with tag.
func children(der []byte, tag int) ([][]byte, error) {
	var rv asn1.RawValue
	rest, err := asn1.Unmarshal(der, &rv)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 || rv.Class != asn1.ClassUniversal || rv.Tag != tag || !rv.IsCompound {
		return nil, errors.New("unexpected ASN.1 element")
	}
	var out [][]byte
	for b := rv.Bytes; len(b) > 0; {
		var c asn1.RawValue
		if b, err = asn1.Unmarshal(b, &c); err != nil {
			return nil, err
		}
		out = append(out, c.FullBytes)
	}
	return out, nil
}

func seq(elems ...[]byte) []byte { return wrap(asn1.ClassUniversal, asn1.TagSequence, elems...) }

// wrap encodes elems as the content of a constructed value with class and tag.
func wrap(class, tag int, elems ...[]byte) []byte {
	out, _ := asn1.Marshal(asn1.RawValue{Class: class, Tag: tag, IsCompound: true, Bytes: bytes.Join(elems, nil)})
	return out
}

func errOr(err error) error {
	if err != nil {
		return err
	}
	return errors.New("unexpected structure")
}
