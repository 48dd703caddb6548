module github.com/cytechint/sfjwt

go 1.24.0

require (
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	github.com/pavlo-v-chernykh/keystore-go/v4 v4.5.0 // indirect
	golang.org/x/crypto v0.44.0 // indirect
	golang.org/x/oauth2 v0.35.0 // indirect
	golang.org/x/sys v0.41.0 // indirect
	golang.org/x/term v0.40.0 // indirect
	software.sslmate.com/src/go-pkcs12 v0.7.4 // indirect
)
