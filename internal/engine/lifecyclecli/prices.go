package lifecyclecli

import (
	"fmt"
	"strconv"
	"strings"
)

// Storage prices of Amazon ECR, per GB-month, from AWS's pricing page
// (https://aws.amazon.com/ecr/pricing/) as of pricesDate, us-east-1.
// Archived images are also billed for at least 90 days and cost $0.03 per
// GB to restore; neither is in the estimate. Prices change and differ by
// Region: --prices overrides them.
const pricesDate = "2026-03"

// gb is the GB of the prices: 2^30 bytes.
const gb = 1 << 30

// archiveTierBytes is where archive storage's second price starts: 150 TB.
const archiveTierBytes = 150 * 1024 * gb

type prices struct {
	Standard         float64 `json:"standardPerGBMonth"`
	Archive          float64 `json:"archivePerGBMonth"`
	ArchiveOver150TB float64 `json:"archiveOver150TBPerGBMonth"`
	Date             string  `json:"date"`
	Overridden       bool    `json:"overridden"`
}

var defaultPrices = prices{Standard: 0.10, Archive: 0.10, ArchiveOver150TB: 0.07, Date: pricesDate}

// parsePrices reads --prices standard=0.10,archive=0.10,archive-over-150tb=0.07
// (any of the three; the others keep their defaults).
func parsePrices(s string) (prices, error) {
	p := defaultPrices
	if s == "" {
		return p, nil
	}
	p.Overridden = true
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || f < 0 {
			return p, fmt.Errorf("--prices %q: must be standard=USD,archive=USD,archive-over-150tb=USD (per GB-month)", s)
		}
		switch k {
		case "standard":
			p.Standard = f
		case "archive":
			p.Archive = f
		case "archive-over-150tb":
			p.ArchiveOver150TB = f
		default:
			return p, fmt.Errorf("--prices %q: unknown price %q; the prices are standard, archive and archive-over-150tb", s, k)
		}
	}
	return p, nil
}

// standardCost is the monthly cost of bytes in standard storage.
func (p prices) standardCost(bytes int64) float64 { return float64(bytes) / gb * p.Standard }

// archiveCost is the monthly cost of bytes in archive storage, counting
// the tiers from zero (the registry's other archived images are unknown).
func (p prices) archiveCost(bytes int64) float64 {
	first := min(bytes, archiveTierBytes)
	return float64(first)/gb*p.Archive + float64(bytes-first)/gb*p.ArchiveOver150TB
}
