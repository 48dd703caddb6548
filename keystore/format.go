package keystore

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"fmt"
)

// Format is a keystore file format.
type Format int

// The formats DetectFormat recognises.
const (
	FormatUnknown Format = iota // neither of the below
	FormatJKS                   // Java KeyStore (magic 0xFEEDFEED), what Salesforce imports
	FormatPKCS12                // PKCS#12 / PFX (DER), what OpenSSL writes
)

// String returns "JKS", "PKCS#12" or "unknown".
func (f Format) String() string {
	switch f {
	case FormatJKS:
		return "JKS"
	case FormatPKCS12:
		return "PKCS#12"
	}
	return "unknown"
}

const (
	jksMagic   = 0xFEEDFEED
	jceksMagic = 0xCECECECE
	jksDigest  = 20 // SHA-1
)

// DetectFormat tells a JKS from a PKCS#12 keystore by content, not by file name. It only looks
// at the first bytes, so a truncated or damaged file is still recognised (and then fails to
// load with ErrCorrupt).
func DetectFormat(data []byte) Format {
	if len(data) >= 4 && binary.BigEndian.Uint32(data) == jksMagic {
		return FormatJKS
	}
	if looksLikePKCS12(data) {
		return FormatPKCS12
	}
	return FormatUnknown
}

// looksLikePKCS12 checks for a DER SEQUENCE whose first element is INTEGER 3 (PFX version 3).
func looksLikePKCS12(data []byte) bool {
	if len(data) < 2 || data[0] != 0x30 {
		return false
	}
	i := 2
	if l := data[1]; l&0x80 != 0 { // long form; 0x80 alone is BER's indefinite length
		n := int(l & 0x7f)
		if n > 4 {
			return false
		}
		i += n
	}
	return len(data) >= i+3 && data[i] == 0x02 && data[i+1] == 0x01 && data[i+2] == 0x03
}

// unknownFormatError explains what the data seems to be instead of a keystore.
func unknownFormatError(data []byte) error {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(data) == 0:
		return fmt.Errorf("keystore: %w: the file is empty", ErrUnknownFormat)
	case len(data) >= 4 && binary.BigEndian.Uint32(data) == jceksMagic:
		return fmt.Errorf("keystore: %w: this is a JCEKS keystore; convert it with keytool -importkeystore -deststoretype JKS", ErrUnknownFormat)
	case bytes.HasPrefix(trimmed, []byte("-----BEGIN")):
		return fmt.Errorf("keystore: %w: this is a PEM file (a key or certificate); export a keystore from it with \"sfjwt keystore export --key KEY --cert CERT\"", ErrUnknownFormat)
	}
	return fmt.Errorf("keystore: %w: expected a JKS (.jks) or PKCS#12 (.p12/.pfx) file", ErrUnknownFormat)
}

// checkJKSStructure walks a JKS file and checks that every length fits in the data, so the
// JKS library never allocates from a forged length. It does not check the digest.
func checkJKSStructure(data []byte) error {
	r := jksReader{b: data}
	magic, version, count := r.u32(), r.u32(), r.u32()
	if r.err != nil || magic != jksMagic {
		return corruptJKS("header")
	}
	if version != 1 && version != 2 {
		return fmt.Errorf("keystore: %w: JKS version %d", ErrUnsupported, version)
	}
	for i := uint32(0); i < count && r.err == nil; i++ {
		tag := r.u32()
		r.skip(int(r.u16())) // alias
		r.skip(8)            // creation time in ms
		switch tag {
		case 1: // private key entry
			if !protectedKeyOK(r.take(int(r.u32()))) {
				return corruptJKS(fmt.Sprintf("entry %d has a protected key too short to decrypt", i+1))
			}
			n := r.u32()
			if uint64(n) > uint64(len(r.b)) { // every certificate takes at least one byte
				return corruptJKS("certificate count")
			}
			for j := uint32(0); j < n && r.err == nil; j++ {
				r.cert(version)
			}
		case 2: // trusted certificate entry
			r.cert(version)
		default:
			if r.err == nil {
				return corruptJKS(fmt.Sprintf("entry %d has unknown type %d", i+1, tag))
			}
		}
	}
	r.skip(jksDigest)
	if r.err != nil {
		return corruptJKS("an entry runs past the end of the file")
	}
	if len(r.b) != 0 {
		return corruptJKS(fmt.Sprintf("%d bytes after the digest", len(r.b)))
	}
	return nil
}

// protectedKey is the EncryptedPrivateKeyInfo of a JKS key entry; its data is a 20-byte salt,
// the XOR-encrypted key and a 20-byte SHA-1 check.
type protectedKey struct {
	Algo pkix.AlgorithmIdentifier
	Data []byte
}

// protectedKeyOK reports whether a key blob that parses is long enough for its salt and
// check: the JKS library would panic on a shorter one. Blobs that do not parse are left to
// the library, which reports them.
func protectedKeyOK(blob []byte) bool {
	var pk protectedKey
	if _, err := asn1.Unmarshal(blob, &pk); err != nil {
		return true
	}
	return len(pk.Data) >= 2*jksDigest
}

func corruptJKS(what string) error {
	return fmt.Errorf("keystore: %w: JKS structure: %s", ErrCorrupt, what)
}

// jksReader reads big-endian fields and remembers the first overrun.
type jksReader struct {
	b   []byte
	err error
}

func (r *jksReader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = ErrCorrupt
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *jksReader) skip(n int) { r.take(n) }

func (r *jksReader) u16() uint16 {
	if p := r.take(2); p != nil {
		return binary.BigEndian.Uint16(p)
	}
	return 0
}

func (r *jksReader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (r *jksReader) cert(version uint32) {
	if version == 2 {
		r.skip(int(r.u16())) // certificate type, "X.509"
	}
	n := r.u32()
	if uint64(n) > uint64(len(r.b)) {
		r.err = ErrCorrupt
		return
	}
	r.skip(int(n))
}
