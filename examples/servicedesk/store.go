package main

import (
	"fmt"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// openStore opens the store the -store flag names.
func openStore(spec string) (lifecycle.Store, error) {
	switch spec {
	case "", "memory":
		return memstore.New(memstore.Config{}), nil
	}
	return nil, fmt.Errorf("unknown store %q (want memory)", spec)
}
