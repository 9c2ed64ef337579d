package cfn

import "strings"

// Function returns the name of the CloudFormation intrinsic function v is,
// "Ref" or "Fn::…" (Fn::Join, Fn::Sub, Fn::GetAtt, …), when v is an object
// of exactly that one key, as CloudFormation writes a function
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html);
// "" for anything else. Its value is only known at deployment.
func Function(v any) string {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return ""
	}
	for k := range m {
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k
		}
	}
	return ""
}

// HasFunction reports whether v is, or holds anywhere inside it, an
// intrinsic function (see [Function]): a value only a deployment resolves
// in full.
func HasFunction(v any) bool {
	if Function(v) != "" {
		return true
	}
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			if HasFunction(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if HasFunction(x) {
				return true
			}
		}
	}
	return false
}
