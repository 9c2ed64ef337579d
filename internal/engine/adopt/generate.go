package adopt

import (
	"fmt"
	"go/format"
	"strconv"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/ecr5"
)

// control is one Security Hub control of a repository: whether it passes
// today, and what upgrade does about it.
type control struct {
	ID, Requirement string
	Passes          bool
	// Unknown: whether it passes can't be told from what ECR describes
	// (Detail says why); upgrade keeps it as it is.
	Unknown bool
	Detail  string
	// Fix is what upgrade == true changes in place ("" when it passes);
	// Migration, for a create-only property, how to get there instead.
	Fix, Migration string
}

// controls evaluates the Security Hub controls helpers/compliance checks
// for repositories (ECR.1, ECR.2, ECR.3, and ECR.5 at the strict level).
// ECR.5 is package ecr5's decision, the one ecr-cdk audit reports.
func controls(r *Repository) []control {
	ecr5Result, ecr5Detail := ecr5.Decide(r.Encryption, r.KeyARN, "", r.KeyDescribed)
	out := []control{
		{ID: "ECR.1", Requirement: "scan on push", Passes: r.ScanOnPush, Fix: "scan on push turned on"},
		{ID: "ECR.2", Requirement: "immutable tags", Passes: r.Mutability == "IMMUTABLE", Fix: "tags made IMMUTABLE (today " + r.Mutability + ")"},
		{ID: "ECR.3", Requirement: "a lifecycle policy", Passes: r.Lifecycle != nil, Fix: "lifecycle.DefaultRules(): untagged images expire 14 days after push"},
		{ID: "ECR.5", Requirement: "a customer-managed KMS key", Passes: ecr5Result == ecr5.Pass, Unknown: ecr5Result == ecr5.Unknown},
	}
	if out[3].Unknown {
		out[3].Detail = ecr5Detail
	} else if !out[3].Passes {
		what := "AES256"
		if r.Encryption != "AES256" {
			what = r.Encryption + " with the AWS-managed key"
		}
		out[3].Migration = what + " is create-only: create a new repository with a customer-managed key (CreateEncryptionKey or EncryptionKey), copy the images, move the consumers, retire this one"
	}
	for i := range out {
		if out[i].Passes || out[i].Unknown {
			out[i].Fix = ""
		}
	}
	return out
}

