package incident

import (
	"errors"
	"fmt"
	"slices"

	"github.com/itil-go/itil"
)

// The longest texts a Desk takes, in characters (Unicode code points, not
// bytes). Every text is also refused when it is not valid UTF-8 or holds a
// NUL character (itil.CheckText), so that every store keeps it as it was
// given.
const (
	// MaxTitle bounds an incident's title.
	MaxTitle = 200
	// MaxName bounds names and codes: categories and subcategories, CIs,
	// groups, assignees, resolution codes, event names, whom a
	// hierarchical escalation tells, an actor's ID, name and groups, the
	// number of a linked record.
	MaxName = 100
	// MaxText bounds free text: descriptions, notes, comments, reasons and
	// resolution notes. It leaves room for the comments and resolution
	// notes other processes write on incidents, which quote texts of
	// their own (a problem's workaround or fix).
	MaxText = 16384
)

// requireActor checks that an action names who acts, in texts the stores
// keep as they are.
func requireActor(by itil.Actor) error { return checkActor("by", by) }

// checkActor checks the actor named under field: its ID is required, and
// its ID, name and groups are texts of at most MaxName characters. The
// field names of an error are built only when there is one: this runs on
// every command.
func checkActor(field string, a itil.Actor) error {
	if a.ID == "" {
		return &itil.ValidationError{Field: field, Reason: "an actor is required"}
	}
	if err := itil.CheckText("", a.ID, MaxName); err != nil {
		return named(err, field+".id")
	}
	if err := itil.CheckText("", a.Name, MaxName); err != nil {
		return named(err, field+".name")
	}
	for i, g := range a.Groups {
		if err := itil.CheckText("", g, MaxName); err != nil {
			return named(err, fmt.Sprintf("%s.groups[%d]", field, i))
		}
	}
	return nil
}

// named sets the field of err, a *itil.ValidationError of itil.CheckText
// made for this call alone.
func named(err error, field string) error {
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		ve.Field = field
	}
	return err
}

// requireText checks that a text input is given, and is one the stores
// keep as it is, of at most max characters; reason says what is missing.
func requireText(field, text, reason string, max int) error {
	if text == "" {
		return &itil.ValidationError{Field: field, Reason: reason}
	}
	return itil.CheckText(field, text, max)
}

// validCIs checks a list of CI names under field: none empty, none twice,
// each at most MaxName characters.
func validCIs(field string, cis []string) error {
	var seen map[string]bool // for a long list, instead of a scan per CI
	if len(cis) > 32 {
		seen = make(map[string]bool, len(cis))
	}
	for i, ci := range cis {
		if ci == "" {
			return &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", field, i), Reason: "empty CI name"}
		}
		if err := itil.CheckText("", ci, MaxName); err != nil {
			return named(err, fmt.Sprintf("%s[%d]", field, i))
		}
		if seen != nil && seen[ci] || seen == nil && slices.Contains(cis[:i], ci) {
			return &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", field, i), Reason: fmt.Sprintf("CI %q listed twice", ci)}
		}
		if seen != nil {
			seen[ci] = true
		}
	}
	return nil
}

// checkResolution checks the texts of a resolution: the code, and the
// notes. Whether they are required, and the code known, is the guard's and
// the lifecycle's to say.
func checkResolution(res Resolution) error {
	if err := itil.CheckText("resolution.code", res.Code, MaxName); err != nil {
		return err
	}
	return itil.CheckText("resolution.notes", res.Notes, MaxText)
}
