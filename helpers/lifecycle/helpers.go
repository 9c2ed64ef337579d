package lifecycle

import (
	"fmt"
	"strings"
)

// DeleteUntaggedAfterDays expires untagged images pushed more than days days
// ago.
func DeleteUntaggedAfterDays(days int) Rule {
	return Rule{
		Description: fmt.Sprintf("Expire untagged images %d days after push", days),
		TagStatus:   TagStatusUntagged,
		CountType:   CountTypeSinceImagePushed,
		CountNumber: days,
		Action:      ActionExpire,
	}
}

// KeepLastNImages keeps the n most recently pushed images, tagged or not,
// and expires the rest. It selects any tag status, so it is always applied
// last and only touches images that no other rule's tags select.
func KeepLastNImages(n int) Rule {
	return Rule{
		Description: fmt.Sprintf("Keep the %d most recent images", n),
		TagStatus:   TagStatusAny,
		CountType:   CountTypeImageCountMoreThan,
		CountNumber: n,
		Action:      ActionExpire,
	}
}

// DeleteTaggedAfterDays expires images with a tag starting with prefix,
// pushed more than days days ago: DeleteTaggedAfterDays("pr-", 7) cleans up
// pull-request builds after a week.
func DeleteTaggedAfterDays(prefix string, days int) Rule {
	return Rule{
		Description: fmt.Sprintf("Expire images tagged %s* %d days after push", prefix, days),
		TagStatus:   TagStatusTagged,
		TagPrefixes: []string{prefix},
		CountType:   CountTypeSinceImagePushed,
		CountNumber: days,
		Action:      ActionExpire,
	}
}

// DeleteMatchingAfterDays expires images with a tag matching pattern, pushed
// more than days days ago. In the pattern "*" matches any run of characters
// and the pattern is anchored at both ends: "*-rc*" matches "1.2-rc3".
func DeleteMatchingAfterDays(pattern string, days int) Rule {
	return Rule{
		Description: fmt.Sprintf("Expire images tagged %s %d days after push", pattern, days),
		TagStatus:   TagStatusTagged,
		TagPatterns: []string{pattern},
		CountType:   CountTypeSinceImagePushed,
		CountNumber: days,
		Action:      ActionExpire,
	}
}

// KeepLastNTagged keeps the n most recent images of each tag prefix and
// expires older ones: KeepLastNTagged(5, "release-", "hotfix-") keeps five
// release- images and five hotfix- images. It returns one rule per prefix,
// because a single ECR rule with several prefixes selects only images that
// carry all of them.
func KeepLastNTagged(n int, prefixes ...string) Rules {
	return perEntry(prefixes, func(prefix []string) Rule {
		return Rule{
			Description: fmt.Sprintf("Keep the %d most recent %s images", n, shown(prefix, "%s*")),
			TagStatus:   TagStatusTagged,
			TagPrefixes: prefix,
			CountType:   CountTypeImageCountMoreThan,
			CountNumber: n,
			Action:      ActionExpire,
		}
	})
}

// ArchiveNotPulledForDays moves images that have not been pulled for more
// than days days (counting from the push, or from the restore for an image
// brought back from the archive) to the archive storage class. It selects
// any tag status, so rules that select tags or untagged images take
// precedence over it.
//
// Every pull counts, a vulnerability scanner's too, which would keep every
// image it scans alive. Exclude scanners' roles from the pull time with
// registry.Props.PullTimeUpdateExclusions (or
// registry.Registry.AddPullTimeUpdateExclusion), which renders
// AWS::ECR::PullTimeUpdateExclusion; Amazon Inspector's own pulls never
// count.
func ArchiveNotPulledForDays(days int) Rule {
	return Rule{
		Description: fmt.Sprintf("Archive images not pulled for %d days", days),
		TagStatus:   TagStatusAny,
		CountType:   CountTypeSinceImagePulled,
		CountNumber: days,
		Action:      ActionTransition,
	}
}

// DeleteArchivedAfterDays expires images that have been in the archive for
// more than days days. ECR refuses fewer than [MinArchiveDays] (90), the
// archive's minimum storage duration.
func DeleteArchivedAfterDays(days int) Rule {
	return Rule{
		Description:  fmt.Sprintf("Expire images archived for %d days", days),
		TagStatus:    TagStatusAny,
		StorageClass: StorageClassArchive,
		CountType:    CountTypeSinceImageTransitioned,
		CountNumber:  days,
		Action:       ActionExpire,
	}
}

