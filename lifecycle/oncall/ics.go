package oncall

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// ICS says what WriteICS writes.
type ICS struct {
	// From and Until bound the entries written; Until is after From.
	From, Until time.Time
	// Name is the calendar's name (X-WR-CALNAME), also hashed into the
	// events' UIDs so that two schedules' events never share one; empty
	// means "On call".
	Name string
	// Stamp is every event's DTSTAMP, the time the calendar was made;
	// zero means the time of the call.
	Stamp time.Time
}

// icsProductID is the calendar's PRODID.
const icsProductID = "-//itil-go//on-call schedule//EN"

// WriteICS writes the final schedule from q.From until q.Until as an
// iCalendar (RFC 5545) that calendar programs open or subscribe to: one
// VEVENT per entry of Entries, with SUMMARY "On call: USER", DTSTART and
// DTEND in UTC (whole seconds), and a UID made of the entry's start and a
// hash of the calendar's name and the user, so that a calendar program
// that fetches the feed again updates each event in place. Lines end in
// CRLF and are folded at 75 octets, never inside a UTF-8 sequence.
//
// Errors: a *itil.ValidationError on "until" when q.Until is not after
// q.From; w's errors.
func (s *Schedule) WriteICS(w io.Writer, q ICS) error {
	name := q.Name
	if name == "" {
		name = "On call"
	}
	stamp := q.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	bw := bufio.NewWriter(w)
	line := func(l string) { bw.WriteString(fold(l)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:" + icsProductID)
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icsText(name))
	for e, err := range s.Entries(q.From, q.Until) {
		if err != nil {
			return err
		}
		h := fnv.New64a()
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write([]byte(e.User))
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:%s-%016x@oncall.itil-go", icsTime(e.From), h.Sum64()))
		line("DTSTAMP:" + icsTime(stamp))
		line("DTSTART:" + icsTime(e.From))
		line("DTEND:" + icsTime(e.Until))
		line("SUMMARY:" + icsText("On call: "+e.User))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return bw.Flush()
}

// icsTime writes t as an RFC 5545 DATE-TIME in UTC, to the second.
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsText escapes s as an RFC 5545 TEXT value (section 3.3.11): backslash,
// semicolon, comma and line breaks are escaped, other control characters
// dropped, bytes that are not UTF-8 replaced.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t' || (r >= 0x20 && r != 0x7f):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fold ends a content line with CRLF, folded onto continuation lines that
// start with a space so that no line exceeds 75 octets (RFC 5545 section
// 3.1), never splitting a UTF-8 sequence.
func fold(l string) string {
	const limit = 75
	var b strings.Builder
	room := limit
	for len(l) > room {
		cut := room
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		b.WriteString(l[:cut])
		b.WriteString("\r\n ")
		l = l[cut:]
		room = limit - 1 // the space counts
	}
	b.WriteString(l)
	b.WriteString("\r\n")
	return b.String()
}
