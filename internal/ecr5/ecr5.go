// Package ecr5 decides Security Hub control ECR.5 ("ECR repositories should
// be encrypted with customer managed AWS KMS keys",
// https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html#ecr-5)
// for a repository as the account describes it. ecr-cdk audit and ecr-cdk
// adopt both ask it, so they say the same about the same repository.
//
// Whether a KMS key is customer managed or AWS managed is the key's
// KeyManager, which only kms:DescribeKey tells; ecr-cdk doesn't call it, so
// a KMS key other than aws/ecr is Unknown, not a pass.
package ecr5

import "strings"

// Result is the decision.
type Result int

const (
	// Fail: AES256, or KMS with the AWS managed key aws/ecr.
	Fail Result = iota
	// Unknown: KMS with a key whose manager only kms:DescribeKey tells.
	Unknown
	// Pass is never returned today: a key's manager is not read. It is
	// here for a caller that knows more (kms:DescribeKey's KeyManager
	// CUSTOMER).
	Pass
)

// Decide decides ECR.5 for a repository's encryption configuration as
// describe-repositories prints it: encryptionType ("" is ECR's default,
// AES256) and kmsKey ("" for the AWS managed key). awsManagedKey is the ARN
// of the account's aws/ecr key when the caller knows it ("" otherwise): a
// kmsKey equal to it, or ending in alias/aws/ecr, is the AWS managed key.
// detail says, in one line, what was found.
func Decide(encryptionType, kmsKey, awsManagedKey string) (result Result, detail string) {
	if encryptionType == "" {
		encryptionType = "AES256"
	}
	switch {
	case encryptionType == "AES256":
		return Fail, "encryption AES256"
	case kmsKey == "" || strings.HasSuffix(kmsKey, "alias/aws/ecr") || (awsManagedKey != "" && kmsKey == awsManagedKey):
		return Fail, "the AWS managed key aws/ecr"
	}
	return Unknown, "KMS key " + kmsKey + ": whether AWS or the customer manages it needs kms:DescribeKey, which ecr-cdk doesn't call"
}