// protectCount is the countNumber of a protecting rule: the largest count
// ECR accepts. As imageCountMoreThan it exceeds any repository's images
// (ECR's quota is 100,000 per repository); as sinceImageTransitioned it is
// millions of years.
const protectCount = 2147483647

// Protect keeps every image carrying a tag that starts with one of the
// prefixes out of reach of the rules after it. ECR has no "keep" action:
// instead, an image that matches the tags of a rule can never be expired or
// archived by a rule of lower priority. So Protect returns, for each prefix,
// rules that select the prefix and can never fire: one for standard storage
// (imageCountMoreThan 2147483647) and one for the archive
// (sinceImageTransitioned 2147483647 days), because each storage class has
// its own rules. Put them first: rules before them are not held back.
//
// Protected images still count towards later imageCountMoreThan rules, as in
// ECR. A protected prefix can't also be used alone by another rule of the
// same storage class: ECR requires each rule's set of prefixes to be unique.
func Protect(prefixes ...string) Rules {
	return protecting(prefixes, func(r *Rule, prefix []string) { r.TagPrefixes = prefix }, "%s*")
}

// ProtectPatterns is [Protect] for tag patterns such as "v*.*.*".
func ProtectPatterns(patterns ...string) Rules {
	return protecting(patterns, func(r *Rule, pattern []string) { r.TagPatterns = pattern }, "%s")
}

// ProtectTags keeps the images carrying one of these exact tags out of
// reach of the rules after it: for each tag, one standard-storage rule that
// selects the tag (a tagPatternList entry without wildcards matches the tag
// exactly) and can never fire. It is what a repository adds for the tags its
// app deploys (ecr.RepositoryProps.NoInUseProtection). No archive rule is
// needed: an image the rule holds in standard storage is never archived.
// Put the rules first.
func ProtectTags(tags ...string) Rules {
	return perEntry(tags, func(list []string) Rule {
		return Rule{
			Description: fmt.Sprintf("Protect %s, deployed by the app, from the rules after this one (never fires)", shown(list, "%s")),
			TagStatus:   TagStatusTagged,
			TagPatterns: list,
			CountType:   CountTypeImageCountMoreThan,
			CountNumber: protectCount,
			Action:      ActionExpire,
		}
	})
}

// protecting builds the standard and archive protecting rules of each entry
// (with no entries, the one rule that reports the mistake).
func protecting(entries []string, selectTags func(r *Rule, list []string), format string) Rules {
	standard := perEntry(entries, func(list []string) Rule {
		r := Rule{
			Description: fmt.Sprintf("Protect %s images from the rules after this one (never fires)", shown(list, format)),
			TagStatus:   TagStatusTagged,
			CountType:   CountTypeImageCountMoreThan,
			CountNumber: protectCount,
			Action:      ActionExpire,
		}
		selectTags(&r, list)
		return r
	})
	if len(entries) == 0 {
		return standard
	}
	var rules Rules
	for _, pair := range standard {
		archived := pair.clone()
		archived.Description = strings.Replace(pair.Description, "Protect ", "Protect archived ", 1)
		archived.StorageClass = StorageClassArchive
		archived.CountType = CountTypeSinceImageTransitioned
		rules = append(rules, pair, archived)
	}
	return rules
}

// perEntry builds one rule per entry, each given a tag list holding just
// that entry. With no entries it builds one rule with an empty tag list, so
// the mistake is reported ("must not be empty") when the policy is built
// instead of silently producing nothing.
func perEntry(entries []string, build func(list []string) Rule) Rules {
	if len(entries) == 0 {
		return Rules{build([]string{})}
	}
	rules := make(Rules, len(entries))
	for i, e := range entries {
		rules[i] = build([]string{e})
	}
	return rules
}

// shown formats a one-entry tag list for a description, or says that none
// was given.
func shown(list []string, format string) string {
	if len(list) == 0 {
		return "(no tags given)"
	}
	return fmt.Sprintf(format, list[0])
}

// StandardDevRules is the preset for development repositories: expire
// untagged images after 7 days and keep the 10 most recent images.
func StandardDevRules() Rules {
	return Rules{DeleteUntaggedAfterDays(7), KeepLastNImages(10)}
}

// StandardProdRules is the preset for production repositories: expire
// untagged images after 14 days and keep the 30 most recent images.
func StandardProdRules() Rules {
	return Rules{DeleteUntaggedAfterDays(14), KeepLastNImages(30)}
}

// DefaultRules is what a repository gets when it is given no rules: expire
// untagged images 14 days after push.
func DefaultRules() Rules {
	return Rules{DeleteUntaggedAfterDays(14)}
}
