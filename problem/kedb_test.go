package problem_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/problem"
)

// knownErrors opens the known errors the search tests look for.
type knownErrors struct {
	vpn, mail, printer, plain *problem.Problem
}

func (f *fixture) knownErrors(t *testing.T) knownErrors {
	t.Helper()
	ctx := t.Context()
	publish := func(p *problem.Problem, workaround string) *problem.Problem {
		t.Helper()
		p, err := f.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: workaround})
		require.NoError(t, err)
		return p
	}
	var k knownErrors
	k.vpn = publish(f.open(t, func(dr *problem.Draft) {
		dr.Title = "VPN tunnels drop under load"
		dr.Description = "Remote users lose the VPN connection every few minutes."
	}), "Reconnect through the web VPN portal.")
	k.mail = publish(f.open(t, func(dr *problem.Draft) {
		dr.Title = "Mail delivery delayed"
		dr.Category, dr.CIs = "email", []string{"mail-1"}
	}), "Send large attachments as links.")
	p := f.open(t, func(dr *problem.Draft) {
		dr.Title = "Printer queue stalls"
		dr.Category, dr.CIs = "printing", []string{"print-1", "vpn-gw-1"}
	})
	var err error
	k.printer, err = f.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: problem.Cause{RootCause: "The spooler holds sockets open to the VPN gateway"}})
	require.NoError(t, err)
	k.plain = f.open(t, func(dr *problem.Draft) { dr.Title = "VPN client crashes on start" }) // not a known error
	return k
}

func hitIDs(hits []problem.Hit) []uuid.UUID {
	out := make([]uuid.UUID, len(hits))
	for i, h := range hits {
		out[i] = h.Problem.ID
	}
	return out
}

func TestSearchKnownErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	k := f.knownErrors(t)
	search := func(q problem.KnownErrorQuery) []problem.Hit {
		t.Helper()
		hits, err := f.mgr.Search(t.Context(), q)
		require.NoError(t, err)
		return hits
	}

	hits := search(problem.KnownErrorQuery{Text: "VPN connection drops"})
	assert.Equal(t, []uuid.UUID{k.vpn.ID, k.printer.ID}, hitIDs(hits), "ranked by words matched; never a problem that is not a known error")
	assert.Equal(t, []string{"vpn", "connection", "drop"}, hits[0].Words)
	assert.Equal(t, []string{"vpn"}, hits[1].Words)

	assert.Equal(t, []uuid.UUID{k.vpn.ID}, hitIDs(search(problem.KnownErrorQuery{Text: "web portal"})), "the workaround is searched")
	assert.Equal(t, []uuid.UUID{k.printer.ID}, hitIDs(search(problem.KnownErrorQuery{Text: "spooler"})), "the root cause is searched")
	assert.Equal(t, []uuid.UUID{k.vpn.ID}, hitIDs(search(problem.KnownErrorQuery{Text: "vpn", Limit: 1})))
	assert.Equal(t, []uuid.UUID{k.vpn.ID, k.printer.ID}, hitIDs(search(problem.KnownErrorQuery{CI: "vpn-gw-1"})))
	assert.Equal(t, []uuid.UUID{k.printer.ID}, hitIDs(search(problem.KnownErrorQuery{Text: "vpn", Category: "printing"})))
	assert.Equal(t, []uuid.UUID{k.mail.ID}, hitIDs(search(problem.KnownErrorQuery{Text: "ATTACHMENTS", CI: "mail-1"})), "words are lower-cased")
	assert.Empty(t, search(problem.KnownErrorQuery{Text: "attachments", CI: "vpn-gw-1"}))
	assert.Empty(t, search(problem.KnownErrorQuery{Text: "keyboard"}))

	// A closed problem is history: found only on request.
	_, err := f.mgr.Cancel(t.Context(), problem.Params{ID: k.mail.ID, By: carol, Note: "the mail system was replaced"})
	require.NoError(t, err)
	assert.Empty(t, search(problem.KnownErrorQuery{Text: "attachments"}))
	assert.Equal(t, []uuid.UUID{k.mail.ID}, hitIDs(search(problem.KnownErrorQuery{Text: "attachments", IncludeClosed: true})))
}

func TestSearchBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	tests := []struct {
		name  string
		q     problem.KnownErrorQuery
		field string
	}{
		{"nothing", problem.KnownErrorQuery{}, "text"},
		{"only stop words", problem.KnownErrorQuery{Text: "it is not on"}, "text"},
		{"negative limit", problem.KnownErrorQuery{Text: "vpn", Limit: -1}, "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.mgr.Search(t.Context(), tt.q)
			requireValidation(t, err, tt.field)
		})
	}
}

