package ecr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// repositoryPolicy returns the statements of the only repository's policy.
func repositoryPolicy(t *testing.T, stack awscdk.Stack) []any {
	t.Helper()
	props := repositoryResource(t, stack)["Properties"].(map[string]any)
	doc, ok := props["RepositoryPolicyText"].(map[string]any)
	if !ok {
		t.Fatal("no repository policy")
	}
	return doc["Statement"].([]any)
}

// accountPrincipal and arnPrincipal shorten the principals the grants take.
func accountPrincipal(id string) awsiam.IPrincipal {
	return awsiam.NewAccountPrincipal(jsii.String(id))
}

func arnPrincipal(arn string) awsiam.IPrincipal { return awsiam.NewArnPrincipal(jsii.String(arn)) }

func orgPrincipal(id string) awsiam.IPrincipal {
	return awsiam.NewOrganizationPrincipal(jsii.String(id))
}

func TestGrantPullToAccounts(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	repo.GrantPullToAccounts(accountPrincipal("111122223333"), arnPrincipal("arn:aws:iam::444455556666:role/deployer"), accountPrincipal("111122223333"))
	repo.GrantPullToAccounts(accountPrincipal("777788889999"))
	assertJSONEqual(t, "statements", repositoryPolicy(t, stack), []any{
		map[string]any{
			"Sid": "PullFromAccounts", "Effect": "Allow",
			"Action": []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
			"Principal": map[string]any{"AWS": []any{
				map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::111122223333:root"}}},
				"arn:aws:iam::444455556666:role/deployer",
			}},
		},
		map[string]any{
			"Sid": "PullFromAccounts2", "Effect": "Allow",
			"Action":    []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
			"Principal": map[string]any{"AWS": map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::777788889999:root"}}}},
		},
	})
}

func TestGrantPullToOrganization(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	repo.GrantPullToOrganization(orgPrincipal("o-a1b2c3d4e5"))
	assertJSONEqual(t, "statements", repositoryPolicy(t, stack), []any{map[string]any{
		"Sid": "PullFromOrganization", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
		"Action":    []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
	}})
	// The cdk-nag suppression of AwsSolutions-ECR1 is plain metadata with a reason.
	cdktest.NewTemplate(t, stack).HasResource("AWS::ECR::Repository", map[string]any{
		"Metadata": map[string]any{"cdk_nag": map[string]any{"rules_to_suppress": []any{map[string]any{
			"id":     "AwsSolutions-ECR1",
			"reason": "Pull access is limited to principals of AWS Organization o-a1b2c3d4e5 by an aws:PrincipalOrgID condition",
		}}}},
	})
}

func TestGrantPushToAccounts(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	grant := repo.GrantPushToAccounts(arnPrincipal("arn:aws:iam::999988887777:role/ci"))
	if !*grant.Success() || len(*grant.ResourceStatements()) != 1 || len(*grant.PrincipalStatements()) != 0 {
		t.Errorf("want a successful grant of one resource statement and no principal statement")
	}
	assertJSONEqual(t, "statements", repositoryPolicy(t, stack), []any{map[string]any{
		"Sid": "PushFromAccounts", "Effect": "Allow",
		"Action":    []any{"ecr:CompleteLayerUpload", "ecr:UploadLayerPart", "ecr:InitiateLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:PutImage"},
		"Principal": map[string]any{"AWS": "arn:aws:iam::999988887777:role/ci"},
	}})
}

func TestGrantPullToOrganizationalUnits(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	repo.GrantPullToOrganizationalUnits(ecr.OrganizationalUnitPrincipal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"),
		ecr.OrganizationalUnitPrincipal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/"))
	assertJSONEqual(t, "statements", repositoryPolicy(t, stack), []any{map[string]any{
		"Sid": "PullFromOrganizationalUnits", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
		"Action": []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
		"Condition": map[string]any{
			"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
			"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": []any{
				"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/*",
			}},
		},
	}})
}

func TestEveryOrganizationGrantedIsNamedInTheNagReason(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	repo.GrantPullToOrganization(orgPrincipal("o-a1b2c3d4e5"))
	repo.GrantPullToOrganization(orgPrincipal("o-f6g7h8i9j0"))
	repo.GrantPullToOrganization(orgPrincipal("o-a1b2c3d4e5")) // the same reason twice is recorded once
	cdktest.NewTemplate(t, stack).HasResource("AWS::ECR::Repository", map[string]any{
		"Metadata": map[string]any{"cdk_nag": map[string]any{"rules_to_suppress": []any{map[string]any{
			"id": "AwsSolutions-ECR1",
			"reason": "Pull access is limited to principals of AWS Organization o-a1b2c3d4e5 by an aws:PrincipalOrgID condition; " +
				"Pull access is limited to principals of AWS Organization o-f6g7h8i9j0 by an aws:PrincipalOrgID condition",
		}}}},
	})
}

func TestGrantLambdaPullInTheSameAccount(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	repo.GrantLambdaPull()
	assertJSONEqual(t, "statements", repositoryPolicy(t, stack), []any{map[string]any{
		"Sid": "LambdaServicePull", "Effect": "Allow",
		"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
		"Action":    []any{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
		"Condition": map[string]any{"StringLike": map[string]any{"aws:sourceARN": map[string]any{"Fn::Join": []any{"", []any{
			"arn:", map[string]any{"Ref": "AWS::Partition"}, ":lambda:", map[string]any{"Ref": "AWS::Region"}, ":",
			map[string]any{"Ref": "AWS::AccountId"}, ":function:*",
		}}}}},
	}})
}

func TestGrantLambdaPullAcrossAccounts(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	grant := repo.GrantLambdaPull(accountPrincipal("111122223333"), accountPrincipal("444455556666"))
	if n := len(*grant.ResourceStatements()); n != 2 || !*grant.Success() {
		t.Fatalf("got a grant of %d resource statements (success %v), want the documented pair", n, *grant.Success())
	}
	functions := func(account string) any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":lambda:", map[string]any{"Ref": "AWS::Region"}, ":" + account + ":function:*"}}}
	}
	root := func(account string) any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::" + account + ":root"}}}
	}
	assertJSONEqual(t, "statements", repositoryPolicy(t, stack), []any{
		map[string]any{
			"Sid": "LambdaPullFromAccounts", "Effect": "Allow", "Action": []any{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
			"Principal": map[string]any{"AWS": []any{root("111122223333"), root("444455556666")}},
		},
		map[string]any{
			"Sid": "LambdaServicePull", "Effect": "Allow", "Action": []any{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
			"Condition": map[string]any{"StringLike": map[string]any{"aws:sourceARN": []any{functions("111122223333"), functions("444455556666")}}},
		},
	})
}

func TestImportedRepositoryGrantsInTheSameAccountWork(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.FromRepositoryName(stack, jsii.String("Shared"), jsii.String("platform/base"))
	role := awsiam.NewRole(stack, jsii.String("Builder"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil)})
	repo.GrantPullPush(role)
	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	task.AddContainer(jsii.String("app"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String("1.0"))})

	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Builder"))}},
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Resource": map[string]any{"Fn::Join": []any{"", []any{
				"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ecr:", map[string]any{"Ref": "AWS::Region"}, ":",
				map[string]any{"Ref": "AWS::AccountId"}, ":repository/platform/base",
			}}},
		})})},
	})
	tpl.ResourceCountIs("AWS::ECR::Repository", 0)
}