// source writes adopted.go.
func source(opts Options, res *Result) ([]byte, error) {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	from := opts.Source
	if from == "" {
		from = opts.Repositories
		if opts.LifecyclePolicies != "" {
			from += ", lifecycle policies from " + opts.LifecyclePolicies
		}
		if opts.RepositoryPolicies != "" {
			from += ", repository policies from " + opts.RepositoryPolicies
		}
	}
	b.WriteString(comment("", fmt.Sprintf("Package %s declares %d existing Amazon ECR %s of account %s in %s with github.com/secure-ecr/ecr-cdk-go. ecr-cdk adopt wrote it from %s, for the stack %s; it is yours to commit and edit.",
		opts.Package, len(res.Repositories), plural(len(res.Repositories), "repository", "repositories"), res.Account, res.Region, from, res.Stack)))
	w("//\n")
	w("// Adoption takes two deploys (docs/adoption.md): import the repositories as\n")
	w("// they exist, then upgrade them in place:\n")
	w("//\n")
	w("//\tcdk import %s --resource-mapping resource-mapping.json   # with Repositories(stack, false)\n", res.Stack)
	w("//\tcdk deploy %s                                            # with Repositories(stack, true)\n", res.Stack)
	w("package %s\n\n", opts.Package)

	imports := map[string]bool{}
	var body strings.Builder
	for _, r := range res.Repositories {
		writeRepository(&body, r, imports)
	}
	w("import (\n")
	w("\t\"fmt\"\n\n")
	w("\t\"github.com/aws/aws-cdk-go/awscdk/v2\"\n")
	w("\t\"github.com/aws/aws-cdk-go/awscdk/v2/awsecr\"\n")
	if imports["awskms"] {
		w("\t\"github.com/aws/aws-cdk-go/awscdk/v2/awskms\"\n")
	}
	w("\t\"github.com/aws/constructs-go/constructs/v10\"\n")
	w("\t\"github.com/aws/jsii-runtime-go\"\n\n")
	w("\t\"github.com/secure-ecr/ecr-cdk-go/constructs/ecr\"\n")
	if imports["lifecycle"] {
		w("\t\"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle\"\n")
	}
	w(")\n\n")

	w("// The account and Region of the repositories: the stack that declares them\n")
	w("// must be in them (Repositories refuses a stack whose account or Region is\n")
	w("// known and different).\n")
	w("const (\n\tAccount = %q\n\tRegion  = %q\n)\n\n", res.Account, res.Region)

	w("// Repositories declares the repositories under scope, keyed by name.\n")
	w("// upgrade == false declares each exactly as it exists, for `cdk import`;\n")
	w("// upgrade == true keeps what CloudFormation can only set at creation (the\n")
	w("// name, the encryption) and moves the rest to the library's secure\n")
	w("// defaults, in place. Each repository's function says what its upgrade\n")
	w("// changes.\n")
	w("func Repositories(scope constructs.Construct, upgrade bool) map[string]ecr.Repository {\n")
	w("\tcheckEnvironment(scope)\n")
	w("\treturn map[string]ecr.Repository{\n")
	for _, r := range res.Repositories {
		w("\t\t%q: %s(scope, upgrade),\n", r.Name, r.GoName)
	}
	w("\t}\n}\n\n")

	b.WriteString(body.String())

	w("// checkEnvironment refuses a stack whose account or Region is known and\n")
	w("// isn't the repositories'.\n")
	w("func checkEnvironment(scope constructs.Construct) {\n")
	w("\tstack := awscdk.Stack_Of(scope)\n")
	w("\tfor _, env := range [][3]string{{\"account\", *stack.Account(), Account}, {\"Region\", *stack.Region(), Region}} {\n")
	w("\t\tif !*awscdk.Token_IsUnresolved(env[1]) && env[1] != env[2] {\n")
	w("\t\t\tpanic(fmt.Errorf(\"%%s: the stack's %%s is %%s, but the adopted repositories are in %%s\", *stack.Node().Path(), env[0], env[1], env[2]))\n")
	w("\t\t}\n\t}\n}\n")

	return format.Source([]byte(b.String()))
}

