package itil_test

import (
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
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
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
// (the README's error table), by the names lifecycle.ClassName gives.
// "internal" is none of the five: an error that reports a fault, which an
// HTTP layer answers 500.
var errorClasses = map[string]struct {
	err   error
	class string
}{
	"itil.ErrInvalid":            {itil.ErrInvalid, "invalid"},
	"itil.ValidationError":       {&itil.ValidationError{}, "invalid"},
	"lifecycle.ErrNotFound":      {lifecycle.ErrNotFound, "not_found"},
	"lifecycle.ErrConflict":      {lifecycle.ErrConflict, "conflict"},
	"lifecycle.ErrExists":        {lifecycle.ErrExists, "conflict"},
	"lifecycle.ErrLeased":        {lifecycle.ErrLeased, "conflict"},
	"lifecycle.StaleReadError":   {&lifecycle.StaleReadError{}, "conflict"},
	"lifecycle.ErrForbidden":     {lifecycle.ErrForbidden, "forbidden"},
	"lifecycle.ForbiddenError":   {&lifecycle.ForbiddenError{}, "forbidden"},
	"lifecycle.ErrRefused":       {lifecycle.ErrRefused, "refused"},
	"lifecycle.ErrTransition":    {lifecycle.ErrTransition, "refused"},
	"lifecycle.TransitionError":  {&lifecycle.TransitionError{}, "refused"},
	"approval.ErrAlreadyDecided": {approval.ErrAlreadyDecided, "refused"},
	"approval.ErrClosed":         {approval.ErrClosed, "refused"},
	"approval.ErrNotApprover":    {approval.ErrNotApprover, "forbidden"},
	"approval.ErrSegregation":    {approval.ErrSegregation, "forbidden"},
	"approval.SegregationError":  {&approval.SegregationError{}, "forbidden"},
	"notify.ErrBadSignature":     {notify.ErrBadSignature, "forbidden"},
	"notify.ErrStale":            {notify.ErrStale, "forbidden"},
	"notify.SignatureError":      {&notify.SignatureError{Err: notify.ErrStale, Reason: "old"}, "forbidden"},
	"notify.StatusError":         {&notify.StatusError{}, "internal"}, // a receiver's answer to a delivery: the dispatcher's to retry, no caller's
	"notify.PanicError":          {&notify.PanicError{}, "internal"},  // a notifier that panicked: a fault, answered 500
	"sqlstore.ErrSchemaTooNew":   {sqlstore.ErrSchemaTooNew, "refused"},
	"sqlstore.ErrSchemaTooOld":   {sqlstore.ErrSchemaTooOld, "refused"},
	"incident.ErrCycle":          {incident.ErrCycle, "refused"},
	"incident.ErrWindowPassed":   {incident.ErrWindowPassed, "refused"},
	"incident.WindowError":       {&incident.WindowError{}, "refused"},
	"change.ErrFrozen":           {change.ErrFrozen, "refused"},
	"change.ErrNotApproved":      {change.ErrNotApproved, "refused"},
	"change.ErrConflicts":        {change.ErrConflicts, "refused"},
	"change.FreezeError":         {&change.FreezeError{}, "refused"},
	"change.ConflictError":       {&change.ConflictError{}, "refused"},
	"change.ApprovalError":       {&change.ApprovalError{}, "refused"},
	"cmdb.ErrDuplicateKey":       {cmdb.ErrDuplicateKey, "conflict"},
	"cmdb.ErrCycle":              {cmdb.ErrCycle, "refused"},
	"cmdb.ErrRetired":            {cmdb.ErrRetired, "refused"},
	"cmdb.ErrInUse":              {cmdb.ErrInUse, "refused"},
	"cmdb.ErrQuorum":             {cmdb.ErrQuorum, "refused"},
	"cmdb.RuleError":             {&cmdb.RuleError{Rule: cmdb.ErrCycle}, "refused"},
	"request.ErrRetired":         {request.ErrRetired, "refused"},
	"request.ErrNotCancellable":  {request.ErrNotCancellable, "refused"},
	"request.ErrNotInFulfilment": {request.ErrNotInFulfilment, "refused"},
	"request.ErrUnknownUser":     {request.ErrUnknownUser, "invalid"},
	"request.LineError":          {&request.LineError{}, "invalid"},
	"event.ErrNoAlert":           {event.ErrNoAlert, "not_found"},
}

// TestErrorClasses checks that every exported error of the library matches
// exactly one class through errors.Is, and that the table above lists
// every one of them: a new error without a class fails here.
func TestErrorClasses(t *testing.T) {
	var listed []string
	for name := range errorClasses {
		listed = append(listed, name)
	}
	slices.Sort(listed)
	assert.Equal(t, exportedErrors(t), listed, "the table lists every exported error")
	for name, tc := range errorClasses {
		t.Run(name, func(t *testing.T) {
			require.NotNil(t, tc.err)
			assert.Equal(t, tc.class == "internal", lifecycle.HTTPStatus(tc.err) == 500, "status %d", lifecycle.HTTPStatus(tc.err))
			lifecycletest.AssertClass(t, tc.err, tc.class)
		})
	}
}
