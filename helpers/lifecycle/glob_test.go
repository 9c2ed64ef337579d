package lifecycle

import "testing"

func TestUncovered(t *testing.T) {
	for _, tc := range []struct {
		g       glob
		cover   []glob
		escapes bool
		witness string
	}{
		{prefixGlob("v1"), []glob{prefixGlob("v")}, false, ""},
		{prefixGlob("v"), []glob{prefixGlob("v1")}, true, "v"},
		{patternGlob("*"), []glob{prefixGlob("a")}, true, "x"},
		{patternGlob("*-rc*"), []glob{patternGlob("*-rc*")}, false, ""},
		{patternGlob("1.4.2"), []glob{patternGlob("1.*")}, false, ""},
		{patternGlob("1.*"), []glob{patternGlob("1.4.2")}, true, "1."},
		// A union covers what neither glob covers alone.
		{patternGlob("*"), []glob{patternGlob("a*"), patternGlob("*")}, false, ""},
		{prefixGlob("x"), []glob{patternGlob("x"), patternGlob("x?*")}, true, "xx"},
		{prefixGlob("ab"), []glob{patternGlob("a*"), patternGlob("*b")}, false, ""},
		// Tags are never empty: "*" and "*a*" differ by more than "".
		{patternGlob("**"), []glob{patternGlob("*a*")}, true, "x"},
	} {
		w, escapes := uncovered(tc.g, tc.cover)
		if escapes != tc.escapes || (escapes && w != tc.witness) {
			t.Errorf("uncovered(%v, %v) = %q, %v; want %q, %v", tc.g, tc.cover, w, escapes, tc.witness, tc.escapes)
		}
		if escapes && (!tc.g.matches(w) || tc.cover[0].matches(w)) {
			t.Errorf("witness %q is not in g minus the cover", w)
		}
	}
}
