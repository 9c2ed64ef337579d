package auditcmd

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/cfn"
)

// declaration is an AWS::ECR::Repository of a template.
type declaration struct {
	File       string
	LogicalID  string
	Properties map[string]any
}

// propertyDrift is one property that differs between a template and the
// account.
type propertyDrift struct {
	File       string `json:"template"`
	LogicalID  string `json:"logicalId"`
	Repository string `json:"repositoryName,omitempty"`
	Property   string `json:"property"`
	Template   string `json:"declared"`
	Account    string `json:"account"`
}

// readTemplates reads the repositories of a template, or of every stack
// of a cloud assembly directory such as cdk.out (internal/library/cfn reads both;
// a directory without manifest.json, its *.template.json files), nested
// stacks whose template is a file of the assembly included, named
// NESTED_STACK/LOGICAL_ID. The repositories of stack sets' templates are
// left out: they are deployed to the stack sets' accounts and Regions.
func readTemplates(p string) ([]declaration, error) {
	stacks, err := cfn.Read(p)
	if err != nil {
		return nil, fmt.Errorf("--template %s: %v", p, err)
	}
	var out []declaration
	for _, s := range stacks {
		resources, err := s.Resources()
		if err != nil {
			return nil, fmt.Errorf("--template %s: %v", p, err)
		}
		for _, r := range resources {
			if r.Type == "AWS::ECR::Repository" && !r.InStackSet {
				out = append(out, declaration{File: s.File, LogicalID: r.Path, Properties: r.Properties})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--template %s: declares no AWS::ECR::Repository", p)
	}
	return out, nil
}

// get returns the value at a dotted path of properties.
func get(props map[string]any, path string) (any, bool) {
	var v any = props
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// normalJSON returns a policy document (text or object) in one
// canonical form; ok is false when it isn't JSON.
func normalJSON(v any) (any, bool) {
	if s, isString := v.(string); isString {
		var doc any
		if json.Unmarshal([]byte(s), &doc) != nil {
			return nil, false
		}
		return doc, true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	var doc any
	return doc, json.Unmarshal(b, &doc) == nil
}

func short(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case nil:
		return "(none)"
	default:
		b, _ := json.Marshal(v)
		s = string(b)
	}
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// compare compares each declared repository with the account's, by
// its RepositoryName: tag mutability, scan on push, encryption, lifecycle
// policy text and repository policy. A repository the selection didn't
// read is read by name. Values only a deployment resolves (Ref, Fn::*)
// are not compared, and say so.
func compare(ctx context.Context, c *live.Clients, declared []declaration, states []live.RepositoryState) ([]propertyDrift, error) {
	byName := map[string]*live.RepositoryState{}
	for i := range states {
		byName[states[i].Name()] = &states[i]
	}
	var out []propertyDrift
	for _, d := range declared {
		add := func(name, property, declared, account string) {
			out = append(out, propertyDrift{File: d.File, LogicalID: d.LogicalID, Repository: name, Property: property, Template: declared, Account: account})
		}
		nameValue, _ := get(d.Properties, "RepositoryName")
		name, literal := nameValue.(string)
		if !literal {
			add("", "RepositoryName", short(nameValue), "not compared: the template gives no literal RepositoryName, so the repository can't be found in the account")
			continue
		}
		s := byName[name]
		if s == nil {
			states, err := c.RepositoryStates(ctx, live.Selection{Name: name})
			switch {
			case live.IsNotFound(err):
				add(name, "RepositoryName", name, "(no such repository)")
				continue
			case err != nil:
				return nil, err
			}
			s = &states[0]
		}
		if s.Err != nil {
			return nil, fmt.Errorf("%s: %w", name, s.Err)
		}
		r := &s.Repository
		// Tag mutability; CloudFormation's default is MUTABLE.
		if v, ok := get(d.Properties, "ImageTagMutability"); ok && cfn.HasFunction(v) {
			add(name, "ImageTagMutability", short(v), "not compared: resolved at deployment")
		} else {
			want := "MUTABLE"
			if ok {
				want = fmt.Sprint(v)
			}
			if got := string(r.ImageTagMutability); got != want {
				add(name, "ImageTagMutability", want, got)
			}
		}
		// Scan on push; default false.
		want := false
		if v, ok := get(d.Properties, "ImageScanningConfiguration.ScanOnPush"); ok {
			want = v == true || v == "true"
		}
		if got := r.ImageScanningConfiguration != nil && r.ImageScanningConfiguration.ScanOnPush; got != want {
			add(name, "ImageScanningConfiguration.ScanOnPush", fmt.Sprint(want), fmt.Sprint(got))
		}
		// Encryption; default AES256. A key is compared when literal.
		wantType := "AES256"
		if v, ok := get(d.Properties, "EncryptionConfiguration.EncryptionType"); ok {
			wantType = fmt.Sprint(v)
		}
		gotType, gotKey := "AES256", ""
		if r.EncryptionConfiguration != nil {
			gotType, gotKey = string(r.EncryptionConfiguration.EncryptionType), aws.ToString(r.EncryptionConfiguration.KmsKey)
		}
		if gotType != wantType {
			add(name, "EncryptionConfiguration.EncryptionType", wantType, gotType)
		}
		if v, ok := get(d.Properties, "EncryptionConfiguration.KmsKey"); ok {
			if key, literal := v.(string); !literal {
				add(name, "EncryptionConfiguration.KmsKey", short(v), "not compared: resolved at deployment (account: "+gotKey+")")
			} else if gotKey != key && !strings.HasSuffix(gotKey, "/"+key) && !strings.HasSuffix(gotKey, ":"+key) {
				add(name, "EncryptionConfiguration.KmsKey", key, gotKey)
			}
		}
		// Lifecycle policy text.
		lp, declaredLP := get(d.Properties, "LifecyclePolicy.LifecyclePolicyText")
		comparePolicy(add, name, "LifecyclePolicy.LifecyclePolicyText", lp, declaredLP, s.LifecyclePolicy)
		// Repository policy: a cdk import whose template left it out keeps
		// the account's policy until an update removes it.
		rp, declaredRP := get(d.Properties, "RepositoryPolicyText")
		comparePolicy(add, name, "RepositoryPolicyText", rp, declaredRP, s.RepositoryPolicy)
	}
	return out, nil
}

func comparePolicy(add func(name, property, declared, account string), name, property string, v any, declared bool, p live.Policy) {
	switch {
	case !declared && !p.Found:
	case !declared:
		add(name, property, "(none)", "a policy the template doesn't declare: "+short(p.Text))
	case cfn.HasFunction(v):
		add(name, property, short(v), "not compared: resolved at deployment")
	case !p.Found:
		add(name, property, short(v), "(none)")
	default:
		want, ok1 := normalJSON(v)
		got, ok2 := normalJSON(p.Text)
		if !ok1 || !ok2 || !reflect.DeepEqual(want, got) {
			add(name, property, short(v), short(p.Text))
		}
	}
}

func writeDrift(w *bufio.Writer, drift []propertyDrift) {
	if len(drift) == 0 {
		w.WriteString("No drift: the account has what the templates declare.\n")
		return
	}
	fmt.Fprintf(w, "\nDrift (%d properties):\n", len(drift))
	for _, d := range drift {
		name := d.Repository
		if name == "" {
			name = "?"
		}
		fmt.Fprintf(w, "%s %s (%s): %s: declared %s, account %s\n", filepath.Base(d.File), d.LogicalID, name, d.Property, d.Template, d.Account)
	}
}
