package changes

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/cfn"
)

// tpl makes a template from its resources, as JSON.
func tpl(t *testing.T, resources string) map[string]any {
	t.Helper()
	tm, err := cfn.Parse([]byte(`{"Resources": {` + resources + `}}`))
	if err != nil {
		t.Fatalf("%v in %s", err, resources)
	}
	return tm
}

// one compares two one-stack apps named Shop.
func one(t *testing.T, old, new string, opts *Options) *Report {
	t.Helper()
	return Compare([]Stack{{Name: "Shop", Template: tpl(t, old)}}, []Stack{{Name: "Shop", Template: tpl(t, new)}}, opts)
}

// lines renders the findings.
func lines(r *Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}

// expect checks that the report has exactly the findings of the given
// severity and kind, by logical id, and that each line holds the words.
func expect(t *testing.T, r *Report, want ...string) {
	t.Helper()
	got := map[string]bool{}
	for _, f := range r.Findings {
		got[f.LogicalID+" "+string(f.Severity)+" "+string(f.Kind)] = true
	}
	if len(got) != len(want) {
		t.Errorf("findings:\n%swant %q", lines(r), want)
		return
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("findings:\n%swant %q", lines(r), want)
			return
		}
	}
}

func contains(t *testing.T, r *Report, words ...string) {
	t.Helper()
	all := lines(r)
	for _, w := range words {
		if !strings.Contains(all, w) {
			t.Errorf("findings:\n%sdo not say %q", all, w)
		}
	}
}

const repo = `"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web", "ImageTagMutability": "IMMUTABLE"}, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}`

func TestReplacement(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		want           []string
		words          []string
	}{
		{"repository renamed", repo, strings.Replace(repo, "shop/web", "shop/site", 1),
			[]string{"Repo error replacement"}, []string{`RepositoryName changes from "shop/web" to "shop/site"`, "leaves the old one, with its data, without a stack (UpdateReplacePolicy Retain)"}},
		{"key added to a named repository", repo, strings.Replace(repo, `"IMMUTABLE"`, `"IMMUTABLE", "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": {"Fn::GetAtt": ["Key", "Arn"]}}`, 1),
			[]string{"Repo error replacement"}, []string{"EncryptionConfiguration is added", "custom name \"shop/web\"", "the update fails"}},
		{"explicit AES256", `"R": {"Type": "AWS::ECR::Repository"}`, `"R": {"Type": "AWS::ECR::Repository", "Properties": {"EncryptionConfiguration": {"EncryptionType": "AES256"}}}`,
			[]string{"R error replacement"}, []string{"#2502", "deletes the old one with its data (ECR refuses"}},
		{"a changed Ref", `"R": {"Type": "AWS::ECR::Repository", "Properties": {"EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": {"Ref": "KeyA"}}}}`,
			`"R": {"Type": "AWS::ECR::Repository", "Properties": {"EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": {"Ref": "KeyB"}}}}`,
			[]string{"R error replacement"}, []string{`{"EncryptionType":"KMS","KmsKey":{"Ref":"KeyA"}} to {"EncryptionType":"KMS","KmsKey":{"Ref":"KeyB"}}`}},
		{"cache rule upstream (a note)", `"C": {"Type": "AWS::ECR::PullThroughCacheRule", "Properties": {"EcrRepositoryPrefix": "hub", "UpstreamRegistryUrl": "registry-1.docker.io", "CredentialArn": "arn:a"}}`,
			`"C": {"Type": "AWS::ECR::PullThroughCacheRule", "Properties": {"EcrRepositoryPrefix": "hub", "UpstreamRegistryUrl": "registry-1.docker.io", "CredentialArn": "arn:b"}}`,
			[]string{"C note replacement"}, []string{"CredentialArn changes", "custom name \"hub\""}},
		{"creation template prefix", `"T": {"Type": "AWS::ECR::RepositoryCreationTemplate", "Properties": {"Prefix": "a", "AppliedFor": ["PULL_THROUGH_CACHE"]}}`,
			`"T": {"Type": "AWS::ECR::RepositoryCreationTemplate", "Properties": {"Prefix": "b", "AppliedFor": ["PULL_THROUGH_CACHE"]}}`,
			[]string{"T note replacement"}, []string{`Prefix changes from "a" to "b"`, "creates a new one and deletes the old one"}},
		{"KMS alias", `"A": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/a", "TargetKeyId": "k"}}`, `"A": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/b", "TargetKeyId": "k"}}`,
			[]string{"A note replacement"}, nil},
		{"bucket name removed", `"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "logs"}}`, `"B": {"Type": "AWS::S3::Bucket"}`,
			[]string{"B error replacement"}, []string{`BucketName is removed (was "logs")`}},
		{"list element path", `"M": {"Type": "AWS::MSK::Replicator", "Properties": {"ReplicationInfoList": [{"SourceKafkaClusterArn": "a", "TopicReplication": {}}]}}`,
			`"M": {"Type": "AWS::MSK::Replicator", "Properties": {"ReplicationInfoList": [{"SourceKafkaClusterArn": "b", "TopicReplication": {}}]}}`,
			[]string{"M note replacement"}, []string{"ReplicationInfoList.0.SourceKafkaClusterArn changes"}},
		{"type change", `"X": {"Type": "AWS::SNS::Topic"}`, `"X": {"Type": "AWS::SQS::Queue"}`, []string{"X note type-change"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := one(t, tc.old, tc.new, nil)
			expect(t, r, tc.want...)
			contains(t, r, tc.words...)
		})
	}
}

