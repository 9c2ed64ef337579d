package live

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/ecr5"
)

// RepositoryState is a repository with its lifecycle and repository
// policies: what ecr-cdk audit checks and ecr-cdk adopt --live adopts.
type RepositoryState struct {
	Repository       types.Repository
	LifecyclePolicy  Policy
	RepositoryPolicy Policy
	// Err is why the policies couldn't be read (Message gives one line);
	// the others' states are still read.
	Err error
	// KeyManager is, for a repository encrypted with a KMS key it names,
	// the key's KeyManager as kms:DescribeKey says it: "AWS" or
	// "CUSTOMER"; "" when the repository names no key or the key couldn't
	// be described (KeyErr says why).
	KeyManager string
	KeyErr     error
}

// Name is the repository's name.
func (s *RepositoryState) Name() string { return aws.ToString(s.Repository.RepositoryName) }

// DescribedKey is what kms:DescribeKey said of the repository's key, for
// Security Hub ECR.5 (package ecr5): ecr-cdk audit and adopt --live say the
// same. Its Manager is "" and its Err "" when the key wasn't described.
func (s *RepositoryState) DescribedKey() ecr5.Key {
	k := ecr5.Key{Manager: s.KeyManager}
	if s.KeyErr != nil {
		k.Err = Message(s.KeyErr)
	}
	return k
}

// RepositoryStates reads the selected repositories and both policies of
// each, Concurrency repositories at a time. The error is the selection's
// (a name that doesn't exist, a prefix matching nothing, the registry
// unreadable); a repository whose policies can't be read has its own Err.
func (c *Clients) RepositoryStates(ctx context.Context, sel Selection) ([]RepositoryState, error) {
	repos, err := c.Repositories(ctx, sel)
	if err != nil {
		return nil, err
	}
	out := make([]RepositoryState, len(repos))
	progress := c.NewProgress("repositories", len(repos))
	ForEach(ctx, len(repos), c.Concurrency, func(ctx context.Context, i int) {
		s := RepositoryState{Repository: repos[i]}
		name := aws.ToString(repos[i].RepositoryName)
		if s.LifecyclePolicy, s.Err = c.LifecyclePolicy(ctx, name); s.Err == nil {
			s.RepositoryPolicy, s.Err = c.RepositoryPolicy(ctx, name)
		}
		if e := repos[i].EncryptionConfiguration; e != nil && aws.ToString(e.KmsKey) != "" {
			s.KeyManager, s.KeyErr = c.KeyManager(ctx, aws.ToString(e.KmsKey))
		}
		out[i] = s
		progress.Step(0)
	})
	progress.Done()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
