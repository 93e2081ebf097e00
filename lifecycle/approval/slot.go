package approval

import (
	"fmt"
	"strings"

	"github.com/itil-go/itil"
)

// Slot is one vote a round waits for: a person by actor ID, or a group, such
// as the CAB, for which any one member decides. Exactly one of Group and
// Person is set. A group slot is one vote, cast by the first member who acts;
// to count every member's decision, list the members as person slots.
//
// It marshals as text, "group:cab" or "person:alice", which is also the form
// to index pending slots under for "approvals waiting for me" queries.
type Slot struct {
	// Group is the approver group's name, for a group slot.
	Group string
	// Person is the approver's actor ID, for a personal slot.
	Person string
}

// Group returns the slot of approver group name.
func Group(name string) Slot { return Slot{Group: name} }

// Person returns the slot of the actor with ID id.
func Person(id string) Slot { return Slot{Person: id} }

// Matches reports whether actor may decide for the slot: the person
// themselves, or any member of the group. Segregation of duties is the
// Approval's concern, not the slot's.
func (s Slot) Matches(actor itil.Actor) bool {
	if s.Person != "" {
		return s.Group == "" && actor.ID == s.Person
	}
	return s.Group != "" && actor.InGroup(s.Group)
}

// String returns "group:NAME" or "person:ID".
func (s Slot) String() string {
	switch {
	case s.Group != "" && s.Person == "":
		return "group:" + s.Group
	case s.Person != "" && s.Group == "":
		return "person:" + s.Person
	}
	return fmt.Sprintf("slot(group %q, person %q)", s.Group, s.Person)
}

// ParseSlot returns the slot written as "group:NAME" or "person:ID". Bad
// text is a *itil.ValidationError on "slot".
func ParseSlot(text string) (Slot, error) { return parseSlot("slot", text) }

// parseSlot is ParseSlot naming field in its errors: "slots[2]".
func parseSlot(field, text string) (Slot, error) {
	if err := itil.CheckText(field, text, MaxNameLength+len("person:")); err != nil {
		return Slot{}, err
	}
	kind, name, _ := strings.Cut(text, ":")
	var s Slot
	switch kind {
	case "group":
		s.Group = name
	case "person":
		s.Person = name
	default:
		return Slot{}, &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%q is not group:NAME or person:ID", text)}
	}
	if err := s.check(field); err != nil {
		return Slot{}, err
	}
	return s, nil
}

// MarshalText encodes the slot as "group:NAME" or "person:ID"; a slot with
// neither or both set is an error.
func (s Slot) MarshalText() ([]byte, error) {
	if err := s.check("slot"); err != nil {
		return nil, err
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a slot written by MarshalText. Bad text or a nil
// receiver is a *itil.ValidationError, and leaves the slot as it was.
func (s *Slot) UnmarshalText(b []byte) error {
	if s == nil {
		return nilReceiver("slot", "*Slot")
	}
	v, err := ParseSlot(string(b))
	if err == nil {
		*s = v
	}
	return err
}

// check reports a *itil.ValidationError naming field unless exactly one of
// Group and Person is set, to a storable name of at most MaxNameLength
// characters without surrounding spaces.
func (s Slot) check(field string) error {
	switch {
	case s.Group == "" && s.Person == "":
		return &itil.ValidationError{Field: field, Reason: "names neither a group nor a person"}
	case s.Group != "" && s.Person != "":
		return &itil.ValidationError{Field: field, Reason: "names both a group and a person"}
	}
	return checkID(field, s.Group+s.Person)
}
