package eventpatterns

import "testing"

// The harness itself: numeric clauses and "$or" behave as EventBridge
// documents, and everything else is quamina's.
func TestMatchHandlesWhatQuaminaLacks(t *testing.T) {
	const counts = `{"detail":{"$or":[{"c":{"CRITICAL":[{"numeric":[">",0]}]}},{"c":{"HIGH":[{"numeric":[">",0]}]}}],"name":["repo"]}}`
	tests := []struct {
		name, pattern, event string
		want                 bool
	}{
		{"first alternative", counts, `{"detail":{"c":{"CRITICAL":2},"name":"repo"}}`, true},
		{"second alternative", counts, `{"detail":{"c":{"HIGH":1},"name":"repo"}}`, true},
		{"zero counts", counts, `{"detail":{"c":{"CRITICAL":0,"HIGH":0},"name":"repo"}}`, false},
		{"absent counts", counts, `{"detail":{"c":{"LOW":4},"name":"repo"}}`, false},
		{"a string is not a number", counts, `{"detail":{"c":{"HIGH":"3"},"name":"repo"}}`, false},
		{"the rest must match too", counts, `{"detail":{"c":{"HIGH":1},"name":"other"}}`, false},
		{"a range", `{"n":[{"numeric":[">=",2,"<",4]}]}`, `{"n":3}`, true},
		{"outside the range", `{"n":[{"numeric":[">=",2,"<",4]}]}`, `{"n":4}`, false},
		{"prefix, from quamina", `{"t":[{"prefix":"release-"}]}`, `{"t":["x","release-2"]}`, true},
		{"wildcard, from quamina", `{"t":[{"wildcard":"v*-rc*"}]}`, `{"t":"v2-rc1"}`, true},
	}
	for _, tt := range tests {
		got, err := Match([]byte(tt.pattern), []byte(tt.event))
		if err != nil || got != tt.want {
			t.Errorf("%s: Match = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}
