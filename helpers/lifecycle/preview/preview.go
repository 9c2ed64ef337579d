package preview

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// Outcome is what ECR would do to one image.
type Outcome struct {
	// Image is the image, from the inventory given to Evaluate.
	Image *Image
	// Action is ActionExpire or ActionTransition (to archive).
	Action lifecycle.Action
	// Rule is the rule that decides it (for a referrer, its subject's rule).
	// It points into the Result's own copy of the policy's rules.
	Rule *lifecycle.Rule
	// Position is the rule's position in the policy's rules, in priority
	// order (from 0).
	Position int
	// Subject is, for a referrer artifact, the digest of the image it
	// follows; empty otherwise.
	Subject string
	// ManifestList is, for an outcome of Result.Deferred, the digest of the
	// manifest list that holds the image until it is gone; empty otherwise.
	ManifestList string
}

// Result is the outcome of a policy for a whole inventory.
type Result struct {
	// Outcomes lists the images expired or archived in this run, by rule
	// priority, then oldest first, then by digest. Unaffected images are
	// left out.
	Outcomes []Outcome
	// Deferred lists the images a rule marks that ECR keeps in this run
	// because a manifest list that this run expires or archives references
	// them: ECR evaluates every rule while the list still exists, so they
	// are acted on by a later run, once the list is gone. Same order as
	// Outcomes. Only with manifests ([Options]).
	Deferred []Outcome
	// Images, Kept, Expired and Archived count the inventory's images:
	// Kept includes the Deferred and Held ones.
	Images, Kept, Expired, Archived int
	// Held counts the images a rule marks that ECR keeps because a manifest
	// list that stays references them. Only with manifests.
	Held int
	// InUse lists the images in use ([Options].InUse) that the policy would
	// expire or archive: what it would do to them, which this preview
	// doesn't count (they are kept, in Kept) and a caller reports as a
	// problem. Same order as Outcomes.
	InUse []Outcome
	// BytesFreed is the space the expired images free. When BytesExact is
	// true, it counts each blob (config and layer) once, and only blobs
	// that no image kept still references; otherwise it is an upper bound:
	// the sum of the expired images' imageSizeInBytes, though images share
	// layers.
	BytesFreed int64
	// BytesExact tells how BytesFreed was counted: true when the manifests
	// of every image that is not a manifest list were given.
	BytesExact bool
	// SizeUnknown counts the expired images without a size (when
	// BytesExact is false).
	SizeUnknown int
	// UntaggedMarked reports that untagged images are expired or archived.
	UntaggedMarked bool
	// ListsChecked reports that manifests were given: manifest lists keep
	// the images they reference.
	ListsChecked bool
	// ListsMissing counts the images of the inventory that are manifest
	// lists (by imageManifestMediaType) but whose manifest was not given:
	// the images they reference may be kept though marked here.
	ListsMissing int
	// ReferencesMissing counts the digests manifest lists reference that
	// are not in the inventory; they are ignored.
	ReferencesMissing int
}

// manifestListNote explains, without manifests, why some untagged images
// marked by a preview may be kept.
const manifestListNote = "ECR keeps untagged images that a manifest list (multi-architecture image) references; " +
	"describe-images does not show these references, so some untagged images marked here may be kept. " +
	"Give the manifest lists (aws ecr batch-get-image) for an exact answer."

