package organization_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssigner"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/organization"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/badinput"
)

// A Region CDK's table doesn't know, as NewBaselineStackSet and Validate
// refuse it.
const (
	unknownRegion         = `is not a Region CDK 2.277.0 knows (its Region table): check the name, or, for a Region launched since, list it in the context key "@secure-ecr/ecr-cdk-go:extraRegions" (cdk.json or the app's context)`
	unknownRegionValidate = `is not a Region CDK 2.277.0 knows (its Region table); Validate accepts only those, while NewBaselineStackSet also accepts the Regions listed in the context key "@secure-ecr/ecr-cdk-go:extraRegions"`
	boundFix              = `: build the registry in Baseline with a parameter in its place (awscdk.NewCfnParameter, its ValueAsString), valued by Parameters and ParameterOverrides, or use a token`
)

// badProps is one invalid set of props and the problem both
// NewBaselineStackSet and Validate find, without the path.
type badProps struct {
	name  string
	props *organization.BaselineStackSetProps
	want  string
	// validate is what Validate finds when it differs from want.
	validate string
}

// badPropsRows are the invalid props that both NewBaselineStackSet and
// Validate refuse.
func badPropsRows() []badProps {
	with := func(change func(p *organization.BaselineStackSetProps)) *organization.BaselineStackSetProps {
		p := props(repositories(1))
		change(p)
		return p
	}
	prefs := func(o organization.OperationPreferences) *organization.BaselineStackSetProps {
		return with(func(p *organization.BaselineStackSetProps) { p.OperationPreferences = &o })
	}
	reg := func(r registry.Props) *organization.BaselineStackSetProps {
		return with(func(p *organization.BaselineStackSetProps) { p.Baseline, p.Registry = nil, &r })
	}
	overrides := func(o ...organization.ParameterOverride) *organization.BaselineStackSetProps {
		return with(func(p *organization.BaselineStackSetProps) { p.ParameterOverrides = o })
	}
	const (
		secret  = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
		key     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		role    = "arn:aws:iam::111122223333:role/ecr-templates"
		profile = "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/release"
		scanner = "arn:aws:iam::111122223333:role/scanner"
	)
	// objects is a stack of an app of its own, holding the CDK objects the
	// rows give instead of ARNs.
	objects := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Objects"), nil)
	threeRegions := "but the stack set deploys the baseline to every account of its organizational units in 3 Regions" + boundFix
	return []badProps{
		{"no baseline", with(func(p *organization.BaselineStackSetProps) { p.Baseline = nil }),
			"Registry: is required: the registry baseline every account and Region gets (or a Baseline function)", ""},
		{"both a registry and a baseline", with(func(p *organization.BaselineStackSetProps) { p.Registry = &registry.Props{} }),
			"Baseline: can't be combined with Registry: give the registry's props or a function that builds the stack", ""},
		{"stack set name with a space", with(func(p *organization.BaselineStackSetProps) { p.StackSetName = jsii.String("registry baseline") }),
			`StackSetName "registry baseline": must be a letter followed by up to 127 letters, digits and hyphens`, ""},
		{"stack set name starting with a digit", with(func(p *organization.BaselineStackSetProps) { p.StackSetName = jsii.String("1baseline") }),
			`StackSetName "1baseline": must be a letter followed by up to 127 letters, digits and hyphens`, ""},
		{"empty description", with(func(p *organization.BaselineStackSetProps) { p.Description = jsii.String("") }),
			`Description "(0 characters)": must be 1 to 1024 characters`, ""},
		{"no organizational unit", with(func(p *organization.BaselineStackSetProps) { p.OrganizationalUnits = nil }),
			"OrganizationalUnits: needs at least one entry", ""},
		{"an account ID as an OU", with(func(p *organization.BaselineStackSetProps) { p.OrganizationalUnits = []string{"111122223333"} }),
			`OrganizationalUnits[0] "111122223333": must be an organizational unit ID such as "ou-ab12-11111111" or the root ID such as "r-ab12"`, ""},
		{"an OU path instead of an ID", with(func(p *organization.BaselineStackSetProps) {
			p.OrganizationalUnits = []string{"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"}
		}), `OrganizationalUnits[0] "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/": must be an organizational unit ID such as "ou-ab12-11111111" or the root ID such as "r-ab12"`, ""},
		{"a root ID in capitals", with(func(p *organization.BaselineStackSetProps) { p.OrganizationalUnits = []string{"R-AB12"} }),
			`OrganizationalUnits[0] "R-AB12": must be an organizational unit ID such as "ou-ab12-11111111" or the root ID such as "r-ab12"`, ""},
		{"an OU twice", with(func(p *organization.BaselineStackSetProps) {
			p.OrganizationalUnits = []string{"ou-ab12-11111111", "ou-ab12-11111111"}
		}), `OrganizationalUnits[1] "ou-ab12-11111111": is listed twice; entries must be unique`, ""},
		{"a short account to leave out", with(func(p *organization.BaselineStackSetProps) { p.ExcludeAccounts = []string{"12345"} }),
			`ExcludeAccounts[0] "12345": must be a 12-digit AWS account ID`, ""},
		{"no Region", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{} }),
			"Regions: needs at least one entry", ""},
		{"an availability zone as a Region", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{"eu-west-1a"} }),
			`Regions[0] "eu-west-1a": must be a Region name such as "eu-west-1"`, ""},
		{"an unknown partition", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{"xx-west-1"} }),
			`Regions[0] "xx-west-1": ` + unknownRegion, `Regions[0] "xx-west-1": ` + unknownRegionValidate},
		{"a Region twice", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{"eu-west-1", "eu-west-1"} }),
			`Regions[1] "eu-west-1": is listed twice; entries must be unique`, ""},
		{"unknown CallAs", with(func(p *organization.BaselineStackSetProps) { p.CallAs = "ADMIN" }),
			`CallAs "ADMIN": must be SELF or DELEGATED_ADMIN`, ""},
		{"empty parameter name", with(func(p *organization.BaselineStackSetProps) { p.Parameters = map[string]string{"": "x"} }),
			`Parameters "": a parameter name must not be empty`, ""},
		{"unknown Region concurrency", prefs(organization.OperationPreferences{RegionConcurrency: "ALL"}),
			`OperationPreferences.RegionConcurrency "ALL": must be SEQUENTIAL or PARALLEL`, ""},
		{"unknown concurrency mode", prefs(organization.OperationPreferences{ConcurrencyMode: "LOOSE"}),
			`OperationPreferences.ConcurrencyMode "LOOSE": must be STRICT_FAILURE_TOLERANCE or SOFT_FAILURE_TOLERANCE`, ""},
		{"a Region order beyond the Regions", prefs(organization.OperationPreferences{RegionOrder: []string{"eu-west-1", "eu-central-1"}}),
			`OperationPreferences.RegionOrder[1] "eu-central-1": must be one of Regions`, ""},
		{"count and percentage of concurrency", prefs(organization.OperationPreferences{MaxConcurrentCount: intp(2), MaxConcurrentPercentage: intp(20)}),
			`OperationPreferences.MaxConcurrentCount 2: can't be combined with MaxConcurrentPercentage: give a count or a percentage`, ""},
		{"count and percentage of tolerance", prefs(organization.OperationPreferences{FailureToleranceCount: intp(1), FailureTolerancePercentage: intp(5)}),
			`OperationPreferences.FailureToleranceCount 1: can't be combined with FailureTolerancePercentage: give a count or a percentage`, ""},
		{"no concurrency", prefs(organization.OperationPreferences{MaxConcurrentCount: intp(0)}),
			`OperationPreferences.MaxConcurrentCount 0: must be at least 1`, ""},
		{"concurrency over 100%", prefs(organization.OperationPreferences{MaxConcurrentPercentage: intp(150)}),
			`OperationPreferences.MaxConcurrentPercentage 150: must be 1 to 100`, ""},
		{"negative tolerance", prefs(organization.OperationPreferences{FailureToleranceCount: intp(-1)}),
			`OperationPreferences.FailureToleranceCount -1: must be 0 or more`, ""},
		{"tolerance over 100%", prefs(organization.OperationPreferences{FailureTolerancePercentage: intp(101)}),
			`OperationPreferences.FailureTolerancePercentage 101: must be 0 to 100`, ""},
		{"strict with more concurrency than tolerance allows", prefs(organization.OperationPreferences{
			ConcurrencyMode: organization.ConcurrencyModeStrict, MaxConcurrentCount: intp(5), FailureToleranceCount: intp(1),
		}), `OperationPreferences.MaxConcurrentCount 5: may be at most FailureToleranceCount + 1 (2) with ConcurrencyModeStrict`, ""},

		// Regions CDK doesn't know, and of two partitions.
		{"a Region beyond CDK's table", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{"eu-west-1", "eu-west-9"} }),
			`Regions[1] "eu-west-9": ` + unknownRegion, `Regions[1] "eu-west-9": ` + unknownRegionValidate},
		{"a made-up Region", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{"eu-frankfurt-1"} }),
			`Regions[0] "eu-frankfurt-1": ` + unknownRegion, `Regions[0] "eu-frankfurt-1": ` + unknownRegionValidate},
		{"Regions of two partitions", with(func(p *organization.BaselineStackSetProps) {
			p.Regions = []string{"eu-west-1", "us-east-1", "cn-north-1"}
		}),
			`Regions[2] "cn-north-1": is in partition aws-cn, but Regions[0] "eu-west-1" is in aws: a stack set deploys within its own partition; make one stack set per partition, each in a stack of that partition`, ""},

		// A registry baseline that replicates to itself.
		{"replication to the instance's own Region", reg(registry.Props{ReplicationRules: []registry.ReplicationRule{{
			Destinations: []registry.ReplicationDestination{{Region: "eu-west-1", Account: jsii.String("999988887777")}, {Region: "eu-west-1"}},
		}}}), `Registry.ReplicationRules[0].Destinations[1].Region "eu-west-1": is one of Regions and the destination has no Account (the registry's own), so the stack instance of eu-west-1 would replicate to itself: give the destination an Account (a central account, left out with ExcludeAccounts), or deploy the stack set to Regions without eu-west-1`, ""},

		// ARNs of one account or Region in a baseline of many.
		{"a pull-through cache secret", reg(registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, CredentialArn: jsii.String(secret),
		}}}), `Registry.PullThroughCacheRules[0].CredentialArn "` + secret + `": is bound to account 111122223333 and Region eu-west-1 (ECR reads a pull-through cache rule's secret in the rule's own account and Region), ` + threeRegions, ""},
		{"a creation template's key and role", reg(registry.Props{RootTemplate: &registry.RepositoryCreationTemplateProps{
			EncryptionKeyArn: jsii.String(key), CustomRoleArn: jsii.String(role),
		}}), `Registry.RootTemplate.EncryptionKeyArn "` + key + `": is bound to account 111122223333 and Region eu-west-1 (a KMS key belongs to one account and Region), ` + threeRegions + `; ` +
			`organization: PATH: Registry.RootTemplate.CustomRoleArn "` + role + `": is bound to account 111122223333 (ECR assumes the role in the registry's own account), ` + threeRegions, ""},
		{"a key in the only Region", with(func(p *organization.BaselineStackSetProps) {
			p.Baseline, p.Regions = nil, []string{"eu-west-1"}
			p.Registry = &registry.Props{CreationTemplates: []registry.RepositoryCreationTemplateProps{{Prefix: jsii.String("team"), EncryptionKeyArn: jsii.String(key)}}}
		}), `Registry.CreationTemplates[0].EncryptionKeyArn "` + key + `": is bound to account 111122223333 and Region eu-west-1 (a KMS key belongs to one account and Region), but the stack set deploys the baseline to every account of its organizational units in 1 Region` + boundFix, ""},
		{"a pull-through cache rule's template key", reg(registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay, CreationTemplate: &registry.RepositoryCreationTemplateProps{EncryptionKeyArn: jsii.String(key)},
		}}}), `Registry.PullThroughCacheRules[0].CreationTemplate.EncryptionKeyArn "` + key + `": is bound to account 111122223333 and Region eu-west-1 (a KMS key belongs to one account and Region), ` + threeRegions, ""},
		{"an ECR upstream's role", reg(registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: "central", Upstream: registry.UpstreamECR, UpstreamRegistryUrl: jsii.String("999988887777.dkr.ecr.eu-west-1.amazonaws.com"), CustomRoleArn: jsii.String(role),
		}}}), `Registry.PullThroughCacheRules[0].CustomRoleArn "` + role + `": is bound to account 111122223333 (ECR assumes the role in the registry's own account), ` + threeRegions, ""},
		{"a signing profile", reg(registry.Props{SigningRules: []registry.SigningRule{{SigningProfileArn: jsii.String(profile)}}}),
			`Registry.SigningRules[0].SigningProfileArn "` + profile + `": is bound to account 111122223333 and Region eu-west-1 (an AWS Signer profile belongs to one account and Region, and each registry signs with a profile of its own), ` + threeRegions, ""},
		{"a secret object", reg(registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, Credential: awssecretsmanager.Secret_FromSecretCompleteArn(objects, jsii.String("Secret"), jsii.String(secret)),
		}}}), `Registry.PullThroughCacheRules[0].Credential: is a CDK object, which the baseline, synthesized in an app of its own, can't reference: give its ARN field (CredentialArn) a parameter (awscdk.NewCfnParameter in Baseline, valued by Parameters and ParameterOverrides)`, ""},
		{"a signing profile object", reg(registry.Props{SigningRules: []registry.SigningRule{{
			SigningProfile: awssigner.SigningProfile_FromSigningProfileAttributes(objects, jsii.String("Profile"), &awssigner.SigningProfileAttributes{SigningProfileName: jsii.String("release"), SigningProfileVersion: jsii.String("v1")}),
		}}}), `Registry.SigningRules[0].SigningProfile: is a CDK object, which the baseline, synthesized in an app of its own, can't reference: give its ARN field (SigningProfileArn) a parameter (awscdk.NewCfnParameter in Baseline, valued by Parameters and ParameterOverrides)`, ""},
		{"a pull-time update exclusion", reg(registry.Props{PullTimeUpdateExclusions: []string{scanner}}),
			`Registry.PullTimeUpdateExclusions[0] "` + scanner + `": is bound to account 111122223333 (an IAM principal belongs to one account), ` + threeRegions, ""},

		// Parameter overrides.
		{"an override of an OU the stack set doesn't target", overrides(organization.ParameterOverride{
			OrganizationalUnits: []string{"ou-ab12-33333333"}, Parameters: map[string]string{"Secret": "x"},
		}), `ParameterOverrides[0].OrganizationalUnits[0] "ou-ab12-33333333": must be one of OrganizationalUnits: an override applies to whole organizational units the stack set targets`, ""},
		{"an OU in two overrides", overrides(
			organization.ParameterOverride{OrganizationalUnits: []string{"ou-ab12-11111111"}, Parameters: map[string]string{"Secret": "x"}},
			organization.ParameterOverride{OrganizationalUnits: []string{"ou-ab12-22222222", "ou-ab12-11111111"}, Parameters: map[string]string{"Secret": "y"}},
		), `ParameterOverrides[1].OrganizationalUnits[1] "ou-ab12-11111111": is in ParameterOverrides[0] too: CloudFormation associates an organizational unit with one set of parameter values; merge the two`, ""},
		{"an OU twice in an override", overrides(organization.ParameterOverride{
			OrganizationalUnits: []string{"ou-ab12-11111111", "ou-ab12-11111111"}, Parameters: map[string]string{"Secret": "x"},
		}), `ParameterOverrides[0].OrganizationalUnits[1] "ou-ab12-11111111": is listed twice; entries must be unique`, ""},
		{"an override without OUs or values", overrides(organization.ParameterOverride{}),
			`ParameterOverrides[0].OrganizationalUnits: needs at least one entry: the organizational units that get these values; organization: PATH: ParameterOverrides[0].Parameters: needs at least one value`, ""},
		{"an override with an empty parameter name", overrides(organization.ParameterOverride{
			OrganizationalUnits: []string{"ou-ab12-11111111"}, Parameters: map[string]string{"": "x"},
		}), `ParameterOverrides[0].Parameters "": a parameter name must not be empty`, ""},
	}
}

