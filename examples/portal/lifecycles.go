package main

import (
	"fmt"
	"net/http"

	"github.com/itil-go/itil/lifecycle"
)

// lifecyclesView lists the lifecycles; lifecycleView draws one.
type lifecyclesView struct {
	view
	Lifecycles []namedLifecycle
}

type lifecycleView struct {
	view
	Lifecycle namedLifecycle
	Mermaid   string
	States    []lifecycle.State
	Events    []lifecycle.Event
}

func (s *server) lifecyclesPage(w http.ResponseWriter, r *http.Request, u *User) error {
	s.render(w, r, http.StatusOK, "lifecycles.html", &lifecyclesView{view: view{Title: "Lifecycles", User: u},
		Lifecycles: s.world.lifecycles()})
	return nil
}

func (s *server) findLifecycle(name string) (namedLifecycle, error) {
	for _, l := range s.world.lifecycles() {
		if l.Name == name {
			return l, nil
		}
	}
	return namedLifecycle{}, fmt.Errorf("lifecycle %q: %w", name, lifecycle.ErrNotFound)
}

// lifecyclePage shows a lifecycle as Mermaid text, which a page with
// mermaid.js draws, and as tables of its states and events.
func (s *server) lifecyclePage(w http.ResponseWriter, r *http.Request, u *User) error {
	l, err := s.findLifecycle(r.PathValue("name"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "lifecycle.html", &lifecycleView{view: view{Title: l.Title + " lifecycle", User: u},
		Lifecycle: l, Mermaid: l.Def.Mermaid(), States: l.Def.States(), Events: l.Def.Events()})
	return nil
}

// apiLifecycle answers the lifecycle's definition as JSON, with its Mermaid
// diagram.
func (s *server) apiLifecycle(w http.ResponseWriter, r *http.Request, _ *User) error {
	l, err := s.findLifecycle(r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": l.Name, "title": l.Title, "definition": l.Def, "mermaid": l.Def.Mermaid()})
	return nil
}
