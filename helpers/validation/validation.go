// Package validation holds the one error type with which every package of
// this library refuses input: constructs (packages ecr, registry and
// organization), lifecycle rules and policies (package lifecycle), the
// compliance pack and cdk-nag suppressions.
//
// A refusal is an [Errors], a list of [*Error], each naming where the
// problem is, the field, the value and the rule it breaks, on one line.
// Constructors and methods that build constructs panic with it, as CDK's own
// constructs panic on invalid input; functions that return an error return
// it. Either way errors.As reaches each problem:
//
//	var invalid *validation.Error
//	if errors.As(err, &invalid) {
//		fmt.Println(invalid.Path, invalid.Field)
//	}
//
// Every package of the library refuses with these two types, and none has
// an error type of its own: errors.As with a *validation.Error finds every
// refusal of the library.
//
// The package is plain Go: it does not start the jsii runtime.
package validation

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/jsonpos"
)

// Error is one invalid value: where it is, the field, the value and the
// constraint it breaks.
type Error struct {
	// Package is the library package that refused the value, such as "ecr",
	// "lifecycle", "compliance" or "nag"; it starts the message.
	Package string
	// Path says where the value is: a construct path such as
	// "MyStack/Images", a lifecycle rule such as `rules[2] ("keep
	// releases")`, or "policy" for a lifecycle policy as a whole. Empty when
	// there is nothing more precise than the field.
	Path string
	// Field is the property, argument or JSON field, such as
	// "RepositoryName" or "selection.countNumber".
	Field string
	// Value is the offending value as the message shows it (strings quoted);
	// empty when the field itself is the problem (missing, or not allowed).
	Value string
	// Constraint says what the value must be.
	Constraint string
	// Err is the underlying error, if any.
	Err error
	// Line and Column locate the problem in the text it was read from, for
	// problems of syntax and type in a JSON document: 1-based, Column
	// counting characters. 0 when the problem has no place in a text.
	Line, Column int
}

// Error returns the problem on one line:
// `ecr: MyStack/Images: RepositoryName "My_Repo": must match ...`. A problem
// with a place in a text gives it after the package, as line:column:
// `lifecycle: 5:7: invalid character '{' after array element`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Package != "" {
		b.WriteString(e.Package)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Field)
	if e.Value != "" {
		if e.Field != "" {
			b.WriteString(" ")
		}
		b.WriteString(e.Value)
	}
	if e.Field != "" || e.Value != "" {
		b.WriteString(": ")
	}
	b.WriteString(e.Constraint)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one call, in the order found. It is what
// the library panics with or returns; it is never empty.
type Errors []*Error

// Error joins the problems with "; ", keeping the report on one line.
func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the individual problems for errors.As and errors.Is.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// List returns the individual problems of err: the list of an [Errors], the
// one [*Error] it wraps, or nil when err holds neither (or is nil).
func List(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	var e *Error
	if errors.As(err, &e) {
		return Errors{e}
	}
	return nil
}

// Collector gathers the problems of one check for one package and path.
// The zero value is not useful; set Package (and Path when there is one).
//
// Most checks record every problem at the collector's Path, in the order
// found ([Collector.Add]). A check whose problems each have a place of
// their own, such as a lifecycle policy's, whose problems name their rule
// and are reported in the order the rules were given, records them with
// [Collector.AddAt] and a [Place].
type Collector struct {
	// Package and Path are copied into every problem added; a [Place]
	// with a Path of its own overrides Path.
	Package, Path string
	list          []recorded
}

// recorded is one problem of a Collector with its Place's order and JSON
// path.
type recorded struct {
	err   *Error
	order int
	json  []any
}

// Place says where a problem recorded with [Collector.AddAt] is, when the
// collector's Path does not say it all. The zero Place is the collector's
// Path, in the order recorded, with no place in a text.
type Place struct {
	// Path is the problem's Path, such as `rules[2] ("keep releases")`;
	// empty keeps the collector's.
	Path string
	// Order sorts the problem among the others: [Collector.Err] returns
	// them by ascending Order, those of equal Order in the order recorded.
	// The other methods record problems of Order 0, so a collector given
	// no other Order returns its problems in the order recorded.
	Order int
	// JSON is the path of the value in the JSON document it was read from,
	// object keys as strings and array indexes as ints, such as
	// {"rules", 2, "selection"}: [Collector.LocateJSON] then gives the
	// problem the line and column of that value. nil when the problem has
	// no place in a document.
	JSON []any
}

// Add records that field's value breaks constraint. The value is formatted
// with [Format].
func (c *Collector) Add(field string, value any, constraint string) {
	c.AddAt(Place{}, field, value, constraint)
}

