package ecr_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/badinput"
)

// props returns a case that creates a repository "Repo" with the props.
func props(name string, p *ecr.RepositoryProps, want string) badinput.Case {
	return badinput.Case{Name: name, Call: func(stack awscdk.Stack, _ any) {
		ecr.NewRepository(stack, jsii.String("Repo"), p)
	}, Want: want}
}

// rules returns a case that creates a repository with lifecycle rules.
func rules(name string, want string, r ...lifecycle.Rule) badinput.Case {
	return props(name, &ecr.RepositoryProps{LifecycleRules: r}, want)
}

// onRepo returns a case that calls a method of an existing repository "Repo".
func onRepo(name string, p *ecr.RepositoryProps, call func(ecr.Repository), want string) badinput.Case {
	return badinput.Case{
		Name:  name,
		Setup: func(stack awscdk.Stack) any { return ecr.NewRepository(stack, jsii.String("Repo"), p) },
		Call:  func(_ awscdk.Stack, repo any) { call(repo.(ecr.Repository)) },
		Want:  want,
	}
}

// withKey returns a case that creates a key "Key" with keyProps, then a
// repository "Repo" with the props (nil for none) and the key.
func withKey(name string, keyProps *awskms.KeyProps, p *ecr.RepositoryProps, want string) badinput.Case {
	return badinput.Case{
		Name:  name,
		Setup: func(s awscdk.Stack) any { return awskms.NewKey(s, jsii.String("Key"), keyProps) },
		Call: func(s awscdk.Stack, key any) {
			props := ecr.RepositoryProps{}
			if p != nil {
				props = *p
			}
			props.EncryptionKey = key.(awskms.IKey)
			ecr.NewRepository(s, jsii.String("Repo"), &props)
		},
		Want: want,
	}
}

// regionalStack returns a badinput.Case Stack: a stack "Test" in region.
func regionalStack(region string) func(testing.TB) awscdk.Stack {
	return func(testing.TB) awscdk.Stack {
		return awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String(region)}})
	}
}

