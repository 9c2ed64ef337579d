package lifecycle

import (
	"reflect"
	"strconv"
	"testing"
)

// priorities returns each rule's priority and description, in order.
func priorities(rules []Rule) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = strconv.Itoa(r.Priority) + " " + r.Description
	}
	return out
}

// resolved returns the rules of the policy they make, priorities assigned.
func resolved(t *testing.T, rules ...Rule) []Rule {
	t.Helper()
	p, err := NewPolicy(rules...)
	if err != nil {
		t.Fatal(err)
	}
	return p.Rules()
}

func TestNewPolicyFollowsTheGivenOrderWithAnyLast(t *testing.T) {
	a := KeepLastNImages(30).WithDescription("keep")
	b := DeleteUntaggedAfterDays(14).WithDescription("untagged")
	c := DeleteTaggedAfterDays("pr-", 7).WithDescription("pr")
	d := DeleteArchivedAfterDays(365).WithDescription("archived")
	got := priorities(resolved(t, a, b, c, d))
	// Both any-status rules (keep, and the archive-class archived) go last,
	// in the order given.
	want := []string{"1 untagged", "2 pr", "3 keep", "4 archived"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Resolve = %q, want %q", got, want)
	}
}

func TestNewPolicyNumbersAutomaticRulesAfterExplicitOnes(t *testing.T) {
	got := priorities(resolved(t,
		DeleteTaggedAfterDays("pr-", 7).WithDescription("auto"),
		DeleteUntaggedAfterDays(14).WithPriority(5).WithDescription("explicit"),
	))
	want := []string{"5 explicit", "6 auto"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Resolve = %q, want %q", got, want)
	}
}

func TestNewPolicyDoesNotAliasTheCallersLists(t *testing.T) {
	r := DeleteTaggedAfterDays("pr-", 7)
	out := resolved(t, r)
	out[0].TagPrefixes[0] = "changed"
	if r.TagPrefixes[0] != "pr-" {
		t.Error("the policy shares the caller's tag list")
	}
}

func TestPolicyRulesIsACopy(t *testing.T) {
	p, err := NewPolicy(DeleteTaggedAfterDays("pr-", 7))
	if err != nil {
		t.Fatal(err)
	}
	p.Rules()[0].TagPrefixes[0] = "changed"
	if p.Rules()[0].TagPrefixes[0] != "pr-" {
		t.Error("Rules() exposes the policy's tag lists")
	}
}

func TestIndented(t *testing.T) {
	p, err := NewPolicy(KeepLastNImages(1))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "rules": [
    {
      "rulePriority": 1,
      "description": "Keep the 1 most recent images",
      "selection": {
        "tagStatus": "any",
        "countType": "imageCountMoreThan",
        "countNumber": 1
      },
      "action": {
        "type": "expire"
      }
    }
  ]
}`
	if p.Indented() != want || p.String() != p.JSON() {
		t.Errorf("Indented() =\n%s", p.Indented())
	}
}
