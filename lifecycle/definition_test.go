package lifecycle_test

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func TestNewDefinitionRejects(t *testing.T) {
	t.Parallel()
	open := func(name string) lifecycle.State { return lifecycle.State{Name: name, Category: lifecycle.Open} }
	initial := lifecycle.State{Name: "new", Category: lifecycle.Open, Initial: true}
	done := lifecycle.State{Name: "done", Category: lifecycle.Closed}
	finish := lifecycle.Event{Name: "finish", From: []string{"new"}, To: "done"}
	tests := []struct {
		name   string
		def    string
		states []lifecycle.State
		events []lifecycle.Event
		field  string
	}{
		{"empty name", "", []lifecycle.State{initial}, nil, "name"},
		{"no states", "x", nil, nil, "states"},
		{"no initial", "x", []lifecycle.State{open("a")}, nil, "states"},
		{"two initial", "x", []lifecycle.State{initial, {Name: "b", Category: lifecycle.Open, Initial: true}}, nil, "states[1].initial"},
		{"bad state name", "x", []lifecycle.State{initial, open("in progress")}, nil, "states[1].name"},
		{"duplicate state", "x", []lifecycle.State{initial, open("new")}, nil, "states[1].name"},
		{"no category", "x", []lifecycle.State{initial, {Name: "b"}}, nil, "states[1].category"},
		{"allow exit on open", "x", []lifecycle.State{initial, {Name: "b", Category: lifecycle.Open, AllowExit: true}}, nil, "states[1].allow_exit"},
		{"empty requires", "x", []lifecycle.State{{Name: "new", Category: lifecycle.Open, Initial: true, Requires: []string{""}}}, nil, "states[0].requires[0]"},
		{"unknown target", "x", []lifecycle.State{initial}, []lifecycle.Event{{Name: "go", From: []string{"new"}, To: "nowhere"}}, "events[0].to"},
		{"unknown source", "x", []lifecycle.State{initial, done}, []lifecycle.Event{{Name: "go", From: []string{"nowhere"}, To: "done"}}, "events[0].from[0]"},
		{"no source", "x", []lifecycle.State{initial, done}, []lifecycle.Event{{Name: "go", To: "done"}}, "events[0].from"},
		{"reserved event", "x", []lifecycle.State{initial, done}, []lifecycle.Event{{Name: "update", From: []string{"new"}, To: "done"}}, "events[0].name"},
		{"bad event name", "x", []lifecycle.State{initial, done}, []lifecycle.Event{{Name: "go!", From: []string{"new"}, To: "done"}}, "events[0].name"},
		{"duplicate event source", "x", []lifecycle.State{initial, done}, []lifecycle.Event{finish, finish}, "events[1].from[0]"},
		{"unreachable", "x", []lifecycle.State{initial, done, open("island")}, []lifecycle.Event{finish}, "states[2]"},
		{"exit from final", "x", []lifecycle.State{initial, done}, []lifecycle.Event{finish, {Name: "undo", From: []string{"done"}, To: "new"}}, "events[1].from[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := lifecycle.NewDefinition(tt.def, tt.states, tt.events)
			require.Error(t, err)
			assert.Nil(t, d)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, ve.Reason)
			assert.ErrorIs(t, err, itil.ErrInvalid)
		})
	}
}

