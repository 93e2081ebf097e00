package request

import (
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil/lifecycle"
)

// GrantKind is the lifecycle name, and so the record kind, of grants.
const GrantKind = "grant"

// Grant is access held: a role on a service, given to a user by a
// fulfilled access request. Grants are records of their own (numbered
// GRT…), so that "who has access to what" is an indexed query and each
// grant's history — granted, revocation requested, revoked — is journaled.
type Grant struct {
	lifecycle.Record

	// User is who holds the access.
	User string `json:"user"`
	// Service and Role are what the access is to.
	Service string `json:"service"`
	Role    string `json:"role"`
	// Item is the catalog item that granted it.
	Item string `json:"item"`
	// Request and RequestNumber link to the access request; Line is its
	// line.
	Request       uuid.UUID `json:"request"`
	RequestNumber string    `json:"request_number"`
	Line          int       `json:"line"`
	// GrantedAt is when the access request was fulfilled; ExpiresAt, when
	// set, is when the access ends.
	GrantedAt time.Time `json:"granted_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Revocation is the revocation request, fixed when revocation is
	// requested (so that it is created exactly once); Reason says why.
	Revocation uuid.UUID `json:"revocation,omitzero"`
	Reason     string    `json:"reason,omitempty"`
	// RevokedAt is when the revocation was fulfilled.
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Expired reports whether the grant has an expiry at or before now.
func (g *Grant) Expired(now time.Time) bool { return !g.ExpiresAt.IsZero() && !g.ExpiresAt.After(now) }

// Clone implements lifecycle.Entity.
func (g *Grant) Clone() lifecycle.Entity {
	c := *g
	c.Record = g.CloneRecord()
	return &c
}

// Attrs implements lifecycle.Entity: the indexed attributes are user,
// service, role, item and request.
func (g *Grant) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	return append(dst,
		lifecycle.Attr{Key: "user", Value: g.User},
		lifecycle.Attr{Key: "service", Value: g.Service},
		lifecycle.Attr{Key: "role", Value: g.Role},
		lifecycle.Attr{Key: "item", Value: g.Item},
		lifecycle.Attr{Key: "request", Value: g.Request.String()})
}

// FieldSet implements lifecycle.FieldChecker: user, service, role and
// reason.
func (g *Grant) FieldSet(name string) (set, known bool) {
	switch name {
	case "user":
		return g.User != "", true
	case "service":
		return g.Service != "", true
	case "role":
		return g.Role != "", true
	case "reason":
		return g.Reason != "", true
	}
	return false, false
}
