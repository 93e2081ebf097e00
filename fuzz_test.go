package itil_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/itil-go/itil"
)

// FuzzPriorityMatrix decodes matrices from outside input: a decoded matrix
// is complete and encodes back to itself; a refused one is a
// *itil.ValidationError or a JSON syntax error, never a panic.
func FuzzPriorityMatrix(f *testing.F) {
	f.Add([]byte(`{"high/high":"P1"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var m itil.PriorityMatrix
		if err := json.Unmarshal(in, &m); err != nil {
			return
		}
		for _, c := range m.Cells() {
			if !c.Priority.Valid() {
				t.Fatalf("decoded matrix has an empty cell: %+v", c)
			}
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back itil.PriorityMatrix
		if err := json.Unmarshal(out, &back); err != nil || back != m {
			t.Fatalf("round trip: %v %v", err, back)
		}
	})
}

// FuzzLevels decodes impact, urgency and priority by name: what decodes is
// valid, and what does not is an error naming the field.
func FuzzLevels(f *testing.F) {
	f.Add([]byte(`{"impact":"high","urgency":"low","priority":"P3"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var v struct {
			Impact   itil.Impact   `json:"impact"`
			Urgency  itil.Urgency  `json:"urgency"`
			Priority itil.Priority `json:"priority"`
		}
		err := json.Unmarshal(in, &v)
		var ve *itil.ValidationError
		if errors.As(err, &ve) && ve.Field == "" {
			t.Fatalf("validation error without a field: %v", err)
		}
		if err != nil {
			return
		}
		for _, ok := range []bool{v.Impact == 0 || v.Impact.Valid(), v.Urgency == 0 || v.Urgency.Valid(), v.Priority == 0 || v.Priority.Valid()} {
			if !ok {
				t.Fatalf("decoded an undefined level: %+v", v)
			}
		}
	})
}
