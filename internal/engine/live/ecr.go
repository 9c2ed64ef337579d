package live

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/smithy-go"
)

// Selection picks repositories: one by name, those whose names start with
// a prefix, or all of them.
type Selection struct {
	// Name is one repository's name.
	Name string
	// Prefix selects the repositories whose names start with it.
	Prefix string
	// All selects every repository of the registry.
	All bool
}

// ErrNoMatch is returned by [Clients.Repositories] when a prefix (or the
// whole registry) holds no repository.
var ErrNoMatch = errors.New("no repository matches")

// Repositories describes the selected repositories, sorted by name,
// following DescribeRepositories' pages to the end. A name that doesn't
// exist is RepositoryNotFoundException ([IsNotFound]); a prefix matching
// nothing is [ErrNoMatch].
func (c *Clients) Repositories(ctx context.Context, sel Selection) ([]types.Repository, error) {
	in := &ecr.DescribeRepositoriesInput{}
	if sel.Name != "" {
		in.RepositoryNames = []string{sel.Name}
	}
	var out []types.Repository
	p := ecr.NewDescribeRepositoriesPaginator(c.ECR, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Repositories {
			if sel.Prefix == "" || strings.HasPrefix(aws.ToString(r.RepositoryName), sel.Prefix) {
				out = append(out, r)
			}
		}
	}
	if len(out) == 0 {
		if sel.Prefix != "" {
			return nil, fmt.Errorf("%w the prefix %q", ErrNoMatch, sel.Prefix)
		}
		return nil, fmt.Errorf("%w: the registry has no repository", ErrNoMatch)
	}
	sort.Slice(out, func(i, j int) bool { return aws.ToString(out[i].RepositoryName) < aws.ToString(out[j].RepositoryName) })
	return out, nil
}

// Inventory is a repository's images as the API returns them: every page of
// DescribeImages, and BatchGetImage's manifests of its manifest lists.
type Inventory struct {
	Repository string
	// Images are DescribeImages' imageDetails, every page, in the API's order.
	Images []types.ImageDetail
	// Manifests are BatchGetImage's images for the manifest lists of Images
	// (OCI image indexes and Docker manifest lists): what a preview needs to
	// see which images a list keeps.
	Manifests []types.Image
	// Failures are BatchGetImage's failures.
	Failures []types.ImageFailure
}

// pageSize is DescribeImages' largest maxResults.
const pageSize = 1000

// batchSize is BatchGetImage's largest number of image ids.
const batchSize = 100

// Media types of manifest lists (helpers/lifecycle/preview has the same).
const (
	mediaTypeOCIIndex           = "application/vnd.oci.image.index.v1+json"
	mediaTypeDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
)

// acceptedMediaTypes are what BatchGetImage is asked for: every manifest
// kind as it was pushed, so that an index comes back as an index.
var acceptedMediaTypes = []string{
	mediaTypeOCIIndex, mediaTypeDockerManifestList,
	"application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
}

// Images reads a repository's images: DescribeImages to its last page,
// then BatchGetImage for its manifest lists, 100 digests a call. progress
// may be nil.
func (c *Clients) Images(ctx context.Context, repository string, progress *Progress) (*Inventory, error) {
	inv := &Inventory{Repository: repository}
	p := ecr.NewDescribeImagesPaginator(c.ECR, &ecr.DescribeImagesInput{
		RepositoryName: aws.String(repository),
		MaxResults:     aws.Int32(pageSize),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		inv.Images = append(inv.Images, page.ImageDetails...)
		progress.Add(len(page.ImageDetails))
	}
	var lists []types.ImageIdentifier
	for _, d := range inv.Images {
		if mt := aws.ToString(d.ImageManifestMediaType); mt == mediaTypeOCIIndex || mt == mediaTypeDockerManifestList {
			lists = append(lists, types.ImageIdentifier{ImageDigest: d.ImageDigest})
		}
	}
	for start := 0; start < len(lists); start += batchSize {
		out, err := c.ECR.BatchGetImage(ctx, &ecr.BatchGetImageInput{
			RepositoryName:     aws.String(repository),
			ImageIds:           lists[start:min(start+batchSize, len(lists))],
			AcceptedMediaTypes: acceptedMediaTypes,
		})
		if err != nil {
			return nil, err
		}
		inv.Manifests = append(inv.Manifests, out.Images...)
		inv.Failures = append(inv.Failures, out.Failures...)
	}
	return inv, nil
}

// Policy is a repository's policy text, or none.
type Policy struct {
	Text  string
	Found bool
}

// LifecyclePolicy returns a repository's lifecycle policy text; Found is
// false when it has none (LifecyclePolicyNotFoundException).
func (c *Clients) LifecyclePolicy(ctx context.Context, repository string) (Policy, error) {
	out, err := c.ECR.GetLifecyclePolicy(ctx, &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String(repository)})
	var nf *types.LifecyclePolicyNotFoundException
	switch {
	case errors.As(err, &nf):
		return Policy{}, nil
	case err != nil:
		return Policy{}, err
	}
	return Policy{Text: aws.ToString(out.LifecyclePolicyText), Found: true}, nil
}

