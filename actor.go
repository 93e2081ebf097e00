package itil

import (
	"fmt"

	"github.com/google/uuid"
)

// Actor is whoever acts on a record: a person, a team's automation or the
// library itself (the SLA sweep, the event engine).
type Actor struct {
	// ID identifies the actor in the host's directory, such as a user name.
	ID string `json:"id"`
	// Name is the display name.
	Name string `json:"name,omitempty"`
	// Groups are the assignment or approver groups the actor belongs to.
	Groups []string `json:"groups,omitempty"`
	// System marks automation rather than a person.
	System bool `json:"system,omitempty"`
}

// System returns the actor for work the library does by itself, such as
// raising incidents from events or closing resolved incidents on a sweep.
func System(id string) Actor { return Actor{ID: id, Name: id, System: true} }

// IsZero reports whether no actor is set.
func (a Actor) IsZero() bool { return a.ID == "" }

// InGroup reports whether the actor belongs to group g.
func (a Actor) InGroup(g string) bool {
	for _, x := range a.Groups {
		if x == g {
			return true
		}
	}
	return false
}

// String returns the actor's ID.
func (a Actor) String() string { return a.ID }

// Ref links to a record of any process: an incident's problem, a change's
// incidents, an event's incident.
type Ref struct {
	// Kind is the process: "incident", "problem", "change", "request", "alert".
	Kind string `json:"kind"`
	// ID is the record's ID.
	ID uuid.UUID `json:"id"`
	// Number is the record's human number (INC0000001), when known.
	Number string `json:"number,omitempty"`
}

// IsZero reports whether r links to nothing.
func (r Ref) IsZero() bool { return r.ID == uuid.Nil }

// Validate reports a *ValidationError naming field when r lacks a kind or ID.
func (r Ref) Validate(field string) error {
	if r.Kind == "" {
		return &ValidationError{Field: field + ".kind", Reason: "required"}
	}
	if r.ID == uuid.Nil {
		return &ValidationError{Field: field + ".id", Reason: "required"}
	}
	return nil
}

// String returns "kind:number" when the number is known, else "kind:id".
func (r Ref) String() string {
	if r.Number != "" {
		return fmt.Sprintf("%s:%s", r.Kind, r.Number)
	}
	return fmt.Sprintf("%s:%s", r.Kind, r.ID)
}
