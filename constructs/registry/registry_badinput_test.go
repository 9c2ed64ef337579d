package registry_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssigner"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/badinput"
)

// newRegistry returns a case that creates a registry "Registry" with the props.
func newRegistry(name string, p *registry.Props, want string) badinput.Case {
	return badinput.Case{Name: name, Call: func(stack awscdk.Stack, _ any) {
		registry.New(stack, jsii.String("Registry"), p)
	}, Want: want}
}

// onRegistry returns a case that calls a method of a registry "Registry".
func onRegistry(name string, p *registry.Props, call func(registry.Registry), want string) badinput.Case {
	return badinput.Case{
		Name:  name,
		Setup: func(stack awscdk.Stack) any { return registry.New(stack, jsii.String("Registry"), p) },
		Call:  func(_ awscdk.Stack, r any) { call(r.(registry.Registry)) },
		Want:  want,
	}
}

// template returns a case that creates a creation template "Template".
func template(name string, p *registry.RepositoryCreationTemplateProps, want string) badinput.Case {
	return badinput.Case{Name: name, Call: func(stack awscdk.Stack, _ any) {
		registry.NewRepositoryCreationTemplate(stack, jsii.String("Template"), p)
	}, Want: want}
}

// cache returns a case that creates a pull-through cache rule "Cache".
func cache(name string, p *registry.PullThroughCacheRuleProps, want string) badinput.Case {
	return badinput.Case{Name: name, Call: func(stack awscdk.Stack, _ any) {
		registry.NewPullThroughCacheRule(stack, jsii.String("Cache"), p)
	}, Want: want}
}

// inEnv returns a stack factory for the account and Region.
func inEnv(account, region string) func(testing.TB) awscdk.Stack {
	return func(t testing.TB) awscdk.Stack {
		app := awscdk.NewApp(nil)
		return awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}})
	}
}

// usKey is a KMS key of us-east-1.
const usKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

const (
	dockerSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
	profileArn   = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/images"
)

// dest is a replication destination in another Region of the account.
func dest(region string) registry.ReplicationDestination {
	return registry.ReplicationDestination{Region: region}
}

// objects are CDK objects imported from ARNs, for the props that take an
// object instead of its ARN.
type objects struct {
	secret  awssecretsmanager.ISecret
	role    awsiam.IRole
	key     awskms.IKey
	profile awssigner.ISigningProfile
}

// withObjects returns a case whose props, made by props from objects
// imported in Setup, go to the constructor their type names: a pull-through
// cache rule "Cache", a creation template "Template" or a registry
// "Registry".
func withObjects(name string, props func(objects) any, want string) badinput.Case {
	return badinput.Case{
		Name: name,
		Setup: func(stack awscdk.Stack) any {
			return props(objects{
				secret:  awssecretsmanager.Secret_FromSecretCompleteArn(stack, jsii.String("Secret"), jsii.String(dockerSecret)),
				role:    awsiam.Role_FromRoleArn(stack, jsii.String("Role"), jsii.String("arn:aws:iam::123456789012:role/imported"), nil),
				key:     awskms.Key_FromKeyArn(stack, jsii.String("Key"), jsii.String(usKey)),
				profile: awssigner.SigningProfile_FromSigningProfileAttributes(stack, jsii.String("Profile"), &awssigner.SigningProfileAttributes{SigningProfileName: jsii.String("images"), SigningProfileVersion: jsii.String("v1")}),
			})
		},
		Call: func(stack awscdk.Stack, p any) {
			switch p := p.(type) {
			case *registry.PullThroughCacheRuleProps:
				registry.NewPullThroughCacheRule(stack, jsii.String("Cache"), p)
			case *registry.RepositoryCreationTemplateProps:
				registry.NewRepositoryCreationTemplate(stack, jsii.String("Template"), p)
			case *registry.Props:
				registry.New(stack, jsii.String("Registry"), p)
			}
		},
		Want: want,
	}
}

