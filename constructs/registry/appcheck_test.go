package registry_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// What a registry holds one of per account and Region, or per prefix, is
// checked at synthesis over the whole app, raw L1 resources included.
func TestTheAppIsCheckedAtSynthesis(t *testing.T) {
	env := &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")}
	for _, tt := range []struct {
		name  string
		build func(app awscdk.App)
		want  string // "" when the app must synthesize
	}{
		{"two registries in a stack", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Test"), nil)
			registry.New(s, jsii.String("Registry"), nil)
			registry.New(s, jsii.String("Second"), &registry.Props{NoRootTemplate: jsii.Bool(true)})
		}, `registry: Test/Second/Scanning: AWS::ECR::RegistryScanningConfiguration: in the same stack already has one at Test/Registry/Scanning; a registry holds one per account and Region; the second Put overwrites the first, and deleting either empties the registry's setting: declare it in one stack`},
		{"a registry policy beside the registry's", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Test"), nil)
			registry.New(s, jsii.String("Registry"), &registry.Props{ReplicationSourceAccounts: []string{"444455556666"}})
			registry.NewPolicy(s, jsii.String("Policy"), &registry.PolicyProps{}).AllowReplicationFrom("444455556666")
		}, `registry: Test/Policy/Resource: AWS::ECR::RegistryPolicy: in the same stack already has one at Test/Registry/Policy/Resource;`},
		{"two registries for one account and Region", func(app awscdk.App) {
			registry.New(awscdk.NewStack(app, jsii.String("First"), &awscdk.StackProps{Env: env}), jsii.String("Registry"), nil)
			registry.New(awscdk.NewStack(app, jsii.String("Second"), &awscdk.StackProps{Env: env}), jsii.String("Registry"), nil)
		}, `registry: Second/Registry/Scanning: AWS::ECR::RegistryScanningConfiguration: in account and Region 111122223333/eu-west-1 already has one at First/Registry/Scanning;`},
		{"a raw L1 scanning configuration in another stack", func(app awscdk.App) {
			registry.New(awscdk.NewStack(app, jsii.String("First"), &awscdk.StackProps{Env: env}), jsii.String("Registry"), nil)
			raw := awscdk.NewStack(app, jsii.String("Raw"), &awscdk.StackProps{Env: env})
			awsecr.NewCfnRegistryScanningConfiguration(raw, jsii.String("Scanning"), &awsecr.CfnRegistryScanningConfigurationProps{ScanType: jsii.String("BASIC"), Rules: []any{}})
		}, `registry: Raw/Scanning: AWS::ECR::RegistryScanningConfiguration: in account and Region 111122223333/eu-west-1 already has one at First/Registry/Scanning;`},
		{"a raw L1 replication configuration before the registry", func(app awscdk.App) {
			raw := awscdk.NewStack(app, jsii.String("Raw"), &awscdk.StackProps{Env: env})
			awsecr.NewCfnReplicationConfiguration(raw, jsii.String("Replication"), &awsecr.CfnReplicationConfigurationProps{ReplicationConfiguration: &awsecr.CfnReplicationConfiguration_ReplicationConfigurationProperty{Rules: []any{}}})
			registry.New(awscdk.NewStack(app, jsii.String("Registry"), &awscdk.StackProps{Env: env}), jsii.String("Registry"), &registry.Props{
				ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{{Region: "eu-central-1"}}}}})
		}, `registry: Registry/Registry/Replication: AWS::ECR::ReplicationConfiguration: in account and Region 111122223333/eu-west-1 already has one at Raw/Replication;`},
		{"a second ROOT template beside the registry's", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Test"), nil)
			registry.New(s, jsii.String("Registry"), nil)
			registry.NewRepositoryCreationTemplate(s, jsii.String("Root"), nil)
		}, `registry: Test/Root/Resource: AWS::ECR::RepositoryCreationTemplate Prefix "ROOT": in the same stack already has one at Test/Registry/RootTemplate/Resource; a registry holds one per prefix; CloudFormation's second create fails`},
		{"a cache rule for the registry's prefix, with a trailing slash", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Test"), nil)
			registry.New(s, jsii.String("Registry"), &registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay}}})
			registry.NewPullThroughCacheRule(s, jsii.String("Quay"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay/", Upstream: registry.UpstreamQuay, NoCreationTemplate: jsii.Bool(true)})
		}, `registry: Test/Quay/Resource: AWS::ECR::PullThroughCacheRule EcrRepositoryPrefix "quay": in the same stack already has one at Test/Registry/PullThroughCache-quay/Resource;`},
		{"two repositories of one name in two stacks of an account and Region, one of them CDK's own", func(app awscdk.App) {
			ecr.NewRepository(awscdk.NewStack(app, jsii.String("Team"), &awscdk.StackProps{Env: env}), jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String("team/web")})
			awsecr.NewRepository(awscdk.NewStack(app, jsii.String("Other"), &awscdk.StackProps{Env: env}), jsii.String("Web"), &awsecr.RepositoryProps{RepositoryName: jsii.String("team/web")})
		}, `ecr: Other/Web/Resource: AWS::ECR::Repository RepositoryName "team/web": in account and Region 111122223333/eu-west-1 already has one at Team/Web/Resource; repository names are unique in an account and Region; CloudFormation's second create fails`},
		{"two public repositories of one name in a stack", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Public"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("us-east-1")}})
			ecr.NewPublicRepository(s, jsii.String("Tools"), &ecr.PublicRepositoryProps{RepositoryName: jsii.String("tools")})
			awsecr.NewCfnPublicRepository(s, jsii.String("Again"), &awsecr.CfnPublicRepositoryProps{RepositoryName: jsii.String("tools")})
		}, `ecr: Public/Again: AWS::ECR::PublicRepository RepositoryName "tools": in the same stack already has one at Public/Tools/Resource; public repository names are unique in an account's public registry; CloudFormation's second create fails`},
		{"two public repositories of one name in two stacks of an account", func(app awscdk.App) {
			pub := &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("us-east-1")}}
			ecr.NewPublicRepository(awscdk.NewStack(app, jsii.String("First"), pub), jsii.String("Tools"), &ecr.PublicRepositoryProps{RepositoryName: jsii.String("tools")})
			ecr.NewPublicRepository(awscdk.NewStack(app, jsii.String("Second"), pub), jsii.String("Tools"), &ecr.PublicRepositoryProps{RepositoryName: jsii.String("tools")})
		}, `ecr: Second/Tools/Resource: AWS::ECR::PublicRepository RepositoryName "tools": in account 111122223333 already has one at First/Tools/Resource; public repository names are unique in an account's public registry; CloudFormation's second create fails`},
		{"an enhanced-scan alert under BASIC registry scanning", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: env})
			registry.New(s, jsii.String("Registry"), nil)
			ecr.NewRepository(s, jsii.String("Web"), nil).OnScanFindings(jsii.String("Findings"), &ecr.ScanFindingsOptions{Enhanced: jsii.Bool(true)})
		}, `ecr: Test/Web/Findings/Resource: Enhanced true: can never fire: the registry scanning at Test/Registry/Scanning is BASIC, and Amazon Inspector sends scan events only under ENHANCED scanning; listen to basic scans (Enhanced false) or make the registry's ScanType ENHANCED`},
		{"a registry-level enhanced alert in another stack of the account and Region", func(app awscdk.App) {
			registry.New(awscdk.NewStack(app, jsii.String("Registry"), &awscdk.StackProps{Env: env}), jsii.String("Registry"), nil)
			ecr.OnRegistryScanFindings(awscdk.NewStack(app, jsii.String("Alerts"), &awscdk.StackProps{Env: env}), jsii.String("Findings"), &ecr.RegistryScanFindingsOptions{Enhanced: jsii.Bool(true)})
		}, `ecr: Alerts/Findings/Resource: Enhanced true: can never fire: the registry scanning at Registry/Registry/Scanning is BASIC`},
		{"a basic-scan alert on a repository that never scans", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Test"), nil)
			ecr.NewRepository(s, jsii.String("Web"), &ecr.RepositoryProps{ImageScanOnPush: jsii.Bool(false)}).OnScanFindings(jsii.String("Findings"), nil)
		}, `ecr: Test/Web/Findings/Resource: ImageScanOnPush false: the alert's repository doesn't scan on push and the app declares no registry scanning for it, so no basic scan runs and the alert can never fire;`},
		{"a basic-scan alert on a repository the registry scans", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: env})
			registry.New(awscdk.NewStack(app, jsii.String("Registry"), &awscdk.StackProps{Env: env}), jsii.String("Registry"), nil)
			ecr.NewRepository(s, jsii.String("Web"), &ecr.RepositoryProps{ImageScanOnPush: jsii.Bool(false)}).OnScanFindings(jsii.String("Findings"), nil)
		}, ""},
		{"an enhanced-scan alert under ENHANCED registry scanning", func(app awscdk.App) {
			s := awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: env})
			registry.New(s, jsii.String("Registry"), &registry.Props{Scanning: &registry.ScanningProps{ScanType: registry.ScanTypeEnhanced}})
			ecr.NewRepository(s, jsii.String("Web"), nil).OnScanFindings(jsii.String("Findings"), &ecr.ScanFindingsOptions{Enhanced: jsii.Bool(true)})
		}, ""},
		{"one name in two Regions", func(app awscdk.App) {
			ecr.NewRepository(awscdk.NewStack(app, jsii.String("Ireland"), &awscdk.StackProps{Env: env}), jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String("team/web")})
			ecr.NewRepository(awscdk.NewStack(app, jsii.String("Frankfurt"), &awscdk.StackProps{Env: &awscdk.Environment{Account: env.Account, Region: jsii.String("eu-central-1")}}), jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String("team/web")})
		}, ""},
		{"registries of environment-agnostic stacks, which may deploy anywhere", func(app awscdk.App) {
			registry.New(awscdk.NewStack(app, jsii.String("First"), nil), jsii.String("Registry"), nil)
			registry.New(awscdk.NewStack(app, jsii.String("Second"), nil), jsii.String("Registry"), nil)
		}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			app := awscdk.NewApp(nil)
			tt.build(app)
			err := cdktest.Panic(t, func() { app.Synth(nil) })
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want == "":
			case err == nil:
				t.Fatal("the app synthesized")
			case !strings.Contains(err.Error(), tt.want):
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// Two apps in one process never see each other's constructs.
func TestTwoAppsAreCheckedApart(t *testing.T) {
	env := &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")}
	for range 2 {
		app := awscdk.NewApp(nil)
		registry.New(awscdk.NewStack(app, jsii.String("Registry"), &awscdk.StackProps{Env: env}), jsii.String("Registry"), nil)
		ecr.NewRepository(awscdk.NewStack(app, jsii.String("Images"), &awscdk.StackProps{Env: env}), jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String("web")})
		if err := cdktest.Panic(t, func() { app.Synth(nil) }); err != nil {
			t.Fatal(err)
		}
	}
}

