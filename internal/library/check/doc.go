// Package check holds the checks of input that the library's construct
// packages (ecr, registry, organization) share: one pattern per concept
// (account, organization, organizational unit, Region, partition, ARN,
// repository name, tag), the repository settings a repository and a
// repository creation template are both created with, and the detection of
// unresolved CDK tokens.
//
// It is plain Go: it imports neither aws-cdk-go nor jsii, so its checks run
// without starting Node.js and are tested without it. Each check records
// its problems in a [validation.Collector] with the caller's field name, so
// every package words the same mistake the same way.
package check
