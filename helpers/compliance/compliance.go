// Package compliance makes a CDK app's synthesis fail when an Amazon ECR
// repository in it breaks AWS Security Hub's or Checkov's ECR controls. It
// uses CDK's own validation machinery, CloudFormationValidatePlugin, so the
// findings appear in CDK's validation report (validation-report.json in the
// cloud assembly, and on the console) like any other:
//
//	app := awscdk.NewApp(nil)
//	compliance.Enable(app, nil)
//
// The rules check every AWS::ECR::Repository of the synthesized templates,
// whichever construct made it: this library's ecr.Repository, CDK's
// awsecr.Repository, or a raw CfnRepository; and every
// AWS::ECR::PublicRepository (ecr.PublicRepository or a raw
// CfnPublicRepository) for Security Hub ECR.4.
//
// They also hold every AWS::ECR::RepositoryCreationTemplate, which
// configures the repositories ECR creates itself, to the same tag,
// encryption and lifecycle controls (rules named *_TEMPLATE). A repository
// without scan on push passes Security Hub ECR.1 when its template also
// holds a registry scanning configuration whose filters are all "*"
// (registry.New's default).
//
// The rules apply to the whole app: CDK registers this plugin only at the
// App. A repository meant to break a control, such as a sandbox's, can
// acknowledge it with a reason ([Acknowledgment]): in aws-cdk-lib 2.277 the
// acknowledgement waives the rule for that construct and those below it
// only, so every other repository of the app is still held to it.
// ecr.DevelopmentProps acknowledges its two findings this way.
package compliance