// comment wraps text into // lines of at most about 80 columns.
func comment(indent, text string) string {
	var b, line strings.Builder
	for _, word := range strings.Fields(text) {
		if line.Len() > 0 && line.Len()+1+len(word) > 76-len(indent)*4 {
			b.WriteString(indent + "// " + line.String() + "\n")
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(word)
	}
	if line.Len() > 0 {
		b.WriteString(indent + "// " + line.String() + "\n")
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mutabilityConstant names CDK's constant for a tag mutability.
func mutabilityConstant(m string) string { return "awsecr.TagMutability_" + m }

// encryptionFunction names CDK's function for an encryption type.
func encryptionFunction(e string) string {
	switch e {
	case "AES256":
		return "awsecr.RepositoryEncryption_AES_256()"
	case "KMS_DSSE":
		return "awsecr.RepositoryEncryption_KMS_DSSE()"
	}
	return "awsecr.RepositoryEncryption_KMS()"
}

// writeRepository writes one repository's function.
func writeRepository(b *strings.Builder, r *Repository, imports map[string]bool) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	cs := controls(r)

	w("// %s declares %s (%s).\n", r.GoName, r.Name, r.ARN)
	w("//\n%s", comment("", "Today: "+today(r)+"."))
	w("func %s(scope constructs.Construct, upgrade bool) ecr.Repository {\n", r.GoName)
	w("\tprops := &ecr.RepositoryProps{\n")
	w("\t\tRepositoryName:  jsii.String(%q),\n", r.Name)
	w("\t\tEncryption:      %s,\n", encryptionFunction(r.Encryption))
	if r.KeyARN != "" {
		imports["awskms"] = true
		w("\t\tEncryptionKey:   awskms.Key_FromKeyArn(scope, jsii.String(%q), jsii.String(%q)),\n", r.ConstructID+"-Key", r.KeyARN)
	}
	w("\t\tTagMutability:   %s,\n", mutabilityConstant(r.Mutability))
	if len(r.Exclusions) > 0 {
		w("\t\tTagMutabilityExclusions: []string{%s},\n", quoteAll(r.Exclusions))
	}
	w("\t\tImageScanOnPush: jsii.Bool(%t),\n", r.ScanOnPush)
	if r.Lifecycle != nil {
		imports["lifecycle"] = true
		w("\t\t// The lifecycle policy as it is, rule by rule, priorities kept.\n")
		w("\t\tLifecycleRules: []lifecycle.Rule{\n")
		for _, rule := range r.Lifecycle.Rules() {
			w("\t\t\t%s,\n", ruleLiteral(rule))
		}
		w("\t\t},\n")
	} else {
		w("\t\tNoLifecyclePolicy: jsii.Bool(true),\n")
	}
	w("\t\tRemovalPolicy:   awscdk.RemovalPolicy_RETAIN,\n")
	if len(r.Tags) > 0 {
		w("\t\tTags: map[string]string{\n")
		for _, k := range sortedTags(r.Tags) {
			w("\t\t\t%q: %q,\n", k, r.Tags[k])
		}
		w("\t\t},\n")
	}
	w("\t}\n")

	var fixes []control
	for _, c := range cs {
		if c.Fix != "" {
			fixes = append(fixes, c)
		}
	}
	if len(fixes) == 0 {
		w("\t// upgrade changes nothing: the repository meets ECR.1, ECR.2 and ECR.3 already.\n")
	} else {
		w("\tif upgrade {\n")
		for _, c := range fixes {
			switch c.ID {
			case "ECR.1":
				w("\t\t// Security Hub ECR.1, in place: images are scanned when pushed.\n")
				w("\t\tprops.ImageScanOnPush = jsii.Bool(true)\n")
			case "ECR.2":
				w("\t\t// Security Hub ECR.2, in place: tags become IMMUTABLE (today %s):\n", r.Mutability)
				w("\t\t// a push that would move an existing tag is refused.\n")
				w("\t\tprops.TagMutability = awsecr.TagMutability_IMMUTABLE\n")
				if len(r.Exclusions) > 0 {
					w("\t\tprops.TagMutabilityExclusions = nil // today %s\n", quoteAll(r.Exclusions))
				}
			case "ECR.3":
				imports["lifecycle"] = true
				w("\t\t// Security Hub ECR.3, in place: a lifecycle policy where there was none,\n")
				w("\t\t// the library's default: untagged images expire 14 days after push.\n")
				w("\t\tprops.NoLifecyclePolicy = nil\n")
				w("\t\tprops.LifecycleRules = lifecycle.DefaultRules()\n")
			}
		}
		w("\t}\n")
	}
	kept := "the name and " + encryptionDescription(r)
	b.WriteString(comment("\t", "Create-only, the same in both modes: "+kept+"."))
	if m := cs[3].Migration; m != "" {
		b.WriteString(comment("\t", "Security Hub ECR.5 needs a migration: "+m+" (docs/adoption.md)."))
	}
	w("\treturn ecr.NewAdoptedRepository(scope, jsii.String(%q), props, &ecr.Adoption{\n", r.ConstructID)
	w("\t\tLogicalID: jsii.String(%q),\n", r.LogicalID)
	if r.PolicyText != "" {
		w("\t\t// The repository policy as it is: CloudFormation would delete one the\n")
		w("\t\t// template leaves out at the next update.\n")
		w("\t\tRepositoryPolicyText: jsii.String(%s),\n", goString(indentJSON(r.PolicyText)))
	}
	w("\t})\n}\n\n")
}

// today summarizes a repository's settings for its function's comment.
func today(r *Repository) string {
	parts := []string{r.Mutability + " tags"}
	if len(r.Exclusions) > 0 {
		parts[0] += " except " + strings.Join(r.Exclusions, ", ")
	}
	if r.ScanOnPush {
		parts = append(parts, "scan on push")
	} else {
		parts = append(parts, "no scan on push")
	}
	parts = append(parts, encryptionDescription(r))
	if r.Lifecycle != nil {
		parts = append(parts, fmt.Sprintf("a lifecycle policy of %d %s", len(r.Lifecycle.Rules()), plural(len(r.Lifecycle.Rules()), "rule", "rules")))
	} else {
		parts = append(parts, "no lifecycle policy")
	}
	if r.PolicyText != "" {
		parts = append(parts, "a repository policy")
	} else {
		parts = append(parts, "no repository policy")
	}
	if len(r.Tags) > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", len(r.Tags), plural(len(r.Tags), "tag", "tags")))
	}
	return strings.Join(parts, ", ")
}

func encryptionDescription(r *Repository) string {
	switch {
	case r.Encryption == "AES256":
		return "AES256 encryption"
	case r.KeyARN != "":
		return r.Encryption + " encryption with the customer-managed key " + r.KeyARN
	}
	return r.Encryption + " encryption with the AWS-managed key"
}

// goString quotes s as a raw string literal when it can, else as an
// interpreted one.
func goString(s string) string {
	if !strings.Contains(s, "`") && !strings.Contains(s, "\r") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// The constants of package lifecycle, by the values they stand for.
var (
	tagStatusNames    = map[lifecycle.TagStatus]string{lifecycle.TagStatusTagged: "TagStatusTagged", lifecycle.TagStatusUntagged: "TagStatusUntagged", lifecycle.TagStatusAny: "TagStatusAny"}
	storageClassNames = map[lifecycle.StorageClass]string{lifecycle.StorageClassStandard: "StorageClassStandard", lifecycle.StorageClassArchive: "StorageClassArchive"}
	countTypeNames    = map[lifecycle.CountType]string{
		lifecycle.CountTypeImageCountMoreThan: "CountTypeImageCountMoreThan", lifecycle.CountTypeSinceImagePushed: "CountTypeSinceImagePushed",
		lifecycle.CountTypeSinceImagePulled: "CountTypeSinceImagePulled", lifecycle.CountTypeSinceImageTransitioned: "CountTypeSinceImageTransitioned",
	}
	actionNames = map[lifecycle.Action]string{lifecycle.ActionExpire: "ActionExpire", lifecycle.ActionTransition: "ActionTransition"}
)

// ruleLiteral writes a rule as a Go composite literal.
func ruleLiteral(r lifecycle.Rule) string {
	fields := []string{fmt.Sprintf("Priority: %d", r.Priority)}
	if r.Description != "" {
		fields = append(fields, "Description: "+strconv.Quote(r.Description))
	}
	fields = append(fields, "TagStatus: lifecycle."+tagStatusNames[r.TagStatus])
	if r.TagPrefixes != nil {
		fields = append(fields, "TagPrefixes: []string{"+quoteAll(r.TagPrefixes)+"}")
	}
	if r.TagPatterns != nil {
		fields = append(fields, "TagPatterns: []string{"+quoteAll(r.TagPatterns)+"}")
	}
	if r.StorageClass != "" {
		fields = append(fields, "StorageClass: lifecycle."+storageClassNames[r.StorageClass])
	}
	fields = append(fields, "CountType: lifecycle."+countTypeNames[r.CountType], fmt.Sprintf("CountNumber: %d", r.CountNumber), "Action: lifecycle."+actionNames[r.Action])
	return "{" + strings.Join(fields, ", ") + "}"
}
