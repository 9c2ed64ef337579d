package adopt

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/ecr5"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/jsonpos"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/oneline"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// describeRepositories is what `aws ecr describe-repositories` prints. Fields
// the generator doesn't use (repositoryUri, createdAt, ...) are ignored;
// "tags" is not AWS's: it is where a user merges what `aws ecr
// list-tags-for-resource` prints for the repository (docs/adoption.md).
type describeRepositories struct {
	Repositories *[]repositoryDoc `json:"repositories"`
}

type repositoryDoc struct {
	RepositoryArn              string `json:"repositoryArn"`
	RegistryID                 string `json:"registryId"`
	RepositoryName             string `json:"repositoryName"`
	ImageTagMutability         string `json:"imageTagMutability"`
	ImageTagMutabilityExFilter []struct {
		FilterType string `json:"filterType"`
		Filter     string `json:"filter"`
	} `json:"imageTagMutabilityExclusionFilters"`
	ImageScanningConfiguration *struct {
		ScanOnPush bool `json:"scanOnPush"`
	} `json:"imageScanningConfiguration"`
	EncryptionConfiguration *struct {
		EncryptionType string `json:"encryptionType"`
		KmsKey         string `json:"kmsKey"`
	} `json:"encryptionConfiguration"`
	Tags []struct {
		Key   string `json:"Key"`
		Value string `json:"Value"`
	} `json:"tags"`
}

// policyDoc is what `aws ecr get-lifecycle-policy` and `aws ecr
// get-repository-policy` print: each names its repository.
type policyDoc struct {
	RegistryID          string  `json:"registryId"`
	RepositoryName      string  `json:"repositoryName"`
	LifecyclePolicyText *string `json:"lifecyclePolicyText"`
	PolicyText          *string `json:"policyText"`
}

// Problems is every problem the generator found, one line each.
type Problems []string

func (p Problems) Error() string { return strings.Join(p, "\n") }

// at formats a problem at a place in a file: "file:line:col: msg", or
// "file: msg" when the place is unknown.
func at(file string, text []byte, msg string, path ...any) string {
	if off, ok := jsonpos.LocatePath(text, path...); ok && len(path) > 0 {
		line, col := jsonpos.Locate(text, off)
		return fmt.Sprintf("%s:%d:%d: %s", file, line, col, msg)
	}
	return file + ": " + msg
}

// readJSON decodes a whole file, reporting a syntax or type error at its
// line and column.
func readJSON(file string, v any) ([]byte, string) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Sprintf("%s: %v", file, unwrapPathError(err))
	}
	if err := json.Unmarshal(text, v); err != nil {
		msg := jsonpos.Message(err)
		if f := jsonpos.TypeField(err); f != "" {
			msg = f + ": " + msg
		}
		if line, col, ok := jsonpos.Position(text, err, 0); ok {
			return nil, fmt.Sprintf("%s:%d:%d: %s", file, line, col, msg)
		}
		return nil, file + ": " + msg
	}
	return text, ""
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// kmsKeyPattern is the resource part of a KMS key ARN.
var kmsKeyPattern = regexp.MustCompile(`^key/[A-Za-z0-9-]+$`)

// mutabilities are ECR's tag mutability settings.
var mutabilities = []string{"MUTABLE", "IMMUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION"}

// Existing is one repository as ECR describes it — what aws ecr
// describe-repositories prints, with the tags of list-tags-for-resource and
// the texts of get-lifecycle-policy and get-repository-policy — before the
// generator checks it. [ReadFiles] makes it from the AWS CLI's files and
// ecr-cdk adopt --live from the SDK's answers; [Build] takes it.
type Existing struct {
	// ARN, RegistryID and Name are repositoryArn, registryId ("" when not
	// given) and repositoryName.
	ARN, RegistryID, Name string
	// Mutability is imageTagMutability; "" is ECR's default, MUTABLE.
	Mutability string
	// ExclusionFilters are imageTagMutabilityExclusionFilters.
	ExclusionFilters []ExclusionFilter
	// ScanOnPush is imageScanningConfiguration.scanOnPush.
	ScanOnPush bool
	// Encryption is encryptionConfiguration; nil is ECR's default, AES256.
	Encryption *Encryption
	// Tags, in the order given.
	Tags []Tag
	// LifecyclePolicy and RepositoryPolicy are lifecyclePolicyText and
	// policyText; nil when the repository has none.
	LifecyclePolicy, RepositoryPolicy *string
	// At places a problem with one field of the repository: msg says what
	// is wrong (it names the repository), field is the field's path in
	// describe-repositories' JSON of the repository ("lifecyclePolicyText"
	// and "policyText" for the policies), and the result is the line to
	// report: "repos.json:12:7: msg" for a file, "account 123456789012,
	// eu-west-1: msg" for the account's answers. Default: msg alone.
	At func(msg string, field ...any) string
}

