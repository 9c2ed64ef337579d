package nag_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSuppressWritesCdkNagMetadataOnEveryResourceOfTheSubtree(t *testing.T) {
	stack := cdktest.NewStack(t)
	role := awsiam.NewRole(stack, jsii.String("Role"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsii.Strings("ecr:GetAuthorizationToken"), Resources: jsii.Strings("*")}))
	iam5 := nag.Suppression{ID: "AwsSolutions-IAM5", Reason: "GetAuthorizationToken has no resource-level permissions", AppliesTo: []string{"Resource::*"}}
	nag.Suppress(role, iam5)
	nag.Suppress(role, iam5, nag.Suppression{ID: "AwsSolutions-IAM4", Reason: "managed policy reviewed by the platform team"})

	want := map[string]any{"cdk_nag": map[string]any{"rules_to_suppress": []any{
		map[string]any{"id": "AwsSolutions-IAM5", "reason": "GetAuthorizationToken has no resource-level permissions", "applies_to": []any{"Resource::*"}},
		map[string]any{"id": "AwsSolutions-IAM4", "reason": "managed policy reviewed by the platform team"},
	}}}
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResource("AWS::IAM::Role", map[string]any{"Metadata": want})
	tpl.HasResource("AWS::IAM::Policy", map[string]any{"Metadata": want})
}

func TestSuppressRefusesWhatCdkNagRefuses(t *testing.T) {
	tests := []struct {
		name string
		s    nag.Suppression
		want string
	}{
		{"short reason", nag.Suppression{ID: "AwsSolutions-SNS3", Reason: "because"},
			`nag: Test/Topic: Suppression.Reason "because": must explain the AwsSolutions-SNS3 exception in at least 10 characters`},
		{"no id", nag.Suppression{Reason: "a long enough reason"},
			`nag: Test/Topic: Suppression.ID "": must be a cdk-nag rule id such as "AwsSolutions-IAM5"`},
		{"empty finding", nag.Suppression{ID: "AwsSolutions-SNS3", Reason: "a long enough reason", AppliesTo: []string{""}},
			`nag: Test/Topic: Suppression.AppliesTo [""]: of the AwsSolutions-SNS3 suppression must not contain an empty finding`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := cdktest.NewStack(t)
			topic := awssns.NewTopic(stack, jsii.String("Topic"), nil)
			err := cdktest.Panic(t, func() { nag.Suppress(topic, tt.s) })
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
			if md := topic.Node().DefaultChild().(interface{ GetMetadata(*string) any }).GetMetadata(jsii.String("cdk_nag")); md != nil {
				t.Errorf("a refused suppression was recorded: %v", md)
			}
		})
	}
}

func TestSuppressNeedsAResource(t *testing.T) {
	stack := cdktest.NewStack(t)
	err := cdktest.Panic(t, func() {
		nag.Suppress(stack.Node().Scope(), nag.Suppression{ID: "AwsSolutions-IAM5", Reason: "a long enough reason"})
	})
	if err == nil || !strings.Contains(err.Error(), "holds no CloudFormation resource") {
		t.Errorf("got %v", err)
	}
}