// A child's logical id depends on its own identity only: listing the same
// prefixes in another order leaves every logical id as it was, and prefixes
// that read alike ("a.b", "a-b") get ids of their own.
func TestLogicalIDsDoNotDependOnOrder(t *testing.T) {
	ids := func(prefixes ...string) []string {
		stack := cdktest.NewStack(t)
		props := &registry.Props{}
		for _, p := range prefixes {
			props.CreationTemplates = append(props.CreationTemplates, registry.RepositoryCreationTemplateProps{Prefix: jsii.String(p)})
			props.PullThroughCacheRules = append(props.PullThroughCacheRules, registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "cache-" + p, Upstream: registry.UpstreamQuay})
		}
		props.PullTimeUpdateExclusions = []string{"arn:aws:iam::111122223333:role/a.b", "arn:aws:iam::111122223333:role/a-b"}
		if prefixes[0] != "a.b" {
			slices.Reverse(props.PullTimeUpdateExclusions)
		}
		registry.New(stack, jsii.String("Registry"), props)
		var out []string
		for id, r := range cdktest.JSON(t, stack)["Resources"].(map[string]any) {
			props, _ := r.(map[string]any)["Properties"].(map[string]any)
			identity := props["Prefix"]
			if identity == nil {
				identity = props["EcrRepositoryPrefix"]
			}
			if identity == nil {
				identity = props["PrincipalArn"]
			}
			if identity != nil {
				out = append(out, id+"="+identity.(string))
			}
		}
		slices.Sort(out)
		return out
	}
	forward, backward := ids("a.b", "a-b"), ids("a-b", "a.b")
	if !slices.Equal(forward, backward) {
		t.Errorf("reordering changed logical ids:\n %v\n %v", forward, backward)
	}
	// ROOT and a.b, a-b: three templates, two cache rules with their two
	// templates, two exclusions, every logical id distinct.
	if len(forward) != 9 {
		t.Errorf("%d resources with an identity, want 9: %v", len(forward), forward)
	}
	// Ids pinned: a prefix of letters, digits and "-" keeps the id earlier
	// releases gave it.
	for _, want := range []string{"RegistryPullThroughCachecacheab"} {
		if !slices.ContainsFunc(forward, func(s string) bool { return strings.HasPrefix(s, want) && strings.HasSuffix(s, "=cache-a-b") }) {
			t.Errorf("no logical id %s… for cache-a-b in %v", want, forward)
		}
	}
}

