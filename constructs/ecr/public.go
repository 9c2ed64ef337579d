package ecr

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/internal/library/appcheck"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// PublicRepository is an Amazon ECR Public repository: its images can be
// pulled by anyone, from public.ecr.aws, and it is listed in the Amazon ECR
// Public Gallery. CDK has no L2 for it; this construct holds CloudFormation's
// AWS::ECR::PublicRepository as its child "Resource".
//
// ECR Public exists only in us-east-1: the construct refuses a stack whose
// Region is known and different. An environment-agnostic stack is accepted,
// but deploys only when its account and Region resolve to us-east-1 at
// deployment; give the stack Env{Region: "us-east-1"} to be sure.
type PublicRepository interface {
	constructs.Construct

	// RepositoryName returns the repository's name (a token that resolves
	// to it at deployment).
	RepositoryName() *string

	// RepositoryArn returns the repository's ARN,
	// arn:aws:ecr-public::ACCOUNT:repository/NAME (a token).
	RepositoryArn() *string

	// RepositoryUri returns public.ecr.aws/ALIAS/NAME, from which anyone can
	// pull, when PublicRepositoryProps.RegistryAlias was given, and nil
	// otherwise: CloudFormation exposes no registry alias.
	RepositoryUri() *string

	// Resource returns the CloudFormation resource, for settings this
	// construct doesn't cover (a repository policy, for instance).
	Resource() awsecr.CfnPublicRepository

	// GrantPush lets an IAM role, user or group of the stack's account push
	// images: an identity policy statement with ecr-public:
	// BatchCheckLayerAvailability, InitiateLayerUpload, UploadLayerPart,
	// CompleteLayerUpload and PutImage on the repository, and one with
	// ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken on "*",
	// which the ECR Public User Guide requires to log in to the registry and
	// which have no resource-level permissions (cdk-nag's AwsSolutions-IAM5
	// flags them: suppress it with a reason, as examples/public does). It
	// returns CDK's Grants combined, and panics with [validation.Errors] for
	// a nil grantee, a grantee of another known account, or one without an
	// identity policy (a service or account principal), since nothing would
	// be granted.
	GrantPush(grantee awsiam.IGrantable) awsiam.Grant
}

// jsiiProxy_publicRepository is the jsii-backed implementation: a plain
// construct made with constructs.NewConstruct_Override, holding the L1. The
// name's "jsiiProxy_" prefix spares the jsii runtime its interface
// discovery on every object created; see jsiiProxy_repository.
//
//lint:ignore ST1003 the jsiiProxy_ prefix makes jsii-runtime-go skip its interface discovery (see jsiiProxy_repository in package ecr; pinned by TestJsiiProxyNames)
type jsiiProxy_publicRepository struct {
	constructs.Construct
	cfn awsecr.CfnPublicRepository
	uri *string
}

// NewPublicRepository creates an ECR Public repository: catalog data for
// the gallery, tags (Visibility=public unless others are given, for Security
// Hub ECR.4) and RETAIN on delete and replacement. nil props give a
// repository whose name CloudFormation generates; see
// [PublicRepositoryProps].
//
// Invalid props, and a stack whose Region is known and is not us-east-1, are
// refused before anything is added to the construct tree: NewPublicRepository
// panics with [validation.Errors], whose one-line message names the construct
// path, the field, the value and the rule it broke.
func NewPublicRepository(scope constructs.Construct, id *string, props *PublicRepositoryProps) PublicRepository {
	if props == nil {
		props = &PublicRepositoryProps{}
	}
	p := construct.ChildProblems("ecr", scope, id)
	placed := p.Len() == 0 // a scope in a stack, and an id
	checkPublicProps(props, p)
	if placed {
		checkPublicRegion(scope, p)
	}
	p.PanicIfAny()

	appcheck.Attach(scope) // two public repositories of one name in the app
	r := &jsiiProxy_publicRepository{}
	constructs.NewConstruct_Override(r, scope, id)
	r.cfn = awsecr.NewCfnPublicRepository(r, jsii.String("Resource"), &awsecr.CfnPublicRepositoryProps{
		RepositoryName: props.RepositoryName,
	})
	if data := catalogData(props.CatalogData); data != nil {
		r.cfn.SetRepositoryCatalogData(data)
	}
	r.cfn.ApplyRemovalPolicy(construct.OrDefault(props.RemovalPolicy, awscdk.RemovalPolicy_RETAIN), nil)
	r.Node().SetDefaultChild(r.cfn)

	tags := props.Tags
	if len(tags) == 0 {
		tags = defaultPublicTags
	}
	for _, k := range check.SortedKeys(tags) {
		awscdk.Tags_Of(r.cfn).Add(jsii.String(k), jsii.String(tags[k]), nil)
	}
	if props.RegistryAlias != nil {
		r.uri = jsii.String("public.ecr.aws/" + *props.RegistryAlias + "/" + *r.RepositoryName())
	}
	return r
}

// RepositoryName implements PublicRepository.
func (r *jsiiProxy_publicRepository) RepositoryName() *string { return r.cfn.Ref() }

// RepositoryArn implements PublicRepository.
func (r *jsiiProxy_publicRepository) RepositoryArn() *string { return r.cfn.AttrArn() }

// RepositoryUri implements PublicRepository.
//
//lint:ignore ST1003 named as CDK names it on awsecr.IRepository (RepositoryUri)
func (r *jsiiProxy_publicRepository) RepositoryUri() *string { return r.uri }

// Resource implements PublicRepository.
func (r *jsiiProxy_publicRepository) Resource() awsecr.CfnPublicRepository { return r.cfn }

// catalogData renders the catalog data for CloudFormation, nil when there is
// none. CDK types RepositoryCatalogData as free-form JSON, so a
// CfnPublicRepository_RepositoryCatalogDataProperty would be rendered with
// its Go JSON keys (aboutText, ...), which the resource schema refuses: the
// CloudFormation keys are written here.
func catalogData(c *PublicCatalogData) map[string]any {
	if c == nil {
		return nil
	}
	data := map[string]any{}
	for key, text := range map[string]*string{"RepositoryDescription": c.Description, "AboutText": c.AboutText, "UsageText": c.UsageText} {
		if text != nil {
			data[key] = *text
		}
	}
	if len(c.Architectures) > 0 {
		data["Architectures"] = stringList(c.Architectures)
	}
	if len(c.OperatingSystems) > 0 {
		data["OperatingSystems"] = stringList(c.OperatingSystems)
	}
	if len(data) == 0 {
		return nil
	}
	return data
}

// stringList converts badges for CloudFormation.
func stringList[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