// RepositoryPolicy returns a repository's policy text; Found is false when
// it has none (RepositoryPolicyNotFoundException).
func (c *Clients) RepositoryPolicy(ctx context.Context, repository string) (Policy, error) {
	out, err := c.ECR.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String(repository)})
	var nf *types.RepositoryPolicyNotFoundException
	switch {
	case errors.As(err, &nf):
		return Policy{}, nil
	case err != nil:
		return Policy{}, err
	}
	return Policy{Text: aws.ToString(out.PolicyText), Found: true}, nil
}

// ScanningConfiguration returns the registry's scanning configuration.
func (c *Clients) ScanningConfiguration(ctx context.Context) (*types.RegistryScanningConfiguration, error) {
	out, err := c.ECR.GetRegistryScanningConfiguration(ctx, &ecr.GetRegistryScanningConfigurationInput{})
	if err != nil {
		return nil, err
	}
	return out.ScanningConfiguration, nil
}

// ErrUnsupported marks an API the server doesn't implement (moto 5.2.1
// answers repository creation templates with a bare 500): the answer is
// unknown, not a finding.
var ErrUnsupported = errors.New("the server does not implement this API")

// unsupported is an API error that [ErrUnsupported] matches.
type unsupported struct{ err error }

func (u unsupported) Error() string        { return u.err.Error() }
func (u unsupported) Unwrap() error        { return u.err }
func (u unsupported) Is(target error) bool { return target == ErrUnsupported }

// CreationTemplates returns the registry's repository creation templates.
// A server that doesn't implement the API (an HTML 500, an unknown
// operation) is [ErrUnsupported]; it is tried twice, not five times.
func (c *Clients) CreationTemplates(ctx context.Context) ([]types.RepositoryCreationTemplate, error) {
	var out []types.RepositoryCreationTemplate
	p := ecr.NewDescribeRepositoryCreationTemplatesPaginator(c.ECR, &ecr.DescribeRepositoryCreationTemplatesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, func(o *ecr.Options) { o.RetryMaxAttempts = 2 })
		if err != nil {
			var api smithy.APIError
			if errors.As(err, &api) && (api.ErrorCode() == "UnknownOperationException" || api.ErrorCode() == "InvalidAction" || api.ErrorCode() == "NotImplemented") {
				return nil, unsupported{err}
			}
			if isServerFault(err) {
				return nil, unsupported{err}
			}
			return nil, err
		}
		out = append(out, page.RepositoryCreationTemplates...)
	}
	return out, nil
}

// isServerFault reports a 5xx answer without an API error code (moto's
// HTML 500 for an operation it lacks): a 5xx whose body isn't the API's
// JSON, or a server fault without an exception's code.
func isServerFault(err error) bool {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() >= 500 && isDeserialization(err) {
		return true
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorFault() == smithy.FaultServer && !strings.HasSuffix(api.ErrorCode(), "Exception")
	}
	return false
}

// Tags returns a repository's resource tags (ListTagsForResource), by its
// ARN, as a map; for ecr-cdk adopt --live.
func (c *Clients) Tags(ctx context.Context, repositoryARN string) (map[string]string, error) {
	out, err := c.ECR.ListTagsForResource(ctx, &ecr.ListTagsForResourceInput{ResourceArn: aws.String(repositoryARN)})
	if err != nil {
		return nil, err
	}
	tags := make(map[string]string, len(out.Tags))
	for _, t := range out.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags, nil
}
