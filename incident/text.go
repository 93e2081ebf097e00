package incident

import (
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
// its ID, name and groups are texts of at most MaxName characters.
func checkActor(field string, a itil.Actor) error {
	if a.ID == "" {
		return &itil.ValidationError{Field: field, Reason: "an actor is required"}
	}
	if err := itil.CheckText(field+".id", a.ID, MaxName); err != nil {
		return err
	}
	if err := itil.CheckText(field+".name", a.Name, MaxName); err != nil {
		return err
	}
	return itil.CheckTexts(field+".groups", a.Groups, MaxName)
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
	for i, ci := range cis {
		f := fmt.Sprintf("%s[%d]", field, i)
		if ci == "" {
			return &itil.ValidationError{Field: f, Reason: "empty CI name"}
		}
		if err := itil.CheckText(f, ci, MaxName); err != nil {
			return err
		}
		if slices.Contains(cis[:i], ci) {
			return &itil.ValidationError{Field: f, Reason: fmt.Sprintf("CI %q listed twice", ci)}
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
