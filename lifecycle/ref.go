package lifecycle

import "github.com/itil-go/itil"

// Ref is itil.Ref, repeated here so that process code that only imports
// lifecycle can name it.
type Ref = itil.Ref
