package jwtauth

import "fmt"

// String describes the source without secrets: the flow's token URL and audience.
func (s *TokenSource) String() string {
	if s == nil {
		return "jwtauth.TokenSource(nil)"
	}
	return fmt.Sprintf("jwtauth.TokenSource{TokenURL: %q, Audience: %q}", s.settings.tokenURL, s.audience)
}

// GoString is String, so %#v cannot print the key or the cached token either.
func (s *TokenSource) GoString() string { return s.String() }

// String prints the Config with the key, its PEM and its password replaced by a marker.
func (c Config) String() string {
	key := "<nil>"
	if c.Key != nil {
		key = fmt.Sprintf("%T(redacted)", c.Key)
	}
	pw, pem := "", ""
	if c.KeyPassword != nil {
		pw = "(redacted)"
	}
	if c.KeyPEM != nil {
		pem = "(redacted)"
	}
	return fmt.Sprintf("jwtauth.Config{ClientID: %q, Username: %q, Key: %s, KeyFile: %q, KeyPEM: %q, KeyPassword: %q, InstanceURL: %q, LoginURL: %q, Audience: %q}",
		c.ClientID, c.Username, key, c.KeyFile, pem, pw, c.InstanceURL, c.LoginURL, c.Audience)
}

// GoString is String.
func (c Config) GoString() string { return c.String() }

// String prints the config with the client secret replaced by a marker.
func (c ClientCredentialsConfig) String() string {
	secret := ""
	if c.ClientSecret != "" {
		secret = "(redacted)"
	}
	return fmt.Sprintf("jwtauth.ClientCredentialsConfig{ClientID: %q, ClientSecret: %q, InstanceURL: %q}", c.ClientID, secret, c.InstanceURL)
}

// GoString is String.
func (c ClientCredentialsConfig) GoString() string { return c.String() }