func TestDefinitionAllowsDeclaredExitFromFinal(t *testing.T) {
	t.Parallel()
	d, err := lifecycle.NewDefinition("x",
		[]lifecycle.State{{Name: "new", Category: lifecycle.Open, Initial: true}, {Name: "done", Category: lifecycle.Closed, AllowExit: true}},
		[]lifecycle.Event{{Name: "finish", From: []string{"new"}, To: "done"}, {Name: "undo", From: []string{"done"}, To: "new"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"undo"}, d.Allowed("done"))
}

func TestDefinitionQueries(t *testing.T) {
	t.Parallel()
	d := ticketDefinition()
	assert.Equal(t, "ticket", d.Name())
	assert.Equal(t, "new", d.Initial().Name)
	assert.Equal(t, lifecycle.Paused, d.Category("on_hold"))
	assert.Zero(t, d.Category("nowhere"))
	to, ok := d.Target("resolve", "assigned")
	assert.True(t, ok)
	assert.Equal(t, "resolved", to)
	_, ok = d.Target("close", "new")
	assert.False(t, ok)
	assert.Equal(t, []string{"assign", "resolve", "cancel"}, d.Allowed("new"))
	assert.Equal(t, []string{"resolve"}, d.EventsTo("in_progress", lifecycle.Resolved))
	assert.Equal(t, []string{"closed", "cancelled"}, d.StatesIn(lifecycle.Closed, lifecycle.Cancelled))
	ev, ok := d.EventToward("in_progress", lifecycle.Resolved, "fix")
	assert.True(t, ok)
	assert.Equal(t, "resolve", ev, "the preferred event is not there: the definition's way is taken")
	ev, ok = d.EventToward("resolved", lifecycle.Open, "reopen")
	assert.True(t, ok)
	assert.Equal(t, "reopen", ev)
	_, ok = d.EventToward("closed", lifecycle.Open, "reopen")
	assert.False(t, ok)
	var te *lifecycle.TransitionError
	require.ErrorAs(t, d.TransitionError("close", "new"), &te)
	assert.Equal(t, []string{"assign", "resolve", "cancel"}, te.Allowed)

	// Accessors hand out copies.
	states := d.States()
	states[0].Name = "changed"
	states[0].Requires[0] = "changed"
	assert.Equal(t, "new", d.States()[0].Name)
	assert.Equal(t, []string{"title"}, d.State("new").Requires)
}

func TestDefinitionExtend(t *testing.T) {
	t.Parallel()
	base := ticketDefinition()
	ext, err := base.Extend(
		[]lifecycle.State{{Name: "awaiting_vendor", Category: lifecycle.Paused, Requires: []string{"fields.vendor_ticket"}}},
		[]lifecycle.Event{
			{Name: "wait_vendor", From: []string{"in_progress"}, To: "awaiting_vendor"},
			{Name: "resume", From: []string{"awaiting_vendor"}, To: "in_progress"},
		})
	require.NoError(t, err)
	assert.Equal(t, lifecycle.Paused, ext.Category("awaiting_vendor"))
	assert.Equal(t, []string{"in_progress"}, func() []string { to, _ := ext.Target("resume", "awaiting_vendor"); return []string{to} }())
	assert.Zero(t, base.Category("awaiting_vendor"), "the base definition is unchanged")

	_, err = base.Extend([]lifecycle.State{{Name: "orphan", Category: lifecycle.Open}}, nil)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "states[7]", ve.Field)
}

func TestDefinitionJSONRoundTrip(t *testing.T) {
	t.Parallel()
	d := ticketDefinition()
	data, err := json.Marshal(d)
	require.NoError(t, err)
	back, err := lifecycle.ParseDefinition(data)
	require.NoError(t, err)
	assert.Equal(t, d.States(), back.States())
	assert.Equal(t, d.Events(), back.Events())
	assert.Equal(t, d.Mermaid(), back.Mermaid())

	// A definition inside a host's configuration.
	var cfg struct {
		Lifecycle *lifecycle.Definition `json:"lifecycle"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"lifecycle":`+string(data)+`}`), &cfg))
	assert.Equal(t, d.Events(), cfg.Lifecycle.Events())
	again, err := json.Marshal(cfg.Lifecycle)
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again))
}

func TestParseDefinitionRejects(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"not json":       `{`,
		"unknown field":  `{"name":"x","states":[{"name":"a","category":"open","initial":true,"require":["x"]}],"events":[]}`,
		"bad category":   `{"name":"x","states":[{"name":"a","category":"limbo","initial":true}],"events":[]}`,
		"trailing data":  `{"name":"x","states":[{"name":"a","category":"open","initial":true}],"events":[]} {}`,
		"invalid states": `{"name":"x","states":[],"events":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := lifecycle.ParseDefinition([]byte(in))
			assert.ErrorIs(t, err, itil.ErrInvalid)
		})
	}
}

func TestMermaidGolden(t *testing.T) {
	t.Parallel()
	got := ticketDefinition().Mermaid()
	path := filepath.Join("testdata", "ticket.mmd")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got)
}

func FuzzParseDefinition(f *testing.F) {
	data, err := json.Marshal(ticketDefinition())
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"name":"x","states":[{"name":"a","category":"open","initial":true}],"events":[]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := lifecycle.ParseDefinition(in)
		if err != nil {
			var ve *itil.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error is not a ValidationError: %v", err)
			}
			return
		}
		// A valid definition re-encodes to one that parses to the same thing.
		out, err := json.Marshal(d)
		require.NoError(t, err)
		back, err := lifecycle.ParseDefinition(out)
		require.NoError(t, err)
		require.Equal(t, d.Events(), back.Events())
		_ = d.Mermaid()
	})
}

func TestAppendAttrs(t *testing.T) {
	t.Parallel()
	id := uuid.MustParse("01890000-0000-7000-8000-000000000001")
	got := lifecycle.AppendAttr(nil, "ci", "db-1", "", "web-1")
	got = lifecycle.AppendAttr(got, "group", "")
	got = lifecycle.AppendRefAttrs(got, "problem", []lifecycle.Ref{{Kind: "problem", ID: id}})
	assert.Equal(t, []lifecycle.Attr{
		{Key: "ci", Value: "db-1"}, {Key: "ci", Value: "web-1"},
		{Key: "problem", Value: id.String()},
	}, got)
}
