// Package ecr5 decides Security Hub control ECR.5 ("ECR repositories should
// be encrypted with customer managed AWS KMS keys",
// https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html#ecr-5)
// for a repository as the account describes it. ecr-cdk audit and ecr-cdk
// adopt both ask it, so they say the same about the same repository.
//
// Whether a KMS key is customer managed or AWS managed is the key's
// KeyManager, which kms:DescribeKey tells: the live readers ask it (Key),
// and a key it wasn't asked of, or that it couldn't describe, leaves the
// control Unknown, with the reason.
package ecr5

import "strings"

// Result is the decision.
type Result int

const (
	// Fail: AES256, or KMS with an AWS managed key (aws/ecr).
	Fail Result = iota
	// Unknown: KMS with a key whose manager wasn't, or couldn't be, read.
	Unknown
	// Pass: KMS with a customer managed key.
	Pass
)

// Key is what kms:DescribeKey said of a repository's key: Manager is
// KeyMetadata.KeyManager ("AWS" or "CUSTOMER"), "" when it wasn't asked
// (adoption from files) or failed; Err is the failure, in one line (access
// denied, a key that doesn't exist).
type Key struct {
	Manager string
	Err     string
}

// Decide decides ECR.5 for a repository's encryption configuration as
// describe-repositories prints it: encryptionType ("" is ECR's default,
// AES256) and kmsKey ("" for the AWS managed key), with what
// kms:DescribeKey said of the key. awsManagedKey is the ARN of the
// account's aws/ecr key when the caller knows it ("" otherwise): a kmsKey
// equal to it, or ending in alias/aws/ecr, is the AWS managed key. detail
// says, in one line, what was found.
func Decide(encryptionType, kmsKey, awsManagedKey string, key Key) (result Result, detail string) {
	if encryptionType == "" {
		encryptionType = "AES256"
	}
	switch {
	case encryptionType == "AES256":
		return Fail, "encryption AES256"
	case kmsKey == "" || strings.HasSuffix(kmsKey, "alias/aws/ecr") || (awsManagedKey != "" && kmsKey == awsManagedKey):
		return Fail, "the AWS managed key aws/ecr"
	case key.Manager == "CUSTOMER":
		return Pass, "customer managed KMS key " + kmsKey
	case key.Manager == "AWS":
		return Fail, "AWS managed KMS key " + kmsKey
	case key.Err != "":
		return Unknown, "KMS key " + kmsKey + ": kms:DescribeKey failed, so whether AWS or the customer manages it is unknown: " + key.Err
	}
	return Unknown, "KMS key " + kmsKey + ": whether AWS or the customer manages it needs kms:DescribeKey (read live, with --live)"
}
