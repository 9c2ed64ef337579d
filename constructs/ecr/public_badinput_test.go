package ecr_test

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/badinput"
)

// publicProps returns a case that creates a public repository "Repo" with
// the props.
func publicProps(name string, p *ecr.PublicRepositoryProps, want string) badinput.Case {
	return badinput.Case{Name: "public: " + name, Call: func(stack awscdk.Stack, _ any) {
		ecr.NewPublicRepository(stack, jsii.String("Repo"), p)
	}, Want: want}
}

// catalog returns a case with catalog data.
func catalog(name string, c *ecr.PublicCatalogData, want string) badinput.Case {
	return publicProps(name, &ecr.PublicRepositoryProps{CatalogData: c}, want)
}

// onPublicRepo returns a case that calls a method of a public repository
// "Repo"; setup may add more to the stack and returns what call gets.
func onPublicRepo(name string, setup func(awscdk.Stack) any, call func(ecr.PublicRepository, any), want string) badinput.Case {
	return badinput.Case{
		Name: "public: " + name,
		Setup: func(stack awscdk.Stack) any {
			repo := ecr.NewPublicRepository(stack, jsii.String("Repo"), nil)
			var extra any
			if setup != nil {
				extra = setup(stack)
			}
			return []any{repo, extra}
		},
		Call: func(_ awscdk.Stack, fixture any) {
			f := fixture.([]any)
			call(f[0].(ecr.PublicRepository), f[1])
		},
		Want: want,
	}
}

