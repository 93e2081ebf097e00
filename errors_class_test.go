package itil_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/notify"
	"github.com/itil-go/itil/lifecycle/sqlstore"
	"github.com/itil-go/itil/request"
)

// exportedErrors lists, by "package.Name", the exported error variables
// (var ErrX = …) and the exported types with an Error method of every
// package of the module, read from the sources: the examples, internal
// packages and tests left out.
func exportedErrors(t *testing.T) []string {
	t.Helper()
	var names []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "examples", "internal", "testdata", "bench", ".git", ".ci":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if strings.HasSuffix(f.Name.Name, "test") { // storetest, lifecycletest: kits, not errors a caller handles
			return nil
		}
		pkg := f.Name.Name
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.GenDecl:
				if decl.Tok != token.VAR {
					continue
				}
				for _, spec := range decl.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						if n.IsExported() && strings.HasPrefix(n.Name, "Err") {
							names = append(names, pkg+"."+n.Name)
						}
					}
				}
			case *ast.FuncDecl:
				if decl.Recv == nil || decl.Name.Name != "Error" || decl.Type.Params.NumFields() != 0 {
					continue
				}
				recv := decl.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				if id, ok := recv.(*ast.Ident); ok && id.IsExported() {
					names = append(names, pkg+"."+id.Name)
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	slices.Sort(names)
	return slices.Compact(names)
}

// errorClasses maps every exported error of every package to its one class
// (the README's error table). A nil class is none of the five: an error that
// reports a fault, which an HTTP layer answers 500.
var errorClasses = map[string]struct {
	err   error
	class error
}{
	"itil.ErrInvalid":            {itil.ErrInvalid, itil.ErrInvalid},
	"itil.ValidationError":       {&itil.ValidationError{}, itil.ErrInvalid},
	"lifecycle.ErrNotFound":      {lifecycle.ErrNotFound, lifecycle.ErrNotFound},
	"lifecycle.ErrConflict":      {lifecycle.ErrConflict, lifecycle.ErrConflict},
	"lifecycle.ErrExists":        {lifecycle.ErrExists, lifecycle.ErrConflict},
	"lifecycle.ErrLeased":        {lifecycle.ErrLeased, lifecycle.ErrConflict},
	"lifecycle.StaleReadError":   {&lifecycle.StaleReadError{}, lifecycle.ErrConflict},
	"lifecycle.ErrForbidden":     {lifecycle.ErrForbidden, lifecycle.ErrForbidden},
	"lifecycle.ForbiddenError":   {&lifecycle.ForbiddenError{}, lifecycle.ErrForbidden},
	"lifecycle.ErrRefused":       {lifecycle.ErrRefused, lifecycle.ErrRefused},
	"lifecycle.ErrTransition":    {lifecycle.ErrTransition, lifecycle.ErrRefused},
	"lifecycle.TransitionError":  {&lifecycle.TransitionError{}, lifecycle.ErrRefused},
	"approval.ErrAlreadyDecided": {approval.ErrAlreadyDecided, lifecycle.ErrRefused},
	"approval.ErrClosed":         {approval.ErrClosed, lifecycle.ErrRefused},
	"approval.ErrNotApprover":    {approval.ErrNotApprover, lifecycle.ErrForbidden},
	"approval.ErrSegregation":    {approval.ErrSegregation, lifecycle.ErrForbidden},
	"approval.SegregationError":  {&approval.SegregationError{}, lifecycle.ErrForbidden},
	"notify.ErrBadSignature":     {notify.ErrBadSignature, lifecycle.ErrForbidden},
	"notify.ErrStale":            {notify.ErrStale, lifecycle.ErrForbidden},
	"notify.SignatureError":      {&notify.SignatureError{Err: notify.ErrStale, Reason: "old"}, lifecycle.ErrForbidden},
	"notify.StatusError":         {&notify.StatusError{}, nil}, // a receiver's answer to a delivery: the dispatcher's to retry, no caller's
	"notify.PanicError":          {&notify.PanicError{}, nil},  // a notifier that panicked: a fault, answered 500
	"sqlstore.ErrSchemaTooNew":   {sqlstore.ErrSchemaTooNew, lifecycle.ErrRefused},
	"sqlstore.ErrSchemaTooOld":   {sqlstore.ErrSchemaTooOld, lifecycle.ErrRefused},
	"incident.ErrCycle":          {incident.ErrCycle, lifecycle.ErrRefused},
	"incident.ErrWindowPassed":   {incident.ErrWindowPassed, lifecycle.ErrRefused},
	"incident.WindowError":       {&incident.WindowError{}, lifecycle.ErrRefused},
	"change.ErrFrozen":           {change.ErrFrozen, lifecycle.ErrRefused},
	"change.ErrNotApproved":      {change.ErrNotApproved, lifecycle.ErrRefused},
	"change.ErrConflicts":        {change.ErrConflicts, lifecycle.ErrRefused},
	"change.FreezeError":         {&change.FreezeError{}, lifecycle.ErrRefused},
	"change.ConflictError":       {&change.ConflictError{}, lifecycle.ErrRefused},
	"change.ApprovalError":       {&change.ApprovalError{}, lifecycle.ErrRefused},
	"request.ErrRetired":         {request.ErrRetired, lifecycle.ErrRefused},
	"request.ErrNotCancellable":  {request.ErrNotCancellable, lifecycle.ErrRefused},
	"request.ErrNotInFulfilment": {request.ErrNotInFulfilment, lifecycle.ErrRefused},
	"request.ErrUnknownUser":     {request.ErrUnknownUser, itil.ErrInvalid},
	"request.LineError":          {&request.LineError{}, itil.ErrInvalid},
	"event.ErrNoAlert":           {event.ErrNoAlert, lifecycle.ErrNotFound},
}

// TestErrorClasses checks that every exported error of the library matches
// exactly one class through errors.Is, and that the table above lists
// every one of them: a new error without a class fails here.
func TestErrorClasses(t *testing.T) {
	classes := []error{itil.ErrInvalid, lifecycle.ErrForbidden, lifecycle.ErrNotFound, lifecycle.ErrConflict, lifecycle.ErrRefused}
	var listed []string
	for name := range errorClasses {
		listed = append(listed, name)
	}
	slices.Sort(listed)
	assert.Equal(t, exportedErrors(t), listed, "the table lists every exported error")
	for name, tc := range errorClasses {
		require.NotNil(t, tc.err, name)
		assert.Equal(t, tc.class == nil, lifecycle.HTTPStatus(tc.err) == 500, "%s: status %d", name, lifecycle.HTTPStatus(tc.err))
		for _, c := range classes {
			assert.Equal(t, c == tc.class, errors.Is(tc.err, c), "%s matches %v", name, c)
		}
		assert.Equal(t, tc.class, lifecycle.Class(tc.err), name)
	}
}
