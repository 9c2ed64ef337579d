package check

import (
	"slices"
	"testing"
)

func TestRegionPartition(t *testing.T) {
	for _, c := range []struct {
		region, partition string
		known             bool
	}{
		{"us-east-1", PartitionAWS, true},
		{"eu-central-1", PartitionAWS, true},
		{"cn-north-1", PartitionChina, true},
		{"cn-northwest-1", PartitionChina, true},
		{"us-gov-west-1", PartitionGovCloud, true},
		{"us-gov-east-1", PartitionGovCloud, true},
		{"us-iso-east-1", PartitionISO, true},
		{"us-isob-east-1", PartitionISOB, true},
		// Not Regions: well-formed but unknown, and an OCI Region's name.
		{"eu-west-9", "", false},
		{"eu-frankfurt-1", "", false},
		{"", "", false},
		{"US-EAST-1", "", false},
		{"${Token[AWS.Region.8]}", "", false},
	} {
		partition, known := RegionPartition(c.region)
		if partition != c.partition || known != c.known {
			t.Errorf("RegionPartition(%q) = %q, %v; want %q, %v", c.region, partition, known, c.partition, c.known)
		}
	}
}

func TestPartitionOf(t *testing.T) {
	for _, c := range []struct{ region, partition string }{
		// Known: the table's.
		{"us-east-1", PartitionAWS},
		{"cn-north-1", PartitionChina},
		{"us-gov-west-1", PartitionGovCloud},
		{"eu-isoe-west-1", PartitionISOE},
		{"us-isof-south-1", PartitionISOF},
		{"eusc-de-east-1", PartitionEUSC},
		// Unknown but well-formed: by prefix.
		{"eu-west-9", PartitionAWS},
		{"eu-frankfurt-1", PartitionAWS},
		{"cn-south-1", PartitionChina},
		{"us-gov-central-1", PartitionGovCloud},
		{"us-iso-north-1", PartitionISO},
		{"us-isob-south-1", PartitionISOB},
		{"eu-isoe-north-1", PartitionISOE},
		{"us-isof-west-1", PartitionISOF},
		{"eusc-de-west-1", PartitionEUSC},
		// CDK's European Sovereign Cloud prefix is eusc-de-, so another
		// country's name falls to the default, as in CDK.
		{"eusc-fr-east-1", PartitionAWS},
		{"", PartitionAWS},
	} {
		if got := PartitionOf(c.region); got != c.partition {
			t.Errorf("PartitionOf(%q) = %q, want %q", c.region, got, c.partition)
		}
	}
}

// The table agrees with the prefixes: a Region of a new partition, or one
// whose name doesn't say its partition, shows up here after go generate.
func TestTableAgreesWithPrefixes(t *testing.T) {
	for region, partition := range regionPartitions {
		if got := inferPartition(region); got != partition {
			t.Errorf("%s: the table says %s, its prefix %s: update partitionPrefixes", region, partition, got)
		}
	}
}

func TestPartitionHasPullThroughCache(t *testing.T) {
	for partition, want := range map[string]bool{
		PartitionAWS:      true,
		PartitionChina:    false,
		PartitionGovCloud: false,
		PartitionISO:      false,
		PartitionISOB:     false,
		PartitionISOE:     false,
		PartitionISOF:     false,
		PartitionEUSC:     false,
		"":                false,
		"AWS":             false,
	} {
		if got := PartitionHasPullThroughCache(partition); got != want {
			t.Errorf("PartitionHasPullThroughCache(%q) = %v, want %v", partition, got, want)
		}
	}
	if PartitionHasPullThroughCache(PartitionOf("cn-north-1")) || !PartitionHasPullThroughCache(PartitionOf("eu-west-1")) {
		t.Error("pull through cache by Region: cn-north-1 has it or eu-west-1 hasn't")
	}
}

func TestRegions(t *testing.T) {
	regions := Regions()
	if len(regions) != len(regionPartitions) {
		t.Fatalf("Regions() has %d names, the table %d", len(regions), len(regionPartitions))
	}
	if !slices.IsSorted(regions) {
		t.Errorf("Regions() is not sorted: %q", regions)
	}
	for _, r := range []string{"us-east-1", "cn-north-1", "us-gov-west-1"} {
		if !slices.Contains(regions, r) {
			t.Errorf("Regions() lacks %s", r)
		}
	}
	regions[0] = "changed"
	if Regions()[0] == "changed" {
		t.Error("Regions() returns the package's own slice")
	}
}

func TestRegionPattern(t *testing.T) {
	for _, r := range Regions() {
		if !WellFormedRegion(r) {
			t.Errorf("%s, a Region of the table, doesn't match RegionPattern %s", r, RegionPattern)
		}
	}
	for _, name := range []string{"eu-west-9", "eu-frankfurt-1", "us-gov-central-1"} {
		if !WellFormedRegion(name) {
			t.Errorf("WellFormedRegion(%q) = false", name)
		}
	}
	for _, name := range []string{"", "us-east", "US-EAST-1", "us_east_1", "useast1", "us-east-1a", "us-east-100", " us-east-1", "${Token[AWS.Region.8]}", "arn:aws:ecr:us-east-1"} {
		if WellFormedRegion(name) {
			t.Errorf("WellFormedRegion(%q) = true", name)
		}
	}
}

func TestRegionTableVersion(t *testing.T) {
	if RegionTableCDKVersion == "" || RegionTableCDKVersion[0] != 'v' {
		t.Errorf("RegionTableCDKVersion = %q", RegionTableCDKVersion)
	}
}
