package ecr_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// repositoryResource returns the only AWS::ECR::Repository of a template.
func repositoryResource(t *testing.T, stack awscdk.Stack) map[string]any {
	t.Helper()
	var found map[string]any
	for _, r := range cdktest.JSON(t, stack)["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == "AWS::ECR::Repository" {
			if found != nil {
				t.Fatal("more than one repository in the template")
			}
			found = res
		}
	}
	if found == nil {
		t.Fatal("no repository in the template")
	}
	return found
}

func TestDefaultsAreSecure(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	if got := *repo.Resource().Node().Path(); got != "Test/Repo/Resource" {
		t.Errorf("Resource() is %s, want Test/Repo/Resource", got)
	}
	res := repositoryResource(t, stack)
	props := res["Properties"].(map[string]any)

	want := map[string]any{
		"ImageScanningConfiguration": map[string]any{"ScanOnPush": true},
		"ImageTagMutability":         "IMMUTABLE",
		"EncryptionConfiguration":    map[string]any{"EncryptionType": "KMS"},
		"LifecyclePolicy": map[string]any{"LifecyclePolicyText": `{"rules":[{"rulePriority":1,"description":"Expire untagged images 14 days after push",` +
			`"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}`},
	}
	for key, value := range want {
		assertJSONEqual(t, key, props[key], value)
	}
	for _, absent := range []string{"RepositoryPolicyText", "EmptyOnDelete", "RepositoryName"} {
		if v, ok := props[absent]; ok {
			t.Errorf("%s = %v, want it absent", absent, v)
		}
	}
	if res["DeletionPolicy"] != "Retain" || res["UpdateReplacePolicy"] != "Retain" {
		t.Errorf("DeletionPolicy %v, UpdateReplacePolicy %v; want Retain for both", res["DeletionPolicy"], res["UpdateReplacePolicy"])
	}
}

func TestZeroPropsEqualNilProps(t *testing.T) {
	a, b := cdktest.NewStack(t), cdktest.NewStack(t)
	ecr.NewRepository(a, jsii.String("Repo"), nil)
	ecr.NewRepository(b, jsii.String("Repo"), &ecr.RepositoryProps{})
	assertJSONEqual(t, "template", cdktest.JSON(t, a), cdktest.JSON(t, b))
}

func TestRepositoryName(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{RepositoryName: jsii.String("team-a/web.api_v2")})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"RepositoryName": "team-a/web.api_v2",
	})
}

func TestTokenNameIsAccepted(t *testing.T) {
	stack := cdktest.NewStack(t)
	name := awscdk.NewCfnParameter(stack, jsii.String("Name"), nil).ValueAsString()
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{RepositoryName: name})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"RepositoryName": map[string]any{"Ref": "Name"},
	})
}

func TestScanOnPushCanBeTurnedOff(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{ImageScanOnPush: jsii.Bool(false)})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"ImageScanningConfiguration": map[string]any{"ScanOnPush": false},
	})
}

func TestTagMutabilityExclusions(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{
		TagMutability:           awsecr.TagMutability_IMMUTABLE_WITH_EXCLUSION,
		TagMutabilityExclusions: []string{"latest", "dev-*"},
	})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"ImageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
		"ImageTagMutabilityExclusionFilters": []any{
			map[string]any{"ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": "latest"},
			map[string]any{"ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": "dev-*"},
		},
	})
}

func TestCustomerManagedKey(t *testing.T) {
	stack := cdktest.NewStack(t)
	key := awskms.NewKey(stack, jsii.String("MyKey"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
	repo := ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{EncryptionKey: key})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"EncryptionConfiguration": map[string]any{
			"EncryptionType": "KMS",
			"KmsKey":         map[string]any{"Fn::GetAtt": []any{"MyKey6AB29FA6", "Arn"}},
		},
	})
	if repo.EncryptionKey() == nil || *repo.EncryptionKey().Node().Path() != "Test/MyKey" {
		t.Error("EncryptionKey() does not return the key given")
	}
}

