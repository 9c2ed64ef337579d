package changes

import (
	"fmt"
	"strings"
)

// Severity tells whether a finding loses something.
type Severity string

const (
	// Error: the update would lose data or a registry setting, or fail on
	// a name collision, for a stateful resource.
	Error Severity = "error"
	// Note: worth knowing, nothing stateful is lost.
	Note Severity = "note"
)

// Kind is what a finding is about.
type Kind string

const (
	// Replacement: a create-only property changes, is added or removed.
	Replacement Kind = "replacement"
	// TypeChange: a logical id changes resource type.
	TypeChange Kind = "type-change"
	// LogicalIDMove: a resource is removed and one of the same type and
	// physical name is added.
	LogicalIDMove Kind = "logical-id-move"
	// Orphaned: a retained stateful resource is removed; no stack manages it.
	Orphaned Kind = "orphaned"
	// Deleted: a stateful resource is removed and deleted, with its data.
	Deleted Kind = "deleted"
	// PolicyWeakened: DeletionPolicy or UpdateReplacePolicy no longer retains.
	PolicyWeakened Kind = "policy-weakened"
	// EmptyOnDelete: a repository's EmptyOnDelete is switched on.
	EmptyOnDelete Kind = "empty-on-delete"
	// DeleteReplication: a replication rule starts replicating deletions.
	DeleteReplication Kind = "delete-replication"
	// RegistrySettingMoved: a registry-wide ECR setting moves between stacks.
	RegistrySettingMoved Kind = "registry-setting-moved"
	// RegistrySettingRemoved: a registry-wide ECR setting is removed.
	RegistrySettingRemoved Kind = "registry-setting-removed"
	// LifecycleImpact: a lifecycle policy changed or appeared.
	LifecycleImpact Kind = "lifecycle-impact"
	// StackMissing: a stack of OLD is not in NEW.
	StackMissing Kind = "stack-missing"
)

// Finding is one thing an update would lose, or a note about one.
type Finding struct {
	// Stack and LogicalID name the resource in OLD (for a resource only in
	// NEW, in NEW); LogicalID is empty for a stack-wide finding.
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId,omitempty"`
	// Type is the resource type.
	Type string `json:"type,omitempty"`
	// NewStack and NewLogicalID name, for a move, the resource in NEW.
	NewStack     string   `json:"newStack,omitempty"`
	NewLogicalID string   `json:"newLogicalId,omitempty"`
	Severity     Severity `json:"severity"`
	Kind         Kind     `json:"kind"`
	// Message says what is lost and why, in one line.
	Message string `json:"message"`
	// Allowed reports that the finding is acknowledged, with Reason.
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason,omitempty"`
}

// String renders the finding as one line:
//
//	Shop/WebRepo1234 (AWS::ECR::Repository): error: replacement: ...
//	Shop/WebRepo1234 (AWS::ECR::Repository): error, allowed ("new key"): replacement: ...
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Stack)
	if f.LogicalID != "" {
		b.WriteString("/" + f.LogicalID)
	}
	if f.Type != "" {
		b.WriteString(" (" + f.Type + ")")
	}
	b.WriteString(": " + string(f.Severity))
	if f.Allowed {
		fmt.Fprintf(&b, ", allowed (%q)", f.Reason)
	}
	b.WriteString(": " + string(f.Kind) + ": " + f.Message)
	return b.String()
}

// Blocks reports whether the finding stops an update: an error not
// acknowledged.
func (f Finding) Blocks() bool { return f.Severity == Error && !f.Allowed }

// Allow acknowledges findings: it maps a logical id, or STACK/LOGICAL_ID,
// to the reason. A move is acknowledged by its old or its new logical id.
type Allow map[string]string

// apply marks the findings Allow acknowledges and returns the keys that
// matched none.
func (a Allow) apply(findings []Finding) (unused []string) {
	used := map[string]bool{}
	for i := range findings {
		f := &findings[i]
		for _, key := range []string{f.Stack + "/" + f.LogicalID, f.LogicalID, f.NewStack + "/" + f.NewLogicalID, f.NewLogicalID} {
			if key == "" || key == "/" {
				continue
			}
			if reason, ok := a[key]; ok {
				f.Allowed, f.Reason = true, reason
				used[key] = true
				break
			}
		}
	}
	for key := range a {
		if !used[key] {
			unused = append(unused, key)
		}
	}
	return unused
}
