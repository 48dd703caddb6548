package keystore

import (
	"encoding/asn1"
	"fmt"
	"math/big"
)

// MaxPKCS12Iterations is the largest key-derivation iteration count accepted when reading a
// PKCS#12 file. OpenSSL 3 writes 2048, Java 17 10000; the PKCS#12 library has no limit, so a
// damaged or hostile file asking for billions would keep the CPU busy for hours.
const MaxPKCS12Iterations = 1_000_000

// maxASN1Depth bounds the walk through nested DER.
const maxASN1Depth = 24

// checkPKCS12Iterations walks the unencrypted DER of a PKCS#12 file and refuses it when an
// iteration count is above MaxPKCS12Iterations. Iteration counts are the INTEGER that
// follows the salt OCTET STRING in PBE parameters, PBKDF2 parameters and MacData; any such
// pair is checked. OCTET STRINGs that hold DER (ContentInfo data, SafeContents) are walked
// into; encrypted parts are opaque and hold no parameters.
func checkPKCS12Iterations(data []byte) error {
	return walkIterations(data, 0)
}

func walkIterations(der []byte, depth int) error {
	if depth > maxASN1Depth {
		return nil
	}
	prevOctets := false
	for len(der) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(der, &v)
		if err != nil {
			return nil // not DER here; the PKCS#12 parser reports real damage
		}
		der = rest
		switch {
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagInteger && prevOctets:
			if n := new(big.Int).SetBytes(v.Bytes); len(v.Bytes) > 0 && v.Bytes[0]&0x80 == 0 && n.Cmp(big.NewInt(MaxPKCS12Iterations)) > 0 {
				return fmt.Errorf("keystore: %w: the PKCS#12 file asks for %s key-derivation iterations, more than the %d accepted (a damaged or hostile file?)",
					ErrUnsupported, n, MaxPKCS12Iterations)
			}
		case v.IsCompound:
			if err := walkIterations(v.Bytes, depth+1); err != nil {
				return err
			}
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString && len(v.Bytes) > 0 && v.Bytes[0] == 0x30:
			if err := walkIterations(v.Bytes, depth+1); err != nil {
				return err
			}
		}
		prevOctets = v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString
	}
	return nil
}
