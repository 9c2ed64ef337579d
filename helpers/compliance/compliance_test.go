package compliance_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// result is a synthesized app: whether synthesis failed, and its findings.
type result struct {
	failed   bool
	findings []cdktest.Finding
	err      error
}

// Each level's scenarios share one app, one stack per scenario, so that the
// validation engine is built twice, not once per test.
var (
	standardOnce = sync.OnceValue(func() result {
		return synthesize(compliance.LevelStandard, func(app constructs.Construct) {
			awsecr.NewRepository(awscdk.NewStack(app, jsii.String("Plain"), nil), jsii.String("Repo"), nil)
			ecr.NewRepository(awscdk.NewStack(app, jsii.String("Lib"), nil), jsii.String("Repo"), nil)

			open := ecr.NewRepository(awscdk.NewStack(app, jsii.String("Open"), nil), jsii.String("Repo"), nil)
			open.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
				Actions:    jsii.Strings("ecr:BatchGetImage"),
			}))
			notOrg := ecr.NewRepository(awscdk.NewStack(app, jsii.String("NotOrg"), nil), jsii.String("Repo"), nil)
			notOrg.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
				Actions:    jsii.Strings("ecr:BatchGetImage"),
				Conditions: &map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
			}))
			org := ecr.NewRepository(awscdk.NewStack(app, jsii.String("Org"), nil), jsii.String("Repo"), nil)
			org.GrantPullToOrganization(awsiam.NewOrganizationPrincipal(jsii.String("o-a1b2c3d4e5")))
			org.GrantLambdaPull(awsiam.NewAccountPrincipal(jsii.String("111122223333")))

			scanned := awscdk.NewStack(app, jsii.String("Scanned"), nil)
			registry.New(scanned, jsii.String("Registry"), nil)
			ecr.NewRepository(scanned, jsii.String("Repo"), &ecr.RepositoryProps{ImageScanOnPush: jsii.Bool(false)})
			partly := awscdk.NewStack(app, jsii.String("PartlyScanned"), nil)
			registry.New(partly, jsii.String("Registry"), &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{{RepositoryFilters: []string{"prod*"}}}}})
			ecr.NewRepository(partly, jsii.String("Repo"), &ecr.RepositoryProps{ImageScanOnPush: jsii.Bool(false)})
			ecr.NewRepository(awscdk.NewStack(app, jsii.String("Unscanned"), nil), jsii.String("Repo"), &ecr.RepositoryProps{ImageScanOnPush: jsii.Bool(false)})
			registry.NewRepositoryCreationTemplate(awscdk.NewStack(app, jsii.String("LaxTemplate"), nil), jsii.String("Template"), &registry.RepositoryCreationTemplateProps{
				TagMutability: awsecr.TagMutability_MUTABLE, Encryption: awsecr.RepositoryEncryption_AES_256(), NoLifecyclePolicy: jsii.Bool(true),
			})

			awsecr.NewCfnRepository(awscdk.NewStack(app, jsii.String("Raw"), nil), jsii.String("Repo"), &awsecr.CfnRepositoryProps{
				ImageTagMutability:         jsii.String("IMMUTABLE"),
				ImageScanningConfiguration: &awsecr.CfnRepository_ImageScanningConfigurationProperty{ScanOnPush: jsii.Bool(true)},
				EncryptionConfiguration:    &awsecr.CfnRepository_EncryptionConfigurationProperty{EncryptionType: jsii.String("KMS")},
			})

			// A tag prefix known only at deployment: the policy text is an
			// Fn::Join, which CloudFormation resolves to a string.
			tokens := awscdk.NewStack(app, jsii.String("TokenPrefix"), nil)
			prefix := awscdk.NewCfnParameter(tokens, jsii.String("Prefix"), &awscdk.CfnParameterProps{Type: jsii.String("String")}).ValueAsString()
			ecr.NewRepository(tokens, jsii.String("Repo"), &ecr.RepositoryProps{LifecycleRules: lifecycle.Concat(lifecycle.Protect(*prefix), lifecycle.DeleteUntaggedAfterDays(7))})
			registry.NewRepositoryCreationTemplate(tokens, jsii.String("Template"), &registry.RepositoryCreationTemplateProps{LifecycleRules: lifecycle.Concat(lifecycle.Protect(*prefix), lifecycle.DeleteUntaggedAfterDays(7))})

			public := awscdk.NewStack(app, jsii.String("Public"), nil)
			ecr.NewPublicRepository(public, jsii.String("Lib"), nil)
			awsecr.NewCfnPublicRepository(public, jsii.String("Untagged"), nil)
			awsecr.NewCfnPublicRepository(public, jsii.String("EmptyTags"), nil).AddPropertyOverride(jsii.String("Tags"), []any{})
			awsecr.NewCfnPublicRepository(public, jsii.String("Tagged"), &awsecr.CfnPublicRepositoryProps{
				Tags: &[]*awscdk.CfnTag{{Key: jsii.String("team"), Value: jsii.String("tools")}},
			})
			scopeTagged := awscdk.NewStack(app, jsii.String("ScopeTagged"), nil)
			awscdk.Tags_Of(scopeTagged).Add(jsii.String("team"), jsii.String("tools"), nil)
			awsecr.NewCfnPublicRepository(scopeTagged, jsii.String("Repo"), nil)
		})
	})
	strictOnce = sync.OnceValue(func() result {
		return synthesize(compliance.LevelStrict, func(app constructs.Construct) {
			awsecr.NewRepository(awscdk.NewStack(app, jsii.String("Plain"), nil), jsii.String("Repo"), nil)
			stack := awscdk.NewStack(app, jsii.String("Lib"), nil)
			ecr.NewRepository(stack, jsii.String("AwsKey"), nil)
			ecr.NewRepository(stack, jsii.String("OwnKey"), &ecr.RepositoryProps{CreateEncryptionKey: jsii.Bool(true)})
			registry.NewRepositoryCreationTemplate(stack, jsii.String("AwsKeyTemplate"), nil)
			registry.NewRepositoryCreationTemplate(stack, jsii.String("OwnKeyTemplate"), &registry.RepositoryCreationTemplateProps{
				Prefix: jsii.String("team"), EncryptionKeyArn: jsii.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
			})
			ecr.NewRepository(stack, jsii.String("Dsse"), &ecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_KMS_DSSE(), CreateEncryptionKey: jsii.Bool(true)})
		})
	})
)

