package validation

import (
	"errors"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	s := "x"
	for _, tt := range []struct {
		v    any
		want string
	}{
		{nil, ""},
		{"a b", `"a b"`},
		{&s, `"x"`},
		{(*string)(nil), "nil"},
		{[]string{"a", "b"}, `["a","b"]`},
		{[]string{}, `[]`},
		{Raw(`{"k":1}`), `{"k":1}`},
		{true, "true"},
		{7, "7"},
	} {
		if got := Format(tt.v); got != tt.want {
			t.Errorf("Format(%#v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestErrorIsOneLine(t *testing.T) {
	e := &Error{Package: "ecr", Path: "S/R", Field: "RepositoryName", Value: `"X"`, Constraint: "must be lowercase"}
	if got := e.Error(); got != `ecr: S/R: RepositoryName "X": must be lowercase` {
		t.Errorf("Error() = %s", got)
	}
	located := &Error{Package: "lifecycle", Line: 5, Column: 7, Constraint: "invalid character"}
	if got := located.Error(); got != "lifecycle: 5:7: invalid character" {
		t.Errorf("Error() = %s", got)
	}
	es := Errors{e, located}
	if got := es.Error(); got != e.Error()+"; "+located.Error() {
		t.Errorf("Errors.Error() = %s", got)
	}
	if List(es)[1] != located || List(located)[0] != located || List(nil) != nil {
		t.Error("List")
	}
}

func TestOneOf(t *testing.T) {
	if got := OneOf([]string{"A", "B", "C"}); got != "A, B or C" {
		t.Error(got)
	}
	if got := OneOfQuoted([]string{"a"}); got != `"a"` {
		t.Error(got)
	}
}

// wantMessages checks the messages of err's problems, in order.
func wantMessages(t *testing.T, err error, want ...string) {
	t.Helper()
	var got []string
	for _, e := range List(err) {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCollectorRecordsInOrderAtItsPath(t *testing.T) {
	c := &Collector{Package: "ecr", Path: "S/R"}
	if c.Err() != nil {
		t.Fatal("an empty collector has an error")
	}
	c.Add("B", 2, "second")
	c.Add("A", "x", "first")
	wantMessages(t, c.Err(), `ecr: S/R: B 2: second`, `ecr: S/R: A "x": first`)
	if c.Len() != 2 {
		t.Errorf("Len() = %d", c.Len())
	}
}

func TestCollectorAddAtOrdersByPlaceStably(t *testing.T) {
	c := &Collector{Package: "lifecycle"}
	c.AddAt(Place{Path: "rules[1]", Order: 1}, "f", nil, "a")
	first := c.AddAt(Place{Path: "rules[0]", Order: 0}, "f", nil, "b")
	c.AddAt(Place{Path: "rules[1]", Order: 1}, "g", nil, "c")
	c.AddAt(Place{Path: "policy", Order: -1}, "rules", nil, "d")
	c.Add("h", nil, "e") // Order 0, the collector's (empty) Path
	wantMessages(t, c.Err(),
		"lifecycle: policy: rules: d",
		"lifecycle: rules[0]: f: b",
		"lifecycle: h: e",
		"lifecycle: rules[1]: f: a",
		"lifecycle: rules[1]: g: c",
	)
	if first.Path != "rules[0]" || first.Constraint != "b" {
		t.Errorf("AddAt returned %+v", first)
	}
	defer func() {
		es, ok := recover().(Errors)
		if !ok || es[0].Constraint != "d" {
			t.Errorf("PanicIfAny panicked with %v, want the sorted Errors", es)
		}
	}()
	c.PanicIfAny()
}

func TestCollectorLocateJSON(t *testing.T) {
	text := []byte("{\"rules\": [\n  {\"rulePriority\": \"one\"}\n]}")
	c := &Collector{Package: "lifecycle"}
	typed := c.AddAt(Place{Path: "rules[0]", JSON: []any{"rules", 0, "rulePriority"}}, "rulePriority", Raw(`"one"`), "must be an integer")
	missing := c.AddAt(Place{Path: "rules[1]", JSON: []any{"rules", 1}}, "rule", nil, "absent from the text")
	plain := c.AddAt(Place{Path: "rules[0]"}, "description", nil, "no place")
	c.LocateJSON(text)
	if typed.Line != 2 || typed.Column != 20 {
		t.Errorf("typed value at %d:%d, want 2:20", typed.Line, typed.Column)
	}
	if missing.Line != 0 || plain.Line != 0 {
		t.Errorf("a problem without a place in the text got one: %+v %+v", missing, plain)
	}
	if got := typed.Error(); got != `lifecycle: 2:20: rules[0]: rulePriority "one": must be an integer` {
		t.Errorf("Error() = %s", got)
	}
}

func TestCollectorNestedPrefixesFields(t *testing.T) {
	c := &Collector{Package: "registry", Path: "Props"}
	c.Add("Before", nil, "outer")
	var inner int
	c.Nested("RootTemplate.", func(q *Collector) {
		if q.Package != "registry" || q.Path != "Props" {
			t.Errorf("nested collector is %q %q", q.Package, q.Path)
		}
		q.Add("LifecyclePolicy", nil, "inner")
		q.AddAt(Place{Order: -1}, "Prefix", nil, "first")
		c.Add("During", nil, "outer, meanwhile")
		inner = q.Len()
	})
	if inner != 2 {
		t.Errorf("the nested collector held %d problems", inner)
	}
	wantMessages(t, c.Err(),
		"registry: Props: RootTemplate.Prefix: first",
		"registry: Props: Before: outer",
		"registry: Props: During: outer, meanwhile",
		"registry: Props: RootTemplate.LifecyclePolicy: inner",
	)
}

func TestCollectorWrap(t *testing.T) {
	inner := &Collector{Package: "lifecycle"}
	inner.AddAt(Place{Path: "rules[2]"}, "selection.countNumber", 0, "must be a positive integer")
	c := &Collector{Package: "ecr", Path: "S/R"}
	c.Wrap("LifecycleRules", inner.Err())
	c.Wrap("Other", errors.New("plain"))
	wantMessages(t, c.Err(),
		"ecr: S/R: LifecycleRules: rules[2]: selection.countNumber 0: must be a positive integer",
		"ecr: S/R: Other: plain",
	)
	var e *Error
	if es := List(c.Err()); !errors.As(es[0].Unwrap(), &e) || e.Path != "rules[2]" {
		t.Error("a wrapped problem does not unwrap to the inner one")
	}
}
