package sftest

import (
	"fmt"
	"sort"
	"time"
)

// seed defines the standard objects and adds the org's rows. Called while building the server.
func (s *Server) seed(cfg Config) (err error) {
	for _, d := range standardObjects(cfg.DevHub) {
		s.defineObject(d)
	}
	now := s.now().UTC()
	_, err = s.insert(s.object("Organization"), Record{
		"Id": s.orgID, "Name": s.org.Name, "InstanceName": s.org.InstanceName, "IsSandbox": s.org.Sandbox,
		"TrialExpirationDate": nil, "NamespacePrefix": nilIfEmpty(s.org.NamespacePrefix),
		"OrganizationType": s.org.OrganizationType, "Country": "US", "LanguageLocaleKey": "en_US",
		"DefaultLocaleSidKey": "en_US", "TimeZoneSidKey": "GMT", "CreatedDate": now.AddDate(-1, 0, 0),
	}, true)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	profiles, err := s.seedProfiles()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	for _, u := range s.users {
		if _, err := s.insert(s.object("User"), Record{
			"Id": u.ID, "Username": u.Username, "FirstName": nilIfEmpty(u.FirstName), "LastName": u.LastName,
			"Email": u.Email, "IsActive": !u.Inactive, "UserType": "Standard", "ProfileId": profiles[u.Profile],
		}, true); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
	}
	if !cfg.NoSampleData {
		if err := s.seedSamples(now); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(cfg.Records))
	for name := range cfg.Records {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		o := s.object(name)
		if o == nil {
			if o, err = s.customObject(name); err != nil {
				return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
			}
		}
		for _, rec := range cfg.Records[name] {
			if _, err := s.insert(o, rec, true); err != nil {
				return fmt.Errorf("%w: %s: %w", ErrInvalidConfig, name, err)
			}
		}
	}
	for _, f := range cfg.EventLogFiles {
		if _, err := s.addELF(f); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
	}
	return nil
}

// seedProfiles adds a Profile row per profile and a PermissionSet row per permission set that
// users or apps name, and returns the profile IDs by name.
func (s *Server) seedProfiles() (map[string]string, error) {
	var profiles, permsets []string
	for _, u := range s.users {
		profiles = append(profiles, u.Profile)
		permsets = append(permsets, u.PermissionSets...)
	}
	for _, a := range s.apps {
		profiles = append(profiles, a.Profiles...)
		permsets = append(permsets, a.PermissionSets...)
	}
	ids := map[string]string{}
	for _, p := range profiles {
		if _, done := ids[p]; done {
			continue
		}
		r, err := s.insert(s.object("Profile"), Record{"Name": p, "UserType": "Standard"}, true)
		if err != nil {
			return nil, err
		}
		ids[p] = r.id()
	}
	seen := map[string]bool{}
	for _, p := range permsets {
		if seen[p] {
			continue
		}
		seen[p] = true
		if _, err := s.insert(s.object("PermissionSet"), Record{"Name": p, "Label": p, "IsOwnedByProfile": false}, true); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// seedSamples adds a few Accounts and Contacts, LoginHistory, SetupAuditTrail and two
// EventLogFile rows (yesterday's API and Login logs).
func (s *Server) seedSamples(now time.Time) error {
	uid := s.users[0].ID
	for _, rec := range AccountRecords(3) {
		if _, err := s.insert(s.object("Account"), rec, true); err != nil {
			return err
		}
	}
	for _, rec := range ContactRecords(3) {
		if _, err := s.insert(s.object("Contact"), rec, true); err != nil {
			return err
		}
	}
	for _, rec := range LoginHistoryRecords(5, uid, now.Add(-5*time.Hour), time.Hour) {
		if _, err := s.insert(s.object("LoginHistory"), rec, true); err != nil {
			return err
		}
	}
	yesterday := now.Truncate(24*time.Hour).AddDate(0, 0, -1)
	for _, typ := range []string{"API", "Login"} {
		if _, err := s.addELF(EventLogFile{EventType: typ, LogDate: yesterday, Rows: 20}); err != nil {
			return err
		}
	}
	actions := []string{"createdConnectedApp", "changedPermSetAssign", "PermSetAssign"}
	for i, a := range actions {
		if _, err := s.insert(s.object("SetupAuditTrail"), Record{
			"Action": a, "Section": "Connected Apps", "Display": "Emulated setup change " + a,
			"CreatedDate": now.Add(time.Duration(i-len(actions)) * 24 * time.Hour), "CreatedById": uid,
		}, true); err != nil {
			return err
		}
	}
	return nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AccountRecords returns n Account records with deterministic sample values ("Account 0001",
// "Account 0002", …), for AddRecords.
func AccountRecords(n int) []Record { return accountRecords(0, n) }

// accountRecords returns n sample Accounts numbered from first+1.
func accountRecords(first, n int) []Record {
	industries := []string{"Technology", "Finance", "Healthcare", "Retail", "Energy"}
	out := make([]Record, n)
	for j := range out {
		i := first + j
		out[j] = Record{
			"Name":              fmt.Sprintf("Account %04d", i+1),
			"Industry":          industries[i%len(industries)],
			"Type":              "Customer - Direct",
			"BillingCity":       "San Francisco",
			"BillingCountry":    "USA",
			"NumberOfEmployees": (i + 1) * 10,
			"AnnualRevenue":     float64(i+1) * 100000,
		}
	}
	return out
}

// ContactRecords returns n Contact records with deterministic sample values.
func ContactRecords(n int) []Record {
	out := make([]Record, n)
	for i := range out {
		out[i] = Record{
			"FirstName": "Test",
			"LastName":  fmt.Sprintf("Contact %04d", i+1),
			"Email":     fmt.Sprintf("contact%04d@example.com", i+1),
			"Title":     "Engineer",
		}
	}
	return out
}

// LoginHistoryRecords returns n successful API LoginHistory records of userID, the first at
// from and each next one step later.
func LoginHistoryRecords(n int, userID string, from time.Time, step time.Duration) []Record {
	out := make([]Record, n)
	for i := range out {
		out[i] = Record{
			"UserId": userID, "LoginTime": from.Add(time.Duration(i) * step), "LoginType": "Remote Access 2.0",
			"SourceIp": fmt.Sprintf("192.0.2.%d", i%250+1), "LoginUrl": "login.salesforce.com",
			"Browser": "Unknown", "Platform": "Unknown", "Status": "Success", "Application": "sftest App",
			"ApiType": "N/A", "ApiVersion": "N/A", "CountryIso": "US", "TlsProtocol": "TLS 1.3",
			"CipherSuite": "TLS_AES_256_GCM_SHA384",
		}
	}
	return out
}

// AddAccounts adds n sample Accounts like AccountRecords, numbered after the Accounts the org
// already has (so names stay unique), and returns their IDs.
func (s *Server) AddAccounts(n int) ([]string, error) {
	s.mu.Lock()
	existing := len(s.object("Account").rows)
	s.mu.Unlock()
	return s.AddRecords("Account", accountRecords(existing, n)...)
}

// AddLoginHistory adds n LoginHistory rows for the default user, one per minute ending now.
func (s *Server) AddLoginHistory(n int) ([]string, error) {
	s.mu.Lock()
	uid := s.users[0].ID
	from := s.now().Add(-time.Duration(n) * time.Minute)
	s.mu.Unlock()
	return s.AddRecords("LoginHistory", LoginHistoryRecords(n, uid, from, time.Minute)...)
}
