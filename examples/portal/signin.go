package main

import (
	"net/http"

	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/request"
)

// signInView is the sign-in page: choose who you are. It shows nobody as
// signed in, even to a user who is, since choosing is signing in anew.
type signInView struct {
	view
	Users []*User
}

func (s *server) signInPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signin.html", &signInView{
		view:  view{Title: "Sign in"},
		Users: s.world.users.All(),
	})
}

// signIn signs in the user chosen in the form field "user" and goes home;
// the JSON API signs in the same way and then sends the cookie.
func (s *server) signIn(w http.ResponseWriter, r *http.Request) {
	u, ok := s.world.users.Get(r.PostFormValue("user"))
	if !ok {
		s.render(w, r, http.StatusBadRequest, "signin.html", &signInView{
			view:  view{Title: "Sign in"},
			Users: s.world.users.All(),
		})
		return
	}
	s.sessions.signIn(w, u)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *server) signOut(w http.ResponseWriter, r *http.Request) {
	s.sessions.signOut(w)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// homeView is the start page: what is waiting for the user.
type homeView struct {
	view
	Requests  []*request.Request
	Incidents []*incident.Incident
	Approvals int
	Queue     int
}

func (s *server) home(w http.ResponseWriter, r *http.Request, u *User) error {
	ctx := r.Context()
	v := &homeView{view: view{Title: "Home", User: u}}
	for req, err := range s.world.requests.MyRequests(ctx, u.ID, true) {
		if err != nil {
			return err
		}
		v.Requests = append(v.Requests, req)
	}
	for inc, err := range s.world.incidents.Find(ctx, incident.Query{Caller: u.ID, Open: true}) {
		if err != nil {
			return err
		}
		v.Incidents = append(v.Incidents, inc)
	}
	if u.Approver() {
		items, err := s.approvals(r, u)
		if err != nil {
			return err
		}
		v.Approvals = len(items.Requests) + len(items.Changes)
	}
	if u.Agent() {
		q, err := s.queue(r, u)
		if err != nil {
			return err
		}
		v.Queue = len(q.Incidents) + len(q.Tasks)
	}
	s.render(w, r, http.StatusOK, "home.html", v)
	return nil
}

// apiMe answers who is signed in.
func (s *server) apiMe(w http.ResponseWriter, _ *http.Request, u *User) error {
	writeJSON(w, http.StatusOK, u)
	return nil
}
