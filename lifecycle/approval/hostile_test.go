package approval_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Texts no store keeps as they are, and texts one character too long.
var (
	nul      = "bo\x00b"
	badUTF8  = "bo\xffb"
	longName = strings.Repeat("€", approval.MaxNameLength+1)
	longText = strings.Repeat("€", approval.MaxTextLength+1)
)

// TestHostileText passes texts with a NUL, invalid UTF-8 or one character too
// many through every call that takes text from outside: each is refused with
// a *itil.ValidationError on the field, and a refused call on an approval
// leaves it as it was.
func TestHostileText(t *testing.T) {
	t.Parallel()
	cab := []approval.Slot{approval.Group(approval.GroupCAB)}
	request := func(slots []approval.Slot, xs ...approval.Exclusion) func(*approval.Approval) error {
		return func(*approval.Approval) error {
			_, err := approval.New(approval.Request{Slots: slots, Excluded: xs, At: t0})
			return err
		}
	}
	decide := func(actor itil.Actor, comment string) func(*approval.Approval) error {
		return func(a *approval.Approval) error {
			_, err := a.Decide(actor, approval.Reject, comment, at(1))
			return err
		}
	}
	cancel := func(reason string) func(*approval.Approval) error {
		return func(a *approval.Approval) error { return a.Cancel(reason, at(1)) }
	}
	parse := func(f func(string) error, s string) func(*approval.Approval) error {
		return func(*approval.Approval) error { return f(s) }
	}
	parseSlot := func(s string) error { _, err := approval.ParseSlot(s); return err }
	parseKind := func(s string) error { _, err := approval.ParseKind(s); return err }
	parseState := func(s string) error { _, err := approval.ParseState(s); return err }
	parseVerdict := func(s string) error { _, err := approval.ParseVerdict(s); return err }
	matrix := func(m approval.Matrix) func(*approval.Approval) error {
		return func(*approval.Approval) error { return m.Validate() }
	}
	rule := func(label string) func(*approval.Approval) error {
		return func(*approval.Approval) error { _, err := riskMatrix().Rule(label); return err }
	}

	tests := []struct {
		name  string
		call  func(*approval.Approval) error
		field string
	}{
		{"group name with NUL", request([]approval.Slot{approval.Group(nul)}), "slots[0]"},
		{"group name not UTF-8", request([]approval.Slot{approval.Group(badUTF8)}), "slots[0]"},
		{"group name too long", request([]approval.Slot{approval.Group(longName)}), "slots[0]"},
		{"person with NUL", request([]approval.Slot{approval.Group(approval.GroupCAB), approval.Person(nul)}), "slots[1]"},
		{"excluded actor with NUL", request(cab, approval.Exclusion{Actor: nul, Role: "requester"}), "excluded[0].actor"},
		{"excluded actor too long", request(cab, approval.Exclusion{Actor: longName, Role: "requester"}), "excluded[0].actor"},
		{"excluded actor with spaces", request(cab, approval.Exclusion{Actor: "alice\t", Role: "requester"}), "excluded[0].actor"},
		{"role not UTF-8", request(cab, approval.Exclusion{Actor: "alice", Role: badUTF8}), "excluded[0].role"},
		{"role too long", request(cab, approval.Exclusion{Actor: "alice", Role: longName}), "excluded[0].role"},

		{"actor with NUL", decide(itil.Actor{ID: nul, Groups: []string{approval.GroupCAB}}, "no"), "actor"},
		{"actor not UTF-8", decide(itil.Actor{ID: badUTF8, Groups: []string{approval.GroupCAB}}, "no"), "actor"},
		{"actor too long", decide(itil.Actor{ID: longName, Groups: []string{approval.GroupCAB}}, "no"), "actor"},
		{"actor with spaces", decide(itil.Actor{ID: "alice ", Groups: []string{approval.GroupCAB}}, "no"), "actor"},
		{"actor name with NUL", decide(itil.Actor{ID: "bob", Name: nul, Groups: []string{approval.GroupCAB}}, "no"), "actor.name"},
		{"actor group not UTF-8", decide(itil.Actor{ID: "bob", Groups: []string{approval.GroupCAB, badUTF8}}, "no"), "actor.groups[1]"},
		{"actor group too long", decide(itil.Actor{ID: "bob", Groups: []string{longName, approval.GroupCAB}}, "no"), "actor.groups[0]"},
		{"comment with NUL", decide(person("bob", approval.GroupCAB), nul), "comment"},
		{"comment not UTF-8", decide(person("bob", approval.GroupCAB), badUTF8), "comment"},
		{"comment too long", decide(person("bob", approval.GroupCAB), longText), "comment"},
		{"reason with NUL", cancel(nul), "reason"},
		{"reason not UTF-8", cancel(badUTF8), "reason"},
		{"reason too long", cancel(longText), "reason"},

		{"slot text with NUL", parse(parseSlot, "group:"+nul), "slot"},
		{"slot text not UTF-8", parse(parseSlot, "person:"+badUTF8), "slot"},
		{"slot text too long", parse(parseSlot, "group:"+longName), "slot"},
		{"kind too long", parse(parseKind, longText), "policy.kind"},
		{"state not UTF-8", parse(parseState, badUTF8), "state"},
		{"verdict with NUL", parse(parseVerdict, "approve\x00"), "verdict"},

		{"matrix label with NUL", matrix(approval.Matrix{nul: {Slots: cab}}), "matrix"},
		{"matrix label too long", matrix(approval.Matrix{longName: {Slots: cab}}), "matrix"},
		{"matrix slot not UTF-8", matrix(approval.Matrix{"high": {Slots: []approval.Slot{approval.Group(badUTF8)}}}), "matrix[high].slots[0]"},
		{"rule label not UTF-8", rule(badUTF8), "label"},
		{"rule label too long", rule(longText), "label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB)}})
			before := a.Clone()
			requireInvalid(t, tt.call(&a), tt.field)
			assert.Equal(t, before, a, "a refused call changed the approval")
		})
	}

	// Lengths are counted in characters: MaxNameLength × "€" is three times
	// as many bytes, and allowed.
	name := strings.Repeat("€", approval.MaxNameLength)
	a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(name)}})
	_, err := a.Decide(itil.Actor{ID: name, Name: name, Groups: []string{name}}, approval.Reject, strings.Repeat("€", approval.MaxTextLength), at(1))
	require.NoError(t, err)
	_, err = approval.ParseSlot("group:" + name)
	require.NoError(t, err)
}

