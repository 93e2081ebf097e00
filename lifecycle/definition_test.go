package lifecycle_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
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

// TestParseDefinitionRejects checks that every error of parsing a
// lifecycle from JSON is a *itil.ValidationError naming the part of the
// document that is wrong, in the document's own terms.
func TestParseDefinitionRejects(t *testing.T) {
	t.Parallel()
	// doc is a valid definition with states and events spliced in.
	doc := func(states, events string) string {
		return `{"name":"x","states":[{"name":"a","category":"open","initial":true},` + states + `],"events":[` + events + `]}`
	}
	b := `{"name":"b","category":"closed"}`
	ab := `{"name":"go","from":["a"],"to":"b"}`
	tests := []struct {
		name, in, field string
	}{
		{"empty", ``, "definition"},
		{"not json", `{`, "definition"},
		{"not an object", `[1,2]`, "definition"},
		{"null document", `null`, "definition"},
		{"trailing data", doc(b, ab) + ` {}`, "definition"},
		{"trailing brace", doc(b, ab) + `}`, "definition"},
		{"unknown top field", `{"name":"x","stats":[]}`, "stats"},
		{"odd unknown key", `{"name":"x","a b":1}`, "definition"},
		{"duplicate key", `{"name":"x","name":"y"}`, "name"},
		{"name not a string", `{"name":7}`, "name"},
		{"name with NUL", `{"name":"x\u0000"}`, "name"},
		{"bad name", `{"name":"in progress"}`, "name"},
		{"states not an array", `{"name":"x","states":{}}`, "states"},
		{"state not an object", doc(`"b"`, ab), "states[1]"},
		{"unknown state field", doc(`{"name":"b","category":"closed","require":["x"]}`, ab), "states[1].require"},
		{"bad category", doc(`{"name":"b","category":"limbo"}`, ab), "states[1].category"},
		{"category not a string", doc(`{"name":"b","category":4}`, ab), "states[1].category"},
		{"no category", doc(`{"name":"b"}`, ab), "states[1].category"},
		{"initial not a bool", doc(`{"name":"b","category":"closed","initial":"yes"}`, ab), "states[1].initial"},
		{"two initial", doc(`{"name":"b","category":"closed","initial":true}`, ab), "states[1].initial"},
		{"allow_exit not a bool", doc(`{"name":"b","category":"closed","allow_exit":1}`, ab), "states[1].allow_exit"},
		{"requires not an array", doc(`{"name":"b","category":"closed","requires":"x"}`, ab), "states[1].requires"},
		{"requires element not a string", doc(`{"name":"b","category":"closed","requires":["x",false]}`, ab), "states[1].requires[1]"},
		{"requires with NUL", doc(`{"name":"b","category":"closed","requires":["x\u0000y"]}`, ab), "states[1].requires[0]"},
		{"empty requires", doc(`{"name":"b","category":"closed","requires":[""]}`, ab), "states[1].requires[0]"},
		{"duplicate state", doc(`{"name":"a","category":"closed"}`, ab), "states[1].name"},
		{"syntax error in a state", `{"name":"x","states":[{"name":"a","category":"open","initial":true},{"name":"b",]}`, "states[1]"},
		{"truncated in a state", `{"name":"x","states":[{"name":"a","category":`, "states[0].category"},
		{"no initial", `{"name":"x","states":[{"name":"a","category":"open"}]}`, "states"},
		{"unreachable", doc(b, ``), "states[1]"},
		{"events not an array", `{"name":"x","states":[{"name":"a","category":"open","initial":true}],"events":"go"}`, "events"},
		{"unknown event field", doc(b, `{"name":"go","from":["a"],"to":"b","too":"b"}`), "events[0].too"},
		{"from not an array", doc(b, `{"name":"go","from":"a","to":"b"}`), "events[0].from"},
		{"from element not a string", doc(b, `{"name":"go","from":["a",{}],"to":"b"}`), "events[0].from[1]"},
		{"unknown source", doc(b, `{"name":"go","from":["a","b","c"],"to":"b"}`), "events[0].from[1]"},
		{"unknown source after a valid one", doc(`{"name":"b","category":"open"}`, ab+`,{"name":"back","from":["b","a","zz"],"to":"a"}`), "events[1].from[2]"},
		{"unknown target", doc(b, `{"name":"go","from":["a"],"to":"c"}`), "events[0].to"},
		{"to not a string", doc(b, `{"name":"go","from":["a"],"to":["b"]}`), "events[0].to"},
		{"reserved event", doc(b, `{"name":"create","from":["a"],"to":"b"}`), "events[0].name"},
		{"event requires with bad UTF-8", doc(b, `{"name":"go","from":["a"],"to":"b","requires":["ok","\ud800"]}`), "events[0].requires[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := lifecycle.ParseDefinition([]byte(tt.in))
			require.Error(t, err)
			assert.Nil(t, d)
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve, "%T: %v", err, err)
			assert.Equal(t, tt.field, ve.Field, ve.Reason)
			assert.NotEmpty(t, ve.Reason)
			assert.ErrorIs(t, err, itil.ErrInvalid)
		})
	}
}

