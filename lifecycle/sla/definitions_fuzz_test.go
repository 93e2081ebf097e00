package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

// FuzzDefinitionsJSON decodes arbitrary sets of definitions: decoding never
// panics, every error is a *itil.ValidationError naming a field, what
// decodes encodes to a stable form and decodes back to the same
// definitions, and its clocks run on a record's facts without error. The
// seeds are under testdata/fuzz/FuzzDefinitionsJSON.
func FuzzDefinitionsJSON(f *testing.F) {
	pol, err := sla.DefaultPolicy().Definitions()
	require.NoError(f, err)
	b, err := json.Marshal(pol)
	require.NoError(f, err)
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var ds sla.Definitions
		if err := ds.UnmarshalJSON(data); err != nil {
			requireValidationError(t, err, data)
			return
		}
		b, err := json.Marshal(&ds)
		require.NoError(t, err)
		var back sla.Definitions
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		require.Equal(t, ds.Config().Definitions, back.Config().Definitions)
		again, err := json.Marshal(&back)
		require.NoError(t, err)
		require.Equal(t, string(b), string(again))

		var ts sla.Timers
		facts := sla.Facts{Priority: itil.P2, Category: lifecycle.Open, State: "new", Created: t0, Group: "network",
			RecordCategory: "network", Services: []string{"vpn"}, CIClasses: []string{"router"}}
		for i, cat := range []lifecycle.Category{lifecycle.Open, lifecycle.Paused, lifecycle.Open, lifecycle.Resolved, lifecycle.Open, lifecycle.Closed} {
			facts.Category = cat
			facts.Responded = i > 1
			_, err := ts.Apply(&ds, facts, after(time.Duration(i)*5*time.Hour))
			require.NoError(t, err)
			_ = ts.Next()
		}
	})
}