// Every invalid prop is refused before anything is added to the tree, one
// line per problem naming the path, the field, the value and the rule.
func TestBadInputIsRefused(t *testing.T) {
	var cases []badinput.Case
	for _, row := range badPropsRows() {
		cases = append(cases, badinput.Case{
			Name: row.name,
			Call: func(stack awscdk.Stack, _ any) {
				organization.NewBaselineStackSet(stack, jsii.String("Registries"), row.props)
			},
			Want: "organization: Test/Registries: " + strings.ReplaceAll(row.want, "PATH", "Test/Registries"),
		})
	}
	withContext := func(v any) func(testing.TB) awscdk.Stack {
		return func(t testing.TB) awscdk.Stack {
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), Context: &map[string]any{registry.ExtraRegionsContext: v}})
			return awscdk.NewStack(app, jsii.String("Test"), nil)
		}
	}
	newRegion := func(regions ...string) func(awscdk.Stack, any) {
		return func(stack awscdk.Stack, _ any) {
			p := props(repositories(1))
			p.Regions = regions
			organization.NewBaselineStackSet(stack, jsii.String("Registries"), p)
		}
	}
	withParameter := func(o organization.ParameterOverride) func(awscdk.Stack, any) {
		return func(stack awscdk.Stack, _ any) {
			p := props(func(s awscdk.Stack) {
				awscdk.NewCfnParameter(s, jsii.String("Secret"), &awscdk.CfnParameterProps{Type: jsii.String("String"), Default: jsii.String("none")})
				ecr.NewRepository(s, jsii.String("Repo"), nil)
			})
			p.ParameterOverrides = []organization.ParameterOverride{o}
			organization.NewBaselineStackSet(stack, jsii.String("Registries"), p)
		}
	}
	cases = append(cases,
		// Only NewBaselineStackSet reads the context, and the baseline.
		badinput.Case{Name: "extra Regions as a string", Stack: withContext("eu-west-9"), Call: newRegion("eu-west-9"),
			Want: `organization: Test/Registries: context @secure-ecr/ecr-cdk-go:extraRegions "eu-west-9": must be a list of Region names, such as ["eu-west-9"]; ` +
				`organization: Test/Registries: Regions[0] "eu-west-9": ` + unknownRegion},
		badinput.Case{Name: "an extra Region that isn't a name", Stack: withContext([]any{"eu-west-9", "eu west 10"}), Call: newRegion("eu-west-9"),
			Want: `organization: Test/Registries: context @secure-ecr/ecr-cdk-go:extraRegions[1] "eu west 10": must be a Region name such as "eu-west-9"`},
		badinput.Case{Name: "an extra Region of another partition", Stack: withContext([]any{"cn-west-9"}), Call: newRegion("eu-west-1", "cn-west-9"),
			Want: `organization: Test/Registries: Regions[1] "cn-west-9": is in partition aws-cn, but Regions[0] "eu-west-1" is in aws: a stack set deploys within its own partition; make one stack set per partition, each in a stack of that partition`},
		badinput.Case{Name: "an override of a parameter the baseline lacks", Call: withParameter(organization.ParameterOverride{
			OrganizationalUnits: []string{"ou-ab12-11111111"}, Parameters: map[string]string{"Secret": "x", "Token": "y"},
		}), Want: `organization: Test/Registries: ParameterOverrides[0].Parameters "Token": is not a parameter of the baseline, which declares ["Secret"]`},
	)
	badinput.Run(t, cases)
}

