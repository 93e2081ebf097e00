package request_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/request"
)

// Hostile texts: a NUL character (which PostgreSQL refuses in text), bytes
// that are not UTF-8 (which a SQL store would replace), and texts one
// character over the limits, in a character of three bytes so that a
// limit counted in bytes shows.
var (
	nul      = "ok\x00ok"
	badUTF8  = "ok\xffok"
	longName = strings.Repeat("€", request.MaxNameLength+1)
	longText = strings.Repeat("€", request.MaxTextLength+1)
)

// refusal is one hostile call and the field its error must name.
type refusal struct {
	name  string
	call  func() error
	field string
	line  int // the *request.LineError's line, or -1 for none
}

// checkRefusal makes the call and checks that it fails with a
// *itil.ValidationError on the field, without a panic, leaving every
// record and the log of st as they were (the journals are compared once
// all refusals are made).
func checkRefusal(t *testing.T, st lifecycle.Store, r refusal) {
	t.Helper()
	before := quickSnapshot(t, st)
	var err error
	require.NotPanics(t, func() { err = r.call() }, r.name)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve, "%s: %T %v", r.name, err, err)
	assert.Equal(t, r.field, ve.Field, "%s: %v", r.name, err)
	assert.ErrorIs(t, err, itil.ErrInvalid, r.name)
	if r.line >= 0 {
		var le *request.LineError
		if assert.ErrorAs(t, err, &le, r.name) {
			assert.Equal(t, r.line, le.Line, r.name)
		}
	}
	assert.Equal(t, before, quickSnapshot(t, st), "%s: the store is unchanged", r.name)
}

// first returns the error of the first element a listing yields.
func first[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		return err
	}
	return nil
}

