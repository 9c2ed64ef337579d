package compliance_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

// suppressed returns, for each construct path, the rules waived by an
// acknowledgement in the validation report, with their reasons.
func suppressed(t *testing.T, dir string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "validation-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		PluginReports []struct {
			SuppressedViolations []struct {
				RuleName            string `json:"ruleName"`
				Reason              string `json:"reason"`
				ViolatingConstructs []struct {
					ConstructPath string `json:"constructPath"`
				} `json:"violatingConstructs"`
			} `json:"suppressedViolations"`
		} `json:"pluginReports"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, p := range report.PluginReports {
		for _, v := range p.SuppressedViolations {
			for _, c := range v.ViolatingConstructs {
				out[c.ConstructPath] = append(out[c.ConstructPath], v.RuleName+": "+v.Reason)
			}
		}
	}
	for _, rules := range out {
		slices.Sort(rules)
	}
	return out
}

// synthesizeIn synthesizes an app with the standard pack into dir and
// reports whether synthesis failed.
func synthesizeIn(dir string, build func(stack awscdk.Stack)) (failed bool) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir)})
	compliance.Enable(app, nil)
	build(awscdk.NewStack(app, jsii.String("Dev"), nil))
	defer func() { failed = recover() != nil }()
	app.Synth(nil)
	return false
}

// In aws-cdk-lib 2.277 an acknowledgement waives a rule for the construct
// it is made on only: of two mutable repositories, the one acknowledged
// passes, the other still fails synthesis with both findings. This holds
// for CDK's own Validations_Of on any construct and for the development
// preset, which acknowledges its two findings itself.
func TestAcknowledgmentsWaiveARuleForOneConstructOnly(t *testing.T) {
	dir := t.TempDir()
	failed := synthesizeIn(dir, func(stack awscdk.Stack) {
		ecr.NewRepository(stack, jsii.String("Preset"), ecr.DevelopmentProps())
		unacknowledged := ecr.DevelopmentProps()
		unacknowledged.Acknowledgments = nil
		ecr.NewRepository(stack, jsii.String("Unacknowledged"), unacknowledged)
		plain := awsecr.NewRepository(stack, jsii.String("Plain"), &awsecr.RepositoryProps{
			ImageScanOnPush: jsii.Bool(true), Encryption: awsecr.RepositoryEncryption_KMS(),
			LifecycleRules: &[]*awsecr.LifecycleRule{{MaxImageCount: jsii.Number(10)}},
		})
		awscdk.Validations_Of(plain).Acknowledge(
			compliance.Acknowledgment("SECURITYHUB_ECR_2", "CDK's repository, acknowledged"),
			compliance.Acknowledgment("CHECKOV_CKV_AWS_51", "CDK's repository, acknowledged"),
		)
	})
	if !failed {
		t.Error("synthesis succeeded although one repository's findings were not acknowledged")
	}
	findings, err := cdktest.ValidationReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CHECKOV_CKV_AWS_51", "SECURITYHUB_ECR_2"}
	if got := rules(findings, "Dev/Unacknowledged/Resource"); !slices.Equal(got, want) {
		t.Errorf("the repository without acknowledgements: flagged %q, want %q", got, want)
	}
	for _, path := range []string{"Dev/Preset/Resource", "Dev/Plain/Resource"} {
		if got := rules(findings, path); len(got) > 0 {
			t.Errorf("%s: acknowledged, but flagged %q", path, got)
		}
	}
	waived := suppressed(t, dir)
	if got, want := waived["Dev/Preset/Resource"], []string{"CHECKOV_CKV_AWS_51: " + ecr.DevelopmentReason, "SECURITYHUB_ECR_2: " + ecr.DevelopmentReason}; !slices.Equal(got, want) {
		t.Errorf("the preset's waived findings are %q, want %q", got, want)
	}
	if got := waived["Dev/Unacknowledged/Resource"]; len(got) > 0 {
		t.Errorf("the unacknowledged repository's findings were waived: %q", got)
	}
}

// A development repository from the preset passes the pack on its own: the
// synthesis of its app succeeds.
func TestTheDevelopmentPresetPassesThePack(t *testing.T) {
	dir := t.TempDir()
	if synthesizeIn(dir, func(stack awscdk.Stack) {
		ecr.NewRepository(stack, jsii.String("Preset"), ecr.DevelopmentProps())
	}) {
		findings, _ := cdktest.ValidationReport(dir)
		t.Errorf("synthesis failed: %+v", findings)
	}
}

func TestAcknowledgmentRefusesUnknownRulesAndEmptyReasons(t *testing.T) {
	err := cdktest.Panic(t, func() { compliance.Acknowledgment("SECURITYHUB_ECR_9", " ") })
	if err == nil || !strings.HasPrefix(err.Error(), `compliance: Acknowledgment: rule "SECURITYHUB_ECR_9": must be a rule of the pack: SECURITYHUB_ECR_1, `) ||
		!strings.Contains(err.Error(), `reason " ": must say why the rule is broken on purpose`) {
		t.Errorf("got %v", err)
	}
	if a := compliance.Acknowledgment("SECURITYHUB_ECR_2", "why"); *a.Id != "CloudFormation-Validate::SECURITYHUB_ECR_2" {
		t.Errorf("id %q", *a.Id)
	}
}