func TestImportedRepositoryRefusesGrantsItCannotMake(t *testing.T) {
	tests := []struct {
		name  string
		grant func(stack awscdk.Stack, repo interface {
			GrantPull(awsiam.IGrantable) awsiam.Grant
		})
		want string
	}{
		{"another account", func(stack awscdk.Stack, repo interface {
			GrantPull(awsiam.IGrantable) awsiam.Grant
		}) {
			repo.GrantPull(awsiam.NewAccountPrincipal(jsii.String("111122223333")))
		}, `ecr: Test/Shared: GrantPull "account 111122223333": repository "platform/base" is imported`},
		{"a service principal", func(stack awscdk.Stack, repo interface {
			GrantPull(awsiam.IGrantable) awsiam.Grant
		}) {
			repo.GrantPull(awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil))
		}, `ecr: Test/Shared: GrantPull "service lambda.amazonaws.com": repository "platform/base" is imported`},
		{"a role of another account", func(stack awscdk.Stack, repo interface {
			GrantPull(awsiam.IGrantable) awsiam.Grant
		}) {
			repo.GrantPull(awsiam.Role_FromRoleArn(stack, jsii.String("Other"), jsii.String("arn:aws:iam::111122223333:role/deployer"), nil))
		}, `ecr: Test/Shared: GrantPull "Test/Other": repository "platform/base" is imported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := cdktest.NewStack(t)
			repo := ecr.FromRepositoryName(stack, jsii.String("Shared"), jsii.String("platform/base"))
			err := cdktest.Panic(t, func() { tt.grant(stack, repo) })
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got  %v\nwant %s...", err, tt.want)
			}
		})
	}
}

// The import guard has two halves: grants called from Go are refused at the
// call by value-receiver shadows, grants CDK makes inside JavaScript are
// refused at synthesis. The first half relies on jsii-runtime-go registering
// only pointer-receiver methods as overrides; this test fails the day that
// changes, because CDK's own grant (ECS pulling with an execution role of
// another account) would then reach the Go shadow and panic inside a
// JavaScript callback, at AddContainer, instead of failing synthesis.
func TestImportGuardDependsOnPointerOnlyOverrides(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.FromRepositoryName(stack, jsii.String("Shared"), jsii.String("platform/base"))
	other := awsiam.Role_FromRoleArn(stack, jsii.String("Other"), jsii.String("arn:aws:iam::111122223333:role/exec"), nil)

	// From Go: refused at the call, with the library's error.
	err := cdktest.Panic(t, func() { repo.GrantPull(other) })
	var invalid *validation.Error
	if !errors.As(err, &invalid) || invalid.Field != "GrantPull" {
		t.Fatalf("a grant from Go: got %v, want a *validation.Error from the Go-side guard", err)
	}

	// From inside CDK: not at the call...
	if err := cdktest.Panic(t, func() {
		task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), &awsecs.FargateTaskDefinitionProps{ExecutionRole: other})
		task.AddContainer(jsii.String("app"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String("1.0"))})
	}); err != nil {
		t.Fatalf("CDK's own grant was refused at the call, so jsii called the Go shadow from JavaScript: %v", err)
	}
	// ...but at synthesis.
	err = cdktest.Panic(t, func() { awscdk.Stage_Of(stack).Synth(nil) })
	if err == nil || !strings.Contains(err.Error(), `Test/Other": repository "platform/base" is imported`) {
		t.Errorf("synthesis: got %v", err)
	}
}

