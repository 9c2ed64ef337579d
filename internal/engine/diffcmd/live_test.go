package diffcmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/motoserver"
)

var server *motoserver.Server

func TestMain(m *testing.M) {
	os.Setenv(live.MaxBackoffEnv, "100ms") // retries are tested, not waited for
	motoserver.Main(m, &server)
}

func seeder(t *testing.T) *livetest.Seeder {
	t.Helper()
	return livetest.Fresh(t, server)
}

// repositoryTemplate is a template of one repository named team/web that
// keeps its n newest images.
func repositoryTemplate(n int) string {
	policy := fmt.Sprintf(`{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":%d},\"action\":{\"type\":\"expire\"}}]}`, n)
	return `{"Resources":{"Web":{"Type":"AWS::ECR::Repository","DeletionPolicy":"Retain","UpdateReplacePolicy":"Retain",` +
		`"Properties":{"RepositoryName":"team/web","LifecyclePolicy":{"LifecyclePolicyText":"` + policy + `"}}}}}`
}

// diff --live-images reads the images of the repository whose policy
// changes from the account (moto here) and reports what the new policy
// expires that the old one keeps.
func TestDiffLiveImages(t *testing.T) {
	s := seeder(t)
	s.Repo("team/web", nil)
	s.Images("team/web", 10, func(i int) string { return fmt.Sprintf("v%d", i) })
	dir := t.TempDir()
	for name, text := range map[string]string{"old.json": repositoryTemplate(10), "new.json": repositoryTemplate(3)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCmd(t, "diff", filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json"), "--live-images")
	if code != cli.ExitRefused || !strings.Contains(out, "lifecycle-impact") || !strings.Contains(out, "over the 10 images of team/web") || !strings.Contains(out, "expires 7 images") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// Without the images, the impact is a note.
	if code, out, _ := runCmd(t, "diff", filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")); code != cli.ExitOK || !strings.Contains(out, "needs the repository's images") {
		t.Errorf("without images: exit %d, %s", code, out)
	}
	if code, _, errOut := runCmd(t, "diff", filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json"), "--profile", "x"); code != cli.ExitUsage || !strings.Contains(errOut, "go with --live-images") {
		t.Errorf("--profile without --live-images: exit %d, %s", code, errOut)
	}
}

// A repository of the templates missing from the account is a note, and
// the others are still read and reported.
func TestDiffLiveImagesMissingRepository(t *testing.T) {
	s := seeder(t)
	s.Repo("team/web", nil)
	s.Images("team/web", 10, func(i int) string { return fmt.Sprintf("v%d", i) })
	// team/gone, declared beside team/web, is not in the account.
	both := func(n int) string {
		web := strings.TrimSuffix(strings.TrimPrefix(repositoryTemplate(n), `{"Resources":{"Web":`), "}}")
		return `{"Resources":{"Web":` + web + `,"Gone":` + strings.ReplaceAll(web, "team/web", "team/gone") + "}}"
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"old.json": both(10), "new.json": both(3)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCmd(t, "diff", filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json"), "--live-images")
	gone := "new/Gone (AWS::ECR::Repository): note: lifecycle-impact: the lifecycle policy changes; what it expires is unknown: its images couldn't be read: the repository team/gone is not in the registry in us-east-1 (--live-images)\n"
	if code != cli.ExitRefused || !strings.Contains(out, gone) || !strings.Contains(out, "over the 10 images of team/web") || !strings.Contains(out, "expires 7 images") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if strings.Contains(errOut, "team/gone") {
		t.Errorf("stderr names team/gone, the report does: %s", errOut)
	}
}