// Props.Validate finds what New refuses, without a stack.
func TestPropsValidate(t *testing.T) {
	if err := (*registry.Props)(nil).Validate(); err != nil {
		t.Errorf("nil props: %v", err)
	}
	err := (&registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{{Region: "eu-west-9"}}}}}).Validate()
	want := `registry: Props: ReplicationRules[0].Destinations[0].Region "eu-west-9": is not a Region that aws-cdk-go v2.277.0 knows; if it is newer, list it in the context key @secure-ecr/ecr-cdk-go:extraRegions`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// A Region newer than CDK's list passes through the explicit escape.
func TestExtraRegionsContext(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{registry.ExtraRegionsContext: []string{"xx-newregion-1"}}})
	stack := awscdk.NewStack(app, jsii.String("Test"), nil)
	registry.New(stack, jsii.String("Registry"), &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{{Region: "xx-newregion-1"}}}}})
	if !cdktest.Mentions(cdktest.Resource(t, cdktest.JSON(t, stack), "AWS::ECR::ReplicationConfiguration"), `"Region":"xx-newregion-1"`) {
		t.Error("the extra Region was not rendered")
	}
}

// Every props type whose constructor can refuse input has Validate, which
// finds the same problems without a stack.
func TestValidateOfEveryProps(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"template", (&registry.RepositoryCreationTemplateProps{Prefix: jsii.String("Team")}).Validate(),
			`registry: RepositoryCreationTemplateProps: Prefix "Team": must be ROOT or a repository name`},
		{"cache rule", (&registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: "quay.io"}).Validate(),
			`registry: PullThroughCacheRuleProps: Upstream "quay.io": must be`},
		{"policy", (&registry.PolicyProps{Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("ecr:PutImage"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")})}}).Validate(),
			`registry: PolicyProps: Statements[0]`},
	} {
		if tt.err == nil || !strings.HasPrefix(tt.err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %s…", tt.name, tt.err, tt.want)
		}
	}
	for name, err := range map[string]error{
		"nil template":   (*registry.RepositoryCreationTemplateProps)(nil).Validate(),
		"nil policy":     (*registry.PolicyProps)(nil).Validate(),
		"valid template": (&registry.RepositoryCreationTemplateProps{Prefix: jsii.String("team/")}).Validate(),
		"valid rule":     (&registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay}).Validate(),
	} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
