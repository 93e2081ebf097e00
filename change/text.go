package change

import (
	"fmt"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Limits on the texts the Manager takes, in characters (Unicode code
// points, not bytes: 256 × "é" is 256 characters). Every text must also be
// valid UTF-8 without a NUL character, so that each store keeps it as it
// was given (see itil.CheckText); a text that is not is refused with a
// *itil.ValidationError naming its field, and nothing is written.
const (
	// MaxTitleLength caps a change's and a template's title.
	MaxTitleLength = 256
	// MaxNameLength caps every name: CIs, business services, the
	// requester and implementer, actor IDs, names and groups, categories,
	// template, freeze, question and answer names, states, approver slots,
	// link kinds and numbers, and a freeze's recurrence rule.
	MaxNameLength = 256
	// MaxNoteLength caps the notes journaled with a step, an approver's
	// comment, a review's summary, a freeze's reason and the text of a
	// question or answer. It is package approval's limit on a comment.
	MaxNoteLength = 4000
	// MaxTextLength caps a description, a justification and the
	// implementation, backout and test plans.
	MaxTextLength = 32000
)

// checkName reports a *itil.ValidationError on field unless s is a
// storable text of at most MaxNameLength characters.
func checkName(field, s string) error { return itil.CheckText(field, s, MaxNameLength) }

// checkNote reports a *itil.ValidationError on field unless s is a storable
// text of at most MaxNoteLength characters.
func checkNote(field, s string) error { return itil.CheckText(field, s, MaxNoteLength) }

// checkNames is itil.CheckTexts with MaxNameLength, naming the bad element
// as field[i]; it formats a field name only for an error, since it checks
// the CIs of every conflict check.
func checkNames(field string, ss []string) error {
	for i, s := range ss {
		if itil.CheckText(field, s, MaxNameLength) != nil {
			return checkName(fmt.Sprintf("%s[%d]", field, i), s)
		}
	}
	return nil
}

// checkKey is checkName for a value that selects something by name (a
// query's CI, a calendar's implementer): when it is given, it must name
// something, so a blank one is refused.
func checkKey(field, s string) error {
	if s == "" {
		return nil
	}
	if err := checkName(field, s); err != nil {
		return err
	}
	if strings.TrimSpace(s) == "" {
		return &itil.ValidationError{Field: field, Reason: "blank: give a name or leave it empty"}
	}
	return nil
}

// checkActor requires an actor ID and checks every text of the actor:
// "by" for the ID, "by.name", "by.groups[i]".
func checkActor(a itil.Actor) error {
	if err := checkName("by", a.ID); err != nil {
		return err
	}
	if strings.TrimSpace(a.ID) == "" {
		return &itil.ValidationError{Field: "by", Reason: "required"}
	}
	if err := checkName("by.name", a.Name); err != nil {
		return err
	}
	return checkNames("by.groups", a.Groups)
}

// checkStep checks what every step takes: the actor and the note.
func checkStep(a itil.Actor, note string) error {
	if err := checkActor(a); err != nil {
		return err
	}
	return checkNote("note", note)
}

// checkSlot reports a *itil.ValidationError on field unless s names
// exactly one group or person, by a storable name that is not blank.
func checkSlot(field string, s approval.Slot) error {
	switch {
	case s.Group != "" && s.Person != "":
		return &itil.ValidationError{Field: field, Reason: "names both a group and a person"}
	case s.Group == "" && s.Person == "":
		return &itil.ValidationError{Field: field, Reason: "names neither a group nor a person"}
	}
	name := s.Group + s.Person
	if err := checkName(field, name); err != nil {
		return err
	}
	if strings.TrimSpace(name) == "" {
		return &itil.ValidationError{Field: field, Reason: "blank name"}
	}
	return nil
}

// checkRef checks the texts of a link: "field.kind" and "field.number".
func checkRef(field string, r itil.Ref) error {
	if err := checkName(field+".kind", r.Kind); err != nil {
		return err
	}
	return checkName(field+".number", r.Number)
}

// checkTexts checks the free texts of a change being drafted, as Propose
// and Update leave it.
func checkTexts(c *Change) error {
	for _, t := range []struct {
		field string
		s     string
		max   int
	}{
		{"title", c.Title, MaxTitleLength},
		{"description", c.Description, MaxTextLength},
		{"justification", c.Justification, MaxTextLength},
		{"category", c.Category, MaxNameLength},
		{"implementation_plan", c.ImplementationPlan, MaxTextLength},
		{"backout_plan", c.BackoutPlan, MaxTextLength},
		{"test_plan", c.TestPlan, MaxTextLength},
		{"requester", c.Requester, MaxNameLength},
		{"implementer", c.Implementer, MaxNameLength},
	} {
		if err := itil.CheckText(t.field, t.s, t.max); err != nil {
			return err
		}
	}
	if err := checkNames("cis", c.CIs); err != nil {
		return err
	}
	for i, l := range c.Links {
		if err := checkRef(fmt.Sprintf("links[%d]", i), l); err != nil {
			return err
		}
	}
	return nil
}
