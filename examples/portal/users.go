package main

import (
	"context"
	"slices"

	"github.com/itil-go/itil"
)

// Role is what a user does in the portal. Authorization is decided by roles
// (see authz.go) and, record by record, by the record's own people.
type Role string

// The roles of the seeded users.
const (
	// RoleRequester orders from the catalog and reports incidents.
	RoleRequester Role = "requester"
	// RoleApprover approves or rejects requests as a line manager.
	RoleApprover Role = "approver"
	// RoleOwner owns a service and approves access to it.
	RoleOwner Role = "service owner"
	// RoleAgent works the service desk: the incident queue and fulfilment
	// tasks.
	RoleAgent Role = "agent"
	// RoleCAB sits on the change advisory board and decides changes.
	RoleCAB Role = "cab member"
)

// User is someone who can sign in to the portal.
type User struct {
	// ID is the user's name in the directory, and the actor ID on records.
	ID string `json:"id"`
	// Name is the display name.
	Name string `json:"name"`
	// Roles are what the user does in the portal.
	Roles []Role `json:"roles"`
	// Groups are the assignment and approver groups the user belongs to.
	Groups []string `json:"groups,omitempty"`
}

// Actor returns the user as the library's actor.
func (u *User) Actor() itil.Actor {
	return itil.Actor{ID: u.ID, Name: u.Name, Groups: slices.Clone(u.Groups)}
}

// Has reports whether the user has role r.
func (u *User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// InGroup reports whether the user belongs to group g.
func (u *User) InGroup(g string) bool { return slices.Contains(u.Groups, g) }

// directory is the portal's fixed list of users. It is read-only after it is
// built, so it is safe for concurrent use.
type directory struct {
	users []*User
	byID  map[string]*User
}

func newDirectory(users ...*User) *directory {
	d := &directory{users: users, byID: make(map[string]*User, len(users))}
	for _, u := range users {
		d.byID[u.ID] = u
	}
	return d
}

// seedUsers returns the people of the demo: two requesters, a line manager,
// a service owner, a service desk agent and a CAB member.
func seedUsers() *directory {
	return newDirectory(
		&User{ID: "alice", Name: "Alice Adams", Roles: []Role{RoleRequester}},
		&User{ID: "bob", Name: "Bob Brown", Roles: []Role{RoleRequester}},
		&User{ID: "mike", Name: "Mike Miller", Roles: []Role{RoleRequester, RoleApprover}, Groups: []string{"managers"}},
		&User{ID: "olga", Name: "Olga Owens", Roles: []Role{RoleRequester, RoleOwner}, Groups: []string{"erp-owners"}},
		&User{ID: "tom", Name: "Tom Tran", Roles: []Role{RoleRequester, RoleAgent},
			Groups: []string{"service-desk", "network", "imaging", "deskside", "erp-admins"}},
		&User{ID: "carol", Name: "Carol Chen", Roles: []Role{RoleRequester, RoleCAB}, Groups: []string{"cab"}},
	)
}

// Get returns the user with the given ID.
func (d *directory) Get(id string) (*User, bool) {
	u, ok := d.byID[id]
	return u, ok
}

// All returns every user, in sign-in order.
func (d *directory) All() []*User { return d.users }

// UserExists implements request.Directory, for catalog variables that name
// a user.
func (d *directory) UserExists(_ context.Context, id string) (bool, error) {
	_, ok := d.byID[id]
	return ok, nil
}
