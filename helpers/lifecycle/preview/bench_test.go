package preview_test

import (
	"fmt"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/inventorygen"
)

// BenchmarkPreview measures the evaluation itself: a ten-rule policy over
// 10k, 100k and 1M images already in memory. Target: 1M in under a second
// on a 2-core machine.
func BenchmarkPreview(b *testing.B) {
	policy := inventorygen.Policy()
	if n := len(policy.Rules()); n != 10 {
		b.Fatalf("the benchmark policy has %d rules, want 10", n)
	}
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		images := inventorygen.Images(n)
		b.Run(fmt.Sprintf("images=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res := preview.Evaluate(policy, images, inventorygen.Now, nil)
				if res.Images != n {
					b.Fatal("wrong image count")
				}
			}
		})
	}
}
