package ecr_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/organization"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// jsiiProxyPrefix is the name prefix that makes jsii-runtime-go skip its
// interface discovery for a Go type (see jsiiProxy_repository); the
// staticcheck exceptions (ST1003) for the library's construct types rest
// on it.
const jsiiProxyPrefix = "jsiiProxy_"

// TestJsiiProxyNames is the one place the library relies on jsii-runtime-go
// skipping its interface discovery for types named jsiiProxy_…: it fails
// when a construct of the library gets another name, and when the
// jsii-runtime-go in go.mod no longer skips that name.
func TestJsiiProxyNames(t *testing.T) {
	stack := cdktest.NewStack(t)
	reg := registry.New(stack, jsii.String("Registry"), &registry.Props{ReplicationSourceAccounts: []string{"111122223333"}})
	set := organization.NewBaselineStackSet(cdktest.NewStack(t), jsii.String("Set"), &organization.BaselineStackSetProps{
		Registry:            &registry.Props{},
		OrganizationalUnits: []string{"ou-ab12-11111111"},
		Regions:             []string{"eu-west-1"},
	})
	for name, c := range map[string]any{
		"ecr.NewRepository":                          ecr.NewRepository(stack, jsii.String("Repo"), nil),
		"ecr.NewPublicRepository":                    ecr.NewPublicRepository(stack, jsii.String("Public"), nil),
		"registry.New":                               reg,
		"registry.Registry.Policy":                   reg.Policy(),
		"registry.NewRepositoryCreationTemplate":     registry.NewRepositoryCreationTemplate(stack, jsii.String("Template"), &registry.RepositoryCreationTemplateProps{Prefix: jsii.String("team")}),
		"registry.NewPullThroughCacheRule":           registry.NewPullThroughCacheRule(stack, jsii.String("Cache"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay, NoCreationTemplate: jsii.Bool(true)}),
		"organization.NewBaselineStackSet":           set,
		"registry.NewPolicy (in a stack of its own)": registry.NewPolicy(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Policy"), nil), jsii.String("Policy"), nil),
	} {
		if n := reflect.TypeOf(c).Elem().Name(); !strings.HasPrefix(n, jsiiProxyPrefix) {
			t.Errorf("%s returns a %s: name it %s… so jsii-runtime-go skips its interface discovery (see jsiiProxy_repository)", name, n, jsiiProxyPrefix)
		}
	}

	// The jsii-runtime-go that go.mod selects: DiscoverImplementation, the
	// costly scan runtime.Create runs on every object created, must return
	// at once for the prefix.
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/jsii-runtime-go").Output()
	if err != nil {
		t.Fatalf("go list can't locate jsii-runtime-go: %v", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "internal", "typeregistry", "discover-implemented.go")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("jsii-runtime-go moved its interface discovery (%v): check that types named %s… still skip it, and update this test and the doc comment of jsiiProxy_repository", err, jsiiProxyPrefix)
	}
	body := string(src)
	if i := strings.Index(body, "func (t *TypeRegistry) DiscoverImplementation("); i < 0 ||
		!strings.HasPrefix(strings.TrimSpace(body[strings.Index(body[i:], "{")+i+1:]), `if strings.HasPrefix(vt.Name(), "`+jsiiProxyPrefix+`") {`) {
		t.Errorf("%s no longer returns at once for types named %s…: the library's constructs would pay the interface discovery on every object (BenchmarkSynth); rename them or drop the ST1003 exceptions, and update the doc comment of jsiiProxy_repository", file, jsiiProxyPrefix)
	}
}