// Notes returns what a reader of the result needs to know beside the
// outcomes, one sentence each, without a "Note:" prefix: images kept or
// deferred because of manifest lists, references that were ignored, and,
// without manifests, that untagged images marked may be kept by a manifest
// list.
func (r *Result) Notes() []string {
	var notes []string
	switch {
	case !r.ListsChecked && r.UntaggedMarked:
		notes = append(notes, manifestListNote)
	case r.ListsMissing > 0 && r.UntaggedMarked:
		notes = append(notes, plural(r.ListsMissing, "image of the inventory is a manifest list", "images of the inventory are manifest lists")+
			" whose manifest was not given; ECR keeps the untagged images they reference, so some untagged images marked here may be kept.")
	}
	if r.Held > 0 {
		notes = append(notes, plural(r.Held, "image a rule marks is", "images a rule marks are")+" kept: a manifest list that stays references them.")
	}
	if len(r.Deferred) > 0 {
		notes = append(notes, plural(len(r.Deferred), "image a rule marks is", "images a rule marks are")+
			" kept in this run because a manifest list expired or archived in this run references them; a later run acts on them, once the list is gone.")
	}
	if r.ReferencesMissing > 0 {
		notes = append(notes, plural(r.ReferencesMissing, "digest referenced by manifest lists is", "digests referenced by manifest lists are")+" not in the inventory, and ignored.")
	}
	return notes
}

// plural writes n with the singular or plural phrase.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(n) + " " + many
}

// formatCount prints an integer with thousands separators.
func formatCount(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Options are what a preview may know beyond describe-images. The zero
// value (or nil) previews from describe-images alone.
type Options struct {
	// Manifests are the manifests batch-get-image returns for the
	// repository's images ([ReadManifests]). Manifest lists among them keep
	// the images they reference; image manifests, when given for every
	// image, make the space freed exact. Default: nil, none.
	Manifests *Manifests
	// InUse reports whether an image is in use: deployed by an ECS service,
	// a Lambda function, or a template of the app. An image in use is never
	// counted as expired or archived; what the policy would do to it is
	// listed in Result.InUse instead. Default: nil, none in use.
	InUse func(*Image) bool
}

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
	list    int32 // for a deferred image, the index of the list that holds it; -1 otherwise
}

// Evaluate computes what ECR would do to each image at time now, following
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
//   - with manifests (opts.Manifests), an image a manifest list references
//     is never expired or archived while the list stays (the list is kept,
//     or being restored): it is Held. When the same run expires or archives
//     the list, the image is still kept in this run, since ECR evaluates
//     every rule while the list exists, and is listed in Deferred. Held
//     images still count towards imageCountMoreThan, and nothing takes
//     their place. A list already archived holds nothing.
//   - referrer artifacts (SubjectDigest set) are never selected or counted;
//     they follow their subject: expired with it, archived with it when
//     still active.
//
// Images with the same push time are ranked by digest, as ECR documents no
// order for them. Evaluate does not modify the images or the manifests;
// opts may be nil.
func Evaluate(policy *lifecycle.Policy, images []Image, now time.Time, opts *Options) Result {
	res := Result{Images: len(images)}
	at := now.UnixNano()
	rules := policy.Rules() // the result's own copy: Outcomes point into it
	matchers := make([]matcher, len(rules))
	cutoffs := make([]int64, len(rules))
	classes := make([]lifecycle.StorageClass, len(rules))
	for i, r := range rules {
		matchers[i] = compileMatcher(r)
		cutoffs[i] = daysBefore(at, r.CountNumber)
		classes[i] = r.StorageClass
		if classes[i] == "" {
			classes[i] = lifecycle.StorageClassStandard
		}
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
			counting := r.CountType == lifecycle.CountTypeImageCountMoreThan
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
			if !counting && marks(r, im, cutoffs[ri]) {
				decided[i] = int16(ri + 1)
				hits = append(hits, hit{age: im.age(), idx: int32(i), rule: int16(ri), subject: -1, list: -1})
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
				hits = append(hits, hit{age: o.age, idx: o.idx, rule: int16(ri), subject: -1, list: -1})
			}
		}
	}

	var m *Manifests
	if opts != nil {
		m = opts.Manifests
	}
	var index map[string]int32 // digest to image, only with manifests
	if m != nil {
		res.ListsChecked = true
		index = indexDigests(images)
		var deferred []hit
		hits, deferred = applyManifestLists(images, index, m, decided, hits, &res)
		res.Deferred = outcomes(images, rules, deferred)
	}
	if referrers > 0 {
		hits = followSubjects(images, decided, rules, hits)
	}

	res.Outcomes = outcomes(images, rules, hits)
	if opts != nil && opts.InUse != nil {
		res.Outcomes, res.InUse = splitInUse(res.Outcomes, opts.InUse)
		var deferredInUse []Outcome
		res.Deferred, deferredInUse = splitInUse(res.Deferred, opts.InUse)
		res.InUse = append(res.InUse, deferredInUse...)
	}
	var expired []bool // by image, only when counting blobs
	exact := m != nil && hasAllBlobs(images, m)
	if exact {
		expired = make([]bool, len(images))
	}
	for _, o := range res.Outcomes {
		im := o.Image
		if o.Subject == "" && len(im.Tags) == 0 {
			res.UntaggedMarked = true
		}
		switch o.Action {
		case lifecycle.ActionExpire:
			res.Expired++
			switch {
			case exact:
				expired[index[im.Digest]] = true
			case im.SizeBytes > 0:
				res.BytesFreed += im.SizeBytes
			default:
				res.SizeUnknown++
			}
		case lifecycle.ActionTransition:
			res.Archived++
		}
	}
	for _, o := range res.Deferred {
		if len(o.Image.Tags) == 0 {
			res.UntaggedMarked = true
		}
	}
	if exact {
		res.BytesExact = true
		res.BytesFreed = freedBlobs(images, m, expired)
	}
	res.Kept = res.Images - res.Expired - res.Archived
	return res
}

