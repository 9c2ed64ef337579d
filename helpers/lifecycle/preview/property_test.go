package preview

import (
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"

	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomRule returns a rule with random but plausible fields; it may be
// invalid, and NewPolicy sorts that out.
func randomRule(r *rand.Rand) lifecycle.Rule {
	lists := [][]string{{"pr-"}, {"feature-"}, {"v"}, {"v", "latest"}, {"dev"}}
	patterns := [][]string{{"*-rc*"}, {"v*.*"}, {"*prod*"}, {"release-*", "*-hotfix"}}
	rule := lifecycle.Rule{
		TagStatus:   []lifecycle.TagStatus{lifecycle.TagStatusTagged, lifecycle.TagStatusTagged, lifecycle.TagStatusUntagged, lifecycle.TagStatusAny}[r.IntN(4)],
		CountType:   []lifecycle.CountType{lifecycle.CountTypeImageCountMoreThan, lifecycle.CountTypeSinceImagePushed, lifecycle.CountTypeSinceImagePulled}[r.IntN(3)],
		CountNumber: 1 + r.IntN(60),
		Action:      lifecycle.ActionExpire,
	}
	if rule.CountType == lifecycle.CountTypeSinceImagePulled {
		rule.Action = lifecycle.ActionTransition
	}
	if rule.TagStatus == lifecycle.TagStatusTagged {
		if r.IntN(2) == 0 {
			rule.TagPrefixes = lists[r.IntN(len(lists))]
		} else {
			rule.TagPatterns = patterns[r.IntN(len(patterns))]
		}
	}
	if r.IntN(8) == 0 {
		rule = lifecycle.DeleteArchivedAfterDays(90 + r.IntN(300))
	}
	return rule
}

// randomImages returns n images with tags drawn from a pool that includes
// protected ones, in every storage state, some of them referrers.
func randomImages(r *rand.Rand, n int) []Image {
	pool := []string{"release-1", "release-2", "keep", "keepsake", "v1.2", "v2.0-rc1", "pr-7", "feature-x", "latest", "dev", "prod-eu", "x"}
	images := make([]Image, n)
	for i := range images {
		im := Image{Digest: fmt.Sprintf("sha256:%04d", i), PushedAt: ago(r.Float64() * 400)}
		for range r.IntN(4) {
			im.Tags = append(im.Tags, pool[r.IntN(len(pool))])
		}
		switch r.IntN(10) {
		case 0:
			im.Status, im.ArchivedAt = ImageStatusArchived, ago(r.Float64()*300)
		case 1:
			im.Status = ImageStatusActivating
		case 2:
			im.ActivatedAt = ago(r.Float64() * 30)
		}
		if r.IntN(3) == 0 {
			im.LastPulledAt = ago(r.Float64() * 200)
		}
		if i > 0 && r.IntN(12) == 0 {
			im.SubjectDigest = images[r.IntN(i)].Digest
			im.Tags = nil
		}
		images[i] = im
	}
	return images
}

// No image that carries a protected tag is ever expired or archived, whatever
// rules follow the protecting ones. (Referrers carry no tags here: they
// follow their subject, tagged or not, as ECR does.)
func TestPropertyProtectedImagesAreNeverMarked(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	checked := 0
	for iteration := 0; checked < 500; iteration++ {
		protect := append(lifecycle.Protect("release-", "keep"), lifecycle.ProtectPatterns("*-rc*")...)
		rules := protect
		for range 1 + r.IntN(8) {
			rules = append(rules, randomRule(r))
		}
		policy, err := lifecycle.NewPolicy(rules...)
		if err != nil {
			continue // random rules clashed; draw again
		}
		checked++
		images := randomImages(r, 200)
		for _, o := range Evaluate(policy, images, now, nil).Outcomes {
			for _, tag := range o.Image.Tags {
				if strings.HasPrefix(tag, "release-") || strings.HasPrefix(tag, "keep") || strings.Contains(tag, "-rc") {
					t.Fatalf("iteration %d: %s (tags %q) marked by rule %d %q", iteration, o.Image.Digest, o.Image.Tags, o.Rule.Priority, o.Rule.Description)
				}
			}
		}
	}
}

// Whatever the rules, a preview accounts for every image exactly once.
func TestPropertyEveryImageIsCountedOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for checked := 0; checked < 300; {
		var rules []lifecycle.Rule
		for range 1 + r.IntN(10) {
			rules = append(rules, randomRule(r))
		}
		policy, err := lifecycle.NewPolicy(rules...)
		if err != nil {
			continue
		}
		checked++
		images := randomImages(r, 150)
		res := Evaluate(policy, images, now, nil)
		seen := map[string]bool{}
		for _, o := range res.Outcomes {
			if seen[o.Image.Digest] {
				t.Fatalf("%s has two outcomes", o.Image.Digest)
			}
			seen[o.Image.Digest] = true
		}
		if res.Kept+res.Expired+res.Archived != len(images) || len(res.Outcomes) != res.Expired+res.Archived {
			t.Fatalf("counts don't add up: %+v", res)
		}
	}
}
