package registry

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// ReplicationDestination is a registry that images are replicated to: a
// Region and, for cross-account replication, an account.
type ReplicationDestination struct {
	// Region of the destination registry, such as "eu-west-1". Required.
	Region string
	// Account of the destination registry, 12 digits. Its registry policy
	// must let this account replicate in: [Policy.AllowReplicationFrom]
	// or Props.ReplicationSourceAccounts in its own stack.
	// Default: this stack's account.
	Account *string
}

// destination is a ReplicationDestination with its account filled in: what
// makes destinations the same.
type destination struct {
	Region, Account string
}

// ReplicationRule replicates the images of some repositories to
// destinations. ECR replicates only images pushed after the rule exists,
// keeps repository names, doesn't replicate deletes unless
// DeleteReplication says so, nor repository settings or policies (a
// REPLICATION creation template in the destination gives the replicas
// their settings: the ROOT template of a [Registry] does), and never chains
// (a replica is not replicated again).
type ReplicationRule struct {
	// Destinations are 1 to 100 registries; across all rules, at most 25
	// unique destinations (the ECR User Guide's limit, stricter than the
	// schema's 100 per rule: the stricter one is enforced). Replicating to
	// the registry itself is refused.
	Destinations []ReplicationDestination
	// RepositoryPrefixes limits the rule to repositories whose names start
	// with one of them: up to 100 prefixes of 2 to 256 characters.
	// Default: every repository.
	RepositoryPrefixes []string
	// DeleteReplication replicates deletions too: every image deleted and
	// every tag removed in the source — by a person, a pipeline or the
	// source's lifecycle policy — is also deleted or removed in each
	// destination (the ECR User Guide, "Replicating image deletions in
	// Amazon ECR"). Destinations stop being copies that outlive a mistake
	// in the source; `ecr-cdk diff` reports switching it on as an error
	// that needs --allow. Default: false, deletions are not replicated.
	DeleteReplication bool
}

