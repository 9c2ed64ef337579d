package check

import "slices"

// Unique returns list without repeated entries, keeping the first of each,
// in order.
func Unique(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// The repository-policy actions each kind of access needs, as the ECR User
// Guide's "Private repository policy examples" and "Amazon ECR
// managed policies" list them. ecr:GetAuthorizationToken is account-wide
// and never goes into a repository policy: the principal's own identity
// policy grants it.
var (
	// PullActions read an image.
	PullActions = []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}
	// PushActions write an image.
	PushActions = []string{"ecr:CompleteLayerUpload", "ecr:UploadLayerPart", "ecr:InitiateLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:PutImage"}
	// LambdaPullActions are what the Lambda service needs to pull a
	// function's image.
	LambdaPullActions = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}
)
