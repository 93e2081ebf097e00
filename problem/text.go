package problem

import (
	"fmt"

	"github.com/itil-go/itil"
)

// The longest texts a Manager takes, in characters (Unicode code points,
// not bytes). Every text is also refused when it is not valid UTF-8 or
// holds a NUL character (itil.CheckText), so that every store keeps it as
// it was given.
const (
	// MaxTitle bounds a problem's title.
	MaxTitle = 200
	// MaxName bounds names and codes: categories, CIs, groups, assignees,
	// cause and resolution codes, an actor's ID, name and groups, the
	// number of a linked change.
	MaxName = 100
	// MaxText bounds free text: descriptions, root causes, workarounds,
	// fixes, notes, reasons and search text.
	MaxText = 10000
)

// checkActor checks that an action names who acts, in texts the stores
// keep as they are.
func checkActor(by itil.Actor) error {
	if by.ID == "" {
		return &itil.ValidationError{Field: "by", Reason: "an actor is required"}
	}
	if err := itil.CheckText("by.id", by.ID, MaxName); err != nil {
		return err
	}
	if err := itil.CheckText("by.name", by.Name, MaxName); err != nil {
		return err
	}
	return itil.CheckTexts("by.groups", by.Groups, MaxName)
}

// checkParams checks what every command carries: who acts and the note.
// The kernel checks the custom fields against the lifecycle.
func checkParams(p Params) error {
	if err := checkActor(p.By); err != nil {
		return err
	}
	return itil.CheckText("note", p.Note, MaxText)
}

// requireText checks that a text input is given, and is one the stores
// keep as it is, of at most max characters.
func requireText(field, text, reason string, max int) error {
	if text == "" {
		return &itil.ValidationError{Field: field, Reason: reason}
	}
	return itil.CheckText(field, text, max)
}

// checkNames checks a list of names (CIs) under field: none empty, none
// twice, each at most MaxName characters.
func checkNames(field string, names []string) error {
	for i, n := range names {
		f := fmt.Sprintf("%s[%d]", field, i)
		if n == "" {
			return &itil.ValidationError{Field: f, Reason: "empty CI name"}
		}
		if err := itil.CheckText(f, n, MaxName); err != nil {
			return err
		}
		for _, prev := range names[:i] {
			if prev == n {
				return &itil.ValidationError{Field: f, Reason: fmt.Sprintf("CI %q listed twice", n)}
			}
		}
	}
	return nil
}
