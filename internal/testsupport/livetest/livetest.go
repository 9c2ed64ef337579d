// Package livetest seeds moto's server (internal/testsupport/motoserver) through the
// SDK for the live readers' tests: repositories, OCI and Docker image
// manifests and manifest lists, tags, policies, ECS services and Lambda
// image functions.
package livetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/motoserver"
)

// Account is moto's default account id.
const Account = "123456789012"

// Seeder seeds one server.
type Seeder struct {
	T       testing.TB
	Clients *live.Clients
	URL     string
	Ctx     context.Context
}

// New points the environment at url (t.Setenv) and makes clients for it.
func New(t testing.TB, url string) *Seeder {
	t.Helper()
	motoserver.SetEnv(t, url)
	ctx := context.Background()
	c, err := live.Load(ctx, live.Options{Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	return &Seeder{T: t, Clients: c, URL: url, Ctx: ctx}
}

// Fresh empties the server and returns a seeder for it: what each test of
// a package that shares one server starts with.
func Fresh(t testing.TB, server *motoserver.Server) *Seeder {
	t.Helper()
	if err := server.Reset(); err != nil {
		t.Fatal(err)
	}
	return New(t, server.URL)
}

// KeepTen is a lifecycle policy that keeps the ten most recent images.
const KeepTen = `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}`

// OrgOnly is a repository policy that lets one organization's principals
// pull, and nothing else.
const OrgOnly = `{"Version":"2012-10-17","Statement":[{"Sid":"Org","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}`

// GoneKey is a KMS key ARN no key of the server has.
const GoneKey = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"

// Compliant returns the input of a repository that passes the compliance
// pack's repository controls, encrypted with GoneKey (whose manager can't
// be read; give it a key of Key for one that can).
func Compliant() *ecr.CreateRepositoryInput {
	return &ecr.CreateRepositoryInput{
		ImageTagMutability:         ecrtypes.ImageTagMutabilityImmutable,
		ImageScanningConfiguration: &ecrtypes.ImageScanningConfiguration{ScanOnPush: true},
		EncryptionConfiguration:    &ecrtypes.EncryptionConfiguration{EncryptionType: ecrtypes.EncryptionTypeKms, KmsKey: aws.String(GoneKey)},
	}
}

// Key creates a customer managed KMS key, without a key policy (moto
// 5.2.1 answers DescribeKey with an error for a key created with one), and
// returns its ARN.
func (s *Seeder) Key(description string) string {
	s.T.Helper()
	out, err := s.Clients.KMS.CreateKey(s.Ctx, &kms.CreateKeyInput{Description: aws.String(description)})
	if err != nil {
		s.T.Fatalf("create key %s: %v", description, err)
	}
	return aws.ToString(out.KeyMetadata.Arn)
}

// Repo creates a repository.
func (s *Seeder) Repo(name string, in *ecr.CreateRepositoryInput) {
	s.T.Helper()
	if in == nil {
		in = &ecr.CreateRepositoryInput{}
	}
	in.RepositoryName = aws.String(name)
	if _, err := s.Clients.ECR.CreateRepository(s.Ctx, in); err != nil {
		s.T.Fatalf("create %s: %v", name, err)
	}
}

func digestOf(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// MediaTypes of manifests.
const (
	OCIManifest    = "application/vnd.oci.image.manifest.v1+json"
	DockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	OCIIndex       = "application/vnd.oci.image.index.v1+json"
)

// Manifest returns an image manifest of mediaType, unique for seed, with a
// config blob and one layer of layerSize bytes.
func Manifest(mediaType string, seed string, layerSize int64) string {
	config, layerType := "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip"
	if mediaType == DockerManifest {
		config, layerType = "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip"
	}
	return fmt.Sprintf(`{"schemaVersion":2,"mediaType":%q,"config":{"mediaType":%q,"digest":%q,"size":%d},"layers":[{"mediaType":%q,"digest":%q,"size":%d}]}`,
		mediaType, config, digestOf("config "+seed), 1000+len(seed), layerType, digestOf("layer "+seed), layerSize)
}

// Put pushes a manifest with a tag ("" for none) and returns its digest.
func (s *Seeder) Put(repo, tag, mediaType, manifest string) string {
	s.T.Helper()
	// The digest is given: moto 5.2.1 otherwise derives it from the layers'
	// digests (and picks one of 101 at random for a manifest list), not from
	// the manifest as ECR does.
	in := &ecr.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(manifest), ImageManifestMediaType: aws.String(mediaType), ImageDigest: aws.String(digestOf(manifest))}
	if tag != "" {
		in.ImageTag = aws.String(tag)
	}
	out, err := s.Clients.ECR.PutImage(s.Ctx, in)
	if err != nil {
		s.T.Fatalf("put %s:%s: %v", repo, tag, err)
	}
	return aws.ToString(out.Image.ImageId.ImageDigest)
}

// Index pushes an OCI image index of children (image manifest digests).
func (s *Seeder) Index(repo, tag string, children ...string) string {
	s.T.Helper()
	text := `{"schemaVersion":2,"mediaType":"` + OCIIndex + `","manifests":[`
	for i, c := range children {
		if i > 0 {
			text += ","
		}
		text += fmt.Sprintf(`{"mediaType":%q,"digest":%q,"size":500,"platform":{"architecture":"arch%d","os":"linux"}}`, OCIManifest, c, i)
	}
	text += "]}"
	return s.Put(repo, tag, OCIIndex, text)
}

// Images pushes n images to repo, workers at a time; tag(i) names image
// i's tag ("" for none). OCI and Docker manifests alternate.
func (s *Seeder) Images(repo string, n int, tag func(i int) string) {
	s.T.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 8)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			mt := OCIManifest
			if i%2 == 1 {
				mt = DockerManifest
			}
			text := Manifest(mt, fmt.Sprintf("%s/%d", repo, i), int64(1<<20+i))
			in := &ecr.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(text), ImageManifestMediaType: aws.String(mt), ImageDigest: aws.String(digestOf(text))}
			if t := tag(i); t != "" {
				in.ImageTag = aws.String(t)
			}
			if _, err := s.Clients.ECR.PutImage(s.Ctx, in); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		s.T.Fatalf("put images in %s: %v", repo, err)
	}
}

