package check

// Regions and partitions, without the jsii runtime: the table in
// regions_table.go is generated from aws-cdk-go's regioninfo package (see
// internal/regiongen), so these lookups run in plain Go tests, without
// Node.js. The package must not import aws-cdk-go or jsii-runtime-go.
//
// Regenerate the table after upgrading aws-cdk-go, with the project's
// Node.js 22 first on PATH (regiongen starts the jsii runtime):
//
//	PATH=$PWD/.tools/node_modules/.bin:$PATH go generate ./internal/library/check
//
// internal/regiongen's test fails while the committed table differs from
// what regioninfo returns at the version in go.mod.

//go:generate go run ./internal/regiongen -o regions_table.go

import (
	"regexp"
	"slices"
	"strings"
)

// The partitions that CDK's regioninfo names, as they appear in ARNs.
const (
	PartitionAWS      = "aws"
	PartitionChina    = "aws-cn"
	PartitionGovCloud = "aws-us-gov"
	PartitionISO      = "aws-iso"
	PartitionISOB     = "aws-iso-b"
	PartitionISOE     = "aws-iso-e"
	PartitionISOF     = "aws-iso-f"
	PartitionEUSC     = "aws-eusc"
)

// RegionPattern is the syntax of a Region name, for messages and for
// [WellFormedRegion]: lowercase letters (2 to 4: "us", "eusc"), one to three
// groups of lowercase letters ("east", "gov-west", "isob-east", "de-east"),
// then a number of one or two digits, joined by hyphens, as in us-east-1,
// us-gov-west-1, us-isob-east-1 and eusc-de-east-1. Every Region of the
// table matches it (a test checks); a name that matches it is not
// necessarily a Region.
const RegionPattern = `^[a-z]{2,4}(-[a-z]+){1,3}-[0-9]{1,2}$`

var regionSyntax = regexp.MustCompile(RegionPattern)

// WellFormedRegion reports whether name has the syntax of a Region name
// ([RegionPattern]), whether or not CDK knows it.
func WellFormedRegion(name string) bool { return regionSyntax.MatchString(name) }

// RegionPartition returns the partition of a Region that aws-cdk-go's
// regioninfo knows at the version the table was generated from
// ([RegionTableCDKVersion]), and known true. For any other name (a Region
// launched since, a mistyped name, an unresolved token, "") it returns "",
// false: use [PartitionOf] for a partition inferred from the name.
func RegionPartition(region string) (partition string, known bool) {
	partition, known = regionPartitions[region]
	return partition, known
}

// partitionPrefixes are the name prefixes of the partitions other than
// "aws", in the order CDK tries them: PARTITION_MAP of aws-cdk-lib's
// region-info/lib/aws-entities.ts (function partitionInformation, used by
// RegionInfo.limitedRegionMap and by the fact tables' build), as shipped in
// aws-cdk-lib 2.277.0. None is a prefix of another ("us-iso-" doesn't match
// "us-isob-east-1"), so the order doesn't matter. CDK's prefix for the
// European Sovereign Cloud is "eusc-de-", not "eusc-".
var partitionPrefixes = []struct{ prefix, partition string }{
	{"cn-", PartitionChina},
	{"us-gov-", PartitionGovCloud},
	{"us-iso-", PartitionISO},
	{"us-isob-", PartitionISOB},
	{"us-isof-", PartitionISOF},
	{"eu-isoe-", PartitionISOE},
	{"eusc-de-", PartitionEUSC},
}

// PartitionOf returns the partition of a Region: the table's for a Region
// CDK knows ([RegionPartition]), otherwise the one its name's prefix implies,
// as CDK infers it (cn- → aws-cn, us-gov- → aws-us-gov, us-iso- → aws-iso,
// us-isob- → aws-iso-b, us-isof- → aws-iso-f, eu-isoe- → aws-iso-e,
// eusc-de- → aws-eusc, anything else → aws). It always returns a partition
// and does not check the name: check it with [WellFormedRegion] first, and
// leave unresolved tokens (an environment-agnostic stack's Region) alone,
// which would come out as "aws".
func PartitionOf(region string) string {
	if partition, ok := regionPartitions[region]; ok {
		return partition
	}
	return inferPartition(region)
}

// inferPartition is CDK's partition inference from a Region name's prefix.
func inferPartition(region string) string {
	for _, p := range partitionPrefixes {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return PartitionAWS
}

// PartitionHasPullThroughCache reports whether Amazon ECR pull through cache
// rules can be created in the partition's Regions:
//
//   - aws: yes.
//   - aws-cn, aws-us-gov: no. AWS's What's New post of 17 November 2023
//     (pull through cache for Docker Hub, Azure Container Registry and
//     GitHub Container Registry) says pull through cache rules are
//     supported in every Region except the AWS GovCloud (US) and China
//     Regions, as the ECR User Guide's pull through cache page did. NOTE:
//     newer pages disagree: the AWS GovCloud (US) User Guide's "Amazon ECR
//     in AWS GovCloud (US)" says ECR-to-ECR pull through cache rules are
//     available there within the partition, and the China Regions' copy of
//     the ECR User Guide has the pull through cache pages. No is the
//     conservative answer until that is settled.
//   - aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc: assumed no. No
//     public documentation says pull through cache is available there
//     (unknown), so a check refuses rather than letting a deployment fail.
//   - any other string: no.
func PartitionHasPullThroughCache(partition string) bool {
	return partition == PartitionAWS
}

// Regions returns the names of every Region in the table, sorted, in a new
// slice the caller may change.
func Regions() []string {
	names := make([]string, 0, len(regionPartitions))
	for name := range regionPartitions {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
