// Package adopted declares 2 existing Amazon ECR repositories of account
// 123456789012 in eu-west-1 with github.com/secure-ecr/ecr-cdk-go. ecr-cdk
// adopt wrote it from inventory/describe-repositories.json, lifecycle policies
// from inventory/lifecycle, repository policies from inventory/policies, for
// the stack EcrAdoption; it is yours to commit and edit.
//
// Adoption takes two deploys (docs/adoption.md): import the repositories as
// they exist, then upgrade them in place:
//
//	cdk import EcrAdoption --resource-mapping resource-mapping.json   # with Repositories(stack, false)
//	cdk deploy EcrAdoption                                            # with Repositories(stack, true)
package adopted

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// The account and Region of the repositories: the stack that declares them
// must be in them (Repositories refuses a stack whose account or Region is
// known and different).
const (
	Account = "123456789012"
	Region  = "eu-west-1"
)

// Repositories declares the repositories under scope, keyed by name.
// upgrade == false declares each exactly as it exists, for `cdk import`;
// upgrade == true keeps what CloudFormation can only set at creation (the
// name, the encryption) and moves the rest to the library's secure
// defaults, in place. Each repository's function says what its upgrade
// changes.
func Repositories(scope constructs.Construct, upgrade bool) map[string]ecr.Repository {
	checkEnvironment(scope)
	return map[string]ecr.Repository{
		"shop/web":           newShopWeb(scope, upgrade),
		"shop/legacy-worker": newShopLegacyWorker(scope, upgrade),
	}
}

// newShopWeb declares shop/web (arn:aws:ecr:eu-west-1:123456789012:repository/shop/web).
//
// Today: MUTABLE tags, no scan on push, KMS encryption with the AWS-managed
// key, no lifecycle policy, a repository policy, 1 tag.
func newShopWeb(scope constructs.Construct, upgrade bool) ecr.Repository {
	props := &ecr.RepositoryProps{
		RepositoryName:    jsii.String("shop/web"),
		Encryption:        awsecr.RepositoryEncryption_KMS(),
		TagMutability:     awsecr.TagMutability_MUTABLE,
		ImageScanOnPush:   jsii.Bool(false),
		NoLifecyclePolicy: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		Tags: map[string]string{
			"team": "shop",
		},
	}
	if upgrade {
		// Security Hub ECR.1, in place: images are scanned when pushed.
		props.ImageScanOnPush = jsii.Bool(true)
		// Security Hub ECR.2, in place: tags become IMMUTABLE (today MUTABLE):
		// a push that would move an existing tag is refused.
		props.TagMutability = awsecr.TagMutability_IMMUTABLE
		// Security Hub ECR.3, in place: a lifecycle policy where there was none,
		// the library's default: untagged images expire 14 days after push.
		props.NoLifecyclePolicy = nil
		props.LifecycleRules = lifecycle.DefaultRules()
	}
	// Create-only, the same in both modes: the name and KMS encryption with
	// the AWS-managed key.
	// Security Hub ECR.5 needs a migration: KMS with the AWS-managed key is
	// create-only: create a new repository with a customer-managed key
	// (CreateEncryptionKey or EncryptionKey), copy the images, move the
	// consumers, retire this one (docs/adoption.md).
	return ecr.NewAdoptedRepository(scope, jsii.String("ShopWeb"), props, &ecr.Adoption{
		LogicalID: jsii.String("ShopWeb97375646"),
		// The repository policy as it is: CloudFormation would delete one the
		// template leaves out at the next update.
		RepositoryPolicyText: jsii.String(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PullFromStaging",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::210987654321:root"
      },
      "Action": [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer"
      ]
    }
  ]
}`),
	})
}

// newShopLegacyWorker declares shop/legacy-worker (arn:aws:ecr:eu-west-1:123456789012:repository/shop/legacy-worker).
//
// Today: MUTABLE tags, scan on push, AES256 encryption, a lifecycle policy of
// 1 rule, no repository policy.
func newShopLegacyWorker(scope constructs.Construct, upgrade bool) ecr.Repository {
	props := &ecr.RepositoryProps{
		RepositoryName:  jsii.String("shop/legacy-worker"),
		Encryption:      awsecr.RepositoryEncryption_AES_256(),
		TagMutability:   awsecr.TagMutability_MUTABLE,
		ImageScanOnPush: jsii.Bool(true),
		// The lifecycle policy as it is, rule by rule, priorities kept.
		LifecycleRules: []lifecycle.Rule{
			{Priority: 1, Description: "Keep the last 50 images", TagStatus: lifecycle.TagStatusAny, CountType: lifecycle.CountTypeImageCountMoreThan, CountNumber: 50, Action: lifecycle.ActionExpire},
		},
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	}
	if upgrade {
		// Security Hub ECR.2, in place: tags become IMMUTABLE (today MUTABLE):
		// a push that would move an existing tag is refused.
		props.TagMutability = awsecr.TagMutability_IMMUTABLE
	}
	// Create-only, the same in both modes: the name and AES256 encryption.
	// Security Hub ECR.5 needs a migration: AES256 is create-only: create a
	// new repository with a customer-managed key (CreateEncryptionKey or
	// EncryptionKey), copy the images, move the consumers, retire this one
	// (docs/adoption.md).
	return ecr.NewAdoptedRepository(scope, jsii.String("ShopLegacyWorker"), props, &ecr.Adoption{
		LogicalID: jsii.String("ShopLegacyWorker23A8DE44"),
	})
}

// checkEnvironment refuses a stack whose account or Region is known and
// isn't the repositories'.
func checkEnvironment(scope constructs.Construct) {
	stack := awscdk.Stack_Of(scope)
	for _, env := range [][3]string{{"account", *stack.Account(), Account}, {"Region", *stack.Region(), Region}} {
		if !*awscdk.Token_IsUnresolved(env[1]) && env[1] != env[2] {
			panic(fmt.Errorf("%s: the stack's %s is %s, but the adopted repositories are in %s", *stack.Node().Path(), env[0], env[1], env[2]))
		}
	}
}
