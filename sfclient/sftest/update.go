package sftest

import (
	"fmt"
	"slices"
	"strings"
)

// UpdateUser changes the user named username in place, for tests of what a client does when
// an org changes under it (a user deactivated, frozen or moved to another profile). The ID
// and Username cannot change. Deactivating or freezing a user ends his sessions, as
// Salesforce does. It returns ErrUnknownUser.
func (s *Server) UpdateUser(username string, update func(u *User)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByName(username)
	if u == nil {
		return fmt.Errorf("sftest: update user: %w %q", ErrUnknownUser, username)
	}
	c := u.User
	c.PermissionSets = slices.Clone(c.PermissionSets)
	update(&c)
	c.ID, c.Username = u.ID, u.Username
	if c.Profile == "" {
		c.Profile = DefaultProfile
	}
	u.User = c
	if rw := s.object("User").byID[u.ID]; rw != nil {
		rw.data["IsActive"] = !c.Inactive
		rw.data["Email"], rw.data["LastName"] = c.Email, c.LastName
	}
	if c.Inactive || c.Frozen {
		for tok, ss := range s.sessions {
			if ss.userID == u.ID {
				delete(s.sessions, tok)
			}
		}
	}
	return nil
}

// UpdateApp changes the app whose consumer key is clientID in place, for tests of a setup
// that changes (JWT bearer turned off, certificate replaced, app uninstalled, session timeout
// shortened). The consumer key cannot change; certificates must stay RSA. Existing sessions
// are kept. It returns ErrUnknownApp or ErrNotRSA.
func (s *Server) UpdateApp(clientID string, update func(a *App)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.appByKey(clientID)
	if a == nil {
		return fmt.Errorf("sftest: update app: %w", ErrUnknownApp)
	}
	c := a.App
	c.Certificates = slices.Clone(c.Certificates)
	c.Profiles, c.PermissionSets = slices.Clone(c.Profiles), slices.Clone(c.PermissionSets)
	c.Approvals, c.Scopes = slices.Clone(c.Approvals), slices.Clone(c.Scopes)
	update(&c)
	c.ConsumerKey = a.ConsumerKey
	for _, cert := range c.Certificates {
		if cert == nil || !isRSA(cert) {
			return fmt.Errorf("sftest: update app: %w", ErrNotRSA)
		}
	}
	if c.SessionTimeout <= 0 {
		c.SessionTimeout = DefaultSessionTimeout
	}
	if strings.TrimSpace(c.Name) == "" {
		c.Name = a.Name
	}
	a.App = c
	return nil
}
