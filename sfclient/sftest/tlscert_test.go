package sftest_test

import (
	"crypto/x509"
	"net"
	"slices"
	"testing"

	"github.com/cytechint/sfjwt/sfclient/sftest"
)

func TestNewTLSCertificateHosts(t *testing.T) {
	t.Parallel()
	cert, err := sftest.NewTLSCertificate("10.1.2.3", "emulator.test", "localhost", "127.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"localhost", "emulator.test", "127.0.0.1", "::1", "10.1.2.3"} {
		if err := c.VerifyHostname(host); err != nil {
			t.Errorf("certificate does not cover %s: %v", host, err)
		}
	}
	if n := len(c.DNSNames); n != 2 || !slices.Contains(c.DNSNames, "emulator.test") {
		t.Errorf("DNS names = %v, want localhost and emulator.test once each", c.DNSNames)
	}
	if !c.IsCA || !slices.ContainsFunc(c.IPAddresses, func(ip net.IP) bool { return ip.Equal(net.ParseIP("10.1.2.3")) }) {
		t.Errorf("IsCA = %v, IPs = %v", c.IsCA, c.IPAddresses)
	}
}
