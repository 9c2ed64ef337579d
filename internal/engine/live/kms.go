package live

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// KeyManager returns who manages a KMS key, as kms:DescribeKey's
// KeyMetadata.KeyManager says: "AWS" (an AWS managed key such as aws/ecr)
// or "CUSTOMER" (https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html).
// key is a key ARN, id, alias or alias ARN. Security Hub's ECR.5 passes
// only with a customer managed key. The error is the call's (Message
// words it in one line).
func (c *Clients) KeyManager(ctx context.Context, key string) (string, error) {
	out, err := c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)})
	if err != nil {
		return "", err
	}
	if out.KeyMetadata == nil {
		return "", nil
	}
	return string(out.KeyMetadata.KeyManager), nil
}
