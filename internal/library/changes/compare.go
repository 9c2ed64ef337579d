package changes

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/oneline"
)

// Options tune [Compare]. The zero value (or nil) acknowledges nothing and
// has no images.
type Options struct {
	// Allow acknowledges findings by logical id: they are still reported,
	// marked as allowed with the reason, and don't block.
	Allow Allow
	// Images are repositories' images (describe-images output, read by
	// preview.ReadImages) by repository name, logical id or
	// STACK/LOGICAL_ID: a changed lifecycle policy of a repository with
	// images is previewed, old and new, over them.
	Images map[string][]preview.Image
	// ImagesUnread are repositories whose images were asked for and
	// couldn't be read (a repository not in the account), by the same keys
	// as Images, with why in a few words: a changed lifecycle policy of one
	// is a note that says so instead of asking for --images. Default: none.
	ImagesUnread map[string]string
	// Now is the time of the lifecycle previews; default: time.Now().
	Now time.Time
}

// Report is the outcome of [Compare].
type Report struct {
	// Findings, by stack, logical id and kind.
	Findings []Finding
	// UnusedAllow lists the keys of Options.Allow that acknowledge nothing.
	UnusedAllow []string
	// UnusedImages lists the keys of Options.Images that name no
	// repository of NEW.
	UnusedImages []string
}

// Blocking returns the findings that stop an update: errors not
// acknowledged.
func (r *Report) Blocking() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Blocks() {
			out = append(out, f)
		}
	}
	return out
}

// resource is one resource of a stack, its template values normalized.
type resource struct {
	stack *Stack
	id    string
	typ   string
	props map[string]any
	attrs map[string]any // the resource's entry: DeletionPolicy, UpdateReplacePolicy, ...
}

func resourcesOf(s *Stack) map[string]*resource {
	out := map[string]*resource{}
	rs, _ := s.Template["Resources"].(map[string]any)
	for id, v := range rs {
		entry, _ := normalize(v).(map[string]any)
		typ, _ := entry["Type"].(string)
		props, _ := entry["Properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
		}
		out[id] = &resource{stack: s, id: id, typ: typ, props: props, attrs: entry}
	}
	return out
}

// Compare compares the stacks of OLD (deployed) with those of NEW (to be
// deployed), matched by stack name (a single stack read from a file
// matches a single stack of any name), and reports what the update would
// lose. See the package documentation for the findings.
func Compare(old, new []Stack, opts *Options) *Report {
	if opts == nil {
		opts = &Options{}
	}
	c := &comparison{opts: opts, now: opts.Now}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	pairs, missing, added := matchStacks(old, new)
	var removedRes, addedRes []*resource
	for _, p := range pairs {
		o, n := resourcesOf(p[0]), resourcesOf(p[1])
		for _, id := range sortedKeys(o) {
			or := o[id]
			nr, ok := n[id]
			if !ok {
				removedRes = append(removedRes, or)
				continue
			}
			c.compareResource(or, nr)
		}
		for _, id := range sortedKeys(n) {
			if _, ok := o[id]; !ok {
				addedRes = append(addedRes, n[id])
			}
		}
	}
	missingRes := map[*resource]bool{}
	for _, s := range missing {
		rs := resourcesOf(s)
		for _, id := range sortedKeys(rs) {
			removedRes = append(removedRes, rs[id])
			missingRes[rs[id]] = true
		}
		c.add(Finding{Stack: s.Name, Severity: Note, Kind: StackMissing,
			Message: fmt.Sprintf("the stack is not in NEW, so nothing of it is compared; cdk deploy leaves it as it is, and deleting it (cdk destroy) deletes or orphans its %d resources", len(rs))})
	}
	for _, s := range added {
		rs := resourcesOf(s)
		for _, id := range sortedKeys(rs) {
			addedRes = append(addedRes, rs[id])
		}
	}
	c.moves(removedRes, addedRes, missingRes)
	c.imagesUsed(pairs, added)

	r := &Report{Findings: c.findings}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Stack, b.Stack), cmp.Compare(a.LogicalID, b.LogicalID), cmp.Compare(a.Kind, b.Kind))
	})
	r.UnusedAllow = opts.Allow.apply(r.Findings)
	slices.Sort(r.UnusedAllow)
	r.UnusedImages = c.unusedImages
	return r
}

