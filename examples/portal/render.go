package main

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// assets are the page templates and the style sheet.
//
//go:embed templates static
var assets embed.FS

// view is what every page shows: its title and who is signed in.
type view struct {
	Title string
	User  *User
}

// renderer holds one template set per page, each with the shared layout
// and partials.
type renderer struct {
	pages map[string]*template.Template
}

var templateFuncs = template.FuncMap{
	"when":  func(t time.Time) string { return t.Local().Format("2 Jan 15:04") },
	"join":  strings.Join,
	"title": func(s string) string { return strings.ReplaceAll(s, "_", " ") },
}

func newRenderer() (*renderer, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: map[string]*template.Template{}}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" || base == "partials.html" {
			continue
		}
		t, err := template.New(base).Funcs(templateFuncs).ParseFS(assets, "templates/layout.html", "templates/partials.html", name)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		r.pages[base] = t
	}
	return r, nil
}

// render writes the page with data and status. The page is rendered in
// full before anything is written, so a template error is a clean 500.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := s.pages.pages[page]
	if !ok {
		s.log.ErrorContext(r.Context(), "no such page", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.ErrorContext(r.Context(), "render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
