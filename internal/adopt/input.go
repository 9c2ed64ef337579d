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
	"github.com/secure-ecr/ecr-cdk-go/internal/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/jsonpos"
	"github.com/secure-ecr/ecr-cdk-go/internal/oneline"
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

// readInventory reads describe-repositories output into repositories, in
// the file's order, keeping those whose name starts with prefix.
func readInventory(file, prefix, awsManagedKey string, p *Problems) []*Repository {
	var doc describeRepositories
	text, problem := readJSON(file, &doc)
	if problem != "" {
		*p = append(*p, problem)
		return nil
	}
	if doc.Repositories == nil {
		*p = append(*p, file+`: must be the output of aws ecr describe-repositories, {"repositories": [...]}`)
		return nil
	}
	var out []*Repository
	seen := map[string]bool{}
	for i, d := range *doc.Repositories {
		fail := func(msg string, field ...any) {
			*p = append(*p, at(file, text, msg, append([]any{"repositories", i}, field...)...))
		}
		var c validation.Collector
		check.RepositoryName("repositoryName", d.RepositoryName, check.MaxNameLength, &c)
		if err := c.Err(); err != nil {
			fail(fmt.Sprintf("repositories[%d]: %s", i, bare(err)), "repositoryName")
			continue
		}
		name := d.RepositoryName
		if seen[name] {
			fail(fmt.Sprintf("repository %s: listed twice", name), "repositoryName")
			continue
		}
		seen[name] = true
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		r := &Repository{Name: name, Mutability: d.ImageTagMutability, Encryption: "AES256", Tags: map[string]string{}}
		arn, ok := check.ParseARN(d.RepositoryArn)
		switch {
		case !ok || arn.Service != "ecr" || arn.Resource != "repository/"+name || arn.Region == "" || arn.Account == "":
			fail(fmt.Sprintf("repository %s: repositoryArn %q: must be the repository's ARN, arn:<partition>:ecr:<region>:<account>:repository/%s", name, d.RepositoryArn, name), "repositoryArn")
			continue
		case d.RegistryID != "" && d.RegistryID != arn.Account:
			fail(fmt.Sprintf("repository %s: registryId %s differs from the account of its ARN, %s", name, d.RegistryID, arn.Account), "registryId")
			continue
		}
		r.ARN, r.Partition, r.Region, r.Account = d.RepositoryArn, arn.Partition, arn.Region, arn.Account
		if r.Mutability == "" {
			r.Mutability = "MUTABLE" // ECR's default
		}
		if !slices.Contains(mutabilities, r.Mutability) {
			fail(fmt.Sprintf("repository %s: imageTagMutability %q: must be one of %s", name, r.Mutability, strings.Join(mutabilities, ", ")), "imageTagMutability")
			continue
		}
		for j, f := range d.ImageTagMutabilityExFilter {
			if f.FilterType != "WILDCARD" {
				fail(fmt.Sprintf("repository %s: imageTagMutabilityExclusionFilters[%d].filterType %q: must be WILDCARD", name, j, f.FilterType), "imageTagMutabilityExclusionFilters", j)
			}
			r.Exclusions = append(r.Exclusions, f.Filter)
		}
		if withExclusion := strings.HasSuffix(r.Mutability, "_WITH_EXCLUSION"); withExclusion != (len(r.Exclusions) > 0) {
			fail(fmt.Sprintf("repository %s: imageTagMutability %s %s exclusion filters", name, r.Mutability, map[bool]string{true: "needs", false: "takes no"}[withExclusion]), "imageTagMutability")
		}
		if d.ImageScanningConfiguration != nil {
			r.ScanOnPush = d.ImageScanningConfiguration.ScanOnPush
		}
		if e := d.EncryptionConfiguration; e != nil {
			switch e.EncryptionType {
			case "AES256", "KMS", "KMS_DSSE":
				r.Encryption = e.EncryptionType
			default:
				fail(fmt.Sprintf("repository %s: encryptionType %q: must be AES256, KMS or KMS_DSSE", name, e.EncryptionType), "encryptionConfiguration", "encryptionType")
				continue
			}
			switch {
			case e.KmsKey != "" && r.Encryption == "AES256":
				fail(fmt.Sprintf("repository %s: kmsKey %s goes with KMS encryption, not AES256", name, e.KmsKey), "encryptionConfiguration", "kmsKey")
			case e.KmsKey == "" || e.KmsKey == awsManagedKey:
				// The AWS-managed key, aws/ecr: EncryptionType alone.
			default:
				key, ok := check.ParseARN(e.KmsKey)
				if !ok || key.Service != "kms" || !kmsKeyPattern.MatchString(key.Resource) {
					fail(fmt.Sprintf("repository %s: kmsKey %q: must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<id>", name, e.KmsKey), "encryptionConfiguration", "kmsKey")
					continue
				}
				if key.Region != r.Region || key.Partition != r.Partition {
					fail(fmt.Sprintf("repository %s: kmsKey %s is in Region %s, the repository in %s; ECR uses a key of the repository's Region", name, e.KmsKey, key.Region, r.Region), "encryptionConfiguration", "kmsKey")
					continue
				}
				r.KeyARN = e.KmsKey
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
// name. kind is "lifecycle" or "repository".
func readPolicies(dir, kind string, all map[string]bool, repos map[string]*Repository, p *Problems) {
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
		switch {
		case doc.RepositoryName == "" || body == nil:
			*p = append(*p, fmt.Sprintf(`%s: must be the output of aws ecr %s, with "repositoryName" and %q`, file, command, field))
			continue
		case !all[doc.RepositoryName]:
			*p = append(*p, at(file, text, fmt.Sprintf("repository %s: not in the inventory; adopt only repositories describe-repositories lists", doc.RepositoryName), "repositoryName"))
			continue
		case from[doc.RepositoryName] != "":
			*p = append(*p, at(file, text, fmt.Sprintf("repository %s: a second %s policy, after %s", doc.RepositoryName, kind, from[doc.RepositoryName]), "repositoryName"))
			continue
		}
		from[doc.RepositoryName] = file
		r := repos[doc.RepositoryName]
		if r == nil {
			continue // outside --prefix
		}
		if doc.RegistryID != "" && doc.RegistryID != r.Account {
			*p = append(*p, at(file, text, fmt.Sprintf("repository %s: registryId %s, but the inventory's repository is in account %s", r.Name, doc.RegistryID, r.Account), "registryId"))
			continue
		}
		if kind == "repository" {
			if _, _, err := check.RepositoryPolicy(*body); err != nil {
				*p = append(*p, at(file, text, fmt.Sprintf("repository %s: policyText %s", r.Name, err), "policyText"))
				continue
			}
			r.PolicyText = *body
			continue
		}
		policy, err := lifecycle.Parse([]byte(*body))
		if err != nil {
			for _, e := range validation.List(err) {
				b := *e
				b.Package, b.Line, b.Column = "", 0, 0
				*p = append(*p, at(file, text, fmt.Sprintf("repository %s: lifecyclePolicyText can't be expressed by package lifecycle: %s", r.Name, oneline.Cut(b.Error(), 300)), "lifecyclePolicyText"))
			}
			continue
		}
		r.Lifecycle = policy
		r.LifecycleText = *body
	}
}
