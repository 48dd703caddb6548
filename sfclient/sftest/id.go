package sftest

import (
	"crypto/rand"
	"strings"
)

// Key prefixes of the sObjects the emulator knows, as Salesforce assigns them. The first three
// characters of every record ID name its object.
const (
	prefixOrganization    = "00D"
	prefixUser            = "005"
	prefixAccount         = "001"
	prefixContact         = "003"
	prefixProfile         = "00e"
	prefixPermissionSet   = "0PS"
	prefixEventLogFile    = "0AT"
	prefixLoginHistory    = "0Ya"
	prefixSetupAuditTrail = "0Ym"
	prefixQueryLocator    = "01g"
	prefixScratchOrgInfo  = "2SR"
)

// idChecksumAlphabet maps a 5-bit value to the character Salesforce appends for it.
const idChecksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

// idAlphabet is the set of characters of a 15-character Salesforce ID (base 62).
const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// IDChecksum returns the three-character case-safe suffix that turns the 15-character,
// case-sensitive Salesforce ID id15 into its 18-character form. Each suffix character encodes,
// for one block of five characters, which of them are upper-case letters (bit i set when
// character i of the block is in A–Z). It reports false when id15 is not 15 characters of the
// Salesforce ID alphabet.
func IDChecksum(id15 string) (string, bool) {
	if len(id15) != 15 {
		return "", false
	}
	var b strings.Builder
	for block := 0; block < 3; block++ {
		v := 0
		for i := 0; i < 5; i++ {
			c := id15[block*5+i]
			if strings.IndexByte(idAlphabet, c) < 0 {
				return "", false
			}
			if c >= 'A' && c <= 'Z' {
				v |= 1 << i
			}
		}
		b.WriteByte(idChecksumAlphabet[v])
	}
	return b.String(), true
}

// To18 converts a 15-character Salesforce ID to its 18-character case-safe form. An
// 18-character ID is returned unchanged if its suffix is right. Anything else reports false.
func To18(id string) (string, bool) {
	switch len(id) {
	case 15:
		sum, ok := IDChecksum(id)
		if !ok {
			return "", false
		}
		return id + sum, true
	case 18:
		sum, ok := IDChecksum(id[:15])
		if !ok || !strings.EqualFold(sum, id[15:]) {
			return "", false
		}
		return id[:15] + sum, true
	}
	return "", false
}

// idGen mints Salesforce-shaped IDs. It is not safe for concurrent use; the server holds its
// lock while minting.
type idGen struct {
	// pod is the two characters after the key prefix (the instance), fixed per org.
	pod  string
	next map[string]uint64
}

func newIDGen(pod string) *idGen {
	return &idGen{pod: pod, next: make(map[string]uint64)}
}

// newID returns the next 18-character ID for prefix: prefix, the org's two pod characters,
// a reserved '0', a 9-character base-62 counter, and the checksum.
func (g *idGen) newID(prefix string) string {
	g.next[prefix]++
	n := g.next[prefix]
	// Start every sequence at a realistic-looking mixed-case value so case matters.
	return makeID(prefix, g.pod, n+uint64(0x5f3a1c))
}

func makeID(prefix, pod string, n uint64) string {
	var digits [9]byte
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = idAlphabet[n%62]
		n /= 62
	}
	id15 := prefix + pod + "0" + string(digits[:])
	sum, _ := IDChecksum(id15)
	return id15 + sum
}

// randomPod returns two random base-62 characters for an org's pod identifier.
func randomPod() string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return string([]byte{idAlphabet[int(b[0])%62], idAlphabet[int(b[1])%62]})
}

// randomToken returns n random characters of alphabet.
func randomToken(n int, alphabet string) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf) // never fails: crypto/rand crashes the program instead
	for i, c := range buf {
		buf[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(buf)
}
