// Package consumergraph checks the module graph a user of the library gets:
// its test builds, in a fresh folder outside the repository, a module that
// imports only the constructs (constructs/ecr, constructs/organization,
// helpers/lifecycle) with a replace directive pointing at this checkout, runs
// `go mod tidy` and `go build ./...`, and refuses the modules that only the
// library's own tests and tools need (cdk-nag, go-snaps, the AWS SDK,
// goccy/go-json): a user's go.mod and binary must not carry them.
//
// `go list -m all` of such a module still lists the test-only modules that
// the library's go.mod requires (module graph pruning keeps the requirements
// of each direct dependency's go.mod): the test excuses those, and only
// those, and logs them.
//
// The package has no code besides its test. The test takes about 5 s with
// a warm build cache (the consumer builds the CDK packages at the library's
// versions, so the library's own builds warm it) and over a minute cold; it
// is skipped with -short.
package consumergraph
