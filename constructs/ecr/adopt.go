package ecr

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// Adoption says how [NewAdoptedRepository] brings a repository that already
// exists under the library: what the repository has that RepositoryProps
// can't say. The ecr-cdk adopt command writes one for every repository it
// reads.
type Adoption struct {
	// LogicalID pins the repository's CloudFormation logical ID
	// (CfnElement.OverrideLogicalId), so it no longer depends on where the
	// construct sits in the tree: the ID a `cdk import --resource-mapping`
	// file names, and the ID an in-place switch from awsecr.NewRepository
	// must keep. 1 to 255 letters and digits, starting with a letter.
	// Default: the ID CDK computes from the construct path.
	LogicalID *string

	// RepositoryPolicyText is the repository policy the repository has, as
	// `aws ecr get-repository-policy` prints it in policyText: a JSON object
	// with a Statement (one statement or a list) and optionally a Version.
	// Each statement is added with the repository's AddToResourcePolicy, so
	// grants made later join it instead of replacing it, and a Version other
	// than CDK's "2012-10-17" (ECR's console has written "2008-10-17") is
	// kept as it is. CloudFormation deletes, at the next update, a
	// repository policy that the template leaves out (a later update removes
	// it, and drift detection does not show it:
	// cloudformation-coverage-roadmap #2493), which is why an adopted
	// repository's template must carry it.
	// Default: none.
	RepositoryPolicyText *string
}

// AdoptedAES256Warning is the ID of the warning NewAdoptedRepository adds to a
// repository it declares with explicit AES256 encryption.
const AdoptedAES256Warning = "@secure-ecr/ecr-cdk-go:adoptedAES256"

// NewAdoptedRepository is [NewRepository] for a repository that already
// exists, in CloudFormation (a stack switching from awsecr.NewRepository)
// or outside it (brought in with `cdk import`): it builds the repository
// from props, then applies the adoption (nil for none): the pinned logical
// ID and the repository policy statements the repository has.
//
// A repository declared with explicit AES256 encryption
// (Encryption: awsecr.RepositoryEncryption_AES_256()) gets a warning at
// synthesis, AdoptedAES256Warning, naming the migration: encryption is
// create-only in CloudFormation (the resource schema of
// AWS::ECR::Repository lists EncryptionConfiguration in
// createOnlyProperties), so the library's KMS default, or the
// customer-managed key Security Hub ECR.5 asks for, can only come with a
// new repository. It is a warning, not an error: synthesis goes on (it
// fails only under `cdk synth --strict`).
//
// Invalid props or an invalid adoption are refused as NewRepository
// refuses them, by panicking with [validation.Errors] before anything is added.
func NewAdoptedRepository(scope constructs.Construct, id *string, props *RepositoryProps, adoption *Adoption) Repository {
	if adoption == nil {
		adoption = &Adoption{}
	}
	p := construct.ChildProblems("ecr", scope, id)
	statements, version := checkAdoption(adoption, p)
	p.PanicIfAny()

	repo := NewRepository(scope, id, props)
	r := repo.(*jsiiProxy_repository)
	if adoption.LogicalID != nil {
		r.cfn.OverrideLogicalId(adoption.LogicalID)
	}
	for _, s := range statements {
		r.AddToResourcePolicy(awsiam.PolicyStatement_FromJson(s))
	}
	if len(statements) > 0 && version != check.PolicyVersion {
		r.cfn.AddPropertyOverride(jsii.String("RepositoryPolicyText.Version"), version)
	}
	if props != nil && props.Encryption != nil && *props.Encryption.Value() == "AES256" {
		awscdk.Annotations_Of(r).AddWarningV2(jsii.String(AdoptedAES256Warning), jsii.String(
			"AES256 encryption is create-only: Security Hub ECR.5's customer-managed KMS key needs a new repository "+
				"(NewRepository with CreateEncryptionKey), the images copied to it and the consumers moved; see docs/adoption.md"), nil)
	}
	return repo
}

// checkAdoption records every problem of the adoption and returns the
// policy's statements, as JSON objects, and its version.
func checkAdoption(a *Adoption, p *validation.Collector) ([]map[string]any, string) {
	if a.LogicalID != nil && !check.IsToken(*a.LogicalID) && !check.IsLogicalID(*a.LogicalID) {
		p.Add("Adoption.LogicalID", *a.LogicalID, "must be 1 to 255 letters and digits, starting with a letter")
	}
	if a.RepositoryPolicyText == nil {
		return nil, ""
	}
	statements, version, err := check.RepositoryPolicy(*a.RepositoryPolicyText)
	if err != nil {
		p.Add("Adoption.RepositoryPolicyText", nil, err.Error())
	}
	return statements, version
}