// Validate finds the same problems as NewBaselineStackSet, under the
// props' name, without building anything.
func TestValidateRefusesBadInput(t *testing.T) {
	for _, row := range badPropsRows() {
		t.Run(row.name, func(t *testing.T) {
			want := row.want
			if row.validate != "" {
				want = row.validate
			}
			want = "organization: BaselineStackSetProps: " + strings.ReplaceAll(want, "PATH", "BaselineStackSetProps")
			err := row.props.Validate()
			if err == nil || err.Error() != want {
				t.Fatalf("got  %v\nwant %s", err, want)
			}
			var invalid *validation.Error
			if !errors.As(err, &invalid) {
				t.Errorf("%T is not the library's validation error", err)
			}
		})
	}
}

func TestValidateAcceptsValidProps(t *testing.T) {
	for name, p := range map[string]*organization.BaselineStackSetProps{
		"a baseline":  props(repositories(1)),
		"a registry":  {Registry: &registry.Props{}, OrganizationalUnits: []string{"r-ab12"}, Regions: []string{"eu-west-1"}},
		"token ARNs":  {Registry: &registry.Props{SigningRules: []registry.SigningRule{{SigningProfileArn: awscdk.Fn_ImportValue(jsii.String("Profile"))}}}, OrganizationalUnits: []string{"r-ab12"}, Regions: []string{"eu-west-1", "us-east-1"}},
		"GovCloud":    {Registry: &registry.Props{}, OrganizationalUnits: []string{"r-ab12"}, Regions: []string{"us-gov-west-1", "us-gov-east-1"}},
		"a token OU":  {Baseline: repositories(1), OrganizationalUnits: []string{*awscdk.Fn_ImportValue(jsii.String("OU"))}, Regions: []string{"eu-west-1"}},
		"replication": {Registry: &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{{Region: "eu-central-1"}}}}}, OrganizationalUnits: []string{"r-ab12"}, Regions: []string{"eu-west-1"}},
	} {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	var none *organization.BaselineStackSetProps
	if err := none.Validate(); err == nil {
		t.Error("nil props (no baseline, no targets) were accepted")
	}
}

