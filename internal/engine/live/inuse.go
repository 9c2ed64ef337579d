package live

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// ImageRef is an image of an ECR repository that something runs.
type ImageRef struct {
	// Registry is the account id of the image's registry.
	Registry string
	// Region is the Region of the registry.
	Region string
	// Repository is the repository's name.
	Repository string
	// Tag is the tag the reference names, "" when it names a digest only.
	Tag string
	// Digest is the digest it names or resolves to, "" when unknown.
	Digest string
	// User says what uses it: "ecs:CLUSTER/SERVICE (TASKDEF:REV)" or
	// "lambda:FUNCTION".
	User string
}

// ecrImage matches an ECR image reference:
// ACCOUNT.dkr.ecr(-fips).REGION.amazonaws.com(.cn)/REPO(:TAG)(@DIGEST).
var ecrImage = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|[a-z0-9.-]+)/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$`)

// ParseImage reads an ECR image reference; ok is false for images of other
// registries (Docker Hub, public.ecr.aws, ...).
func ParseImage(ref string) (ImageRef, bool) {
	m := ecrImage.FindStringSubmatch(ref)
	if m == nil {
		return ImageRef{}, false
	}
	r := ImageRef{Registry: m[1], Region: m[2], Repository: m[3], Tag: m[4], Digest: m[5]}
	if r.Tag == "" && r.Digest == "" {
		r.Tag = "latest"
	}
	return r, true
}

// ECSImages returns the ECR images of every service of every cluster of
// the Region: the task definition of each of a service's deployments (the
// primary one and any still rolling out), each container's image.
func (c *Clients) ECSImages(ctx context.Context) ([]ImageRef, error) {
	var clusters []string
	cp := ecs.NewListClustersPaginator(c.ECS, &ecs.ListClustersInput{})
	for cp.HasMorePages() {
		page, err := cp.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		clusters = append(clusters, page.ClusterArns...)
	}
	var (
		mu       sync.Mutex
		refs     []ImageRef
		firstErr error
		taskDefs = map[string][]string{} // task definition ARN → images
	)
	ForEach(ctx, len(clusters), c.Concurrency, func(ctx context.Context, i int) {
		cluster := clusters[i]
		var services []string
		sp := ecs.NewListServicesPaginator(c.ECS, &ecs.ListServicesInput{Cluster: aws.String(cluster)})
		for sp.HasMorePages() {
			page, err := sp.NextPage(ctx)
			if err != nil {
				mu.Lock()
				firstErr = first(firstErr, err)
				mu.Unlock()
				return
			}
			services = append(services, page.ServiceArns...)
		}
		for start := 0; start < len(services); start += 10 { // DescribeServices takes 10 at a time
			out, err := c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: services[start:min(start+10, len(services))]})
			if err != nil {
				mu.Lock()
				firstErr = first(firstErr, err)
				mu.Unlock()
				return
			}
			for _, s := range out.Services {
				defs := []string{aws.ToString(s.TaskDefinition)}
				for _, d := range s.Deployments {
					if td := aws.ToString(d.TaskDefinition); td != "" && td != defs[0] {
						defs = append(defs, td)
					}
				}
				for _, td := range defs {
					if td == "" {
						continue
					}
					mu.Lock()
					images, seen := taskDefs[td]
					mu.Unlock()
					if !seen {
						out, err := c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(td)})
						if err != nil {
							mu.Lock()
							firstErr = first(firstErr, err)
							mu.Unlock()
							return
						}
						for _, cd := range out.TaskDefinition.ContainerDefinitions {
							images = append(images, aws.ToString(cd.Image))
						}
						mu.Lock()
						taskDefs[td] = images
						mu.Unlock()
					}
					user := "ecs:" + lastSegment(cluster) + "/" + aws.ToString(s.ServiceName) + " (" + lastSegment(td) + ")"
					for _, im := range images {
						if r, ok := ParseImage(im); ok {
							r.User = user
							mu.Lock()
							refs = append(refs, r)
							mu.Unlock()
						}
					}
				}
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, firstErr
	}
	sortRefs(refs)
	return refs, nil
}

// LambdaImages returns the images of the Region's Lambda functions whose
// package type is Image: the URI deployed and the digest Lambda resolved it
// to (GetFunction's Code.ImageUri and Code.ResolvedImageUri).
func (c *Clients) LambdaImages(ctx context.Context) ([]ImageRef, error) {
	var names []string
	p := lambda.NewListFunctionsPaginator(c.Lambda, &lambda.ListFunctionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, f := range page.Functions {
			if f.PackageType == lambdatypes.PackageTypeImage {
				names = append(names, aws.ToString(f.FunctionName))
			}
		}
	}
	var (
		mu       sync.Mutex
		refs     []ImageRef
		firstErr error
	)
	ForEach(ctx, len(names), c.Concurrency, func(ctx context.Context, i int) {
		out, err := c.Lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(names[i])})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			firstErr = first(firstErr, err)
			return
		}
		if out.Code == nil {
			return
		}
		r, ok := ParseImage(aws.ToString(out.Code.ImageUri))
		if resolved, rok := ParseImage(aws.ToString(out.Code.ResolvedImageUri)); rok {
			if !ok {
				r, ok = resolved, true
			}
			if resolved.Digest != "" {
				r.Digest = resolved.Digest
			}
		}
		if ok {
			r.User = "lambda:" + names[i]
			refs = append(refs, r)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, firstErr
	}
	sortRefs(refs)
	return refs, nil
}

func first(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func lastSegment(arn string) string {
	if i := strings.LastIndex(arn, "/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func sortRefs(refs []ImageRef) {
	sort.Slice(refs, func(i, j int) bool {
		a, b := refs[i], refs[j]
		if a.Repository != b.Repository {
			return a.Repository < b.Repository
		}
		if a.User != b.User {
			return a.User < b.User
		}
		return a.Tag+a.Digest < b.Tag+b.Digest
	})
}
