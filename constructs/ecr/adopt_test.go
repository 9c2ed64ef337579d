package ecr_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// onlyRepository returns the logical ID and the resource of a stack's only
// AWS::ECR::Repository.
func onlyRepository(t *testing.T, stack awscdk.Stack) (string, map[string]any) {
	t.Helper()
	var id string
	var found map[string]any
	for logical, r := range cdktest.JSON(t, stack)["Resources"].(map[string]any) {
		if res := r.(map[string]any); res["Type"] == "AWS::ECR::Repository" {
			if found != nil {
				t.Fatal("more than one repository")
			}
			id, found = logical, res
		}
	}
	if found == nil {
		t.Fatal("no repository")
	}
	return id, found
}

// propertiesOf returns a resource's Properties; CDK leaves them out when
// there are none.
func propertiesOf(res map[string]any) map[string]any {
	props, _ := res["Properties"].(map[string]any)
	return props
}

// TestInPlaceSwitchFromCDKRepository switches a stack from CDK's
// awsecr.NewRepository to ecr.NewRepository with the same id and the same
// encryption, and checks that the logical ID and the create-only
// properties (RepositoryName, EncryptionConfiguration: the
// createOnlyProperties of AWS::ECR::Repository's resource schema) stay
// exactly as they were, so `cdk diff` shows in-place updates only.
func TestInPlaceSwitchFromCDKRepository(t *testing.T) {
	const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	env := &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")}}
	for _, encryption := range []string{"AES256", "KMS", "customer key"} {
		for _, name := range []*string{nil, jsii.String("shop/web")} {
			label := encryption + ", generated name"
			if name != nil {
				label = encryption + ", fixed name"
			}
			t.Run(label, func(t *testing.T) {
				cdkStack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Images"), env)
				cdkProps := &awsecr.RepositoryProps{RepositoryName: name}
				libStack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Images"), env)
				libProps := &ecr.RepositoryProps{RepositoryName: name}
				switch encryption {
				case "AES256":
					// CDK's default; the library needs it said.
					libProps.Encryption = awsecr.RepositoryEncryption_AES_256()
				case "KMS":
					cdkProps.Encryption = awsecr.RepositoryEncryption_KMS()
				case "customer key":
					cdkProps.EncryptionKey = awskms.Key_FromKeyArn(cdkStack, jsii.String("Key"), jsii.String(keyArn))
					libProps.EncryptionKey = awskms.Key_FromKeyArn(libStack, jsii.String("Key"), jsii.String(keyArn))
				}
				awsecr.NewRepository(cdkStack, jsii.String("Repository"), cdkProps)
				ecr.NewRepository(libStack, jsii.String("Repository"), libProps)

				beforeID, before := onlyRepository(t, cdkStack)
				afterID, after := onlyRepository(t, libStack)
				if beforeID != afterID {
					t.Errorf("logical ID %s becomes %s", beforeID, afterID)
				}
				for _, prop := range []string{"RepositoryName", "EncryptionConfiguration"} {
					b, a := propertiesOf(before)[prop], propertiesOf(after)[prop]
					if !reflect.DeepEqual(b, a) {
						t.Errorf("create-only %s: %v becomes %v, a replacement", prop, b, a)
					}
				}
				// What moves, in place, to the secure defaults.
				props := propertiesOf(after)
				if props["ImageTagMutability"] != "IMMUTABLE" || props["LifecyclePolicy"] == nil || props["ImageScanningConfiguration"] == nil {
					t.Errorf("the switched repository lacks the secure defaults: %v", props)
				}
			})
		}
	}
}

func TestNewAdoptedRepositoryPinsTheLogicalID(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewAdoptedRepository(stack, jsii.String("Web"), nil, &ecr.Adoption{LogicalID: jsii.String("ShopWebA1B2C3D4")})
	if id, _ := onlyRepository(t, stack); id != "ShopWebA1B2C3D4" {
		t.Errorf("logical ID %s, want ShopWebA1B2C3D4", id)
	}
}

