package oncall_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/oncall"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write %s", path)
	assert.Equal(t, string(want), string(got))
}

func TestWriteICS(t *testing.T) {
	t.Parallel()
	s, berlin := layered(t)
	q := oncall.ICS{
		From:  time.Date(2026, time.March, 23, 0, 0, 0, 0, berlin),
		Until: time.Date(2026, time.March, 30, 0, 0, 0, 0, berlin),
		Name:  "Network team; on call, Berlin — the primary rotation of the network operations centre",
		Stamp: time.Date(2026, time.March, 20, 12, 0, 0, 0, time.UTC),
	}
	var buf bytes.Buffer
	require.NoError(t, s.WriteICS(&buf, q))
	out := buf.Bytes()
	golden(t, "schedule.ics", out)

	require.True(t, bytes.HasSuffix(out, []byte("END:VCALENDAR\r\n")))
	for line := range strings.SplitSeq(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		assert.LessOrEqual(t, len(line), 75, "folded at 75 octets: %q", line)
		assert.NotContains(t, line, "\n")
	}

	// A calendar library reads it back: one event per entry, in UTC.
	cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	require.NoError(t, err)
	name, err := cal.Props.Text("X-WR-CALNAME")
	require.NoError(t, err)
	assert.Equal(t, q.Name, name, "unfolded and unescaped")
	events := cal.Events()
	var entries []oncall.Entry
	for e, err := range s.Entries(q.From, q.Until) {
		require.NoError(t, err)
		entries = append(entries, e)
	}
	require.Len(t, events, len(entries))
	uids := map[string]bool{}
	for i, ev := range events {
		summary, err := ev.Props.Text(ical.PropSummary)
		require.NoError(t, err)
		assert.Equal(t, "On call: "+entries[i].User, summary)
		start, err := ev.DateTimeStart(nil)
		require.NoError(t, err)
		assert.True(t, start.Equal(entries[i].From), "%s", start)
		assert.Equal(t, time.UTC, start.Location())
		end, err := ev.DateTimeEnd(nil)
		require.NoError(t, err)
		assert.True(t, end.Equal(entries[i].Until), "%s", end)
		uid, err := ev.Props.Text(ical.PropUID)
		require.NoError(t, err)
		assert.False(t, uids[uid], "unique UID %s", uid)
		uids[uid] = true
	}
}

func TestWriteICSText(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	user := "Zoë, the \\ \"night\"; owl\n\x01" + strings.Repeat("ü", 40)
	s, err := oncall.New(oncall.Config{Layers: []oncall.Layer{{Users: []string{user}, Start: start, Turn: oncall.Daily()}}})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, s.WriteICS(&buf, oncall.ICS{From: start, Until: start.Add(time.Hour), Stamp: start}))
	for line := range strings.SplitSeq(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		assert.LessOrEqual(t, len(line), 75, "%q", line)
		assert.True(t, strings.ToValidUTF8(line, "") == line, "no UTF-8 sequence split: %q", line)
	}
	cal, err := ical.NewDecoder(&buf).Decode()
	require.NoError(t, err)
	require.Len(t, cal.Events(), 1)
	summary, err := cal.Events()[0].Props.Text(ical.PropSummary)
	require.NoError(t, err)
	assert.Equal(t, "On call: "+strings.ReplaceAll(user, "\x01", ""), summary)
	name, err := cal.Props.Text("X-WR-CALNAME")
	require.NoError(t, err)
	assert.Equal(t, "On call", name)
}

func TestWriteICSErrors(t *testing.T) {
	t.Parallel()
	s, berlin := layered(t)
	at := time.Date(2026, time.March, 23, 0, 0, 0, 0, berlin)
	var buf bytes.Buffer
	requireInvalid(t, s.WriteICS(&buf, oncall.ICS{From: at, Until: at}), "until")

	broken := errors.New("disk full")
	err := s.WriteICS(failingWriter{broken}, oncall.ICS{From: at, Until: at.AddDate(0, 1, 0)})
	assert.ErrorIs(t, err, broken)
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }
