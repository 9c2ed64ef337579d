package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// embeddedTemplates are golden templates of the examples that are not stacks
// of the app, with the reason.
var embeddedTemplates = map[string]string{
	"EcrOrganizationBaseline": "the template the organization example's stack set deploys to every member account",
	"EcrAdoption":             "the adoption example's import template: the repositories exactly as they exist, which fail the compliance pack until the upgrade, pinned to the inventory's account",
	"EcrAdoptionUpgraded":     "the adoption example's upgrade, deployed after the import, pinned to the inventory's account",
}

// Every stack of the root app is one an example's test synthesizes and
// compares with its golden template, and the other way round (but for the
// templates listed in embeddedTemplates).
func TestAppComposesEveryExampleStack(t *testing.T) {
	if os.Getenv("UPDATE_SNAPS") != "" {
		t.Skip("golden templates are being rewritten by the examples' own tests")
	}
	var names []string
	for _, stack := range Stacks(awscdk.NewApp(nil)) {
		names = append(names, *stack.StackName())
	}
	slices.Sort(names)
	golden, err := filepath.Glob("*/testdata/*_1.snap.json")
	if err != nil {
		t.Fatal(err)
	}
	var covered []string
	for _, f := range golden {
		name := filepath.Base(f)[:len(filepath.Base(f))-len("_1.snap.json")]
		if _, embedded := embeddedTemplates[name]; !embedded {
			covered = append(covered, name)
		}
	}
	slices.Sort(covered)
	if !slices.Equal(names, covered) {
		t.Errorf("the app composes %q but the examples' golden templates are %q", names, covered)
	}
	if _, err := os.Stat("README.md"); err != nil {
		t.Error("examples/README.md is missing")
	}
}

// The app of `make synth`, every example stack in one app, synthesizes each
// stack exactly as the example's own test does alone: its template matches
// the example's golden file. A check that runs over the whole app (the
// protection of the images the app deploys, the registry's singletons)
// must never carry one stack's settings into another.
func TestComposedAppMatchesEachExample(t *testing.T) {
	if os.Getenv("UPDATE_SNAPS") != "" {
		t.Skip("golden templates are being rewritten by the examples' own tests")
	}
	golden, err := filepath.Glob("*/testdata/*_1.snap.json")
	if err != nil {
		t.Fatal(err)
	}
	dirOf := map[string]string{} // stack name -> the example's testdata
	for _, f := range golden {
		dirOf[strings.TrimSuffix(filepath.Base(f), "_1.snap.json")] = filepath.Dir(f)
	}
	app := cdktest.NewApp(t, &cdktest.AppOptions{SkipNag: true})
	stacks := Stacks(app)
	asm := cdktest.Synth(t, app)
	for _, stack := range stacks {
		name := *stack.StackName()
		dir, ok := dirOf[name]
		if !ok {
			t.Errorf("%s: no golden template (TestAppComposesEveryExampleStack says which)", name)
			continue
		}
		cdktest.MatchGoldenIn(t, dir, name, asm.Template(t, name))
	}
}
