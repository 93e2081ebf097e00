package escalation_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/escalation"
)

// FuzzPolicyJSON decodes arbitrary policies: decoding never panics, every
// error is a *itil.ValidationError naming a field, what decodes encodes
// to a stable form, and an escalation by the decoded policy pages each
// level of each round once and then stops. The seeds are in
// testdata/fuzz/FuzzPolicyJSON.
func FuzzPolicyJSON(f *testing.F) {
	f.Add([]byte(`{"name": "p1", "levels": [{"targets": [{"schedule": "primary"}], "delay": "15m"},
		{"targets": [{"schedule": "secondary"}, {"user": "mia"}, {"group": "network"}], "delay": "30m"}], "repeats": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := escalation.ParseJSON(data)
		if err != nil {
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve, "%q", data)
			require.NotEmpty(t, ve.Field, "%q", data)
			return
		}
		b, err := json.Marshal(p)
		require.NoError(t, err)
		back, err := escalation.ParseJSON(b)
		require.NoError(t, err, string(b))
		require.Equal(t, p.Config(), back.Config())
		again, err := json.Marshal(back)
		require.NoError(t, err)
		require.Equal(t, string(b), string(again))

		sch := schedules(t)
		var s escalation.State
		_, err = s.Start(p, monday9)
		require.NoError(t, err)
		far := time.Date(9999, time.January, 1, 0, 0, 0, 0, time.UTC)
		pages, err := s.Pages(p, sch, far)
		if err != nil { // a schedule the test does not have
			var ve *itil.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Error(t, p.Check(sch))
			return
		}
		require.NoError(t, p.Check(sch))
		require.Len(t, pages, p.Levels()*p.Rounds())
		require.Equal(t, escalation.Exhausted, s.Status())
		require.True(t, s.Next().IsZero())
	})
}
