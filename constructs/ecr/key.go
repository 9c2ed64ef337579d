package ecr

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
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

// checkKey records what makes EncryptionKey unusable, or unsafe, for a
// repository with the removal policy given (RemovalPolicy's value, "" for
// the default). Of an imported key only its ARN is known, and a literal
// ARN must be a KMS key or alias ARN ([check.ParseKMSKeyARN]). Of a key of
// this app, an awskms.Key (or an awskms.Alias of one) whose AWS::KMS::Key
// resource (its Node().DefaultChild(), in whatever stack) can be read, it
// also refuses:
//
//   - a key spec other than SYMMETRIC_DEFAULT, or a key usage other than
//     ENCRYPT_DECRYPT: ECR stores images with KMS data keys (the ECR User
//     Guide, "Encryption at rest": ECR's grant is for kms:GenerateDataKey
//     and kms:Decrypt), and GenerateDataKey takes only a symmetric
//     encryption key (AWS KMS API Reference, GenerateDataKey: "You cannot
//     use an asymmetric KMS key"; HMAC keys don't encrypt at all);
//   - a key created disabled (Enabled false), which KMS refuses to use
//     until it is enabled;
//   - a key deleted with its stack (DeletionPolicy Delete, or none) while
//     the repository is retained (RETAIN, RETAIN_ON_UPDATE_OR_DELETE): the
//     retained images would stay encrypted with a key scheduled for
//     deletion, which nobody can decrypt once it is gone.
//
// Values that are tokens are not checked.
func checkKey(key awskms.IKey, removal awscdk.RemovalPolicy, p *validation.Collector) {
	if arn := *key.KeyArn(); !check.IsToken(arn) {
		if _, ok := check.ParseKMSKeyARN(arn); !ok {
			p.Add("EncryptionKey", arn, check.KMSKeyARNConstraint)
		}
	}
	cfn := keyResource(key)
	if cfn == nil {
		return // imported: nothing more is known of it
	}
	path := *cfn.Node().Scope().Node().Path() // the awskms.Key's
	var wrong []string
	if spec := cfn.KeySpec(); spec != nil && !check.IsToken(*spec) && *spec != string(awskms.KeySpec_SYMMETRIC_DEFAULT) {
		wrong = append(wrong, "KeySpec "+*spec)
	}
	if usage := cfn.KeyUsage(); usage != nil && !check.IsToken(*usage) && *usage != string(awskms.KeyUsage_ENCRYPT_DECRYPT) {
		wrong = append(wrong, "KeyUsage "+*usage)
	}
	if len(wrong) > 0 {
		p.Add("EncryptionKey", path, "has "+strings.Join(wrong, " and ")+"; ECR encrypts images only with a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT)")
	}
	if disabled(cfn.Enabled()) {
		p.Add("EncryptionKey", path, "is created disabled (Enabled false); ECR can't encrypt or decrypt images with a disabled key: enable it")
	}
	if removal == "" {
		removal = awscdk.RemovalPolicy_RETAIN
	}
	if removal != awscdk.RemovalPolicy_RETAIN && removal != awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE {
		return
	}
	switch policy := cfn.CfnOptions().DeletionPolicy(); policy {
	case "", awscdk.CfnDeletionPolicy_DELETE:
		how := "DeletionPolicy Delete"
		if policy == "" {
			how = "no DeletionPolicy, so Delete"
		}
		p.Add("EncryptionKey", path, fmt.Sprintf("is deleted with its stack (%s), but the repository's RemovalPolicy %s keeps the repository: its images would be left encrypted with a deleted key, which nobody can decrypt; give the key RemovalPolicy RETAIN too", how, removal))
	}
}

// keyResource returns the AWS::KMS::Key resource of a key of this app, or
// of the key an awskms.Alias of this app names, or nil for an imported key
// or alias (awskms.Key_FromKeyArn, Key_FromLookup, Alias_FromAliasName),
// which has none.
func keyResource(key awskms.IKey) awskms.CfnKey {
	if alias, ok := key.(awskms.Alias); ok {
		key = alias.AliasTargetKey() // an alias of this app: its key
	}
	child := key.Node().DefaultChild()
	if child == nil {
		return nil
	}
	cfn, _ := child.(awskms.CfnKey)
	return cfn
}

// disabled reports whether a CfnKey's Enabled is the literal false.
func disabled(enabled any) bool {
	switch v := enabled.(type) {
	case bool:
		return !v
	case *bool:
		return v != nil && !*v
	}
	return false
}