// badInputs is the bad-input surface of the registry constructs.
func badInputs() []badinput.Case {
	many := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	var rules11 []registry.ReplicationRule
	for i := range 11 {
		rules11 = append(rules11, registry.ReplicationRule{Destinations: []registry.ReplicationDestination{{Region: "eu-west-1", Account: jsii.String(fmt.Sprintf("1111222233%02d", i))}}})
	}
	var dests26 []registry.ReplicationDestination
	for i := range 26 {
		dests26 = append(dests26, registry.ReplicationDestination{Region: "eu-west-1", Account: jsii.String(fmt.Sprintf("1111222233%02d", i))})
	}
	var signing11 []registry.SigningRule
	for range 11 {
		signing11 = append(signing11, registry.SigningRule{SigningProfileArn: jsii.String(profileArn)})
	}
	return []badinput.Case{
		// The registry itself.
		{Name: "registry with a nil scope", Call: func(awscdk.Stack, any) { registry.New(nil, jsii.String("Registry"), nil) },
			Want: `registry: Registry: scope: must not be nil`},

		// Scanning.
		newRegistry("unknown scan type", &registry.Props{Scanning: &registry.ScanningProps{ScanType: "DEEP"}}, `registry: Test/Registry: Scanning.ScanType "DEEP": must be BASIC or ENHANCED`),
		newRegistry("continuous basic scanning", &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{{Frequency: registry.ScanFrequencyContinuous}}}}, `registry: Test/Registry: Scanning.Rules[0].Frequency "CONTINUOUS_SCAN": BASIC scanning only scans on push; continuous scanning needs ScanType ENHANCED`),
		newRegistry("manual scanning", &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{{Frequency: "MANUAL"}}}}, `registry: Test/Registry: Scanning.Rules[0].Frequency "MANUAL": must be SCAN_ON_PUSH or CONTINUOUS_SCAN`),
		newRegistry("three scanning rules", &registry.Props{Scanning: &registry.ScanningProps{ScanType: registry.ScanTypeEnhanced, Rules: []registry.ScanningRule{{}, {Frequency: registry.ScanFrequencyContinuous}, {}}}}, `registry: Test/Registry: Scanning.Rules "(3 rules)": a registry takes at most 2 scanning rules, one per frequency; registry: Test/Registry: Scanning.Rules[2].Frequency "SCAN_ON_PUSH": another rule already has this frequency; put its filters in one rule`),
		newRegistry("no scanning rules", &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{}}}, `registry: Test/Registry: Scanning.Rules "(0 rules)": must hold at least one rule; to scan nothing, set NoScanning`),
		newRegistry("two on-push rules", &registry.Props{Scanning: &registry.ScanningProps{ScanType: registry.ScanTypeEnhanced, Rules: []registry.ScanningRule{{RepositoryFilters: []string{"prod*"}}, {RepositoryFilters: []string{"dev*"}}}}}, `registry: Test/Registry: Scanning.Rules[1].Frequency "SCAN_ON_PUSH": another rule already has this frequency; put its filters in one rule`),
		newRegistry("scan filter in capitals", &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{{RepositoryFilters: []string{"Prod*"}}}}}, `registry: Test/Registry: Scanning.Rules[0].RepositoryFilters[0] "Prod*": must be lowercase letters, digits, . _ - / and the * wildcard, starting and ending with a letter, digit or *, matching ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`),
		newRegistry("scan filter ending in a dash", &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{{RepositoryFilters: []string{"prod-"}}}}}, `registry: Test/Registry: Scanning.Rules[0].RepositoryFilters[0] "prod-": must be lowercase letters, digits, . _ - / and the * wildcard, starting and ending with a letter, digit or *, matching ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`),
		newRegistry("scan filter too long", &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{{RepositoryFilters: []string{strings.Repeat("a", 256)}}}}}, `registry: Test/Registry: Scanning.Rules[0].RepositoryFilters[0] "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be 1 to 255 characters long, not 256`),
		newRegistry("101 scan filters", &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{{RepositoryFilters: many(101, func(i int) string { return fmt.Sprintf("team%d*", i) })}}}}, `registry: Test/Registry: Scanning.Rules[0].RepositoryFilters "(101 filters)": takes at most 100 filters`),
		newRegistry("scan filter twice", &registry.Props{Scanning: &registry.ScanningProps{Rules: []registry.ScanningRule{{RepositoryFilters: []string{"prod*", "prod*"}}}}}, `registry: Test/Registry: Scanning.Rules[0].RepositoryFilters[1] "prod*": is listed twice`),
		newRegistry("scanning and no scanning", &registry.Props{NoScanning: jsii.Bool(true), Scanning: &registry.ScanningProps{}}, `registry: Test/Registry: NoScanning true: can't be combined with Scanning`),

		// Creation templates.
		template("template prefix with capitals", &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("Team")}, `registry: Test/Template: Prefix "Team": must be ROOT or a repository name with an optional trailing "/", matching ^(?:(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$`),
		template("template prefix with a leading slash", &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("/team")}, `registry: Test/Template: Prefix "/team": must be ROOT or a repository name with an optional trailing "/", matching ^(?:(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$`),
		template("template prefix too long", &registry.RepositoryCreationTemplateProps{Prefix: jsii.String(strings.Repeat("a", 257))}, `registry: Test/Template: Prefix "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be 1 to 256 characters long, not 257`),
		template("template prefix empty", &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("")}, `registry: Test/Template: Prefix "": must be 1 to 256 characters long, not 0`),
		template("template prefix with a double slash", &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("team//web")}, `registry: Test/Template: Prefix "team//web": must be ROOT or a repository name with an optional trailing "/", matching ^(?:(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$`),
		template("unknown applied-for", &registry.RepositoryCreationTemplateProps{AppliedFor: []registry.AppliedFor{"ON_PULL"}}, `registry: Test/Template: AppliedFor[0] "ON_PULL": must be REPLICATION, PULL_THROUGH_CACHE or CREATE_ON_PUSH`),
		template("applied-for twice", &registry.RepositoryCreationTemplateProps{AppliedFor: []registry.AppliedFor{registry.AppliedForReplication, registry.AppliedForReplication}}, `registry: Test/Template: AppliedFor[1] "REPLICATION": is listed twice; each kind of creation at most once`),
		template("long description", &registry.RepositoryCreationTemplateProps{Description: jsii.String(strings.Repeat("d", 257))}, `registry: Test/Template: Description "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd": must be at most 256 characters, not 257`),
		template("key with AES256", &registry.RepositoryCreationTemplateProps{Encryption: awsecr.RepositoryEncryption_AES_256(), EncryptionKeyArn: jsii.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")}, `registry: Test/Template: EncryptionKeyArn: a customer-managed key needs Encryption KMS or KMS_DSSE, not AES256`),
		template("key alias instead of ARN", &registry.RepositoryCreationTemplateProps{EncryptionKeyArn: jsii.String("alias/ecr")}, `registry: Test/Template: EncryptionKeyArn "alias/ecr": must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id>`),
		template("custom role with a path", &registry.RepositoryCreationTemplateProps{CustomRoleArn: jsii.String("arn:aws:iam::123456789012:role/service/ecr-templates")}, `registry: Test/Template: CustomRoleArn "arn:aws:iam::123456789012:role/service/ecr-templates": must be an IAM role ARN without a path, arn:<partition>:iam::<account>:role/<name>, as CloudFormation's schema requires`),
		template("template exclusion matching every tag", &registry.RepositoryCreationTemplateProps{TagMutability: "IMMUTABLE_WITH_EXCLUSION", TagMutabilityExclusions: []string{"*"}}, `registry: Test/Template: TagMutabilityExclusions "*": matches every tag, so with IMMUTABLE_WITH_EXCLUSION no tag is immutable; say TagMutability MUTABLE if that is meant`),
		template("template exclusions without an exclusion mode", &registry.RepositoryCreationTemplateProps{TagMutabilityExclusions: []string{"latest"}}, `registry: Test/Template: TagMutabilityExclusions ["latest"]: only apply with TagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not IMMUTABLE`),
		template("template with a broken lifecycle policy", &registry.RepositoryCreationTemplateProps{LifecycleRules: []lifecycle.Rule{lifecycle.KeepLastNImages(0)}}, `registry: Test/Template: LifecycleRules: rules[0] ("Keep the 0 most recent images"): selection.countNumber 0: must be a positive integer`),
		template("template with a reserved tag", &registry.RepositoryCreationTemplateProps{Tags: map[string]string{"aws:team": "a"}}, `registry: Test/Template: Tags "aws:team": a tag key can't start with "aws:", which AWS reserves`),
		// An ARN and its CDK object: one of them.
		withObjects("cache secret as both", func(o objects) any {
			return &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, CredentialArn: jsii.String(dockerSecret), Credential: o.secret}
		}, `registry: Test/Cache: Credential: can't be combined with CredentialArn; give one of them`),
		withObjects("cache role as both", func(o objects) any {
			return &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "central", Upstream: registry.UpstreamECR, UpstreamRegistryUrl: jsii.String(registry.ECRRegistryURL("111122223333", "eu-west-1")), CustomRoleArn: jsii.String("arn:aws:iam::123456789012:role/cache"), CustomRole: o.role}
		}, `registry: Test/Cache: CustomRole: can't be combined with CustomRoleArn; give one of them`),
		withObjects("template key as both", func(o objects) any {
			return &registry.RepositoryCreationTemplateProps{EncryptionKeyArn: jsii.String(usKey), EncryptionKey: o.key}
		}, `registry: Test/Template: EncryptionKey: can't be combined with EncryptionKeyArn; give one of them`),
		withObjects("template role as both", func(o objects) any {
			return &registry.RepositoryCreationTemplateProps{CustomRoleArn: jsii.String("arn:aws:iam::123456789012:role/templates"), CustomRole: o.role}
		}, `registry: Test/Template: CustomRole: can't be combined with CustomRoleArn; give one of them`),
		withObjects("signing profile as both", func(o objects) any {
			return &registry.Props{SigningRules: []registry.SigningRule{{SigningProfileArn: jsii.String(profileArn), SigningProfile: o.profile}}}
		}, `registry: Test/Registry: SigningRules[0].SigningProfile: can't be combined with SigningProfileArn; give one of them`),
		withObjects("cache secret for an upstream without credentials", func(o objects) any {
			return &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay, Credential: o.secret}
		}, `registry: Test/Cache: Credential "`+dockerSecret+`": upstream quay takes no credentials`),
		{Name: "registry in the app", Call: func(s awscdk.Stack, _ any) {
			registry.New(awscdk.Stage_Of(s), jsii.String("Registry"), nil)
		}, Want: `registry: Registry: scope: must be a Stack or a construct inside one, not the App`},
		{Name: "template key of another Region", Call: func(s awscdk.Stack, _ any) {
			regional := awscdk.NewStack(awscdk.Stage_Of(s), jsii.String("Regional"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
			registry.New(regional, jsii.String("Registry"), &registry.Props{RootTemplate: &registry.RepositoryCreationTemplateProps{
				EncryptionKeyArn: jsii.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
			}})
		}, Want: `registry: Regional/Registry: RootTemplate.EncryptionKeyArn "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab": is in Region us-east-1, but the stack is in eu-west-1; ECR needs a key of the Region the repositories are created in`},
		newRegistry("ROOT cache rule with its own template", &registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: "ROOT", Upstream: registry.UpstreamQuay, CreationTemplate: &registry.RepositoryCreationTemplateProps{TagMutability: awsecr.TagMutability_MUTABLE},
		}}}, `registry: Test/Registry: PullThroughCacheRules[0].CreationTemplate: doesn't apply to a ROOT rule: its repositories get the registry's ROOT template (Props.RootTemplate)`),
		newRegistry("ROOT cache rule without a ROOT template", &registry.Props{NoRootTemplate: jsii.Bool(true), PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: "ROOT", Upstream: registry.UpstreamQuay,
		}}}, `registry: Test/Registry: NoRootTemplate true: leaves the ROOT pull-through cache rule's repositories with ECR's defaults (mutable tags, AES256, no lifecycle policy); keep the ROOT template`),
		newRegistry("cache prefix with and without a slash", &registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{
			{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay},
			{EcrRepositoryPrefix: "quay/", Upstream: registry.UpstreamQuay},
		}}, `registry: Test/Registry: PullThroughCacheRules[1].EcrRepositoryPrefix "quay/": is already the prefix of another rule`),
		newRegistry("root template with another prefix", &registry.Props{RootTemplate: &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("team")}}, `registry: Test/Registry: RootTemplate.Prefix "team": must be nil or ROOT; add templates for other prefixes to CreationTemplates`),
		newRegistry("root template and none", &registry.Props{NoRootTemplate: jsii.Bool(true), RootTemplate: &registry.RepositoryCreationTemplateProps{}}, `registry: Test/Registry: NoRootTemplate true: can't be combined with RootTemplate`),
		newRegistry("template without a prefix", &registry.Props{CreationTemplates: []registry.RepositoryCreationTemplateProps{{}}}, `registry: Test/Registry: CreationTemplates[0].Prefix: is required: the ROOT template is Props.RootTemplate`),
		newRegistry("two templates for a prefix", &registry.Props{CreationTemplates: []registry.RepositoryCreationTemplateProps{{Prefix: jsii.String("team")}, {Prefix: jsii.String("team")}}}, `registry: Test/Registry: CreationTemplates[1].Prefix "team": already has a creation template; one template per prefix`),
		onRegistry("added template for ROOT", nil, func(r registry.Registry) {
			r.AddRepositoryCreationTemplate(jsii.String("Root2"), &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("ROOT")})
		}, `registry: Test/Registry/Root2: Prefix "ROOT": already has a creation template; one template per prefix`),

		onRegistry("added template without a prefix", nil, func(r registry.Registry) {
			r.AddRepositoryCreationTemplate(jsii.String("Team"), &registry.RepositoryCreationTemplateProps{})
		}, `registry: Test/Registry/Team: Prefix: is required: the ROOT template is Props.RootTemplate`),
		newRegistry("cache rule for a prefix with a template", &registry.Props{
			CreationTemplates:     []registry.RepositoryCreationTemplateProps{{Prefix: jsii.String("quay")}},
			PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay}},
		}, `registry: Test/Registry: PullThroughCacheRules[0].EcrRepositoryPrefix "quay": already has a creation template; set NoCreationTemplate on the rule`),
		onRegistry("added cache rule for a prefix with a template", &registry.Props{CreationTemplates: []registry.RepositoryCreationTemplateProps{{Prefix: jsii.String("quay")}}}, func(r registry.Registry) {
			r.AddPullThroughCacheRule(jsii.String("Quay"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay})
		}, `registry: Test/Registry/Quay: EcrRepositoryPrefix "quay": already has a creation template; set NoCreationTemplate on the rule`),
		{Name: "added cache rule for a prefix of an added template",
			Setup: func(s awscdk.Stack) any {
				r := registry.New(s, jsii.String("Registry"), nil)
				r.AddRepositoryCreationTemplate(jsii.String("QuayTemplate"), &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("quay")})
				return r
			},
			Call: func(_ awscdk.Stack, r any) {
				r.(registry.Registry).AddPullThroughCacheRule(jsii.String("Quay"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay})
			}, Want: `registry: Test/Registry/Quay: EcrRepositoryPrefix "quay": already has a creation template; set NoCreationTemplate on the rule`},

		// Pull-through cache.
		cache("cache without a prefix", &registry.PullThroughCacheRuleProps{Upstream: registry.UpstreamQuay}, `registry: Test/Cache: EcrRepositoryPrefix: is required`),
		cache("cache prefix of one character", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "q", Upstream: registry.UpstreamQuay}, `registry: Test/Cache: EcrRepositoryPrefix "q": must be 2 to 30 characters long, not 1`),
		cache("cache prefix of 31 characters", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: strings.Repeat("q", 31), Upstream: registry.UpstreamQuay}, `registry: Test/Cache: EcrRepositoryPrefix "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq": must be 2 to 30 characters long, not 31`),
		cache("cache prefix with capitals", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "Quay", Upstream: registry.UpstreamQuay}, `registry: Test/Cache: EcrRepositoryPrefix "Quay": must be ROOT or lowercase letters and digits in groups separated by . _ __ - or /, matching ^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$`),
		cache("unknown upstream", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "hub", Upstream: "dockerhub"}, `registry: Test/Cache: Upstream "dockerhub": must be "ecr-public", "k8s", "quay", "docker-hub", "github-container-registry", "gitlab-container-registry", "azure-container-registry", "chainguard" or "ecr"`),
		cache("docker hub without credentials", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "hub", Upstream: registry.UpstreamDockerHub}, `registry: Test/Cache: CredentialArn: is required for upstream docker-hub: a Secrets Manager secret named ecr-pullthroughcache/..., or give Credential`),
		cache("quay with credentials", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay, CredentialArn: jsii.String(dockerSecret)}, `registry: Test/Cache: CredentialArn "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf": upstream quay takes no credentials`),
		cache("secret outside ecr-pullthroughcache/", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "hub", Upstream: registry.UpstreamDockerHub,
			CredentialArn: jsii.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/credentials-AbCdEf")}, `registry: Test/Cache: CredentialArn "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/credentials-AbCdEf": must be the ARN of a Secrets Manager secret whose name starts with "ecr-pullthroughcache/", matching ^arn:aws:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache\/[a-zA-Z0-9\/_+=.@-]+$`),
		cache("secret ARN too short", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "hub", Upstream: registry.UpstreamDockerHub, CredentialArn: jsii.String("ecr-pullthroughcache/hub")}, `registry: Test/Cache: CredentialArn "ecr-pullthroughcache/hub": must be 50 to 612 characters long, not 24`),
		cache("docker hub at another URL", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "hub", Upstream: registry.UpstreamDockerHub, CredentialArn: jsii.String(dockerSecret),
			UpstreamRegistryUrl: jsii.String("https://docker.io")}, `registry: Test/Cache: UpstreamRegistryUrl "https://docker.io": must be registry-1.docker.io for upstream docker-hub, or be left out`),
		cache("azure without a URL", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "azure", Upstream: registry.UpstreamAzure, CredentialArn: jsii.String(dockerSecret)}, `registry: Test/Cache: UpstreamRegistryUrl: is required for upstream azure-container-registry`),
		cache("azure URL of another host", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "azure", Upstream: registry.UpstreamAzure, CredentialArn: jsii.String(dockerSecret),
			UpstreamRegistryUrl: jsii.String("myregistry.azure.com")}, `registry: Test/Cache: UpstreamRegistryUrl "myregistry.azure.com": must be an Azure Container Registry's host name, <name>.azurecr.io, without https://`),
		cache("ECR URL with a scheme", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "central", Upstream: registry.UpstreamECR,
			UpstreamRegistryUrl: jsii.String("https://111122223333.dkr.ecr.eu-west-1.amazonaws.com")}, `registry: Test/Cache: UpstreamRegistryUrl "https://111122223333.dkr.ecr.eu-west-1.amazonaws.com": must be an ECR registry's host name, <account>.dkr.ecr.<region>.amazonaws.com, without https://`),
		cache("ECR role for GitHub", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "ghcr", Upstream: registry.UpstreamGitHub, CredentialArn: jsii.String(dockerSecret),
			CustomRoleArn: jsii.String("arn:aws:iam::123456789012:role/cache")}, `registry: Test/Cache: CustomRoleArn "arn:aws:iam::123456789012:role/cache": only applies to upstream ecr`),
		cache("upstream prefix under ROOT", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "ROOT", Upstream: registry.UpstreamQuay, UpstreamRepositoryPrefix: jsii.String("prometheus")}, `registry: Test/Cache: UpstreamRepositoryPrefix "prometheus": can only be set when EcrRepositoryPrefix is not ROOT`),
		cache("template prefix set on a rule", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay,
			CreationTemplate: &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("other")}}, `registry: Test/Cache: CreationTemplate.Prefix "other": must be nil: the rule's EcrRepositoryPrefix is the template's prefix`),
		cache("template and no template", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay,
			CreationTemplate: &registry.RepositoryCreationTemplateProps{}, NoCreationTemplate: jsii.Bool(true)}, `registry: Test/Cache: NoCreationTemplate true: can't be combined with CreationTemplate`),
		cache("cache template with an unknown mutability", &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay,
			CreationTemplate: &registry.RepositoryCreationTemplateProps{TagMutability: "SOMETIMES"}}, `registry: Test/Cache: CreationTemplate.TagMutability "SOMETIMES": must be IMMUTABLE, MUTABLE, IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`),
		newRegistry("two rules for a prefix", &registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{
			{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay}, {EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamKubernetes}}}, `registry: Test/Registry: PullThroughCacheRules[1].EcrRepositoryPrefix "quay": is already the prefix of another rule`),
		onRegistry("added rule for a cached prefix", &registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay}}},
			func(r registry.Registry) {
				r.AddPullThroughCacheRule(jsii.String("Quay2"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay})
			}, `registry: Test/Registry/Quay2: EcrRepositoryPrefix "quay": is already the prefix of another rule`),

		// Replication.
		newRegistry("replication to nowhere", &registry.Props{ReplicationRules: []registry.ReplicationRule{{}}}, `registry: Test/Registry: ReplicationRules[0].Destinations: must hold at least one destination`),
		// One validation path: the same key, secret or partition mistake is
		// refused whichever way the template or rule is made.
		{Name: "key of another Region, through Props.CreationTemplates", Stack: inEnv("111122223333", "eu-west-1"),
			Call: func(s awscdk.Stack, _ any) {
				registry.New(s, jsii.String("Registry"), &registry.Props{CreationTemplates: []registry.RepositoryCreationTemplateProps{{Prefix: jsii.String("team"), EncryptionKeyArn: jsii.String(usKey)}}})
			}, Want: `registry: Test/Registry: CreationTemplates[0].EncryptionKeyArn "` + usKey + `": is in Region us-east-1, but the stack is in eu-west-1; ECR needs a key of the Region the repositories are created in`},
		{Name: "key of another Region, through AddRepositoryCreationTemplate", Stack: inEnv("111122223333", "eu-west-1"),
			Setup: func(s awscdk.Stack) any { return registry.New(s, jsii.String("Registry"), nil) },
			Call: func(_ awscdk.Stack, r any) {
				r.(registry.Registry).AddRepositoryCreationTemplate(jsii.String("Team"), &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("team"), EncryptionKeyArn: jsii.String(usKey)})
			}, Want: `registry: Test/Registry/Team: EncryptionKeyArn "` + usKey + `": is in Region us-east-1, but the stack is in eu-west-1; ECR needs a key of the Region the repositories are created in`},
		{Name: "key of another Region, through NewRepositoryCreationTemplate", Stack: inEnv("111122223333", "eu-west-1"),
			Call: func(s awscdk.Stack, _ any) {
				registry.NewRepositoryCreationTemplate(s, jsii.String("Team"), &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("team"), EncryptionKeyArn: jsii.String(usKey)})
			}, Want: `registry: Test/Team: EncryptionKeyArn "` + usKey + `": is in Region us-east-1, but the stack is in eu-west-1; ECR needs a key of the Region the repositories are created in`},
		{Name: "dual-layer encryption outside GovCloud", Stack: inEnv("111122223333", "eu-west-1"),
			Call: func(s awscdk.Stack, _ any) {
				registry.NewRepositoryCreationTemplate(s, jsii.String("Team"), &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("team"), Encryption: awsecr.RepositoryEncryption_KMS_DSSE()})
			}, Want: `registry: Test/Team: Encryption "KMS_DSSE": dual-layer encryption is only available in the AWS GovCloud (US) Regions (partition aws-us-gov), but the stack is in eu-west-1 (partition aws); use KMS`},
		{Name: "cache template key of another Region, through AddPullThroughCacheRule", Stack: inEnv("111122223333", "eu-west-1"),
			Setup: func(s awscdk.Stack) any { return registry.New(s, jsii.String("Registry"), nil) },
			Call: func(_ awscdk.Stack, r any) {
				r.(registry.Registry).AddPullThroughCacheRule(jsii.String("Quay"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay,
					CreationTemplate: &registry.RepositoryCreationTemplateProps{EncryptionKeyArn: jsii.String(usKey)}})
			}, Want: `registry: Test/Registry/Quay: CreationTemplate.EncryptionKeyArn "` + usKey + `": is in Region us-east-1, but the stack is in eu-west-1; ECR needs a key of the Region the repositories are created in`},
		{Name: "credential secret of another Region, through Props", Stack: inEnv("123456789012", "eu-west-1"),
			Call: func(s awscdk.Stack, _ any) {
				registry.New(s, jsii.String("Registry"), &registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, CredentialArn: jsii.String(dockerSecret)}}})
			}, Want: `registry: Test/Registry: PullThroughCacheRules[0].CredentialArn "` + dockerSecret + `": is in Region us-east-1, but the stack is in eu-west-1; ECR needs the secret of the Region the repositories are created in`},
		{Name: "credential secret of another account, through AddPullThroughCacheRule", Stack: inEnv("111122223333", "us-east-1"),
			Setup: func(s awscdk.Stack) any { return registry.New(s, jsii.String("Registry"), nil) },
			Call: func(_ awscdk.Stack, r any) {
				r.(registry.Registry).AddPullThroughCacheRule(jsii.String("DockerHub"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, CredentialArn: jsii.String(dockerSecret)})
			}, Want: `registry: Test/Registry/DockerHub: CredentialArn "` + dockerSecret + `": is in account 123456789012, but the stack is in 111122223333; ECR needs the secret in the registry's own account`},
		{Name: "credential secret of another account, through NewPullThroughCacheRule", Stack: inEnv("111122223333", "us-east-1"),
			Call: func(s awscdk.Stack, _ any) {
				registry.NewPullThroughCacheRule(s, jsii.String("DockerHub"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, CredentialArn: jsii.String(dockerSecret)})
			}, Want: `registry: Test/DockerHub: CredentialArn "` + dockerSecret + `": is in account 123456789012, but the stack is in 111122223333; ECR needs the secret in the registry's own account`},
		{Name: "pull-through cache in China", Stack: inEnv("111122223333", "cn-north-1"),
			Call: func(s awscdk.Stack, _ any) {
				registry.NewPullThroughCacheRule(s, jsii.String("Quay"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay, NoCreationTemplate: jsii.Bool(true)})
			}, Want: `registry: Test/Quay: EcrRepositoryPrefix "quay": pull-through cache is not available in partition aws-cn (Region cn-north-1); the ECR User Guide lists it for the aws partition`},
		{Name: "replication across partitions", Stack: inEnv("111122223333", "eu-west-1"),
			Call: func(s awscdk.Stack, _ any) {
				registry.New(s, jsii.String("Registry"), &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{dest("us-gov-west-1")}}}})
			}, Want: `registry: Test/Registry: ReplicationRules[0].Destinations[0].Region "us-gov-west-1": is in partition aws-us-gov, but the registry's Region eu-west-1 is in aws; ECR doesn't replicate across partitions`},
		{Name: "exclusion of another partition's principal", Stack: inEnv("111122223333", "eu-west-1"),
			Setup: func(s awscdk.Stack) any { return registry.New(s, jsii.String("Registry"), nil) },
			Call: func(_ awscdk.Stack, r any) {
				r.(registry.Registry).AddPullTimeUpdateExclusion("arn:aws-us-gov:iam::111122223333:role/scanner")
			}, Want: `registry: Test/Registry: AddPullTimeUpdateExclusion "arn:aws-us-gov:iam::111122223333:role/scanner": is in partition aws-us-gov, but the stack's Region eu-west-1 is in aws; the principal must be in the same partition`},
		newRegistry("replication to a made-up Region", &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{dest("europe-1")}}}}, `registry: Test/Registry: ReplicationRules[0].Destinations[0].Region "europe-1": is not a Region that aws-cdk-go v2.277.0 knows; if it is newer, list it in the context key @secure-ecr/ecr-cdk-go:extraRegions`),
		newRegistry("replication to a Region that doesn't exist", &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{dest("eu-west-9"), dest("eu-frankfurt-1")}}}}, `registry: Test/Registry: ReplicationRules[0].Destinations[0].Region "eu-west-9": is not a Region that aws-cdk-go v2.277.0 knows; if it is newer, list it in the context key @secure-ecr/ecr-cdk-go:extraRegions; registry: Test/Registry: ReplicationRules[0].Destinations[1].Region "eu-frankfurt-1": is not a Region that aws-cdk-go v2.277.0 knows; if it is newer, list it in the context key @secure-ecr/ecr-cdk-go:extraRegions`),
		newRegistry("replication to a short account", &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{{Region: "eu-west-1", Account: jsii.String("1234")}}}}}, `registry: Test/Registry: ReplicationRules[0].Destinations[0].Account "1234": must be a 12-digit AWS account ID`),
		newRegistry("replication destination twice", &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{dest("eu-west-1"), dest("eu-west-1")}}}}, `registry: Test/Registry: ReplicationRules[0].Destinations[1] "eu-west-1 of this account": is listed twice in the rule`),
		newRegistry("eleven replication rules", &registry.Props{ReplicationRules: rules11}, `registry: Test/Registry: ReplicationRules "(11 rules)": a registry takes at most 10 replication rules`),
		newRegistry("26 unique destinations", &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: dests26}}}, `registry: Test/Registry: ReplicationRules "(26 unique destinations)": ECR replicates to at most 25 unique destinations across all rules`),
		newRegistry("replication prefix of one character", &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{dest("eu-west-1")}, RepositoryPrefixes: []string{"p"}}}}, `registry: Test/Registry: ReplicationRules[0].RepositoryPrefixes[0] "p": must be 2 to 256 characters long, not 1`),
		newRegistry("replication prefix with a wildcard", &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{dest("eu-west-1")}, RepositoryPrefixes: []string{"prod*"}}}}, `registry: Test/Registry: ReplicationRules[0].RepositoryPrefixes[0] "prod*": must be the start of a repository name (lowercase letters, digits, . _ - /), matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$`),
		{Name: "replication to the registry itself",
			Call: func(s awscdk.Stack, _ any) {
				stack := awscdk.NewStack(s.Node().Scope().(awscdk.App), jsii.String("Pinned"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")}})
				registry.New(stack, jsii.String("Registry"), &registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{dest("eu-west-1")}}}})
			},
			Want: `registry: Pinned/Registry: ReplicationRules[0].Destinations[0] "eu-west-1 of account 123456789012": is the source registry itself; replicate to another Region or account`},
		onRegistry("added rule past the limit", &registry.Props{ReplicationRules: rules11[:10]}, func(r registry.Registry) {
			r.AddReplicationRules(registry.ReplicationRule{Destinations: []registry.ReplicationDestination{dest("us-west-2")}})
		}, `registry: Test/Registry: ReplicationRules "(11 rules)": a registry takes at most 10 replication rules`),

		// Registry policy.
		newRegistry("replication source organization without o-", &registry.Props{ReplicationSourceOrganization: &registry.OrganizationReplicationSource{OrganizationID: "r-a1b2"}}, `registry: Test/Registry: ReplicationSourceOrganization.OrganizationID "r-a1b2": must be an AWS Organizations ID: o- followed by 10 to 32 lowercase letters or digits`),
		newRegistry("replication source organization with a bad prefix", &registry.Props{ReplicationSourceOrganization: &registry.OrganizationReplicationSource{OrganizationID: "o-a1b2c3d4e5", RepositoryPrefixes: []string{"Prod"}}}, `registry: Test/Registry: ReplicationSourceOrganization.RepositoryPrefixes[0] "Prod": must be the start of a repository name (lowercase letters, digits, . _ - /), matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$`),
		onRegistry("organization source without the organization", &registry.Props{ReplicationSourceAccounts: []string{"111122223333"}}, func(r registry.Registry) { r.Policy().AllowReplicationFromOrganization(nil) },
			`registry: Test/Registry/Policy: AllowReplicationFromOrganization: needs the organization`),
		newRegistry("replication source of 11 digits", &registry.Props{ReplicationSourceAccounts: []string{"11112222333"}}, `registry: Test/Registry: ReplicationSourceAccounts[0] "11112222333": must be a 12-digit AWS account ID`),
		onRegistry("replication from nobody", nil, func(r registry.Registry) { r.AllowReplicationFrom() }, `registry: Test/Registry: AllowReplicationFrom: needs at least one account ID`),
		{Name: "registry policy with pull actions",
			Call: func(s awscdk.Stack, _ any) {
				registry.NewPolicy(s, jsii.String("Policy"), &registry.PolicyProps{Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions: jsii.Strings("ecr:ReplicateImage", "ecr:BatchGetImage"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")})}})
			},
			Want: `registry: Test/Policy: Statements[0].Action "ecr:BatchGetImage": a registry policy can only hold ecr:ReplicateImage, ecr:BatchImportUpstreamImage or ecr:CreateRepository; ECR refuses anything else at deployment`},
		{Name: "registry policy with a wildcard action",
			Call: func(s awscdk.Stack, _ any) {
				registry.NewPolicy(s, jsii.String("Policy"), &registry.PolicyProps{Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions: jsii.Strings("ecr:*"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")})}})
			},
			Want: `registry: Test/Policy: Statements[0].Action "ecr:*": a registry policy can only hold ecr:ReplicateImage, ecr:BatchImportUpstreamImage or ecr:CreateRepository; ECR refuses anything else at deployment`},
		{Name: "registry policy with NotAction",
			Call: func(s awscdk.Stack, _ any) {
				registry.NewPolicy(s, jsii.String("Policy"), &registry.PolicyProps{Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					NotActions: jsii.Strings("ecr:DeleteRepository"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")})}})
			},
			Want: `registry: Test/Policy: Statements[0].NotAction "ecr:DeleteRepository": a registry policy takes only Action, naming ecr:ReplicateImage, ecr:BatchImportUpstreamImage or ecr:CreateRepository`},
		onRegistry("added statement with a pull action", &registry.Props{ReplicationSourceAccounts: []string{"111122223333"}}, func(r registry.Registry) {
			r.Policy().AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("ecr:GetDownloadUrlForLayer"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")}))
		}, `registry: Test/Registry/Policy: AddStatements[0].Action "ecr:GetDownloadUrlForLayer": a registry policy can only hold ecr:ReplicateImage, ecr:BatchImportUpstreamImage or ecr:CreateRepository; ECR refuses anything else at deployment`),

		// Signing.
		newRegistry("signing without a profile", &registry.Props{SigningRules: []registry.SigningRule{{}}}, `registry: Test/Registry: SigningRules[0].SigningProfileArn: is required, or give SigningProfile`),
		newRegistry("signing with a profile name", &registry.Props{SigningRules: []registry.SigningRule{{SigningProfileArn: jsii.String("images")}}}, `registry: Test/Registry: SigningRules[0].SigningProfileArn "images": must be an AWS Signer profile ARN, arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>, at most 200 characters`),
		newRegistry("signing with a profile ARN missing its slash", &registry.Props{SigningRules: []registry.SigningRule{{SigningProfileArn: jsii.String("arn:aws:signer:us-east-1:123456789012:signing-profiles/images")}}}, `registry: Test/Registry: SigningRules[0].SigningProfileArn "arn:aws:signer:us-east-1:123456789012:signing-profiles/images": must be an AWS Signer profile ARN, arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>, at most 200 characters`),
		newRegistry("eleven signing rules", &registry.Props{SigningRules: signing11}, `registry: Test/Registry: SigningRules "(11 rules)": a registry takes at most 10 signing rules`),
		newRegistry("signing filter with a space", &registry.Props{SigningRules: []registry.SigningRule{{SigningProfileArn: jsii.String(profileArn), RepositoryFilters: []string{"prod *"}}}}, `registry: Test/Registry: SigningRules[0].RepositoryFilters[0] "prod *": must be lowercase letters, digits, . _ - / and the * wildcard, starting and ending with a letter, digit or *, matching ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`),
		onRegistry("sign on push without rules", nil, func(r registry.Registry) {
			r.GrantSignOnPush(awsiam.NewAccountRootPrincipal())
		}, `registry: Test/Registry: GrantSignOnPush: the registry has no signing rules; add them with SigningRules or AddSigningRules first`),

		// Pull-time update exclusions.
		newRegistry("exclusion of an account", &registry.Props{PullTimeUpdateExclusions: []string{"123456789012"}}, `registry: Test/Registry: PullTimeUpdateExclusions[0] "123456789012": must be an IAM role or user ARN, arn:<partition>:iam::<account>:role/<name>, at most 200 characters`),
		newRegistry("exclusion of an assumed-role session", &registry.Props{PullTimeUpdateExclusions: []string{"arn:aws:sts::123456789012:assumed-role/scanner/session"}}, `registry: Test/Registry: PullTimeUpdateExclusions[0] "arn:aws:sts::123456789012:assumed-role/scanner/session": must be an IAM role or user ARN, arn:<partition>:iam::<account>:role/<name>, at most 200 characters`),
		newRegistry("exclusion twice", &registry.Props{PullTimeUpdateExclusions: []string{"arn:aws:iam::123456789012:role/scanner", "arn:aws:iam::123456789012:role/scanner"}}, `registry: Test/Registry: PullTimeUpdateExclusions[1] "arn:aws:iam::123456789012:role/scanner": is already excluded`),
		onRegistry("added exclusion already there", &registry.Props{PullTimeUpdateExclusions: []string{"arn:aws:iam::123456789012:role/scanner"}}, func(r registry.Registry) {
			r.AddPullTimeUpdateExclusion("arn:aws:iam::123456789012:role/scanner")
		}, `registry: Test/Registry: AddPullTimeUpdateExclusion "arn:aws:iam::123456789012:role/scanner": is already excluded`),
		newRegistry("exclusion ARN too long", &registry.Props{PullTimeUpdateExclusions: []string{"arn:aws:iam::123456789012:role/" + strings.Repeat("r", 170)}}, `registry: Test/Registry: PullTimeUpdateExclusions[0] "arn:aws:iam::123456789012:role/rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr": must be an IAM role or user ARN, arn:<partition>:iam::<account>:role/<name>, at most 200 characters`),
	}
}

func TestBadInputIsRefusedBeforeSynthesis(t *testing.T) { badinput.Run(t, badInputs()) }
