package change

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

// The calendar's properties, for go-ical and for the empty calendar.
const (
	icsProductID = "-//itil-go//change calendar//EN"
	icsName      = "Change calendar"
)

// WriteICS writes the change calendar that q selects as an iCalendar
// (RFC 5545) file that calendar programs open or subscribe to: one event
// per change (UID the change's ID, so that programs update it in place;
// CONFIRMED once approved and scheduled, TENTATIVE before; SEQUENCE its
// version) and one transparent event per freeze occurrence in the range.
// With a CI, a freeze shows when it covers the CI: by its CIs, by the
// services the CI's outage affects (Config.Services), or every CI.
// All times are in UTC; lines are folded at 75 octets.
//
// Errors: a *itil.ValidationError on "range.start" or "range.end"; the
// store's, the ServiceImpact's and w's errors.
func (m *Manager) WriteICS(ctx context.Context, w io.Writer, q CalendarQuery) error {
	rng, err := q.window()
	if err != nil {
		return err
	}
	now := m.cfg.Now().UTC().Truncate(time.Second)
	cal := ical.NewCalendar()
	cal.Props.Set(rawProp(ical.PropVersion, "2.0"))
	cal.Props.Set(rawProp(ical.PropProductID, icsProductID))
	cal.Props.Set(rawProp(ical.PropCalendarScale, "GREGORIAN"))
	cal.Props.Set(rawProp(ical.PropMethod, "PUBLISH"))
	cal.Props.Set(rawProp("X-WR-CALNAME", icsName))
	for c, err := range m.Calendar(ctx, q) {
		if err != nil {
			return err
		}
		cal.Children = append(cal.Children, m.changeEvent(c, now))
	}
	var atRisk []string // the services of q.CI, for the freezes of services
	for _, f := range *m.freezes.Load() {
		if q.CI != "" && !f.everything() && !f.touches([]string{q.CI}) {
			if len(f.Services) == 0 {
				continue
			}
			if atRisk == nil {
				if atRisk, err = m.servicesOf(ctx, []string{q.CI}); err != nil {
					return err
				}
				if atRisk == nil {
					atRisk = []string{}
				}
			}
			if !slices.ContainsFunc(f.Services, func(s string) bool { return slices.Contains(atRisk, s) }) {
				continue
			}
		}
		occs, err := f.occurrences(rng)
		if err != nil {
			return err
		}
		for _, occ := range occs {
			cal.Children = append(cal.Children, freezeEvent(&f, occ, now))
		}
	}
	var buf bytes.Buffer
	if len(cal.Children) == 0 {
		// go-ical refuses a calendar without components, as RFC 5545 asks;
		// a feed of an empty range must still be a calendar, which calendar
		// programs open.
		fmt.Fprintf(&buf, "BEGIN:VCALENDAR\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nPRODID:%s\r\nVERSION:2.0\r\nX-WR-CALNAME:%s\r\nEND:VCALENDAR\r\n", icsProductID, icsName)
	} else if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return fmt.Errorf("change: encoding the calendar: %w", err)
	}
	_, err = w.Write(fold(buf.Bytes()))
	return err
}