// TestHostileInput calls every command and query of the desk with NUL
// characters, bytes that are not UTF-8, texts over their limits, zero IDs,
// zero actors and unknown enum values, on every store: each fails with a
// *itil.ValidationError naming the field, and the store is left byte for
// byte as it was.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		t.Parallel()
		ctx := t.Context()
		h := newHosts(t, db, 1, request.Config{})
		d, st := h.desks[0], h.stores[0]
		order := func(item string, values map[string]string) *request.Request {
			r, err := d.Order(ctx, request.Order{By: alice, Lines: []request.OrderLine{{Item: item, Values: values}}})
			require.NoError(t, err)
			return r
		}
		waiting := order("laptop", laptopValues())
		rejected := order("laptop", laptopValues())
		_, err := d.Decide(ctx, request.DecideParams{ID: rejected.ID, By: mike, Verdict: approval.Reject, Note: "too much"})
		require.NoError(t, err)
		working := order("onboarding", nil)
		require.NotEmpty(t, working.Tasks)
		task := working.Tasks[0].ID
		failed := working.Tasks[1].ID
		_, err = d.FailTask(ctx, request.TaskParams{ID: failed, By: tom, Note: "badge printer out of ink"})
		require.NoError(t, err)
		done := order("mouse", nil)
		_, err = d.CompleteTask(ctx, request.TaskParams{ID: done.Tasks[0].ID, By: tom})
		require.NoError(t, err)
		wiki := order("wiki-editor", nil)
		wiki, err = d.Decide(ctx, request.DecideParams{ID: wiki.ID, By: olga, Verdict: approval.Approve})
		require.NoError(t, err)
		grant := wiki.Lines[0].Grant
		require.NotZero(t, grant)

		line := func(item string, values map[string]string) []request.OrderLine {
			return []request.OrderLine{{Item: item, Values: values}}
		}
		just := func(v string) map[string]string { return map[string]string{"justification": v} }
		orderOf := func(o request.Order) func() error {
			return func() error {
				if o.Lines == nil {
					o.Lines = line("mouse", nil)
				}
				_, err := d.Order(ctx, o)
				return err
			}
		}
		decide := func(p request.DecideParams) func() error {
			return func() error { _, err := d.Decide(ctx, p); return err }
		}
		taskCall := func(f func(request.TaskParams) (*request.Task, error), p request.TaskParams) func() error {
			return func() error { _, err := f(p); return err }
		}
		taskOp := func(name string, f func(request.TaskParams) (*request.Task, error), id uuid.UUID) []refusal {
			return []refusal{
				{name + " zero ID", taskCall(f, request.TaskParams{By: tom, Note: "x"}), "id", -1},
				{name + " zero actor", taskCall(f, request.TaskParams{ID: id, Note: "x"}), "by", -1},
				{name + " actor NUL", taskCall(f, request.TaskParams{ID: id, By: itil.Actor{ID: nul}, Note: "x"}), "by.id", -1},
				{name + " note NUL", taskCall(f, request.TaskParams{ID: id, By: tom, Note: nul}), "note", -1},
				{name + " note not UTF-8", taskCall(f, request.TaskParams{ID: id, By: tom, Note: badUTF8}), "note", -1},
				{name + " note too long", taskCall(f, request.TaskParams{ID: id, By: tom, Note: longText}), "note", -1},
			}
		}
		start := func(p request.TaskParams) (*request.Task, error) { return d.StartTask(ctx, p) }
		complete := func(p request.TaskParams) (*request.Task, error) { return d.CompleteTask(ctx, p) }
		fail := func(p request.TaskParams) (*request.Task, error) { return d.FailTask(ctx, p) }
		retry := func(p request.TaskParams) (*request.Task, error) { return d.RetryTask(ctx, p) }
		assignTask := func(p request.AssignTaskParams) func() error {
			return func() error { _, err := d.AssignTask(ctx, p); return err }
		}
		revoke := func(p request.RevokeParams) func() error {
			return func() error { _, err := d.Revoke(ctx, p); return err }
		}
		revise := func(p request.ReviseParams) func() error {
			return func() error { _, err := d.Revise(ctx, p); return err }
		}
		resubmit := func(p request.ResubmitParams) func() error {
			return func() error { _, err := d.Resubmit(ctx, p); return err }
		}
		cancel := func(p request.CancelParams) func() error {
			return func() error { _, err := d.Cancel(ctx, p); return err }
		}

		refusals := []refusal{
			{"Order zero by", orderOf(request.Order{}), "by", -1},
			{"Order by NUL", orderOf(request.Order{By: itil.Actor{ID: nul}}), "by.id", -1},
			{"Order by too long", orderOf(request.Order{By: itil.Actor{ID: longName}}), "by.id", -1},
			{"Order by name not UTF-8", orderOf(request.Order{By: itil.Actor{ID: "alice", Name: badUTF8}}), "by.name", -1},
			{"Order by group NUL", orderOf(request.Order{By: itil.Actor{ID: "alice", Groups: []string{"a", nul}}}), "by.groups[1]", -1},
			{"Order for NUL", orderOf(request.Order{By: alice, For: nul}), "for", -1},
			{"Order for too long", orderOf(request.Order{By: alice, For: longName}), "for", -1},
			{"Order description NUL", orderOf(request.Order{By: alice, Description: nul}), "description", -1},
			{"Order description not UTF-8", orderOf(request.Order{By: alice, Description: badUTF8}), "description", -1},
			{"Order description too long", orderOf(request.Order{By: alice, Description: longText}), "description", -1},
			{"Order note NUL", orderOf(request.Order{By: alice, Note: nul}), "note", -1},
			{"Order note too long", orderOf(request.Order{By: alice, Note: longText}), "note", -1},
			{"Order no lines", orderOf(request.Order{By: alice, Lines: []request.OrderLine{}}), "lines", -1},
			{"Order empty item", orderOf(request.Order{By: alice, Lines: line("", nil)}), "item", 0},
			{"Order item NUL", orderOf(request.Order{By: alice, Lines: line("mouse\x00", nil)}), "item", 0},
			{"Order quantity negative", orderOf(request.Order{By: alice, Lines: []request.OrderLine{{Item: "mouse", Quantity: -1}}}), "quantity", 0},
			{"Order value NUL", orderOf(request.Order{By: alice, Lines: line("erp-ap-clerk", just("covering "+nul))}), "variables[justification]", 0},
			{"Order value not UTF-8", orderOf(request.Order{By: alice, Lines: line("erp-ap-clerk", just("covering "+badUTF8))}), "variables[justification]", 0},
			{"Order value too long", orderOf(request.Order{By: alice, Lines: line("erp-ap-clerk", just(longText))}), "variables[justification]", 0},
			{"Order value NUL on a second line", orderOf(request.Order{By: alice, Lines: []request.OrderLine{{Item: "mouse"}, {Item: "laptop", Values: map[string]string{"ram": "16", "os": "linux", "asset_tag": "AB-1234" + nul}}}}), "variables[asset_tag]", 1},
			{"Order unknown variable NUL", orderOf(request.Order{By: alice, Lines: line("mouse", map[string]string{"col\x00our": "red"})}), "variables", 0},

			{"Decide zero ID", decide(request.DecideParams{By: mike, Verdict: approval.Approve}), "id", -1},
			{"Decide zero actor", decide(request.DecideParams{ID: waiting.ID, Verdict: approval.Approve}), "by", -1},
			{"Decide actor NUL", decide(request.DecideParams{ID: waiting.ID, By: itil.Actor{ID: "mike\x00"}, Verdict: approval.Approve}), "by.id", -1},
			{"Decide actor group not UTF-8", decide(request.DecideParams{ID: waiting.ID, By: itil.Actor{ID: "mike", Groups: []string{badUTF8}}, Verdict: approval.Approve}), "by.groups[0]", -1},
			{"Decide unknown verdict", decide(request.DecideParams{ID: waiting.ID, By: mike, Verdict: approval.Verdict(42)}), "verdict", -1},
			{"Decide note NUL", decide(request.DecideParams{ID: waiting.ID, By: mike, Verdict: approval.Approve, Note: nul}), "note", -1},
			{"Decide note too long", decide(request.DecideParams{ID: waiting.ID, By: mike, Verdict: approval.Reject, Note: longText}), "note", -1},
			{"Decide reject without note", decide(request.DecideParams{ID: waiting.ID, By: mike, Verdict: approval.Reject}), "note", -1},
		}
		refusals = append(refusals, taskOp("StartTask", start, task)...)
		refusals = append(refusals, taskOp("CompleteTask", complete, task)...)
		refusals = append(refusals, taskOp("FailTask", fail, task)...)
		refusals = append(refusals, taskOp("RetryTask", retry, failed)...)
		refusals = append(refusals, []refusal{
			{"FailTask without reason", taskCall(fail, request.TaskParams{ID: task, By: tom, Note: "  "}), "note", -1},

			{"AssignTask zero ID", assignTask(request.AssignTaskParams{By: tom, Group: "deskside"}), "id", -1},
			{"AssignTask zero actor", assignTask(request.AssignTaskParams{ID: task, Group: "deskside"}), "by", -1},
			{"AssignTask actor NUL", assignTask(request.AssignTaskParams{ID: task, By: itil.Actor{ID: nul}, Group: "deskside"}), "by.id", -1},
			{"AssignTask note too long", assignTask(request.AssignTaskParams{ID: task, By: tom, Group: "deskside", Note: longText}), "note", -1},
			{"AssignTask no group", assignTask(request.AssignTaskParams{ID: task, By: tom}), "group", -1},
			{"AssignTask blank group", assignTask(request.AssignTaskParams{ID: task, By: tom, Group: "  "}), "group", -1},
			{"AssignTask group NUL", assignTask(request.AssignTaskParams{ID: task, By: tom, Group: nul}), "group", -1},
			{"AssignTask group not UTF-8", assignTask(request.AssignTaskParams{ID: task, By: tom, Group: badUTF8}), "group", -1},
			{"AssignTask assignee too long", assignTask(request.AssignTaskParams{ID: task, By: tom, Group: "deskside", Assignee: longName}), "assignee", -1},
			{"AssignTask blank assignee", assignTask(request.AssignTaskParams{ID: task, By: tom, Group: "deskside", Assignee: " "}), "assignee", -1},
			{"AssignTask undeclared field", assignTask(request.AssignTaskParams{ID: task, By: tom, Group: "deskside", Fields: map[string]string{"colour": "red"}}), "fields.colour", -1},

			{"Revoke zero ID", revoke(request.RevokeParams{Note: "left", By: mike}), "id", -1},
			{"Revoke zero actor", revoke(request.RevokeParams{ID: grant, Note: "left"}), "by", -1},
			{"Revoke actor name too long", revoke(request.RevokeParams{ID: grant, Note: "left", By: itil.Actor{ID: "mike", Name: longName}}), "by.name", -1},
			{"Revoke no note", revoke(request.RevokeParams{ID: grant, By: mike}), "note", -1},
			{"Revoke note NUL", revoke(request.RevokeParams{ID: grant, Note: nul, By: mike}), "note", -1},
			{"Revoke note too long", revoke(request.RevokeParams{ID: grant, Note: longText, By: mike}), "note", -1},

			{"Revise zero ID", revise(request.ReviseParams{Values: laptopValues(), By: alice}), "id", -1},
			{"Revise zero actor", revise(request.ReviseParams{ID: rejected.ID, Values: laptopValues()}), "by", -1},
			{"Revise line out of range", revise(request.ReviseParams{ID: rejected.ID, Line: 3, Values: laptopValues(), By: alice}), "line", -1},
			{"Revise negative line", revise(request.ReviseParams{ID: rejected.ID, Line: -1, Values: laptopValues(), By: alice}), "line", -1},
			{"Revise value NUL", revise(request.ReviseParams{ID: rejected.ID, Values: map[string]string{"ram": "16", "os": "linux", "asset_tag": nul}, By: alice}), "variables[asset_tag]", 0},
			{"Revise value not UTF-8", revise(request.ReviseParams{ID: rejected.ID, Values: map[string]string{"ram": "16", "os": "linux", "asset_tag": badUTF8}, By: alice}), "variables[asset_tag]", 0},
			{"Revise note NUL", revise(request.ReviseParams{ID: rejected.ID, Values: laptopValues(), By: alice, Note: nul}), "note", -1},

			{"Resubmit zero ID", resubmit(request.ResubmitParams{By: alice}), "id", -1},
			{"Resubmit zero actor", resubmit(request.ResubmitParams{ID: rejected.ID}), "by", -1},
			{"Resubmit note too long", resubmit(request.ResubmitParams{ID: rejected.ID, By: alice, Note: longText}), "note", -1},

			{"Cancel zero ID", cancel(request.CancelParams{By: alice}), "id", -1},
			{"Cancel zero actor", cancel(request.CancelParams{ID: waiting.ID}), "by", -1},
			{"Cancel note NUL", cancel(request.CancelParams{ID: waiting.ID, By: alice, Note: nul}), "note", -1},
			{"Cancel note too long", cancel(request.CancelParams{ID: waiting.ID, By: alice, Note: longText}), "note", -1},

			{"Close zero ID", func() error { _, err := d.Close(ctx, request.Params{ID: uuid.Nil, By: tom}); return err }, "id", -1},
			{"Close zero actor", func() error { _, err := d.Close(ctx, request.Params{ID: done.ID, By: itil.Actor{}}); return err }, "by", -1},
			{"Close actor NUL", func() error { _, err := d.Close(ctx, request.Params{ID: done.ID, By: itil.Actor{ID: nul}}); return err }, "by.id", -1},

			{"Sweep zero time", func() error { _, err := d.Sweep(ctx, time.Time{}); return err }, "now", -1},

			{"Find requester NUL", func() error { return first(d.Find(ctx, request.Query{Requester: nul})) }, "requester", -1},
			{"Find item not UTF-8", func() error { return first(d.Find(ctx, request.Query{Item: badUTF8})) }, "item", -1},
			{"Find unknown state", func() error { return first(d.Find(ctx, request.Query{States: []string{request.StateClosed, "limbo"}})) }, "states[1]", -1},
			{"Find unknown category", func() error { return first(d.Find(ctx, request.Query{Categories: []lifecycle.Category{9}})) }, "categories[0]", -1},
			{"MyRequests NUL", func() error { return first(d.MyRequests(ctx, nul, false)) }, "user", -1},
			{"MyApprovals NUL", func() error { return first(d.MyApprovals(ctx, itil.Actor{ID: nul})) }, "actor.id", -1},
			{"MyApprovals group NUL", func() error { return first(d.MyApprovals(ctx, itil.Actor{ID: "mike", Groups: []string{nul}})) }, "actor.groups[0]", -1},
			{"Tasks group NUL", func() error { return first(d.Tasks(ctx, request.TaskQuery{Group: nul})) }, "group", -1},
			{"Tasks assignee too long", func() error { return first(d.Tasks(ctx, request.TaskQuery{Assignee: longName})) }, "assignee", -1},
			{"Tasks unknown state", func() error { return first(d.Tasks(ctx, request.TaskQuery{States: []string{"limbo"}})) }, "states[0]", -1},
			{"Grants user NUL", func() error { return first(d.Grants(ctx, request.GrantQuery{User: nul})) }, "user", -1},
			{"Grants role not UTF-8", func() error { return first(d.Grants(ctx, request.GrantQuery{Role: badUTF8})) }, "role", -1},
			{"GetByNumber NUL", func() error { _, err := d.GetByNumber(ctx, "REQ\x00"); return err }, "number", -1},
		}...)
		before := snapshot(t, st)
		for _, r := range refusals {
			checkRefusal(t, st, r)
		}
		assert.Equal(t, before, snapshot(t, st), "records, journals and log are as they were")

		// The limits count characters, not bytes: a text of exactly the
		// limit in three-byte characters is taken.
		r, err := d.Order(ctx, request.Order{By: alice, Description: strings.Repeat("€", request.MaxTextLength),
			Lines: line("erp-ap-clerk", just(strings.Repeat("€", request.MaxTextLength)))})
		require.NoError(t, err)
		got, err := d.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, r.Description, got.Description, "kept as given")
		assert.Equal(t, strings.Repeat("€", request.MaxTextLength), got.Lines[0].Values["justification"])
	})
}

