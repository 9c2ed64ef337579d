package check

import (
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

func TestIsToken(t *testing.T) {
	for s, want := range map[string]bool{
		"${Token[AWS.Region.12]}":     true,
		"a-${Token[TOKEN.7]}-b":       true,
		"#{Token[TOKEN.3]}":           true,
		"${Token[]}":                  false,
		"${Token[not closed":          false,
		"team/web":                    false,
		"":                            false,
		"arn:aws:iam::1:role/${Role}": false,
	} {
		if got := IsToken(s); got != want {
			t.Errorf("IsToken(%q) = %v", s, got)
		}
	}
	if Known("") || Known("${Token[X.1]}") || !Known("eu-west-1") {
		t.Error("Known")
	}
}

func TestParseARN(t *testing.T) {
	a, ok := ParseARN("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/abc-1")
	if !ok || a.Partition != "aws-us-gov" || a.Service != "kms" || a.Region != "us-gov-west-1" || a.Account != "123456789012" || a.Resource != "key/abc-1" {
		t.Errorf("ParseARN: %+v %v", a, ok)
	}
	if a.String() != "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/abc-1" {
		t.Errorf("String: %s", a)
	}
	for _, bad := range []string{"", "arn:aws:kms", "arn:azure:kms:r:123456789012:key/x", "arn:aws:kms:eu-west-1:12:key/x", "arn:aws::eu-west-1:123456789012:key/x", "aws:kms:eu-west-1:123456789012:key/x:y"} {
		if _, ok := ParseARN(bad); ok {
			t.Errorf("ParseARN(%q) accepted", bad)
		}
	}
}

func TestParseIAMPrincipal(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::123456789012:root":             "root ",
		"arn:aws:iam::123456789012:role/ci":          "role ci",
		"arn:aws:iam::123456789012:role/service/ci":  "role service/ci",
		"arn:aws-cn:iam::123456789012:user/a.b@c":    "user a.b@c",
		"arn:aws:iam::123456789012:group/admins":     "",
		"arn:aws:iam::123456789012:role/":            "",
		"arn:aws:iam::123456789012:role//ci":         "",
		"arn:aws:iam:eu-west-1:123456789012:role/ci": "",
		"arn:aws:sts::123456789012:role/ci":          "",
		"123456789012":                               "",
	} {
		p, ok := ParseIAMPrincipal(arn)
		got := ""
		if ok {
			got = p.Kind + " " + p.Name
		}
		if got != want {
			t.Errorf("ParseIAMPrincipal(%q) = %q, want %q", arn, got, want)
		}
	}
	if p, _ := ParseIAMPrincipal("arn:aws:iam::123456789012:role/service/ci"); !p.HasPath() {
		t.Error("HasPath")
	}
}

func TestParseResourceARN(t *testing.T) {
	if _, name, ok := ParseResourceARN("arn:aws:signer:us-east-1:123456789012:/signing-profiles/images", "signer", "/signing-profiles", SigningProfileName); !ok || name != "images" {
		t.Errorf("signing profile: %q %v", name, ok)
	}
	for _, bad := range []string{
		"arn:aws:kms:us-east-1:123456789012:alias/ecr",
		"arn:aws:kms::123456789012:key/abc",
		"arn:aws:kms:us-east-1::key/abc",
		"arn:aws:s3:us-east-1:123456789012:key/abc",
		"arn:aws:kms:us-east-1:123456789012:key/a b",
	} {
		if _, _, ok := ParseResourceARN(bad, "kms", "key", KMSKeyName); ok {
			t.Errorf("ParseResourceARN(%q) accepted", bad)
		}
	}
}

// problems runs a check and returns its messages.
func problems(f func(p *validation.Collector)) string {
	p := &validation.Collector{Package: "test", Path: "P"}
	f(p)
	if err := p.Err(); err != nil {
		return err.Error()
	}
	return ""
}

