package adoptcmd

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/adopt"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
)

// adopt --live reads from the account what the AWS CLI would print —
// describe-repositories (with each repository's tags, from
// list-tags-for-resource), get-lifecycle-policy and get-repository-policy
// — into the generator's input values (adopt.Existing), the same values
// adopt.ReadFiles makes of the files a user exports by hand, so the
// account's answers are checked and adopted exactly as those files are. A
// problem in them names the repository, its account and the Region.

// readLive reads the repositories of the prefix ("" for all), their tags
// and policies.
func readLive(ctx context.Context, c *live.Clients, prefix string) (adopt.Input, error) {
	in := adopt.Input{Origin: "the registry in " + c.Region}
	states, err := c.RepositoryStates(ctx, live.Selection{Prefix: prefix, All: prefix == ""})
	if err != nil {
		return in, err
	}
	for _, s := range states {
		if s.Err != nil {
			return in, fmt.Errorf("%s: %s", s.Name(), live.Message(s.Err))
		}
		r := s.Repository
		e := adopt.Existing{
			ARN:        aws.ToString(r.RepositoryArn),
			RegistryID: aws.ToString(r.RegistryId),
			Name:       aws.ToString(r.RepositoryName),
			Mutability: string(r.ImageTagMutability),
		}
		for _, f := range r.ImageTagMutabilityExclusionFilters {
			e.ExclusionFilters = append(e.ExclusionFilters, adopt.ExclusionFilter{Type: string(f.FilterType), Filter: aws.ToString(f.Filter)})
		}
		if r.ImageScanningConfiguration != nil {
			e.ScanOnPush = r.ImageScanningConfiguration.ScanOnPush
		}
		if r.EncryptionConfiguration != nil {
			e.Encryption = &adopt.Encryption{Type: string(r.EncryptionConfiguration.EncryptionType), KMSKey: aws.ToString(r.EncryptionConfiguration.KmsKey), Described: s.DescribedKey()}
		}
		tags, err := c.Tags(ctx, e.ARN)
		if err != nil {
			return in, fmt.Errorf("%s: tags: %s", e.Name, live.Message(err))
		}
		for _, k := range slices.Sorted(maps.Keys(tags)) {
			e.Tags = append(e.Tags, adopt.Tag{Key: k, Value: tags[k]})
		}
		if s.LifecyclePolicy.Found {
			e.LifecyclePolicy = aws.String(s.LifecyclePolicy.Text)
		}
		if s.RepositoryPolicy.Found {
			e.RepositoryPolicy = aws.String(s.RepositoryPolicy.Text)
		}
		e.At = liveLocator(e.RegistryID, c.Region)
		in.Repositories = append(in.Repositories, e)
	}
	return in, nil
}

// liveLocator places a problem of a repository the account described: the
// message names the repository, this its account and Region.
func liveLocator(account, region string) func(string, ...any) string {
	where := "the registry in " + region
	if account != "" {
		where = "account " + account + ", " + region
	}
	return func(msg string, _ ...any) string { return where + ": " + msg }
}

// liveMessage is the one line for an error of the live reading.
func liveMessage(err error) string {
	if errors.Is(err, live.ErrNoMatch) {
		return err.Error()
	}
	return live.Message(err)
}
