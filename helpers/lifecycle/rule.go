package lifecycle

import "slices"

// TagStatus is a rule's selection.tagStatus: which images the rule looks at.
type TagStatus string

const (
	// TagStatusTagged selects images with at least one tag matching TagPrefixes or
	// TagPatterns; exactly one of the two lists is required.
	TagStatusTagged TagStatus = "tagged"
	// TagStatusUntagged selects images without tags; it takes no tag list.
	TagStatusUntagged TagStatus = "untagged"
	// TagStatusAny selects every image of the storage class; it takes no tag
	// list and must be the last rule of its storage class.
	TagStatusAny TagStatus = "any"
)

// Values returns every tag status ECR accepts.
func (TagStatus) Values() []TagStatus {
	return []TagStatus{TagStatusTagged, TagStatusUntagged, TagStatusAny}
}

// StorageClass is a rule's selection.storageClass: which images a rule sees.
type StorageClass string

const (
	// StorageClassStandard is the storage class of images that can be pulled (imageStatus
	// ACTIVE). It is ECR's default when a rule names no storage class.
	StorageClassStandard StorageClass = "standard"
	// StorageClassArchive is the storage class of archived images (imageStatus ARCHIVED).
	StorageClassArchive StorageClass = "archive"
)

// Values returns every storage class a rule can select.
func (StorageClass) Values() []StorageClass {
	return []StorageClass{StorageClassStandard, StorageClassArchive}
}

// CountType is a rule's selection.countType: the condition that marks images.
type CountType string

const (
	// CountTypeImageCountMoreThan marks the selected images beyond the CountNumber
	// youngest ones (by push time, or activation time for a restored image).
	CountTypeImageCountMoreThan CountType = "imageCountMoreThan"
	// CountTypeSinceImagePushed marks images pushed more than CountNumber days ago.
	CountTypeSinceImagePushed CountType = "sinceImagePushed"
	// CountTypeSinceImagePulled marks images not pulled for more than CountNumber days
	// (falling back to push or activation time); only with [ActionTransition].
	CountTypeSinceImagePulled CountType = "sinceImagePulled"
	// CountTypeSinceImageTransitioned marks archived images archived more than
	// CountNumber days ago (at least 90); only with [StorageClassArchive] and [ActionExpire].
	CountTypeSinceImageTransitioned CountType = "sinceImageTransitioned"
)

// Values returns every count type ECR accepts.
func (CountType) Values() []CountType {
	return []CountType{CountTypeImageCountMoreThan, CountTypeSinceImagePushed, CountTypeSinceImagePulled, CountTypeSinceImageTransitioned}
}

// usesDays reports whether the count type counts days (countUnit "days").
func (c CountType) usesDays() bool {
	return c == CountTypeSinceImagePushed || c == CountTypeSinceImagePulled || c == CountTypeSinceImageTransitioned
}

// Action is a rule's action.type: what happens to the images a rule marks.
type Action string

const (
	// ActionExpire deletes the image.
	ActionExpire Action = "expire"
	// ActionTransition moves the image to the archive storage class (the only
	// target ECR supports; rendered as targetStorageClass "archive").
	ActionTransition Action = "transition"
)

// Values returns every action ECR accepts.
func (Action) Values() []Action { return []Action{ActionExpire, ActionTransition} }

// MinArchiveDays is the minimum CountNumber of a sinceImageTransitioned rule:
// archived images have a 90-day minimum storage duration.
const MinArchiveDays = 90

// Rule is one lifecycle policy rule. Every field maps to one field of ECR's
// policy JSON; the helpers in this package fill them in for the common cases.
type Rule struct {
	// Priority is rulePriority: rules are applied from the lowest number up.
	// Default: 0, automatic (see [NewPolicy]).
	Priority int
	// Description is the rule's description, shown in the ECR console.
	// Default: none.
	Description string
	// TagStatus selects tagged, untagged or any images. Required.
	TagStatus TagStatus
	// TagPrefixes is tagPrefixList: an image matches when every prefix
	// starts at least one of its tags. Only with [TagStatusTagged]. Default: none.
	TagPrefixes []string
	// TagPatterns is tagPatternList: like TagPrefixes, with "*" matching any
	// run of characters and the pattern anchored at both ends. Only with
	// [TagStatusTagged]. Default: none.
	TagPatterns []string
	// StorageClass is the storage class whose images the rule sees.
	// Default: "" (rendered without storageClass), which ECR reads as [StorageClassStandard].
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
		return StorageClassStandard
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

// Rules is a list of rules: what the helpers that build several rules
// return ([Protect], [KeepLastNTagged], the presets). It converts to
// []Rule, so it goes wherever a rule list goes; [Concat] joins it with
// single rules into one list.
type Rules []Rule

// RuleSet is a [Rule] or [Rules]: what [Concat] joins. The interface is
// closed: only those two types implement it.
type RuleSet interface {
	appendTo(list []Rule) []Rule
}

func (r Rule) appendTo(list []Rule) []Rule   { return append(list, r) }
func (rs Rules) appendTo(list []Rule) []Rule { return append(list, rs...) }

// Concat joins single rules and rule lists into one list, in the order
// given, so helpers that make one rule and helpers that make several go
// into one policy without append:
//
//	lifecycle.Concat(
//		lifecycle.Protect("release-"),
//		lifecycle.DeleteUntaggedAfterDays(14),
//		lifecycle.KeepLastNImages(30),
//	)
//
// A []Rule value joins as lifecycle.Rules(list).
func Concat(sets ...RuleSet) []Rule {
	var out []Rule
	for _, s := range sets {
		out = s.appendTo(out)
	}
	return out
}