func TestIdentifiers(t *testing.T) {
	for _, tt := range []struct {
		f    func(p *validation.Collector)
		want string
	}{
		{func(p *validation.Collector) { Account("A", "123456789012", p) }, ""},
		{func(p *validation.Collector) { Account("A", "${Token[X.1]}", p) }, ""},
		{func(p *validation.Collector) { Account("A", "1234", p) }, `test: P: A "1234": must be a 12-digit AWS account ID`},
		{func(p *validation.Collector) { Organization("O", "o-a1b2c3d4e5", p) }, ""},
		{func(p *validation.Collector) { Organization("O", "org-1", p) }, `test: P: O "org-1": must be an AWS Organizations ID: o- followed by 10 to 32 lowercase letters or digits`},
		{func(p *validation.Collector) { RepositoryName("N", "team/web", MaxNameLength, p) }, ""},
		{func(p *validation.Collector) { RepositoryName("N", "a", MaxNameLength, p) }, `test: P: N "a": must be 2 to 256 characters long, not 1`},
		{func(p *validation.Collector) { RepositoryName("N", "Team", MaxNameLength, p) }, `test: P: N "Team": must be lowercase letters`},
		{func(p *validation.Collector) { TemplatePrefix("X", "team/", p) }, ""},
		{func(p *validation.Collector) { TemplatePrefix("X", "ROOT", p) }, ""},
		{func(p *validation.Collector) { TemplatePrefix("X", "", p) }, `test: P: X "": must be 1 to 256 characters long, not 0`},
		{func(p *validation.Collector) { TemplatePrefix("X", "/team", p) }, `test: P: X "/team": must be ROOT or a repository name`},
		{func(p *validation.Collector) { Tags(map[string]string{"aws:x": "v"}, RepositoryTags, p) }, `test: P: Tags "aws:x": a tag key can't start with "aws:", which AWS reserves`},
		{func(p *validation.Collector) { Tags(map[string]string{"k": ""}, PublicRepositoryTags, p) }, `test: P: Tags[k] "": a public repository's tag value must be 1 to 255 characters`},
		{func(p *validation.Collector) {
			Tags(map[string]string{strings.Repeat("é", 129): "v"}, RepositoryTags, p)
		}, `a tag key must be 1 to 128 characters`},
	} {
		got := tt.f
		msg := problems(got)
		if (tt.want == "") != (msg == "") || !strings.Contains(msg, tt.want) {
			t.Errorf("got %q, want %q", msg, tt.want)
		}
	}
}

func TestCheckSettings(t *testing.T) {
	var s Settings
	if msg := problems(func(p *validation.Collector) { s = CheckSettings(SettingsInput{}, p) }); msg != "" {
		t.Fatal(msg)
	}
	if s.Mutability != "IMMUTABLE" || s.Encryption != "KMS" || s.ExplicitEncryption || s.Policy == nil || s.Rules != nil {
		t.Errorf("defaults: %+v", s)
	}
	for _, tt := range []struct {
		in   SettingsInput
		want string
	}{
		{SettingsInput{TagMutability: "LOCKED"}, `TagMutability "LOCKED": must be IMMUTABLE, MUTABLE, IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`},
		{SettingsInput{TagMutability: "MUTABLE_WITH_EXCLUSION"}, `TagMutabilityExclusions: are required with TagMutability MUTABLE_WITH_EXCLUSION`},
		{SettingsInput{TagMutability: "MUTABLE_WITH_EXCLUSION", TagMutabilityExclusions: []string{"a", "b", "c", "d", "e", "f"}}, `has 6 filters; ECR allows at most 5`},
		{SettingsInput{TagMutability: "MUTABLE_WITH_EXCLUSION", TagMutabilityExclusions: []string{"a b"}}, `TagMutabilityExclusions "a b": each filter must be`},
		{SettingsInput{Encryption: "DES"}, `Encryption "DES": must be AES256, KMS or KMS_DSSE`},
		{SettingsInput{Encryption: "AES256", KeyField: "EncryptionKeyArn", CreateKey: true}, `EncryptionKeyArn: a customer-managed key needs Encryption KMS or KMS_DSSE, not AES256; test: P: CreateEncryptionKey true: a customer-managed key`},
		{SettingsInput{NoLifecyclePolicy: new(true), LifecycleRules: []lifecycle.Rule{}}, `NoLifecyclePolicy true: can't be combined with LifecycleRules (0 rules given)`},
	} {
		if msg := problems(func(p *validation.Collector) { CheckSettings(tt.in, p) }); !strings.Contains(msg, tt.want) {
			t.Errorf("%+v: got %q, want %q", tt.in, msg, tt.want)
		}
	}
}

func TestUnique(t *testing.T) {
	if got := Unique([]string{"b", "a", "b", "c", "a"}); strings.Join(got, ",") != "b,a,c" {
		t.Errorf("Unique: %v", got)
	}
}
