package check

import (
	"regexp"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// The identifiers of AWS accounts and AWS Organizations, as the
// Organizations API reference documents their patterns.
var (
	accountPattern = regexp.MustCompile(`^\d{12}$`)
	// OrganizationPattern is an organization ID (o-...).
	OrganizationPattern = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	// OrganizationalUnitPattern is an OU ID (ou-...) or a root ID (r-...),
	// as stack set deployment targets take them.
	OrganizationalUnitPattern = regexp.MustCompile(`^(?:ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$`)
	// OrganizationPathPattern is an organizational unit's path as
	// aws:PrincipalOrgPaths holds it: organization ID, root ID, then one or
	// more OU IDs, each followed by "/". Its first group is the
	// organization ID.
	OrganizationPathPattern = regexp.MustCompile(`^(o-[a-z0-9]{10,32})/r-[0-9a-z]{4,32}/(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/)+$`)
)

// IsAccount reports whether s is a 12-digit AWS account ID.
func IsAccount(s string) bool { return accountPattern.MatchString(s) }

// Constraints, worded once, for messages about these identifiers.
const (
	AccountConstraint            = "must be a 12-digit AWS account ID"
	OrganizationConstraint       = "must be an AWS Organizations ID: o- followed by 10 to 32 lowercase letters or digits"
	OrganizationalUnitConstraint = `must be an organizational unit ID such as "ou-ab12-11111111" or the root ID such as "r-ab12"`
)

// Account records v under field unless it is a 12-digit account ID or a
// token.
func Account(field, v string, p *validation.Collector) {
	if !IsToken(v) && !IsAccount(v) {
		p.Add(field, v, AccountConstraint)
	}
}

// Organization records v under field unless it is an organization ID or a
// token.
func Organization(field, v string, p *validation.Collector) {
	if !IsToken(v) && !OrganizationPattern.MatchString(v) {
		p.Add(field, v, OrganizationConstraint)
	}
}
