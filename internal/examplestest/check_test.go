package examplestest_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/internal/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/internal/examplestest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// The examples pass because the validation finds nothing, not because it
// does not run: an invalid resource must show up in the findings.
func TestValidationFindingsSeeAnInvalidTemplate(t *testing.T) {
	dir := t.TempDir()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir)})
	awscdk.Validations_Of(app).AddPlugins(awscdk.NewCloudFormationValidatePlugin(&awscdk.CloudFormationValidatePluginProps{
		IncludeDefaultRules: jsii.Bool(true),
	}))
	stack := awscdk.NewStack(app, jsii.String("Broken"), nil)
	awsecr.NewCfnRepository(stack, jsii.String("Repo"), &awsecr.CfnRepositoryProps{
		ImageTagMutability: jsii.String("SOMETIMES"),
	})
	app.Synth(nil)

	findings, err := examplestest.ValidationFindings(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) == 0 || !strings.Contains(strings.Join(findings, "\n"), "Broken/Repo") {
		t.Errorf("findings = %q, want one about Broken/Repo", findings)
	}
}

func TestValidationFindingsNeedAReport(t *testing.T) {
	if _, err := examplestest.ValidationFindings(t.TempDir()); err == nil {
		t.Error("a missing report was taken for a clean one")
	}
}
