package event_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
)

// withTicket declares a custom field that acknowledging requires.
func withTicket(_ *fixture, c *event.Config) {
	c.Fields = []lifecycle.Field{
		{Name: "ticket", RequiredIn: []string{event.StateAcknowledged}},
		{Name: "runbook"},
	}
}

var bob = itil.Actor{ID: "bob"}

func TestAcknowledgeNamesTheAlert(t *testing.T) {
	t.Parallel()
	const key = "nagios/web-1/http"
	for _, tc := range []struct {
		name  string
		p     func(open, closed *event.Alert) event.AcknowledgeParams
		class error  // the error's class, or nil for success
		field string // the field a *itil.ValidationError names
	}{
		{"by key", func(o, _ *event.Alert) event.AcknowledgeParams { return event.AcknowledgeParams{Key: key, By: bob} }, nil, ""},
		{"by ID", func(o, _ *event.Alert) event.AcknowledgeParams { return event.AcknowledgeParams{ID: o.ID, By: bob} }, nil, ""},
		{"by both", func(o, _ *event.Alert) event.AcknowledgeParams {
			return event.AcknowledgeParams{ID: o.ID, Key: key, By: bob}
		}, nil, ""},
		{"at its version", func(o, _ *event.Alert) event.AcknowledgeParams {
			return event.AcknowledgeParams{ID: o.ID, Version: o.Version, By: bob}
		}, nil, ""},
		{"neither", func(_, _ *event.Alert) event.AcknowledgeParams { return event.AcknowledgeParams{By: bob} }, itil.ErrInvalid, "key"},
		{"another's key", func(o, _ *event.Alert) event.AcknowledgeParams {
			return event.AcknowledgeParams{ID: o.ID, Key: "nagios/db-1/sql", By: bob}
		}, itil.ErrInvalid, "key"},
		{"no actor", func(o, _ *event.Alert) event.AcknowledgeParams { return event.AcknowledgeParams{ID: o.ID} }, itil.ErrInvalid, "by"},
		{"negative version", func(o, _ *event.Alert) event.AcknowledgeParams {
			return event.AcknowledgeParams{ID: o.ID, Version: -1, By: bob}
		}, itil.ErrInvalid, "version"},
		{"undeclared field", func(o, _ *event.Alert) event.AcknowledgeParams {
			return event.AcknowledgeParams{ID: o.ID, By: bob, Fields: map[string]string{"nope": "x"}}
		}, itil.ErrInvalid, "fields.nope"},
		{"unknown key", func(_, _ *event.Alert) event.AcknowledgeParams { return event.AcknowledgeParams{Key: "nope", By: bob} },
			lifecycle.ErrNotFound, ""},
		{"unknown ID", func(_, _ *event.Alert) event.AcknowledgeParams {
			return event.AcknowledgeParams{ID: uuid.New(), By: bob}
		}, lifecycle.ErrNotFound, ""},
		{"closed alert", func(_, c *event.Alert) event.AcknowledgeParams { return event.AcknowledgeParams{ID: c.ID, By: bob} },
			lifecycle.ErrRefused, ""},
		{"stale version", func(o, _ *event.Alert) event.AcknowledgeParams {
			return event.AcknowledgeParams{ID: o.ID, Version: o.Version - 1, By: bob}
		}, lifecycle.ErrConflict, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil)
			f.ingest(t, event.Event{Source: "nagios", Node: "db-1", Check: "sql", Severity: event.SeverityMajor})
			f.ingest(t, event.Event{Source: "nagios", Node: "db-1", Check: "sql", Severity: event.SeverityOK})
			closed := lastAlert(t, f, "nagios/db-1/sql")
			f.ingest(t, web(event.SeverityMajor), web(event.SeverityCritical))
			open := f.alert(t, key)
			before := len(f.journal(t, open))

			got, err := f.engine.Acknowledge(f.ctx, tc.p(open, closed))
			if tc.class == nil {
				require.NoError(t, err)
				assert.Equal(t, event.StateAcknowledged, got.State)
				assert.Equal(t, int64(2), got.Count, "the live counters stay")
				assert.Equal(t, event.StateAcknowledged, f.alert(t, key).State)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.class, lifecycle.Class(err), "%v", err)
			if tc.field != "" {
				var ve *itil.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tc.field, ve.Field)
			}
			if tc.class == lifecycle.ErrNotFound {
				assert.ErrorIs(t, err, event.ErrNoAlert)
			}
			assert.Equal(t, event.StateOpen, f.alert(t, key).State, "nothing written")
			assert.Len(t, f.journal(t, open), before, "nothing journaled")
		})
	}
}

