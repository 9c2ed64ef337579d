package appcheck

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"

	"github.com/secure-ecr/ecr-cdk-go/internal/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/imageref"
)

// Protected is a repository that protects the images the app deploys from
// it (ecr.NewRepository's): the walk gives it every deployment found.
type Protected interface {
	// InUseResource is the repository's resource, whose URI deployments
	// render.
	InUseResource() awsecr.CfnRepository
	// ProtectInUse receives every deployment of the repository's images.
	ProtectInUse(deployments []Deployment)
}

// Deployment is one reference to a repository's image by a resource of the
// app.
type Deployment struct {
	// By is the path of the resource that deploys the image.
	By string
	// Tag is the tag; "" for a digest or a token.
	Tag string
	// Digest reports a reference by digest (repo@sha256:…).
	Digest bool
	// Token reports a tag that is a token.
	Token bool
	// Param and ParamStack are, for a token tag that is a parameter's
	// value, the parameter's logical id and its stack's path.
	Param, ParamStack string
}

// noImages are the types whose properties never hold an image reference,
// skipped so the walk costs less: the library's own resources and the usual
// companions.
var noImages = []string{
	"AWS::ECR::", "AWS::IAM::", "AWS::KMS::", "AWS::Events::", "AWS::Logs::",
	"AWS::SNS::", "AWS::SQS::", "AWS::EC2::", "AWS::CloudFormation::", "AWS::CDK::",
}

// protectImages finds, in the resolved properties of the resources, every
// image of a protected repository the app deploys — in CDK's rendering of a
// repository's URI with a tag, {"Fn::Join": ["", [..., {"Ref": repo},
// ":tag"]]}, from any stack, or in a literal URI of a repository with a
// fixed name — and hands each repository its deployments.
func protectImages(resources []awscdk.CfnResource, repos []Protected, parameters []awscdk.CfnParameter) {
	protected := map[string][]Protected{} // logical id, or "name" and literal name -> repositories
	for _, r := range repos {
		cfn := r.InUseResource()
		id := *awscdk.Stack_Of(cfn).GetLogicalId(cfn)
		protected[id] = append(protected[id], r)
		if name := cfn.RepositoryName(); name != nil && check.Known(*name) {
			protected["name\x00"+*name] = append(protected["name\x00"+*name], r)
		}
	}
	params := map[string]bool{} // stack path + logical id of every parameter
	for _, p := range parameters {
		stack := awscdk.Stack_Of(p)
		params[*stack.Node().Path()+"\x00"+*stack.GetLogicalId(p)] = true
	}
	found := map[Protected][]Deployment{}
	var order []Protected
	for _, cfn := range resources {
		props := cfn.UpdatedProperties()
		if props == nil || len(*props) == 0 {
			continue
		}
		stack := awscdk.Stack_Of(cfn)
		var path, stackPath string
		imageref.Walk(stack.Resolve(props), func(ref imageref.Ref) {
			targets := protected[ref.LogicalID]
			if ref.Name != "" {
				targets = protected["name\x00"+ref.Name]
			}
			if len(targets) == 0 {
				return
			}
			if path == "" {
				path, stackPath = *cfn.Node().Path(), *stack.Node().Path()
			}
			d := Deployment{By: path, Tag: ref.Tag, Digest: ref.Digest != "", Token: ref.Token}
			if ref.Param != "" && params[stackPath+"\x00"+ref.Param] {
				d.Param, d.ParamStack = ref.Param, stackPath
			}
			for _, r := range targets {
				if _, ok := found[r]; !ok {
					order = append(order, r)
				}
				found[r] = append(found[r], d)
			}
		})
	}
	for _, r := range order {
		r.ProtectInUse(found[r])
	}
}
