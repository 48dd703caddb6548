package sftest

import (
	"crypto/x509"
	"log/slog"
	"time"
)

// Defaults used when a Config leaves the org, its users or its apps empty.
const (
	// DefaultClientID is the consumer key of the default External Client App.
	DefaultClientID = "3MVG9sftestDefaultConsumerKey.EmulatedExternalClientApp0000000000000000000000"
	// DefaultClientSecret is the consumer secret of the default External Client App. It is a
	// test value, not a secret.
	DefaultClientSecret = "SFTEST0DEFAULT0CONSUMER0SECRET0000000000000000000000000000000001"
	// DefaultUsername is the username of the default active user.
	DefaultUsername = "integration@sftest.example.com"
	// DefaultProfile is the profile of the default user, pre-authorized on the default app.
	DefaultProfile = "System Administrator"
	// DefaultOrgName is the Organization.Name of a zero Config.
	DefaultOrgName = "sftest Emulated Org"
	// DefaultSessionTimeout is the session timeout of an app that sets none (the setup guide's
	// value).
	DefaultSessionTimeout = 15 * time.Minute
	// DefaultDailyAPILimit is the daily API request allocation of a zero Config.
	DefaultDailyAPILimit = 100000
	// DefaultLoginRateLimit is Salesforce's limit of logins per user per hour.
	DefaultLoginRateLimit = 3600
	// DefaultAPIVersion is the newest API version a zero Config serves (Spring '26).
	DefaultAPIVersion = "66.0"
)

// Record is one sObject row: field API names to values. Values are string, bool, int or
// int64, float64, json.Number, time.Time or nil; date and date-time fields also take
// Salesforce's date-time text ("2026-01-31T10:00:00.000+0000") and RFC 3339.
type Record = map[string]any

// Config describes the emulated org. The zero value is a working production org with one
// active user (DefaultUsername), one installed External Client App (DefaultClientID) with the
// JWT bearer flow on, admin-approved for the user's profile, and a 15-minute session timeout.
// Register a certificate with (*Server).AddCertificate and a JWT login works.
type Config struct {
	// Org is the organization. Zero fields get defaults (a fresh 00D ID, DefaultOrgName,
	// production, instance "EMU1").
	Org Org
	// Users are the org's users. Nil means one active user named DefaultUsername with
	// DefaultProfile.
	Users []User
	// Apps are the External Client Apps; the first is the default app of AddCertificate and
	// IssueToken. Empty means DefaultApp(). An App listed here is used as written: set
	// Installed and JWTBearer yourself.
	Apps []App
	// ExtraAudiences are accepted as JWT "aud" besides the server's own URL and the login
	// host (https://login.salesforce.com, or https://test.salesforce.com for a sandbox),
	// for example an Experience Cloud site URL.
	ExtraAudiences []string
	// APIVersions are the REST API versions served, like "66.0". Nil means 31.0 to
	// DefaultAPIVersion.
	APIVersions []string
	// DailyAPILimit is the daily API request allocation. Zero means DefaultDailyAPILimit.
	DailyAPILimit int
	// LoginRateLimit is the number of logins allowed per user per hour. Zero means
	// DefaultLoginRateLimit (3,600).
	LoginRateLimit int
	// APIAccessControl models "API Access Control" (restricted access to APIs): a user whose
	// profile and permission sets are not approved for the app (and who lacks Use Any API
	// Client) is refused with invalid_app_access instead of "user hasn't approved this
	// consumer".
	APIAccessControl bool
	// DevHub makes the org a Dev Hub: ScratchOrgInfo exists and can be queried.
	DevHub bool
	// Clock returns the current time. Nil means time.Now. Token expiry, login rate, the
	// daily limit window, date literals and CreatedDate all use it.
	Clock func() time.Time
	// Records are extra rows seeded per sObject name, as (*Server).AddRecords would add them.
	Records map[string][]Record
	// EventLogFiles are seeded EventLogFile rows with their bodies.
	EventLogFiles []EventLogFile
	// HTTP2 offers HTTP/2 (as Salesforce does) besides HTTP/1.1 on StartTLS. CutAfter then
	// resets the stream instead of closing the connection.
	HTTP2 bool
	// RecordLogins makes every successful login add a LoginHistory row (LoginType
	// "Remote Access 2.0", Status "Success"), as Salesforce does. Off by default so that
	// tests counting LoginHistory rows see only the rows they added.
	RecordLogins bool
	// Log, if set, receives one Info record per request served (method, path, status, bytes;
	// never tokens or bodies).
	Log *slog.Logger
	// NoSampleData leaves out the sample rows a zero Config seeds: three Accounts, three
	// Contacts, five LoginHistory, three SetupAuditTrail and two EventLogFile rows.
	NoSampleData bool
}

