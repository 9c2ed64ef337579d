package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
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
		return nil, "", fmt.Errorf("must be a JSON object with a Statement")
	}
	if dec.More() {
		return nil, "", fmt.Errorf("must be one JSON object, not several")
	}
	version := PolicyVersion
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		switch k {
		case "Version":
			v, ok := doc[k].(string)
			if !ok || (v != "2012-10-17" && v != "2008-10-17") {
				return nil, "", fmt.Errorf("Version %s: must be \"2012-10-17\" or \"2008-10-17\"", compact(doc[k]))
			}
			version = v
		case "Statement":
		default:
			return nil, "", fmt.Errorf("element %q: the library carries a repository policy's Version and Statement only", k)
		}
	}
	var list []any
	switch s := doc["Statement"].(type) {
	case []any:
		list = s
	case map[string]any:
		list = []any{s}
	case nil:
		return nil, "", fmt.Errorf("has no Statement")
	default:
		return nil, "", fmt.Errorf("Statement must be a statement or a list of statements")
	}
	if len(list) == 0 {
		return nil, "", fmt.Errorf("Statement is empty")
	}
	out := make([]map[string]any, len(list))
	for i, item := range list {
		st, ok := item.(map[string]any)
		if !ok {
			return nil, "", fmt.Errorf("Statement[%d] must be a JSON object", i)
		}
		for _, k := range slices.Sorted(maps.Keys(st)) {
			if !slices.Contains(statementFields, k) {
				return nil, "", fmt.Errorf("Statement[%d] element %q: IAM knows %s", i, k, strings.Join(statementFields, ", "))
			}
		}
		switch {
		case st["Effect"] != "Allow" && st["Effect"] != "Deny":
			return nil, "", fmt.Errorf("Statement[%d].Effect %s: must be \"Allow\" or \"Deny\"", i, compact(st["Effect"]))
		case st["Principal"] == nil && st["NotPrincipal"] == nil:
			return nil, "", fmt.Errorf("Statement[%d] has no Principal: a repository policy names who it applies to", i)
		case st["Resource"] != nil || st["NotResource"] != nil:
			return nil, "", fmt.Errorf("Statement[%d] has a Resource element, which a repository policy can't have", i)
		case st["Action"] == nil && st["NotAction"] == nil:
			return nil, "", fmt.Errorf("Statement[%d] has no Action", i)
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
