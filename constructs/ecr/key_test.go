package ecr_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// warningsOf returns the warnings the stack's synthesis records on the
// construct at path ("/Test/Repo"), as CDK writes them: the message
// followed by "[ack: <id>]".
func warningsOf(t *testing.T, stack awscdk.Stack, path string) []string {
	t.Helper()
	var out []string
	for _, w := range cdktest.Warnings(t, stack) {
		if msg, ok := strings.CutPrefix(w, path+": "); ok {
			out = append(out, msg)
		}
	}
	return out
}

// The keys ECR can use, and whose removal keeps them as long as the
// repository, are accepted, and rendered as the repository's key.
func TestUsableKeysAreAccepted(t *testing.T) {
	for name, build := range map[string]func(stack awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps){
		"symmetric key, retained": func(s awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps) {
			return awskms.NewKey(s, jsii.String("Key"), &awskms.KeyProps{KeySpec: awskms.KeySpec_SYMMETRIC_DEFAULT, KeyUsage: awskms.KeyUsage_ENCRYPT_DECRYPT}), nil
		},
		"key retained on update or delete": func(s awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps) {
			return awskms.NewKey(s, jsii.String("Key"), &awskms.KeyProps{RemovalPolicy: awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE}), nil
		},
		"key destroyed with a destroyed repository": func(s awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps) {
			return awskms.NewKey(s, jsii.String("Key"), &awskms.KeyProps{RemovalPolicy: awscdk.RemovalPolicy_DESTROY}),
				&ecr.RepositoryProps{RemovalPolicy: awscdk.RemovalPolicy_DESTROY, EmptyOnDelete: jsii.Bool(true)}
		},
		"key enabled": func(s awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps) {
			return awskms.NewKey(s, jsii.String("Key"), &awskms.KeyProps{Enabled: jsii.Bool(true)}), nil
		},
		"imported key": func(s awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps) {
			return awskms.Key_FromKeyArn(s, jsii.String("Key"), jsii.String("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")), nil
		},
		"imported key by its alias's ARN": func(s awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps) {
			return awskms.Key_FromKeyArn(s, jsii.String("Key"), jsii.String("arn:aws:kms:eu-west-1:111122223333:alias/team/ecr")), nil
		},
		"imported key known at deployment": func(s awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps) {
			return awskms.Key_FromKeyArn(s, jsii.String("Key"), awscdk.Fn_ImportValue(jsii.String("KeyArn"))), nil
		},
		"imported alias": func(s awscdk.Stack) (awskms.IKey, *ecr.RepositoryProps) {
			return awskms.Alias_FromAliasName(s, jsii.String("Key"), jsii.String("alias/ecr")), nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			stack := cdktest.NewStack(t)
			key, props := build(stack)
			if props == nil {
				props = &ecr.RepositoryProps{}
			}
			props.EncryptionKey = key
			ecr.NewRepository(stack, jsii.String("Repo"), props)
			cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
				"EncryptionConfiguration": map[string]any{"EncryptionType": "KMS", "KmsKey": stack.Resolve(key.KeyArn())},
			})
		})
	}
}

// An alias of this app is checked as the key it names.
func TestAliasOfAnUnusableKeyIsRefused(t *testing.T) {
	stack := cdktest.NewStack(t)
	key := awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{RemovalPolicy: awscdk.RemovalPolicy_DESTROY})
	alias := awskms.NewAlias(stack, jsii.String("Alias"), &awskms.AliasProps{AliasName: jsii.String("alias/images"), TargetKey: key})
	err := cdktest.Panic(t, func() {
		ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{EncryptionKey: alias})
	})
	want := `ecr: Test/Repo: EncryptionKey "Test/Key": is deleted with its stack (DeletionPolicy Delete), but the repository's RemovalPolicy RETAIN keeps the repository: its images would be left encrypted with a deleted key, which nobody can decrypt; give the key RemovalPolicy RETAIN too`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// Validate, which knows no scope, refuses the same keys.
func TestValidateRefusesUnusableKeys(t *testing.T) {
	stack := cdktest.NewStack(t)
	props := &ecr.RepositoryProps{EncryptionKey: awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{Enabled: jsii.Bool(false)})}
	want := `ecr: RepositoryProps: EncryptionKey "Test/Key": is created disabled (Enabled false); ECR can't encrypt or decrypt images with a disabled key: enable it`
	if err := props.Validate(); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// DESTROY without EmptyOnDelete warns on the repository; the development
