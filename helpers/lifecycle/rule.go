package lifecycle

import "slices"

// TagStatus is a rule's selection.tagStatus: which images the rule looks at.
type TagStatus string

const (
	// Tagged selects images with at least one tag matching TagPrefixes or
	// TagPatterns; exactly one of the two lists is required.
	Tagged TagStatus = "tagged"
	// Untagged selects images without tags; it takes no tag list.
	Untagged TagStatus = "untagged"
	// Any selects every image of the storage class; it takes no tag
	// list and must be the last rule of its storage class.
	Any TagStatus = "any"
)

// StorageClass is a rule's selection.storageClass: which images a rule sees.
type StorageClass string

const (
	// Standard is the storage class of images that can be pulled (imageStatus
	// ACTIVE). It is ECR's default when a rule names no storage class.
	Standard StorageClass = "standard"
	// Archive is the storage class of archived images (imageStatus ARCHIVED).
	Archive StorageClass = "archive"
)

// CountType is a rule's selection.countType: the condition that marks images.
type CountType string

const (
	// ImageCountMoreThan marks the selected images beyond the CountNumber
	// youngest ones (by push time, or activation time for a restored image).
	ImageCountMoreThan CountType = "imageCountMoreThan"
	// SinceImagePushed marks images pushed more than CountNumber days ago.
	SinceImagePushed CountType = "sinceImagePushed"
	// SinceImagePulled marks images not pulled for more than CountNumber days
	// (falling back to push or activation time); only with [Transition].
	SinceImagePulled CountType = "sinceImagePulled"
	// SinceImageTransitioned marks archived images archived more than
	// CountNumber days ago (at least 90); only with [Archive] and [Expire].
	SinceImageTransitioned CountType = "sinceImageTransitioned"
)

// usesDays reports whether the count type counts days (countUnit "days").
func (c CountType) usesDays() bool {
	return c == SinceImagePushed || c == SinceImagePulled || c == SinceImageTransitioned
}

// Action is a rule's action.type: what happens to the images a rule marks.
type Action string

const (
	// Expire deletes the image.
	Expire Action = "expire"
	// Transition moves the image to the archive storage class (the only
	// target ECR supports; rendered as targetStorageClass "archive").
	Transition Action = "transition"
)

// MinArchiveDays is the minimum CountNumber of a sinceImageTransitioned rule:
// archived images have a 90-day minimum storage duration.
const MinArchiveDays = 90

// Rule is one lifecycle policy rule. Every field maps to one field of ECR's
// policy JSON; the helpers in this package fill them in for the common cases.
type Rule struct {
	// Priority is rulePriority: rules are applied from the lowest number up.
	// Default: 0, automatic (see [Resolve]).
	Priority int
	// Description is the rule's description, shown in the ECR console.
	// Default: none.
	Description string
	// TagStatus selects tagged, untagged or any images. Required.
	TagStatus TagStatus
	// TagPrefixes is tagPrefixList: an image matches when every prefix
	// starts at least one of its tags. Only with [Tagged]. Default: none.
	TagPrefixes []string
	// TagPatterns is tagPatternList: like TagPrefixes, with "*" matching any
	// run of characters and the pattern anchored at both ends. Only with
	// [Tagged]. Default: none.
	TagPatterns []string
	// StorageClass is the storage class whose images the rule sees.
	// Default: "" (rendered without storageClass), which ECR reads as [Standard].
	StorageClass StorageClass
	// CountType is the condition that marks images. Required.
	CountType CountType
	// CountNumber is the count or the number of days. Required, at least 1.
	CountNumber int
	// Action is what happens to marked images. Required.
	Action Action
}

// storageClass returns the rule's effective storage class.
func (r Rule) storageClass() StorageClass {
	if r.StorageClass == "" {
		return Standard
	}
	return r.StorageClass
}

// WithPriority returns a copy of the rule with an explicit rulePriority.
func (r Rule) WithPriority(priority int) Rule {
	r.Priority = priority
	return r
}

// WithDescription returns a copy of the rule with the given description.
func (r Rule) WithDescription(description string) Rule {
	r.Description = description
	return r
}

// clone returns a deep copy, so callers can't alias a policy's tag lists.
// An empty list stays empty rather than becoming nil, so that validation can
// still tell "given but empty" from "not given".
func (r Rule) clone() Rule {
	r.TagPrefixes = slices.Clone(r.TagPrefixes)
	r.TagPatterns = slices.Clone(r.TagPatterns)
	return r
}
