package ecr

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/internal/errlist"
)

// ValidationError is one invalid value given to a construct of this package:
// the construct's path, the field, the value and the constraint it breaks.
// Constructors and methods panic with an [Errors] holding every problem found,
// before anything is added to the construct tree, so no template is written
// and no JavaScript stack trace is involved.
type ValidationError struct {
	// Path is the construct path, such as "MyStack/Images".
	Path string
	// Field is the property or argument, such as "RepositoryName".
	Field string
	// Value is the offending value, formatted with %q for strings; empty when
	// the field itself is the problem.
	Value string
	// Constraint says what the value must be.
	Constraint string
	// Err is the underlying error, such as a lifecycle.Errors, if any.
	Err error
}

// Error returns the problem on one line:
// `ecr: MyStack/Images: RepositoryName "My_Repo": must match ...`.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ecr: %s: %s", e.Path, e.Field)
	if e.Value != "" {
		b.WriteString(" ")
		b.WriteString(e.Value)
	}
	b.WriteString(": ")
	b.WriteString(e.Constraint)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ValidationError) Unwrap() error { return e.Err }

// Errors is every problem found in one call. It is the value constructors
// and methods of this package panic with.
type Errors []*ValidationError

// Error joins the problems with "; ", keeping the report on one line.
func (es Errors) Error() string { return errlist.Join(es) }

// Unwrap returns the individual problems for errors.As and errors.Is.
func (es Errors) Unwrap() []error { return errlist.Unwrap(es) }

// problems collects ValidationErrors for one construct path.
type problems struct {
	path string
	list Errors
}

// add records that field's value breaks constraint. Strings are quoted.
func (p *problems) add(field string, value any, constraint string) {
	p.list = append(p.list, &ValidationError{Path: p.path, Field: field, Value: format(value), Constraint: constraint})
}

// wrap records an error from another package under field.
func (p *problems) wrap(field string, err error) {
	p.list = append(p.list, &ValidationError{Path: p.path, Field: field, Constraint: err.Error(), Err: err})
}

// panicIfAny panics with the collected problems, if there are any.
func (p *problems) panicIfAny() {
	if len(p.list) > 0 {
		panic(p.list)
	}
}

// format renders a value for a message.
func format(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return fmt.Sprintf("%q", v)
	case *string:
		if v == nil {
			return "nil"
		}
		return fmt.Sprintf("%q", *v)
	case []string:
		return fmt.Sprintf("%q", v)
	default:
		return fmt.Sprintf("%v", v)
	}
}

// constructPath is the path a construct with this id will have under scope.
func constructPath(scope constructs.Construct, id *string) string {
	name := "<nil id>"
	if id != nil {
		name = *id
	}
	if scope == nil {
		return name
	}
	if parent := *scope.Node().Path(); parent != "" {
		return parent + "/" + name
	}
	return name
}
