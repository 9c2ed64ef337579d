package check

import "regexp"

// tokenPattern is how CDK encodes an unresolved token in a string
// ("${Token[AWS.Region.12]}") and in a string list ("#{Token[...]}"):
// aws-cdk-lib's core/lib/private/encoding.ts (BEGIN_STRING_TOKEN_MARKER,
// BEGIN_LIST_TOKEN_MARKER, END_TOKEN_MARKER, VALID_KEY_CHARS). The encoding
// is CDK's, not a documented API: TestIsTokenAgreesWithCDK (package
// construct) fails if CDK changes it.
var tokenPattern = regexp.MustCompile(`[$#]\{Token\[[a-zA-Z0-9:._-]+\]\}`)

// IsToken reports whether s holds an unresolved CDK token (a Ref, an
// attribute, a parameter, a Lazy, the Region of an environment-agnostic
// stack), whose value is only known at deployment and so is not checked.
// It answers as awscdk.Token_IsUnresolved does for strings, without a round
// trip to the jsii runtime.
func IsToken(s string) bool {
	return tokenPattern.MatchString(s)
}

// Known reports whether s is a value known at synthesis: not empty and not
// a token.
func Known(s string) bool { return s != "" && !IsToken(s) }