// An import by ARN knows the repository's account: a grant to a role of the
// stack's account is refused when the repository is in another account, and
// works through the role's policy when it is in the same one.
func TestImportByArnKnowsTheRepositorysAccount(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")}})
	builder := awsiam.NewRole(stack, jsii.String("Builder"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil)})

	same := ecr.FromRepositoryArn(stack, jsii.String("Same"), jsii.String("arn:aws:ecr:eu-west-1:111122223333:repository/team/base"))
	if got := *same.RepositoryName(); got != "team/base" {
		t.Errorf("name read from the ARN: %q", got)
	}
	same.GrantPull(builder)

	elsewhere := ecr.FromRepositoryAttributes(stack, jsii.String("Elsewhere"), &awsecr.RepositoryAttributes{
		RepositoryName: jsii.String("team/base"),
		RepositoryArn:  jsii.String("arn:aws:ecr:eu-west-1:444455556666:repository/team/base"),
	})
	err := cdktest.Panic(t, func() { elsewhere.GrantPull(builder) })
	if err == nil || !strings.HasPrefix(err.Error(), `ecr: Test/Elsewhere: GrantPull "account 111122223333": repository "team/base" is imported`) {
		t.Errorf("a grant needing another account's repository policy: got %v", err)
	}
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Resource": "arn:aws:ecr:eu-west-1:111122223333:repository/team/base",
		})})},
	})
}

