// Package preview computes, offline, what an Amazon ECR lifecycle policy
// ([lifecycle.Policy]) would do to a repository's images: which images it
// would expire, which it would archive, and how much space that frees.
//
// The images come from `aws ecr describe-images` ([ReadImages]); the
// manifests from `aws ecr batch-get-image` ([ReadManifests]) are optional
// and make the answer exact where describe-images can't: which images a
// manifest list (a multi-architecture image) references, which ECR never
// expires or archives while the list stays, and which layers images share,
// so that the space freed counts each layer once. [Evaluate] follows ECR's
// documented evaluation rules; see its documentation for the details.
//
// The package is plain Go: it does not start the jsii runtime, so the
// ecr-lifecycle command and tests that use it run instantly.
package preview