// synthesize builds an app with the rule pack at a level and synthesizes it.
func synthesize(level compliance.Level, build func(constructs.Construct)) (res result) {
	dir, err := os.MkdirTemp("", "compliance-")
	if err != nil {
		return result{err: err}
	}
	defer os.RemoveAll(dir)
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir)})
	compliance.Enable(app, &compliance.Options{Level: level})
	build(app)
	func() {
		defer func() { res.failed = recover() != nil }()
		app.Synth(nil)
	}()
	res.findings, res.err = cdktest.ValidationReport(dir)
	return res
}

// get returns a level's result, failing the test if it could not be made.
func get(t *testing.T, once func() result) result {
	t.Helper()
	r := once()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r
}

// rules returns the sorted rule names of the findings about a construct.
func rules(findings []cdktest.Finding, path string) []string {
	var out []string
	for _, f := range findings {
		if f.Path == path && !slices.Contains(out, f.Rule) {
			out = append(out, f.Rule)
		}
	}
	slices.Sort(out)
	return out
}

// A lifecycle policy whose text is an intrinsic function (a tag prefix
// that is a parameter) is a lifecycle policy: no false ECR.3.
func TestTokenTagPrefixIsALifecyclePolicy(t *testing.T) {
	for _, path := range []string{"TokenPrefix/Repo/Resource", "TokenPrefix/Template/Resource"} {
		if got := rules(get(t, standardOnce).findings, path); len(got) > 0 {
			t.Errorf("%s: findings %q, want none", path, got)
		}
	}
}

func TestFindingsFailSynthesis(t *testing.T) {
	if !get(t, standardOnce).failed || !get(t, strictOnce).failed {
		t.Error("synthesis succeeded despite findings")
	}
}

