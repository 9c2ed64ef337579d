package lifecycle

import (
	"bytes"
	"encoding/json"
)

// The document types below fix the order of keys in the rendered policy, so
// rendering is deterministic, and name ECR's JSON fields in one place.
type policyDoc struct {
	Rules []ruleDoc `json:"rules"`
}

type ruleDoc struct {
	RulePriority int          `json:"rulePriority"`
	Description  string       `json:"description,omitempty"`
	Selection    selectionDoc `json:"selection"`
	Action       actionDoc    `json:"action"`
}

type selectionDoc struct {
	TagStatus      TagStatus    `json:"tagStatus"`
	TagPatternList []string     `json:"tagPatternList,omitempty"`
	TagPrefixList  []string     `json:"tagPrefixList,omitempty"`
	StorageClass   StorageClass `json:"storageClass,omitempty"`
	CountType      CountType    `json:"countType"`
	CountUnit      string       `json:"countUnit,omitempty"`
	CountNumber    int          `json:"countNumber"`
}

type actionDoc struct {
	Type               Action       `json:"type"`
	TargetStorageClass StorageClass `json:"targetStorageClass,omitempty"`
}

// countUnitDays is the only countUnit ECR knows.
const countUnitDays = "days"

// render writes rules as compact policy JSON. countUnit and
// targetStorageClass follow from countType and action, so the model doesn't
// carry them.
func render(rules []Rule) string {
	doc := policyDoc{Rules: make([]ruleDoc, len(rules))}
	for i, r := range rules {
		d := ruleDoc{
			RulePriority: r.Priority,
			Description:  r.Description,
			Selection: selectionDoc{
				TagStatus:      r.TagStatus,
				TagPatternList: r.TagPatterns,
				TagPrefixList:  r.TagPrefixes,
				StorageClass:   r.StorageClass,
				CountType:      r.CountType,
				CountNumber:    r.CountNumber,
			},
			Action: actionDoc{Type: r.Action},
		}
		if r.CountType.usesDays() {
			d.Selection.CountUnit = countUnitDays
		}
		if r.Action == ActionTransition {
			d.Action.TargetStorageClass = StorageClassArchive
		}
		doc.Rules[i] = d
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(doc) // only strings, ints and slices: can't fail
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
