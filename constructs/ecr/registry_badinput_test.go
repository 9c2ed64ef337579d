package ecr_test

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// registry returns a case that creates a registry "Registry" with the props.
func registry(name string, p *ecr.RegistryProps, want string) badInput {
	return badInput{name: name, call: func(stack awscdk.Stack, _ any) {
		ecr.NewRegistry(stack, jsii.String("Registry"), p)
	}, want: want}
}

// onRegistry returns a case that calls a method of a registry "Registry".
func onRegistry(name string, p *ecr.RegistryProps, call func(ecr.Registry), want string) badInput {
	return badInput{
		name:  name,
		setup: func(stack awscdk.Stack) any { return ecr.NewRegistry(stack, jsii.String("Registry"), p) },
		call:  func(_ awscdk.Stack, r any) { call(r.(ecr.Registry)) },
		want:  want,
	}
}

// template returns a case that creates a creation template "Template".
func template(name string, p *ecr.RepositoryCreationTemplateProps, want string) badInput {
	return badInput{name: name, call: func(stack awscdk.Stack, _ any) {
		ecr.NewRepositoryCreationTemplate(stack, jsii.String("Template"), p)
	}, want: want}
}

// cache returns a case that creates a pull-through cache rule "Cache".
func cache(name string, p *ecr.PullThroughCacheRuleProps, want string) badInput {
	return badInput{name: name, call: func(stack awscdk.Stack, _ any) {
		ecr.NewPullThroughCacheRule(stack, jsii.String("Cache"), p)
	}, want: want}
}

const (
	dockerSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
	profileArn   = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/images"
)

// dest is a replication destination in another Region of the account.
func dest(region string) ecr.ReplicationDestination {
	return ecr.ReplicationDestination{Region: region}
}

