package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// noteAsComment names the "comment" of the portal's forms and JSON bodies
// in an error about a decision's "note", which is what the library calls it.
func noteAsComment(err error) error {
	if ve := (*itil.ValidationError)(nil); errors.As(err, &ve) && ve.Field == "note" {
		return &itil.ValidationError{Field: "comment", Reason: ve.Reason}
	}
	return err
}

// apiError is the body of every JSON error answer.
type apiError struct {
	// Error says what is wrong.
	Error string `json:"error"`
	// Class is the error's class (lifecycle.ClassName): invalid,
	// forbidden, not_found, conflict, refused or internal.
	Class string `json:"class"`
	// Field names the bad field of a 400.
	Field string `json:"field,omitempty"`
}

// describe returns the status and the answer for err, logging refusals and
// hiding the details of internal errors.
func (s *server) describe(r *http.Request, u *User, err error) (int, apiError) {
	status := lifecycle.HTTPStatus(err)
	body := apiError{Error: err.Error(), Class: lifecycle.ClassName(err)}
	var ve *itil.ValidationError
	if errors.As(err, &ve) {
		body.Field = ve.Field
	}
	switch status {
	case http.StatusForbidden:
		s.log.InfoContext(r.Context(), "refused", slog.String("user", u.ID), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("reason", err.Error()))
	case http.StatusInternalServerError:
		s.log.ErrorContext(r.Context(), "internal error", slog.String("path", r.URL.Path), slog.Any("err", err))
		body = apiError{Error: "internal error", Class: "internal"}
	}
	return status, body
}

// apiError answers a JSON route's error.
func (s *server) apiError(w http.ResponseWriter, r *http.Request, u *User, err error) {
	status, body := s.describe(r, u, err)
	writeJSON(w, status, body)
}

// pageError answers an HTML route's error with the error page.
func (s *server) pageError(w http.ResponseWriter, r *http.Request, u *User, err error) {
	status, body := s.describe(r, u, err)
	s.render(w, r, status, "error.html", &errorView{
		view:   view{Title: http.StatusText(status), User: u},
		Status: status, Message: body.Error,
	})
}

// errorView is the error page.
type errorView struct {
	view
	Status  int
	Message string
}

// writeJSON writes v as the JSON answer with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the status is sent; a failed write has nowhere to go
}

// fieldErrors are the problems of a form, by field name as the library
// names fields ("title", "variables[ram]").
type fieldErrors map[string]string

// formErrors returns err as field errors when it names a field, or nil
// for other errors, which the caller returns as they are.
func formErrors(err error) fieldErrors {
	var ve *itil.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	return fieldErrors{ve.Field: ve.Reason}
}
