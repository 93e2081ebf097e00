package approval

import (
	"bytes"
	"encoding/json"
)

// wire is Approval without its methods, for encoding/json.
type wire Approval

// MarshalJSON encodes the approval with its fields as tagged; the zero
// Approval encodes as null. An approval that fails Validate is an error,
// so that what is written can be read back.
func (a Approval) MarshalJSON() ([]byte, error) {
	if a.IsZero() {
		return []byte("null"), nil
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(wire(a))
}

// UnmarshalJSON decodes an approval and checks it with Validate; on error a
// is left as it was. null leaves a unchanged.
func (a *Approval) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if err := Approval(w).Validate(); err != nil {
		return err
	}
	*a = Approval(w)
	return nil
}
