package sftest

import "errors"

// Errors returned by the Server's Go methods (not the HTTP errors, which follow Salesforce).
var (
	// ErrUnknownUser reports a username the org does not have.
	ErrUnknownUser = errors.New("sftest: unknown user")
	// ErrUnknownApp reports a consumer key no app of the org has.
	ErrUnknownApp = errors.New("sftest: unknown app")
	// ErrUnknownSObject reports an sObject type the org does not have or that cannot take
	// the operation.
	ErrUnknownSObject = errors.New("sftest: unknown sObject type")
	// ErrInvalidRecord reports a record that cannot be stored (bad field name, bad value,
	// explicit Id of the wrong type).
	ErrInvalidRecord = errors.New("sftest: invalid record")
	// ErrInvalidConfig reports a Config that cannot describe an org.
	ErrInvalidConfig = errors.New("sftest: invalid config")
	// ErrNotRSA reports a certificate whose public key is not RSA; Salesforce only accepts
	// RSA keys for the JWT bearer flow.
	ErrNotRSA = errors.New("sftest: certificate key is not RSA")
)