// lastAlert returns the stored alert of key opened last.
func lastAlert(t *testing.T, f *fixture, key string) *event.Alert {
	t.Helper()
	var last *event.Alert
	for a, err := range f.engine.Find(f.ctx, event.Query{DedupKey: []string{key}}) {
		require.NoError(t, err)
		last = a
	}
	require.NotNil(t, last, key)
	return last
}

func TestAcknowledgeSetsFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t, withTicket)
	_, declared := f.engine.Lifecycle().Field("ticket")
	assert.True(t, declared, "the engine's lifecycle declares Config.Fields")
	assert.Equal(t, []string{"fields.ticket"}, f.engine.Lifecycle().Requires(event.StateAcknowledged))
	f.ingest(t, web(event.SeverityMajor))
	open := f.alert(t, "nagios/web-1/http")

	_, err := f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{ID: open.ID, By: bob})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve, "acknowledged requires the ticket")
	assert.Equal(t, "fields.ticket", ve.Field)
	assert.Equal(t, event.StateOpen, f.alert(t, "nagios/web-1/http").State)

	got, err := f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{ID: open.ID, By: bob, Note: "on it",
		Fields: map[string]string{"ticket": "VND-7"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"ticket": "VND-7"}, got.Fields)
	stored, err := f.engine.Get(f.ctx, open.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"ticket": "VND-7"}, stored.Fields)
	chs := f.journal(t, stored)
	last := chs[len(chs)-1]
	assert.Equal(t, event.EventAcknowledge, last.Event)
	assert.Equal(t, "on it", last.Note)
	assert.Contains(t, last.Fields, lifecycle.FieldChange{Field: "fields.ticket", New: "VND-7"})

	// A later write of the engine's keeps them.
	f.ingest(t, web(event.SeverityCritical))
	stored, err = f.engine.Get(f.ctx, open.ID)
	require.NoError(t, err)
	assert.Equal(t, event.SeverityCritical, stored.Severity)
	assert.Equal(t, map[string]string{"ticket": "VND-7"}, stored.Fields)
}

func TestEdit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, withTicket)
	f.ingest(t, web(event.SeverityMajor), web(event.SeverityMajor), web(event.SeverityMajor))
	open := f.alert(t, "nagios/web-1/http")

	got, err := f.engine.Edit(f.ctx, event.Params{ID: open.ID, By: bob, Note: "see the runbook",
		Fields: map[string]string{"runbook": "https://runbooks.example/web"}})
	require.NoError(t, err)
	assert.Equal(t, event.StateOpen, got.State)
	assert.Equal(t, int64(3), got.Count, "the live counters stay")
	assert.Equal(t, "https://runbooks.example/web", f.alert(t, "nagios/web-1/http").Fields["runbook"])
	chs := f.journal(t, got)
	assert.Equal(t, lifecycle.EventUpdate, chs[len(chs)-1].Event)
	assert.Equal(t, "see the runbook", chs[len(chs)-1].Note)

	_, err = f.engine.Edit(f.ctx, event.Params{ID: open.ID, Version: got.Version - 1, By: bob, Note: "stale"})
	require.ErrorIs(t, err, lifecycle.ErrConflict)

	_, err = f.engine.Acknowledge(f.ctx, event.AcknowledgeParams{ID: open.ID, By: bob, Fields: map[string]string{"ticket": "VND-8"}})
	require.NoError(t, err)
	_, err = f.engine.Edit(f.ctx, event.Params{ID: open.ID, By: bob, Fields: map[string]string{"ticket": ""}})
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve, "an acknowledged alert keeps what acknowledging requires")
	assert.Equal(t, "fields.ticket", ve.Field)

	f.ingest(t, web(event.SeverityOK))
	closed, err := f.engine.Edit(f.ctx, event.Params{ID: open.ID, By: bob, Note: "post-mortem held",
		Fields: map[string]string{"runbook": "https://runbooks.example/web-v2"}})
	require.NoError(t, err, "a closed alert takes notes and fields too")
	assert.Equal(t, event.StateClosed, closed.State)
	assert.Equal(t, "https://runbooks.example/web-v2", closed.Fields["runbook"])
	assert.Equal(t, "VND-8", closed.Fields["ticket"])

	for _, tc := range []struct {
		name  string
		p     event.Params
		class error
		field string
	}{
		{"no id", event.Params{By: bob, Note: "x"}, itil.ErrInvalid, "id"},
		{"nothing to edit", event.Params{ID: open.ID, By: bob}, itil.ErrInvalid, "note"},
		{"no actor", event.Params{ID: open.ID, Note: "x"}, itil.ErrInvalid, "by"},
		{"bad field", event.Params{ID: open.ID, By: bob, Fields: map[string]string{"nope": "x"}}, itil.ErrInvalid, "fields.nope"},
		{"unknown alert", event.Params{ID: uuid.New(), By: bob, Note: "x"}, lifecycle.ErrNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.engine.Edit(f.ctx, tc.p)
			assert.Equal(t, tc.class, lifecycle.Class(err), "%v", err)
			if tc.field != "" {
				var ve *itil.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tc.field, ve.Field)
			}
		})
	}
}