// LifecyclePolicy sets a repository's lifecycle policy (moto 5.2.1 accepts
// only sinceImagePushed and imageCountMoreThan rules that expire).
func (s *Seeder) LifecyclePolicy(repo, text string) {
	s.T.Helper()
	if _, err := s.Clients.ECR.PutLifecyclePolicy(s.Ctx, &ecr.PutLifecyclePolicyInput{RepositoryName: aws.String(repo), LifecyclePolicyText: aws.String(text)}); err != nil {
		s.T.Fatalf("lifecycle policy of %s: %v", repo, err)
	}
}

// RepositoryPolicy sets a repository's policy.
func (s *Seeder) RepositoryPolicy(repo, text string) {
	s.T.Helper()
	if _, err := s.Clients.ECR.SetRepositoryPolicy(s.Ctx, &ecr.SetRepositoryPolicyInput{RepositoryName: aws.String(repo), PolicyText: aws.String(text)}); err != nil {
		s.T.Fatalf("repository policy of %s: %v", repo, err)
	}
}

// ScanAll sets registry scanning of every repository on push.
func (s *Seeder) ScanAll() {
	s.T.Helper()
	_, err := s.Clients.ECR.PutRegistryScanningConfiguration(s.Ctx, &ecr.PutRegistryScanningConfigurationInput{
		ScanType: ecrtypes.ScanTypeBasic,
		Rules: []ecrtypes.RegistryScanningRule{{ScanFrequency: ecrtypes.ScanFrequencyScanOnPush,
			RepositoryFilters: []ecrtypes.ScanningRepositoryFilter{{Filter: aws.String("*"), FilterType: ecrtypes.ScanningRepositoryFilterTypeWildcard}}}},
	})
	if err != nil {
		s.T.Fatalf("registry scanning: %v", err)
	}
}

// URI is the image URI of repo:tag in moto's registry.
func URI(repo, tag string) string {
	return Account + ".dkr.ecr.us-east-1.amazonaws.com/" + repo + ":" + tag
}

// Service creates cluster (if new), a task definition of image and a
// service running it.
func (s *Seeder) Service(cluster, service, image string) {
	s.T.Helper()
	if _, err := s.Clients.ECS.CreateCluster(s.Ctx, &ecs.CreateClusterInput{ClusterName: aws.String(cluster)}); err != nil {
		s.T.Fatalf("cluster %s: %v", cluster, err)
	}
	td, err := s.Clients.ECS.RegisterTaskDefinition(s.Ctx, &ecs.RegisterTaskDefinitionInput{
		Family:               aws.String(service),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String(image), Memory: aws.Int32(128)}},
	})
	if err != nil {
		s.T.Fatalf("task definition %s: %v", service, err)
	}
	if _, err := s.Clients.ECS.CreateService(s.Ctx, &ecs.CreateServiceInput{
		Cluster: aws.String(cluster), ServiceName: aws.String(service), TaskDefinition: td.TaskDefinition.TaskDefinitionArn, DesiredCount: aws.Int32(1),
	}); err != nil {
		s.T.Fatalf("service %s: %v", service, err)
	}
}

// Function creates a Lambda function of package type Image.
func (s *Seeder) Function(name, image string) {
	s.T.Helper()
	// moto checks that the role exists; IAM's query API, unsigned (moto
	// doesn't check signatures), saves the IAM SDK module.
	form := url.Values{"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {"lambda-" + name},
		"AssumeRolePolicyDocument": {`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}}
	req, _ := http.NewRequestWithContext(s.Ctx, http.MethodPost, s.URL+"/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		s.T.Fatalf("role for %s: %v", name, err)
	}
	resp.Body.Close()
	role := "arn:aws:iam::" + Account + ":role/lambda-" + name
	if _, err := s.Clients.Lambda.CreateFunction(s.Ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), PackageType: lambdatypes.PackageTypeImage,
		Code: &lambdatypes.FunctionCode{ImageUri: aws.String(image)}, Role: aws.String(role),
		Timeout: aws.Int32(3),
	}); err != nil {
		s.T.Fatalf("function %s: %v", name, err)
	}
}

// Since is a small helper for timing seeds in logs.
func Since(t testing.TB, what string, start time.Time) {
	t.Logf("%s: %s", what, time.Since(start).Round(time.Millisecond))
}