// TestParseDefinitionRefusesInvalidUTF8 checks that bytes that are not
// UTF-8 are refused where they stand, never replaced.
func TestParseDefinitionRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	in := []byte(`{"name":"x","states":[{"name":"a","category":"open","initial":true,"requires":["ti\xfftle"]}]}`)
	in = bytes.Replace(in, []byte(`\xff`), []byte{0xff}, 1)
	_, err := lifecycle.ParseDefinition(in)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "states[0].requires[0]", ve.Field)
	assert.Contains(t, ve.Reason, "UTF-8")

	_, err = lifecycle.NewDefinition("x", []lifecycle.State{{Name: "a", Category: lifecycle.Open, Initial: true, Requires: []string{"a\x00b"}}}, nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "states[0].requires[0]", ve.Field)
}

// TestParseDefinitionAcceptsFieldNamesInAnyCase keeps what encoding/json
// accepted: keys match the field names without regard to case.
func TestParseDefinitionAcceptsFieldNamesInAnyCase(t *testing.T) {
	t.Parallel()
	d, err := lifecycle.ParseDefinition([]byte(`{"Name":"x","STATES":[{"name":"a","Category":"open","initial":true,"requires":null}],"events":null}`))
	require.NoError(t, err)
	assert.Equal(t, "x", d.Name())
	assert.Equal(t, "a", d.Initial().Name)
}

// TestUnmarshalJSONDefinitionFires checks that a definition decoded in
// place, inside a host's configuration, runs a process like one built by
// NewDefinition.
func TestUnmarshalJSONDefinitionFires(t *testing.T) {
	t.Parallel()
	data, err := json.Marshal(ticketDefinition())
	require.NoError(t, err)
	var cfg struct {
		Lifecycle *lifecycle.Definition `json:"lifecycle"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"lifecycle":`+string(data)+`}`), &cfg))
	p := newTickets(t, cfg.Lifecycle, lifecycle.ProcessConfig{})
	ctx := t.Context()
	tk, err := p.Create(ctx, &ticket{Title: "printer"}, alice, "")
	require.NoError(t, err)
	tk, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "assign", Actor: alice, Apply: setGroup("desk")})
	require.NoError(t, err)
	assert.Equal(t, "assigned", tk.State)
	_, err = p.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "close", Actor: alice})
	assert.ErrorIs(t, err, lifecycle.ErrTransition)

	// Decoding again into a definition in use replaces it whole.
	require.NoError(t, json.Unmarshal([]byte(`{"name":"tiny","states":[{"name":"only","category":"open","initial":true}]}`), cfg.Lifecycle))
	assert.Equal(t, "tiny", cfg.Lifecycle.Name())
	assert.Empty(t, cfg.Lifecycle.Allowed("new"))
	assert.Equal(t, "only", cfg.Lifecycle.Initial().Name)
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

// FuzzParseDefinition decodes arbitrary input as a lifecycle. Whatever is
// refused is refused with a *itil.ValidationError naming a path of the
// document; whatever decodes holds only valid text and encodes to a
// definition that parses to the same thing. Seeds are in
// testdata/fuzz/FuzzParseDefinition.
func FuzzParseDefinition(f *testing.F) {
	data, err := json.Marshal(ticketDefinition())
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"name":"x","states":[{"name":"a","category":"open","initial":true}],"events":[]}`))
	path := regexp.MustCompile(`^(definition|name|states|events)(\[[0-9]+\](\.[A-Za-z0-9_]+(\[[0-9]+\])?)?)?$|^[A-Za-z0-9_]+$`)
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := lifecycle.ParseDefinition(in)
		if err != nil {
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve, "%T: %v", err, err)
			require.Regexp(t, path, ve.Field, "the error names a path of the document: %v", err)
			require.NotEmpty(t, ve.Reason)
			return
		}
		for _, s := range d.States() {
			require.NoError(t, itil.CheckTexts(s.Name+".requires", s.Requires, 0))
		}
		for _, e := range d.Events() {
			require.NoError(t, itil.CheckTexts(e.Name+".requires", e.Requires, 0))
		}
		// A valid definition re-encodes to one that parses to the same thing.
		out, err := json.Marshal(d)
		require.NoError(t, err)
		back, err := lifecycle.ParseDefinition(out)
		require.NoError(t, err)
		require.Equal(t, d.States(), back.States())
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