func TestPlainCDKRepositoryIsFlaggedForEachRuleItBreaks(t *testing.T) {
	standard := []string{"CHECKOV_CKV_AWS_136", "CHECKOV_CKV_AWS_163", "CHECKOV_CKV_AWS_51", "SECURITYHUB_ECR_1", "SECURITYHUB_ECR_2", "SECURITYHUB_ECR_3"}
	for level, tt := range map[string]struct {
		once func() result
		want []string
	}{
		"standard": {standardOnce, standard},
		"strict":   {strictOnce, append(slices.Clone(standard), "SECURITYHUB_ECR_5")},
	} {
		r := get(t, tt.once)
		if got := rules(r.findings, "Plain/Repo/Resource"); !slices.Equal(got, tt.want) {
			t.Errorf("%s: flagged %q, want %q", level, got, tt.want)
		}
		// Each finding names its control.
		for _, f := range r.findings {
			control := strings.TrimPrefix(strings.TrimPrefix(f.Rule, "SECURITYHUB_"), "CHECKOV_")
			control = strings.Replace(strings.TrimSuffix(control, "_TEMPLATE"), "ECR_", "ECR.", 1)
			if !strings.Contains(f.Description, control) {
				t.Errorf("%s: %s: description %q does not name %s", level, f.Rule, f.Description, control)
			}
		}
	}
}

func TestLibraryDefaultsPassTheStandardLevel(t *testing.T) {
	if got := rules(get(t, standardOnce).findings, "Lib/Repo/Resource"); len(got) > 0 {
		t.Errorf("the default repository is flagged %q", got)
	}
}

func TestTheStrictLevelNeedsACustomerManagedKey(t *testing.T) {
	r := get(t, strictOnce)
	if got := rules(r.findings, "Lib/AwsKey/Resource"); !slices.Equal(got, []string{"SECURITYHUB_ECR_5"}) {
		t.Errorf("AWS-managed key: flagged %q", got)
	}
	if got := rules(r.findings, "Lib/OwnKey/Resource"); len(got) > 0 {
		t.Errorf("customer-managed key flagged %q", got)
	}
}

func TestDualLayerEncryptionIsNotCheckovKMS(t *testing.T) {
	if got := rules(get(t, strictOnce).findings, "Lib/Dsse/Resource"); !slices.Equal(got, []string{"CHECKOV_CKV_AWS_136"}) {
		t.Errorf("flagged %q; CKV_AWS_136 wants exactly KMS, ECR.5 accepts KMS_DSSE with a key", got)
	}
}

func TestStarPrincipalsNeedAnOrganizationCondition(t *testing.T) {
	r := get(t, standardOnce)
	if got := rules(r.findings, "Open/Repo/Resource"); !slices.Equal(got, []string{"CHECKOV_CKV_AWS_32"}) {
		t.Errorf("open policy flagged %q", got)
	}
	if got := rules(r.findings, "NotOrg/Repo/Resource"); !slices.Equal(got, []string{"CHECKOV_CKV_AWS_32"}) {
		t.Errorf("a StringNotEquals organization condition flagged %q, want CKV_AWS_32: it limits nothing", got)
	}
	if got := rules(r.findings, "Org/Repo/Resource"); len(got) > 0 {
		t.Errorf("organization-limited policy flagged %q", got)
	}
}

func TestRawCloudFormationRepositoriesAreCheckedToo(t *testing.T) {
	if got := rules(get(t, standardOnce).findings, "Raw/Repo"); !slices.Equal(got, []string{"SECURITYHUB_ECR_3"}) {
		t.Errorf("flagged %q, want only the missing lifecycle policy", got)
	}
}

func TestPublicRepositoriesMustBeTagged(t *testing.T) {
	r := get(t, standardOnce)
	for path, want := range map[string][]string{
		"Public/Lib/Resource": nil, // the library's default tag
		"Public/Untagged":     {"SECURITYHUB_ECR_4"},
		"Public/EmptyTags":    {"SECURITYHUB_ECR_4"},
		"Public/Tagged":       nil,
		"ScopeTagged/Repo":    nil, // tags of the stack reach the resource
	} {
		if got := rules(r.findings, path); !slices.Equal(got, want) {
			t.Errorf("%s: flagged %q, want %q", path, got, want)
		}
	}
}