// TestCatalogRefusesHostileText adds items with NUL characters, bytes that
// are not UTF-8 and over-long texts in each of their texts: each is refused
// with a *itil.ValidationError naming the field, and the catalog is
// unchanged.
func TestCatalogRefusesHostileText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*request.Item)
		field string
	}{
		{"name NUL", func(it *request.Item) { it.Name = nul }, "name"},
		{"name not UTF-8", func(it *request.Item) { it.Name = badUTF8 }, "name"},
		{"name too long", func(it *request.Item) { it.Name = longName }, "name"},
		{"category NUL", func(it *request.Item) { it.Category = nul }, "category"},
		{"description not UTF-8", func(it *request.Item) { it.Description = badUTF8 }, "description"},
		{"description too long", func(it *request.Item) { it.Description = longText }, "description"},
		{"keyword NUL", func(it *request.Item) { it.Keywords = []string{"x", nul} }, "keywords[1]"},
		{"label NUL", func(it *request.Item) { it.Variables[0].Label = nul }, "variables[ram].label"},
		{"help too long", func(it *request.Item) { it.Variables[0].Help = longText }, "variables[ram].help"},
		{"choice NUL", func(it *request.Item) { it.Variables[1].Choices = []string{"linux", nul} }, "variables[os].choices[1]"},
		{"choice too long", func(it *request.Item) { it.Variables[1].Choices = []string{longName} }, "variables[os].choices[0]"},
		{"pattern not UTF-8", func(it *request.Item) { it.Variables[4].Pattern = badUTF8 }, "variables[asset_tag].pattern"},
		{"default NUL", func(it *request.Item) { it.Variables[4].Pattern, it.Variables[4].Default = "", nul }, "variables[asset_tag].default"},
		{"approval slot NUL", func(it *request.Item) { it.Approval.Slots = []approval.Slot{approval.Group(nul)} }, "approval.slots[0]"},
		{"approval slot too long", func(it *request.Item) { it.Approval.Slots = []approval.Slot{approval.Person(longName)} }, "approval.slots[0]"},
		{"task title NUL", func(it *request.Item) { it.Tasks[0].Title = nul }, "tasks[0].title"},
		{"task description too long", func(it *request.Item) { it.Tasks[1].Description = longText }, "tasks[1].description"},
		{"task group not UTF-8", func(it *request.Item) { it.Tasks[1].Group = badUTF8 }, "tasks[1].group"},
		{"task assignee too long", func(it *request.Item) { it.Tasks[1].Assignee = longName }, "tasks[1].assignee"},
		{"sla calendar NUL", func(it *request.Item) { it.SLA.Resolution.Calendar = nul }, "sla.resolution.calendar"},
		{"currency NUL", func(it *request.Item) { it.Price.Currency = "EU\x00" }, "price.currency"},
		{"access service NUL", func(it *request.Item) {
			it.Kind, it.Access = request.KindAccess, &request.Access{Service: nul, Role: "r", Owner: "o"}
		}, "access.service"},
		{"access owner too long", func(it *request.Item) {
			it.Kind, it.Access = request.KindAccess, &request.Access{Service: "s", Role: "r", Owner: longName}
		}, "access.owner"},
		{"revoke task title not UTF-8", func(it *request.Item) {
			it.Kind, it.Access = request.KindAccess, &request.Access{Service: "s", Role: "r", Owner: "o",
				RevokeTasks: []request.TaskTemplate{{Title: badUTF8, Group: "g"}}}
		}, "access.revoke_tasks[0].title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cat, err := request.NewCatalog(laptopItem())
			require.NoError(t, err)
			it := laptopItem()
			tt.edit(&it)
			var ve *itil.ValidationError
			require.NotPanics(t, func() { err = cat.Update(it) })
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, ve.Reason)
			got, err := cat.Get("laptop")
			require.NoError(t, err)
			assert.Equal(t, laptopItem(), got, "the catalog is unchanged")

			it.ID = "laptop-2"
			require.ErrorAs(t, cat.Add(it), &ve)
			assert.Equal(t, tt.field, ve.Field)
			_, err = cat.Get(it.ID)
			assert.ErrorIs(t, err, lifecycle.ErrNotFound)
		})
	}
}