// ExclusionFilter is one of imageTagMutabilityExclusionFilters.
type ExclusionFilter struct{ Type, Filter string }

// Encryption is encryptionConfiguration: EncryptionType, and KMSKey ("" for
// the AWS managed key); Described is what kms:DescribeKey said of KMSKey,
// when the reader asked (ecr-cdk adopt --live).
type Encryption struct {
	Type, KMSKey string
	Described    ecr5.Key
}

// Tag is one of a repository's tags.
type Tag struct{ Key, Value string }

// Input is the repositories the generator adopts from.
type Input struct {
	// Repositories, in the order read.
	Repositories []Existing
	// Origin names the whole input in a problem about all of it: the
	// describe-repositories file, or the account's registry.
	Origin string
}

// at places a problem of one of e's fields.
func (e *Existing) at(msg string, field ...any) string {
	if e.At == nil {
		return msg
	}
	return e.At(msg, field...)
}

// validate checks every repository of the input and returns them as
// repositories, in order.
func validate(in Input, awsManagedKey string, p *Problems) []*Repository {
	var out []*Repository
	seen := map[string]bool{}
	for i := range in.Repositories {
		d := &in.Repositories[i]
		fail := func(msg string, field ...any) { *p = append(*p, d.at(msg, field...)) }
		var c validation.Collector
		check.RepositoryName("repositoryName", d.Name, check.MaxNameLength, &c)
		if err := c.Err(); err != nil {
			fail(fmt.Sprintf("repositories[%d]: %s", i, bare(err)), "repositoryName")
			continue
		}
		name := d.Name
		if seen[name] {
			fail(fmt.Sprintf("repository %s: listed twice", name), "repositoryName")
			continue
		}
		seen[name] = true
		r := &Repository{Name: name, Mutability: d.Mutability, Encryption: "AES256", Tags: map[string]string{}, existing: d}
		arn, ok := check.ParseARN(d.ARN)
		switch {
		case !ok || arn.Service != "ecr" || arn.Resource != "repository/"+name || arn.Region == "" || arn.Account == "":
			fail(fmt.Sprintf("repository %s: repositoryArn %q: must be the repository's ARN, arn:<partition>:ecr:<region>:<account>:repository/%s", name, d.ARN, name), "repositoryArn")
			continue
		case d.RegistryID != "" && d.RegistryID != arn.Account:
			fail(fmt.Sprintf("repository %s: registryId %s differs from the account of its ARN, %s", name, d.RegistryID, arn.Account), "registryId")
			continue
		}
		r.ARN, r.Partition, r.Region, r.Account = d.ARN, arn.Partition, arn.Region, arn.Account
		if r.Mutability == "" {
			r.Mutability = "MUTABLE" // ECR's default
		}
		if !slices.Contains(mutabilities, r.Mutability) {
			fail(fmt.Sprintf("repository %s: imageTagMutability %q: must be one of %s", name, r.Mutability, strings.Join(mutabilities, ", ")), "imageTagMutability")
			continue
		}
		for j, f := range d.ExclusionFilters {
			if f.Type != "WILDCARD" {
				fail(fmt.Sprintf("repository %s: imageTagMutabilityExclusionFilters[%d].filterType %q: must be WILDCARD", name, j, f.Type), "imageTagMutabilityExclusionFilters", j)
			}
			r.Exclusions = append(r.Exclusions, f.Filter)
		}
		if withExclusion := strings.HasSuffix(r.Mutability, "_WITH_EXCLUSION"); withExclusion != (len(r.Exclusions) > 0) {
			fail(fmt.Sprintf("repository %s: imageTagMutability %s %s exclusion filters", name, r.Mutability, map[bool]string{true: "needs", false: "takes no"}[withExclusion]), "imageTagMutability")
		}
		r.ScanOnPush = d.ScanOnPush
		if e := d.Encryption; e != nil {
			switch e.Type {
			case "AES256", "KMS", "KMS_DSSE":
				r.Encryption = e.Type
			default:
				fail(fmt.Sprintf("repository %s: encryptionType %q: must be AES256, KMS or KMS_DSSE", name, e.Type), "encryptionConfiguration", "encryptionType")
				continue
			}
			switch {
			case e.KMSKey != "" && r.Encryption == "AES256":
				fail(fmt.Sprintf("repository %s: kmsKey %s goes with KMS encryption, not AES256", name, e.KMSKey), "encryptionConfiguration", "kmsKey")
			case e.KMSKey == "" || e.KMSKey == awsManagedKey || e.Described.Manager == "AWS":
				// The AWS-managed key, aws/ecr: EncryptionType alone, as the
				// template of a repository created without a key says. A key
				// kms:DescribeKey says AWS manages is aws/ecr: ECR can use no
				// other AWS managed key
				// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html).
			default:
				key, ok := check.ParseARN(e.KMSKey)
				if !ok || key.Service != "kms" || !kmsKeyPattern.MatchString(key.Resource) {
					fail(fmt.Sprintf("repository %s: kmsKey %q: must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<id>", name, e.KMSKey), "encryptionConfiguration", "kmsKey")
					continue
				}
				if key.Region != r.Region || key.Partition != r.Partition {
					fail(fmt.Sprintf("repository %s: kmsKey %s is in Region %s, the repository in %s; ECR uses a key of the repository's Region", name, e.KMSKey, key.Region, r.Region), "encryptionConfiguration", "kmsKey")
					continue
				}
				r.KeyARN, r.KeyDescribed = e.KMSKey, e.Described
			}
		}
		for j, t := range d.Tags {
			if _, dup := r.Tags[t.Key]; dup {
				fail(fmt.Sprintf("repository %s: tag %q given twice", name, t.Key), "tags", j)
			}
			r.Tags[t.Key] = t.Value
		}
		var tc validation.Collector
		check.Tags(r.Tags, check.RepositoryTags, &tc)
		if err := tc.Err(); err != nil {
			fail(fmt.Sprintf("repository %s: %s", name, bare(err)), "tags")
		}
		out = append(out, r)
	}
	return out
}

