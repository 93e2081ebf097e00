package approval_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
)

// The fuzz targets decode arbitrary input with every decoder of the package.
// Each asserts, through checkDecode, that a refusal is a
// *itil.ValidationError naming a field and leaves the target as it was, that
// encoding/json agrees with the decoder, and that what decodes encodes again,
// decodes back to an equal value and passes the same checks; then that the
// value is one the live API produces. Seeds are in testdata/fuzz/FuzzX.

// FuzzApprovalJSON decodes an Approval. Whatever decodes must be the round
// New, Decide and Cancel build from its request, decisions and cancellation,
// and stay valid under every decision its approvers can make.
func FuzzApprovalJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		start := rounds(t)["pending"]
		a, ok := checkDecode(t, b, start, approval.Approval.Clone, func(a approval.Approval) error {
			if a.IsZero() {
				return nil
			}
			return a.Validate()
		})
		if !ok {
			return
		}
		replay(t, a)

		_ = a.Summary()
		_ = a.Pending()
		at := a.RequestedAt
		if n := len(a.Decisions); n > 0 {
			at = a.Decisions[n-1].At
		}
		for _, s := range a.Slots {
			actor := itil.Actor{ID: s.Person, Groups: []string{s.Group}}
			if s.Group != "" {
				actor.ID = "member-of-" + s.Group
			}
			for _, v := range []approval.Verdict{approval.Reject, approval.Approve} {
				before := a.Clone()
				eligible := a.Eligible(actor)
				_, err := a.Decide(actor, v, "fuzz", at)
				require.Equal(t, eligible, err == nil, "Eligible disagrees with Decide: %v", err)
				if err != nil {
					require.True(t, sameValue(before, a), "a refused decision changed the approval")
					continue
				}
				require.NoError(t, a.Validate())
				replay(t, a)
				break
			}
		}
		before := a.Clone()
		if err := a.Cancel("fuzz", at); err != nil {
			require.True(t, sameValue(before, a), "a refused cancel changed the approval")
		} else {
			require.NoError(t, a.Validate())
			replay(t, a)
		}
	})
}

// replay rebuilds a through the live API, from its request, each decision
// and its cancellation, and requires the same approval.
func replay(t *testing.T, a approval.Approval) {
	t.Helper()
	if a.IsZero() {
		return
	}
	live, err := approval.New(approval.Request{Policy: a.Policy, Slots: a.Slots, Excluded: a.Excluded, At: a.RequestedAt})
	require.NoError(t, err, "New refuses the request of a valid approval")
	for i, d := range a.Decisions {
		got, err := live.Decide(d.By, d.Verdict, d.Comment, d.At)
		require.NoError(t, err, "Decide refuses decisions[%d] of a valid approval", i)
		require.True(t, sameValue(d, got), "Decide fills another slot than decisions[%d]: %v", i, got)
	}
	if a.State == approval.Cancelled {
		require.NoError(t, live.Cancel(a.Reason, a.DecidedAt), "Cancel refuses the cancellation of a valid approval")
	}
	require.True(t, sameValue(a, live), "the live API builds another approval:\n%#v\n%#v", a, live)
}

// FuzzMatrixJSON decodes a Matrix: every rule of what decodes starts a round.
func FuzzMatrixJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		m, ok := checkDecode(t, b, riskMatrix(), cloneMatrix, approval.Matrix.Validate)
		if !ok {
			return
		}
		for label, r := range m {
			_, err := approval.New(approval.Request{Policy: r.Policy, Slots: r.Slots, At: t0})
			require.NoError(t, err, "rule %q", label)
			got, err := m.Rule(label)
			require.NoError(t, err)
			require.Equal(t, r, got)
		}
	})
}

// FuzzRuleJSON decodes a Rule: what decodes starts a round.
func FuzzRuleJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		start := approval.Rule{Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}}
		checkDecode(t, b, start, cloneRule, func(r approval.Rule) error {
			_, err := approval.New(approval.Request{Policy: r.Policy, Slots: r.Slots, At: t0})
			return err
		})
	})
}

// FuzzPolicyJSON decodes a Policy: what decodes starts a round over as many
// slots as its quorum needs.
func FuzzPolicyJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecode(t, b, approval.Quorum(2), func(p approval.Policy) approval.Policy { return p }, func(p approval.Policy) error {
			slots := 3
			if p.Kind == approval.KindQuorum {
				if p.N > 1000 {
					return nil // valid, and too many slots to build
				}
				slots = max(p.N, 1)
			}
			_, err := approval.New(approval.Request{Policy: p, Slots: people(slots), At: t0})
			return err
		})
	})
}

// FuzzDecisionJSON decodes a Decision: what decodes is the decision Decide
// returns for its actor, verdict, comment and time on a round of its slot.
func FuzzDecisionJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		start := approval.Decision{Slot: approval.Group(approval.GroupCAB), By: person("bob", approval.GroupCAB), Verdict: approval.Approve, At: at(1)}
		checkDecode(t, b, start, cloneDecision, func(d approval.Decision) error {
			a, err := approval.New(approval.Request{Slots: []approval.Slot{d.Slot}, At: d.At})
			if err != nil {
				return err
			}
			got, err := a.Decide(d.By, d.Verdict, d.Comment, d.At)
			if err != nil {
				return err
			}
			if !sameValue(d, got) {
				return errors.New("Decide returns another decision")
			}
			return nil
		})
	})
}