// publicBadInputs is the bad-input surface of NewPublicRepository and its
// methods.
func publicBadInputs() []badinput.Case {
	tags := map[string]string{}
	for i := range 51 {
		tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	const namePattern = `^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`
	return []badinput.Case{
		{Name: "public: nil scope", Call: func(awscdk.Stack, any) { ecr.NewPublicRepository(nil, jsii.String("Repo"), nil) },
			Want: `ecr: Repo: scope: must not be nil`},

		// Name.
		publicProps("name too long for the API", &ecr.PublicRepositoryProps{RepositoryName: jsii.String(strings.Repeat("a", 206))},
			`ecr: Test/Repo: RepositoryName "`+strings.Repeat("a", 206)+`": must be 2 to 205 characters long, not 206`),
		publicProps("name with capitals", &ecr.PublicRepositoryProps{RepositoryName: jsii.String("Tools/CLI")},
			`ecr: Test/Repo: RepositoryName "Tools/CLI": must be lowercase letters and digits in groups separated by one of . _ - or /, matching `+namePattern),

		// Catalog data.
		catalog("description too long", &ecr.PublicCatalogData{Description: jsii.String(strings.Repeat("é", 1025))},
			`ecr: Test/Repo: CatalogData.Description "(1025 characters)": must be at most 1024 characters`),
		catalog("about text too long", &ecr.PublicCatalogData{AboutText: jsii.String(strings.Repeat("x", 10241))},
			`ecr: Test/Repo: CatalogData.AboutText "(10241 characters)": must be at most 10240 characters`),
		catalog("usage text too long", &ecr.PublicCatalogData{UsageText: jsii.String(strings.Repeat("x", 20000))},
			`ecr: Test/Repo: CatalogData.UsageText "(20000 characters)": must be at most 10240 characters`),
		catalog("architecture not a gallery badge", &ecr.PublicCatalogData{Architectures: []ecr.PublicArchitecture{ecr.PublicArchitectureARM64, "amd64"}},
			`ecr: Test/Repo: CatalogData.Architectures[1] "amd64": must be "ARM", "ARM 64", "x86" or "x86-64", the gallery's badges`),
		catalog("architecture twice", &ecr.PublicCatalogData{Architectures: []ecr.PublicArchitecture{ecr.PublicArchitectureX86, ecr.PublicArchitectureX86}},
			`ecr: Test/Repo: CatalogData.Architectures[1] "x86": is listed twice; each badge may appear once`),
		catalog("operating system in lowercase", &ecr.PublicCatalogData{OperatingSystems: []ecr.PublicOperatingSystem{"linux"}},
			`ecr: Test/Repo: CatalogData.OperatingSystems[0] "linux": must be "Linux" or "Windows", the gallery's badges`),
		catalog("operating system twice", &ecr.PublicCatalogData{OperatingSystems: []ecr.PublicOperatingSystem{ecr.PublicOperatingSystemWindows, ecr.PublicOperatingSystemLinux, ecr.PublicOperatingSystemWindows}},
			`ecr: Test/Repo: CatalogData.OperatingSystems[2] "Windows": is listed twice; each badge may appear once`),

		// Tags.
		publicProps("51 tags", &ecr.PublicRepositoryProps{Tags: tags},
			`ecr: Test/Repo: Tags "(51 tags)": a public repository takes at most 50 tags`),
		publicProps("128-character tag key", &ecr.PublicRepositoryProps{Tags: map[string]string{strings.Repeat("k", 128): "v"}},
			`ecr: Test/Repo: Tags "`+strings.Repeat("k", 128)+`": a tag key must be 1 to 127 characters`),
		publicProps("empty tag value", &ecr.PublicRepositoryProps{Tags: map[string]string{"team": ""}},
			`ecr: Test/Repo: Tags[team] "": a public repository's tag value must be 1 to 255 characters`),
		publicProps("reserved tag key", &ecr.PublicRepositoryProps{Tags: map[string]string{"AWS:Owner": "me"}},
			`ecr: Test/Repo: Tags "AWS:Owner": a tag key can't start with "aws:", which AWS reserves`),

		// Removal and alias.
		publicProps("snapshot removal", &ecr.PublicRepositoryProps{RemovalPolicy: awscdk.RemovalPolicy_SNAPSHOT},
			`ecr: Test/Repo: RemovalPolicy "SNAPSHOT": must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY; ECR Public repositories have no snapshots`),
		publicProps("alias with a digit first", &ecr.PublicRepositoryProps{RegistryAlias: jsii.String("9lives")},
			`ecr: Test/Repo: RegistryAlias "9lives": must be a lowercase letter, then lowercase letters and digits in groups separated by one of . _ -, matching ^[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*$`),

		// Several problems at once, in one line.
		publicProps("name and alias", &ecr.PublicRepositoryProps{RepositoryName: jsii.String("x"), RegistryAlias: jsii.String("a")},
			`ecr: Test/Repo: RepositoryName "x": must be 2 to 205 characters long, not 1; ecr: Test/Repo: RegistryAlias "a": must be 2 to 50 characters long, not 1`),

		// Region.
		{Name: "public: stack in eu-west-1",
			Setup: func(s awscdk.Stack) any {
				return awscdk.NewStack(awscdk.Stage_Of(s), jsii.String("Dublin"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
			},
			Call: func(_ awscdk.Stack, stack any) {
				ecr.NewPublicRepository(stack.(awscdk.Stack), jsii.String("Repo"), nil)
			},
			Want: `ecr: Dublin/Repo: Region "eu-west-1": ECR Public repositories can only be created in us-east-1; put the repository in a stack whose env Region is us-east-1`},

		// Push grant.
		onPublicRepo("push for nobody", nil, func(r ecr.PublicRepository, _ any) { r.GrantPush(nil) },
			`ecr: Test/Repo: GrantPush: needs a grantee: an IAM role, user or group`),
		onPublicRepo("push for a service", nil, func(r ecr.PublicRepository, _ any) {
			r.GrantPush(awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil))
		}, `ecr: Test/Repo: GrantPush "service codebuild.amazonaws.com": has no identity policy to add the push actions to (a service or account principal); grant push to an IAM role, user or group`),
		{Name: "public: push for a role of another account",
			Setup: func(s awscdk.Stack) any {
				stack := awscdk.NewStack(awscdk.Stage_Of(s), jsii.String("Gallery"), &awscdk.StackProps{
					Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("us-east-1")}})
				repo := ecr.NewPublicRepository(stack, jsii.String("Repo"), nil)
				return []any{repo, awsiam.Role_FromRoleArn(stack, jsii.String("CI"), jsii.String("arn:aws:iam::999988887777:role/ci"), nil)}
			},
			Call: func(_ awscdk.Stack, fixture any) {
				f := fixture.([]any)
				f[0].(ecr.PublicRepository).GrantPush(f[1].(awsiam.IRole))
			},
			Want: `ecr: Gallery/Repo: GrantPush "Gallery/CI": is in account 999988887777, not the repository's 111122223333; its identity policy is not managed by this stack, so push from another account must be granted there`},
	}
}