func TestCreatedKeyRotatesAndIsRetained(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{CreateEncryptionKey: jsii.Bool(true)})
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResource("AWS::KMS::Key", map[string]any{
		"Properties":          map[string]any{"EnableKeyRotation": true},
		"DeletionPolicy":      "Retain",
		"UpdateReplacePolicy": "Retain",
	})
	// CT.KMS.PR.3: grants only for AWS resources, in the exact form the
	// control's rule accepts; CDK's statement for the account stays.
	tpl.HasResourceProperties("AWS::KMS::Key", map[string]any{"KeyPolicy": map[string]any{"Statement": []any{
		assertions.Match_ObjectLike(&map[string]any{"Action": "kms:*", "Effect": "Allow"}),
		map[string]any{
			"Sid": "DenyCreateGrantUnlessForAWSResource", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"},
			"Action": "kms:CreateGrant", "Resource": "*",
			"Condition": map[string]any{"BoolIfExists": map[string]any{"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}},
		},
	}}})
	tpl.HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"EncryptionConfiguration": map[string]any{
			"EncryptionType": "KMS",
			"KmsKey":         map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^RepoKey")), "Arn"}},
		},
	})
	if repo.EncryptionKey() == nil || *repo.EncryptionKey().Node().Path() != "Test/Repo/Key" {
		t.Error("EncryptionKey() does not return the created key")
	}
}

// Encryption renders exactly as CDK's own Repository renders the same choice,
// so a stack can switch from awsecr.NewRepository to ecr.NewRepository in
// place: EncryptionConfiguration is create-only, and an explicit AES256
// where CDK wrote none replaces the repository. (CDK's L2 of 2.277 refuses
// KMS_DSSE, which the construct renders itself.)
func TestEncryptionRendersAsCDKsOwnRepository(t *testing.T) {
	for _, tt := range []struct {
		name       string
		encryption func() awsecr.RepositoryEncryption
		withKey    bool
	}{
		{"AES256", awsecr.RepositoryEncryption_AES_256, false},
		{"KMS with the AWS-managed key", awsecr.RepositoryEncryption_KMS, false},
		{"KMS with a customer key", awsecr.RepositoryEncryption_KMS, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			render := func(build func(stack awscdk.Stack, key awskms.IKey)) any {
				stack := cdktest.NewStack(t)
				var key awskms.IKey
				if tt.withKey {
					key = awskms.NewKey(stack, jsii.String("Key"), nil)
				}
				build(stack, key)
				repo := cdktest.Resource(t, cdktest.JSON(t, stack), "AWS::ECR::Repository")
				props, _ := repo["Properties"].(map[string]any)
				return props["EncryptionConfiguration"]
			}
			cdks := render(func(stack awscdk.Stack, key awskms.IKey) {
				awsecr.NewRepository(stack, jsii.String("Repo"), &awsecr.RepositoryProps{Encryption: tt.encryption(), EncryptionKey: key})
			})
			ours := render(func(stack awscdk.Stack, key awskms.IKey) {
				ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{Encryption: tt.encryption(), EncryptionKey: key})
			})
			if !reflect.DeepEqual(cdks, ours) {
				t.Errorf("EncryptionConfiguration\n CDK's %v\n ours  %v", cdks, ours)
			}
			if tt.name == "AES256" && ours != nil {
				t.Errorf("AES256 wrote an EncryptionConfiguration: %v", ours)
			}
		})
	}
}

func TestDestroyWithEmptyOnDelete(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		EmptyOnDelete: jsii.Bool(true),
	})
	cdktest.NewTemplate(t, stack).HasResource("AWS::ECR::Repository", map[string]any{
		"Properties":          map[string]any{"EmptyOnDelete": true},
		"DeletionPolicy":      "Delete",
		"UpdateReplacePolicy": "Delete",
	})
}

func TestDevelopmentPreset(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), ecr.DevelopmentProps())
	want, _ := lifecycle.NewPolicy(lifecycle.StandardDevRules()...)
	cdktest.NewTemplate(t, stack).HasResource("AWS::ECR::Repository", map[string]any{
		"Properties": map[string]any{
			"ImageTagMutability":         "MUTABLE",
			"EmptyOnDelete":              true,
			"ImageScanningConfiguration": map[string]any{"ScanOnPush": true},
			"EncryptionConfiguration":    map[string]any{"EncryptionType": "KMS"},
			"LifecyclePolicy":            map[string]any{"LifecyclePolicyText": want.JSON()},
		},
		"DeletionPolicy": "Delete",
	})
	if repo.LifecyclePolicy().JSON() != want.JSON() {
		t.Errorf("LifecyclePolicy() = %s", repo.LifecyclePolicy())
	}
}

func TestTagsPassThrough(t *testing.T) {
	stack := cdktest.NewStack(t)
	awscdk.Tags_Of(stack).Add(jsii.String("team"), jsii.String("platform"), nil)
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{Tags: map[string]string{"cost-center": "42", "app": "web"}})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"Tags": []any{
			map[string]any{"Key": "app", "Value": "web"},
			map[string]any{"Key": "cost-center", "Value": "42"},
			map[string]any{"Key": "team", "Value": "platform"},
		},
	})
}
