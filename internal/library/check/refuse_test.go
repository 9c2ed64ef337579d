package check

import (
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

func TestParseKMSKeyARN(t *testing.T) {
	for _, good := range []string{
		"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
		"arn:aws:kms:eu-west-1:111122223333:alias/team/ecr",
	} {
		if _, ok := ParseKMSKeyARN(good); !ok {
			t.Errorf("ParseKMSKeyARN(%q) refused", good)
		}
	}
	for _, bad := range []string{
		"arn:aws:kms:eu-west-1:11112222333:key/1234abcd", // 11 digits
		"arn:aws:kms:eu-west-1:1111222233334:key/1234abcd",
		"arn:aws:kms::111122223333:key/1234abcd",
		"arn:aws:kms:eu-west-1:111122223333:grant/1234abcd",
		"arn:aws:kms:eu-west-1:111122223333:alias/a b",
		"arn:aws:s3:eu-west-1:111122223333:key/1234abcd",
		"1234abcd-12ab-34cd-56ef-1234567890ab",
	} {
		if _, ok := ParseKMSKeyARN(bad); ok {
			t.Errorf("ParseKMSKeyARN(%q) accepted", bad)
		}
	}
}

func TestRepositoryNameRefusesImageReferences(t *testing.T) {
	digest := "sha256:" + strings.Repeat("a", 64)
	for name, want := range map[string]string{
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web":               `is an image URI, not a repository name: give the name only, "shop/web"`,
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:v1.2":          `is an image URI, not a repository name: give the name only, "shop/web"`,
		"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/shop/web@" + digest: `is an image URI, not a repository name: give the name only, "shop/web"`,
		"https://123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/web":       `is an image URI, not a repository name: give the name only, "web"`,
		"123456789012.dkr-ecr.eu-west-1.on.aws/shop/web:latest":               `is an image URI, not a repository name: give the name only, "shop/web"`,
		"public.ecr.aws/my-alias/shop/web:v1":                                 `is an image URI, not a repository name: give the name only, "shop/web"`,
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com":                        `is a registry's host name, not a repository name: give the repository's name only, such as "shop/web"`,
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com/Shop":                   `is an image URI, not a repository name: give the repository's name only, such as "shop/web"`,
		"shop/web:v1":           `is an image reference with a tag or digest, not a repository name: give the name only, "shop/web"`,
		"shop/web@" + digest:    `is an image reference with a tag or digest, not a repository name: give the name only, "shop/web"`,
		"shop/web:v1@" + digest: `is an image reference with a tag or digest, not a repository name: give the name only, "shop/web"`,
	} {
		got := problems(func(p *validation.Collector) { RepositoryName("RepositoryName", name, MaxNameLength, p) })
		if prefix := "test: P: RepositoryName " + validation.Format(name) + ": "; got != prefix+want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, prefix+want)
		}
	}
	// Names that only look like hosts are names.
	for _, name := range []string{"shop.v2/web", "dkr.ecr/web", "amazonaws.com/web", "ecr.aws/web"} {
		if got := problems(func(p *validation.Collector) { RepositoryName("RepositoryName", name, MaxNameLength, p) }); got != "" {
			t.Errorf("%s refused: %s", name, got)
		}
	}
}

func TestExclusionsMatchEveryTag(t *testing.T) {
	want := `test: P: TagMutabilityExclusions "*": matches every tag, so with IMMUTABLE_WITH_EXCLUSION no tag is immutable; say TagMutability MUTABLE if that is meant`
	if got := problems(func(p *validation.Collector) {
		ExclusionsMatchEveryTag("IMMUTABLE_WITH_EXCLUSION", []string{"latest", "*", "**"}, p)
	}); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	for _, ok := range []struct {
		mutability string
		filters    []string
	}{
		{"IMMUTABLE_WITH_EXCLUSION", []string{"latest", "dev-*", "*-snapshot"}},
		{"MUTABLE_WITH_EXCLUSION", []string{"*"}},
		{"IMMUTABLE_WITH_EXCLUSION", []string{""}},
	} {
		if got := problems(func(p *validation.Collector) { ExclusionsMatchEveryTag(ok.mutability, ok.filters, p) }); got != "" {
			t.Errorf("%v refused: %s", ok, got)
		}
	}
}
