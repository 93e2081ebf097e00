package itil_test

import (
	"encoding/json"
	"fmt"

	"github.com/itil-go/itil"
)

func ExamplePriorityMatrix_Priority() {
	p, err := itil.DefaultMatrix().Priority(itil.ImpactHigh, itil.UrgencyMedium)
	fmt.Println(p, p.Label(), err)
	// Output: P2 high <nil>
}

func ExampleValidationError() {
	var u itil.Urgency
	err := json.Unmarshal([]byte(`"yesterday"`), &u)
	fmt.Println(err)
	// Output: invalid urgency: unknown urgency "yesterday" (want high, medium or low)
}
