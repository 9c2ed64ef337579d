package ecr_test

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/badinput"
)

// registryScan returns a case that makes a registry scan findings rule
// "Findings" in the stack.
func registryScan(name string, opts *ecr.RegistryScanFindingsOptions, want string) badinput.Case {
	return badinput.Case{Name: name, Call: func(stack awscdk.Stack, _ any) {
		ecr.OnRegistryScanFindings(stack, jsii.String("Findings"), opts)
	}, Want: want}
}

// registryPushed returns a case that makes a registry image pushed rule
// "Pushed" in the stack.
func registryPushed(name string, opts *ecr.RegistryImageActionOptions, want string) badinput.Case {
	return badinput.Case{Name: name, Call: func(stack awscdk.Stack, _ any) {
		ecr.OnRegistryImagePushed(stack, jsii.String("Pushed"), opts)
	}, Want: want}
}

// onImport returns a case that calls an alert function on a repository
// "Shared" imported by name.
func onImport(name string, call func(awsecr.IRepository), want string) badinput.Case {
	return badinput.Case{
		Name: name,
		Setup: func(s awscdk.Stack) any {
			return ecr.FromRepositoryName(s, jsii.String("Shared"), jsii.String("team/base"))
		},
		Call: func(_ awscdk.Stack, repo any) { call(repo.(awsecr.IRepository)) },
		Want: want,
	}
}

// notAConstruct is an awsecr.IRepository of the user's that is no
// construct, so it can't hold a rule.
type notAConstruct struct{ awsecr.IRepository }

// alertBadInputs are the bad inputs of the alert functions: on any
// repository, and registry-wide. (The Repository methods' rows are in
// badInputs.)
func alertBadInputs() []badinput.Case {
	return []badinput.Case{
		// Functions on any repository.
		{Name: "alert on a nil repository", Call: func(awscdk.Stack, any) { ecr.OnScanFindings(nil, jsii.String("Findings"), nil) },
			Want: `ecr: OnScanFindings: repo: must not be nil`},
		{Name: "alert on a repository that is no construct", Call: func(awscdk.Stack, any) { ecr.OnImagePushed(notAConstruct{}, jsii.String("Pushed"), nil) },
			Want: `ecr: OnImagePushed: repo "ecr_test.notAConstruct": must be a construct, such as a Repository, an awsecr.Repository or an import, to hold the rule`},
		onImport("unknown severity on an import", func(r awsecr.IRepository) {
			ecr.OnScanFindings(r, jsii.String("Findings"), &ecr.ScanFindingsOptions{MinimumSeverity: "critical"})
		}, `ecr: Test/Shared: MinimumSeverity "critical": must be CRITICAL, HIGH, MEDIUM or LOW`),
		onImport("tag filter with a slash on an import", func(r awsecr.IRepository) {
			ecr.OnImageDeleted(r, jsii.String("Deleted"), &ecr.ImageActionOptions{ImageTags: []string{"team/v1"}})
		}, `ecr: Test/Shared: ImageTags[0] "team/v1": must be 1 to 128 characters from A-Z a-z 0-9 _ . - and the * wildcard`),
		onImport("empty rule id on an import", func(r awsecr.IRepository) {
			ecr.OnImagePushed(r, jsii.String(""), nil)
		}, `ecr: Test/Shared: id: must not be empty`),

		// Registry-wide rules: where they go.
		{Name: "registry alert with a nil scope", Call: func(awscdk.Stack, any) { ecr.OnRegistryScanFindings(nil, jsii.String("Findings"), nil) },
			Want: `ecr: Findings: scope: must not be nil`},
		{Name: "registry alert outside a stack", Call: func(s awscdk.Stack, _ any) {
			ecr.OnRegistryImageDeleted(awscdk.Stage_Of(s), jsii.String("Deleted"), nil)
		}, Want: `ecr: Deleted: scope: must be a Stack or a construct inside one, not the App`},
		{Name: "registry alert id taken",
			Setup: func(s awscdk.Stack) any { return ecr.OnRegistryImagePushed(s, jsii.String("Events"), nil) },
			Call:  func(s awscdk.Stack, _ any) { ecr.OnRegistryImageDeleted(s, jsii.String("Events"), nil) },
			Want:  `ecr: Test/Events: id "Events": is already taken in "Test"; construct ids must be unique among siblings`},

		// Registry-wide rules: prefixes.
		registryScan("empty repository prefix", &ecr.RegistryScanFindingsOptions{RepositoryPrefixes: []string{"team-a/", ""}},
			`ecr: Test/Findings: RepositoryPrefixes[1] "": must not be empty; leave RepositoryPrefixes out for every repository`),
		registryScan("repository prefix with capitals", &ecr.RegistryScanFindingsOptions{RepositoryPrefixes: []string{"Team-A/"}},
			`ecr: Test/Findings: RepositoryPrefixes[0] "Team-A/": must start with a lowercase letter or digit and hold only a-z 0-9 . _ - /, as repository names do`),
		registryScan("repository prefix starting with a slash", &ecr.RegistryScanFindingsOptions{RepositoryPrefixes: []string{"/team"}, Enhanced: jsii.Bool(true)},
			`ecr: Test/Findings: RepositoryPrefixes[0] "/team": must start with a lowercase letter or digit and hold only a-z 0-9 . _ - /, as repository names do`),
		registryPushed("repository prefix with a wildcard", &ecr.RegistryImageActionOptions{RepositoryPrefixes: []string{"team-*"}},
			`ecr: Test/Pushed: RepositoryPrefixes[0] "team-*": must start with a lowercase letter or digit and hold only a-z 0-9 . _ - /, as repository names do`),
		registryPushed("repository prefix too long", &ecr.RegistryImageActionOptions{RepositoryPrefixes: []string{strings.Repeat("a", 257)}},
			`ecr: Test/Pushed: RepositoryPrefixes[0] "`+strings.Repeat("a", 257)+`": must be at most 256 characters, as repository names are, not 257`),
		registryPushed("repository prefix given twice", &ecr.RegistryImageActionOptions{RepositoryPrefixes: []string{"shop-", "team-a/", "shop-"}},
			`ecr: Test/Pushed: RepositoryPrefixes[2] "shop-": is given twice`),

		// Registry-wide rules: the options of the repository alerts, checked
		// by the same code.
		registryScan("unknown severity on a registry alert", &ecr.RegistryScanFindingsOptions{MinimumSeverity: "SEVERE"},
			`ecr: Test/Findings: MinimumSeverity "SEVERE": must be CRITICAL, HIGH, MEDIUM or LOW`),
		registryScan("double wildcard in a registry alert's tag filter", &ecr.RegistryScanFindingsOptions{ImageTags: []string{"v**"}},
			`ecr: Test/Findings: ImageTags[0] "v**": must not hold "**": EventBridge wildcards take one "*" at a time`),
		registryPushed("registry alert rule name with a space", &ecr.RegistryImageActionOptions{OnEventOptions: awsevents.OnEventOptions{RuleName: jsii.String("every push")}},
			`ecr: Test/Pushed: RuleName "every push": must be 1 to 64 characters from A-Z a-z 0-9 . - _`),
		registryScan("several problems in one registry alert", &ecr.RegistryScanFindingsOptions{MinimumSeverity: "SEVERE", RepositoryPrefixes: []string{"Shop"}},
			`ecr: Test/Findings: MinimumSeverity "SEVERE": must be CRITICAL, HIGH, MEDIUM or LOW; ecr: Test/Findings: RepositoryPrefixes[0] "Shop": must start with a lowercase letter or digit and hold only a-z 0-9 . _ - /, as repository names do`),
	}
}