// TestFindQuery: a query's fields AND, the values within one field OR.
func TestFindQuery(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ev := func(source, node string, sev event.Severity) event.Event {
		return event.Event{Source: source, Node: node, Check: "ping", CI: node, Severity: sev}
	}
	f.ingest(t,
		ev("nagios", "a", event.SeverityMajor),
		ev("nagios", "b", event.SeverityCritical),
		ev("zabbix", "c", event.SeverityMajor),
		ev("zabbix", "d", event.SeverityWarning),
		ev("nagios", "e", event.SeverityWarning),
	)
	f.ingest(t, ev("nagios", "e", event.SeverityOK)) // e clears
	group := f.alert(t, "nagios/a/ping").Group

	for _, tc := range []struct {
		name string
		q    event.Query
		want []string // nodes
	}{
		{"all", event.Query{}, []string{"a", "b", "c", "d", "e"}},
		{"open", event.Query{Open: true}, []string{"a", "b", "c", "d"}},
		{"closed", event.Query{Categories: []lifecycle.Category{lifecycle.Closed}}, []string{"e"}},
		{"open and closed: none", event.Query{Open: true, Categories: []lifecycle.Category{lifecycle.Closed}}, nil},
		{"states OR", event.Query{States: []string{event.StateOpen, event.StateClosed}}, []string{"a", "b", "c", "d", "e"}},
		{"severities OR", event.Query{Severities: []event.Severity{event.SeverityMajor, event.SeverityCritical}}, []string{"a", "b", "c"}},
		{"source AND severity", event.Query{Source: []string{"nagios"}, Severities: []event.Severity{event.SeverityMajor}}, []string{"a"}},
		{"sources OR", event.Query{Source: []string{"nagios", "zabbix"}, Open: true}, []string{"a", "b", "c", "d"}},
		{"CIs OR, AND open", event.Query{CI: []string{"d", "e"}, Open: true}, []string{"d"}},
		{"node", event.Query{Node: []string{"b"}}, []string{"b"}},
		{"check", event.Query{Check: []string{"ping"}, Source: []string{"zabbix"}}, []string{"c", "d"}},
		{"dedup key", event.Query{DedupKey: []string{"zabbix/c/ping"}}, []string{"c"}},
		{"group", event.Query{Group: group}, []string{"a"}},
		{"no such group", event.Query{Group: uuid.New()}, nil},
		{"limit", event.Query{Limit: 2}, []string{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for a, err := range f.engine.Find(f.ctx, tc.q) {
				require.NoError(t, err)
				got = append(got, a.Node)
			}
			assert.Equal(t, tc.want, got)
		})
	}

	for _, tc := range []struct {
		q     event.Query
		field string
	}{
		{event.Query{Severities: []event.Severity{event.SeverityOK}}, "severities[0]"},
		{event.Query{Severities: []event.Severity{event.SeverityMajor, 42}}, "severities[1]"},
		{event.Query{Source: []string{"na\x00gios"}}, "source"},
		{event.Query{States: []string{"\xff"}}, "states"},
		{event.Query{Categories: []lifecycle.Category{99}}, "categories[0]"},
		{event.Query{Limit: -1}, "limit"},
	} {
		n := 0
		for _, err := range f.engine.Find(f.ctx, tc.q) {
			n++
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve, tc.field)
			assert.Contains(t, ve.Field, tc.field)
		}
		assert.Equal(t, 1, n, "one error, %s", tc.field)
	}
}