// badInputs is the whole bad-input surface of the public API.
func badInputs() []badinput.Case {
	tags := map[string]string{}
	for i := range 51 {
		tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	rows := []badinput.Case{
		// Construct arguments.
		{Name: "nil scope", Call: func(awscdk.Stack, any) { ecr.NewRepository(nil, jsii.String("Repo"), nil) },
			Want: `ecr: Repo: scope: must not be nil`},
		{Name: "empty id", Call: func(s awscdk.Stack, _ any) { ecr.NewRepository(s, jsii.String(""), nil) },
			Want: `ecr: Test/: id: must not be empty`},
		{Name: "id taken", Setup: func(s awscdk.Stack) any { return ecr.NewRepository(s, jsii.String("Repo"), nil) },
			Call: func(s awscdk.Stack, _ any) { ecr.NewRepository(s, jsii.String("Repo"), nil) },
			Want: `ecr: Test/Repo: id "Repo": is already taken in "Test"; construct ids must be unique among siblings`},

		// Repository name.
		props("name too short", &ecr.RepositoryProps{RepositoryName: jsii.String("a")},
			`ecr: Test/Repo: RepositoryName "a": must be 2 to 256 characters long, not 1`),
		props("name too long", &ecr.RepositoryProps{RepositoryName: jsii.String(strings.Repeat("a", 257))},
			`ecr: Test/Repo: RepositoryName "`+strings.Repeat("a", 257)+`": must be 2 to 256 characters long, not 257`),
		props("name with capitals", &ecr.RepositoryProps{RepositoryName: jsii.String("My_Repo")},
			`ecr: Test/Repo: RepositoryName "My_Repo": must be lowercase letters and digits in groups separated by one of . _ - or /, matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`),
		props("name with a leading dash", &ecr.RepositoryProps{RepositoryName: jsii.String("-web")},
			`ecr: Test/Repo: RepositoryName "-web": must be lowercase letters and digits in groups separated by one of . _ - or /, matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`),
		props("name with a double separator", &ecr.RepositoryProps{RepositoryName: jsii.String("team//web")},
			`ecr: Test/Repo: RepositoryName "team//web": must be lowercase letters and digits in groups separated by one of . _ - or /, matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`),

		props("name that is an image URI", &ecr.RepositoryProps{RepositoryName: jsii.String("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web")},
			`ecr: Test/Repo: RepositoryName "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web": is an image URI, not a repository name: give the name only, "shop/web"`),
		props("name that is an image URI with a digest", &ecr.RepositoryProps{RepositoryName: jsii.String("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web@sha256:" + strings.Repeat("0", 64))},
			`ecr: Test/Repo: RepositoryName "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web@sha256:`+strings.Repeat("0", 64)+`": is an image URI, not a repository name: give the name only, "shop/web"`),
		props("name with a tag", &ecr.RepositoryProps{RepositoryName: jsii.String("shop/web:v1.2.3")},
			`ecr: Test/Repo: RepositoryName "shop/web:v1.2.3": is an image reference with a tag or digest, not a repository name: give the name only, "shop/web"`),
		props("name that is a registry host", &ecr.RepositoryProps{RepositoryName: jsii.String("123456789012.dkr.ecr.eu-west-1.amazonaws.com")},
			`ecr: Test/Repo: RepositoryName "123456789012.dkr.ecr.eu-west-1.amazonaws.com": is a registry's host name, not a repository name: give the repository's name only, such as "shop/web"`),
		// Tag mutability.
		props("unknown mutability", &ecr.RepositoryProps{TagMutability: "SOMETIMES"},
			`ecr: Test/Repo: TagMutability "SOMETIMES": must be IMMUTABLE, MUTABLE, IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`),
		props("exclusions without an exclusion mode", &ecr.RepositoryProps{TagMutabilityExclusions: []string{"latest"}},
			`ecr: Test/Repo: TagMutabilityExclusions ["latest"]: only apply with TagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not IMMUTABLE`),
		props("exclusion mode without exclusions", &ecr.RepositoryProps{TagMutability: awsecr.TagMutability_IMMUTABLE_WITH_EXCLUSION},
			`ecr: Test/Repo: TagMutabilityExclusions: are required with TagMutability IMMUTABLE_WITH_EXCLUSION: give 1 to 5 wildcard filters`),
		props("six exclusions", &ecr.RepositoryProps{TagMutability: awsecr.TagMutability_MUTABLE_WITH_EXCLUSION, TagMutabilityExclusions: []string{"a", "b", "c", "d", "e", "f"}},
			`ecr: Test/Repo: TagMutabilityExclusions ["a","b","c","d","e","f"]: has 6 filters; ECR allows at most 5`),
		props("exclusion with a slash", &ecr.RepositoryProps{TagMutability: awsecr.TagMutability_IMMUTABLE_WITH_EXCLUSION, TagMutabilityExclusions: []string{"dev/*"}},
			`ecr: Test/Repo: TagMutabilityExclusions "dev/*": each filter must be 1 to 128 characters from 0-9 a-z A-Z . _ * -`),

		props("exclusion that matches every tag", &ecr.RepositoryProps{TagMutability: awsecr.TagMutability_IMMUTABLE_WITH_EXCLUSION, TagMutabilityExclusions: []string{"latest", "*"}},
			`ecr: Test/Repo: TagMutabilityExclusions "*": matches every tag, so with IMMUTABLE_WITH_EXCLUSION no tag is immutable; say TagMutability MUTABLE if that is meant`),
		// Encryption.
		{Name: "customer key with AES256",
			Setup: func(s awscdk.Stack) any { return awskms.NewKey(s, jsii.String("Key"), nil) },
			Call: func(s awscdk.Stack, key any) {
				ecr.NewRepository(s, jsii.String("Repo"), &ecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_AES_256(), EncryptionKey: key.(awskms.IKey)})
			},
			Want: `ecr: Test/Repo: EncryptionKey: a customer-managed key needs Encryption KMS or KMS_DSSE, not AES256`},
		props("created key with AES256", &ecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_AES_256(), CreateEncryptionKey: jsii.Bool(true)},
			`ecr: Test/Repo: CreateEncryptionKey true: a customer-managed key needs Encryption KMS or KMS_DSSE, not AES256`),
		{Name: "key given and asked for",
			Setup: func(s awscdk.Stack) any { return awskms.NewKey(s, jsii.String("Key"), nil) },
			Call: func(s awscdk.Stack, key any) {
				ecr.NewRepository(s, jsii.String("Repo"), &ecr.RepositoryProps{EncryptionKey: key.(awskms.IKey), CreateEncryptionKey: jsii.Bool(true)})
			},
			Want: `ecr: Test/Repo: CreateEncryptionKey true: can't be combined with EncryptionKey: give a key or ask for one, not both`},

		props("unknown encryption", &ecr.RepositoryProps{Encryption: awsecr.NewRepositoryEncryption(jsii.String("XOR"))},
			`ecr: Test/Repo: Encryption "XOR": must be AES256, KMS or KMS_DSSE`),

		withKey("asymmetric key", &awskms.KeyProps{KeySpec: awskms.KeySpec_RSA_2048, KeyUsage: awskms.KeyUsage_ENCRYPT_DECRYPT}, nil,
			`ecr: Test/Repo: EncryptionKey "Test/Key": has KeySpec RSA_2048; ECR encrypts images only with a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT)`),
		withKey("SM2 key", &awskms.KeyProps{KeySpec: awskms.KeySpec_SM2, KeyUsage: awskms.KeyUsage_ENCRYPT_DECRYPT}, nil,
			`ecr: Test/Repo: EncryptionKey "Test/Key": has KeySpec SM2; ECR encrypts images only with a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT)`),
		withKey("signing key", &awskms.KeyProps{KeySpec: awskms.KeySpec_ECC_NIST_P256, KeyUsage: awskms.KeyUsage_SIGN_VERIFY}, nil,
			`ecr: Test/Repo: EncryptionKey "Test/Key": has KeySpec ECC_NIST_P256 and KeyUsage SIGN_VERIFY; ECR encrypts images only with a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT)`),
		withKey("HMAC key", &awskms.KeyProps{KeySpec: awskms.KeySpec_HMAC_256, KeyUsage: awskms.KeyUsage_GENERATE_VERIFY_MAC}, nil,
			`ecr: Test/Repo: EncryptionKey "Test/Key": has KeySpec HMAC_256 and KeyUsage GENERATE_VERIFY_MAC; ECR encrypts images only with a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT)`),
		withKey("disabled key", &awskms.KeyProps{Enabled: jsii.Bool(false)}, nil,
			`ecr: Test/Repo: EncryptionKey "Test/Key": is created disabled (Enabled false); ECR can't encrypt or decrypt images with a disabled key: enable it`),
		withKey("key destroyed under a retained repository", &awskms.KeyProps{RemovalPolicy: awscdk.RemovalPolicy_DESTROY}, nil,
			`ecr: Test/Repo: EncryptionKey "Test/Key": is deleted with its stack (DeletionPolicy Delete), but the repository's RemovalPolicy RETAIN keeps the repository: its images would be left encrypted with a deleted key, which nobody can decrypt; give the key RemovalPolicy RETAIN too`),
		{Name: "key of another stack destroyed under a repository retained on update or delete",
			Setup: func(s awscdk.Stack) any {
				keys := awscdk.NewStack(awscdk.Stage_Of(s), jsii.String("Keys"), nil)
				return awskms.NewKey(keys, jsii.String("Images"), &awskms.KeyProps{RemovalPolicy: awscdk.RemovalPolicy_DESTROY})
			},
			Call: func(s awscdk.Stack, key any) {
				ecr.NewRepository(s, jsii.String("Repo"), &ecr.RepositoryProps{EncryptionKey: key.(awskms.IKey), RemovalPolicy: awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE})
			},
			Want: `ecr: Test/Repo: EncryptionKey "Keys/Images": is deleted with its stack (DeletionPolicy Delete), but the repository's RemovalPolicy RETAIN_ON_UPDATE_OR_DELETE keeps the repository: its images would be left encrypted with a deleted key, which nobody can decrypt; give the key RemovalPolicy RETAIN too`},
		{Name: "key ARN with an 11-digit account",
			Setup: func(s awscdk.Stack) any {
				return awskms.Key_FromKeyArn(s, jsii.String("Key"), jsii.String("arn:aws:kms:eu-west-1:11112222333:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
			},
			Call: func(s awscdk.Stack, key any) {
				ecr.NewRepository(s, jsii.String("Repo"), &ecr.RepositoryProps{EncryptionKey: key.(awskms.IKey)})
			},
			Want: `ecr: Test/Repo: EncryptionKey "arn:aws:kms:eu-west-1:11112222333:key/1234abcd-12ab-34cd-56ef-1234567890ab": must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id>, or an alias ARN, arn:<partition>:kms:<region>:<account>:alias/<name>`},
		{Name: "key ARN of another service",
			Setup: func(s awscdk.Stack) any {
				return awskms.Key_FromKeyArn(s, jsii.String("Key"), jsii.String("arn:aws:secretsmanager:eu-west-1:111122223333:secret/images"))
			},
			Call: func(s awscdk.Stack, key any) {
				ecr.NewRepository(s, jsii.String("Repo"), &ecr.RepositoryProps{EncryptionKey: key.(awskms.IKey)})
			},
			Want: `ecr: Test/Repo: EncryptionKey "arn:aws:secretsmanager:eu-west-1:111122223333:secret/images": must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id>, or an alias ARN, arn:<partition>:kms:<region>:<account>:alias/<name>`},
		{Name: "dual-layer encryption outside GovCloud", Stack: regionalStack("eu-west-1"),
			Call: func(s awscdk.Stack, _ any) {
				ecr.NewRepository(s, jsii.String("Repo"), &ecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_KMS_DSSE()})
			},
			Want: `ecr: Test/Repo: Encryption "KMS_DSSE": dual-layer encryption is only available in the AWS GovCloud (US) Regions (partition aws-us-gov), but the repository's stack is in eu-west-1 (partition aws); use KMS`},
		{Name: "dual-layer encryption in China", Stack: regionalStack("cn-north-1"),
			Call: func(s awscdk.Stack, _ any) {
				ecr.NewRepository(s, jsii.String("Repo"), &ecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_KMS_DSSE(), CreateEncryptionKey: jsii.Bool(true)})
			},
			Want: `ecr: Test/Repo: Encryption "KMS_DSSE": dual-layer encryption is only available in the AWS GovCloud (US) Regions (partition aws-us-gov), but the repository's stack is in cn-north-1 (partition aws-cn); use KMS`},
		// Removal.
		props("snapshot removal", &ecr.RepositoryProps{RemovalPolicy: awscdk.RemovalPolicy_SNAPSHOT},
			`ecr: Test/Repo: RemovalPolicy "SNAPSHOT": must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY; ECR repositories have no snapshots`),
		props("empty on delete with the default removal", &ecr.RepositoryProps{EmptyOnDelete: jsii.Bool(true)},
			`ecr: Test/Repo: EmptyOnDelete true: only applies with RemovalPolicy DESTROY, not RETAIN`),
		props("empty on delete with retain on update", &ecr.RepositoryProps{EmptyOnDelete: jsii.Bool(true), RemovalPolicy: awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE},
			`ecr: Test/Repo: EmptyOnDelete true: only applies with RemovalPolicy DESTROY, not RETAIN_ON_UPDATE_OR_DELETE`),

		// Tags.
		props("51 tags", &ecr.RepositoryProps{Tags: tags},
			`ecr: Test/Repo: Tags "(51 tags)": a repository takes at most 50 tags`),
		props("reserved tag key", &ecr.RepositoryProps{Tags: map[string]string{"aws:owner": "me"}},
			`ecr: Test/Repo: Tags "aws:owner": a tag key can't start with "aws:", which AWS reserves`),
		props("long tag value", &ecr.RepositoryProps{Tags: map[string]string{"note": strings.Repeat("x", 257)}},
			`ecr: Test/Repo: Tags[note] "`+strings.Repeat("x", 257)+`": a tag value must be at most 256 characters`),

		// Lifecycle rules from the helpers.
		rules("untagged after 0 days", `ecr: Test/Repo: LifecycleRules: rules[0] ("Expire untagged images 0 days after push"): selection.countNumber 0: must be a positive integer`,
			lifecycle.DeleteUntaggedAfterDays(0)),
		rules("keep the last 0 images", `ecr: Test/Repo: LifecycleRules: rules[0] ("Keep the 0 most recent images"): selection.countNumber 0: must be a positive integer`,
			lifecycle.KeepLastNImages(0)),
		rules("tagged after -1 days", `ecr: Test/Repo: LifecycleRules: rules[0] ("Expire images tagged pr-* -1 days after push"): selection.countNumber -1: must be a positive integer`,
			lifecycle.DeleteTaggedAfterDays("pr-", -1)),
		rules("empty prefix", `ecr: Test/Repo: LifecycleRules: rules[0] ("Expire images tagged * 7 days after push"): selection.tagPrefixList [""]: must not contain an empty entry`,
			lifecycle.DeleteTaggedAfterDays("", 7)),
		rules("two any-status rules", `ecr: Test/Repo: LifecycleRules: rules[1] ("Keep the 20 most recent images"): selection.tagStatus "any": rules[0] ("Keep the 10 most recent images") already selects any tag status in the standard class; only one rule per storage class may`,
			lifecycle.KeepLastNImages(10), lifecycle.KeepLastNImages(20)),
		rules("two untagged rules", `ecr: Test/Repo: LifecycleRules: rules[1] ("Expire untagged images 14 days after push"): selection.tagStatus "untagged": rules[0] ("Expire untagged images 7 days after push") already selects untagged standard images; only one rule per storage class may`,
			append(lifecycle.StandardDevRules()[:1], lifecycle.StandardProdRules()...)...),
		rules("archived for 30 days", `ecr: Test/Repo: LifecycleRules: rules[0] ("Expire images archived for 30 days"): selection.countNumber 30: must be at least 90: archived images have a 90-day minimum storage duration`,
			lifecycle.DeleteArchivedAfterDays(30)),
		rules("pattern with five wildcards", `ecr: Test/Repo: LifecycleRules: rules[0] ("Expire images tagged *a*b*c*d* 7 days after push"): selection.tagPatternList "*a*b*c*d*": has 5 wildcards; a pattern may hold at most 4`,
			lifecycle.DeleteMatchingAfterDays("*a*b*c*d*", 7)),
		rules("protect without prefixes", `ecr: Test/Repo: LifecycleRules: rules[0] ("Protect (no tags given) images from the rules after this one (never fires)"): selection.tagPrefixList []: must not be empty`,
			lifecycle.Protect()...),
		rules("protect and delete the same prefix", `ecr: Test/Repo: LifecycleRules: rules[2] ("Expire images tagged release-* 30 days after push"): selection.tagPrefixList ["release-"]: rules[0] ("Protect release-* images from the rules after this one (never fires)") already selects the same set of tags in the standard class; each rule of a storage class needs its own set`,
			append(lifecycle.Protect("release-"), lifecycle.DeleteTaggedAfterDays("release-", 30))...),
		rules("protection after a rule that expires its images", `ecr: Test/Repo: LifecycleRules: rules[1] ("Protect prod* images from the rules after this one (never fires)"): selection.tagPrefixList ["prod"]: protects nothing: rules[0] ("Expire images tagged * 30 days after push") comes first and acts on the images it selects; put the protecting rules before the rules that expire or archive`,
			lifecycle.Concat(lifecycle.DeleteMatchingAfterDays("*", 30), lifecycle.Protect("prod"))...),
		onRepo("AddLifecycleRules protecting too late", &ecr.RepositoryProps{LifecycleRules: lifecycle.KeepLastNTagged(10, "release-")}, func(r ecr.Repository) {
			r.AddLifecycleRules(lifecycle.Protect("release-1.")...)
		},
			`ecr: Test/Repo: AddLifecycleRules: rules[1] ("Protect release-1.* images from the rules after this one (never fires)"): selection.tagPrefixList ["release-1."]: protects nothing: rules[0] ("Keep the 10 most recent release-* images") comes first and acts on the images it selects; put the protecting rules before the rules that expire or archive`),
		props("rules and no policy", &ecr.RepositoryProps{NoLifecyclePolicy: jsii.Bool(true), LifecycleRules: lifecycle.StandardProdRules()},
			`ecr: Test/Repo: NoLifecyclePolicy true: can't be combined with LifecycleRules (2 rules given)`),

		// Lifecycle methods.
		onRepo("AddLifecycleRules breaking the policy", nil, func(r ecr.Repository) {
			r.AddLifecycleRules(lifecycle.KeepLastNImages(5), lifecycle.KeepLastNImages(6))
		},
			`ecr: Test/Repo: AddLifecycleRules: rules[1] ("Keep the 6 most recent images"): selection.tagStatus "any": rules[0] ("Keep the 5 most recent images") already selects any tag status in the standard class; only one rule per storage class may`),
		onRepo("AddLifecycleRules without a policy", &ecr.RepositoryProps{NoLifecyclePolicy: jsii.Bool(true)}, func(r ecr.Repository) { r.AddLifecycleRules(lifecycle.KeepLastNImages(5)) },
			`ecr: Test/Repo: AddLifecycleRules: the repository was created with NoLifecyclePolicy; drop it to add rules`),
		onRepo("CDK rule with age and count", nil, func(r ecr.Repository) {
			r.AddLifecycleRule(&awsecr.LifecycleRule{MaxImageCount: jsii.Number(3), MaxImageAge: awscdk.Duration_Days(jsii.Number(3))})
		}, `ecr: Test/Repo: AddLifecycleRule: exactly one of MaxImageAge and MaxImageCount must be given`),
		onRepo("CDK rule with hours", nil, func(r ecr.Repository) {
			r.AddLifecycleRule(&awsecr.LifecycleRule{MaxImageAge: awscdk.Duration_Hours(jsii.Number(36))})
		}, `ecr: Test/Repo: AddLifecycleRule: MaxImageAge 1 day 12 hours must be a whole number of days`),

		// Access.
		onRepo("pull for no account", nil, func(r ecr.Repository) { r.GrantPullToAccounts() },
			`ecr: Test/Repo: GrantPullToAccounts: needs at least one account principal or IAM principal ARN`),
		onRepo("pull for a short account ID", nil, func(r ecr.Repository) {
			r.GrantPullToAccounts(accountPrincipal("111122223333"), accountPrincipal("12345"))
		},
			`ecr: Test/Repo: GrantPullToAccounts[1] "12345": must be a 12-digit AWS account ID`),
		onRepo("pull, the bad entry's index among the arguments", nil, func(r ecr.Repository) {
			r.GrantPullToAccounts(accountPrincipal("111122223333"), accountPrincipal("111122223333"), arnPrincipal("bad"))
		}, `ecr: Test/Repo: GrantPullToAccounts[2] "bad": must be an IAM role, user or account-root ARN such as arn:aws:iam::123456789012:role/ci`),
		onRepo("pull for an STS session", nil, func(r ecr.Repository) {
			r.GrantPullToAccounts(arnPrincipal("arn:aws:sts::111122223333:assumed-role/ci/session"))
		}, `ecr: Test/Repo: GrantPullToAccounts[0] "arn:aws:sts::111122223333:assumed-role/ci/session": must be an IAM role, user or account-root ARN such as arn:aws:iam::123456789012:role/ci`),
		onRepo("pull for a malformed ARN", nil, func(r ecr.Repository) { r.GrantPullToAccounts(arnPrincipal("arn:aws:iam::12:role/ci")) },
			`ecr: Test/Repo: GrantPullToAccounts[0] "arn:aws:iam::12:role/ci": must be an IAM role, user or account-root ARN such as arn:aws:iam::123456789012:role/ci`),
		onRepo("pull for an S3 ARN", nil, func(r ecr.Repository) { r.GrantPullToAccounts(arnPrincipal("arn:aws:s3:::bucket")) },
			`ecr: Test/Repo: GrantPullToAccounts[0] "arn:aws:s3:::bucket": must be an IAM role, user or account-root ARN such as arn:aws:iam::123456789012:role/ci`),
		onRepo("pull for a service principal", nil, func(r ecr.Repository) {
			r.GrantPullToAccounts(accountPrincipal("111122223333"), awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil))
		}, `ecr: Test/Repo: GrantPullToAccounts[1] "awsiam.ServicePrincipal": is a principal GrantPullToAccounts can't take; it takes account principals (awsiam.NewAccountPrincipal, NewAccountRootPrincipal) and IAM role, user or account-root ARNs (awsiam.NewArnPrincipal; for a role of another stack, NewArnPrincipal(role.RoleArn()))`),
		onRepo("pull for anyone", nil, func(r ecr.Repository) { r.GrantPullToAccounts(awsiam.NewAnyPrincipal()) },
			`ecr: Test/Repo: GrantPullToAccounts[0] "awsiam.AnyPrincipal": is a principal GrantPullToAccounts can't take; it takes account principals (awsiam.NewAccountPrincipal, NewAccountRootPrincipal) and IAM role, user or account-root ARNs (awsiam.NewArnPrincipal; for a role of another stack, NewArnPrincipal(role.RoleArn()))`),
		onRepo("pull for an organization", nil, func(r ecr.Repository) { r.GrantPullToAccounts(orgPrincipal("o-a1b2c3d4e5")) },
			`ecr: Test/Repo: GrantPullToAccounts[0] "awsiam.OrganizationPrincipal": is a principal GrantPullToAccounts can't take; it takes account principals (awsiam.NewAccountPrincipal, NewAccountRootPrincipal) and IAM role, user or account-root ARNs (awsiam.NewArnPrincipal; for a role of another stack, NewArnPrincipal(role.RoleArn()))`),
		onRepo("pull for nil", nil, func(r ecr.Repository) { r.GrantPullToAccounts(nil) },
			`ecr: Test/Repo: GrantPullToAccounts[0]: is nil; it takes account principals (awsiam.NewAccountPrincipal, NewAccountRootPrincipal) and IAM role, user or account-root ARNs (awsiam.NewArnPrincipal; for a role of another stack, NewArnPrincipal(role.RoleArn()))`),
		onRepo("organization as an account", nil, func(r ecr.Repository) { r.GrantPullToOrganization(accountPrincipal("111122223333")) },
			`ecr: Test/Repo: GrantPullToOrganization "awsiam.AccountPrincipal": is a principal GrantPullToOrganization can't take; it takes an organization principal, awsiam.NewOrganizationPrincipal`),
		onRepo("organization nil", nil, func(r ecr.Repository) { r.GrantPullToOrganization(nil) },
			`ecr: Test/Repo: GrantPullToOrganization: is nil; it takes an organization principal, awsiam.NewOrganizationPrincipal`),
		onRepo("organization with conditions", nil, func(r ecr.Repository) {
			r.GrantPullToOrganization(awsiam.NewOrganizationPrincipal(jsii.String("o-a1b2c3d4e5")).WithConditions(&map[string]any{"Bool": map[string]any{"aws:SecureTransport": "true"}}))
		}, `ecr: Test/Repo: GrantPullToOrganization "awsiam.PrincipalWithConditions": is a principal GrantPullToOrganization can't take; it takes an organization principal, awsiam.NewOrganizationPrincipal`),
		onRepo("Lambda pull for a bad account", nil, func(r ecr.Repository) {
			r.GrantLambdaPull(accountPrincipal("123456789012"), accountPrincipal("acct-1"))
		},
			`ecr: Test/Repo: GrantLambdaPull[1] "acct-1": must be a 12-digit AWS account ID`),
		onRepo("Lambda pull for a role ARN", nil, func(r ecr.Repository) { r.GrantLambdaPull(arnPrincipal("arn:aws:iam::111122223333:role/ci")) },
			`ecr: Test/Repo: GrantLambdaPull[0] "awsiam.ArnPrincipal": is a principal GrantLambdaPull can't take; it takes account principals, awsiam.NewAccountPrincipal`),
		onRepo("push for nobody", nil, func(r ecr.Repository) { r.GrantPushToAccounts() },
			`ecr: Test/Repo: GrantPushToAccounts: needs at least one account principal or IAM principal ARN`),
		onRepo("push for a role name", nil, func(r ecr.Repository) { r.GrantPushToAccounts(arnPrincipal("ci-role")) },
			`ecr: Test/Repo: GrantPushToAccounts[0] "ci-role": must be an IAM role, user or account-root ARN such as arn:aws:iam::123456789012:role/ci`),
		onRepo("OU pull for nobody", nil, func(r ecr.Repository) { r.GrantPullToOrganizationalUnits() },
			`ecr: Test/Repo: GrantPullToOrganizationalUnits: needs at least one organizational unit principal`),
		onRepo("OU path without the final slash", nil, func(r ecr.Repository) {
			r.GrantPullToOrganizationalUnits(ecr.OrganizationalUnitPrincipal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111"))
		}, `ecr: Test/Repo: GrantPullToOrganizationalUnits[0] "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111": must be an organizational unit's path o-<org>/r-<root>/ou-<ou>/, one ou- segment per level, ending in /, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`),
		onRepo("OU path of the root alone", nil, func(r ecr.Repository) {
			r.GrantPullToOrganizationalUnits(ecr.OrganizationalUnitPrincipal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"), ecr.OrganizationalUnitPrincipal("o-a1b2c3d4e5/r-ab12/"))
		}, `ecr: Test/Repo: GrantPullToOrganizationalUnits[1] "o-a1b2c3d4e5/r-ab12/": must be an organizational unit's path o-<org>/r-<root>/ou-<ou>/, one ou- segment per level, ending in /, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`),
		onRepo("OU ID alone", nil, func(r ecr.Repository) {
			r.GrantPullToOrganizationalUnits(ecr.OrganizationalUnitPrincipal("ou-ab12-11111111"))
		},
			`ecr: Test/Repo: GrantPullToOrganizationalUnits[0] "ou-ab12-11111111": must be an organizational unit's path o-<org>/r-<root>/ou-<ou>/, one ou- segment per level, ending in /, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`),
		onRepo("OU path empty", nil, func(r ecr.Repository) { r.GrantPullToOrganizationalUnits(ecr.OrganizationalUnitPrincipal("")) },
			`ecr: Test/Repo: GrantPullToOrganizationalUnits[0] "": must be an organizational unit's path o-<org>/r-<root>/ou-<ou>/, one ou- segment per level, ending in /, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`),
		onRepo("OU path of another organization than its condition", nil, func(r ecr.Repository) {
			r.GrantPullToOrganizationalUnits(awsiam.NewPrincipalWithConditions(awsiam.NewAnyPrincipal(), &map[string]any{
				"StringEquals":           map[string]any{"aws:PrincipalOrgID": "o-f6g7h8i9j0"},
				"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"},
			}))
		}, `ecr: Test/Repo: GrantPullToOrganizationalUnits[0] "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/": is in organization o-a1b2c3d4e5, but the principal's aws:PrincipalOrgID condition is o-f6g7h8i9j0`),
		onRepo("OU pull for a principal with other conditions", nil, func(r ecr.Repository) {
			r.GrantPullToOrganizationalUnits(awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::111122223333:role/ci")).WithConditions(&map[string]any{
				"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"},
			}))
		}, `ecr: Test/Repo: GrantPullToOrganizationalUnits[0] "awsiam.PrincipalWithConditions": has a principal or conditions other than an organizational unit's; it takes organizational unit principals, ecr.OrganizationalUnitPrincipal`),
		onRepo("OU pull for an organization", nil, func(r ecr.Repository) { r.GrantPullToOrganizationalUnits(orgPrincipal("o-a1b2c3d4e5")) },
			`ecr: Test/Repo: GrantPullToOrganizationalUnits[0] "awsiam.OrganizationPrincipal": is a principal GrantPullToOrganizationalUnits can't take; it takes organizational unit principals, ecr.OrganizationalUnitPrincipal`),
		{Name: "key in another Region",
			Setup: func(s awscdk.Stack) any {
				regional := awscdk.NewStack(awscdk.Stage_Of(s), jsii.String("Regional"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
				return []any{regional, awskms.Key_FromKeyArn(regional, jsii.String("Key"), jsii.String("arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"))}
			},
			Call: func(_ awscdk.Stack, fixture any) {
				f := fixture.([]any)
				ecr.NewRepository(f[0].(awscdk.Stack), jsii.String("Repo"), &ecr.RepositoryProps{EncryptionKey: f[1].(awskms.IKey)})
			},
			Want: `ecr: Regional/Repo: EncryptionKey "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab": is in Region us-west-2, but the repository's stack is in eu-west-1; ECR needs a key of the repository's own Region`},
		{Name: "import by ARN without an ARN", Call: func(s awscdk.Stack, _ any) { ecr.FromRepositoryArn(s, jsii.String("Shared"), nil) },
			Want: `ecr: Test/Shared: repositoryArn: is required`},
		{Name: "import by a malformed ARN", Call: func(s awscdk.Stack, _ any) {
			ecr.FromRepositoryArn(s, jsii.String("Shared"), jsii.String("arn:aws:s3:::bucket"))
		}, Want: `ecr: Test/Shared: repositoryArn "arn:aws:s3:::bucket": must be an ECR repository ARN, arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME`},
		{Name: "import by an ARN with a bad name", Call: func(s awscdk.Stack, _ any) {
			ecr.FromRepositoryArn(s, jsii.String("Shared"), jsii.String("arn:aws:ecr:eu-west-1:111122223333:repository/Team/Base"))
		}, Want: `ecr: Test/Shared: repositoryArn name "Team/Base": must be lowercase letters and digits in groups separated by one of . _ - or /, matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`},
		{Name: "import by an ARN known only at deployment", Call: func(s awscdk.Stack, _ any) {
			ecr.FromRepositoryArn(s, jsii.String("Shared"), awscdk.Fn_ImportValue(jsii.String("BaseRepositoryArn")))
		}, Want: `ecr: Test/Shared: repositoryArn "${Token[TOKEN.`},
		{Name: "import by attributes without any", Call: func(s awscdk.Stack, _ any) {
			ecr.FromRepositoryAttributes(s, jsii.String("Shared"), nil)
		}, Want: `ecr: Test/Shared: RepositoryName: is required; ecr: Test/Shared: RepositoryArn: is required`},
		{Name: "import by attributes that disagree", Call: func(s awscdk.Stack, _ any) {
			ecr.FromRepositoryAttributes(s, jsii.String("Shared"), &awsecr.RepositoryAttributes{
				RepositoryName: jsii.String("team/base"),
				RepositoryArn:  jsii.String("arn:aws:ecr:eu-west-1:111122223333:repository/team/web"),
			})
		}, Want: `ecr: Test/Shared: RepositoryArn "arn:aws:ecr:eu-west-1:111122223333:repository/team/web": names repository "team/web", not RepositoryName "team/base"`},

		// Other packages refuse with the same error type.
		{Name: "compliance level unknown", Call: func(s awscdk.Stack, _ any) {
			compliance.Enable(awscdk.Stage_Of(s).(awscdk.App), &compliance.Options{Level: "paranoid"})
		}, Want: `compliance: Enable: Options.Level "paranoid": must be "standard" or "strict"`},
		onRepo("cdk-nag suppression without a reason", nil, func(r ecr.Repository) {
			nag.Suppress(r, nag.Suppression{ID: "AwsSolutions-ECR1", Reason: "ok"})
		}, `nag: Test/Repo: Suppression.Reason "ok": must explain the AwsSolutions-ECR1 exception in at least 10 characters`),
		{Name: "lifecycle rules checked alone", Call: func(awscdk.Stack, any) {
			if _, err := lifecycle.NewPolicy(lifecycle.KeepLastNImages(0)); err != nil {
				panic(err)
			}
		}, Want: `lifecycle: rules[0] ("Keep the 0 most recent images"): selection.countNumber 0: must be a positive integer`},

		{Name: "import without a name", Call: func(s awscdk.Stack, _ any) { ecr.FromRepositoryName(s, jsii.String("Shared"), nil) },
			Want: `ecr: Test/Shared: repositoryName: is required`},
		{Name: "import with a bad name", Call: func(s awscdk.Stack, _ any) {
			ecr.FromRepositoryName(s, jsii.String("Shared"), jsii.String("Team/Base"))
		},
			Want: `ecr: Test/Shared: repositoryName "Team/Base": must be lowercase letters and digits in groups separated by one of . _ - or /, matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`},
		{Name: "grant on an import for another account",
			Setup: func(s awscdk.Stack) any {
				return ecr.FromRepositoryName(s, jsii.String("Shared"), jsii.String("team/base"))
			},
			Call: func(_ awscdk.Stack, repo any) {
				repo.(awsecr.IRepository).GrantPull(awsiam.NewAccountPrincipal(jsii.String("111122223333")))
			},
			Want: `ecr: Test/Shared: GrantPull "account 111122223333": repository "team/base" is imported, so its repository policy is not managed by this stack and a principal of another account than the repository's, or a service principal, can't be granted access here; grant it in the stack that owns the repository (GrantPullToAccounts, GrantLambdaPull)`},

		// Alerts.
		onRepo("unknown severity", nil, func(r ecr.Repository) {
			r.OnScanFindings(jsii.String("Findings"), &ecr.ScanFindingsOptions{MinimumSeverity: "SEVERE"})
		}, `ecr: Test/Repo: MinimumSeverity "SEVERE": must be CRITICAL, HIGH, MEDIUM or LOW`),
		onRepo("empty tag filter", nil, func(r ecr.Repository) {
			r.OnScanFindings(jsii.String("Findings"), &ecr.ScanFindingsOptions{ImageTags: []string{"release-*", ""}})
		}, `ecr: Test/Repo: ImageTags[1] "": must be 1 to 128 characters from A-Z a-z 0-9 _ . - and the * wildcard`),
		onRepo("tag filter with a slash", nil, func(r ecr.Repository) {
			r.OnImagePushed(jsii.String("Pushed"), &ecr.ImageActionOptions{ImageTags: []string{"team/v1"}})
		}, `ecr: Test/Repo: ImageTags[0] "team/v1": must be 1 to 128 characters from A-Z a-z 0-9 _ . - and the * wildcard`),
		onRepo("double wildcard in a tag filter", nil, func(r ecr.Repository) {
			r.OnImagePushed(jsii.String("Pushed"), &ecr.ImageActionOptions{ImageTags: []string{"release-**"}})
		}, `ecr: Test/Repo: ImageTags[0] "release-**": must not hold "**": EventBridge wildcards take one "*" at a time`),
		onRepo("rule name with a space", nil, func(r ecr.Repository) {
			r.OnImageDeleted(jsii.String("Deleted"), &ecr.ImageActionOptions{OnEventOptions: awsevents.OnEventOptions{RuleName: jsii.String("image deleted")}})
		}, `ecr: Test/Repo: RuleName "image deleted": must be 1 to 64 characters from A-Z a-z 0-9 . - _`),
		{Name: "a principal of another partition", Stack: func(t testing.TB) awscdk.Stack {
			return awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
		},
			Setup: func(s awscdk.Stack) any { return ecr.NewRepository(s, jsii.String("Repo"), nil) },
			Call: func(_ awscdk.Stack, repo any) {
				repo.(ecr.Repository).GrantPullToAccounts(arnPrincipal("arn:aws-us-gov:iam::111122223333:role/ci"))
			},
			Want: `ecr: Test/Repo: GrantPullToAccounts[0] "arn:aws-us-gov:iam::111122223333:role/ci": is in partition aws-us-gov, but the repository's Region eu-west-1 is in aws; a repository policy takes principals of its own partition`},
		{Name: "rule id taken",
			Setup: func(s awscdk.Stack) any {
				repo := ecr.NewRepository(s, jsii.String("Repo"), nil)
				repo.OnImagePushed(jsii.String("Events"), nil)
				return repo
			},
			Call: func(_ awscdk.Stack, repo any) { repo.(ecr.Repository).OnImageDeleted(jsii.String("Events"), nil) },
			Want: `ecr: Test/Repo: id "Events": is already taken in "Test/Repo"; construct ids must be unique among siblings`},
	}
	return slices.Concat(rows, publicBadInputs())
}

func TestBadInputIsRefusedBeforeSynthesis(t *testing.T) {
	badinput.Run(t, slices.Concat(badInputs(), alertBadInputs()))
}
