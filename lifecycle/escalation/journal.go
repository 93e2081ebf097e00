package escalation

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/itil-go/itil/lifecycle"
)

// EventPage is the journal name of the change that sends a page.
const EventPage = "page"

// The journal fields of a page, each with the page's value as its new
// value: the policy, the level and round (from 1), the instant the page
// was due (RFC 3339), the users and the groups reached (JSON lists of
// names) and every recipient (a JSON list of objects with "user",
// "schedule" and "group").
const (
	FieldPolicy     = "page.policy"
	FieldLevel      = "page.level"
	FieldRound      = "page.round"
	FieldAt         = "page.at"
	FieldUsers      = "page.users"
	FieldGroups     = "page.groups"
	FieldRecipients = "page.recipients"
)

// Journal records the page in ed, as the fields FieldPolicy to
// FieldRecipients, for the change that sends it; PageOf reads it back
// from the change.
func (pg Page) Journal(ed *lifecycle.Edit) {
	list := func(names []string) string {
		if names == nil {
			names = []string{}
		}
		b, _ := json.Marshal(names)
		return string(b)
	}
	recipients := pg.Recipients
	if recipients == nil {
		recipients = []Recipient{}
	}
	b, _ := json.Marshal(recipients)
	ed.Field(FieldPolicy, "", pg.Policy)
	ed.Field(FieldLevel, "", strconv.Itoa(pg.Level))
	ed.Field(FieldRound, "", strconv.Itoa(pg.Round))
	ed.Field(FieldAt, "", pg.At)
	ed.Field(FieldUsers, "", list(pg.Users()))
	ed.Field(FieldGroups, "", list(pg.Groups()))
	ed.Field(FieldRecipients, "", string(b))
}

// PageOf reads the page a change sent, as Journal recorded it: for a
// notifier that delivers pages. It reports false for a change that sent
// no page (another event, or fields it cannot read).
func PageOf(ch lifecycle.Change) (Page, bool) {
	if ch.Event != EventPage {
		return Page{}, false
	}
	var pg Page
	var seen int
	for _, f := range ch.Fields {
		var err error
		switch f.Field {
		case FieldPolicy:
			pg.Policy = f.New
		case FieldLevel:
			pg.Level, err = strconv.Atoi(f.New)
		case FieldRound:
			pg.Round, err = strconv.Atoi(f.New)
		case FieldAt:
			pg.At, err = time.Parse(time.RFC3339Nano, f.New)
		case FieldRecipients:
			err = json.Unmarshal([]byte(f.New), &pg.Recipients)
		default:
			continue
		}
		if err != nil {
			return Page{}, false
		}
		seen++
	}
	if seen != 5 || pg.Policy == "" || pg.Level < 1 || pg.Round < 1 {
		return Page{}, false
	}
	return pg, true
}