// validatePolicies checks a kept repository's policies and sets them.
func validatePolicies(r *Repository, p *Problems) {
	d := r.existing
	if d.RepositoryPolicy != nil {
		if _, _, err := check.RepositoryPolicy(*d.RepositoryPolicy); err != nil {
			*p = append(*p, d.at(fmt.Sprintf("repository %s: policyText %s", r.Name, err), "policyText"))
		} else {
			r.PolicyText = *d.RepositoryPolicy
		}
	}
	if d.LifecyclePolicy != nil {
		policy, err := lifecycle.Parse([]byte(*d.LifecyclePolicy))
		if err != nil {
			for _, e := range validation.List(err) {
				b := *e
				b.Package, b.Line, b.Column = "", 0, 0
				*p = append(*p, d.at(fmt.Sprintf("repository %s: lifecyclePolicyText can't be expressed by package lifecycle: %s", r.Name, oneline.Cut(b.Error(), 300)), "lifecyclePolicyText"))
			}
			return
		}
		r.Lifecycle = policy
		r.LifecycleText = *d.LifecyclePolicy
	}
}

// ReadFiles reads the files opts names — opts.Repositories, the output of
// aws ecr describe-repositories, and the folders opts.LifecyclePolicies and
// opts.RepositoryPolicies — into the generator's input. Its problems are
// the files' own (unreadable, not JSON, not the AWS CLI's shape, a policy
// of a repository the inventory lacks or given twice), one line each at
// file:line:col; [Build] checks the repositories.
func ReadFiles(opts Options) (Input, error) {
	var p Problems
	in := Input{Origin: opts.Repositories}
	file := opts.Repositories
	var doc describeRepositories
	text, problem := readJSON(file, &doc)
	if problem != "" {
		return in, append(p, problem)
	}
	if doc.Repositories == nil {
		return in, append(p, file+`: must be the output of aws ecr describe-repositories, {"repositories": [...]}`)
	}
	index := map[string]int{} // the first repository of each name
	for i, d := range *doc.Repositories {
		e := Existing{ARN: d.RepositoryArn, RegistryID: d.RegistryID, Name: d.RepositoryName, Mutability: d.ImageTagMutability}
		for _, f := range d.ImageTagMutabilityExFilter {
			e.ExclusionFilters = append(e.ExclusionFilters, ExclusionFilter{Type: f.FilterType, Filter: f.Filter})
		}
		if d.ImageScanningConfiguration != nil {
			e.ScanOnPush = d.ImageScanningConfiguration.ScanOnPush
		}
		if c := d.EncryptionConfiguration; c != nil {
			e.Encryption = &Encryption{Type: c.EncryptionType, KMSKey: c.KmsKey}
		}
		for _, t := range d.Tags {
			e.Tags = append(e.Tags, Tag{Key: t.Key, Value: t.Value})
		}
		e.At = fileLocator(file, text, i)
		if _, dup := index[e.Name]; !dup {
			index[e.Name] = len(in.Repositories)
		}
		in.Repositories = append(in.Repositories, e)
	}
	if opts.LifecyclePolicies != "" {
		readPolicies(opts.LifecyclePolicies, "lifecycle", opts.Prefix, index, in.Repositories, &p)
	}
	if opts.RepositoryPolicies != "" {
		readPolicies(opts.RepositoryPolicies, "repository", opts.Prefix, index, in.Repositories, &p)
	}
	if len(p) > 0 {
		return in, p
	}
	return in, nil
}

