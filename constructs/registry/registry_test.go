package registry_test

import (
	"strings"

	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// nil props: basic scan on push for every repository and a ROOT template
// with the repository defaults, without a role.
func TestRegistryBaseline(t *testing.T) {
	stack := cdktest.NewStack(t)
	registry.New(stack, jsii.String("Registry"), nil)
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::ECR::RegistryScanningConfiguration", map[string]any{
		"ScanType": "BASIC",
		"Rules":    []any{map[string]any{"ScanFrequency": "SCAN_ON_PUSH", "RepositoryFilters": []any{map[string]any{"Filter": "*", "FilterType": "WILDCARD"}}}},
	})
	tpl.HasResourceProperties("AWS::ECR::RepositoryCreationTemplate", map[string]any{
		"Prefix":                  "ROOT",
		"AppliedFor":              []any{"REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"},
		"ImageTagMutability":      "IMMUTABLE",
		"EncryptionConfiguration": map[string]any{"EncryptionType": "KMS"},
		"CustomRoleArn":           assertions.Match_Absent(),
	})
	tpl.ResourceCountIs("AWS::IAM::Role", 0)
	tpl.ResourceCountIs("AWS::ECR::ReplicationConfiguration", 0)
	tpl.ResourceCountIs("AWS::ECR::RegistryPolicy", 0)
}

// A template and a repository from zero props get the same settings, from
// the same code.
func TestTemplateSharesTheRepositoryDefaults(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRepository(stack, jsii.String("Repo"), nil)
	registry.NewRepositoryCreationTemplate(stack, jsii.String("Template"), nil)
	out := cdktest.JSON(t, stack)
	repo := cdktest.Resource(t, out, "AWS::ECR::Repository")["Properties"].(map[string]any)
	tmpl := cdktest.Resource(t, out, "AWS::ECR::RepositoryCreationTemplate")["Properties"].(map[string]any)
	cdktest.JSONEqual(t, "mutability", tmpl["ImageTagMutability"], repo["ImageTagMutability"])
	cdktest.JSONEqual(t, "encryption", tmpl["EncryptionConfiguration"], repo["EncryptionConfiguration"])
	cdktest.JSONEqual(t, "lifecycle policy", tmpl["LifecyclePolicy"], repo["LifecyclePolicy"].(map[string]any)["LifecyclePolicyText"])
}