// TestZeroValuesAndNil calls every exported function and method with zero
// values, nil receivers and empty arguments: none panics, and each refusal is
// a *itil.ValidationError.
func TestZeroValuesAndNil(t *testing.T) {
	t.Parallel()
	var (
		a  approval.Approval
		m  approval.Matrix
		d  approval.Decision
		p  approval.Policy
		r  approval.Rule
		s  approval.Slot
		x  approval.Exclusion
		ap *approval.Approval
		mp *approval.Matrix
		dp *approval.Decision
		pp *approval.Policy
		rp *approval.Rule
		sp *approval.Slot
		xp *approval.Exclusion
		kp *approval.Kind
		tp *approval.State
		vp *approval.Verdict
		se *approval.SegregationError
	)
	refused := []struct {
		name  string
		call  func() error
		field string
	}{
		{"New", func() error { _, err := approval.New(approval.Request{}); return err }, "slots"},
		{"Decide on zero", func() error { _, err := a.Decide(itil.Actor{}, 0, "", time.Time{}); return err }, "state"},
		{"Cancel on zero", func() error { return a.Cancel("", time.Time{}) }, "state"},
		{"Decide on nil", func() error { _, err := ap.Decide(person("bob"), approval.Approve, "", at(1)); return err }, "approval"},
		{"Cancel on nil", func() error { return ap.Cancel("why", at(1)) }, "approval"},
		{"Validate", a.Validate, "state"},
		{"Approval.MarshalJSON", func() error { _, err := approval.Approval{State: approval.Pending}.MarshalJSON(); return err }, "slots"},
		{"Approval.UnmarshalJSON on nil", func() error { return ap.UnmarshalJSON([]byte(`{}`)) }, "approval"},
		{"Approval.UnmarshalJSON of nothing", func() error { return new(approval.Approval).UnmarshalJSON(nil) }, "approval"},
		{"Approval.UnmarshalJSON of {}", func() error { return new(approval.Approval).UnmarshalJSON([]byte(`{}`)) }, "state"},
		{"Matrix.Rule", func() error { _, err := m.Rule(""); return err }, "label"},
		{"Matrix.UnmarshalJSON on nil", func() error { return mp.UnmarshalJSON([]byte(`{}`)) }, "matrix"},
		{"Matrix.UnmarshalJSON of nothing", func() error { return new(approval.Matrix).UnmarshalJSON(nil) }, "matrix"},
		{"Decision.UnmarshalJSON on nil", func() error { return dp.UnmarshalJSON([]byte(`{}`)) }, "decision"},
		{"Decision.UnmarshalJSON of {}", func() error { return new(approval.Decision).UnmarshalJSON([]byte(`{}`)) }, "slot"},
		{"Policy.UnmarshalJSON on nil", func() error { return pp.UnmarshalJSON([]byte(`{}`)) }, "policy"},
		{"Policy.UnmarshalJSON of nothing", func() error { return new(approval.Policy).UnmarshalJSON(nil) }, "policy"},
		{"Rule.UnmarshalJSON on nil", func() error { return rp.UnmarshalJSON([]byte(`{}`)) }, "rule"},
		{"Rule.UnmarshalJSON of {}", func() error { return new(approval.Rule).UnmarshalJSON([]byte(`{}`)) }, "slots"},
		{"Exclusion.UnmarshalJSON on nil", func() error { return xp.UnmarshalJSON([]byte(`{}`)) }, "exclusion"},
		{"Exclusion.UnmarshalJSON of {}", func() error { return new(approval.Exclusion).UnmarshalJSON([]byte(`{}`)) }, "actor"},
		{"ParseSlot", func() error { _, err := approval.ParseSlot(""); return err }, "slot"},
		{"ParseKind", func() error { _, err := approval.ParseKind(""); return err }, "policy.kind"},
		{"ParseState", func() error { _, err := approval.ParseState(""); return err }, "state"},
		{"ParseVerdict", func() error { _, err := approval.ParseVerdict(""); return err }, "verdict"},
		{"Slot.MarshalText", func() error { _, err := s.MarshalText(); return err }, "slot"},
		{"Kind.MarshalText", func() error { _, err := approval.Kind(-1).MarshalText(); return err }, "policy.kind"},
		{"State.MarshalText", func() error { _, err := approval.State(0).MarshalText(); return err }, "state"},
		{"Verdict.MarshalText", func() error { _, err := approval.Verdict(0).MarshalText(); return err }, "verdict"},
		{"Slot.UnmarshalText on nil", func() error { return sp.UnmarshalText([]byte("group:cab")) }, "slot"},
		{"Slot.UnmarshalText of nothing", func() error { return new(approval.Slot).UnmarshalText(nil) }, "slot"},
		{"Kind.UnmarshalText on nil", func() error { return kp.UnmarshalText([]byte("all")) }, "policy.kind"},
		{"State.UnmarshalText on nil", func() error { return tp.UnmarshalText([]byte("pending")) }, "state"},
		{"Verdict.UnmarshalText on nil", func() error { return vp.UnmarshalText([]byte("approve")) }, "verdict"},
		{"Verdict.UnmarshalText of nothing", func() error { return new(approval.Verdict).UnmarshalText(nil) }, "verdict"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			require.NotPanics(t, func() { err = tt.call() })
			requireInvalid(t, err, tt.field)
		})
	}

	// Calls that accept zero values answer without panicking.
	require.NotPanics(t, func() {
		_ = a.Outcome()
		_ = a.Pending()
		_ = a.Eligible(itil.Actor{})
		_ = a.Summary()
		_ = a.Clone()
		_ = a.IsZero()
		_, _ = a.MarshalJSON()
		_ = new(approval.Approval).UnmarshalJSON([]byte("null"))
		_ = m.Validate()
		_, _ = json.Marshal(m)
		_ = new(approval.Matrix).UnmarshalJSON([]byte("null"))
		_ = d.String()
		_ = p.String()
		_ = p.Needed(0)
		_ = p.Needed(-1)
		_ = r.Policy.Needed(len(r.Slots))
		_ = s.String()
		_ = s.Matches(itil.Actor{})
		_ = x.Actor
		_ = approval.Kind(0).String()
		_ = approval.Kind(-1).Valid()
		_ = approval.State(0).String()
		_ = approval.Verdict(0).String()
		_ = approval.All().String()
		_ = approval.Any().String()
		_ = approval.Quorum(0).String()
		_ = approval.Majority().String()
		_ = approval.Group("").String()
		_ = approval.Person("").String()
		_ = se.Error()
		_ = se.Is(approval.ErrSegregation)
	})
	assert.False(t, a.Eligible(itil.Actor{}))
	assert.Nil(t, a.Pending())
	assert.NoError(t, m.Validate())
	assert.NoError(t, new(approval.Approval).UnmarshalJSON([]byte("null")))
	assert.NotEmpty(t, se.Error())
}