func TestEnableRefusesWhatCannotWork(t *testing.T) {
	t.Run("twice", func(t *testing.T) {
		app := awscdk.NewApp(nil)
		compliance.Enable(app, nil)
		err := cdktest.Panic(t, func() { compliance.Enable(app, nil) })
		if err == nil || err.Error() != "compliance: Enable: app: already has the rule pack; CDK accepts one CloudFormationValidatePlugin per app" {
			t.Errorf("got %v", err)
		}
	})
	t.Run("after stacks, without the flag", func(t *testing.T) {
		app := awscdk.NewApp(nil)
		awscdk.NewStack(app, jsii.String("S"), nil)
		err := cdktest.Panic(t, func() { compliance.Enable(app, nil) })
		if err == nil || !strings.HasPrefix(err.Error(), "compliance: Enable: app: already has 1 children, so the feature flag @aws-cdk/core:validateAgainstDefaultRules can't be set any more; call Enable right after awscdk.NewApp") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("flag false", func(t *testing.T) {
		app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": false}})
		err := cdktest.Panic(t, func() { compliance.Enable(app, nil) })
		if err == nil || err.Error() != "compliance: Enable: @aws-cdk/core:validateAgainstDefaultRules false: is not true, so findings would only be warnings; set it to true" {
			t.Errorf("got %v", err)
		}
	})
	t.Run("after stacks, with the flag", func(t *testing.T) {
		app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true}})
		awscdk.NewStack(app, jsii.String("S"), nil)
		if err := cdktest.Panic(t, func() { compliance.Enable(app, nil) }); err != nil {
			t.Errorf("got %v", err)
		}
	})
	t.Run("unknown level", func(t *testing.T) {
		err := cdktest.Panic(t, func() { compliance.Enable(awscdk.NewApp(nil), &compliance.Options{Level: "paranoid"}) })
		if err == nil || err.Error() != `compliance: Enable: Options.Level "paranoid": must be "standard" or "strict"` {
			t.Errorf("got %v", err)
		}
		var invalid *validation.Error
		if !errors.As(err, &invalid) || invalid.Field != "Options.Level" {
			t.Errorf("%T does not unwrap to the library's *validation.Error", err)
		}
	})
}

// Registry scanning of every repository counts for Security Hub ECR.1
// (not for Checkov's CKV_AWS_163, which looks at the repository alone).
func TestRegistryScanningCountsForECR1(t *testing.T) {
	r := get(t, standardOnce)
	if got := rules(r.findings, "Scanned/Repo/Resource"); !slices.Equal(got, []string{"CHECKOV_CKV_AWS_163"}) {
		t.Errorf("with registry scanning: flagged %q, want only CKV_AWS_163", got)
	}
	for _, path := range []string{"Unscanned/Repo/Resource", "PartlyScanned/Repo/Resource"} {
		if got := rules(r.findings, path); !slices.Equal(got, []string{"CHECKOV_CKV_AWS_163", "SECURITYHUB_ECR_1"}) {
			t.Errorf("%s: flagged %q, want ECR.1 and CKV_AWS_163: no registry scanning of every repository", path, got)
		}
	}
	if got := rules(r.findings, "Scanned/Registry/RootTemplate/Resource"); len(got) > 0 {
		t.Errorf("the registry's ROOT template is flagged %q", got)
	}
}

// Creation templates are held to the repositories' controls.
func TestCreationTemplatesAreChecked(t *testing.T) {
	if got := rules(get(t, standardOnce).findings, "LaxTemplate/Template/Resource"); !slices.Equal(got, []string{"CHECKOV_CKV_AWS_136_TEMPLATE", "SECURITYHUB_ECR_2_TEMPLATE", "SECURITYHUB_ECR_3_TEMPLATE"}) {
		t.Errorf("lax template flagged %q", got)
	}
	r := get(t, strictOnce)
	if got := rules(r.findings, "Lib/AwsKeyTemplate/Resource"); !slices.Equal(got, []string{"SECURITYHUB_ECR_5_TEMPLATE"}) {
		t.Errorf("template with the AWS-managed key flagged %q", got)
	}
	if got := rules(r.findings, "Lib/OwnKeyTemplate/Resource"); len(got) > 0 {
		t.Errorf("template with a customer-managed key flagged %q", got)
	}
}
