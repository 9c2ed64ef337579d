package cdktest

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/exit"
)

// Main runs a package's tests and closes the jsii runtime once at the end.
//
// The runtime's Node.js is chosen when the CDK packages initialise, before
// TestMain runs, so it can't be switched here: `make test` puts the project's
// Node.js 22 first on PATH before `go test` starts.
func Main(m *testing.M) {
	code := m.Run()
	exit.Close()
	os.Exit(code)
}

// NewStack returns a fresh, environment-agnostic stack in its own app, with
// the output directory in the test's temporary directory.
func NewStack(t testing.TB) awscdk.Stack {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	return awscdk.NewStack(app, jsii.String("Test"), nil)
}

// Template is a synthesized template whose assertions fail the test instead
// of panicking: CDK's assertions throw, which through jsii is a panic that
// would stop every other test of the binary.
type Template struct {
	t   testing.TB
	tpl assertions.Template
}

// NewTemplate synthesizes the stack and returns its template for assertions.
func NewTemplate(t testing.TB, stack awscdk.Stack) Template {
	t.Helper()
	return Template{t: t, tpl: assertions.Template_FromStack(stack, nil)}
}

// HasResourceProperties asserts that a resource of the type has the
// properties (CDK's objectLike matching).
func (c Template) HasResourceProperties(resourceType string, props any) {
	c.t.Helper()
	defer c.fail()
	c.tpl.HasResourceProperties(jsii.String(resourceType), props)
}

// HasResource asserts that a resource of the type matches, including
// DeletionPolicy and other resource attributes.
func (c Template) HasResource(resourceType string, props any) {
	c.t.Helper()
	defer c.fail()
	c.tpl.HasResource(jsii.String(resourceType), props)
}

// ResourceCountIs asserts how many resources of the type there are.
func (c Template) ResourceCountIs(resourceType string, count int) {
	c.t.Helper()
	defer c.fail()
	c.tpl.ResourceCountIs(jsii.String(resourceType), jsii.Number(count))
}

// ResourcePropertiesCountIs asserts how many resources of the type have the
// properties.
func (c Template) ResourcePropertiesCountIs(resourceType string, props any, count int) {
	c.t.Helper()
	defer c.fail()
	c.tpl.ResourcePropertiesCountIs(jsii.String(resourceType), props, jsii.Number(count))
}

// fail turns an assertion's panic into a test failure.
func (c Template) fail() {
	if v := recover(); v != nil {
		c.t.Helper()
		c.t.Errorf("%v", v)
	}
}

// JSON returns the stack's synthesized template as plain Go values.
func JSON(t testing.TB, stack awscdk.Stack) map[string]any {
	t.Helper()
	raw := assertions.Template_FromStack(stack, nil).ToJSON()
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatalf("template is not JSON: %v", err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Panic runs f and returns the value it panicked with as an error, or nil
// when it returned normally. A panic that is not an error fails the test.
func Panic(t testing.TB, f func()) (err error) {
	t.Helper()
	defer func() {
		if v := recover(); v != nil {
			e, ok := v.(error)
			if !ok {
				t.Fatalf("panicked with %T, not an error: %v", v, v)
			}
			err = e
		}
	}()
	f()
	return nil
}

// JSONEqual fails the test when got and want differ in their JSON form.
func JSONEqual(t testing.TB, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// Resource returns the template's only resource of the type, failing the
// test when there is none or more than one.
func Resource(t testing.TB, template map[string]any, resourceType string) map[string]any {
	t.Helper()
	resources, _ := template["Resources"].(map[string]any)
	return resources[LogicalID(t, template, resourceType)].(map[string]any)
}

// LogicalID returns the logical id of the template's only resource of the
// type, failing the test when there is none or more than one.
func LogicalID(t testing.TB, template map[string]any, resourceType string) string {
	t.Helper()
	var ids []string
	resources, _ := template["Resources"].(map[string]any)
	for id, r := range resources {
		if r.(map[string]any)["Type"] == resourceType {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("want one %s, found %d: %v", resourceType, len(ids), ids)
	}
	return ids[0]
}

// Mentions reports whether the JSON form of v contains s, such as a logical
// id or an action name.
func Mentions(v any, s string) bool {
	b, _ := json.Marshal(v)
	return strings.Contains(string(b), s)
}