type comparison struct {
	opts         *Options
	now          time.Time
	findings     []Finding
	unusedImages []string
}

func (c *comparison) add(f Finding) { c.findings = append(c.findings, f) }

// finding starts a finding about a resource.
func finding(r *resource, sev Severity, kind Kind, msg string) Finding {
	return Finding{Stack: r.stack.Name, LogicalID: r.id, Type: r.typ, Severity: sev, Kind: kind, Message: msg}
}

// severity is Error for stateful types, Note for others.
func severity(typ string) Severity {
	if IsStateful(typ) {
		return Error
	}
	return Note
}

// matchStacks pairs the stacks of old and new by name, and returns those
// only in old and only in new.
func matchStacks(old, new []Stack) (pairs [][2]*Stack, missing, added []*Stack) {
	if len(old) == 1 && len(new) == 1 && (old[0].FromFile || new[0].FromFile) {
		// Named after the stack of the assembly, else after NEW's file.
		o, n := old[0], new[0]
		if o.FromFile {
			o.Name = n.Name
		} else {
			n.Name = o.Name
		}
		return [][2]*Stack{{&o, &n}}, nil, nil
	}
	byName := map[string]*Stack{}
	for i := range new {
		byName[new[i].Name] = &new[i]
	}
	seen := map[string]bool{}
	for i := range old {
		if n, ok := byName[old[i].Name]; ok {
			pairs = append(pairs, [2]*Stack{&old[i], n})
			seen[old[i].Name] = true
		} else {
			missing = append(missing, &old[i])
		}
	}
	for i := range new {
		if !seen[new[i].Name] {
			added = append(added, &new[i])
		}
	}
	return pairs, missing, added
}

// compareResource compares a resource kept under its logical id.
func (c *comparison) compareResource(o, n *resource) {
	if o.typ != n.typ {
		c.add(finding(o, Note, TypeChange, fmt.Sprintf("the type changes to %s: CloudFormation refuses to change a resource's type; give the new resource another logical id", n.typ)))
		return
	}
	c.replacement(o, n)
	c.policies(o, n)
	if o.typ == "AWS::ECR::Repository" && !truthy(o.props["EmptyOnDelete"]) && truthy(n.props["EmptyOnDelete"]) {
		c.add(finding(o, Error, EmptyOnDelete, "EmptyOnDelete is switched on: deleting the repository (removing it from the stack, a replacement, deleting the stack) now deletes every image in it"))
	}
	if o.typ == "AWS::ECR::ReplicationConfiguration" {
		c.deleteReplication(o, n)
	}
	c.lifecycle(o, n)
}

// deleteReplication reports each replication rule of n that replicates
// deletions (DeleteReplication.Enabled) where the same rule of o (same
// destinations and filters) did not: from then on, every image deletion
// and tag removal in the source, lifecycle expiries included, also deletes
// in each destination (the ECR User Guide, "Replicating image deletions in
// Amazon ECR"). A replica kept as a copy stops being one.
func (c *comparison) deleteReplication(o, n *resource) {
	deleted := map[string]bool{}
	for _, r := range replicationRules(o) {
		if replicatesDeletes(r) {
			deleted[replicationRuleKey(r)] = true
		}
	}
	for i, r := range replicationRules(n) {
		if replicatesDeletes(r) && !deleted[replicationRuleKey(r)] {
			c.add(finding(o, Error, DeleteReplication, fmt.Sprintf(
				"ReplicationConfiguration.Rules[%d].DeleteReplication is switched on: every image deletion and tag removal in the source, lifecycle expiries included, now also deletes in each destination (%s)",
				i, render(r["Destinations"]))))
		}
	}
}

// replicationRules returns the rules of a replication configuration.
func replicationRules(r *resource) []map[string]any {
	config, _ := r.props["ReplicationConfiguration"].(map[string]any)
	list, _ := config["Rules"].([]any)
	var out []map[string]any
	for _, v := range list {
		if rule, ok := v.(map[string]any); ok {
			out = append(out, rule)
		}
	}
	return out
}

