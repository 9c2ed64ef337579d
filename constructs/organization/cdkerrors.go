package organization

import "strings"

// cdkError is a kind of CDK error that makes a baseline undeployable by a
// stack set.
type cdkError int

const (
	cdkOther             cdkError = iota // not one of CDK's errors below
	cdkValidationFailed                  // a construct's or plugin's validation failed at synthesis
	cdkNeedsAssets                       // an asset in a stack with BootstraplessSynthesizer
	cdkReferencesOutside                 // a reference to a construct of another app
)

// cdkRefusal recognizes CDK's errors by the first line of their message:
// the one place the package matches CDK's (or jsii's) error text, which is
// not an API. TestCDKRefusalRecognizesCDKErrors triggers each with a real
// synthesis and fails when CDK's wording changes.
//
//   - validation: "Validation failed with the following errors: ..."
//     (jsii may report it as "ValidationFailed");
//   - assets: "Cannot add assets to a Stack that uses the
//     BootstraplessSynthesizer";
//   - references: "Cannot reference across apps. ..." (or wordings naming
//     a cross-stack reference or another stack).
func cdkRefusal(first string) cdkError {
	switch {
	case strings.Contains(first, "Validation failed") || strings.Contains(first, "ValidationFailed"):
		return cdkValidationFailed
	case strings.Contains(first, "BootstraplessSynthesizer"):
		return cdkNeedsAssets
	case strings.Contains(first, "across apps") || strings.Contains(first, "cross-stack") || strings.Contains(first, "another stack"):
		return cdkReferencesOutside
	}
	return cdkOther
}