// splitInUse separates the outcomes of images in use from the others,
// keeping the order of each.
func splitInUse(all []Outcome, inUse func(*Image) bool) (rest, used []Outcome) {
	for _, o := range all {
		if inUse(o.Image) {
			used = append(used, o)
		} else {
			rest = append(rest, o)
		}
	}
	return rest, used
}

// outcomes turns hits into outcomes, by rule priority, then oldest first,
// then by digest.
func outcomes(images []Image, rules []lifecycle.Rule, hits []hit) []Outcome {
	slices.SortFunc(hits, func(a, b hit) int {
		if a.rule != b.rule {
			return int(a.rule) - int(b.rule)
		}
		if a.age != b.age {
			return cmp.Compare(a.age, b.age)
		}
		return strings.Compare(images[a.idx].Digest, images[b.idx].Digest)
	})
	out := make([]Outcome, len(hits))
	for i, h := range hits {
		r := &rules[h.rule]
		o := Outcome{Image: &images[h.idx], Action: r.Action, Rule: r, Position: int(h.rule)}
		if h.subject >= 0 {
			o.Subject = images[h.subject].Digest
		}
		if h.list >= 0 {
			o.ManifestList = images[h.list].Digest
		}
		out[i] = o
	}
	return out
}

// marks reports whether a since* rule marks an image, given the rule's
// cutoff time. (imageCountMoreThan rules mark by rank, in Evaluate.)
func marks(r *lifecycle.Rule, im *Image, cutoff int64) bool {
	switch r.CountType {
	case lifecycle.CountTypeSinceImagePushed:
		return im.PushedAt < cutoff
	case lifecycle.CountTypeSinceImagePulled:
		return im.pullClock() < cutoff
	case lifecycle.CountTypeSinceImageTransitioned:
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

// indexDigests maps each digest of the inventory to its image (the first,
// if a digest is listed twice).
func indexDigests(images []Image) map[string]int32 {
	index := make(map[string]int32, len(images))
	for i := range images {
		if _, dup := index[images[i].Digest]; !dup {
			index[images[i].Digest] = int32(i)
		}
	}
	return index
}

// Image states while manifest lists are applied.
const (
	stateNone     = iota // no rule acts on the image
	stateDecided         // a rule acts on it in this run
	stateDeferred        // a rule marks it, but a list this run removes holds it
	stateHeld            // a rule marks it, but a list that stays holds it
)

// applyManifestLists keeps the images that manifest lists reference: held
// while the list stays, deferred when this run removes the list. Decisions
// are only ever withdrawn (decided → deferred → held), and a withdrawn list
// then holds its own children, so the work list ends. It returns the hits
// left and the deferred ones, and clears decided for every image kept.
func applyManifestLists(images []Image, index map[string]int32, m *Manifests, decided []int16, hits []hit, res *Result) ([]hit, []hit) {
	children := make(map[int32][]int32, len(m.Lists))
	for listDigest, refs := range m.Lists {
		li, ok := index[listDigest]
		if !ok {
			continue
		}
		kids := make([]int32, 0, len(refs))
		for _, ref := range refs {
			if ci, ok := index[ref]; ok {
				kids = append(kids, ci)
			} else {
				res.ReferencesMissing++
			}
		}
		children[li] = kids
	}
	for i := range images {
		if IsManifestList(images[i].MediaType) {
			if _, given := m.Lists[images[i].Digest]; !given {
				res.ListsMissing++
			}
		}
	}
	if len(children) == 0 {
		return hits, nil
	}

	state := map[int32]uint8{}
	get := func(i int32) uint8 {
		if s, ok := state[i]; ok {
			return s
		}
		if decided[i] != 0 {
			return stateDecided
		}
		return stateNone
	}
	holder := map[int32]int32{} // deferred image → the list that holds it
	work := make([]int32, 0, len(children))
	for li := range children {
		work = append(work, li)
	}
	slices.Sort(work) // a deterministic holder for images two lists defer
	for len(work) > 0 {
		li := work[0]
		work = work[1:]
		if images[li].status() == ImageStatusArchived {
			continue // an archived list holds nothing
		}
		removed := get(li) == stateDecided
		for _, ci := range children[li] {
			s := get(ci)
			switch {
			case removed && s == stateDecided:
				state[ci] = stateDeferred
				holder[ci] = li
			case !removed && (s == stateDecided || s == stateDeferred):
				state[ci] = stateHeld
			default:
				continue
			}
			if _, isList := children[ci]; isList {
				work = append(work, ci) // it stays now, so it holds its own
			}
		}
	}

	kept := hits[:0]
	var deferred []hit
	for _, h := range hits {
		switch state[h.idx] {
		case stateDeferred:
			h.list = holder[h.idx]
			deferred = append(deferred, h)
		case stateHeld:
			res.Held++
		default:
			kept = append(kept, h)
			continue
		}
		decided[h.idx] = 0
	}
	return kept, deferred
}

// hasAllBlobs reports whether the manifests give the blobs of every image
// of the inventory that is not a manifest list.
func hasAllBlobs(images []Image, m *Manifests) bool {
	if len(m.Blobs) == 0 {
		return false
	}
	for i := range images {
		d := images[i].Digest
		if _, ok := m.Blobs[d]; ok {
			continue
		}
		if _, isList := m.Lists[d]; isList || IsManifestList(images[i].MediaType) {
			continue
		}
		return false
	}
	return true
}

// freedBlobs sums the sizes of the blobs that expired images reference and
// no other image does, each blob once.
func freedBlobs(images []Image, m *Manifests, expired []bool) int64 {
	keptBlobs := map[string]bool{}
	for i := range images {
		if !expired[i] {
			for _, b := range m.Blobs[images[i].Digest] {
				keptBlobs[b.Digest] = true
			}
		}
	}
	counted := map[string]bool{}
	var freed int64
	for i := range images {
		if !expired[i] {
			continue
		}
		for _, b := range m.Blobs[images[i].Digest] {
			if !keptBlobs[b.Digest] && !counted[b.Digest] {
				counted[b.Digest] = true
				freed += b.Size
			}
		}
	}
	return freed
}

// followSubjects adds the referrers whose subject a rule acts on: expired
// with it, or archived with it while still active. Only digests that some
// referrer names are indexed, so a million images cost a small map.
func followSubjects(images []Image, decided []int16, rules []lifecycle.Rule, hits []hit) []hit {
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
		if rules[ri].Action == lifecycle.ActionTransition && im.status() != ImageStatusActive {
			continue // already archived, or being restored
		}
		hits = append(hits, hit{age: im.age(), idx: int32(i), rule: ri, subject: int32(root), list: -1})
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
