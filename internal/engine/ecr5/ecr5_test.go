package ecr5

import "testing"

func TestDecide(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:123456789012:key/1111"
	for _, tc := range []struct {
		typ, key, managed string
		described         Key
		want              Result
		detail            string
	}{
		{"", "", "", Key{}, Fail, "encryption AES256"},
		{"AES256", "", "", Key{}, Fail, "encryption AES256"},
		{"KMS", "", "", Key{}, Fail, "the AWS managed key aws/ecr"},
		{"KMS", "arn:aws:kms:eu-west-1:123456789012:alias/aws/ecr", "", Key{}, Fail, "the AWS managed key aws/ecr"},
		{"KMS", key, key, Key{}, Fail, "the AWS managed key aws/ecr"},
		{"KMS", key, "", Key{Manager: "CUSTOMER"}, Pass, "customer managed KMS key " + key},
		{"KMS_DSSE", key, "", Key{Manager: "CUSTOMER"}, Pass, "customer managed KMS key " + key},
		{"KMS", key, "", Key{Manager: "AWS"}, Fail, "AWS managed KMS key " + key},
		{"KMS", key, "", Key{Err: "KMS DescribeKey: AccessDeniedException: denied"}, Unknown, "KMS key " + key + ": kms:DescribeKey failed, so whether AWS or the customer manages it is unknown: KMS DescribeKey: AccessDeniedException: denied"},
		{"KMS", key, "", Key{}, Unknown, "KMS key " + key + ": whether AWS or the customer manages it needs kms:DescribeKey (read live, with --live)"},
	} {
		got, detail := Decide(tc.typ, tc.key, tc.managed, tc.described)
		if got != tc.want || detail != tc.detail {
			t.Errorf("Decide(%q, %q, %q, %+v) = %v, %q; want %v, %q", tc.typ, tc.key, tc.managed, tc.described, got, detail, tc.want, tc.detail)
		}
	}
}
