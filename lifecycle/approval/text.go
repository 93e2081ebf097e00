package approval

import (
	"fmt"
	"strings"
	"time"

	"github.com/itil-go/itil"
)

// Limits on the texts a round keeps, in characters (Unicode code points, not
// bytes). Every text taken from outside must also be valid UTF-8 without a
// NUL character; see itil.CheckText.
const (
	// MaxNameLength caps an actor's ID, display name and groups, the group
	// or person of a slot, an exclusion's actor and role, and a Matrix
	// label.
	MaxNameLength = 256
	// MaxTextLength caps a decision's comment and a cancellation's reason.
	MaxTextLength = 4000
)

// checkName reports a *itil.ValidationError on field unless s is a storable
// text of at most MaxNameLength characters.
func checkName(field, s string) error { return itil.CheckText(field, s, MaxNameLength) }

// checkID is checkName for an identifier that must also be kept exactly as
// it is matched: without surrounding spaces.
func checkID(field, s string) error {
	if err := checkName(field, s); err != nil {
		return err
	}
	if strings.TrimSpace(s) != s {
		return &itil.ValidationError{Field: field, Reason: fmt.Sprintf("%q has surrounding spaces", s)}
	}
	return nil
}

// checkTrimmed reports a *itil.ValidationError on field unless s is a
// storable text of at most MaxTextLength characters without surrounding
// spaces: the form Decide and Cancel keep a comment or reason in.
func checkTrimmed(field, s string) error {
	if err := itil.CheckText(field, s, MaxTextLength); err != nil {
		return err
	}
	if strings.TrimSpace(s) != s {
		return &itil.ValidationError{Field: field, Reason: "has surrounding spaces"}
	}
	return nil
}

// checkActor reports a missing ID or the first text of actor that cannot be
// kept: the ID on idField, the name and groups under field ("actor.name",
// "decisions[2].by.groups[1]").
func checkActor(idField, field string, actor itil.Actor) error {
	if actor.ID == "" {
		return &itil.ValidationError{Field: idField, Reason: "required"}
	}
	if err := checkID(idField, actor.ID); err != nil {
		return err
	}
	if err := checkName(field+".name", actor.Name); err != nil {
		return err
	}
	return itil.CheckTexts(field+".groups", actor.Groups, MaxNameLength)
}

// checkTime reports a *itil.ValidationError on field when t is zero or
// cannot be written as an RFC 3339 time (a year outside 0 to 9999, a zone
// offset of a day or more), so that every time a round keeps can be stored
// and read back.
func checkTime(field string, t time.Time) error {
	if t.IsZero() {
		return &itil.ValidationError{Field: field, Reason: "required"}
	}
	if _, err := t.MarshalText(); err != nil {
		return &itil.ValidationError{Field: field, Reason: "cannot be stored as an RFC 3339 time: " + t.String()}
	}
	return nil
}
