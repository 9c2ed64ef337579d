package lifecycle

import (
	"slices"
	"strconv"
	"strings"
)

// glob is a tag selection entry as a language of tags: a tagPatternList
// entry, whose "*" matches any run of characters and which is anchored at
// both ends, or a tagPrefixList entry p, which selects what the pattern p*
// selects. Each item is a literal byte or, with star set, a wildcard.
type glob []globItem

type globItem struct {
	star bool
	c    byte
}

// patternGlob is the language of a tagPatternList entry.
func patternGlob(p string) glob {
	g := make(glob, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '*' {
			if len(g) > 0 && g[len(g)-1].star {
				continue // "**" is "*"
			}
			g = append(g, globItem{star: true})
		} else {
			g = append(g, globItem{c: p[i]})
		}
	}
	return g
}

// prefixGlob is the language of a tagPrefixList entry: its literal text
// followed by a wildcard (a prefix holds no wildcard of its own).
func prefixGlob(p string) glob {
	g := make(glob, 0, len(p)+1)
	for i := 0; i < len(p); i++ {
		g = append(g, globItem{c: p[i]})
	}
	return append(g, globItem{star: true})
}

// closure adds to the set of states of g the states reachable without
// reading a character: a wildcard may match nothing.
func (g glob) closure(states []bool) {
	for i := 0; i < len(g); i++ {
		if states[i] && g[i].star {
			states[i+1] = true
		}
	}
}

// step returns the states of g after reading c from states.
func (g glob) step(states []bool, c byte) []bool {
	next := make([]bool, len(g)+1)
	for i, on := range states[:len(g)] {
		switch {
		case !on:
		case g[i].star:
			next[i] = true
		case g[i].c == c:
			next[i+1] = true
		}
	}
	g.closure(next)
	return next
}

// uncovered returns a shortest non-empty tag that g matches and none of the
// cover globs matches, and whether there is one: with ok false, every tag
// g matches is matched by one of cover (L(g) ⊆ L(c1) ∪ … ∪ L(cn)).
//
// It is exact, not a heuristic: the search runs over pairs of a state of
// g's automaton and the set of states of the cover's automata (the subset
// construction, built as it is reached), reading one representative of
// each class of characters that the globs treat alike — every literal they
// name, and one character none of them names. No library offers inclusion
// of glob languages (Go's path.Match and regexp match strings, they don't
// compare languages), so it is written here; the globs of a policy are
// short (ECR allows four wildcards per pattern), so the search is small.
func uncovered(g glob, cover []glob) (string, bool) {
	alphabet := []byte{}
	for _, h := range append([]glob{g}, cover...) {
		for _, it := range h {
			if !it.star && !slices.Contains(alphabet, it.c) {
				alphabet = append(alphabet, it.c)
			}
		}
	}
	// A character no glob names stands for all of them.
	alphabet = append(alphabet, freshByte(append([]glob{g}, cover...)...))
	slices.Sort(alphabet) // deterministic witnesses

	type state struct {
		q     int    // state of g
		cover []bool // states of each cover glob, concatenated
		empty bool   // nothing read yet
	}
	offsets := make([]int, len(cover)+1)
	for i, h := range cover {
		offsets[i+1] = offsets[i] + len(h) + 1
	}
	key := func(s state) string {
		var b strings.Builder
		b.WriteString(strconv.Itoa(s.q))
		b.WriteByte(':')
		if s.empty {
			b.WriteByte('e')
		}
		for _, on := range s.cover {
			if on {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
		}
		return b.String()
	}
	accepted := func(s state) bool {
		for i, h := range cover {
			if s.cover[offsets[i]+len(h)] {
				return true
			}
		}
		return false
	}
	start := state{q: 0, cover: make([]bool, offsets[len(cover)]), empty: true}
	for i, h := range cover {
		start.cover[offsets[i]] = true
		h.closure(start.cover[offsets[i]:offsets[i+1]])
	}
	type visit struct {
		s      state
		parent int
		c      byte
	}
	queue := []visit{{s: start, parent: -1}}
	seen := map[string]bool{key(start): true}
	push := func(s state, parent int, c byte) {
		if k := key(s); !seen[k] {
			seen[k] = true
			queue = append(queue, visit{s: s, parent: parent, c: c})
		}
	}
	for n := 0; n < len(queue); n++ {
		s := queue[n].s
		if s.q == len(g) && !s.empty && !accepted(s) {
			var word []byte
			for v := n; queue[v].parent >= 0; v = queue[v].parent {
				word = append(word, queue[v].c)
			}
			slices.Reverse(word)
			return string(word), true
		}
		if s.q < len(g) && g[s.q].star { // the wildcard matches nothing
			push(state{q: s.q + 1, cover: s.cover, empty: s.empty}, queue[n].parent, queue[n].c)
			// The pushed visit keeps this one's parent and character: it
			// stands for the same word.
		}
		if s.q == len(g) {
			continue
		}
		for _, c := range alphabet {
			if !g[s.q].star && g[s.q].c != c {
				continue
			}
			next := make([]bool, len(s.cover))
			for i, h := range cover {
				copy(next[offsets[i]:offsets[i+1]], h.step(s.cover[offsets[i]:offsets[i+1]], c))
			}
			push(state{q: s.q + b2i(!g[s.q].star), cover: next}, n, c)
		}
	}
	return "", false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// matches reports whether g matches the whole word.
func (g glob) matches(word string) bool {
	states := make([]bool, len(g)+1)
	states[0] = true
	g.closure(states)
	for i := 0; i < len(word); i++ {
		states = g.step(states, word[i])
	}
	return states[len(g)]
}

// samples returns words of g's language that tell most globs apart
// cheaply: g with every wildcard matching nothing, and with every wildcard
// matching one character that no glob of others names (other).
func (g glob) samples(other byte) []string {
	var empty, filled []byte
	for _, it := range g {
		if it.star {
			filled = append(filled, other)
			continue
		}
		empty, filled = append(empty, it.c), append(filled, it.c)
	}
	out := []string{string(filled)}
	if len(empty) > 0 && len(empty) != len(filled) {
		out = append(out, string(empty))
	}
	return out
}

// freshByte returns a character that none of the globs names: one of
// tags when there is one (so witnesses are tags), else any other byte (the
// languages are compared all the same).
func freshByte(globs ...glob) byte {
	candidates := []byte("xyzqjkwvbcdfghlmnprstaeiou0123456789_")
	for c := 1; c < 256; c++ {
		candidates = append(candidates, byte(c))
	}
	for _, c := range candidates {
		named := false
		for _, g := range globs {
			for _, it := range g {
				if !it.star && it.c == c {
					named = true
				}
			}
		}
		if !named {
			return c
		}
	}
	return 0 // 255 named bytes: unreachable with ECR's 128-character tags
}