// preset, which empties the repository, and the default don't.
func TestDestroyWithoutEmptyOnDeleteWarns(t *testing.T) {
	want := "RemovalPolicy DESTROY without EmptyOnDelete: once the repository holds images, deleting it (with its stack, on replacement, or when it is removed from the stack) fails, as ECR deletes only an empty repository; set EmptyOnDelete to delete the images with it, or keep RETAIN [ack: " + ecr.DestroyWithoutEmptyWarning + "]"
	if ecr.DestroyWithoutEmptyWarning != "@secure-ecr/ecr-cdk-go:destroyWithoutEmpty" {
		t.Errorf("id %s", ecr.DestroyWithoutEmptyWarning)
	}
	for name, tt := range map[string]struct {
		props *ecr.RepositoryProps
		warns bool
	}{
		"DESTROY":                      {&ecr.RepositoryProps{RemovalPolicy: awscdk.RemovalPolicy_DESTROY}, true},
		"DESTROY, EmptyOnDelete false": {&ecr.RepositoryProps{RemovalPolicy: awscdk.RemovalPolicy_DESTROY, EmptyOnDelete: jsii.Bool(false)}, true},
		"DESTROY with EmptyOnDelete":   {&ecr.RepositoryProps{RemovalPolicy: awscdk.RemovalPolicy_DESTROY, EmptyOnDelete: jsii.Bool(true)}, false},
		"development preset":           {ecr.DevelopmentProps(), false},
		"default":                      {nil, false},
		"RETAIN_ON_UPDATE_OR_DELETE":   {&ecr.RepositoryProps{RemovalPolicy: awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE}, false},
	} {
		t.Run(name, func(t *testing.T) {
			stack := cdktest.NewStack(t)
			ecr.NewRepository(stack, jsii.String("Repo"), tt.props)
			got := warningsOf(t, stack, "/Test/Repo")
			if slices.Contains(got, want) != tt.warns {
				t.Errorf("warnings %q; want the DESTROY warning: %v", got, tt.warns)
			}
		})
	}
}

// KMS_DSSE in AWS GovCloud (US) is rendered by the construct itself, as
// CDK's own Repository of 2.277 can't (it throws), with the AWS-managed,
// a given or a created key.
func TestDualLayerEncryptionInGovCloud(t *testing.T) {
	gov := func(t *testing.T) awscdk.Stack {
		app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
		return awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("us-gov-west-1")}})
	}
	t.Run("CDK's own Repository throws", func(t *testing.T) {
		stack := gov(t)
		if err := cdktest.Panic(t, func() {
			awsecr.NewRepository(stack, jsii.String("Repo"), &awsecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_KMS_DSSE()})
		}); err == nil {
			t.Log("CDK's Repository now renders KMS_DSSE: the construct could leave it to CDK")
		}
	})
	for name, tt := range map[string]struct {
		props  func(awscdk.Stack) *ecr.RepositoryProps
		kmsKey func(awscdk.Stack) any
	}{
		"AWS-managed key": {
			func(awscdk.Stack) *ecr.RepositoryProps { return &ecr.RepositoryProps{} },
			func(awscdk.Stack) any { return assertions.Match_Absent() },
		},
		"given key": {
			func(s awscdk.Stack) *ecr.RepositoryProps {
				return &ecr.RepositoryProps{EncryptionKey: awskms.NewKey(s, jsii.String("Key"), nil)}
			},
			func(s awscdk.Stack) any {
				return s.Resolve(s.Node().FindChild(jsii.String("Key")).(awskms.IKey).KeyArn())
			},
		},
		"created key": {
			func(awscdk.Stack) *ecr.RepositoryProps {
				return &ecr.RepositoryProps{CreateEncryptionKey: jsii.Bool(true)}
			},
			func(awscdk.Stack) any {
				return map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^RepoKey")), "Arn"}}
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			stack := gov(t)
			props := tt.props(stack)
			props.Encryption = awsecr.RepositoryEncryption_KMS_DSSE()
			ecr.NewRepository(stack, jsii.String("Repo"), props)
			cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
				"EncryptionConfiguration": map[string]any{"EncryptionType": "KMS_DSSE", "KmsKey": tt.kmsKey(stack)},
			})
			if w := warningsOf(t, stack, "/Test/Repo"); len(w) != 0 {
				t.Errorf("warnings %q", w)
			}
		})
	}
}

// KMS_DSSE in a stack whose Region is known only at deployment is rendered,
// with a warning that it works in AWS GovCloud (US) only.
func TestDualLayerEncryptionInAnUnknownRegionWarns(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_KMS_DSSE()})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"EncryptionConfiguration": map[string]any{"EncryptionType": "KMS_DSSE", "KmsKey": assertions.Match_Absent()},
	})
	want := []string{"Encryption KMS_DSSE: dual-layer encryption is only available in the AWS GovCloud (US) Regions, and this stack's Region is known only at deployment; elsewhere ECR refuses to create the repository: give the stack a Region (env), or use KMS [ack: @secure-ecr/ecr-cdk-go:dualLayerRegionUnknown]"}
	if got := warningsOf(t, stack, "/Test/Repo"); !slices.Equal(got, want) {
		t.Errorf("warnings\n got %q\nwant %q", got, want)
	}
}
