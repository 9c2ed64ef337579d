package live_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/motoserver"
)

var server *motoserver.Server

// TestMain starts one moto_server for the package; it fails, with the
// instruction to install moto, when moto_server is missing.
func TestMain(m *testing.M) {
	motoserver.Main(m, &server)
}

func reset(t *testing.T) *livetest.Seeder {
	t.Helper()
	return livetest.Fresh(t, server)
}

func TestImagesFollowsEveryPage(t *testing.T) {
	s := reset(t)
	s.Repo("shop/web", nil)
	start := time.Now()
	s.Images("shop/web", 1234, func(i int) string {
		if i%3 == 0 {
			return ""
		}
		return fmt.Sprintf("v%d", i)
	})
	livetest.Since(t, "seeding 1,234 images", start)
	a := s.Put("shop/web", "", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "amd64", 10))
	b := s.Put("shop/web", "", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "arm64", 10))
	list := s.Index("shop/web", "multi", a, b)

	inv, err := s.Clients.Images(context.Background(), "shop/web", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Images) != 1237 {
		t.Errorf("read %d images, want 1,237 (two pages of 1,000)", len(inv.Images))
	}
	if len(inv.Manifests) != 1 || aws.ToString(inv.Manifests[0].ImageId.ImageDigest) != list {
		t.Errorf("manifests of lists = %d, want the one list %s", len(inv.Manifests), list)
	}
	images, manifests, err := inv.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if len(images) != 1237 || len(manifests.Lists[list]) != 2 {
		t.Errorf("preview inputs: %d images, list has %v", len(images), manifests.Lists[list])
	}
}

func TestRepositoriesAndPolicies(t *testing.T) {
	s := reset(t)
	for _, n := range []string{"team/a", "team/b", "other"} {
		s.Repo(n, &ecr.CreateRepositoryInput{Tags: []ecrtypes.Tag{{Key: aws.String("team"), Value: aws.String(n)}}})
	}
	ctx := context.Background()
	states, err := s.Clients.RepositoryStates(ctx, live.Selection{All: true})
	if err != nil || len(states) != 3 || states[0].Name() != "other" {
		t.Fatalf("states: %d, %v", len(states), err)
	}
	if tags, err := s.Clients.Tags(ctx, aws.ToString(states[1].Repository.RepositoryArn)); err != nil || tags["team"] != "team/a" {
		t.Errorf("tags %v, %v", tags, err)
	}
	repos, err := s.Clients.Repositories(ctx, live.Selection{Prefix: "team/"})
	if err != nil || len(repos) != 2 {
		t.Fatalf("prefix: %d repositories, %v", len(repos), err)
	}
	if _, err := s.Clients.Repositories(ctx, live.Selection{Prefix: "nope/"}); !errors.Is(err, live.ErrNoMatch) {
		t.Errorf("prefix matching nothing: %v", err)
	}
	_, err = s.Clients.Repositories(ctx, live.Selection{Name: "missing"})
	if !live.IsNotFound(err) {
		t.Errorf("missing name: %v", err)
	}
	if msg := live.Message(err); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "ECR DescribeRepositories: RepositoryNotFoundException") {
		t.Errorf("message = %q", msg)
	}
	p, err := s.Clients.LifecyclePolicy(ctx, "team/a")
	if err != nil || p.Found {
		t.Errorf("no policy: %+v %v", p, err)
	}
	text := `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}`
	s.LifecyclePolicy("team/a", text)
	if p, err := s.Clients.LifecyclePolicy(ctx, "team/a"); err != nil || !p.Found || p.Text != text {
		t.Errorf("policy: %+v %v", p, err)
	}
	if p, err := s.Clients.RepositoryPolicy(ctx, "team/a"); err != nil || p.Found {
		t.Errorf("repository policy: %+v %v", p, err)
	}
	if _, err := s.Clients.ScanningConfiguration(ctx); err != nil {
		t.Error(err)
	}
	// moto 5.2.1 has no creation-template API: an HTML 500, which is
	// "unsupported", not an empty list.
	if _, err := s.Clients.CreationTemplates(ctx); !errors.Is(err, live.ErrUnsupported) {
		t.Errorf("creation templates on moto: %v, want ErrUnsupported", err)
	}
}

func TestInUse(t *testing.T) {
	s := reset(t)
	s.Repo("svc", nil)
	s.Put("svc", "v1", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "v1", 10))
	s.Put("svc", "v2", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "v2", 10))
	s.Service("prod", "web", livetest.URI("svc", "v1"))
	s.Service("prod", "nginx", "public.ecr.aws/nginx/nginx:latest") // not ECR of this account: ignored
	s.Function("worker", livetest.URI("svc", "v2"))
	ctx := context.Background()
	ecsRefs, err := s.Clients.ECSImages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ecsRefs) != 1 || ecsRefs[0].Repository != "svc" || ecsRefs[0].Tag != "v1" || !strings.HasPrefix(ecsRefs[0].User, "ecs:prod/web") {
		t.Errorf("ECS images = %+v", ecsRefs)
	}
	fnRefs, err := s.Clients.LambdaImages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(fnRefs) != 1 || fnRefs[0].Tag != "v2" || fnRefs[0].User != "lambda:worker" {
		t.Errorf("Lambda images = %+v", fnRefs)
	}
}

func TestParseImage(t *testing.T) {
	r, ok := live.ParseImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app@sha256:" + strings.Repeat("a", 64))
	if !ok || r.Repository != "team/app" || r.Region != "eu-west-1" || r.Tag != "" || r.Digest == "" {
		t.Errorf("%+v %v", r, ok)
	}
	if r, ok := live.ParseImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/app"); !ok || r.Tag != "latest" {
		t.Errorf("%+v", r)
	}
	if _, ok := live.ParseImage("nginx:1.27"); ok {
		t.Error("Docker Hub image read as ECR")
	}
}

func TestLoadRefusesBadInput(t *testing.T) {
	motoserver.SetEnv(t, server.URL)
	ctx := context.Background()
	if _, err := live.Load(ctx, live.Options{Region: "us-nowhere-1"}); err == nil || !strings.Contains(err.Error(), "unknown Region") {
		t.Errorf("unknown Region: %v", err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	_, err := live.Load(ctx, live.Options{Timeout: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "no AWS credentials found by the SDK's default chain") || strings.Contains(err.Error(), "\n") {
		t.Errorf("missing credentials: %v", err)
	}
	_ = ecr.Options{}
}
