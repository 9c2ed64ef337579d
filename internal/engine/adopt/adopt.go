// Package adopt is the generator behind `ecr-cdk adopt`: from existing
// repositories as ECR describes them ([Existing] values, which [ReadFiles]
// reads from what the AWS CLI prints — describe-repositories,
// get-lifecycle-policy, get-repository-policy — and ecr-cdk adopt --live
// makes from the SDK's answers), [Build] writes the Go code that declares
// them with ecr.NewAdoptedRepository, the resource mapping `cdk import`
// takes, and a report of the controls each repository fails.
//
// It is jsii-free: it writes code and never runs CDK. docs/adoption.md says
// how the output is used.
package adopt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/ecr5"
)

// DefaultStack is the stack name the generated code and the resource
// mapping are for when --stack isn't given.
const DefaultStack = "AdoptedRepositories"

// Options are the generator's inputs.
type Options struct {
	// Repositories is the file `aws ecr describe-repositories` wrote, for
	// ReadFiles and Generate.
	Repositories string
	// LifecyclePolicies and RepositoryPolicies are folders of files `aws ecr
	// get-lifecycle-policy` and `aws ecr get-repository-policy` wrote, one
	// per repository that has a policy. Optional.
	LifecyclePolicies, RepositoryPolicies string
	// Prefix keeps only the repositories whose name starts with it.
	Prefix string
	// Package is the generated file's package name.
	Package string
	// Stack is the stack the repositories are imported into.
	// Default: DefaultStack.
	Stack string
	// Account and Region are the stack's environment. Default: those of the
	// first repository of the inventory.
	Account, Region string
	// AWSManagedKey is the ARN of the account's AWS-managed ECR key (alias
	// aws/ecr), for inventories that name it as a repository's kmsKey.
	AWSManagedKey string
	// Source names the inputs in the generated file's header.
	// Default: the paths given.
	Source string
}

// Repository is one repository as it exists.
type Repository struct {
	Name, ARN, Partition, Account, Region string
	Mutability                            string   // MUTABLE, IMMUTABLE, *_WITH_EXCLUSION
	Exclusions                            []string // wildcard filters
	ScanOnPush                            bool
	Encryption                            string   // AES256, KMS, KMS_DSSE
	KeyARN                                string   // a key named by ARN; "" for aws/ecr or AES256
	KeyDescribed                          ecr5.Key // what kms:DescribeKey said of KeyARN, when asked
	Lifecycle                             *lifecycle.Policy
	LifecycleText                         string // as read
	PolicyText                            string // the repository policy as read; "" for none
	Tags                                  map[string]string

	GoName, ConstructID, LogicalID string

	existing *Existing // as read
}

// Result is what the generator writes.
type Result struct {
	Repositories []*Repository
	// Source is DIR/adopted.go, gofmt-clean.
	Source []byte
	// Mapping is DIR/resource-mapping.json.
	Mapping []byte
	// Account and Region are the stack's environment.
	Account, Region, Stack string
}

// Generate reads the files opts names ([ReadFiles]) and returns the files to
// write ([Build]), or every problem found, one line each.
func Generate(opts Options) (*Result, error) {
	if err := checkPackage(opts.Package); err != nil {
		return nil, err
	}
	in, err := ReadFiles(opts)
	if err != nil {
		return nil, err
	}
	return Build(opts, in)
}

// checkPackage refuses a --package that isn't a Go package name.
func checkPackage(name string) error {
	if !token.IsIdentifier(name) || name == "_" || token.IsKeyword(name) {
		return Problems{fmt.Sprintf("--package %q: must be a Go package name", name)}
	}
	return nil
}

// Build checks the repositories of in, keeps those whose name starts with
// opts.Prefix, and returns the files to write, or every problem found, one
// line each (a repository's own placed by its Existing.At). opts's file
// paths only name the input in the generated header when opts.Source is "".
func Build(opts Options, in Input) (*Result, error) {
	var p Problems
	if opts.Stack == "" {
		opts.Stack = DefaultStack
	}
	if err := checkPackage(opts.Package); err != nil {
		return nil, err
	}
	repos := validate(in, opts.AWSManagedKey, &p)
	if len(p) > 0 {
		return nil, p
	}
	var kept []*Repository
	for _, r := range repos {
		if strings.HasPrefix(r.Name, opts.Prefix) {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		p = append(p, fmt.Sprintf("%s: no repository to adopt%s", in.Origin, map[bool]string{true: fmt.Sprintf(" with prefix %q", opts.Prefix), false: ""}[opts.Prefix != ""]))
		return nil, p
	}
	for _, r := range kept {
		validatePolicies(r, &p)
	}

	account, region := opts.Account, opts.Region
	if account == "" {
		account = kept[0].Account
	}
	if region == "" {
		region = kept[0].Region
	}
	for _, r := range kept {
		if r.Account != account {
			p = append(p, fmt.Sprintf("repository %s: in account %s, the stack in %s (%s); a stack adopts the repositories of its own account", r.Name, r.Account, account, envSource(opts.Account, "--account")))
		}
		if r.Region != region {
			p = append(p, fmt.Sprintf("repository %s: in Region %s, the stack in %s (%s); a stack adopts the repositories of its own Region", r.Name, r.Region, region, envSource(opts.Region, "--region")))
		}
		ids(r)
	}
	checkClashes(kept, &p)
	if len(p) > 0 {
		return nil, p
	}

	res := &Result{Repositories: kept, Account: account, Region: region, Stack: opts.Stack}
	src, err := source(opts, res)
	if err != nil {
		return nil, Problems{"internal error: the generated code doesn't format: " + err.Error()}
	}
	res.Source = src
	res.Mapping = mapping(kept)
	return res, nil
}

// envSource says where the stack's account or Region came from.
func envSource(flagValue, flagName string) string {
	if flagValue != "" {
		return flagName
	}
	return "the first repository's; set " + flagName + " to choose"
}

// mapping renders the file `cdk import --resource-mapping` takes: each
// repository's logical ID to its primary identifier.
func mapping(repos []*Repository) []byte {
	m := map[string]map[string]string{}
	for _, r := range repos {
		m[r.LogicalID] = map[string]string{"RepositoryName": r.Name}
	}
	b, _ := json.MarshalIndent(m, "", "  ") // map keys are sorted
	return append(b, '\n')
}

// sortedTags returns a repository's tag keys in order.
func sortedTags(tags map[string]string) []string {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// indentJSON pretty-prints a JSON text for the generated code.
func indentJSON(text string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(text), "", "  ") != nil {
		return text
	}
	return b.String()
}