// changeEvent is the VEVENT of a change.
func (m *Manager) changeEvent(c *Change, now time.Time) *ical.Component {
	e := ical.NewEvent()
	e.Props.Set(rawProp(ical.PropUID, c.ID.String()))
	e.Props.SetDateTime(ical.PropDateTimeStamp, now)
	e.Props.SetDateTime(ical.PropDateTimeStart, c.Planned.Start.UTC())
	e.Props.SetDateTime(ical.PropDateTimeEnd, c.Planned.End.UTC())
	e.Props.SetDateTime(ical.PropLastModified, c.UpdatedAt.UTC().Truncate(time.Second))
	e.Props.Set(rawProp(ical.PropSequence, strconv.FormatInt(c.Version, 10)))
	e.Props.SetText(ical.PropSummary, text(c.Number+": "+c.Title))
	status := ical.EventTentative
	if m.live(c) {
		status = ical.EventConfirmed
	}
	e.SetStatus(status)
	cats := ical.NewProp(ical.PropCategories)
	cats.SetTextList([]string{"change", c.Type.String()})
	e.Props.Set(cats)

	var d strings.Builder
	fmt.Fprintf(&d, "%s change %s, %s", c.Type, c.Number, c.State)
	if c.Approved() {
		d.WriteString(", approved")
	}
	d.WriteString("\n")
	if c.Risk.Valid() {
		fmt.Fprintf(&d, "Risk: %s\n", c.Risk)
	}
	if len(c.CIs) > 0 {
		fmt.Fprintf(&d, "CIs: %s\n", strings.Join(c.CIs, ", "))
	}
	if len(c.Services) > 0 {
		fmt.Fprintf(&d, "Services at risk: %s\n", strings.Join(c.Services, ", "))
	}
	if c.Implementer != "" {
		fmt.Fprintf(&d, "Implementer: %s\n", c.Implementer)
	}
	fmt.Fprintf(&d, "Requester: %s\n", c.Requester)
	if c.Description != "" {
		fmt.Fprintf(&d, "\n%s\n", c.Description)
	}
	e.Props.SetText(ical.PropDescription, text(strings.TrimRight(d.String(), "\n")))
	return e.Component
}

// freezeEvent is the VEVENT of one occurrence of a freeze: transparent, so
// that it does not make anyone busy.
func freezeEvent(f *freeze, occ Window, now time.Time) *ical.Component {
	h := fnv.New64a()
	h.Write([]byte(f.Name))
	start := occ.Start.UTC().Truncate(time.Second)
	e := ical.NewEvent()
	e.Props.Set(rawProp(ical.PropUID, fmt.Sprintf("freeze-%016x-%s", h.Sum64(), start.Format("20060102T150405Z"))))
	e.Props.SetDateTime(ical.PropDateTimeStamp, now)
	e.Props.SetDateTime(ical.PropDateTimeStart, start)
	e.Props.SetDateTime(ical.PropDateTimeEnd, occ.End.UTC().Truncate(time.Second))
	e.Props.SetText(ical.PropSummary, text("Change freeze: "+f.Name))
	e.Props.Set(rawProp(ical.PropTransparency, "TRANSPARENT"))
	e.SetStatus(ical.EventConfirmed)
	cats := ical.NewProp(ical.PropCategories)
	cats.SetTextList([]string{"freeze"})
	e.Props.Set(cats)
	var d []string
	if f.Reason != "" {
		d = append(d, f.Reason)
	}
	if len(f.CIs) > 0 {
		d = append(d, "CIs: "+strings.Join(f.CIs, ", "))
	}
	if len(f.Services) > 0 {
		d = append(d, "Services: "+strings.Join(f.Services, ", "))
	}
	if f.everything() {
		d = append(d, "All CIs")
	}
	e.Props.SetText(ical.PropDescription, text(strings.Join(d, "\n")))
	return e.Component
}

// rawProp is a property whose value needs no escaping.
func rawProp(name, value string) *ical.Prop {
	p := ical.NewProp(name)
	p.Value = value
	return p
}

// text makes s fit a TEXT value: line breaks become "\n" (go-ical escapes
// them), other control characters are dropped.
func text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r >= 0x20 && r != 0x7f {
			return r
		}
		return -1
	}, s)
}

// fold folds the content lines of an iCalendar stream longer than 75 octets
// onto continuation lines that start with a space, as RFC 5545 section 3.1
// asks, never splitting a UTF-8 sequence. go-ical writes lines unfolded.
func fold(ics []byte) []byte {
	const limit = 75
	out := make([]byte, 0, len(ics)+len(ics)/limit*3)
	for line := range bytes.Lines(ics) {
		line = bytes.TrimSuffix(line, []byte("\r\n"))
		room := limit
		for len(line) > room {
			cut := room
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out = append(out, line[:cut]...)
			out = append(out, "\r\n "...)
			line = line[cut:]
			room = limit - 1 // the leading space counts
		}
		out = append(out, line...)
		out = append(out, "\r\n"...)
	}
	return out
}
