package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// PolicyVersion is the policy language version CDK's PolicyDocument writes.
const PolicyVersion = "2012-10-17"

// statementFields are the elements of a policy statement IAM knows and CDK's
// PolicyStatement.fromJson reads.
var statementFields = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

// IsLogicalID reports whether s can be a CloudFormation logical ID: 1 to 255
// letters and digits, starting with a letter.
func IsLogicalID(s string) bool {
	if len(s) == 0 || len(s) > 255 {
		return false
	}
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// RepositoryPolicy reads a repository policy, as `aws ecr
// get-repository-policy` prints it in policyText, into its statements and
// its Version ("2012-10-17" when it has none). It refuses what isn't a JSON
// object, elements other than Version and Statement, a statement element IAM
// doesn't know, a statement without Effect or Principal/NotPrincipal, and a
// Resource element, which repository policies can't have. The error says
// which element.
func RepositoryPolicy(text string) ([]map[string]any, string, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil || doc == nil {
		return nil, "", policyError("", nil, "must be a JSON object with a Statement")
	}
	if dec.More() {
		return nil, "", policyError("", nil, "must be one JSON object, not several")
	}
	version := PolicyVersion
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		switch k {
		case "Version":
			v, ok := doc[k].(string)
			if !ok || (v != "2012-10-17" && v != "2008-10-17") {
				return nil, "", policyError("Version", Raw(compact(doc[k])), `must be "2012-10-17" or "2008-10-17"`)
			}
			version = v
		case "Statement":
		default:
			return nil, "", policyError("element "+strconv.Quote(k), nil, "the library carries a repository policy's Version and Statement only")
		}
	}
	var list []any
	switch s := doc["Statement"].(type) {
	case []any:
		list = s
	case map[string]any:
		list = []any{s}
	case nil:
		return nil, "", policyError("", nil, "has no Statement")
	default:
		return nil, "", policyError("Statement", nil, "must be a statement or a list of statements")
	}
	if len(list) == 0 {
		return nil, "", policyError("Statement", nil, "is empty")
	}
	out := make([]map[string]any, len(list))
	for i, item := range list {
		st, ok := item.(map[string]any)
		if !ok {
			return nil, "", policyError(fmt.Sprintf("Statement[%d]", i), nil, "must be a JSON object")
		}
		for _, k := range slices.Sorted(maps.Keys(st)) {
			if !slices.Contains(statementFields, k) {
				return nil, "", policyError(fmt.Sprintf("Statement[%d] element %q", i, k), nil, "IAM knows "+strings.Join(statementFields, ", "))
			}
		}
		switch {
		case st["Effect"] != "Allow" && st["Effect"] != "Deny":
			return nil, "", policyError(fmt.Sprintf("Statement[%d].Effect", i), Raw(compact(st["Effect"])), `must be "Allow" or "Deny"`)
		case st["Principal"] == nil && st["NotPrincipal"] == nil:
			return nil, "", policyError(fmt.Sprintf("Statement[%d]", i), nil, "has no Principal: a repository policy names who it applies to")
		case st["Resource"] != nil || st["NotResource"] != nil:
			return nil, "", policyError(fmt.Sprintf("Statement[%d]", i), nil, "has a Resource element, which a repository policy can't have")
		case st["Action"] == nil && st["NotAction"] == nil:
			return nil, "", policyError(fmt.Sprintf("Statement[%d]", i), nil, "has no Action")
		}
		out[i] = st
	}
	return out, version, nil
}

// compact renders a JSON value for a message.
func compact(v any) string {
	if v == nil {
		return "(none)"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSpace(b.String())
}

// Raw is a value already formatted, as validation.Format shows it.
type Raw = validation.Raw

// policyError is a problem of a repository policy, as the library's one
// error type: the element, its value and the rule it breaks.
func policyError(field string, value any, constraint string) error {
	return &validation.Error{Field: field, Value: validation.Format(value), Constraint: constraint}
}
