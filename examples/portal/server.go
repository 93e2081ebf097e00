package main

import (
	"crypto/rand"
	"io/fs"
	"log/slog"
	"net/http"
)

// Config configures the portal's server. The zero value means the defaults.
type Config struct {
	// SessionKey signs the sign-in cookie. Default a random key, so that a
	// restart signs everybody out.
	SessionKey []byte
	// Logger receives refusals and internal errors. Default slog.Default().
	Logger *slog.Logger
}

// server is the portal: HTML pages for people and a JSON API under /api,
// over one world.
type server struct {
	world    *world
	sessions *sessions
	pages    *renderer
	log      *slog.Logger
	handler  http.Handler
}

var _ http.Handler = (*server)(nil)

// newServer returns the portal over w.
func newServer(w *world, cfg Config) (*server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if len(cfg.SessionKey) == 0 {
		cfg.SessionKey = make([]byte, 32)
		rand.Read(cfg.SessionKey) // never fails (crypto/rand)
	}
	pages, err := newRenderer()
	if err != nil {
		return nil, err
	}
	s := &server{
		world:    w,
		sessions: &sessions{key: cfg.SessionKey, users: w.users},
		pages:    pages,
		log:      cfg.Logger,
	}
	s.handler = http.NewCrossOriginProtection().Handler(s.routes())
	return s, nil
}

// ServeHTTP serves the portal. Unsafe requests from other origins are
// refused (http.CrossOriginProtection), since the session is a cookie.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes maps every path to its handler and the access it needs.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))

	mux.HandleFunc("GET /signin", s.signInPage)
	mux.HandleFunc("POST /signin", s.signIn)
	mux.HandleFunc("POST /signout", s.signOut)

	// Pages.
	mux.Handle("GET /{$}", s.page(signedIn, s.home))
	mux.Handle("GET /catalog", s.page(signedIn, s.catalogPage))
	mux.Handle("GET /catalog/{item}", s.page(signedIn, s.orderPage))
	mux.Handle("POST /catalog/{item}", s.page(signedIn, s.order))
	mux.Handle("GET /requests", s.page(signedIn, s.myRequestsPage))
	mux.Handle("GET /requests/{number}", s.page(signedIn, s.requestPage))
	mux.Handle("POST /requests/{number}/decision", s.page(approvers, s.decideRequest))
	mux.Handle("GET /incidents", s.page(signedIn, s.myIncidentsPage))
	mux.Handle("GET /incidents/new", s.page(signedIn, s.reportPage))
	mux.Handle("POST /incidents", s.page(signedIn, s.report))
	mux.Handle("GET /incidents/{number}", s.page(signedIn, s.incidentPage))
	mux.Handle("GET /approvals", s.page(approvers, s.approvalsPage))
	mux.Handle("GET /queue", s.page(agents, s.queuePage))
	mux.Handle("POST /tasks/{id}/complete", s.page(agents, s.completeTask))
	mux.Handle("GET /changes/{number}", s.page(signedIn, s.changePage))
	mux.Handle("POST /changes/{number}/decision", s.page(cabMembers, s.decideChange))
	mux.Handle("GET /lifecycles", s.page(signedIn, s.lifecyclesPage))
	mux.Handle("GET /lifecycles/{name}", s.page(signedIn, s.lifecyclePage))

	// The JSON API.
	mux.Handle("GET /api/me", s.api(signedIn, s.apiMe))
	mux.Handle("GET /api/catalog", s.api(signedIn, s.apiCatalog))
	mux.Handle("GET /api/requests", s.api(signedIn, s.apiMyRequests))
	mux.Handle("POST /api/requests", s.api(signedIn, s.apiOrder))
	mux.Handle("GET /api/requests/{id}", s.api(signedIn, s.apiRequest))
	mux.Handle("POST /api/requests/{id}/approve", s.api(approvers, s.apiDecideRequest(true)))
	mux.Handle("POST /api/requests/{id}/reject", s.api(approvers, s.apiDecideRequest(false)))
	mux.Handle("GET /api/approvals", s.api(approvers, s.apiApprovals))
	mux.Handle("GET /api/incidents", s.api(signedIn, s.apiMyIncidents))
	mux.Handle("POST /api/incidents", s.api(signedIn, s.apiReport))
	mux.Handle("GET /api/incidents/{id}", s.api(signedIn, s.apiIncident))
	mux.Handle("GET /api/queue", s.api(agents, s.apiQueue))
	mux.Handle("POST /api/tasks/{id}/complete", s.api(agents, s.apiCompleteTask))
	mux.Handle("GET /api/changes", s.api(cabMembers, s.apiChanges))
	mux.Handle("POST /api/changes/{id}/approve", s.api(cabMembers, s.apiDecideChange(true)))
	mux.Handle("POST /api/changes/{id}/reject", s.api(cabMembers, s.apiDecideChange(false)))
	mux.Handle("GET /api/lifecycles/{name}", s.api(signedIn, s.apiLifecycle))
	return mux
}

// handlerFunc serves a signed-in user. The error it returns, if any, is
// answered by the route's adapter with the matching status (see errors.go).
type handlerFunc func(w http.ResponseWriter, r *http.Request, u *User) error

// page adapts h to an HTML route that needs a: a visitor who is not signed
// in is sent to the sign-in page, a user without access gets 403.
func (s *server) page(a access, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := s.sessions.user(r)
		if u == nil {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		if !u.may(a) {
			s.pageError(w, r, u, denied(u, r.Method+" "+r.URL.Path, "your role does not allow it"))
			return
		}
		if err := h(w, r, u); err != nil {
			s.pageError(w, r, u, err)
		}
	})
}

// api adapts h to a JSON route that needs a: 401 without a session, 403
// without access.
func (s *server) api(a access, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := s.sessions.user(r)
		if u == nil {
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "sign in first: POST /signin with user=ID"})
			return
		}
		if !u.may(a) {
			s.apiError(w, r, u, denied(u, r.Method+" "+r.URL.Path, "your role does not allow it"))
			return
		}
		if err := h(w, r, u); err != nil {
			s.apiError(w, r, u, err)
		}
	})
}