import (
	_ "embed"
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// Level selects which controls are checked.
type Level string

const (
	// LevelStandard checks Security Hub ECR.1, ECR.2, ECR.3, ECR.4 (public
	// repositories) and Checkov CKV_AWS_51, CKV_AWS_136, CKV_AWS_163 and
	// CKV_AWS_32. The defaults of ecr.Repository and ecr.PublicRepository
	// satisfy all of them.
	LevelStandard Level = "standard"
	// LevelStrict adds Security Hub ECR.5: a customer-managed KMS key (set
	// ecr.RepositoryProps.EncryptionKey or CreateEncryptionKey).
	LevelStrict Level = "strict"
)

// Values returns every level, from the least strict.
func (Level) Values() []Level { return []Level{LevelStandard, LevelStrict} }

// Options configures [Enable].
type Options struct {
	// Level is the set of controls checked.
	// Default: LevelStandard.
	Level Level
}

// Control is one control the rule pack checks.
type Control struct {
	// ID is the control's identifier, such as "ECR.1" or "CKV_AWS_51".
	ID string
	// Source is "Security Hub" or "Checkov".
	Source string
	// Rule is the rule name that appears in CDK's validation report.
	Rule string
	// Requirement says what the repository must have.
	Requirement string
	// Level is the lowest level that checks the control.
	Level Level
}

// Controls lists the controls checked at a level.
func Controls(level Level) []Control {
	all := []Control{
		{"ECR.1", "Security Hub", "SECURITYHUB_ECR_1", "scan on push, or registry scanning of every repository (\"*\") in the same template", LevelStandard},
		{"ECR.2", "Security Hub", "SECURITYHUB_ECR_2", "immutable tags", LevelStandard},
		{"ECR.3", "Security Hub", "SECURITYHUB_ECR_3", "a lifecycle policy", LevelStandard},
		{"ECR.4", "Security Hub", "SECURITYHUB_ECR_4", "public repositories tagged", LevelStandard},
		{"CKV_AWS_51", "Checkov", "CHECKOV_CKV_AWS_51", "ImageTagMutability exactly IMMUTABLE", LevelStandard},
		{"CKV_AWS_136", "Checkov", "CHECKOV_CKV_AWS_136", "EncryptionType exactly KMS", LevelStandard},
		{"CKV_AWS_163", "Checkov", "CHECKOV_CKV_AWS_163", "scan on push", LevelStandard},
		{"CKV_AWS_32", "Checkov", "CHECKOV_CKV_AWS_32", "no * principal without an aws:PrincipalOrgID condition", LevelStandard},
		{"ECR.2", "Security Hub", "SECURITYHUB_ECR_2_TEMPLATE", "creation templates: immutable tags", LevelStandard},
		{"ECR.3", "Security Hub", "SECURITYHUB_ECR_3_TEMPLATE", "creation templates: a lifecycle policy", LevelStandard},
		{"CKV_AWS_136", "Checkov", "CHECKOV_CKV_AWS_136_TEMPLATE", "creation templates: EncryptionType exactly KMS", LevelStandard},
		{"ECR.5", "Security Hub", "SECURITYHUB_ECR_5", "a customer-managed KMS key", LevelStrict},
		{"ECR.5", "Security Hub", "SECURITYHUB_ECR_5_TEMPLATE", "creation templates: a customer-managed KMS key", LevelStrict},
	}
	var out []Control
	for _, c := range all {
		if c.Level == LevelStandard || level == LevelStrict {
			out = append(out, c)
		}
	}
	return out
}

var (
	//go:embed rules/ecr.guard
	standardGuard string
	//go:embed rules/ecr-strict.guard
	strictGuard string
	//go:embed rules/ecr-policy.rego
	policyRego string
)

// failOnFindings is the feature flag that makes CloudFormation validation
// findings errors, which fail synthesis, instead of warnings. It is one of
// CDK's recommended flags, in the cdk.json that `cdk init` writes.
const failOnFindings = "@aws-cdk/core:validateAgainstDefaultRules"

// appMode is the context key of how aws-cdk-lib reports a failed policy
// validation (cx-api's CDK_APP_MODE_CONTEXT). With "inmemory" it throws
// the report inside its error and prints nothing; unset (a Go app is
// "unknown" to it) it prints its own block of three lines per finding to
// standard error before throwing, and exit.OnError's one line per finding
// would come after it (aws-cdk-lib 2.277, core/lib/private/
// synthesis-validation.js). The Go app is the process that synthesizes
// in memory, so Enable sets it when the app doesn't.
const appMode = "@aws-cdk/core:appMode"

// failSynth is the context key with which the CDK CLI (2.1148) takes the
// validation report over from the app (cx-api's
// FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT, which the CLI sets to false): it
// then prints the report's block of three lines per finding itself.
// Enable sets it back to true with appMode, so the app fails with the
// report and exit.OnError prints it one line per finding, under the CLI as
// outside it.
const failSynth = "@aws-cdk/core:failSynthOnValidationErrors"

// enabledMarker is the metadata type Enable leaves on the app, so a second
// call can be refused: CDK accepts one CloudFormationValidatePlugin per app.
const enabledMarker = "secure-ecr:compliance"

// Enable adds the ECR rule pack to the app's CloudFormation validation, so
// synthesis fails, with the control and the resource in CDK's validation
// report, when a repository breaks a control of the level. CDK's default
// validation rules keep running beside it.
//
// Findings fail synthesis only when the feature flag
// @aws-cdk/core:validateAgainstDefaultRules is true, as CDK recommends. When
// the app doesn't set it, Enable sets it, which it can only do before
// anything is added to the app: call Enable right after awscdk.NewApp, or
// set the flag in cdk.json. With the flag set to false, findings would only
// be warnings, so Enable refuses. Enable also refuses to run twice for an
// app (CDK accepts one CloudFormationValidatePlugin per app) and an unknown
// level. It reports all of these by panicking with validation.Errors.
//
// Unless the app sets @aws-cdk/core:appMode (or already has children),
// Enable sets it to "inmemory" and @aws-cdk/core:failSynthOnValidationErrors
// to true: a failed validation is then an error that holds the report,
// which exit.OnError prints one line per finding, instead of CDK (or the
// CDK CLI, which sets the latter to false to print it itself) printing a
// block of three lines per finding.
func Enable(app awscdk.App, opts *Options) {
	if opts == nil {
		opts = &Options{}
	}
	level := opts.Level
	if level == "" {
		level = LevelStandard
	}
	p := validation.Collector{Package: "compliance", Path: "Enable"}
	if !slices.Contains(level.Values(), level) {
		p.Add("Options.Level", string(level), "must be "+validation.OneOfQuoted(level.Values()))
	}
	if app == nil {
		p.Add("app", nil, "must not be nil")
	}
	p.PanicIfAny()
	for _, entry := range *app.Node().Metadata() {
		if *entry.Type == enabledMarker {
			p.Add("app", nil, "already has the rule pack; CDK accepts one CloudFormationValidatePlugin per app")
		}
	}
	switch flag := app.Node().TryGetContext(jsii.String(failOnFindings)); flag {
	case true, "true":
	case nil:
		if n := len(*app.Node().Children()); n > 0 {
			p.Add("app", nil, fmt.Sprintf("already has %d children, so the feature flag %s can't be set any more; call Enable right after awscdk.NewApp or set the flag to true in cdk.json", n, failOnFindings))
			break
		}
		app.Node().SetContext(jsii.String(failOnFindings), true)
	default:
		p.Add(failOnFindings, flag, "is not true, so findings would only be warnings; set it to true")
	}
	p.PanicIfAny()
	if app.Node().TryGetContext(jsii.String(appMode)) == nil && len(*app.Node().Children()) == 0 {
		app.Node().SetContext(jsii.String(appMode), "inmemory")
		app.Node().SetContext(jsii.String(failSynth), true)
	}

	guard := []*awscdk.ValidationRuleSource{{Name: jsii.String("ecr-compliance.guard"), Content: jsii.String(standardGuard)}}
	if level == LevelStrict {
		guard = append(guard, &awscdk.ValidationRuleSource{Name: jsii.String("ecr-compliance-strict.guard"), Content: jsii.String(strictGuard)})
	}
	awscdk.Validations_Of(app).AddPlugins(awscdk.NewCloudFormationValidatePlugin(&awscdk.CloudFormationValidatePluginProps{
		GuardRules:          &guard,
		RegoRules:           &[]*awscdk.ValidationRuleSource{{Name: jsii.String("ecr-compliance-policy.rego"), Content: jsii.String(policyRego)}},
		IncludeDefaultRules: jsii.Bool(true),
	}))
	app.Node().AddMetadata(jsii.String(enabledMarker), string(level), nil)
}