// fileLocator places the problems of the i-th repository of a
// describe-repositories file; those of a policy, read from its own file,
// are placed there by readPolicies.
func fileLocator(file string, text []byte, i int) func(string, ...any) string {
	return func(msg string, field ...any) string {
		return at(file, text, msg, append([]any{"repositories", i}, field...)...)
	}
}

// bare is a validation error's message without the package prefix.
func bare(err error) string {
	var parts []string
	for _, e := range validation.List(err) {
		b := *e
		b.Package, b.Path = "", ""
		parts = append(parts, b.Error())
	}
	return strings.Join(parts, "; ")
}

// policyFiles returns the regular files of dir whose names don't start
// with ".", sorted: file names carry no meaning, each file names its
// repository.
func policyFiles(dir string, p *Problems) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		*p = append(*p, fmt.Sprintf("%s: %v", dir, unwrapPathError(err)))
		return nil
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	return files
}

// readPolicies reads the policy files of dir onto the repositories they
// name. kind is "lifecycle" or "repository"; repositories whose name
// doesn't start with prefix are not adopted, and their policies only
// checked for their shape.
func readPolicies(dir, kind, prefix string, index map[string]int, repos []Existing, p *Problems) {
	field, command := "lifecyclePolicyText", "get-lifecycle-policy"
	if kind == "repository" {
		field, command = "policyText", "get-repository-policy"
	}
	from := map[string]string{}
	for _, file := range policyFiles(dir, p) {
		var doc policyDoc
		text, problem := readJSON(file, &doc)
		if problem != "" {
			*p = append(*p, problem)
			continue
		}
		body := doc.LifecyclePolicyText
		if kind == "repository" {
			body = doc.PolicyText
		}
		i, listed := index[doc.RepositoryName]
		switch {
		case doc.RepositoryName == "" || body == nil:
			*p = append(*p, fmt.Sprintf(`%s: must be the output of aws ecr %s, with "repositoryName" and %q`, file, command, field))
			continue
		case !listed:
			*p = append(*p, at(file, text, fmt.Sprintf("repository %s: not in the inventory; adopt only repositories describe-repositories lists", doc.RepositoryName), "repositoryName"))
			continue
		case from[doc.RepositoryName] != "":
			*p = append(*p, at(file, text, fmt.Sprintf("repository %s: a second %s policy, after %s", doc.RepositoryName, kind, from[doc.RepositoryName]), "repositoryName"))
			continue
		}
		from[doc.RepositoryName] = file
		if !strings.HasPrefix(doc.RepositoryName, prefix) {
			continue
		}
		r := &repos[i]
		// The inventory's account, when its ARN says (Build reports an ARN
		// that doesn't).
		if arn, ok := check.ParseARN(r.ARN); ok && doc.RegistryID != "" && doc.RegistryID != arn.Account {
			*p = append(*p, at(file, text, fmt.Sprintf("repository %s: registryId %s, but the inventory's repository is in account %s", r.Name, doc.RegistryID, arn.Account), "registryId"))
			continue
		}
		if kind == "repository" {
			r.RepositoryPolicy = body
		} else {
			r.LifecyclePolicy = body
		}
		inventory := r.At
		r.At = func(msg string, f ...any) string {
			if len(f) == 1 && f[0] == field {
				return at(file, text, msg, field)
			}
			return inventory(msg, f...)
		}
	}
}
