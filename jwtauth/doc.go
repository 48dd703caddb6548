// Package jwtauth logs in to Salesforce with the OAuth 2.0 JWT bearer flow (and the client
// credentials flow) and hands out the access tokens as an oauth2.TokenSource.
//
// It is the step the setup guide leaves to the SIEM: with the key made in the guide's
// "Creating a Private Key" steps, the certificate uploaded in Step 9, the Client ID found under
// "How to Find Client ID (Consumer Key)" and the pre-authorized user of Step 12, New returns a
// TokenSource that signs a short RS256 assertion, posts it to /services/oauth2/token and
// caches the answer.
//
// Why not golang.org/x/oauth2/jwt: Salesforce sends no expires_in, so that package's token
// never expires and is reused forever, and its default audience (the token URL) is one
// Salesforce refuses. Here the expiry comes from the app's session timeout
// (Config.TokenLifetime, the guide's 15 minutes), the token is refreshed a margin before it,
// the audience is derived from the login host the way Salesforce expects (see
// DefaultAudience), and a refused login becomes a *TokenError whose Hint names the setup-guide
// step that fixes it.
//
// A TokenSource is safe for concurrent use. A cached token is returned without locking or
// allocating; when a new token is needed exactly one request runs and every caller waiting
// for it shares its result. Invalidate drops a token the server refused (HTTP 401) unless a
// newer one has already replaced it, so N goroutines that see the same 401 cause one login.
//
// Keep one TokenSource per user and app for the whole process: every login counts against
// Salesforce's 3,600 logins per user per hour, and Salesforce keeps only a handful of access
// tokens per user and app (a new login can revoke the oldest), so sources that each log in
// on their own invalidate each other.
//
// Contexts: TokenContext takes the caller's context and bounds only that caller's wait;
// Token, the oauth2.TokenSource method, uses none. A fetch runs under its own context,
// bounded by the HTTP client's timeout, the retry count and a two-minute budget, and is
// cancelled when every caller waiting for it has given up. No context is ever stored.
//
// Entry points: New (JWT bearer), NewClientCredentials (client credentials, My Domain only),
// the token helpers InstanceURL, OrgID, UserID and Scopes, and DefaultAudience.
//
// What it does not do: the authorization-code, refresh-token or username-password flows,
// storing tokens on disk, or REST calls (see package sfclient).
//
// Keys, assertions, client secrets and access tokens never appear in errors or log records.
package jwtauth