var (
	// replicationFilterPattern is the schema's pattern for a replication
	// prefix filter.
	replicationFilterPattern = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$`)
)

// Limits of AWS::ECR::ReplicationConfiguration.
const (
	maxReplicationRules        = 10
	maxRuleDestinations        = 100
	maxUniqueDestinations      = 25
	maxReplicationFilters      = 100
	minReplicationFilterLength = 2
	maxReplicationFilterLength = 256
)

// checkReplication records every problem with the replication rules,
// numbered from first (the index of rules[0] among all rules); account and
// region are the stack's, possibly tokens.
func checkReplication(field string, first int, all, rules []ReplicationRule, account, region string, pl place, p *validation.Collector) {
	if n := len(all); n > maxReplicationRules {
		p.Add(field, fmt.Sprintf("(%d rules)", n), fmt.Sprintf("a registry takes at most %d replication rules", maxReplicationRules))
	}
	unique := map[destination]bool{}
	for _, r := range all {
		for _, d := range r.Destinations {
			unique[withAccount(d, account)] = true
		}
	}
	if len(unique) > maxUniqueDestinations {
		p.Add(field, fmt.Sprintf("(%d unique destinations)", len(unique)), fmt.Sprintf("ECR replicates to at most %d unique destinations across all rules", maxUniqueDestinations))
	}
	for i, r := range rules {
		rf := field + "[" + strconv.Itoa(first+i) + "]"
		switch n := len(r.Destinations); {
		case n == 0:
			p.Add(rf+".Destinations", nil, "must hold at least one destination")
		case n > maxRuleDestinations:
			p.Add(rf+".Destinations", fmt.Sprintf("(%d destinations)", n), fmt.Sprintf("a rule takes at most %d destinations", maxRuleDestinations))
		}
		for j, d := range r.Destinations {
			df := rf + ".Destinations[" + strconv.Itoa(j) + "]"
			pl.checkRegion(df+".Region", d.Region, p)
			if pl.stackSet != nil {
				pl.stackSet.checkDestination(df+".Region", d, p)
			}
			if part := pl.partition(); part != "" && check.Known(d.Region) && check.PartitionOf(d.Region) != part {
				p.Add(df+".Region", d.Region, fmt.Sprintf("is in partition %s, but the registry's Region %s is in %s; ECR doesn't replicate across partitions", check.PartitionOf(d.Region), pl.region, part))
			}
			if d.Account != nil {
				check.Account(df+".Account", *d.Account, p)
			}
			full := withAccount(d, account)
			shown := d.Region + " of account " + full.Account
			if check.IsToken(full.Account) {
				shown = d.Region + " of this account"
			}
			if full.Region == region && full.Account == account && !check.IsToken(region) && !check.IsToken(account) {
				p.Add(df, shown, "is the source registry itself; replicate to another Region or account")
			}
			if slices.IndexFunc(r.Destinations[:j], func(o ReplicationDestination) bool { return withAccount(o, account) == full }) >= 0 {
				p.Add(df, shown, "is listed twice in the rule")
			}
		}
		if len(r.RepositoryPrefixes) > maxReplicationFilters {
			p.Add(rf+".RepositoryPrefixes", fmt.Sprintf("(%d prefixes)", len(r.RepositoryPrefixes)), fmt.Sprintf("a rule takes at most %d prefixes", maxReplicationFilters))
		}
		checkReplicationPrefixes(rf+".RepositoryPrefixes", r.RepositoryPrefixes, p)
	}
}

// withAccount fills in the default account.
func withAccount(d ReplicationDestination, account string) destination {
	if d.Account != nil {
		account = *d.Account
	}
	return destination{Region: d.Region, Account: account}
}

// replicationProps renders the rules.
func replicationProps(rules []ReplicationRule, account string) *awsecr.CfnReplicationConfigurationProps {
	out := make([]any, len(rules))
	for i, r := range rules {
		dests := make([]any, len(r.Destinations))
		for j, d := range r.Destinations {
			full := withAccount(d, account)
			dests[j] = &awsecr.CfnReplicationConfiguration_ReplicationDestinationProperty{Region: jsii.String(full.Region), RegistryId: jsii.String(full.Account)}
		}
		rule := &awsecr.CfnReplicationConfiguration_ReplicationRuleProperty{Destinations: dests}
		if len(r.RepositoryPrefixes) > 0 {
			filters := make([]any, len(r.RepositoryPrefixes))
			for j, f := range r.RepositoryPrefixes {
				filters[j] = &awsecr.CfnReplicationConfiguration_RepositoryFilterProperty{Filter: jsii.String(f), FilterType: jsii.String("PREFIX_MATCH")}
			}
			rule.RepositoryFilters = filters
		}
		out[i] = rule
	}
	return &awsecr.CfnReplicationConfigurationProps{
		ReplicationConfiguration: &awsecr.CfnReplicationConfiguration_ReplicationConfigurationProperty{Rules: out},
	}
}

// setDeleteReplication renders each rule's DeleteReplication on the
// resource. CloudFormation's ReplicationRule.DeleteReplication
// ({"Enabled": true}, AWS::ECR::ReplicationConfiguration) is in
// aws-cdk-lib 2.278's L1 but not in aws-cdk-go 2.277's, which this module
// builds on, so it is a property override until the Go module has the
// property; then this function sets ReplicationRuleProperty's field
// instead. A rule without it renders nothing (ECR's default, off).
func setDeleteReplication(cfn awsecr.CfnReplicationConfiguration, rules []ReplicationRule) {
	for i, r := range rules {
		path := fmt.Sprintf("ReplicationConfiguration.Rules.%d.DeleteReplication", i)
		if r.DeleteReplication {
			cfn.AddPropertyOverride(jsii.String(path), map[string]any{"Enabled": true})
		} else {
			cfn.AddPropertyDeletionOverride(jsii.String(path))
		}
	}
}

// checkReplicationPrefixes records replication prefixes ECR refuses, or
// repeated ones: the prefixes of a replication rule and those a registry
// policy lets an organization replicate.
func checkReplicationPrefixes(field string, prefixes []string, p *validation.Collector) {
	for j, f := range prefixes {
		ff := field + "[" + strconv.Itoa(j) + "]"
		switch {
		case check.IsToken(f):
		case len(f) < minReplicationFilterLength || len(f) > maxReplicationFilterLength:
			p.Add(ff, f, fmt.Sprintf("must be %d to %d characters long, not %d", minReplicationFilterLength, maxReplicationFilterLength, len(f)))
		case !replicationFilterPattern.MatchString(f):
			p.Add(ff, f, "must be the start of a repository name (lowercase letters, digits, . _ - /), matching "+replicationFilterPattern.String())
		case slices.Index(prefixes, f) < j:
			p.Add(ff, f, "is listed twice")
		}
	}
}