// Changes that lose nothing report nothing.
func TestChangesThatPass(t *testing.T) {
	scan := func(on bool) string {
		b, _ := json.Marshal(on)
		return `"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web", "ImageScanningConfiguration": {"ScanOnPush": ` + string(b) + `}, "Tags": [{"Key": "team", "Value": "a"}]}}`
	}
	for _, tc := range []struct{ name, old, new string }{
		{"tags", scan(true), strings.Replace(scan(true), `"a"`, `"b"`, 1)},
		{"scan on push", scan(true), scan(false)},
		{"a new repository", repo, repo + `, "Other": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/api", "EmptyOnDelete": true}}`},
		{"a non-stateful resource removed", repo + `, "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "r"}}`, repo},
		{"a policy made stronger", `"R": {"Type": "AWS::ECR::Repository"}`, `"R": {"Type": "AWS::ECR::Repository", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}`},
		{"policy text reformatted", `"R": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[]}"}}}`,
			`"R": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": "{ \"rules\": [] }"}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, one(t, tc.old, tc.new, nil))
		})
	}
}

// A construct renamed keeps its logical id with OverrideLogicalId: the
// same logical id, whatever the construct path in the metadata, is the same
// resource.
func TestRenamedConstructWithOverrideLogicalID(t *testing.T) {
	old := `"WebRepo1234ABCD": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web"}, "Metadata": {"aws:cdk:path": "Shop/Web/Resource"}}`
	new := `"WebRepo1234ABCD": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web"}, "Metadata": {"aws:cdk:path": "Shop/Images/Web/Resource"}}`
	expect(t, one(t, old, new, nil))
	// Without OverrideLogicalId the id changes: a move.
	moved := strings.Replace(new, "WebRepo1234ABCD", "ImagesWeb9876FEDC", 1)
	r := one(t, old, moved, nil)
	expect(t, r, "WebRepo1234ABCD error logical-id-move")
	contains(t, r, `moves to ImagesWeb9876FEDC with the same name "shop/web"`, "OverrideLogicalId", "cdk refactor")
	if !r.Findings[0].Blocks() || r.Findings[0].NewLogicalID != "ImagesWeb9876FEDC" {
		t.Errorf("%+v", r.Findings[0])
	}
}

func TestRemovedStatefulResources(t *testing.T) {
	for _, tc := range []struct{ name, old, want, words string }{
		{"retained repository", repo, "Repo error orphaned", `without a stack (still billed, managed by none; a new resource named "shop/web" collides with it)`},
		{"deleted repository", `"R": {"Type": "AWS::ECR::Repository"}`, "R error deleted", "ECR refuses to delete a repository that holds images"},
		{"emptied repository", `"R": {"Type": "AWS::ECR::Repository", "Properties": {"EmptyOnDelete": true}}`, "R error deleted", "every image in it (EmptyOnDelete)"},
		{"key", `"K": {"Type": "AWS::KMS::Key", "DeletionPolicy": "RetainExceptOnCreate"}`, "K error orphaned", "DeletionPolicy RetainExceptOnCreate: CloudFormation leaves it, with its data, without a stack (still billed, managed by none)"},
		{"table snapshot", `"D": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot"}`, "D error deleted", "final snapshot"},
		{"log group", `"L": {"Type": "AWS::Logs::LogGroup"}`, "L error deleted", "deletes it with its data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := one(t, tc.old+`, "Topic": {"Type": "AWS::SNS::Topic"}`, `"Topic": {"Type": "AWS::SNS::Topic"}`, nil)
			expect(t, r, tc.want)
			contains(t, r, tc.words)
		})
	}
}

// An unnamed resource under a new logical id is a removal and an addition;
// the removal says how to keep it.
func TestUnnamedResourceUnderANewLogicalID(t *testing.T) {
	r := one(t, `"Repo": {"Type": "AWS::ECR::Repository"}`, `"Images": {"Type": "AWS::ECR::Repository"}`, nil)
	expect(t, r, "Repo error deleted")
	contains(t, r, "if Images, added, is the same resource under a new logical id, keep the old id (OverrideLogicalId) or move it with cdk refactor")
}

func TestWeakenedPolicies(t *testing.T) {
	r := one(t, repo, strings.Replace(strings.Replace(repo, `, "DeletionPolicy": "Retain"`, "", 1), `"UpdateReplacePolicy": "Retain"`, `"UpdateReplacePolicy": "Snapshot"`, 1), nil)
	expect(t, r, "Repo error policy-weakened")
	contains(t, r, "DeletionPolicy changes from Retain to unset (Delete): removing the resource or deleting the stack now deletes it with its data",
		"UpdateReplacePolicy changes from Retain to Snapshot: a replacement now deletes the old resource after a snapshot")
	if len(r.Findings) != 2 {
		t.Errorf("%d findings, want 2", len(r.Findings))
	}
	// A role's policy is a note.
	r = one(t, `"Role": {"Type": "AWS::IAM::Role", "DeletionPolicy": "Retain"}`, `"Role": {"Type": "AWS::IAM::Role", "DeletionPolicy": "Delete"}`, nil)
	expect(t, r, "Role note policy-weakened")
}

func TestEmptyOnDeleteSwitchedOn(t *testing.T) {
	r := one(t, repo, strings.Replace(repo, `"IMMUTABLE"`, `"IMMUTABLE", "EmptyOnDelete": true`, 1), nil)
	expect(t, r, "Repo error empty-on-delete")
	expect(t, one(t, strings.Replace(repo, `"IMMUTABLE"`, `"IMMUTABLE", "EmptyOnDelete": true`, 1), repo, nil))
}

func TestDeleteReplicationSwitchedOn(t *testing.T) {
	rule := func(deletes string) string {
		return `"Replication": {"Type": "AWS::ECR::ReplicationConfiguration", "Properties": {"ReplicationConfiguration": {"Rules": [{"Destinations": [{"Region": "eu-west-1", "RegistryId": "123456789012"}]` + deletes + `}]}}}`
	}
	on := rule(`, "DeleteReplication": {"Enabled": true}`)
	r := one(t, rule(""), on, nil)
	expect(t, r, "Replication error delete-replication")
	if msg := r.Findings[0].Message; !strings.Contains(msg, `Rules[0].DeleteReplication is switched on: every image deletion and tag removal in the source, lifecycle expiries included, now also deletes in each destination ([{"Region":"eu-west-1","RegistryId":"123456789012"}])`) {
		t.Errorf("message %q", msg)
	}
	expect(t, one(t, on, on, nil))
	expect(t, one(t, on, rule(""), nil))
	expect(t, one(t, rule(`, "DeleteReplication": {"Enabled": false}`), rule(""), nil))
}

const scanning = `"Scanning": {"Type": "AWS::ECR::RegistryScanningConfiguration", "Properties": {"ScanType": "ENHANCED", "Rules": []}}`

func TestRegistrySettingMovedBetweenStacks(t *testing.T) {
	env := "aws://123456789012/eu-west-1"
	old := []Stack{
		{Name: "Registry", Environment: env, Template: tpl(t, scanning)},
		{Name: "Images", Environment: env, Template: tpl(t, repo)},
	}
	new := []Stack{
		{Name: "Registry", Environment: env, Template: tpl(t, `"Topic": {"Type": "AWS::SNS::Topic"}`)},
		{Name: "Images", Environment: env, Template: tpl(t, repo+", "+strings.Replace(scanning, "Scanning", "Scan2", 1))},
	}
	r := Compare(old, new, nil)
	expect(t, r, "Scanning error registry-setting-moved")
	contains(t, r, "Registry/Scanning (AWS::ECR::RegistryScanningConfiguration): error: registry-setting-moved: the registry's scanning configuration moves to stack Images (Scan2)")

	// Another account: no move; the removal is a note.
	new[1].Environment = "aws://210987654321/eu-west-1"
	r = Compare(old, new, nil)
	expect(t, r, "Scanning note registry-setting-removed")

	// Within a stack, to another logical id: a move too.
	r = one(t, scanning, strings.Replace(scanning, "Scanning", "Scan2", 1), nil)
	expect(t, r, "Scanning error registry-setting-moved")
	contains(t, r, "CloudFormation creates Scan2 first")
}

func TestLogicalIDMoveAcrossStacks(t *testing.T) {
	old := []Stack{{Name: "A", Template: tpl(t, repo)}, {Name: "B", Template: tpl(t, `"Topic": {"Type": "AWS::SNS::Topic"}`)}}
	new := []Stack{{Name: "A", Template: tpl(t, `"Topic": {"Type": "AWS::SNS::Topic"}`)}, {Name: "B", Template: tpl(t, repo)}}
	r := Compare(old, new, nil)
	expect(t, r, "Repo error logical-id-move")
	contains(t, r, "moves to B/Repo")
}

func TestStackMissingFromNew(t *testing.T) {
	old := []Stack{{Name: "A", Template: tpl(t, repo)}, {Name: "B", Template: tpl(t, scanning)}}
	new := []Stack{{Name: "A", Template: tpl(t, repo+", "+strings.Replace(scanning, "Scanning", "S", 1))}}
	r := Compare(old, new, nil)
	expect(t, r, " note stack-missing", "Scanning error registry-setting-moved")
	contains(t, r, "(deleting the stack) empties it")
}

func TestAllow(t *testing.T) {
	r := one(t, repo, strings.Replace(repo, "shop/web", "shop/site", 1), &Options{Allow: Allow{"Repo": "the old name goes", "Gone": "x"}})
	f := r.Findings[0]
	if !f.Allowed || f.Reason != "the old name goes" || f.Blocks() || len(r.Blocking()) != 0 {
		t.Errorf("%+v", f)
	}
	if !strings.Contains(f.String(), `Shop/Repo (AWS::ECR::Repository): error, allowed ("the old name goes"): replacement: `) {
		t.Errorf("%s", f)
	}
	if len(r.UnusedAllow) != 1 || r.UnusedAllow[0] != "Gone" {
		t.Errorf("unused %q", r.UnusedAllow)
	}
	// By stack and logical id.
	r = one(t, repo, strings.Replace(repo, "shop/web", "shop/site", 1), &Options{Allow: Allow{"Other/Repo": "x"}})
	if len(r.Blocking()) != 1 {
		t.Error("an allow of another stack acknowledges")
	}
}

// image makes one image pushed days before now.
func image(digest, tag string, days int, now time.Time) preview.Image {
	im := preview.Image{Digest: digest, PushedAt: now.Add(-time.Duration(days) * 24 * time.Hour).UnixNano(), SizeBytes: 100 << 20}
	if tag != "" {
		im.Tags = []string{tag}
	}
	return im
}

func policy(n int) string {
	return `"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web", "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":` + itoa(n) + `},\"action\":{\"type\":\"expire\"}}]}"}}}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestLifecycleImpact(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var images []preview.Image
	for i := range 6 {
		images = append(images, image("sha256:"+strings.Repeat(itoa(i), 64), "v"+itoa(i), 10*i, now))
	}
	opts := &Options{Images: map[string][]preview.Image{"shop/web": images, "nothing": nil}, Now: now}

	r := one(t, policy(5), policy(3), opts)
	expect(t, r, "Repo error lifecycle-impact")
	contains(t, r, "the lifecycle policy changes; over the 6 images of shop/web the new policy expires 2 images (200.0 MiB: v4, v3) that the old one keeps")
	if len(r.UnusedImages) != 1 || r.UnusedImages[0] != "nothing" {
		t.Errorf("unused images %q", r.UnusedImages)
	}

	// Keeping more expires nothing new: a note.
	r = one(t, policy(3), policy(5), opts)
	expect(t, r, "Repo note lifecycle-impact")
	contains(t, r, "expires and archives nothing the old one does not")

	// A policy added to a repository with images.
	r = one(t, strings.Replace(policy(3), `, "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":3},\"action\":{\"type\":\"expire\"}}]}"}`, "", 1), policy(3), opts)
	expect(t, r, "Repo error lifecycle-impact")
	contains(t, r, "a lifecycle policy is added; over the 6 images of shop/web the new policy expires 3 images")

	// Without images: which policy changed, and that impact needs images.
	r = one(t, policy(5), policy(3), nil)
	expect(t, r, "Repo note lifecycle-impact")
	contains(t, r, "needs the repository's images: --images NAME=describe-images.json")

	// By logical id.
	r = one(t, policy(5), policy(3), &Options{Images: map[string][]preview.Image{"Repo": images}, Now: now})
	expect(t, r, "Repo error lifecycle-impact")

	// Images that couldn't be read: a note that says why.
	r = one(t, policy(5), policy(3), &Options{ImagesUnread: map[string]string{"shop/web": "not in the account"}, Now: now})
	expect(t, r, "Repo note lifecycle-impact")
	contains(t, r, "the lifecycle policy changes; what it expires is unknown: its images couldn't be read: not in the account")
}

// A golden file of helpers/cdktest shows a policy text as embedded JSON:
// it compares with the synthesized string.
func TestGoldenFormCompares(t *testing.T) {
	golden := `"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web", "LifecyclePolicy": {"LifecyclePolicyText": {"(embedded JSON)": {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}}]}}}}}`
	expect(t, one(t, golden, policy(5), nil))
	expect(t, one(t, golden, policy(3), nil), "Repo note lifecycle-impact")
}
