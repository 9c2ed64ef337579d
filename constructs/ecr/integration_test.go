package ecr_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// The Override-based construct must be accepted wherever CDK takes an
// IRepository, and come back from the construct tree as itself.
func TestRepositoryWorksWhereCDKTakesAnIRepository(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	var _ awsecr.IRepository = repo

	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	task.AddContainer(jsii.String("web"), &awsecs.ContainerDefinitionOptions{
		Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String("v1.2.3")),
	})
	awslambda.NewDockerImageFunction(stack, jsii.String("Fn"), &awslambda.DockerImageFunctionProps{
		Code: awslambda.DockerImageCode_FromEcr(repo, &awslambda.EcrImageCodeProps{TagOrDigest: jsii.String("v1.2.3")}),
	})

	tpl := cdktest.NewTemplate(t, stack)
	imageURI := map[string]any{"Fn::Join": []any{"", assertions.Match_ArrayWith(&[]any{
		map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Repo"))},
		":v1.2.3",
	})}}
	tpl.HasResourceProperties("AWS::ECS::TaskDefinition", map[string]any{
		"ContainerDefinitions": []any{assertions.Match_ObjectLike(&map[string]any{"Image": imageURI})},
	})
	tpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{
		"PackageType": "Image",
		"Code":        map[string]any{"ImageUri": imageURI},
	})
	// CDK's grants went through the Override-based object: the task's
	// execution role may pull, and so may the Lambda service, through the
	// repository policy (a service principal has no identity policy).
	pullActions := []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}
	tpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^TaskExecutionRole"))}},
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Action":   pullActions,
			"Resource": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^Repo")), "Arn"}},
		})})},
	})
	tpl.HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"RepositoryPolicyText": map[string]any{"Statement": []any{map[string]any{
			"Action": pullActions, "Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"},
		}}},
	})

	found := stack.Node().FindChild(jsii.String("Repo"))
	if _, ok := found.(ecr.Repository); !ok {
		t.Errorf("the construct tree returns %T, not the ecr.Repository", found)
	}
}

func TestCDKGrantsAndEvents(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{RepositoryName: jsii.String("web")})
	ci := awsiam.NewRole(stack, jsii.String("CI"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil)})
	repo.GrantPullPush(ci)
	reader := awsiam.NewRole(stack, jsii.String("Reader"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	repo.GrantRead(reader)
	repo.OnImageScanCompleted(jsii.String("Scanned"), nil)

	if uri := stack.Resolve(repo.RepositoryUriForTag(jsii.String("v1"))); uri == nil {
		t.Error("RepositoryUriForTag resolved to nothing")
	}
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^CI"))}},
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Action": []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
				"ecr:CompleteLayerUpload", "ecr:UploadLayerPart", "ecr:InitiateLayerUpload", "ecr:PutImage"},
		})})},
	})
	tpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Reader"))}},
		"PolicyDocument": map[string]any{"Statement": []any{assertions.Match_ObjectLike(&map[string]any{
			"Action": []any{"ecr:DescribeRepositories", "ecr:DescribeImages"},
		})}},
	})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"EventPattern": map[string]any{
			"source":      []any{"aws.ecr"},
			"detail-type": []any{"ECR Image Scan"},
			"detail":      map[string]any{"repository-name": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Repo"))}}},
		},
	})
	// Grants to principals in the same account don't need a repository policy.
	tpl.HasResourceProperties("AWS::ECR::Repository", map[string]any{"RepositoryPolicyText": assertions.Match_Absent()})
}