// TestParseItemRefusesHostileText checks that ParseItem refuses bytes that
// are not UTF-8 rather than decode them to U+FFFD, and NUL characters
// written as escapes.
func TestParseItemRefusesHostileText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, field string
	}{
		{`{"id":"x","name":"Mo` + "\xff" + `use","category":"c"}`, "item"},
		{`{"id":"x","name":"Mo\ud800use","category":"c"}`, "item"},
		{`{"id":"x","name":"Mo\u0000use","category":"c"}`, "name"},
		{`{"id":"x","name":"Mouse","category":"c","tasks":[{"title":"Hand\u0000over","group":"desk"}]}`, "tasks[0].title"},
	} {
		_, err := request.ParseItem([]byte(tt.in))
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, tt.in)
		assert.Equal(t, tt.field, ve.Field, tt.in)
	}
}

// TestVariableParseCountsCharacters checks that the bounds of a text
// variable and the cap on every value count characters, and that a NUL is
// refused in every kind.
func TestVariableParseCountsCharacters(t *testing.T) {
	t.Parallel()
	v := request.Variable{Name: "motto", Kind: request.VarText, Max: request.Float(3)}
	got, err := v.Parse("€€€", monday9)
	require.NoError(t, err)
	assert.Equal(t, "€€€", got)
	_, err = v.Parse("€€€€", monday9)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Reason, "characters")
	for _, kind := range []request.VarKind{request.VarText, request.VarUser, request.VarChoice, request.VarNumber, request.VarDate, request.VarBoolean} {
		v := request.Variable{Name: "v", Kind: kind}
		if kind == request.VarChoice {
			v.Choices = []string{"a"}
		}
		_, err := v.Parse("a\x00", monday9)
		require.ErrorAs(t, err, &ve, kind)
		assert.Equal(t, "variables[v]", ve.Field)
		assert.True(t, errors.Is(err, itil.ErrInvalid))
	}
}

// TestNewDeskRefusesNil checks that a desk refuses a nil store, a
// lifecycle that was never built, and a nil calendar, naming each.
func TestNewDeskRefusesNil(t *testing.T) {
	t.Parallel()
	st := teststores.Memstore(t).Host(t)
	for _, tt := range []struct {
		name  string
		st    lifecycle.Store
		cfg   request.Config
		field string
	}{
		{"nil store", nil, request.Config{}, "store"},
		{"zero lifecycle", st, request.Config{Lifecycle: &lifecycle.Definition{}}, "Lifecycle"},
		{"nil calendar", st, request.Config{Calendars: map[string]*sla.Calendar{"office": nil}}, "Calendars[office]"},
	} {
		var err error
		require.NotPanics(t, func() { _, err = request.NewDesk(tt.st, tt.cfg) }, tt.name)
		var ve *itil.ValidationError
		require.ErrorAs(t, err, &ve, tt.name)
		assert.Equal(t, tt.field, ve.Field, tt.name)
	}
}
