package main

import (
	"crypto/x509"
	"fmt"
	"io"
	"time"

	"github.com/cytechint/sfjwt/certgen"
	"github.com/cytechint/sfjwt/jwtauth"
	"github.com/cytechint/sfjwt/sfclient/sftest"
)

// emulatedOrg starts an emulated org (sftest), does the guide's set-up against it (a fresh
// key whose certificate is uploaded to the External Client App) and fills its LoginHistory
// with one login a minute over the last hour. Each login's Id comes from its minute, so
// successive offline runs see one growing history, as they would in a real org.
func emulatedOrg(stdout io.Writer) (jwtauth.Config, func(), error) {
	key, err := certgen.GenerateKey(certgen.DefaultKeyBits)
	if err != nil {
		return jwtauth.Config{}, nil, err
	}
	subject := certgen.Subject{Country: "US", State: "California", Locality: "San Francisco", Organization: "Example Corp"}
	der, err := certgen.SelfSigned(key, subject, certgen.CertOptions{})
	if err != nil {
		return jwtauth.Config{}, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return jwtauth.Config{}, nil, err
	}
	userID, _ := sftest.To18("005000000000001")
	srv, err := sftest.New(sftest.Config{
		NoSampleData: true,
		Users:        []sftest.User{{ID: userID, Username: sftest.DefaultUsername}},
	})
	if err != nil {
		return jwtauth.Config{}, nil, err
	}
	srv.StartTLS()
	srv.AddCertificate(cert) // guide step 9: upload server.crt to the External Client App
	if _, err := srv.AddRecords("LoginHistory", minuteLogins(userID, time.Now())...); err != nil {
		srv.Close()
		return jwtauth.Config{}, nil, err
	}
	fmt.Fprintf(stdout, "offline: emulated org at %s (set SFJWT_INSTANCE_URL and friends for a real org)\n", srv.URL)
	return jwtauth.Config{
		InstanceURL: srv.URL, ClientID: sftest.DefaultClientID, Username: sftest.DefaultUsername,
		Key: key, HTTPClient: srv.Client(),
	}, srv.Close, nil
}

// minuteLogins returns a login of userID at the start of each of the 60 minutes up to now,
// with an Id derived from the minute.
func minuteLogins(userID string, now time.Time) []sftest.Record {
	last := now.UTC().Truncate(time.Minute)
	var logins []sftest.Record
	for at := last.Add(-59 * time.Minute); !at.After(last); at = at.Add(time.Minute) {
		login := sftest.LoginHistoryRecords(1, userID, at, 0)[0]
		login["Id"], _ = sftest.To18(fmt.Sprintf("0Ya%012d", at.Unix()/60))
		logins = append(logins, login)
	}
	return logins
}