// replicatesDeletes reports a replication rule with DeleteReplication on.
func replicatesDeletes(rule map[string]any) bool {
	d, _ := rule["DeleteReplication"].(map[string]any)
	return truthy(d["Enabled"])
}

// replicationRuleKey identifies a rule by what it replicates where.
func replicationRuleKey(rule map[string]any) string {
	b, _ := json.Marshal([]any{rule["Destinations"], rule["RepositoryFilters"]})
	return string(b)
}

// change is one create-only property path whose value differs.
type change struct {
	path     string
	old, new any
	inOld    bool
	inNew    bool
}

// replacement reports a changed, added or removed create-only property.
func (c *comparison) replacement(o, n *resource) {
	paths, _ := CreateOnlyProperties(o.typ)
	var changes []change
	for _, p := range paths {
		ov, nv := valuesAt(o.props, p), valuesAt(n.props, p)
		for _, key := range sortedKeys(union(ov, nv)) {
			a, inOld := ov[key]
			b, inNew := nv[key]
			if inOld && inNew && reflect.DeepEqual(a, b) {
				continue
			}
			changes = append(changes, change{path: key, old: a, new: b, inOld: inOld, inNew: inNew})
		}
	}
	if len(changes) == 0 {
		return
	}
	parts := make([]string, len(changes))
	for i, ch := range changes {
		switch {
		case !ch.inOld:
			parts[i] = fmt.Sprintf("%s is added (%s)", ch.path, render(ch.new))
		case !ch.inNew:
			parts[i] = fmt.Sprintf("%s is removed (was %s)", ch.path, render(ch.old))
		default:
			parts[i] = fmt.Sprintf("%s changes from %s to %s", ch.path, render(ch.old), render(ch.new))
		}
	}
	msg := strings.Join(parts, "; ") + ", create-only, so CloudFormation replaces the resource: "
	name, named := physicalName(n)
	oldName, _ := physicalName(o)
	switch {
	case named && name == oldName:
		msg += fmt.Sprintf("it keeps its custom name %s, and CloudFormation can't replace a custom-named resource, so the update fails", render(displayName(n)))
	case IsStateful(o.typ):
		msg += "it creates a new, empty one and "
		switch p, _ := n.attrs["UpdateReplacePolicy"].(string); p {
		case "Retain", "RetainExceptOnCreate":
			msg += "leaves the old one, with its data, without a stack (UpdateReplacePolicy " + p + ")"
		case "Snapshot":
			msg += "deletes the old one after a snapshot (UpdateReplacePolicy Snapshot)"
		default:
			msg += "deletes the old one with its data"
			if o.typ == "AWS::ECR::Repository" && !truthy(n.props["EmptyOnDelete"]) {
				msg += " (ECR refuses to delete a repository that holds images unless EmptyOnDelete, so one with images stays behind without a stack)"
			}
		}
	default:
		msg += "it creates a new one and deletes the old one"
	}
	if o.typ == "AWS::ECR::Repository" {
		for _, ch := range changes {
			if ch.path == "EncryptionConfiguration" && !ch.inOld && isAES256(ch.new) {
				msg += "; an explicit AES256 is ECR's default encryption, yet adding it replaces the repository (cloudformation-coverage-roadmap #2502): leave EncryptionConfiguration out"
			}
		}
	}
	c.add(finding(o, severity(o.typ), Replacement, msg))
}

func isAES256(v any) bool {
	m, ok := v.(map[string]any)
	return ok && m["EncryptionType"] == "AES256" && m["KmsKey"] == nil
}

// policyStrength ranks a DeletionPolicy or UpdateReplacePolicy: 2 retains,
// 1 snapshots, 0 deletes (CloudFormation's default when unset, but for a few
// RDS and Neptune types, whose default is Snapshot), -1 an expression.
func policyStrength(v any) int {
	switch v {
	case "Retain", "RetainExceptOnCreate":
		return 2
	case "Snapshot":
		return 1
	case nil, "Delete":
		return 0
	}
	return -1
}

