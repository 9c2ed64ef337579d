package lifecycle

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Outcome is what ECR would do to one image.
type Outcome struct {
	// Image is the image, from the inventory given to Preview.
	Image *Image
	// Action is ActionExpire or ActionTransition (to archive).
	Action Action
	// Rule is the rule that decides it (for a referrer, its subject's rule).
	// It points into the Result's own copy of the policy's rules.
	Rule *Rule
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

// ranked is an image's place in the order rules rank images in. It is kept
// small, so sorting a million of them stays in cache.
type ranked struct {
	age int64
	idx int32
}

// hit is an image some rule acts on, before it becomes an Outcome.
type hit struct {
	age     int64
	idx     int32
	rule    int16 // index into the policy's rules, which are in priority order
	subject int32 // for a referrer, the index of the image it follows; -1 otherwise
}

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
//   - sinceImagePushed marks images pushed more than countNumber days
//     before now (restored or not, as ECR documents it), sinceImagePulled
//     counts from the last pull (else the push, else the restore),
//     sinceImageTransitioned from the last archiving;
//   - referrer artifacts (SubjectDigest set) are never selected or counted;
//     they follow their subject: expired with it, archived with it when
//     still active.
//
// Images with the same push time are ranked by digest, as ECR documents no
// order for them. Preview does not modify the images.
func (p *Policy) Preview(images []Image, now time.Time) Result {
	res := Result{Images: len(images)}
	at := now.UnixNano()
	rules := p.Rules() // the result's own copy: Outcomes point into it
	matchers := make([]matcher, len(rules))
	cutoffs := make([]int64, len(rules))
	classes := make([]StorageClass, len(rules))
	for i, r := range rules {
		matchers[i] = compileMatcher(r)
		cutoffs[i] = daysBefore(at, r.CountNumber)
		classes[i] = r.storageClass()
	}

	// One pass in inventory order, which reads memory sequentially: find
	// each image's owner (the first rule whose selection it matches), decide
	// the since* rules, and note which imageCountMoreThan rules select it.
	owner := make([]int8, len(images)) // index of the owning rule; -1 for none
	counted := make([]uint64, len(images))
	order := make([]ranked, 0, len(images))
	decided := make([]int16, len(images)) // 1 + index of the rule that acts on the image; 0 for none
	var hits []hit
	referrers := 0
	for i := range images {
		im := &images[i]
		owner[i] = -1
		if im.SubjectDigest != "" {
			referrers++ // referrers are never selected or counted
			continue
		}
		class := im.storageClass()
		for ri := range rules {
			r := &rules[ri]
			counting := r.CountType == CountTypeImageCountMoreThan
			if classes[ri] != class || (owner[i] >= 0 && !counting) || !matchers[ri].matches(im.Tags) {
				continue
			}
			if counting {
				counted[i] |= 1 << ri
			}
			if owner[i] >= 0 {
				continue // a later rule still counts the image, but can't touch it
			}
			owner[i] = int8(ri)
			if !counting && marks(r, im, 0, cutoffs[ri]) {
				decided[i] = int16(ri + 1)
				hits = append(hits, hit{age: im.age(), idx: int32(i), rule: int16(ri), subject: -1})
			}
		}
		if counted[i] != 0 {
			order = append(order, ranked{age: im.age(), idx: int32(i)})
		}
	}

	// imageCountMoreThan: rank the images each rule selects, youngest first,
	// reading only the small arrays above.
	slices.SortFunc(order, func(a, b ranked) int {
		if a.age != b.age {
			return cmp.Compare(b.age, a.age)
		}
		return strings.Compare(images[a.idx].Digest, images[b.idx].Digest)
	})
	counts := make([]int, len(rules))
	for _, o := range order {
		for mask := counted[o.idx]; mask != 0; mask &= mask - 1 {
			ri := bits.TrailingZeros64(mask)
			counts[ri]++
			if int(owner[o.idx]) == ri && counts[ri] > rules[ri].CountNumber {
				decided[o.idx] = int16(ri + 1)
				hits = append(hits, hit{age: o.age, idx: o.idx, rule: int16(ri), subject: -1})
			}
		}
	}
	if referrers > 0 {
		hits = followSubjects(images, decided, rules, hits)
	}

	// By rule priority, then oldest first, then by digest.
	slices.SortFunc(hits, func(a, b hit) int {
		if a.rule != b.rule {
			return int(a.rule) - int(b.rule)
		}
		if a.age != b.age {
			return cmp.Compare(a.age, b.age)
		}
		return strings.Compare(images[a.idx].Digest, images[b.idx].Digest)
	})
	res.Outcomes = make([]Outcome, len(hits))
	for i, h := range hits {
		im := &images[h.idx]
		r := &rules[h.rule]
		o := Outcome{Image: im, Action: r.Action, Rule: r}
		if h.subject >= 0 {
			o.Subject = images[h.subject].Digest
		} else if len(im.Tags) == 0 {
			res.UntaggedMarked = true
		}
		res.Outcomes[i] = o
		switch r.Action {
		case ActionExpire:
			res.Expired++
			if im.SizeBytes > 0 {
				res.BytesExpired += im.SizeBytes
			} else {
				res.SizeUnknown++
			}
		case ActionTransition:
			res.Archived++
		}
	}
	res.Kept = res.Images - res.Expired - res.Archived
	return res
}

// marks reports whether a rule marks an image, given the image's rank among
// the rule's selection (youngest first, from 1) and the rule's cutoff time.
func marks(r *Rule, im *Image, rank int, cutoff int64) bool {
	switch r.CountType {
	case CountTypeImageCountMoreThan:
		return rank > r.CountNumber
	case CountTypeSinceImagePushed:
		return im.PushedAt < cutoff
	case CountTypeSinceImagePulled:
		return im.pullClock() < cutoff
	case CountTypeSinceImageTransitioned:
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

// followSubjects adds the referrers whose subject a rule acts on: expired
// with it, or archived with it while still active. Only digests that some
// referrer names are indexed, so a million images cost a small map.
func followSubjects(images []Image, decided []int16, rules []Rule, hits []hit) []hit {
	named := map[string]int{}
	for i := range images {
		if s := images[i].SubjectDigest; s != "" {
			named[s] = -1
		}
	}
	for i := range images {
		if _, ok := named[images[i].Digest]; ok {
			named[images[i].Digest] = i
		}
	}
	for i := range images {
		im := &images[i]
		if im.SubjectDigest == "" {
			continue
		}
		root, ok := subjectOf(images, named, im)
		if !ok || decided[root] == 0 {
			continue
		}
		ri := decided[root] - 1
		if rules[ri].Action == ActionTransition && im.status() != ImageStatusActive {
			continue // already archived, or being restored
		}
		hits = append(hits, hit{age: im.age(), idx: int32(i), rule: ri, subject: int32(root)})
	}
	return hits
}

// subjectOf follows a referrer's chain of subjects to an image that is not a
// referrer itself, refusing cycles and subjects missing from the inventory.
func subjectOf(images []Image, named map[string]int, im *Image) (int, bool) {
	for steps := 0; steps <= len(named); steps++ {
		i, ok := named[im.SubjectDigest]
		if !ok || i < 0 {
			return 0, false
		}
		im = &images[i]
		if im.SubjectDigest == "" {
			return i, true
		}
	}
	return 0, false
}