func TestNewAdoptedRepositoryCarriesThePolicy(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewAdoptedRepository(stack, jsii.String("Web"), nil, &ecr.Adoption{RepositoryPolicyText: jsii.String(`{
  "Version": "2008-10-17",
  "Statement": {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "ecr:BatchGetImage"}
}`)})
	repo.GrantPullToAccounts(accountPrincipal("444455556666")) // a later grant joins the policy
	_, res := onlyRepository(t, stack)
	policy := res["Properties"].(map[string]any)["RepositoryPolicyText"].(map[string]any)
	if policy["Version"] != "2008-10-17" {
		t.Errorf("Version %v, want the policy's own 2008-10-17", policy["Version"])
	}
	statements := policy["Statement"].([]any)
	if len(statements) != 2 || statements[0].(map[string]any)["Sid"] != "Pull" || statements[1].(map[string]any)["Sid"] != "PullFromAccounts" {
		t.Errorf("statements %v, want Pull then PullFromAccounts", statements)
	}
}

func TestNewAdoptedRepositoryWarnsOnAES256(t *testing.T) {
	app := cdktest.NewApp(t, &cdktest.AppOptions{SkipNag: true})
	stack := awscdk.NewStack(app, jsii.String("Images"), nil)
	ecr.NewAdoptedRepository(stack, jsii.String("Legacy"), &ecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_AES_256()}, nil)
	ecr.NewAdoptedRepository(stack, jsii.String("Kms"), nil, nil)
	ecr.NewRepository(stack, jsii.String("Plain"), &ecr.RepositoryProps{Encryption: awsecr.RepositoryEncryption_AES_256()})
	cdktest.Synth(t, app) // a warning: synthesis goes on
	var warned []string
	for _, child := range []string{"Legacy", "Kms", "Plain"} {
		for _, m := range *stack.Node().FindChild(jsii.String(child)).Node().Metadata() {
			if *m.Type == "aws:cdk:warning" && strings.Contains(m.Data.(string), "AES256 encryption is create-only") {
				warned = append(warned, child)
			}
		}
	}
	if !reflect.DeepEqual(warned, []string{"Legacy"}) {
		t.Errorf("warned %v, want only the adopted AES256 repository", warned)
	}
}

func TestNewAdoptedRepositoryRefuses(t *testing.T) {
	for text, want := range map[string]string{
		`not json`:                     "must be a JSON object with a Statement",
		`{"Statement": []}`:            "Statement: is empty",
		`{"Id": "x", "Statement": []}`: `element "Id"`,
		`{"Statement": [{"Effect": "Allow", "Action": "ecr:*"}]}`:                                            "Statement[0]: has no Principal",
		`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:*", "Resource": "*"}]}`:         "Resource element",
		`{"Statement": [{"Effect": "Allow", "Principal": "*", "Actions": "ecr:*"}]}`:                         `Statement[0] element "Actions": IAM knows`,
		`{"Version": "2020-01-01", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]}`: `Version "2020-01-01"`,
	} {
		stack := cdktest.NewStack(t)
		err := cdktest.Panic(t, func() {
			ecr.NewAdoptedRepository(stack, jsii.String("Web"), nil, &ecr.Adoption{RepositoryPolicyText: jsii.String(text)})
		})
		if err == nil || !strings.Contains(err.Error(), "Adoption.RepositoryPolicyText") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error with %q", text, err, want)
		}
		if stack.Node().TryFindChild(jsii.String("Web")) != nil {
			t.Errorf("%s: the repository was added before the refusal", text)
		}
	}
	stack := cdktest.NewStack(t)
	err := cdktest.Panic(t, func() {
		ecr.NewAdoptedRepository(stack, jsii.String("Web"), nil, &ecr.Adoption{LogicalID: jsii.String("shop/web")})
	})
	if err == nil || !strings.Contains(err.Error(), "Adoption.LogicalID") {
		t.Errorf("logical ID shop/web: %v", err)
	}
}
