package organization

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// baselineStackName is the name of the stack the baseline is built in; it
// shows in construct paths of problems found in the baseline.
const baselineStackName = "Baseline"

// baseline is a synthesized baseline template.
type baseline struct {
	body string         // the template, compact JSON
	doc  map[string]any // the template, decoded
	file string         // the template's file, in dir
	dir  string         // the baseline's cloud assembly: remove it once done
}

// synthesizeBaseline builds the baseline in an app of its own, with the
// feature flags of scope's app, in a stack that needs no bootstrap stack
// (BootstraplessSynthesizer: no bootstrap version parameter, and no assets),
// and returns its template. What a stack set can't deploy — assets, other
// stacks' exports — is recorded in p. A validation error of the library
// raised while the baseline is built propagates as it is.
func synthesizeBaseline(scope constructs.Construct, build func(awscdk.Stack), p *validation.Collector) *baseline {
	dir, err := os.MkdirTemp("", "ecr-baseline-")
	if err != nil {
		p.Add("Baseline", nil, "can't be synthesized: "+err.Error())
		return nil
	}
	// The cloud assembly is only needed until the template is read; the
	// template itself goes as a file asset when it is too large, which CDK
	// copies into the app's own assembly when the asset is created.
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(dir)
		}
	}()
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:             jsii.String(dir),
		Context:            featureFlags(scope),
		AnalyticsReporting: jsii.Bool(false),
	})
	stack := awscdk.NewStack(app, jsii.String(baselineStackName), &awscdk.StackProps{
		Synthesizer: awscdk.NewBootstraplessSynthesizer(nil),
	})
	if why := refusal(func() { build(stack) }); why != "" {
		p.Add("Baseline", nil, why)
		return nil
	}
	if why := refusal(func() { app.Synth(nil) }); why != "" {
		p.Add("Baseline", nil, why)
		return nil
	}
	file := filepath.Join(dir, baselineStackName+".template.json")
	data, err := os.ReadFile(file)
	if err != nil {
		p.Add("Baseline", nil, "has no template: "+err.Error())
		return nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		p.Add("Baseline", nil, "template is not JSON: "+err.Error())
		return nil
	}
	b := &baseline{body: compact.String(), file: file, dir: dir}
	keep = true
	if err := json.Unmarshal(data, &b.doc); err != nil {
		p.Add("Baseline", nil, "template is not JSON: "+err.Error())
		return nil
	}
	if bytes.Contains(data, []byte(`"Fn::ImportValue"`)) {
		p.Add("Baseline", nil, "imports another stack's export (Fn::ImportValue); a stack set deploys it to accounts where that stack doesn't exist: pass the value as a parameter instead")
	}
	if b.Resources() == 0 {
		p.Add("Baseline", nil, "builds no resource; give it the registry baseline (registry.New) or other constructs")
	}
	return b
}

// refusal runs f and returns why the baseline can't be deployed by a stack
// set when f panics with one of CDK's errors that cdkRefusal recognizes,
// "" when f returns. Other panics, validation errors of this library among
// them, propagate.
func refusal(f func()) (why string) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		err, ok := v.(error)
		if !ok || validation.List(err) != nil {
			panic(v)
		}
		first, _, _ := strings.Cut(err.Error(), "\n")
		says := fmt.Sprintf("CDK says %q", first)
		switch cdkRefusal(first) {
		case cdkValidationFailed:
			why = "fails CDK's validation (the findings are printed above, and are in the baseline's validation report): " + says
		case cdkNeedsAssets:
			why = "needs assets (files, Lambda code, Docker images), which a stack set can't deploy: " + says
		case cdkReferencesOutside:
			why = "references a construct outside the baseline, which a stack set can't deploy: pass the value as a parameter instead; " + says
		default:
			panic(v)
		}
	}()
	f()
	return ""
}

// featureFlags returns the feature flags of scope's app (context keys that
// start with "@"), so the baseline synthesizes like the rest of the app.
func featureFlags(scope constructs.Construct) *map[string]any {
	flags := map[string]any{}
	if all, ok := scope.Node().GetAllContext(nil).(map[string]any); ok {
		for k, v := range all {
			if strings.HasPrefix(k, "@") {
				flags[k] = v
			}
		}
	}
	return &flags
}

// Resources returns how many resources the baseline declares.
func (b *baseline) Resources() int {
	resources, _ := b.doc["Resources"].(map[string]any)
	return len(resources)
}

// parameters returns the baseline's parameters and whether each has a
// default.
func (b *baseline) parameters() map[string]bool {
	out := map[string]bool{}
	params, _ := b.doc["Parameters"].(map[string]any)
	for name, p := range params {
		def, _ := p.(map[string]any)
		_, hasDefault := def["Default"]
		out[name] = hasDefault
	}
	return out
}

// capabilities returns the capabilities the template needs: CAPABILITY_IAM
// for IAM resources, CAPABILITY_NAMED_IAM when one of them has a name, and
// CAPABILITY_AUTO_EXPAND for a template with a Transform.
func (b *baseline) capabilities() []string {
	resources, _ := b.doc["Resources"].(map[string]any)
	iam, named := false, false
	for _, r := range resources {
		res, _ := r.(map[string]any)
		typ, _ := res["Type"].(string)
		if !strings.HasPrefix(typ, "AWS::IAM::") {
			continue
		}
		iam = true
		props, _ := res["Properties"].(map[string]any)
		for _, k := range []string{"RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"} {
			if _, ok := props[k]; ok {
				named = true
			}
		}
	}
	var caps []string
	switch {
	case named:
		caps = append(caps, "CAPABILITY_NAMED_IAM")
	case iam:
		caps = append(caps, "CAPABILITY_IAM")
	}
	if _, transform := b.doc["Transform"]; transform {
		caps = append(caps, "CAPABILITY_AUTO_EXPAND") // macros, such as AWS::Serverless
	}
	return caps
}