// A grant CDK makes on its own (here ECS pulling with a task execution role
// of another account) doesn't go through Go first: it must still not vanish.
func TestImportedRepositoryFailsSynthesisForGrantsCDKMakes(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.FromRepositoryName(stack, jsii.String("Shared"), jsii.String("platform/base"))
	other := awsiam.Role_FromRoleArn(stack, jsii.String("Other"), jsii.String("arn:aws:iam::111122223333:role/exec"), nil)
	err := cdktest.Panic(t, func() {
		task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), &awsecs.FargateTaskDefinitionProps{ExecutionRole: other})
		task.AddContainer(jsii.String("app"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String("1.0"))})
		awscdk.Stage_Of(stack).Synth(nil)
	})
	if err == nil || !strings.Contains(err.Error(), `Test/Other": repository "platform/base" is imported`) {
		t.Errorf("got %v", err)
	}
}

// The account grants take CDK's account-root principal of the stack's account
// and a token for an account ID, both rendered as CDK renders them.
func TestGrantPullToAccountsTakesAccountRootAndTokens(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	central := awscdk.NewCfnParameter(stack, jsii.String("Central"), nil)
	repo.GrantPullToAccounts(awsiam.NewAccountRootPrincipal(), accountPrincipal(*central.ValueAsString()))
	root := func(account any) any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::", account, ":root"}}}
	}
	assertJSONEqual(t, "statements", repositoryPolicy(t, stack), []any{map[string]any{
		"Sid": "PullFromAccounts", "Effect": "Allow",
		"Action":    []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
		"Principal": map[string]any{"AWS": []any{root(map[string]any{"Ref": "AWS::AccountId"}), root(map[string]any{"Ref": "Central"})}},
	}})
}

// An OU principal written with CDK's own OrganizationPrincipal.WithConditions
// is read like OrganizationalUnitPrincipal's, and renders the same statement.
func TestGrantPullToOrganizationalUnitsTakesAnOrganizationPrincipalWithConditions(t *testing.T) {
	const path = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"
	statements := func(unit awsiam.IPrincipal) []any {
		stack := cdktest.NewStack(t)
		ecr.NewRepository(stack, jsii.String("Repo"), nil).GrantPullToOrganizationalUnits(unit)
		return repositoryPolicy(t, stack)
	}
	written := awsiam.NewOrganizationPrincipal(jsii.String("o-a1b2c3d4e5")).WithConditions(&map[string]any{
		"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": path + "*"},
	})
	assertJSONEqual(t, "statements", statements(written), statements(ecr.OrganizationalUnitPrincipal(path)))
	assertJSONEqual(t, "statements", statements(written), []any{map[string]any{
		"Sid": "PullFromOrganizationalUnits", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
		"Action": []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
		"Condition": map[string]any{
			"StringEquals":           map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
			"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": path + "*"},
		},
	}})
}

// An OU granted twice is granted, and named in the cdk-nag reason, once.
func TestGrantPullToOrganizationalUnitsOncePerPath(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	unit := ecr.OrganizationalUnitPrincipal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/")
	repo.GrantPullToOrganizationalUnits(unit, ecr.OrganizationalUnitPrincipal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"), unit)
	cdktest.NewTemplate(t, stack).HasResource("AWS::ECR::Repository", map[string]any{
		"Properties": map[string]any{"RepositoryPolicyText": map[string]any{"Statement": []any{assertions.Match_ObjectLike(&map[string]any{
			"Condition": map[string]any{
				"StringEquals":           map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
				"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"},
			},
		})}}},
		"Metadata": map[string]any{"cdk_nag": map[string]any{"rules_to_suppress": []any{map[string]any{
			"id": "AwsSolutions-ECR1",
			"reason": "Pull access is limited to principals of the organizational units o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ " +
				"by aws:PrincipalOrgID and aws:PrincipalOrgPaths conditions",
		}}}},
	})
}

// CDK itself refuses a malformed organization ID, in one line, when the
// principal is made, before GrantPullToOrganization sees it; the grant's own
// check of the ID is the one the OU principals' conditions go through.
func TestOrganizationPrincipalRefusesAMalformedIDItself(t *testing.T) {
	err := cdktest.Panic(t, func() { awsiam.NewOrganizationPrincipal(jsii.String("r-a1b2c3d4e5")) })
	if err == nil || !strings.Contains(err.Error(), "Expected Organization ID must match regex pattern") {
		t.Errorf("got %v, want CDK's refusal", err)
	}
}
