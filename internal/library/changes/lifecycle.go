package changes

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
)

// lifecyclePolicy returns a repository's LifecyclePolicy.LifecyclePolicyText
// (normalized), and whether it is set.
func lifecyclePolicy(r *resource) (any, bool) {
	lp, _ := r.props["LifecyclePolicy"].(map[string]any)
	v, ok := lp["LifecyclePolicyText"]
	return v, ok
}

// imagesFor returns the images given for a repository: by its
// RepositoryName, STACK/LOGICAL_ID or logical id.
func (c *comparison) imagesFor(r *resource) ([]preview.Image, string, bool) {
	for _, k := range imageKeys(r) {
		if images, ok := c.opts.Images[k]; ok {
			return images, k, true
		}
	}
	return nil, "", false
}

// imageKeys are the keys of Options.Images that name a repository, in
// order: its RepositoryName, STACK/LOGICAL_ID, logical id.
func imageKeys(r *resource) []string {
	var keys []string
	if name, ok := r.props["RepositoryName"].(string); ok {
		keys = append(keys, name)
	}
	return append(keys, r.stack.Name+"/"+r.id, r.id)
}

// imagesUnread returns why a repository's images couldn't be read, or "".
func (c *comparison) imagesUnread(r *resource) string {
	for _, k := range imageKeys(r) {
		if why, ok := c.opts.ImagesUnread[k]; ok {
			return why
		}
	}
	return ""
}

// imagesUsed records the Images keys that name no repository of NEW.
func (c *comparison) imagesUsed(pairs [][2]*Stack, added []*Stack) {
	used := map[string]bool{}
	var stacks []*Stack
	for _, p := range pairs {
		stacks = append(stacks, p[1])
	}
	stacks = append(stacks, added...)
	for _, s := range stacks {
		for _, r := range resourcesOf(s) {
			if r.typ != "AWS::ECR::Repository" {
				continue
			}
			if _, k, ok := c.imagesFor(r); ok {
				used[k] = true
			}
		}
	}
	for _, k := range sortedKeys(c.opts.Images) {
		if !used[k] {
			c.unusedImages = append(c.unusedImages, k)
		}
	}
}

// lifecycle reports a repository's lifecycle policy that changed or
// appeared: with its images, what the new policy expires or archives that
// the old one does not.
func (c *comparison) lifecycle(o, n *resource) {
	if o.typ != "AWS::ECR::Repository" {
		return
	}
	ov, inOld := lifecyclePolicy(o)
	nv, inNew := lifecyclePolicy(n)
	if !inNew || (inOld && reflect.DeepEqual(ov, nv)) {
		return // unchanged, or removed: a policy removed expires nothing
	}
	what := "the lifecycle policy changes"
	if !inOld {
		what = "a lifecycle policy is added"
	}
	images, key, ok := c.imagesFor(n)
	if !ok {
		if why := c.imagesUnread(n); why != "" {
			c.add(finding(o, Note, LifecycleImpact, what+"; what it expires is unknown: its images couldn't be read: "+why))
			return
		}
		c.add(finding(o, Note, LifecycleImpact, what+"; what it expires needs the repository's images: --images NAME=describe-images.json"))
		return
	}
	newText, ok := embeddedText(nv)
	if !ok {
		c.add(finding(o, Note, LifecycleImpact, what+" to an unresolved CloudFormation function: its text is only known at deployment, so it can't be previewed"))
		return
	}
	newPolicy, err := lifecycle.Parse([]byte(newText))
	if err != nil {
		c.add(finding(o, Error, LifecycleImpact, what+" to a policy ECR refuses: "+firstProblem(err)))
		return
	}
	oldExpired, oldArchived := map[string]bool{}, map[string]bool{}
	if inOld {
		oldText, ok := embeddedText(ov)
		var oldPolicy *lifecycle.Policy
		if ok {
			oldPolicy, err = lifecycle.Parse([]byte(oldText))
		}
		if !ok || err != nil {
			c.add(finding(o, Note, LifecycleImpact, what+"; the old policy can't be previewed (an unresolved function or invalid), so its impact is not compared"))
			return
		}
		res := preview.Evaluate(oldPolicy, images, c.now, nil)
		for _, out := range res.Outcomes {
			if out.Action == lifecycle.ActionExpire {
				oldExpired[out.Image.Digest] = true
			} else {
				oldArchived[out.Image.Digest] = true
			}
		}
	}
	res := preview.Evaluate(newPolicy, images, c.now, nil)
	var expired, archived []*preview.Image
	var expiredBytes, archivedBytes int64
	for _, out := range res.Outcomes {
		d := out.Image.Digest
		switch {
		case out.Action == lifecycle.ActionExpire && !oldExpired[d]:
			expired = append(expired, out.Image)
			expiredBytes += out.Image.SizeBytes
		case out.Action == lifecycle.ActionTransition && !oldExpired[d] && !oldArchived[d]:
			archived = append(archived, out.Image)
			archivedBytes += out.Image.SizeBytes
		}
	}
	over := fmt.Sprintf("over the %d images of %s", len(images), key)
	if len(expired) == 0 && len(archived) == 0 {
		c.add(finding(o, Note, LifecycleImpact, what+"; "+over+" it expires and archives nothing the old one does not"))
		return
	}
	var parts []string
	if len(expired) > 0 {
		parts = append(parts, fmt.Sprintf("expires %s (%s: %s) that the old one keeps", count(len(expired)), formatBytes(expiredBytes), describe(expired)))
	}
	if len(archived) > 0 {
		parts = append(parts, fmt.Sprintf("archives %s (%s: %s) that the old one keeps active; archived images can't be pulled until restored", count(len(archived)), formatBytes(archivedBytes), describe(archived)))
	}
	c.add(finding(o, Error, LifecycleImpact, what+"; "+over+" the new policy "+strings.Join(parts, ", and ")))
}

func count(n int) string {
	if n == 1 {
		return "1 image"
	}
	return fmt.Sprintf("%d images", n)
}

// describe names up to three images by a tag, or digest.
func describe(images []*preview.Image) string {
	var names []string
	for _, im := range images[:min(3, len(images))] {
		if len(im.Tags) > 0 {
			tags := slices.Clone(im.Tags)
			slices.Sort(tags)
			names = append(names, tags[0])
		} else {
			names = append(names, im.Digest[:min(len(im.Digest), 19)])
		}
	}
	if len(images) > 3 {
		names = append(names, fmt.Sprintf("and %d more", len(images)-3))
	}
	return strings.Join(names, ", ")
}

// formatBytes prints a size in bytes with a binary unit (the sum of the
// images' imageSizeInBytes, an upper bound: images share layers).
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// firstProblem returns the first line of a parse error.
func firstProblem(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
