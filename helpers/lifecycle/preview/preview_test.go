package preview

import (
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"

	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// now is the evaluation time of the preview tests.
var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// ago returns the instant d days before now (fractions allowed).
func ago(days float64) int64 {
	return now.Add(-time.Duration(days * float64(24*time.Hour))).UnixNano()
}

// img is an active image pushed days ago with the tags; its digest is its name.
func img(name string, days float64, tags ...string) Image {
	return Image{Digest: name, Tags: tags, PushedAt: ago(days), Status: ImageStatusActive}
}

// with returns a modified copy of an image.
func with(im Image, f func(*Image)) Image {
	f(&im)
	return im
}

// fromFile parses a policy from testdata/policies.
func fromFile(t *testing.T, name string) *lifecycle.Policy {
	t.Helper()
	data, err := os.ReadFile("../testdata/policies/" + name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := lifecycle.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// must builds a policy from rules or fails the test.
func must(t *testing.T, rules ...lifecycle.Rule) *lifecycle.Policy {
	t.Helper()
	p, err := lifecycle.NewPolicy(rules...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// summary renders a result's outcomes as "digest:action:priority", sorted.
func summary(r Result) []string {
	var out []string
	for _, o := range r.Outcomes {
		s := fmt.Sprintf("%s:%s:%d", o.Image.Digest, o.Action, o.Rule.Priority)
		if o.Subject != "" {
			s += "<" + o.Subject
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func TestPreviewFollowsECRSemantics(t *testing.T) {
	tests := []struct {
		name   string
		policy func(t *testing.T) *lifecycle.Policy
		images []Image
		want   []string
	}{
		// The worked examples of the AWS guide "Examples of lifecycle policies
		// in Amazon ECR", with the outcomes it states.
		{"aws multiple rules A: Image A is expired",
			func(t *testing.T) *lifecycle.Policy { return fromFile(t, "aws-multiple-rules-a.json") },
			[]Image{img("A", 10, "beta-1", "prod-1"), img("B", 9, "beta-2", "prod-2"), img("C", 8, "beta-3")},
			[]string{"A:expire:1"}},
		{"aws multiple rules B: Images A and B are expired",
			func(t *testing.T) *lifecycle.Policy {
				return must(t,
					lifecycle.Rule{Priority: 1, Description: "Rule 1", TagStatus: lifecycle.TagStatusTagged, TagPatterns: []string{"beta*"}, CountType: lifecycle.CountTypeImageCountMoreThan, CountNumber: 1, Action: lifecycle.ActionExpire},
					lifecycle.Rule{Priority: 2, Description: "Rule 2", TagStatus: lifecycle.TagStatusTagged, TagPatterns: []string{"prod*"}, CountType: lifecycle.CountTypeImageCountMoreThan, CountNumber: 1, Action: lifecycle.ActionExpire})
			},
			[]Image{img("A", 10, "beta-1", "prod-1"), img("B", 9, "beta-2", "prod-2"), img("C", 8, "beta-3")},
			[]string{"A:expire:1", "B:expire:1"}},
		{"aws multiple tags A: Image C is expired",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, lifecycle.Rule{Priority: 1, TagStatus: lifecycle.TagStatusTagged, TagPatterns: []string{"alpha*", "beta*"}, CountType: lifecycle.CountTypeSinceImagePushed, CountNumber: 5, Action: lifecycle.ActionExpire})
			},
			[]Image{img("A", 12, "alpha-1"), img("B", 11, "beta-1"), img("C", 10, "alpha-2", "beta-2"), img("D", 4, "alpha-3"), img("E", 3, "beta-3"), img("F", 2, "alpha-4", "beta-4")},
			[]string{"C:expire:1"}},
		{"aws multiple tags B: Images A and B are expired",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, lifecycle.Rule{Priority: 1, TagStatus: lifecycle.TagStatusTagged, TagPatterns: []string{"alpha*", "beta*"}, CountType: lifecycle.CountTypeImageCountMoreThan, CountNumber: 1, Action: lifecycle.ActionExpire})
			},
			[]Image{img("A", 10, "alpha-1", "beta-1", "gamma-1"), img("B", 9, "alpha-2", "beta-2"), img("C", 8, "alpha-3", "beta-3", "gamma-2")},
			[]string{"A:expire:1", "B:expire:1"}},
		{"aws all images A: Images A, B and C are expired",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, lifecycle.Rule{Priority: 1, TagStatus: lifecycle.TagStatusAny, CountType: lifecycle.CountTypeImageCountMoreThan, CountNumber: 1, Action: lifecycle.ActionExpire})
			},
			[]Image{img("A", 4, "alpha-1"), img("B", 3, "beta-1"), img("C", 2), img("D", 1, "alpha-2")},
			[]string{"A:expire:1", "B:expire:1", "C:expire:1"}},
		{"aws all images B: A by rule 1, B by rule 2, D by rule 3",
			func(t *testing.T) *lifecycle.Policy { return fromFile(t, "aws-all-images-b.json") },
			// D and E were both pushed "1 day ago"; E, listed last, is the
			// newer, and exactly one day old, so not older than one day.
			[]Image{img("A", 4, "alpha-1", "beta-1"), img("B", 3), img("C", 2, "alpha-2"), img("D", 1.001, "git hash"), img("E", 1)},
			[]string{"A:expire:1", "B:expire:2", "D:expire:3"}},
		{"aws filtering on image age: prod* older than 14 days",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, lifecycle.Rule{Priority: 1, TagStatus: lifecycle.TagStatusTagged, TagPatterns: []string{"prod*"}, CountType: lifecycle.CountTypeSinceImagePushed, CountNumber: 14, Action: lifecycle.ActionExpire})
			},
			[]Image{img("old", 15, "prod-1"), img("new", 13, "prod-2"), img("other", 30, "dev-1")},
			[]string{"old:expire:1"}},

		// One semantic rule each.
		{"since: exactly N days is not older than N days",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.DeleteUntaggedAfterDays(7)) },
			[]Image{img("exact", 7), img("over", 7.0001), img("under", 6.9)},
			[]string{"over:expire:1"}},
		{"count: rank by push time, youngest kept",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.KeepLastNImages(2)) },
			[]Image{img("a", 1), img("b", 2, "x"), img("c", 3), img("d", 4, "y")},
			[]string{"c:expire:1", "d:expire:1"}},
		{"count: equal push times are ranked by digest",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.KeepLastNImages(1)) },
			[]Image{img("b", 2), img("a", 2), img("c", 2)},
			[]string{"b:expire:1", "c:expire:1"}},
		{"pushed: a restored image still counts from its push",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.DeleteTaggedAfterDays("v", 30)) },
			[]Image{with(img("restored", 400, "v1"), func(im *Image) { im.ActivatedAt = ago(2) }), img("recent", 5, "v2")},
			[]string{"restored:expire:1"}},
		{"count: a restored image ranks by its activation time",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.KeepLastNImages(1)) },
			[]Image{img("fresh", 5), with(img("restored", 400), func(im *Image) { im.ActivatedAt = ago(1) })},
			[]string{"fresh:expire:1"}},
		{"pulled: clock is the last pull, else the push",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.ArchiveNotPulledForDays(30)) },
			[]Image{
				with(img("pulled-recently", 100), func(im *Image) { im.LastPulledAt = ago(3) }),
				with(img("pulled-long-ago", 100), func(im *Image) { im.LastPulledAt = ago(40) }),
				img("never-pulled-old", 31), img("never-pulled-new", 10),
			},
			[]string{"never-pulled-old:transition:1", "pulled-long-ago:transition:1"}},
		{"pulled: a restored image not pulled since counts from the restore",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.ArchiveNotPulledForDays(30)) },
			[]Image{
				with(img("restored-recently", 300), func(im *Image) { im.LastPulledAt = ago(200); im.ActivatedAt = ago(5) }),
				with(img("restored-long-ago", 300), func(im *Image) { im.LastPulledAt = ago(200); im.ActivatedAt = ago(45) }),
			},
			[]string{"restored-long-ago:transition:1"}},
		{"transitioned: archived images by archive time, at least the count",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.DeleteArchivedAfterDays(90)) },
			[]Image{
				with(img("long", 400), func(im *Image) { im.Status = ImageStatusArchived; im.ArchivedAt = ago(120) }),
				with(img("recent", 400), func(im *Image) { im.Status = ImageStatusArchived; im.ArchivedAt = ago(60) }),
				with(img("unknown", 400), func(im *Image) { im.Status = ImageStatusArchived }),
				img("active", 400),
			},
			[]string{"long:expire:1"}},
		{"storage classes: standard rules see active images only, ACTIVATING is seen by none",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, lifecycle.DeleteUntaggedAfterDays(1), lifecycle.DeleteArchivedAfterDays(90))
			},
			[]Image{
				img("active", 100),
				with(img("archived", 100), func(im *Image) { im.Status = ImageStatusArchived; im.ArchivedAt = ago(95) }),
				with(img("activating", 100), func(im *Image) { im.Status = ImageStatusActivating; im.ArchivedAt = ago(95) }),
				with(img("no-status", 100), func(im *Image) { im.Status = "" }),
			},
			[]string{"active:expire:1", "archived:expire:2", "no-status:expire:1"}},
		{"protection: a higher rule's tags keep lower rules off, even when it marks nothing, in both storage classes",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, append(lifecycle.Protect("release-"), lifecycle.DeleteTaggedAfterDays("v", 1), lifecycle.KeepLastNImages(1), lifecycle.DeleteArchivedAfterDays(90))...)
			},
			[]Image{img("rel", 50, "release-1", "v1"), img("v-old", 40, "v2"), img("new", 1, "latest"),
				with(img("rel-archived", 900, "release-0"), func(im *Image) { im.Status = ImageStatusArchived; im.ArchivedAt = ago(800) })},
			[]string{"v-old:expire:3"}},
		{"protected images still count towards later count rules",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, append(lifecycle.Protect("release-"), lifecycle.KeepLastNImages(2))...)
			},
			[]Image{img("r1", 1, "release-1"), img("r2", 2, "release-2"), img("dev", 3, "dev")},
			[]string{"dev:expire:3"}},
		{"one rule per image: the first matching rule decides",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, lifecycle.DeleteTaggedAfterDays("pr-", 30), lifecycle.DeleteMatchingAfterDays("*-rc*", 1))
			},
			[]Image{img("pr", 10, "pr-1-rc1"), img("rc", 10, "v2-rc1")},
			[]string{"rc:expire:2"}},
		{"patterns are anchored at both ends",
			func(t *testing.T) *lifecycle.Policy {
				return must(t, lifecycle.DeleteMatchingAfterDays("prod*", 1), lifecycle.DeleteMatchingAfterDays("*-rc*", 1), lifecycle.DeleteMatchingAfterDays("a*b*c", 1))
			},
			[]Image{img("nonprod", 5, "nonprod"), img("prod", 5, "production"), img("rc", 5, "1.2-rc3"), img("abc", 5, "aXbYc"), img("abcd", 5, "abcd")},
			[]string{"abc:expire:3", "prod:expire:1", "rc:expire:2"}},
		{"referrers follow their subject and are never selected or counted",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.KeepLastNImages(1)) },
			[]Image{
				img("new", 2, "v2"), img("old", 5, "v1"),
				with(img("sig-old", 1), func(im *Image) { im.SubjectDigest = "old" }),
				with(img("sbom-of-sig", 1), func(im *Image) { im.SubjectDigest = "sig-old" }),
				with(img("sig-new", 1), func(im *Image) { im.SubjectDigest = "new" }),
				with(img("orphan", 1), func(im *Image) { im.SubjectDigest = "gone" }),
			},
			[]string{"old:expire:1", "sbom-of-sig:expire:1<old", "sig-old:expire:1<old"}},
		{"referrers are archived with their subject only while active",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.ArchiveNotPulledForDays(30)) },
			[]Image{
				img("subject", 60, "v1"),
				with(img("sig", 60), func(im *Image) { im.SubjectDigest = "subject" }),
				with(img("old-sig", 60), func(im *Image) { im.SubjectDigest = "subject"; im.Status = ImageStatusArchived }),
			},
			[]string{"sig:transition:1<subject", "subject:transition:1"}},
		{"a count that can never be reached never fires",
			func(t *testing.T) *lifecycle.Policy { return must(t, lifecycle.Protect("v")...) },
			[]Image{img("v1", 1, "v1"), img("v2", 2, "v2")},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summary(Evaluate(tt.policy(t), tt.images, now, nil))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("outcomes = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPreviewSummary(t *testing.T) {
	images := []Image{
		with(img("u1", 30), func(im *Image) { im.SizeBytes = 100 }),
		with(img("u2", 20), func(im *Image) { im.SizeBytes = 50 }),
		img("u3", 10),
		img("t1", 1, "v1"),
		with(img("a1", 200, "v0"), func(im *Image) { im.LastPulledAt = ago(100) }),
	}
	res := Evaluate(must(t, lifecycle.DeleteUntaggedAfterDays(5), lifecycle.ArchiveNotPulledForDays(60)), images, now, nil)
	got := fmt.Sprintf("%d images: %d kept, %d expired, %d archived, %d bytes, %d unknown, untagged %v",
		res.Images, res.Kept, res.Expired, res.Archived, res.BytesFreed, res.SizeUnknown, res.UntaggedMarked)
	want := "5 images: 1 kept, 3 expired, 1 archived, 150 bytes, 1 unknown, untagged true"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// Outcomes are ordered by rule, then oldest first.
	if s := summary(res); len(res.Outcomes) != 4 || res.Outcomes[0].Image.Digest != "u1" || res.Outcomes[3].Image.Digest != "a1" {
		t.Errorf("outcome order: %q", s)
	}
}

func TestPreviewWithHugeDayCountsDoesNotOverflow(t *testing.T) {
	p := must(t, lifecycle.DeleteUntaggedAfterDays(2147483647))
	if res := Evaluate(p, []Image{img("ancient", 20000)}, now, nil); len(res.Outcomes) != 0 {
		t.Errorf("an image younger than the count was marked: %q", summary(res))
	}
}

func TestPreviewLeavesTheInventoryAlone(t *testing.T) {
	images := []Image{img("b", 2, "x"), img("a", 1)}
	before := fmt.Sprint(images)
	Evaluate(must(t, lifecycle.KeepLastNImages(1)), images, now, nil)
	if fmt.Sprint(images) != before || !strings.HasPrefix(before, "[{b") {
		t.Error("Preview reordered or modified the images")
	}
}

// An image in use is never counted as expired: what the policy would do to
// it is listed in InUse instead.
func TestImagesInUseAreNeverCountedExpired(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var images []Image
	for i := range 5 {
		images = append(images, Image{Digest: fmt.Sprintf("sha256:%064d", i), Tags: []string{fmt.Sprintf("v%d", i)}, PushedAt: now.Add(-time.Duration(5-i) * time.Hour).UnixNano(), SizeBytes: 10})
	}
	policy, err := lifecycle.NewPolicy(lifecycle.KeepLastNImages(2))
	if err != nil {
		t.Fatal(err)
	}
	res := Evaluate(policy, images, now, &Options{InUse: func(im *Image) bool { return slices.Contains(im.Tags, "v0") }})
	if res.Expired != 2 || res.Kept != 3 || res.BytesFreed != 20 {
		t.Errorf("expired %d, kept %d, freed %d; want 2, 3 and 20", res.Expired, res.Kept, res.BytesFreed)
	}
	if len(res.InUse) != 1 || res.InUse[0].Image.Tags[0] != "v0" || res.InUse[0].Action != lifecycle.ActionExpire {
		t.Errorf("in use: %+v", res.InUse)
	}
	for _, o := range res.Outcomes {
		if o.Image.Tags[0] == "v0" {
			t.Error("an image in use is among the outcomes")
		}
	}
}