// policies reports a DeletionPolicy or UpdateReplacePolicy weakened.
func (c *comparison) policies(o, n *resource) {
	for _, attr := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		a, b := o.attrs[attr], n.attrs[attr]
		sa, sb := policyStrength(a), policyStrength(b)
		if sa <= 0 || sb < 0 || sb >= sa {
			continue
		}
		to := "Delete"
		if b != nil {
			to = fmt.Sprint(b)
		} else {
			to = "unset (Delete)"
		}
		when := "removing the resource or deleting the stack now deletes it"
		if attr == "UpdateReplacePolicy" {
			when = "a replacement now deletes the old resource"
		}
		if sb == 1 {
			when += " after a snapshot"
		} else {
			when += " with its data"
		}
		c.add(finding(o, severity(o.typ), PolicyWeakened, fmt.Sprintf("%s changes from %v to %s: %s", attr, a, to, when)))
	}
}

// moves matches removed and added resources: same type and physical name
// (a logical id move), registry settings, and removed stateful resources.
func (c *comparison) moves(removed, added []*resource, inMissingStack map[*resource]bool) {
	taken := map[*resource]bool{}
	for _, r := range removed {
		if _, ok := registryTypes[r.typ]; ok {
			c.registryMove(r, added, taken, inMissingStack[r])
			continue
		}
		name, named := physicalName(r)
		var to *resource
		if named {
			for _, a := range added {
				if !taken[a] && a.typ == r.typ && sameEnvironment(r.stack, a.stack) {
					if an, ok := physicalName(a); ok && an == name {
						to = a
						break
					}
				}
			}
		}
		if to != nil {
			taken[to] = true
			where := to.id
			if to.stack.Name != r.stack.Name {
				where = to.stack.Name + "/" + to.id
			}
			f := finding(r, severity(r.typ), LogicalIDMove, fmt.Sprintf(
				"moves to %s with the same name %s: CloudFormation creates the new resource before it deletes the old one, so the names collide and the update fails; keep the logical id (OverrideLogicalId) or move it with cdk refactor",
				where, render(displayName(to))))
			f.NewStack, f.NewLogicalID = to.stack.Name, to.id
			c.add(f)
			continue
		}
		if !IsStateful(r.typ) || inMissingStack[r] {
			continue
		}
		c.removedStateful(r)
		for _, a := range added {
			if _, named := physicalName(a); !taken[a] && !named && a.typ == r.typ && a.stack.Name == r.stack.Name {
				f := &c.findings[len(c.findings)-1]
				f.Message += fmt.Sprintf("; if %s, added, is the same resource under a new logical id, keep the old id (OverrideLogicalId) or move it with cdk refactor", a.id)
				break
			}
		}
	}
}

// removedStateful reports a stateful resource removed from a stack.
func (c *comparison) removedStateful(r *resource) {
	policy := r.attrs["DeletionPolicy"]
	switch policyStrength(policy) {
	case 2:
		msg := fmt.Sprintf("is removed with DeletionPolicy %v: CloudFormation leaves it, with its data, without a stack (still billed, managed by none", policy)
		if _, named := physicalName(r); named {
			msg += fmt.Sprintf("; a new resource named %s collides with it", render(displayName(r)))
		}
		c.add(finding(r, Error, Orphaned, msg+")"))
	case 1:
		c.add(finding(r, Error, Deleted, "is removed: CloudFormation deletes it after a final snapshot (DeletionPolicy Snapshot)"))
	case 0:
		msg := "is removed: CloudFormation deletes it with its data"
		if r.typ == "AWS::ECR::Repository" {
			if truthy(r.props["EmptyOnDelete"]) {
				msg = "is removed: CloudFormation deletes it with every image in it (EmptyOnDelete)"
			} else {
				msg = "is removed: CloudFormation deletes it if it is empty; ECR refuses to delete a repository that holds images, which then stays behind without a stack"
			}
		}
		c.add(finding(r, Error, Deleted, msg))
	default:
		c.add(finding(r, Error, Deleted, fmt.Sprintf("is removed, with DeletionPolicy %s: it is deleted or orphaned, with its data", render(policy))))
	}
}

