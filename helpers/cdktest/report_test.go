package cdktest_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// The examples pass because the validation finds nothing, not because it
// does not run: an invalid resource must show up in the findings.
func TestValidationReportSeesAnInvalidTemplate(t *testing.T) {
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

	findings, err := cdktest.ValidationReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) == 0 || findings[0].Path != "Broken/Repo" {
		t.Errorf("findings = %+v, want one about Broken/Repo", findings)
	}
}

func TestValidationReportIsNeeded(t *testing.T) {
	if _, err := cdktest.ValidationReport(t.TempDir()); err == nil {
		t.Error("a missing report was taken for a clean one")
	}
}
