package sftest

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"time"
)

// userState is a User with its defaults filled in.
type userState struct {
	User
}

// appState is an App with its defaults filled in.
type appState struct {
	App
}

// newServer builds the org described by cfg without starting it.
func newServer(cfg Config) (*Server, error) {
	s := &Server{
		clock:    cfg.Clock,
		sessions: make(map[string]*session),
		logins:   make(map[string][]time.Time),
		objects:  make(map[string]*sobject),
		cursors:  make(map[string]*cursor),
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if err := s.setOrg(cfg.Org); err != nil {
		return nil, err
	}
	if err := s.setUsers(cfg.Users); err != nil {
		return nil, err
	}
	if err := s.setApps(cfg.Apps); err != nil {
		return nil, err
	}
	if err := s.setVersions(cfg.APIVersions); err != nil {
		return nil, err
	}
	if cfg.DailyAPILimit <= 0 {
		cfg.DailyAPILimit = DefaultDailyAPILimit
	}
	if cfg.LoginRateLimit <= 0 {
		cfg.LoginRateLimit = DefaultLoginRateLimit
	}
	s.extraAud = slices.Clone(cfg.ExtraAudiences)
	s.cfg = cfg
	if err := s.seed(cfg); err != nil {
		return nil, err
	}
	s.hs = httptest.NewUnstartedServer(s)
	s.hs.EnableHTTP2 = cfg.HTTP2
	return s, nil
}

func (s *Server) setOrg(o Org) error {
	pod := randomPod()
	s.ids = newIDGen(pod)
	if o.ID == "" {
		o.ID = s.ids.newID(prefixOrganization)
	} else {
		id, ok := To18(o.ID)
		if !ok || !strings.HasPrefix(id, prefixOrganization) {
			return fmt.Errorf("%w: org ID %q is not a 00D ID", ErrInvalidConfig, o.ID)
		}
		o.ID = id
	}
	if o.Name == "" {
		o.Name = DefaultOrgName
	}
	if o.InstanceName == "" {
		o.InstanceName = "EMU1"
	}
	if o.OrganizationType == "" {
		o.OrganizationType = "Enterprise Edition"
	}
	s.org = o
	s.orgID = o.ID
	return nil
}

func (s *Server) setUsers(users []User) error {
	if users == nil {
		users = []User{{Username: DefaultUsername}}
	}
	for _, u := range users {
		if u.Username == "" {
			return fmt.Errorf("%w: user without Username", ErrInvalidConfig)
		}
		if s.userByName(u.Username) != nil {
			return fmt.Errorf("%w: duplicate user %q", ErrInvalidConfig, u.Username)
		}
		if u.ID == "" {
			u.ID = s.ids.newID(prefixUser)
		} else if id, ok := To18(u.ID); ok && strings.HasPrefix(id, prefixUser) {
			u.ID = id
		} else {
			return fmt.Errorf("%w: user ID %q is not a 005 ID", ErrInvalidConfig, u.ID)
		}
		if u.Profile == "" {
			u.Profile = DefaultProfile
		}
		local, _, _ := strings.Cut(u.Username, "@")
		if u.LastName == "" {
			u.LastName = local
		}
		if u.Email == "" {
			u.Email = u.Username
		}
		u.PermissionSets = slices.Clone(u.PermissionSets)
		s.users = append(s.users, &userState{User: u})
	}
	return nil
}

func (s *Server) setApps(apps []App) error {
	if len(apps) == 0 {
		apps = []App{DefaultApp()}
	}
	for _, a := range apps {
		if a.ConsumerKey == "" {
			return fmt.Errorf("%w: app without ConsumerKey", ErrInvalidConfig)
		}
		if s.appByKey(a.ConsumerKey) != nil {
			return fmt.Errorf("%w: duplicate consumer key", ErrInvalidConfig)
		}
		for _, c := range a.Certificates {
			if c == nil || !isRSA(c) {
				return fmt.Errorf("%w: app %q: %w", ErrInvalidConfig, a.Name, ErrNotRSA)
			}
		}
		if a.Name == "" {
			a.Name = "sftest App"
		}
		if a.Scopes == nil {
			a.Scopes = []string{"api", "refresh_token", "offline_access"}
		}
		if a.SessionTimeout <= 0 {
			a.SessionTimeout = DefaultSessionTimeout
		}
		a.Certificates = slices.Clone(a.Certificates)
		a.Profiles = slices.Clone(a.Profiles)
		a.PermissionSets = slices.Clone(a.PermissionSets)
		a.Approvals = slices.Clone(a.Approvals)
		s.apps = append(s.apps, &appState{App: a})
	}
	return nil
}

func (s *Server) setVersions(vs []string) error {
	if vs == nil {
		for v := 31; v <= 66; v++ {
			vs = append(vs, strconv.Itoa(v)+".0")
		}
	}
	for _, v := range vs {
		if _, err := versionNumber(v); err != nil {
			return fmt.Errorf("%w: API version %q", ErrInvalidConfig, v)
		}
	}
	s.versions = slices.Clone(vs)
	slices.SortFunc(s.versions, func(a, b string) int {
		x, _ := versionNumber(a)
		y, _ := versionNumber(b)
		return x - y
	})
	return nil
}

// versionNumber parses "66.0" into 66.
func versionNumber(v string) (int, error) {
	major, minor, ok := strings.Cut(v, ".")
	if !ok || minor != "0" {
		return 0, fmt.Errorf("not NN.0")
	}
	n, err := strconv.Atoi(major)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("not NN.0")
	}
	return n, nil
}

// userByName finds a user by username, case-insensitively as Salesforce does. Caller holds mu
// (or is building the server).
func (s *Server) userByName(name string) *userState {
	for _, u := range s.users {
		if strings.EqualFold(u.Username, name) {
			return u
		}
	}
	return nil
}

// visibleObject returns the sObject named name as the session's user sees it: nil when the
// org has no such object or the user may not see it (EventLogFile without "View Event Log
// Files"). The caller holds s.mu.
func (s *Server) visibleObject(sess *session, name string) *sobject {
	o := s.object(name)
	if o == nil || sess == nil || !strings.EqualFold(o.Name, "EventLogFile") {
		return o
	}
	if u := s.userByID(sess.userID); u != nil && u.NoEventLogFileAccess {
		return nil
	}
	return o
}

func (s *Server) userByID(id string) *userState {
	for _, u := range s.users {
		if u.ID == id || (len(id) == 15 && u.ID[:15] == id) {
			return u
		}
	}
	return nil
}

// appByKey finds an app by consumer key (exact match). Caller holds mu.
func (s *Server) appByKey(key string) *appState {
	for _, a := range s.apps {
		if a.ConsumerKey == key {
			return a
		}
	}
	return nil
}

func isRSA(c *x509.Certificate) bool {
	_, ok := c.PublicKey.(*rsa.PublicKey)
	return ok
}