// Org describes the organization.
type Org struct {
	// ID is the 18-character organization ID (00D…). Empty means a fresh one.
	ID string
	// Name is Organization.Name. Empty means DefaultOrgName.
	Name string
	// Sandbox makes the org a sandbox: JWT "aud" https://test.salesforce.com instead of
	// https://login.salesforce.com, and Organization.IsSandbox true.
	Sandbox bool
	// InstanceName is Organization.InstanceName, like "NA224". Empty means "EMU1".
	InstanceName string
	// OrganizationType is Organization.OrganizationType. Empty means "Enterprise Edition".
	OrganizationType string
	// NamespacePrefix is Organization.NamespacePrefix. Empty means none (null).
	NamespacePrefix string
}

// User is one Salesforce user.
type User struct {
	// ID is the 18-character user ID (005…). Empty means a fresh one.
	ID string
	// Username is the login name, like a@b.example. Required.
	Username string
	// FirstName, LastName and Email fill the User record. Empty means values derived from
	// the username.
	FirstName, LastName, Email string
	// Inactive deactivates the user: logins fail with "inactive user".
	Inactive bool
	// Frozen freezes the user: logins fail with "inactive user".
	Frozen bool
	// Profile is the profile name. Empty means DefaultProfile.
	Profile string
	// PermissionSets are the names of the permission sets assigned to the user.
	PermissionSets []string
	// UseAnyAPIClient grants the "Use Any API Client" permission: the user may use any app,
	// even admin-approved-only ones he is not approved for.
	UseAnyAPIClient bool
	// NoEventLogFileAccess takes away "View Event Log Files": as in Salesforce, the
	// EventLogFile object is then invisible to the user — a query gives INVALID_TYPE and its
	// sObject resources NOT_FOUND. The zero value grants access.
	NoEventLogFileAccess bool
}

// PermittedUsers is an app's "Permitted Users" policy.
type PermittedUsers int

const (
	// AdminApproved is "Admin approved users are pre-authorized": the user's profile or one
	// of his permission sets must be listed in App.Profiles or App.PermissionSets.
	AdminApproved PermittedUsers = iota
	// SelfAuthorize is "All users may self-authorize": the user must have approved the app
	// before (listed in App.Approvals).
	SelfAuthorize
)

// App is an External Client App (or connected app) with OAuth enabled.
type App struct {
	// Name is the app's name. Empty means "sftest App".
	Name string
	// ConsumerKey is the OAuth client_id, the JWT "iss". Required.
	ConsumerKey string
	// ConsumerSecret is the OAuth client secret (client credentials, introspection).
	ConsumerSecret string
	// Certificates are the uploaded certificates whose RSA public keys verify assertions.
	Certificates []*x509.Certificate
	// JWTBearer enables the JWT bearer flow.
	JWTBearer bool
	// ClientCredentials enables the client credentials flow; it needs RunAsUsername.
	ClientCredentials bool
	// RunAsUsername is the user the client credentials flow runs as.
	RunAsUsername string
	// PermittedUsers is the Permitted Users policy (AdminApproved when zero).
	PermittedUsers PermittedUsers
	// Profiles are the profiles pre-authorized under AdminApproved.
	Profiles []string
	// PermissionSets are the permission sets pre-authorized under AdminApproved.
	PermissionSets []string
	// Approvals are the usernames that approved the app before, under SelfAuthorize.
	Approvals []string
	// Scopes are the OAuth scopes granted. Nil means api, refresh_token and offline_access.
	Scopes []string
	// SessionTimeout is the idle time after which an access token stops working; each use
	// extends it. Zero means DefaultSessionTimeout.
	SessionTimeout time.Duration
	// Installed reports whether the app is installed in this org; a login with the key of
	// an app that is not installed fails with "External client app is not installed in this
	// org".
	Installed bool
}

// DefaultApp returns the app a zero Config gets: DefaultClientID and DefaultClientSecret,
// installed, JWT bearer on, client credentials on running as DefaultUsername, admin-approved
// for DefaultProfile, scopes api refresh_token offline_access, no certificates yet.
func DefaultApp() App {
	return App{
		Name:              "sftest App",
		ConsumerKey:       DefaultClientID,
		ConsumerSecret:    DefaultClientSecret,
		JWTBearer:         true,
		ClientCredentials: true,
		RunAsUsername:     DefaultUsername,
		PermittedUsers:    AdminApproved,
		Profiles:          []string{DefaultProfile},
		Scopes:            []string{"api", "refresh_token", "offline_access"},
		SessionTimeout:    DefaultSessionTimeout,
		Installed:         true,
	}
}