// FuzzExclusionJSON decodes an Exclusion: what decodes is one New takes.
func FuzzExclusionJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		start := approval.Exclusion{Actor: "alice", Role: approval.RoleRequester}
		checkDecode(t, b, start, func(x approval.Exclusion) approval.Exclusion { return x }, func(x approval.Exclusion) error {
			_, err := approval.New(approval.Request{Slots: []approval.Slot{approval.Group(approval.GroupCAB)}, Excluded: []approval.Exclusion{x}, At: t0})
			return err
		})
	})
}

// FuzzParseText parses arbitrary text as a slot, a kind, a state and a
// verdict: a refusal is a *itil.ValidationError and leaves the target as it
// was, and what parses is written back as the same text.
func FuzzParseText(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		checkText(t, s, approval.ParseSlot, approval.Group(approval.GroupCAB))
		checkText(t, s, approval.ParseKind, approval.KindQuorum)
		checkText(t, s, approval.ParseState, approval.Cancelled)
		checkText(t, s, approval.ParseVerdict, approval.Reject)
	})
}

// textValue is a value of the package written as text.
type textValue interface {
	MarshalText() ([]byte, error)
}

// checkText checks parse and UnmarshalText on s.
func checkText[T textValue, P interface {
	*T
	UnmarshalText([]byte) error
}](t *testing.T, s string, parse func(string) (T, error), start T) {
	t.Helper()
	v, err := parse(s)
	target := start
	uerr := P(&target).UnmarshalText([]byte(s))
	if err != nil {
		requireValidation(t, err)
		requireValidation(t, uerr)
		require.Equal(t, start, target, "a refused UnmarshalText changed the target")
		return
	}
	require.NoError(t, uerr)
	require.Equal(t, v, target)
	out, err := v.MarshalText()
	require.NoError(t, err)
	require.Equal(t, s, string(out))
}

// checkDecode decodes b onto a copy of start, directly and through
// encoding/json, and checks what is described above. It returns the decoded
// value and whether b decoded.
func checkDecode[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, b []byte, start T, clone func(T) T, check func(T) error) (T, bool) {
	t.Helper()
	v := clone(start)
	err := P(&v).UnmarshalJSON(b)
	w := clone(start)
	jerr := json.Unmarshal(b, P(&w))
	if err != nil {
		requireValidation(t, err)
		require.True(t, sameValue(start, v), "a failed decode changed the target")
		require.Error(t, jerr, "encoding/json accepts what the decoder refuses")
		var se *json.SyntaxError
		if !errors.As(jerr, &se) {
			requireValidation(t, jerr)
		}
		require.True(t, sameValue(start, w), "a failed decode changed the target")
		return v, false
	}
	require.NoError(t, jerr, "encoding/json refuses what the decoder accepts")
	require.True(t, sameValue(v, w), "encoding/json decodes another value")
	require.NoError(t, check(v), "a decoded value fails its checks")

	out, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, P(&back).UnmarshalJSON(out), "%s", out)
	require.True(t, sameValue(v, back), "decoding the encoding gives another value")
	require.NoError(t, check(back))
	again, err := json.Marshal(back)
	require.NoError(t, err)
	require.Equal(t, string(out), string(again))
	return v, true
}

// requireValidation requires err to be a *itil.ValidationError naming a
// field.
func requireValidation(t *testing.T, err error) {
	t.Helper()
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve, "%T: %v", err, err)
	require.NotEmpty(t, ve.Field, "%v", err)
}

// sameValue reports whether a and b are deeply equal, times being equal
// when they are the same instant with the same zone offset (a time decoded
// from "+00:00" is in time.Local where that is UTC, and from "Z" in UTC).
func sameValue(a, b any) bool { return sameDeep(reflect.ValueOf(a), reflect.ValueOf(b)) }

var timeType = reflect.TypeFor[time.Time]()

func sameDeep(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() || a.Type() != b.Type() {
		return false
	}
	if a.Type() == timeType {
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		return ta.Equal(tb) && oa == ob
	}
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameDeep(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameDeep(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if !b.MapIndex(k).IsValid() || !sameDeep(a.MapIndex(k), b.MapIndex(k)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	}
	panic("sameDeep: unexpected kind " + a.Kind().String())
}

func cloneMatrix(m approval.Matrix) approval.Matrix {
	if m == nil {
		return nil
	}
	out := make(approval.Matrix, len(m))
	for k, r := range m {
		out[k] = cloneRule(r)
	}
	return out
}

func cloneRule(r approval.Rule) approval.Rule {
	r.Slots = append([]approval.Slot(nil), r.Slots...)
	return r
}

func cloneDecision(d approval.Decision) approval.Decision {
	if d.By.Groups != nil {
		d.By.Groups = append([]string{}, d.By.Groups...)
	}
	return d
}
