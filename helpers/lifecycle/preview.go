package lifecycle

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Outcome is what ECR would do to one image.
type Outcome struct {
	// Image is the image, from the inventory given to Preview.
	Image *Image
	// Action is Expire or Transition (to archive).
	Action Action
	// Rule is the rule that decides it (for a referrer, its subject's rule).
	Rule Rule
	// Subject is, for a referrer artifact, the digest of the image it
	// follows; empty otherwise.
	Subject string
}

// Result is the outcome of a policy for a whole inventory.
type Result struct {
	// Outcomes lists the affected images, by rule priority, then oldest
	// first, then by digest. Unaffected images are left out.
	Outcomes []Outcome
	// Images, Kept, Expired and Archived count the inventory's images.
	Images, Kept, Expired, Archived int
	// BytesExpired is the size of the expired images whose size is known;
	// SizeUnknown counts the expired images without a size.
	BytesExpired int64
	SizeUnknown  int
	// UntaggedMarked reports that untagged images are expired or archived.
	// ECR keeps those that a manifest list references, which describe-images
	// does not show, so some of them may stay.
	UntaggedMarked bool
}

// ManifestListNote explains why some untagged images marked by a preview
// may be kept.
const ManifestListNote = "ECR keeps untagged images that a manifest list (multi-architecture image) references; " +
	"describe-images does not show these references, so some untagged images marked here will be kept."

// nanosPerDay is the length of a countUnit day.
const nanosPerDay = int64(24 * time.Hour)

// Preview computes what ECR would do to each image at time now, following
// ECR's evaluation rules:
//
//   - every rule sees every image of its storage class (standard: ACTIVE,
//     archive: ARCHIVED; ACTIVATING images are seen by none);
//   - an image belongs to the first rule, by priority, whose tag selection
//     it matches; only that rule may expire or archive it, so an image is
//     touched by one rule at most;
//   - imageCountMoreThan ranks every image its selection matches, including
//     images that belong to earlier rules, youngest first by push time (or
//     activation time for a restored image);
//   - sinceImagePushed, sinceImagePulled and sinceImageTransitioned mark
//     images whose clock is more than countNumber days before now;
//   - referrer artifacts (SubjectDigest set) are never selected or counted;
//     they follow their subject: expired with it, archived with it when
//     still active.
//
// Images with the same push time are ranked by digest, as ECR documents no
// order for them. Preview does not modify the images.
func (p *Policy) Preview(images []Image, now time.Time) Result {
	res := Result{Images: len(images)}
	at := now.UnixNano()
	rules := p.rules
	matchers := make([]matcher, len(rules))
	cutoffs := make([]int64, len(rules))
	for i, r := range rules {
		matchers[i] = compileMatcher(r)
		cutoffs[i] = daysBefore(at, r.CountNumber)
	}

	// Youngest first: the order imageCountMoreThan ranks in.
	order := make([]int32, 0, len(images))
	for i := range images {
		if images[i].SubjectDigest == "" {
			order = append(order, int32(i))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		x, y := &images[a], &images[b]
		if x.age() != y.age() {
			if x.age() > y.age() {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Digest, y.Digest)
	})

	classes := make([]StorageClass, len(rules))
	for i, r := range rules {
		classes[i] = r.storageClass()
	}
	decided := make([]int16, len(images)) // 1 + index of the rule that acts on the image; 0 for none
	counts := make([]int, len(rules))     // images each imageCountMoreThan rule has ranked so far
	for _, idx := range order {
		im := &images[idx]
		class := im.storageClass()
		owned := false
		for ri := range rules {
			r := &rules[ri]
			counting := r.CountType == ImageCountMoreThan
			if classes[ri] != class || (owned && !counting) || !matchers[ri].matches(im.Tags) {
				continue
			}
			if counting {
				counts[ri]++
			}
			if owned {
				continue // a later rule still counts the image, but can't touch it
			}
			owned = true
			if marks(r, im, counts[ri], cutoffs[ri]) {
				decided[idx] = int16(ri + 1)
			}
		}
	}

	res.Outcomes = p.outcomes(images, decided)
	for _, o := range res.Outcomes {
		switch o.Action {
		case Expire:
			res.Expired++
			if o.Image.SizeBytes > 0 {
				res.BytesExpired += o.Image.SizeBytes
			} else {
				res.SizeUnknown++
			}
		case Transition:
			res.Archived++
		}
		if len(o.Image.Tags) == 0 && o.Subject == "" {
			res.UntaggedMarked = true
		}
	}
	res.Kept = res.Images - res.Expired - res.Archived
	return res
}

// marks reports whether a rule marks an image, given the image's rank among
// the rule's selection (youngest first, from 1) and the rule's cutoff time.
func marks(r *Rule, im *Image, rank int, cutoff int64) bool {
	switch r.CountType {
	case ImageCountMoreThan:
		return rank > r.CountNumber
	case SinceImagePushed:
		return im.age() < cutoff
	case SinceImagePulled:
		return im.pullClock() < cutoff
	case SinceImageTransitioned:
		return im.ArchivedAt != 0 && im.ArchivedAt < cutoff
	}
	return false
}

// daysBefore returns the instant days days before at, saturating instead of
// overflowing for counts of days beyond the range of time.
func daysBefore(at int64, days int) int64 {
	if days <= 0 {
		return at
	}
	d := int64(days)
	if d > math.MaxInt64/nanosPerDay {
		return math.MinInt64
	}
	delta := d * nanosPerDay // can't overflow after the check above
	if at < math.MinInt64+delta {
		return math.MinInt64
	}
	return at - delta
}

// outcomes turns the decisions into outcomes, adds the referrers that follow
// their subjects, and sorts them.
func (p *Policy) outcomes(images []Image, decided []int16) []Outcome {
	var out []Outcome
	hasReferrers := false
	for i := range images {
		if images[i].SubjectDigest != "" {
			hasReferrers = true
		}
		if decided[i] > 0 {
			r := p.rules[decided[i]-1]
			out = append(out, Outcome{Image: &images[i], Action: r.Action, Rule: r})
		}
	}
	if hasReferrers {
		byDigest := make(map[string]int, len(images))
		for i := range images {
			byDigest[images[i].Digest] = i
		}
		for i := range images {
			im := &images[i]
			if im.SubjectDigest == "" {
				continue
			}
			root, ok := subjectOf(images, byDigest, im)
			if !ok || decided[root] == 0 {
				continue
			}
			r := p.rules[decided[root]-1]
			if r.Action == Transition && im.status() != Active {
				continue // already archived, or being restored
			}
			out = append(out, Outcome{Image: im, Action: r.Action, Rule: r, Subject: images[root].Digest})
		}
	}
	slices.SortFunc(out, func(a, b Outcome) int {
		if a.Rule.Priority != b.Rule.Priority {
			return a.Rule.Priority - b.Rule.Priority
		}
		if a.Image.age() != b.Image.age() {
			if a.Image.age() < b.Image.age() {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Image.Digest, b.Image.Digest)
	})
	return out
}

// subjectOf follows a referrer's chain of subjects to an image that is not a
// referrer itself, refusing cycles and subjects missing from the inventory.
func subjectOf(images []Image, byDigest map[string]int, im *Image) (int, bool) {
	seen := 0
	for im.SubjectDigest != "" {
		i, ok := byDigest[im.SubjectDigest]
		if !ok || seen > len(images) {
			return 0, false
		}
		seen++
		im = &images[i]
		if im.SubjectDigest == "" {
			return i, true
		}
	}
	return 0, false
}