// A template with a customer-managed key and tags gets a role with exactly
// the documented trust and permissions.
func TestTemplateRole(t *testing.T) {
	stack := cdktest.NewStack(t)
	key := "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	tmpl := registry.NewRepositoryCreationTemplate(stack, jsii.String("Template"), &registry.RepositoryCreationTemplateProps{
		Prefix: jsii.String("team"), EncryptionKeyArn: jsii.String(key), Tags: map[string]string{"team": "payments"},
	})
	if tmpl.Role() == nil {
		t.Fatal("no role made")
	}
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{
		"Statement": []any{map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "ecr.amazonaws.com"}}},
	}})
	tpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{
		map[string]any{"Action": []any{"ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"}, "Effect": "Allow",
			"Resource": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/team/*"}},
		map[string]any{"Action": []any{"kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"}, "Effect": "Allow", "Resource": key},
	}}})
	tpl.HasResourceProperties("AWS::ECR::RepositoryCreationTemplate", map[string]any{
		"EncryptionConfiguration": map[string]any{"EncryptionType": "KMS", "KmsKey": key},
		"ResourceTags":            []any{map[string]any{"Key": "team", "Value": "payments"}},
		"CustomRoleArn":           map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("TemplateRole")), "Arn"}},
	})
}

// Pull-through cache rules: presets, a template per prefix, the ECR role,
// and the grant for principals that pull through the cache.
func TestPullThroughCache(t *testing.T) {
	stack := cdktest.NewStack(t)
	reg := registry.New(stack, jsii.String("Registry"), nil)
	hub := reg.AddPullThroughCacheRule(jsii.String("DockerHub"), &registry.PullThroughCacheRuleProps{
		EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub,
		CredentialArn: jsii.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"),
	})
	reg.AddPullThroughCacheRule(jsii.String("Central"), &registry.PullThroughCacheRuleProps{
		EcrRepositoryPrefix: "central", Upstream: registry.UpstreamECR, UpstreamRegistryUrl: jsii.String(registry.ECRRegistryURL("111122223333", "eu-west-1")),
	})
	role := awsiam.NewRole(stack, jsii.String("Builder"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil)})
	hub.GrantPull(role)

	if hub.UpstreamRegistryUrl() != "registry-1.docker.io" || hub.CreationTemplate() == nil || hub.CreationTemplate().Prefix() != "docker-hub" {
		t.Errorf("rule: url %q, template %v", hub.UpstreamRegistryUrl(), hub.CreationTemplate())
	}
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::ECR::PullThroughCacheRule", map[string]any{
		"EcrRepositoryPrefix": "docker-hub", "UpstreamRegistry": "docker-hub", "UpstreamRegistryUrl": "registry-1.docker.io",
	})
	tpl.HasResourceProperties("AWS::ECR::RepositoryCreationTemplate", map[string]any{
		"Prefix": "docker-hub", "AppliedFor": []any{"PULL_THROUGH_CACHE"}, "ImageTagMutability": "IMMUTABLE",
	})
	tpl.HasResourceProperties("AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{
		"Statement": []any{map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "pullthroughcache.ecr.amazonaws.com"}}},
	}})
	tpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("Builder"))}},
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": []any{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"},
				"Effect": "Allow", "Resource": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/docker-hub/*"}},
			map[string]any{"Action": "ecr:GetAuthorizationToken", "Effect": "Allow", "Resource": "*"},
		}},
	})
}

// Replication to another Region and account, the destination's registry
// policy, signing with its grant, and a pull-time exclusion.
func TestReplicationPolicySigningExclusion(t *testing.T) {
	stack := cdktest.NewStack(t)
	profile := "arn:aws:signer:us-east-1:123456789012:/signing-profiles/images"
	reg := registry.New(stack, jsii.String("Registry"), &registry.Props{
		ReplicationRules: []registry.ReplicationRule{{
			Destinations:       []registry.ReplicationDestination{{Region: "eu-west-1"}, {Region: "us-east-1", Account: jsii.String("111122223333")}},
			RepositoryPrefixes: []string{"prod"},
		}},
		ReplicationSourceAccounts: []string{"444455556666"},
		SigningRules:              []registry.SigningRule{{SigningProfileArn: jsii.String(profile)}},
		PullTimeUpdateExclusions:  []string{"arn:aws:iam::123456789012:role/scanner"},
	})
	pusher := awsiam.NewRole(stack, jsii.String("Pusher"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	reg.GrantSignOnPush(pusher)

	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::ECR::ReplicationConfiguration", map[string]any{"ReplicationConfiguration": map[string]any{"Rules": []any{map[string]any{
		"Destinations":      []any{map[string]any{"Region": "eu-west-1", "RegistryId": map[string]any{"Ref": "AWS::AccountId"}}, map[string]any{"Region": "us-east-1", "RegistryId": "111122223333"}},
		"RepositoryFilters": []any{map[string]any{"Filter": "prod", "FilterType": "PREFIX_MATCH"}},
	}}}})
	tpl.HasResourceProperties("AWS::ECR::RegistryPolicy", map[string]any{"PolicyText": map[string]any{"Statement": []any{map[string]any{
		"Sid": "ReplicationFromAccounts", "Action": []any{"ecr:ReplicateImage", "ecr:CreateRepository"}, "Effect": "Allow",
		"Resource": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*"},
	}}}})
	tpl.HasResourceProperties("AWS::ECR::SigningConfiguration", map[string]any{"Rules": []any{map[string]any{
		"SigningProfileArn": profile, "RepositoryFilters": []any{map[string]any{"Filter": "*", "FilterType": "WILDCARD_MATCH"}},
	}}})
	tpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{
		map[string]any{"Action": "signer:SignPayload", "Effect": "Allow", "Resource": profile},
	}}})
	tpl.HasResourceProperties("AWS::ECR::PullTimeUpdateExclusion", map[string]any{"PrincipalArn": "arn:aws:iam::123456789012:role/scanner"})
}

// Enhanced scanning renders both frequencies with their filters.
func TestEnhancedScanning(t *testing.T) {
	stack := cdktest.NewStack(t)
	registry.New(stack, jsii.String("Registry"), &registry.Props{Scanning: &registry.ScanningProps{
		ScanType: registry.ScanTypeEnhanced,
		Rules:    []registry.ScanningRule{{Frequency: registry.ScanFrequencyContinuous, RepositoryFilters: []string{"prod/*"}}, {}},
	}})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::RegistryScanningConfiguration", map[string]any{
		"ScanType": "ENHANCED",
		"Rules": []any{
			map[string]any{"ScanFrequency": "CONTINUOUS_SCAN", "RepositoryFilters": []any{map[string]any{"Filter": "prod/*", "FilterType": "WILDCARD"}}},
			map[string]any{"ScanFrequency": "SCAN_ON_PUSH", "RepositoryFilters": []any{map[string]any{"Filter": "*", "FilterType": "WILDCARD"}}},
		},
	})
}

// The organization form of the replication source: the "*" principal under
// aws:PrincipalOrgID, on the replicated prefixes only.
func TestReplicationFromAnOrganization(t *testing.T) {
	stack := cdktest.NewStack(t)
	registry.New(stack, jsii.String("Registry"), &registry.Props{
		ReplicationSourceOrganization: &registry.OrganizationReplicationSource{OrganizationID: "o-a1b2c3d4e5", RepositoryPrefixes: []string{"prod/", "shared"}},
	})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::RegistryPolicy", map[string]any{"PolicyText": map[string]any{"Statement": []any{map[string]any{
		"Sid": "ReplicationFromOrganization", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
		"Action":    []any{"ecr:ReplicateImage", "ecr:CreateRepository"},
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
		"Resource": []any{
			map[string]any{"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/prod/*"},
			map[string]any{"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/shared*"},
		},
	}}}})
}

// A prefix given as a token (a stack-set parameter, say) renders ARNs that
// CloudFormation takes: Fn::Sub holds only literal text.
func TestTokenPrefixesRenderJoinedArns(t *testing.T) {
	stack := cdktest.NewStack(t)
	prefix := awscdk.NewCfnParameter(stack, jsii.String("TeamPrefix"), &awscdk.CfnParameterProps{Type: jsii.String("String")})
	registry.New(stack, jsii.String("Registry"), &registry.Props{
		CreationTemplates: []registry.RepositoryCreationTemplateProps{{Prefix: prefix.ValueAsString(), Tags: map[string]string{"team": "a"}}},
	})
	policy := cdktest.Resource(t, cdktest.JSON(t, stack), "AWS::IAM::Policy")
	if cdktest.Mentions(policy, "Fn::Sub") || !cdktest.Mentions(policy, "Fn::Join") || !cdktest.Mentions(policy, `"Ref":"TeamPrefix"`) {
		t.Errorf("the template role's policy: %v", policy)
	}
}

// Prefixes that make the same construct id ("a.b", "a-b") get one each.
func TestPrefixesWithTheSameIDPart(t *testing.T) {
	stack := cdktest.NewStack(t)
	registry.New(stack, jsii.String("Registry"), &registry.Props{
		CreationTemplates: []registry.RepositoryCreationTemplateProps{{Prefix: jsii.String("a.b")}, {Prefix: jsii.String("a-b")}},
	})
	cdktest.NewTemplate(t, stack).ResourceCountIs("AWS::ECR::RepositoryCreationTemplate", 3) // with ROOT
}

// Statement ids stay unique, and an empty registry policy fails synthesis
// with one line rather than CloudFormation's refusal at deployment.
func TestRegistryPolicyStatements(t *testing.T) {
	stack := cdktest.NewStack(t)
	reg := registry.New(stack, jsii.String("Registry"), &registry.Props{ReplicationSourceAccounts: []string{"111122223333"}})
	reg.AllowReplicationFrom("444455556666")
	policy := cdktest.Resource(t, cdktest.JSON(t, stack), "AWS::ECR::RegistryPolicy")
	if !cdktest.Mentions(policy, `"Sid":"ReplicationFromAccounts"`) || !cdktest.Mentions(policy, `"Sid":"ReplicationFromAccounts2"`) {
		t.Errorf("statement ids: %v", policy)
	}

	empty := cdktest.NewStack(t)
	registry.NewPolicy(empty, jsii.String("Policy"), nil)
	err := cdktest.Panic(t, func() { awscdk.Stage_Of(empty).Synth(nil) })
	if err == nil || !strings.Contains(err.Error(), "registry: Test/Policy: the registry policy has no statement") {
		t.Errorf("an empty registry policy: %v", err)
	}
}

// DeleteReplication renders CloudFormation's ReplicationRule.DeleteReplication
// on the rules that ask for it, added later too, and nothing on the others.
func TestDeleteReplication(t *testing.T) {
	stack := cdktest.NewStack(t)
	reg := registry.New(stack, jsii.String("Registry"), &registry.Props{
		ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{{Region: "eu-west-1"}}}},
	})
	reg.AddReplicationRules(registry.ReplicationRule{Destinations: []registry.ReplicationDestination{{Region: "eu-central-1"}}, RepositoryPrefixes: []string{"mirror/"}, DeleteReplication: true})
	dest := func(region string) []any {
		return []any{map[string]any{"Region": region, "RegistryId": map[string]any{"Ref": "AWS::AccountId"}}}
	}
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::ReplicationConfiguration", map[string]any{"ReplicationConfiguration": map[string]any{"Rules": []any{
		map[string]any{"Destinations": dest("eu-west-1")},
		map[string]any{"Destinations": dest("eu-central-1"), "RepositoryFilters": []any{map[string]any{"Filter": "mirror/", "FilterType": "PREFIX_MATCH"}}, "DeleteReplication": map[string]any{"Enabled": true}},
	}}})
}

// A creation template's lifecycle analysis warnings are CDK warnings on
// the template.
func TestTemplateLifecycleWarnings(t *testing.T) {
	stack := cdktest.NewStack(t)
	registry.NewRepositoryCreationTemplate(stack, jsii.String("Keeper"), &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("keep"), LifecycleRules: lifecycle.Protect("prod")})
	got := cdktest.Warnings(t, stack)
	want := `/Test/Keeper: LifecycleRules: policy: rules (2 rules): no rule can ever fire, so the policy expires nothing (Security Hub ECR.3 passes all the same); add a rule that acts, such as DeleteUntaggedAfterDays(14) [ack: @secure-ecr/ecr-cdk-go:lifecycle-expiresNothing]`
	if len(got) != 1 || got[0] != want {
		t.Errorf("warnings = %q, want %q", got, want)
	}
}

// A refused Add… call keeps nothing: the rules it refused don't count
// against the next call, which the registry checks against what it holds.
func TestRefusedAddKeepsNothing(t *testing.T) {
	stack := cdktest.NewStack(t)
	r := registry.New(stack, jsii.String("Registry"), nil)
	ten := make([]registry.SigningRule, 10)
	for i := range ten {
		ten[i] = registry.SigningRule{SigningProfileArn: jsii.String(profileArn)}
	}
	err := cdktest.Panic(t, func() {
		r.AddSigningRules(append(ten, registry.SigningRule{SigningProfileArn: jsii.String(profileArn)})...)
	})
	if want := `registry: Test/Registry: SigningRules "(11 rules)": a registry takes at most 10 signing rules`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	r.AddSigningRules(ten...)
	err = cdktest.Panic(t, func() { r.AddSigningRules(ten[0]) })
	if want := `registry: Test/Registry: SigningRules "(11 rules)": a registry takes at most 10 signing rules`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	cdktest.NewTemplate(t, stack).ResourceCountIs("AWS::ECR::SigningConfiguration", 1)
}

// CheckStackSet finds what keeps valid props from being a stack set's
// baseline, and only that: an invalid value is Validate's.
func TestCheckStackSet(t *testing.T) {
	const scanner = "arn:aws:iam::111122223333:role/scanner"
	props := &registry.Props{
		CreationTemplates:        []registry.RepositoryCreationTemplateProps{{Prefix: jsii.String("Team")}},
		PullTimeUpdateExclusions: []string{scanner, "123456789012"},
	}
	want := `registry: Props: PullTimeUpdateExclusions[0] "` + scanner + `": is bound to account 111122223333 (an IAM principal belongs to one account), but the stack set deploys the baseline to every account of its organizational units in 1 Region: build the registry in Baseline with a parameter in its place (awscdk.NewCfnParameter, its ValueAsString), valued by Parameters and ParameterOverrides, or use a token`
	if err := props.CheckStackSet([]string{"eu-west-1"}); err == nil || err.Error() != want {
		t.Errorf("CheckStackSet:\n got %v\nwant %s", err, want)
	}
	if err := props.Validate(); err == nil || strings.Contains(err.Error(), "bound") {
		t.Errorf("Validate: got %v, want the invalid prefix and principal only", err)
	}
	var none *registry.Props
	if err := none.CheckStackSet([]string{"eu-west-1"}); err != nil {
		t.Errorf("nil props: %v", err)
	}
	if err := (&registry.Props{ReplicationRules: []registry.ReplicationRule{{Destinations: []registry.ReplicationDestination{{Region: "us-east-1"}}}}}).CheckStackSet([]string{"eu-west-1"}); err != nil {
		t.Errorf("replication to a Region outside the stack set: %v", err)
	}
}