func TestDecideTimes(t *testing.T) {
	t.Parallel()
	round := func(t *testing.T) approval.Approval {
		a := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia")}, At: at(10)})
		_, err := a.Decide(person("bob", approval.GroupCAB), approval.Approve, "", at(20))
		require.NoError(t, err)
		return a
	}
	tests := []struct {
		name string
		call func(*approval.Approval) error
	}{
		{"decision before the request", func(a *approval.Approval) error {
			fresh := mustNew(t, approval.Request{Slots: []approval.Slot{approval.Person("olivia")}, At: at(10)})
			*a = fresh
			_, err := a.Decide(person("olivia"), approval.Approve, "", at(9))
			return err
		}},
		{"decision before the last one", func(a *approval.Approval) error {
			_, err := a.Decide(person("olivia"), approval.Approve, "", at(19))
			return err
		}},
		{"decision that cannot be stored", func(a *approval.Approval) error {
			_, err := a.Decide(person("olivia"), approval.Approve, "", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
			return err
		}},
		{"decision in a zone that cannot be stored", func(a *approval.Approval) error {
			_, err := a.Decide(person("olivia"), approval.Approve, "", at(30).In(time.FixedZone("far", 25*3600)))
			return err
		}},
		{"cancel before the last decision", func(a *approval.Approval) error { return a.Cancel("back to new", at(19)) }},
		{"cancel that cannot be stored", func(a *approval.Approval) error {
			return a.Cancel("back to new", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := round(t)
			err := tt.call(&a)
			requireInvalid(t, err, "at")
			require.NoError(t, a.Validate())
			_, err = json.Marshal(a)
			require.NoError(t, err)
		})
	}
	_, err := approval.New(approval.Request{Slots: people(1), At: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)})
	requireInvalid(t, err, "at")

	// The same instant as the last decision is in order.
	a := round(t)
	_, err = a.Decide(person("olivia"), approval.Approve, "", at(20))
	require.NoError(t, err)
	assert.Equal(t, approval.Approved, a.Outcome())
}

// TestDecideSharesNoMemory decides on two shallow copies of one round: each
// keeps its own decisions.
func TestDecideSharesNoMemory(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{Policy: approval.Any(), Slots: people(4)})
	a.Decisions = make([]approval.Decision, 0, 4) // spare capacity, as after appends
	b := a
	_, err := a.Decide(person("p1"), approval.Reject, "no", at(1))
	require.NoError(t, err)
	_, err = b.Decide(person("p2"), approval.Reject, "never", at(2))
	require.NoError(t, err)
	require.Len(t, a.Decisions, 1)
	assert.Equal(t, "p1", a.Decisions[0].By.ID, "a decision on a copy overwrote this one")
	require.NoError(t, a.Validate())
}

// TestValidateMatchesDecide checks that Validate refuses an approval holding
// a decision that Decide refuses, built by hand rather than decoded.
func TestValidateMatchesDecide(t *testing.T) {
	t.Parallel()
	a := mustNew(t, approval.Request{
		Slots:    []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia")},
		Excluded: []approval.Exclusion{{Actor: "alice", Role: approval.RoleRequester}},
	})
	_, err := a.Decide(person("alice", approval.GroupCAB), approval.Approve, "", at(1))
	require.ErrorIs(t, err, approval.ErrSegregation)

	forged := a.Clone()
	forged.Decisions = append(forged.Decisions, approval.Decision{Slot: approval.Group(approval.GroupCAB), By: person("alice", approval.GroupCAB), Verdict: approval.Approve, At: at(1)})
	requireInvalid(t, forged.Validate(), "decisions[0].by")
	_, err = json.Marshal(forged)
	requireInvalid(t, err, "decisions[0].by")
	_, err = forged.Decide(person("olivia"), approval.Approve, "", at(2))
	requireInvalid(t, err, "decisions[0].by")
}