func TestMatchIncident(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	k := f.knownErrors(t)
	match := func(dr incident.Draft) []uuid.UUID {
		t.Helper()
		inc, err := f.desk.Open(ctx, dr)
		require.NoError(t, err)
		ps, err := f.mgr.Match(ctx, inc)
		require.NoError(t, err)
		return problemIDs(ps)
	}
	dr := incidentDraft() // "VPN drops every few minutes" on vpn-gw-1, network
	assert.Equal(t, []uuid.UUID{k.vpn.ID, k.printer.ID}, match(dr), "words and CIs in common, best first")

	dr.CIs, dr.Category = nil, ""
	assert.Equal(t, []uuid.UUID{k.vpn.ID}, match(dr), "two words without a CI or category in common")

	dr.Title = "VPN is slow"
	assert.Empty(t, match(dr), "one word alone is not enough")
	dr.Category = "network"
	assert.Equal(t, []uuid.UUID{k.vpn.ID}, match(dr), "one word and the category")

	dr = incidentDraft()
	dr.Title, dr.Description = "Keyboard broken", ""
	assert.Empty(t, match(dr), "a CI alone is not enough")

	_, err := f.mgr.Match(ctx, nil)
	requireValidation(t, err, "incident")
}

func TestMatchThenLink(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	ctx := t.Context()
	k := f.knownErrors(t)
	inc := f.openIncident(t)
	ps, err := f.mgr.Match(ctx, inc)
	require.NoError(t, err)
	require.NotEmpty(t, ps)
	require.Equal(t, k.vpn.ID, ps[0].ID)
	p, err := f.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: ps[0].ID, By: bob, Incident: inc.ID})
	require.NoError(t, err)
	assert.True(t, p.HasIncident(inc.ID))
	assert.Equal(t, []uuid.UUID{p.ID}, refIDs(f.getIncident(t, inc.ID).Problems))
}

// TestKnownErrorsOnEveryHost shares a store between two hosts: a known
// error that one host records, changes or closes is matched and searched
// on the other at once.
func TestKnownErrorsOnEveryHost(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		a, b := newHost(t, db.Host(t), problem.Config{}), newHost(t, db.Host(t), problem.Config{})
		// B has answered from its index before A records anything.
		hits, err := b.mgr.Search(ctx, problem.KnownErrorQuery{Text: "vpn"})
		require.NoError(t, err)
		require.Empty(t, hits)

		p, err := a.mgr.Open(ctx, draft())
		require.NoError(t, err)
		p, err = a.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: "reconnect through the web VPN portal"})
		require.NoError(t, err)

		inc, err := b.desk.Open(ctx, incidentDraft())
		require.NoError(t, err)
		matched, err := b.mgr.Match(ctx, inc)
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{p.ID}, problemIDs(matched), "B matches what A published")
		hits, err = b.mgr.Search(ctx, problem.KnownErrorQuery{Text: "web portal"})
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{p.ID}, hitIDs(hits))

		// A change on B is seen on A: a root cause adds its words.
		_, err = b.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: problem.Cause{RootCause: "the spooler leaks sockets"}})
		require.NoError(t, err)
		hits, err = a.mgr.Search(ctx, problem.KnownErrorQuery{Text: "spooler"})
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{p.ID}, hitIDs(hits))

		// Closed on A, it is history on B.
		_, err = a.mgr.Cancel(ctx, problem.Params{ID: p.ID, By: carol, Note: "merged into the gateway project"})
		require.NoError(t, err)
		matched, err = b.mgr.Match(ctx, inc)
		require.NoError(t, err)
		assert.Empty(t, matched)
		hits, err = b.mgr.Search(ctx, problem.KnownErrorQuery{Text: "spooler", IncludeClosed: true})
		require.NoError(t, err)
		assert.Equal(t, []uuid.UUID{p.ID}, hitIDs(hits))
	})
}

// TestNewManagerDoesNoIO builds a manager over a store that counts its
// calls: nothing is read until the manager is started or asked.
func TestNewManagerDoesNoIO(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	k := f.knownErrors(t)
	st := &counting{Store: f.store}
	mgr, err := problem.NewManager(st, f.desk, problem.Config{Logger: quiet})
	require.NoError(t, err)
	assert.Zero(t, st.calls, "the constructor reads nothing")

	hits, err := mgr.Search(t.Context(), problem.KnownErrorQuery{Text: "VPN connection drops"})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{k.vpn.ID, k.printer.ID}, hitIDs(hits), "the first search catches up")
	assert.NotZero(t, st.calls)
}