// AddAt records that field's value breaks constraint, at place rather than
// at the collector's Path, and returns the problem recorded, so that the
// caller can tell it apart later. The value is formatted with [Format].
func (c *Collector) AddAt(place Place, field string, value any, constraint string) *Error {
	path := place.Path
	if path == "" {
		path = c.Path
	}
	e := &Error{Package: c.Package, Path: path, Field: field, Value: Format(value), Constraint: constraint}
	c.list = append(c.list, recorded{err: e, order: place.Order, json: place.JSON})
	return e
}

// Wrap records the problems of err, returned by another check, under
// field: each problem of an [Errors] becomes one problem of this path and
// field, whose constraint is the inner problem's message without its
// package (`LifecycleRules: rules[2] ("keep releases"): selection.countNumber
// 0: must be a positive integer`) and which unwraps to it; any other error
// becomes one problem whose constraint is its message.
func (c *Collector) Wrap(field string, err error) {
	inner := List(err)
	if inner == nil {
		c.Append(&Error{Package: c.Package, Path: c.Path, Field: field, Constraint: err.Error(), Err: err})
		return
	}
	for _, e := range inner {
		bare := *e
		bare.Package = ""
		c.Append(&Error{Package: c.Package, Path: c.Path, Field: field, Constraint: bare.Error(), Err: e})
	}
}

// Append records problems that are already built.
func (c *Collector) Append(es ...*Error) {
	for _, e := range es {
		c.list = append(c.list, recorded{err: e})
	}
}

// Nested runs check with a collector of its own, of the same Package and
// Path, then records its problems here with prefix before their Field, for
// props nested in other props: with prefix
// "PullThroughCacheRules[0].CreationTemplate.", a problem of field
// "LifecyclePolicy" becomes one of
// "PullThroughCacheRules[0].CreationTemplate.LifecyclePolicy". The problems
// keep their Place. They are recorded after those that check records in c
// itself meanwhile; with prefix "", Nested just keeps a part of a check
// apart, for check to look at (through [Collector.Err]) before they join c.
func (c *Collector) Nested(prefix string, check func(*Collector)) {
	q := &Collector{Package: c.Package, Path: c.Path}
	check(q)
	for _, r := range q.list {
		r.err.Field = prefix + r.err.Field
	}
	c.list = append(c.list, q.list...)
}

// LocateJSON gives every problem recorded with a [Place] JSON path the
// line and column of that value in text, the JSON document the values
// were read from. A path that text does not hold leaves its problem
// without a place.
func (c *Collector) LocateJSON(text []byte) {
	for _, r := range c.list {
		if r.json == nil {
			continue
		}
		if offset, ok := jsonpos.LocatePath(text, r.json...); ok {
			r.err.Line, r.err.Column = jsonpos.Locate(text, offset)
		}
	}
}

// Len returns how many problems were recorded.
func (c *Collector) Len() int { return len(c.list) }

// Err returns the problems as [Errors], by ascending [Place] Order and, for
// equal Order, in the order recorded; nil when there are none.
func (c *Collector) Err() error {
	if len(c.list) == 0 {
		return nil
	}
	slices.SortStableFunc(c.list, func(a, b recorded) int { return cmp.Compare(a.order, b.order) })
	out := make(Errors, len(c.list))
	for i, r := range c.list {
		out[i] = r.err
	}
	return out
}

// PanicIfAny panics with the problems as [Errors], as Err returns them, if
// there are any.
func (c *Collector) PanicIfAny() {
	if err := c.Err(); err != nil {
		panic(err)
	}
}

// Raw is a value already formatted for a message, such as a fragment of
// the JSON document it was read from; [Format] shows it as it is.
type Raw string

// Format renders a value for a message, the one way every package of the
// library shows values: strings and string pointers quoted, string lists as
// JSON shows them (["a","b"]), a [Raw] value as it is, nil as nothing.
func Format(v any) string {
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
		quoted := make([]string, len(v))
		for i, s := range v {
			quoted[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(quoted, ",") + "]"
	case Raw:
		return string(v)
	default:
		return fmt.Sprintf("%v", v)
	}
}

// OneOf lists the allowed values for a message: "A, B or C".
func OneOf[T ~string](values []T) string { return join(values, "%s") }

// OneOfQuoted lists the allowed values quoted, as JSON shows them:
// `"a", "b" or "c"`.
func OneOfQuoted[T ~string](values []T) string { return join(values, "%q") }

func join[T ~string](values []T, format string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprintf(format, string(v))
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}
