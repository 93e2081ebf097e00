package request

import (
	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// The limits on the texts the desk takes, counted in characters (Unicode
// code points), not bytes.
const (
	// MaxNameLength caps short texts: item names, categories, keywords,
	// variable labels and choices, task titles, groups, services, roles,
	// user and actor IDs and names.
	MaxNameLength = 200
	// MaxTextLength caps long texts: every variable value, descriptions,
	// help, patterns, notes, comments and reasons, so that a form cannot
	// store megabytes in a request.
	MaxTextLength = 4000
)

// checkActor reports a *itil.ValidationError on field when by has no ID,
// or when a text of by is not fit to keep: "field.id", "field.name",
// "field.groups[i]".
func checkActor(field string, by itil.Actor) error {
	if by.ID == "" {
		return &itil.ValidationError{Field: field, Reason: "an actor is required"}
	}
	return checkActorText(field, by)
}

// checkActorText checks the texts of by, which may be the zero actor.
func checkActorText(field string, by itil.Actor) error {
	if err := itil.CheckText(field+".id", by.ID, MaxNameLength); err != nil {
		return err
	}
	if err := itil.CheckText(field+".name", by.Name, MaxNameLength); err != nil {
		return err
	}
	return itil.CheckTexts(field+".groups", by.Groups, MaxNameLength)
}

// requireID reports a *itil.ValidationError on field when id is zero.
func requireID(field string, id uuid.UUID) error {
	if id == uuid.Nil {
		return &itil.ValidationError{Field: field, Reason: "required"}
	}
	return nil
}

// checkTexts checks each of texts: the field, the text and its limit.
func checkTexts(texts ...text) error {
	for _, t := range texts {
		if err := itil.CheckText(t.field, t.s, t.max); err != nil {
			return err
		}
	}
	return nil
}

// text is a text to check, for checkTexts.
type text struct {
	field, s string
	max      int
}
