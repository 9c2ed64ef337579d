package preview

import (
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// matcher is a rule's tag selection, compiled once per preview.
type matcher struct {
	status   lifecycle.TagStatus
	prefixes []string
	patterns []pattern
}

// pattern is a tagPatternList entry split at its wildcards.
type pattern struct {
	parts []string // the literal runs between "*"s; len = wildcards + 1
}

func compileMatcher(r lifecycle.Rule) matcher {
	m := matcher{status: r.TagStatus, prefixes: r.TagPrefixes}
	for _, p := range r.TagPatterns {
		m.patterns = append(m.patterns, pattern{parts: strings.Split(p, "*")})
	}
	return m
}

// matches reports whether the rule's tag selection takes an image with
// these tags: untagged takes images without tags, any takes every image,
// tagged takes images where every list entry matches at least one tag.
func (m *matcher) matches(tags []string) bool {
	switch m.status {
	case lifecycle.TagStatusAny:
		return true
	case lifecycle.TagStatusUntagged:
		return len(tags) == 0
	}
	if len(tags) == 0 {
		return false
	}
	for _, p := range m.prefixes {
		if !hasPrefixed(tags, p) {
			return false
		}
	}
	for _, p := range m.patterns {
		if !p.matchesOne(tags) {
			return false
		}
	}
	return true
}

// hasPrefixed reports whether a tag starts with prefix.
func hasPrefixed(tags []string, prefix string) bool {
	for _, t := range tags {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	return false
}

// matchesOne reports whether the pattern matches one of the tags.
func (p pattern) matchesOne(tags []string) bool {
	for _, t := range tags {
		if p.match(t) {
			return true
		}
	}
	return false
}

// match reports whether tag matches the pattern as a whole: "*" matches any
// run of characters, everything else itself. With only "*" wildcards,
// matching each literal run at its leftmost possible place is exact.
func (p pattern) match(tag string) bool {
	parts := p.parts
	if len(parts) == 1 {
		return tag == parts[0]
	}
	first, last := parts[0], parts[len(parts)-1]
	if len(tag) < len(first)+len(last) || !strings.HasPrefix(tag, first) || !strings.HasSuffix(tag, last) {
		return false
	}
	middle := tag[len(first) : len(tag)-len(last)]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(middle, part)
		if i < 0 {
			return false
		}
		middle = middle[i+len(part):]
	}
	return true
}
