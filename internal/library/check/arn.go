package check

import (
	"regexp"
	"strings"
)

// ARN is an Amazon Resource Name split into its parts:
// arn:<Partition>:<Service>:<Region>:<Account>:<Resource>.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// String returns the ARN as text.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// partitionPattern is a partition name: aws, aws-cn, aws-us-gov, aws-iso-b, ...
var partitionPattern = regexp.MustCompile(`^aws(?:-[a-z]+)*$`)

// ParseARN splits s into an [ARN], and reports whether it is one: six
// colon-separated parts starting with "arn", a partition name, a service
// and a resource. Region and Account may be empty (IAM ARNs have no Region).
func ParseARN(s string) (ARN, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !partitionPattern.MatchString(parts[1]) || parts[2] == "" || parts[5] == "" {
		return ARN{}, false
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}
	if a.Account != "" && !IsAccount(a.Account) {
		return ARN{}, false
	}
	return a, true
}

// IAM principal kinds, as the resource part of an IAM ARN names them.
const (
	IAMRoot = "root"
	IAMRole = "role"
	IAMUser = "user"
)

// iamNamePattern is an IAM role or user name with its optional path, as
// IAM's API documents them: the characters of a name (letters, digits and
// + = , . @ _ -) and "/" between path elements.
var iamNamePattern = regexp.MustCompile(`^[\w+=,.@-]+(?:/[\w+=,.@-]+)*$`)

// IAMPrincipal is what ParseIAMPrincipal reads from an IAM ARN.
type IAMPrincipal struct {
	ARN
	// Kind is IAMRoot, IAMRole or IAMUser.
	Kind string
	// Name is the role or user name with its path ("service/ci"); empty for
	// the account root.
	Name string
}

// HasPath reports whether the role or user name has a path ("service/ci").
func (p IAMPrincipal) HasPath() bool { return strings.Contains(p.Name, "/") }

// ParseIAMPrincipal reads an IAM account-root, role or user ARN
// (arn:aws:iam::123456789012:root, arn:aws:iam::123456789012:role/ci), and
// reports whether s is one. It is the one IAM ARN pattern of the library:
// each check then says which kinds it takes.
func ParseIAMPrincipal(s string) (IAMPrincipal, bool) {
	a, ok := ParseARN(s)
	if !ok || a.Service != "iam" || a.Region != "" || a.Account == "" {
		return IAMPrincipal{}, false
	}
	if a.Resource == IAMRoot {
		return IAMPrincipal{ARN: a, Kind: IAMRoot}, true
	}
	kind, name, _ := strings.Cut(a.Resource, "/")
	if (kind != IAMRole && kind != IAMUser) || !iamNamePattern.MatchString(name) {
		return IAMPrincipal{}, false
	}
	return IAMPrincipal{ARN: a, Kind: kind, Name: name}, true
}

// ParseResourceARN reads an ARN of service whose resource part starts with
// resourceType followed by "/" ("key/1234abcd-..."), with a Region and an
// account, and returns it with the rest of the resource part after the
// type ("1234abcd-..."), which must match name.
func ParseResourceARN(s, service, resourceType string, name *regexp.Regexp) (ARN, string, bool) {
	a, ok := ParseARN(s)
	if !ok || a.Service != service || a.Region == "" || a.Account == "" {
		return ARN{}, "", false
	}
	rest, ok := strings.CutPrefix(a.Resource, resourceType+"/")
	if !ok || !name.MatchString(rest) {
		return ARN{}, "", false
	}
	return a, rest, true
}

// Resource name patterns of the ARNs the library takes.
var (
	// KMSKeyName is a KMS key id as a key ARN holds it.
	KMSKeyName = regexp.MustCompile(`^[a-zA-Z0-9-]+$`)
	// KMSAliasName is a KMS alias's name as an alias ARN holds it, after
	// "alias/": the characters of the KMS API's AliasName pattern.
	KMSAliasName = regexp.MustCompile(`^[a-zA-Z0-9/_-]+$`)
	// SecretName is a Secrets Manager secret's name with its random suffix;
	// the characters of AWS::ECR::PullThroughCacheRule's CredentialArn
	// pattern.
	SecretName = regexp.MustCompile(`^[a-zA-Z0-9/_+=.@-]+$`)
	// SigningProfileName is an AWS Signer profile's name, as
	// AWS::ECR::SigningConfiguration's SigningProfileArn pattern allows it.
	SigningProfileName = regexp.MustCompile(`^[a-zA-Z0-9_]{2,}$`)
	// RepositoryResourceName is what follows "repository/" in an ECR
	// repository ARN; the name itself is checked by [RepositoryName].
	RepositoryResourceName = regexp.MustCompile(`^.+$`)
)

// KMSKeyARNConstraint says, for messages, what [ParseKMSKeyARN] takes.
const KMSKeyARNConstraint = "must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id>, or an alias ARN, arn:<partition>:kms:<region>:<account>:alias/<name>"

// ParseKMSKeyARN reads the ARN of a KMS key (key/<key id>) or of an alias
// (alias/<name>), with a Region and a 12-digit account, and reports
// whether s is one: what AWS::ECR::Repository's KmsKey takes as an ARN
// ("The alias, key ID, or full ARN of the AWS KMS key can be specified",
// AWS::ECR::Repository EncryptionConfiguration).
func ParseKMSKeyARN(s string) (ARN, bool) {
	if a, _, ok := ParseResourceARN(s, "kms", "key", KMSKeyName); ok {
		return a, true
	}
	a, _, ok := ParseResourceARN(s, "kms", "alias", KMSAliasName)
	return a, ok
}
