package changes

import (
	"os"
	"os/exec"
	"slices"
	"testing"
)

// The ECR rows and KMS::Alias, as the CloudFormation resource schemas of
// these types list their createOnlyProperties and primaryIdentifier
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repository.html
// and its siblings: "Update requires: Replacement").
func TestCreateOnlyTableECRRows(t *testing.T) {
	for typ, want := range map[string][2][]string{
		"AWS::ECR::Repository":                    {{"RepositoryName", "EncryptionConfiguration"}, {"RepositoryName"}},
		"AWS::ECR::PublicRepository":              {{"RepositoryName"}, {"RepositoryName"}},
		"AWS::ECR::RepositoryCreationTemplate":    {{"Prefix"}, {"Prefix"}},
		"AWS::ECR::PullThroughCacheRule":          {{"EcrRepositoryPrefix", "UpstreamRegistryUrl", "CredentialArn", "UpstreamRegistry", "CustomRoleArn", "UpstreamRepositoryPrefix"}, {"EcrRepositoryPrefix"}},
		"AWS::ECR::PullTimeUpdateExclusion":       {{"PrincipalArn"}, {"PrincipalArn"}},
		"AWS::ECR::ReplicationConfiguration":      {nil, {"RegistryId"}},
		"AWS::ECR::RegistryPolicy":                {nil, {"RegistryId"}},
		"AWS::ECR::RegistryScanningConfiguration": {nil, {"RegistryId"}},
		"AWS::ECR::SigningConfiguration":          {nil, {"RegistryId"}},
		"AWS::KMS::Alias":                         {{"AliasName"}, {"AliasName"}},
		"AWS::KMS::Key":                           {nil, {"KeyId"}},
		"AWS::CloudFormation::StackSet":           {{"PermissionModel", "StackSetName"}, {"StackSetId"}},
	} {
		got, ok := CreateOnlyProperties(typ)
		if !ok {
			t.Errorf("%s: not in the table", typ)
			continue
		}
		slices.Sort(got)
		slices.Sort(want[0])
		if !slices.Equal(got, want[0]) {
			t.Errorf("%s: createOnlyProperties %q, want %q", typ, got, want[0])
		}
		if p := PrimaryIdentifier(typ); !slices.Equal(p, want[1]) {
			t.Errorf("%s: primaryIdentifier %q, want %q", typ, p, want[1])
		}
	}
	if _, ok := CreateOnlyProperties("AWS::Nothing::Here"); ok {
		t.Error("an unknown type is in the table")
	}
	if _, ok := schemas["Module"]; ok {
		t.Error("cfn-lint's Module pseudo-type is in the table")
	}
	if n := len(schemas); n < 1500 {
		t.Errorf("%d types in the table; the schema set has about 1,585", n)
	}
}

// The committed table is what the generator writes from the installed
// cfn-lint: after a cfn-lint upgrade this fails until `go generate
// ./internal/library/changes` runs again. Skipped without python3 and cfn-lint.
func TestCreateOnlyTableIsGenerated(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	if exec.Command(python, "-c", "import cfnlint.schema").Run() != nil {
		t.Skip("cfn-lint is not installed for python3")
	}
	if testing.Short() {
		t.Skip("reading cfn-lint's schemas takes seconds")
	}
	want, err := exec.Command(python, "internal/createonlygen/createonlygen.py").Output()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("createonly_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("createonly_table.go is not what createonlygen.py writes from the installed cfn-lint; run go generate ./internal/library/changes")
	}
}
