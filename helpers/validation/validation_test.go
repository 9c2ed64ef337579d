package validation

import "testing"

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