// registryMove reports a registry-wide setting removed from a stack: moved
// when a resource of the same type is added in the same environment.
func (c *comparison) registryMove(r *resource, added []*resource, taken map[*resource]bool, stackMissing bool) {
	what := registryTypes[r.typ]
	for _, a := range added {
		if taken[a] || a.typ != r.typ || !sameEnvironment(r.stack, a.stack) {
			continue
		}
		taken[a] = true
		var msg string
		if a.stack.Name == r.stack.Name {
			msg = fmt.Sprintf("the registry's %s moves to logical id %s: CloudFormation creates %s first, which overwrites the setting, then deletes %s, which empties it; keep the logical id (OverrideLogicalId) or move it with cdk refactor",
				what, a.id, a.id, r.id)
		} else {
			msg = fmt.Sprintf("the registry's %s moves to stack %s (%s) in the same account and Region: %s's resource overwrites the setting, and deleting %s's (its next deployment",
				what, a.stack.Name, a.id, a.stack.Name, r.stack.Name)
			if stackMissing {
				msg = strings.TrimSuffix(msg, " (its next deployment") + " (deleting the stack"
			}
			msg += ") empties it; if that comes first, the registry goes without it until " + a.stack.Name + " is deployed. Remove it from " + r.stack.Name + " and deploy that first, then add it to " + a.stack.Name
		}
		f := finding(r, Error, RegistrySettingMoved, msg)
		f.NewStack, f.NewLogicalID = a.stack.Name, a.id
		c.add(f)
		return
	}
	if !stackMissing {
		c.add(finding(r, Note, RegistrySettingRemoved, fmt.Sprintf("is removed: CloudFormation deletes it, which empties the registry's %s", what)))
	}
}

// sameEnvironment reports whether two stacks may be in the same account and
// Region: the same environment, or one unknown.
func sameEnvironment(a, b *Stack) bool {
	return a.Environment == "" || b.Environment == "" || a.Environment == b.Environment
}

// physicalName returns a resource's primary identifier when the template
// sets every property of it, as a comparable key.
func physicalName(r *resource) (string, bool) {
	ids := PrimaryIdentifier(r.typ)
	if len(ids) == 0 {
		return "", false
	}
	var parts []any
	for _, p := range ids {
		v, ok := valuesAt(r.props, p)[p]
		if !ok {
			return "", false
		}
		parts = append(parts, v)
	}
	b, _ := json.Marshal(parts)
	return string(b), true
}

// displayName returns the primary identifier's value, or values, for
// messages.
func displayName(r *resource) any {
	ids := PrimaryIdentifier(r.typ)
	if len(ids) == 1 {
		return valuesAt(r.props, ids[0])[ids[0]]
	}
	var out []any
	for _, p := range ids {
		out = append(out, valuesAt(r.props, p)[p])
	}
	return out
}

// valuesAt returns the values at a property path (dot-separated, "*" any
// element of a list) by concrete path ("Rules.0.Name"); a path that is not
// set is absent.
func valuesAt(props map[string]any, path string) map[string]any {
	out := map[string]any{}
	var walk func(v any, segs []string, at string)
	walk = func(v any, segs []string, at string) {
		if len(segs) == 0 {
			out[at] = v
			return
		}
		join := func(s string) string {
			if at == "" {
				return s
			}
			return at + "." + s
		}
		if segs[0] == "*" {
			list, _ := v.([]any)
			for i, e := range list {
				walk(e, segs[1:], join(fmt.Sprint(i)))
			}
			return
		}
		m, _ := v.(map[string]any)
		if e, ok := m[segs[0]]; ok {
			walk(e, segs[1:], join(segs[0]))
		}
	}
	walk(props, strings.Split(path, "."), "")
	return out
}

// render shows a template value in a message: JSON, cut to one short line.
func render(v any) string {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		if doc, ok := m[EmbeddedJSONKey]; ok {
			v = doc
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return oneline.Cut(string(b), 80)
}

// truthy reports a CloudFormation boolean that is true.
func truthy(v any) bool { return v == true || v == "true" || v == "True" }

func union(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
