package ecr

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// DenyKeyGrantsUnlessForAWSResource returns the KMS key policy statement AWS
// Control Tower's proactive control CT.KMS.PR.3 requires: it denies
// kms:CreateGrant unless the grant is for an AWS resource or the caller is
// an AWS service principal. [NewRepository] adds it to the key it creates
// (CreateEncryptionKey); add it to your own keys with
// key.AddToResourcePolicy(ecr.DenyKeyGrantsUnlessForAWSResource(), nil).
//
// ECR keeps working with it. Amazon ECR encrypts a repository by creating
// KMS grants "with the Amazon ECR repository as the grantee principal"
// (Amazon ECR User Guide, Encryption at rest), and kms:GrantIsForAWSResource
// is true exactly "when an AWS service integrated with AWS KMS calls the
// operation on the user's behalf" (AWS KMS Developer Guide, AWS KMS
// condition keys), so the deny never applies to ECR's grants; the key's
// other statements still allow them. What it stops is a principal creating
// a grant for itself or someone else by hand.
//
// The statement is exactly the one the control's rule accepts: condition
// values are the strings "false" under BoolIfExists, and no other
// condition keys.
func DenyKeyGrantsUnlessForAWSResource() awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyCreateGrantUnlessForAWSResource"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("kms:CreateGrant"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"BoolIfExists": map[string]any{
			"kms:GrantIsForAWSResource": "false",
			"aws:PrincipalIsAWSService": "false",
		}},
	})
}