// registryBadInputs is the bad-input surface of the registry constructs.
func registryBadInputs() []badInput {
	many := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	var rules11 []ecr.ReplicationRule
	for i := range 11 {
		rules11 = append(rules11, ecr.ReplicationRule{Destinations: []ecr.ReplicationDestination{{Region: "eu-west-1", Account: fmt.Sprintf("1111222233%02d", i)}}})
	}
	var dests26 []ecr.ReplicationDestination
	for i := range 26 {
		dests26 = append(dests26, ecr.ReplicationDestination{Region: "eu-west-1", Account: fmt.Sprintf("1111222233%02d", i)})
	}
	var signing11 []ecr.SigningRule
	for range 11 {
		signing11 = append(signing11, ecr.SigningRule{SigningProfileArn: profileArn})
	}
	return []badInput{
		// The registry itself.
		{name: "two registries in a stack",
			setup: func(s awscdk.Stack) any { return ecr.NewRegistry(s, jsii.String("Registry"), nil) },
			call:  func(s awscdk.Stack, _ any) { ecr.NewRegistry(s, jsii.String("Second"), nil) },
			want:  `ecr: Test/Second: scope "Test": already has Registry at Test/Registry; an account and Region has one, so a stack declares at most one`},
		{name: "registry with a nil scope", call: func(awscdk.Stack, any) { ecr.NewRegistry(nil, jsii.String("Registry"), nil) },
			want: `ecr: Registry: scope: must not be nil`},
		{name: "registry policy beside the registry's",
			setup: func(s awscdk.Stack) any {
				return ecr.NewRegistry(s, jsii.String("Registry"), &ecr.RegistryProps{ReplicationSourceAccounts: []string{"111122223333"}})
			},
			call: func(s awscdk.Stack, _ any) { ecr.NewRegistryPolicy(s, jsii.String("Policy"), nil) },
			want: `ecr: Test/Policy: scope "Test": already has AWS::ECR::RegistryPolicy at Test/Registry/Policy; an account and Region has one, so a stack declares at most one`},

		// Scanning.
		registry("unknown scan type", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{ScanType: "DEEP"}}, `ecr: Test/Registry: Scanning.ScanType "DEEP": must be BASIC or ENHANCED`),
		registry("continuous basic scanning", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{Rules: []ecr.ScanningRule{{Frequency: ecr.ScanFrequencyContinuous}}}}, `ecr: Test/Registry: Scanning.Rules[0].Frequency "CONTINUOUS_SCAN": BASIC scanning only scans on push; continuous scanning needs ScanType ENHANCED`),
		registry("manual scanning", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{Rules: []ecr.ScanningRule{{Frequency: "MANUAL"}}}}, `ecr: Test/Registry: Scanning.Rules[0].Frequency "MANUAL": must be SCAN_ON_PUSH or CONTINUOUS_SCAN`),
		registry("three scanning rules", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{ScanType: ecr.ScanTypeEnhanced, Rules: []ecr.ScanningRule{{}, {Frequency: ecr.ScanFrequencyContinuous}, {}}}}, `ecr: Test/Registry: Scanning.Rules "(3 rules)": a registry takes at most 2 scanning rules, one per frequency; ecr: Test/Registry: Scanning.Rules[2].Frequency "SCAN_ON_PUSH": another rule already has this frequency; put its filters in one rule`),
		registry("no scanning rules", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{Rules: []ecr.ScanningRule{}}}, `ecr: Test/Registry: Scanning.Rules "(0 rules)": must hold at least one rule; to scan nothing, set NoScanning`),
		registry("two on-push rules", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{ScanType: ecr.ScanTypeEnhanced, Rules: []ecr.ScanningRule{{RepositoryFilters: []string{"prod*"}}, {RepositoryFilters: []string{"dev*"}}}}}, `ecr: Test/Registry: Scanning.Rules[1].Frequency "SCAN_ON_PUSH": another rule already has this frequency; put its filters in one rule`),
		registry("scan filter in capitals", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{Rules: []ecr.ScanningRule{{RepositoryFilters: []string{"Prod*"}}}}}, `ecr: Test/Registry: Scanning.Rules[0].RepositoryFilters[0] "Prod*": must be lowercase letters, digits, . _ - / and the * wildcard, starting and ending with a letter, digit or *, matching ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`),
		registry("scan filter ending in a dash", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{Rules: []ecr.ScanningRule{{RepositoryFilters: []string{"prod-"}}}}}, `ecr: Test/Registry: Scanning.Rules[0].RepositoryFilters[0] "prod-": must be lowercase letters, digits, . _ - / and the * wildcard, starting and ending with a letter, digit or *, matching ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`),
		registry("scan filter too long", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{Rules: []ecr.ScanningRule{{RepositoryFilters: []string{strings.Repeat("a", 256)}}}}}, `ecr: Test/Registry: Scanning.Rules[0].RepositoryFilters[0] "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be 1 to 255 characters long, not 256`),
		registry("101 scan filters", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{Rules: []ecr.ScanningRule{{RepositoryFilters: many(101, func(i int) string { return fmt.Sprintf("team%d*", i) })}}}}, `ecr: Test/Registry: Scanning.Rules[0].RepositoryFilters "(101 filters)": takes at most 100 filters`),
		registry("scan filter twice", &ecr.RegistryProps{Scanning: &ecr.ScanningProps{Rules: []ecr.ScanningRule{{RepositoryFilters: []string{"prod*", "prod*"}}}}}, `ecr: Test/Registry: Scanning.Rules[0].RepositoryFilters[1] "prod*": is listed twice`),
		registry("scanning and no scanning", &ecr.RegistryProps{NoScanning: jsii.Bool(true), Scanning: &ecr.ScanningProps{}}, `ecr: Test/Registry: NoScanning true: can't be combined with Scanning`),

		// Creation templates.
		template("template prefix with capitals", &ecr.RepositoryCreationTemplateProps{Prefix: jsii.String("Team")}, `ecr: Test/Template: Prefix "Team": must be ROOT or a repository name with an optional trailing "/", matching ^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$`),
		template("template prefix with a leading slash", &ecr.RepositoryCreationTemplateProps{Prefix: jsii.String("/team")}, `ecr: Test/Template: Prefix "/team": must be ROOT or a repository name with an optional trailing "/", matching ^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$`),
		template("template prefix too long", &ecr.RepositoryCreationTemplateProps{Prefix: jsii.String(strings.Repeat("a", 257))}, `ecr: Test/Template: Prefix "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be 1 to 256 characters long, not 257`),
		template("template prefix empty", &ecr.RepositoryCreationTemplateProps{Prefix: jsii.String("")}, `ecr: Test/Template: Prefix "": must be 1 to 256 characters long, not 0`),
		template("template prefix with a double slash", &ecr.RepositoryCreationTemplateProps{Prefix: jsii.String("team//web")}, `ecr: Test/Template: Prefix "team//web": must be ROOT or a repository name with an optional trailing "/", matching ^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$`),
		template("unknown applied-for", &ecr.RepositoryCreationTemplateProps{AppliedFor: []ecr.AppliedFor{"ON_PULL"}}, `ecr: Test/Template: AppliedFor[0] "ON_PULL": must be REPLICATION, PULL_THROUGH_CACHE or CREATE_ON_PUSH`),
		template("applied-for twice", &ecr.RepositoryCreationTemplateProps{AppliedFor: []ecr.AppliedFor{ecr.AppliedForReplication, ecr.AppliedForReplication}}, `ecr: Test/Template: AppliedFor[1] "REPLICATION": is listed twice; each kind of creation at most once`),
		template("long description", &ecr.RepositoryCreationTemplateProps{Description: jsii.String(strings.Repeat("d", 257))}, `ecr: Test/Template: Description "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd": must be at most 256 characters, not 257`),
		template("key with AES256", &ecr.RepositoryCreationTemplateProps{Encryption: awsecr.RepositoryEncryption_AES_256(), EncryptionKeyArn: jsii.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")}, `ecr: Test/Template: EncryptionKeyArn: a customer-managed key needs Encryption KMS or KMS_DSSE, not AES256`),
		template("key alias instead of ARN", &ecr.RepositoryCreationTemplateProps{EncryptionKeyArn: jsii.String("alias/ecr")}, `ecr: Test/Template: EncryptionKeyArn "alias/ecr": must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id>`),
		template("custom role with a path", &ecr.RepositoryCreationTemplateProps{CustomRoleArn: jsii.String("arn:aws:iam::123456789012:role/service/ecr-templates")}, `ecr: Test/Template: CustomRoleArn "arn:aws:iam::123456789012:role/service/ecr-templates": must be an IAM role ARN without a path, arn:<partition>:iam::<account>:role/<name>, as CloudFormation's schema requires`),
		template("template exclusions without an exclusion mode", &ecr.RepositoryCreationTemplateProps{TagMutabilityExclusions: []string{"latest"}}, `ecr: Test/Template: TagMutabilityExclusions ["latest"]: only apply with TagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not IMMUTABLE`),
		template("template with a broken lifecycle policy", &ecr.RepositoryCreationTemplateProps{LifecycleRules: []lifecycle.Rule{lifecycle.KeepLastNImages(0)}}, `ecr: Test/Template: LifecycleRules: rules[0] ("Keep the 0 most recent images"): selection.countNumber 0: must be a positive integer`),
		template("template with a reserved tag", &ecr.RepositoryCreationTemplateProps{Tags: map[string]string{"aws:team": "a"}}, `ecr: Test/Template: Tags "aws:team": a tag key can't start with "aws:", which AWS reserves`),
		{name: "two registries for one account and Region",
			setup: func(s awscdk.Stack) any {
				env := &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")}
				first := awscdk.NewStack(awscdk.Stage_Of(s), jsii.String("First"), &awscdk.StackProps{Env: env})
				ecr.NewRegistry(first, jsii.String("Registry"), nil)
				return awscdk.NewStack(awscdk.Stage_Of(s), jsii.String("Second"), &awscdk.StackProps{Env: env})
			},
			call: func(_ awscdk.Stack, second any) { ecr.NewRegistry(second.(awscdk.Stack), jsii.String("Registry"), nil) },
			want: `ecr: Second/Registry: scope "Second": already has Registry at First/Registry; account and Region 111122223333/eu-west-1 have one, so one stack of them declares it`},
		{name: "a second ROOT template beside the registry's",
			setup: func(s awscdk.Stack) any { return ecr.NewRegistry(s, jsii.String("Registry"), nil) },
			call:  func(s awscdk.Stack, _ any) { ecr.NewRepositoryCreationTemplate(s, jsii.String("Root"), nil) },
			want:  `ecr: Test/Root: Prefix "ROOT": already has a creation template at Test/Registry; a registry has one per prefix`},
		{name: "a cache rule beside the registry's for the same prefix",
			setup: func(s awscdk.Stack) any {
				return ecr.NewRegistry(s, jsii.String("Registry"), &ecr.RegistryProps{PullThroughCacheRules: []ecr.PullThroughCacheRuleProps{{
					EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay,
				}}})
			},
			call: func(s awscdk.Stack, _ any) {
				ecr.NewPullThroughCacheRule(s, jsii.String("Quay"), &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("quay/"), Upstream: ecr.UpstreamQuay})
			},
			want: `ecr: Test/Quay: EcrRepositoryPrefix "quay/": already has a pull-through cache rule at Test/Registry; a registry has one per prefix; ecr: Test/Quay: EcrRepositoryPrefix "quay": already has a creation template at Test/Registry; a registry has one per prefix`},
		{name: "registry in the app", call: func(s awscdk.Stack, _ any) {
			ecr.NewRegistry(awscdk.Stage_Of(s), jsii.String("Registry"), nil)
		}, want: `ecr: Registry: scope: must be a Stack or a construct inside one, not the App`},
		{name: "template key of another Region", call: func(s awscdk.Stack, _ any) {
			regional := awscdk.NewStack(awscdk.Stage_Of(s), jsii.String("Regional"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
			ecr.NewRegistry(regional, jsii.String("Registry"), &ecr.RegistryProps{RootTemplate: &ecr.RepositoryCreationTemplateProps{
				EncryptionKeyArn: jsii.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
			}})
		}, want: `ecr: Regional/Registry: RootTemplate.EncryptionKeyArn "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab": is in Region us-east-1, but the stack is in eu-west-1; ECR needs a key of the Region the repositories are created in`},
		registry("ROOT cache rule with its own template", &ecr.RegistryProps{PullThroughCacheRules: []ecr.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: jsii.String("ROOT"), Upstream: ecr.UpstreamQuay, CreationTemplate: &ecr.RepositoryCreationTemplateProps{TagMutability: awsecr.TagMutability_MUTABLE},
		}}}, `ecr: Test/Registry: PullThroughCacheRules[0].CreationTemplate: doesn't apply to a ROOT rule: its repositories get the registry's ROOT template (RegistryProps.RootTemplate)`),
		registry("ROOT cache rule without a ROOT template", &ecr.RegistryProps{NoRootTemplate: jsii.Bool(true), PullThroughCacheRules: []ecr.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: jsii.String("ROOT"), Upstream: ecr.UpstreamQuay,
		}}}, `ecr: Test/Registry: NoRootTemplate true: leaves the ROOT pull-through cache rule's repositories with ECR's defaults (mutable tags, AES256, no lifecycle policy); keep the ROOT template`),
		registry("cache prefix with and without a slash", &ecr.RegistryProps{PullThroughCacheRules: []ecr.PullThroughCacheRuleProps{
			{EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay},
			{EcrRepositoryPrefix: jsii.String("quay/"), Upstream: ecr.UpstreamQuay},
		}}, `ecr: Test/Registry: PullThroughCacheRules[1].EcrRepositoryPrefix "quay/": is already the prefix of another rule`),
		registry("root template with another prefix", &ecr.RegistryProps{RootTemplate: &ecr.RepositoryCreationTemplateProps{Prefix: jsii.String("team")}}, `ecr: Test/Registry: RootTemplate.Prefix "team": must be nil or ROOT; add templates for other prefixes to CreationTemplates`),
		registry("root template and none", &ecr.RegistryProps{NoRootTemplate: jsii.Bool(true), RootTemplate: &ecr.RepositoryCreationTemplateProps{}}, `ecr: Test/Registry: NoRootTemplate true: can't be combined with RootTemplate`),
		registry("template without a prefix", &ecr.RegistryProps{CreationTemplates: []ecr.RepositoryCreationTemplateProps{{}}}, `ecr: Test/Registry: CreationTemplates[0].Prefix: is required: the ROOT template is RootTemplate`),
		registry("two templates for a prefix", &ecr.RegistryProps{CreationTemplates: []ecr.RepositoryCreationTemplateProps{{Prefix: jsii.String("team")}, {Prefix: jsii.String("team")}}}, `ecr: Test/Registry: CreationTemplates[1].Prefix "team": already has a creation template; one template per prefix`),
		onRegistry("added template for ROOT", nil, func(r ecr.Registry) {
			r.AddRepositoryCreationTemplate(jsii.String("Root2"), &ecr.RepositoryCreationTemplateProps{Prefix: jsii.String("ROOT")})
		}, `ecr: Test/Registry/Root2: Prefix "ROOT": already has a creation template in the registry`),

		// Pull-through cache.
		cache("cache without a prefix", &ecr.PullThroughCacheRuleProps{Upstream: ecr.UpstreamQuay}, `ecr: Test/Cache: EcrRepositoryPrefix: is required`),
		cache("cache prefix of one character", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("q"), Upstream: ecr.UpstreamQuay}, `ecr: Test/Cache: EcrRepositoryPrefix "q": must be 2 to 30 characters long, not 1`),
		cache("cache prefix of 31 characters", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String(strings.Repeat("q", 31)), Upstream: ecr.UpstreamQuay}, `ecr: Test/Cache: EcrRepositoryPrefix "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq": must be 2 to 30 characters long, not 31`),
		cache("cache prefix with capitals", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("Quay"), Upstream: ecr.UpstreamQuay}, `ecr: Test/Cache: EcrRepositoryPrefix "Quay": must be ROOT or lowercase letters and digits in groups separated by . _ __ - or /, matching ^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$`),
		cache("unknown upstream", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("hub"), Upstream: "dockerhub"}, `ecr: Test/Cache: Upstream "dockerhub": must be "ecr-public", "k8s", "quay", "docker-hub", "github-container-registry", "gitlab-container-registry", "azure-container-registry", "chainguard" or "ecr"`),
		cache("docker hub without credentials", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("hub"), Upstream: ecr.UpstreamDockerHub}, `ecr: Test/Cache: CredentialArn: is required for upstream docker-hub: a Secrets Manager secret named ecr-pullthroughcache/...`),
		cache("quay with credentials", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay, CredentialArn: jsii.String(dockerSecret)}, `ecr: Test/Cache: CredentialArn "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf": upstream quay takes no credentials`),
		cache("secret outside ecr-pullthroughcache/", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("hub"), Upstream: ecr.UpstreamDockerHub,
			CredentialArn: jsii.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/credentials-AbCdEf")}, `ecr: Test/Cache: CredentialArn "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub/credentials-AbCdEf": must be the ARN of a Secrets Manager secret whose name starts with "ecr-pullthroughcache/", matching ^arn:aws:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache\/[a-zA-Z0-9\/_+=.@-]+$`),
		cache("secret ARN too short", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("hub"), Upstream: ecr.UpstreamDockerHub, CredentialArn: jsii.String("ecr-pullthroughcache/hub")}, `ecr: Test/Cache: CredentialArn "ecr-pullthroughcache/hub": must be 50 to 612 characters long, not 24`),
		cache("docker hub at another URL", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("hub"), Upstream: ecr.UpstreamDockerHub, CredentialArn: jsii.String(dockerSecret),
			UpstreamRegistryUrl: jsii.String("https://docker.io")}, `ecr: Test/Cache: UpstreamRegistryUrl "https://docker.io": must be registry-1.docker.io for upstream docker-hub, or be left out`),
		cache("azure without a URL", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("azure"), Upstream: ecr.UpstreamAzure, CredentialArn: jsii.String(dockerSecret)}, `ecr: Test/Cache: UpstreamRegistryUrl: is required for upstream azure-container-registry`),
		cache("azure URL of another host", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("azure"), Upstream: ecr.UpstreamAzure, CredentialArn: jsii.String(dockerSecret),
			UpstreamRegistryUrl: jsii.String("myregistry.azure.com")}, `ecr: Test/Cache: UpstreamRegistryUrl "myregistry.azure.com": must be an Azure Container Registry's host name, <name>.azurecr.io, without https://`),
		cache("ECR URL with a scheme", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("central"), Upstream: ecr.UpstreamEcr,
			UpstreamRegistryUrl: jsii.String("https://111122223333.dkr.ecr.eu-west-1.amazonaws.com")}, `ecr: Test/Cache: UpstreamRegistryUrl "https://111122223333.dkr.ecr.eu-west-1.amazonaws.com": must be an ECR registry's host name, <account>.dkr.ecr.<region>.amazonaws.com, without https://`),
		cache("ECR role for GitHub", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("ghcr"), Upstream: ecr.UpstreamGitHub, CredentialArn: jsii.String(dockerSecret),
			CustomRoleArn: jsii.String("arn:aws:iam::123456789012:role/cache")}, `ecr: Test/Cache: CustomRoleArn "arn:aws:iam::123456789012:role/cache": only applies to upstream ecr`),
		cache("upstream prefix under ROOT", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("ROOT"), Upstream: ecr.UpstreamQuay, UpstreamRepositoryPrefix: jsii.String("prometheus")}, `ecr: Test/Cache: UpstreamRepositoryPrefix "prometheus": can only be set when EcrRepositoryPrefix is not ROOT`),
		cache("template prefix set on a rule", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay,
			CreationTemplate: &ecr.RepositoryCreationTemplateProps{Prefix: jsii.String("other")}}, `ecr: Test/Cache: CreationTemplate.Prefix "other": must be nil: the rule's EcrRepositoryPrefix is the template's prefix`),
		cache("template and no template", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay,
			CreationTemplate: &ecr.RepositoryCreationTemplateProps{}, NoCreationTemplate: jsii.Bool(true)}, `ecr: Test/Cache: NoCreationTemplate true: can't be combined with CreationTemplate`),
		cache("cache template with an unknown mutability", &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay,
			CreationTemplate: &ecr.RepositoryCreationTemplateProps{TagMutability: "SOMETIMES"}}, `ecr: Test/Cache: CreationTemplate.TagMutability "SOMETIMES": must be IMMUTABLE, MUTABLE, IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`),
		registry("two rules for a prefix", &ecr.RegistryProps{PullThroughCacheRules: []ecr.PullThroughCacheRuleProps{
			{EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay}, {EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamKubernetes}}}, `ecr: Test/Registry: PullThroughCacheRules[1].EcrRepositoryPrefix "quay": is already the prefix of another rule`),
		onRegistry("added rule for a cached prefix", &ecr.RegistryProps{PullThroughCacheRules: []ecr.PullThroughCacheRuleProps{{EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay}}},
			func(r ecr.Registry) {
				r.AddPullThroughCacheRule(jsii.String("Quay2"), &ecr.PullThroughCacheRuleProps{EcrRepositoryPrefix: jsii.String("quay"), Upstream: ecr.UpstreamQuay})
			}, `ecr: Test/Registry/Quay2: EcrRepositoryPrefix "quay": is already the prefix of another rule`),

		// Replication.
		registry("replication to nowhere", &ecr.RegistryProps{ReplicationRules: []ecr.ReplicationRule{{}}}, `ecr: Test/Registry: ReplicationRules[0].Destinations: must hold at least one destination`),
		registry("replication to a made-up Region", &ecr.RegistryProps{ReplicationRules: []ecr.ReplicationRule{{Destinations: []ecr.ReplicationDestination{dest("europe-1")}}}}, `ecr: Test/Registry: ReplicationRules[0].Destinations[0].Region "europe-1": must be an AWS Region name such as eu-west-1`),
		registry("replication to a short account", &ecr.RegistryProps{ReplicationRules: []ecr.ReplicationRule{{Destinations: []ecr.ReplicationDestination{{Region: "eu-west-1", Account: "1234"}}}}}, `ecr: Test/Registry: ReplicationRules[0].Destinations[0].Account "1234": must be a 12-digit AWS account ID`),
		registry("replication destination twice", &ecr.RegistryProps{ReplicationRules: []ecr.ReplicationRule{{Destinations: []ecr.ReplicationDestination{dest("eu-west-1"), dest("eu-west-1")}}}}, `ecr: Test/Registry: ReplicationRules[0].Destinations[1] "eu-west-1 of this account": is listed twice in the rule`),
		registry("eleven replication rules", &ecr.RegistryProps{ReplicationRules: rules11}, `ecr: Test/Registry: ReplicationRules "(11 rules)": a registry takes at most 10 replication rules`),
		registry("26 unique destinations", &ecr.RegistryProps{ReplicationRules: []ecr.ReplicationRule{{Destinations: dests26}}}, `ecr: Test/Registry: ReplicationRules "(26 unique destinations)": ECR replicates to at most 25 unique destinations across all rules`),
		registry("replication prefix of one character", &ecr.RegistryProps{ReplicationRules: []ecr.ReplicationRule{{Destinations: []ecr.ReplicationDestination{dest("eu-west-1")}, RepositoryPrefixes: []string{"p"}}}}, `ecr: Test/Registry: ReplicationRules[0].RepositoryPrefixes[0] "p": must be 2 to 256 characters long, not 1`),
		registry("replication prefix with a wildcard", &ecr.RegistryProps{ReplicationRules: []ecr.ReplicationRule{{Destinations: []ecr.ReplicationDestination{dest("eu-west-1")}, RepositoryPrefixes: []string{"prod*"}}}}, `ecr: Test/Registry: ReplicationRules[0].RepositoryPrefixes[0] "prod*": must be the start of a repository name (lowercase letters, digits, . _ - /), matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$`),
		{name: "replication to the registry itself",
			call: func(s awscdk.Stack, _ any) {
				stack := awscdk.NewStack(s.Node().Scope().(awscdk.App), jsii.String("Pinned"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")}})
				ecr.NewRegistry(stack, jsii.String("Registry"), &ecr.RegistryProps{ReplicationRules: []ecr.ReplicationRule{{Destinations: []ecr.ReplicationDestination{dest("eu-west-1")}}}})
			},
			want: `ecr: Pinned/Registry: ReplicationRules[0].Destinations[0] "eu-west-1 of account 123456789012": is the source registry itself; replicate to another Region or account`},
		onRegistry("added rule past the limit", &ecr.RegistryProps{ReplicationRules: rules11[:10]}, func(r ecr.Registry) {
			r.AddReplicationRules(ecr.ReplicationRule{Destinations: []ecr.ReplicationDestination{dest("us-west-2")}})
		}, `ecr: Test/Registry: ReplicationRules "(11 rules)": a registry takes at most 10 replication rules`),

		// Registry policy.
		registry("replication source organization without o-", &ecr.RegistryProps{ReplicationSourceOrganization: &ecr.OrganizationReplicationSource{OrganizationID: "r-a1b2"}}, `ecr: Test/Registry: ReplicationSourceOrganization.OrganizationID "r-a1b2": must be an AWS Organizations ID: o- followed by 10 to 32 lowercase letters or digits`),
		registry("replication source organization with a bad prefix", &ecr.RegistryProps{ReplicationSourceOrganization: &ecr.OrganizationReplicationSource{OrganizationID: "o-a1b2c3d4e5", RepositoryPrefixes: []string{"Prod"}}}, `ecr: Test/Registry: ReplicationSourceOrganization.RepositoryPrefixes[0] "Prod": must be the start of a repository name (lowercase letters, digits, . _ - /), matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$`),
		onRegistry("organization source without the organization", &ecr.RegistryProps{ReplicationSourceAccounts: []string{"111122223333"}}, func(r ecr.Registry) { r.Policy().AllowReplicationFromOrganization(nil) },
			`ecr: Test/Registry/Policy: AllowReplicationFromOrganization: needs the organization`),
		registry("replication source of 11 digits", &ecr.RegistryProps{ReplicationSourceAccounts: []string{"11112222333"}}, `ecr: Test/Registry: ReplicationSourceAccounts[0] "11112222333": must be a 12-digit AWS account ID`),
		onRegistry("replication from nobody", nil, func(r ecr.Registry) { r.AllowReplicationFrom() }, `ecr: Test/Registry: AllowReplicationFrom: needs at least one account ID`),
		{name: "registry policy with pull actions",
			call: func(s awscdk.Stack, _ any) {
				ecr.NewRegistryPolicy(s, jsii.String("Policy"), &ecr.RegistryPolicyProps{Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions: jsii.Strings("ecr:ReplicateImage", "ecr:BatchGetImage"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")})}})
			},
			want: `ecr: Test/Policy: Statements[0].Action "ecr:BatchGetImage": a registry policy can only hold ecr:ReplicateImage, ecr:BatchImportUpstreamImage or ecr:CreateRepository; ECR refuses anything else at deployment`},
		{name: "registry policy with a wildcard action",
			call: func(s awscdk.Stack, _ any) {
				ecr.NewRegistryPolicy(s, jsii.String("Policy"), &ecr.RegistryPolicyProps{Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions: jsii.Strings("ecr:*"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")})}})
			},
			want: `ecr: Test/Policy: Statements[0].Action "ecr:*": a registry policy can only hold ecr:ReplicateImage, ecr:BatchImportUpstreamImage or ecr:CreateRepository; ECR refuses anything else at deployment`},
		{name: "registry policy with NotAction",
			call: func(s awscdk.Stack, _ any) {
				ecr.NewRegistryPolicy(s, jsii.String("Policy"), &ecr.RegistryPolicyProps{Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					NotActions: jsii.Strings("ecr:DeleteRepository"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")})}})
			},
			want: `ecr: Test/Policy: Statements[0].NotAction "ecr:DeleteRepository": a registry policy takes only Action, naming ecr:ReplicateImage, ecr:BatchImportUpstreamImage or ecr:CreateRepository`},
		onRegistry("added statement with a pull action", &ecr.RegistryProps{ReplicationSourceAccounts: []string{"111122223333"}}, func(r ecr.Registry) {
			r.Policy().AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("ecr:GetDownloadUrlForLayer"), Principals: &[]awsiam.IPrincipal{awsiam.NewAccountPrincipal(jsii.String("111122223333"))}, Resources: jsii.Strings("*")}))
		}, `ecr: Test/Registry/Policy: AddStatements[0].Action "ecr:GetDownloadUrlForLayer": a registry policy can only hold ecr:ReplicateImage, ecr:BatchImportUpstreamImage or ecr:CreateRepository; ECR refuses anything else at deployment`),

		// Signing.
		registry("signing without a profile", &ecr.RegistryProps{SigningRules: []ecr.SigningRule{{}}}, `ecr: Test/Registry: SigningRules[0].SigningProfileArn: is required`),
		registry("signing with a profile name", &ecr.RegistryProps{SigningRules: []ecr.SigningRule{{SigningProfileArn: "images"}}}, `ecr: Test/Registry: SigningRules[0].SigningProfileArn "images": must be an AWS Signer profile ARN, arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>, at most 200 characters`),
		registry("signing with a profile ARN missing its slash", &ecr.RegistryProps{SigningRules: []ecr.SigningRule{{SigningProfileArn: "arn:aws:signer:us-east-1:123456789012:signing-profiles/images"}}}, `ecr: Test/Registry: SigningRules[0].SigningProfileArn "arn:aws:signer:us-east-1:123456789012:signing-profiles/images": must be an AWS Signer profile ARN, arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>, at most 200 characters`),
		registry("eleven signing rules", &ecr.RegistryProps{SigningRules: signing11}, `ecr: Test/Registry: SigningRules "(11 rules)": a registry takes at most 10 signing rules`),
		registry("signing filter with a space", &ecr.RegistryProps{SigningRules: []ecr.SigningRule{{SigningProfileArn: profileArn, RepositoryFilters: []string{"prod *"}}}}, `ecr: Test/Registry: SigningRules[0].RepositoryFilters[0] "prod *": must be lowercase letters, digits, . _ - / and the * wildcard, starting and ending with a letter, digit or *, matching ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`),
		onRegistry("sign on push without rules", nil, func(r ecr.Registry) {
			r.GrantSignOnPush(awsiam.NewAccountRootPrincipal())
		}, `ecr: Test/Registry: GrantSignOnPush: the registry has no signing rules; add them with SigningRules or AddSigningRules first`),

		// Pull-time update exclusions.
		registry("exclusion of an account", &ecr.RegistryProps{PullTimeUpdateExclusions: []string{"123456789012"}}, `ecr: Test/Registry: PullTimeUpdateExclusions[0] "123456789012": must be an IAM role or user ARN, arn:<partition>:iam::<account>:role/<name>, at most 200 characters`),
		registry("exclusion of an assumed-role session", &ecr.RegistryProps{PullTimeUpdateExclusions: []string{"arn:aws:sts::123456789012:assumed-role/scanner/session"}}, `ecr: Test/Registry: PullTimeUpdateExclusions[0] "arn:aws:sts::123456789012:assumed-role/scanner/session": must be an IAM role or user ARN, arn:<partition>:iam::<account>:role/<name>, at most 200 characters`),
		registry("exclusion twice", &ecr.RegistryProps{PullTimeUpdateExclusions: []string{"arn:aws:iam::123456789012:role/scanner", "arn:aws:iam::123456789012:role/scanner"}}, `ecr: Test/Registry: PullTimeUpdateExclusions[1] "arn:aws:iam::123456789012:role/scanner": is already excluded`),
		onRegistry("added exclusion already there", &ecr.RegistryProps{PullTimeUpdateExclusions: []string{"arn:aws:iam::123456789012:role/scanner"}}, func(r ecr.Registry) {
			r.AddPullTimeUpdateExclusion("arn:aws:iam::123456789012:role/scanner")
		}, `ecr: Test/Registry: AddPullTimeUpdateExclusion "arn:aws:iam::123456789012:role/scanner": is already excluded`),
		registry("exclusion ARN too long", &ecr.RegistryProps{PullTimeUpdateExclusions: []string{"arn:aws:iam::123456789012:role/" + strings.Repeat("r", 170)}}, `ecr: Test/Registry: PullTimeUpdateExclusions[0] "arn:aws:iam::123456789012:role/rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr": must be an IAM role or user ARN, arn:<partition>:iam::<account>:role/<name>, at most 200 characters`),
	}
}
