package ecr5

import "testing"

func TestDecide(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:123456789012:key/1111"
	for _, tc := range []struct {
		typ, key, managed string
		want              Result
		detail            string
	}{
		{"", "", "", Fail, "encryption AES256"},
		{"AES256", "", "", Fail, "encryption AES256"},
		{"KMS", "", "", Fail, "the AWS managed key aws/ecr"},
		{"KMS", "arn:aws:kms:eu-west-1:123456789012:alias/aws/ecr", "", Fail, "the AWS managed key aws/ecr"},
		{"KMS", key, key, Fail, "the AWS managed key aws/ecr"},
		{"KMS", key, "", Unknown, "KMS key " + key + ": whether AWS or the customer manages it needs kms:DescribeKey, which ecr-cdk doesn't call"},
		{"KMS_DSSE", key, "arn:aws:kms:eu-west-1:123456789012:key/2222", Unknown, "KMS key " + key + ": whether AWS or the customer manages it needs kms:DescribeKey, which ecr-cdk doesn't call"},
	} {
		got, detail := Decide(tc.typ, tc.key, tc.managed)
		if got != tc.want || detail != tc.detail {
			t.Errorf("Decide(%q, %q, %q) = %v, %q; want %v, %q", tc.typ, tc.key, tc.managed, got, detail, tc.want, tc.detail)
		}
	}
}