// A Region newer than CDK's table is accepted when the context lists it.
func TestExtraRegionsFromContext(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), Context: &map[string]any{registry.ExtraRegionsContext: []string{"eu-west-9"}}})
	stack := awscdk.NewStack(app, jsii.String("Test"), nil)
	p := props(repositories(1))
	p.Regions = []string{"eu-west-1", "eu-west-9"}
	organization.NewBaselineStackSet(stack, jsii.String("Registries"), p)
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::CloudFormation::StackSet", map[string]any{
		"StackInstancesGroup": []any{map[string]any{
			"DeploymentTargets": map[string]any{"OrganizationalUnitIds": []any{"ou-ab12-11111111", "ou-ab12-22222222"}},
			"Regions":           []any{"eu-west-1", "eu-west-9"},
		}},
	})
	if err := p.Validate(); err == nil {
		t.Error("Validate, which has no context, accepted eu-west-9")
	}
}

// An id already taken, and a missing scope, are refused like the library's
// other constructs refuse them.
func TestScopeAndID(t *testing.T) {
	stack := cdktest.NewStack(t)
	awscdk.NewStack(stack.Node().Scope().(awscdk.App), jsii.String("Other"), nil)
	organization.NewBaselineStackSet(stack, jsii.String("Registries"), props(repositories(1)))
	err := cdktest.Panic(t, func() { organization.NewBaselineStackSet(stack, jsii.String("Registries"), props(repositories(1))) })
	if want := `organization: Test/Registries: id "Registries": is already taken in "Test"; construct ids must be unique among siblings`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	err = cdktest.Panic(t, func() {
		organization.NewBaselineStackSet(awscdk.Stage_Of(stack), jsii.String("Registries"), props(repositories(1)))
	})
	if want := `organization: Registries: scope: must be a Stack or a construct inside one, not the App`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	err = cdktest.Panic(t, func() { organization.NewBaselineStackSet(nil, jsii.String("Registries"), props(repositories(1))) })
	if want := `organization: Registries: scope: must not be nil`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
