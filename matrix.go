package itil

import (
	"encoding/json"
	"fmt"
)

// PriorityMatrix maps each Impact × Urgency pair to a Priority. Build one
// with DefaultMatrix or NewPriorityMatrix; the zero value is not usable and
// Priority reports it as invalid.
//
// It marshals to JSON as an object keyed "impact/urgency":
//
//	{"high/high": "P1", "high/medium": "P2", …}
type PriorityMatrix struct {
	cells [3][3]Priority // [impact-1][urgency-1]
}

// DefaultMatrix returns the common ITIL matrix:
//
//	            urgency high  medium  low
//	impact high         P1    P2      P3
//	       medium       P2    P3      P4
//	       low          P3    P4      P5
func DefaultMatrix() PriorityMatrix {
	return PriorityMatrix{cells: [3][3]Priority{
		{P1, P2, P3},
		{P2, P3, P4},
		{P3, P4, P5},
	}}
}

// MatrixCell is one entry of a custom PriorityMatrix.
type MatrixCell struct {
	Impact   Impact
	Urgency  Urgency
	Priority Priority
}

// NewPriorityMatrix builds a matrix from cells. Every one of the nine
// impact × urgency pairs must be given exactly once with a valid priority;
// otherwise the error is a *ValidationError naming the cell.
func NewPriorityMatrix(cells ...MatrixCell) (PriorityMatrix, error) {
	var m PriorityMatrix
	for _, c := range cells {
		field := fmt.Sprintf("matrix[%s/%s]", c.Impact, c.Urgency)
		switch {
		case !c.Impact.Valid():
			return PriorityMatrix{}, &ValidationError{Field: field, Reason: "unknown impact"}
		case !c.Urgency.Valid():
			return PriorityMatrix{}, &ValidationError{Field: field, Reason: "unknown urgency"}
		case !c.Priority.Valid():
			return PriorityMatrix{}, &ValidationError{Field: field, Reason: "priority must be P1 to P5"}
		case m.cells[c.Impact-1][c.Urgency-1] != 0:
			return PriorityMatrix{}, &ValidationError{Field: field, Reason: "given twice"}
		}
		m.cells[c.Impact-1][c.Urgency-1] = c.Priority
	}
	for i := range m.cells {
		for u := range m.cells[i] {
			if m.cells[i][u] == 0 {
				return PriorityMatrix{}, &ValidationError{
					Field:  fmt.Sprintf("matrix[%s/%s]", Impact(i+1), Urgency(u+1)),
					Reason: "missing",
				}
			}
		}
	}
	return m, nil
}

// Priority returns the priority for impact i and urgency u. It fails with a
// *ValidationError when either is unset or unknown, or when the matrix is the
// zero value.
func (m PriorityMatrix) Priority(i Impact, u Urgency) (Priority, error) {
	if !i.Valid() {
		return 0, &ValidationError{Field: "impact", Reason: fmt.Sprintf("undefined value %d", int8(i))}
	}
	if !u.Valid() {
		return 0, &ValidationError{Field: "urgency", Reason: fmt.Sprintf("undefined value %d", int8(u))}
	}
	p := m.cells[i-1][u-1]
	if p == 0 {
		return 0, &ValidationError{Field: "matrix", Reason: "empty priority matrix"}
	}
	return p, nil
}

// Cells returns the nine cells of the matrix, impact-major.
func (m PriorityMatrix) Cells() []MatrixCell {
	out := make([]MatrixCell, 0, 9)
	for i := range m.cells {
		for u := range m.cells[i] {
			out = append(out, MatrixCell{Impact: Impact(i + 1), Urgency: Urgency(u + 1), Priority: m.cells[i][u]})
		}
	}
	return out
}

// MarshalJSON encodes the matrix as {"impact/urgency": "Pn", …}.
func (m PriorityMatrix) MarshalJSON() ([]byte, error) {
	obj := make(map[string]Priority, 9)
	for _, c := range m.Cells() {
		if !c.Priority.Valid() {
			return nil, &ValidationError{Field: "matrix", Reason: "empty priority matrix"}
		}
		obj[c.Impact.String()+"/"+c.Urgency.String()] = c.Priority
	}
	return json.Marshal(obj)
}

// UnmarshalJSON decodes a matrix written by MarshalJSON; all nine cells are
// required and unknown keys are errors.
func (m *PriorityMatrix) UnmarshalJSON(b []byte) error {
	var obj map[string]Priority
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	cells := make([]MatrixCell, 0, len(obj))
	for key, p := range obj {
		var iu, uu string
		for k := 0; k < len(key); k++ {
			if key[k] == '/' {
				iu, uu = key[:k], key[k+1:]
				break
			}
		}
		i, err := ParseImpact(iu)
		if err != nil {
			return &ValidationError{Field: "matrix[" + key + "]", Reason: "key must be impact/urgency"}
		}
		u, err := ParseUrgency(uu)
		if err != nil {
			return &ValidationError{Field: "matrix[" + key + "]", Reason: "key must be impact/urgency"}
		}
		cells = append(cells, MatrixCell{Impact: i, Urgency: u, Priority: p})
	}
	nm, err := NewPriorityMatrix(cells...)
	if err != nil {
		return err
	}
	*m = nm
	return nil
}
