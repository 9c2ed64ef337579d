package localcmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// The read-back of a deployed stack: what its template declares, resource
// by resource, against what the account's APIs answer.

// checkDeployed reads back, through the account's own APIs, what a
// deployed stack's template declares, resource by resource: each
// repository's tag mutability, scan on push, encryption and key, lifecycle
// policy text and repository policy; each key's state, manager, rotation
// and policy; each event rule's pattern, state and targets; each role's
// trust policy and inline policies (the grants); the registry's settings.
// It returns how many
// resources it read back, and the types it can't (stubs, and types whose
// settings the round trip doesn't read).
func checkDeployed(t *testing.T, d deployedStack) (read int, notRead []string) {
	t.Helper()
	st, a, r := d.Stack, d.account, d.resolver
	resources, err := st.Resources()
	if err != nil {
		t.Fatal(err)
	}
	ecrc, kmsc, events, iamc := ecr.NewFromConfig(a.cfg), kms.NewFromConfig(a.cfg), eventbridge.NewFromConfig(a.cfg), iam.NewFromConfig(a.cfg)
	for _, res := range resources {
		if res.InStackSet {
			notRead = append(notRead, res.Type+" (in the stack set's template)")
			continue
		}
		where := st.Name + "/" + res.Path
		p := res.Properties
		phys := r.physical[res.Path]
		switch res.Type {
		case "AWS::ECR::Repository":
			read++
			checkRepository(t, ecrc, r, where, phys, p)
		case "AWS::KMS::Key":
			read++
			checkKey(t, kmsc, r, where, phys, p)
		case "AWS::Events::Rule":
			read++
			checkRule(t, events, r, where, phys, p)
		case "AWS::IAM::Role":
			read++
			out, err := iamc.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String(phys)})
			if want, got := r.resolvedText(t, where+" AssumeRolePolicyDocument", p["AssumeRolePolicyDocument"]), textOf(err, func() *string { return out.Role.AssumeRolePolicyDocument }); !sameJSON(unescape(got), want) {
				t.Errorf("%s: trust policy %s, want the template's\n%s", where, got, want)
			}
		case "AWS::IAM::Policy":
			want, err := r.text(p["PolicyDocument"])
			if errors.Is(err, errStub) {
				notRead = append(notRead, res.Type+" (it names a stub)")
				continue
			} else if err != nil {
				t.Fatalf("%s PolicyDocument: %v", where, err)
			}
			read++
			name := r.resolvedText(t, where+" PolicyName", p["PolicyName"])
			roles, _ := p["Roles"].([]any)
			for i, role := range roles {
				roleName := r.resolvedText(t, fmt.Sprintf("%s Roles[%d]", where, i), role)
				out, err := iamc.GetRolePolicy(t.Context(), &iam.GetRolePolicyInput{RoleName: aws.String(roleName), PolicyName: aws.String(name)})
				if got := textOf(err, func() *string { return out.PolicyDocument }); !sameJSON(unescape(got), want) {
					t.Errorf("%s: policy %s of role %s: %s, want the template's\n%s", where, name, roleName, got, want)
				}
			}
		case "AWS::ECR::RegistryScanningConfiguration":
			read++
			out, err := ecrc.GetRegistryScanningConfiguration(t.Context(), &ecr.GetRegistryScanningConfigurationInput{})
			if err != nil {
				t.Fatal(err)
			}
			sameSetting(t, where, out.ScanningConfiguration, r, p)
		case "AWS::ECR::RegistryPolicy":
			read++
			out, err := ecrc.GetRegistryPolicy(t.Context(), &ecr.GetRegistryPolicyInput{})
			if want, got := r.resolvedText(t, where+" PolicyText", p["PolicyText"]), textOf(err, func() *string { return out.PolicyText }); !sameJSON(got, want) {
				t.Errorf("%s: registry policy %s, want the template's\n%s", where, got, want)
			}
		case "AWS::ECR::ReplicationConfiguration":
			read++
			out, err := ecrc.DescribeRegistry(t.Context(), &ecr.DescribeRegistryInput{})
			if err != nil {
				t.Fatal(err)
			}
			sameSetting(t, where, out.ReplicationConfiguration, r, p["ReplicationConfiguration"])
		default:
			notRead = append(notRead, res.Type)
		}
	}
	return read, notRead
}

func checkRepository(t *testing.T, c *ecr.Client, r resolver, where, name string, p map[string]any) {
	t.Helper()
	out, err := c.DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	repo := out.Repositories[0]
	if want, _ := p["ImageTagMutability"].(string); want != "" && string(repo.ImageTagMutability) != want {
		t.Errorf("%s: tag mutability %s, the template says %s", where, repo.ImageTagMutability, want)
	}
	scan, _ := p["ImageScanningConfiguration"].(map[string]any)
	if want, _ := scan["ScanOnPush"].(bool); repo.ImageScanningConfiguration == nil || repo.ImageScanningConfiguration.ScanOnPush != want {
		t.Errorf("%s: scan on push %+v, the template says %v", where, repo.ImageScanningConfiguration, want)
	}
	enc, _ := p["EncryptionConfiguration"].(map[string]any)
	wantType, _ := enc["EncryptionType"].(string)
	if wantType == "" {
		wantType = "AES256"
	}
	if repo.EncryptionConfiguration == nil || string(repo.EncryptionConfiguration.EncryptionType) != wantType {
		t.Errorf("%s: encryption %+v, the template says %s", where, repo.EncryptionConfiguration, wantType)
	} else if key, ok := enc["KmsKey"]; ok {
		if want := r.resolvedText(t, where+" KmsKey", key); aws.ToString(repo.EncryptionConfiguration.KmsKey) != want {
			t.Errorf("%s: KMS key %s, the template's is %s", where, aws.ToString(repo.EncryptionConfiguration.KmsKey), want)
		}
	}
	lc, err := c.GetLifecyclePolicy(t.Context(), &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String(name)})
	if text, ok := p["LifecyclePolicy"].(map[string]any)["LifecyclePolicyText"]; ok {
		if want, got := r.resolvedText(t, where+" LifecyclePolicyText", text), textOf(err, func() *string { return lc.LifecyclePolicyText }); got != want {
			t.Errorf("%s: lifecycle policy %s, want the template's\n%s", where, got, want)
		}
	} else if err == nil {
		t.Errorf("%s: a lifecycle policy the template doesn't declare", where)
	}
	pol, err := c.GetRepositoryPolicy(t.Context(), &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String(name)})
	if text, ok := p["RepositoryPolicyText"]; ok {
		if want, got := r.resolvedText(t, where+" RepositoryPolicyText", text), textOf(err, func() *string { return pol.PolicyText }); !sameJSON(got, want) {
			t.Errorf("%s: repository policy %s, want the template's\n%s", where, got, want)
		}
	} else if err == nil {
		t.Errorf("%s: a repository policy the template doesn't declare", where)
	}
}

func checkKey(t *testing.T, c *kms.Client, r resolver, where, id string, p map[string]any) {
	t.Helper()
	key, err := c.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if err != nil {
		t.Errorf("%s: DescribeKey: %v", where, err)
		return
	}
	wantEnabled := true
	if v, ok := p["Enabled"].(bool); ok {
		wantEnabled = v
	}
	if key.KeyMetadata.Enabled != wantEnabled || key.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeCustomer {
		t.Errorf("%s: key enabled %v, managed by %s; want enabled %v, managed by the customer", where, key.KeyMetadata.Enabled, key.KeyMetadata.KeyManager, wantEnabled)
	}
	rot, err := c.GetKeyRotationStatus(t.Context(), &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	if want, _ := p["EnableKeyRotation"].(bool); err != nil || rot.KeyRotationEnabled != want {
		t.Errorf("%s: key rotation %v (%v), the template says %v", where, rot, err, want)
	}
	if text, ok := p["KeyPolicy"]; ok {
		pol, err := c.GetKeyPolicy(t.Context(), &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String("default")})
		if want, got := r.resolvedText(t, where+" KeyPolicy", text), textOf(err, func() *string { return pol.Policy }); !sameJSON(got, want) {
			t.Errorf("%s: key policy %s, want the template's\n%s", where, got, want)
		}
	}
}

func checkRule(t *testing.T, c *eventbridge.Client, r resolver, where, name string, p map[string]any) {
	t.Helper()
	rule, err := c.DescribeRule(t.Context(), &eventbridge.DescribeRuleInput{Name: aws.String(name)})
	if err != nil {
		t.Errorf("%s: DescribeRule: %v", where, err)
		return
	}
	if want := r.resolvedText(t, where+" EventPattern", p["EventPattern"]); !sameJSON(aws.ToString(rule.EventPattern), want) {
		t.Errorf("%s: event pattern %s, want the template's %s", where, aws.ToString(rule.EventPattern), want)
	}
	if want, _ := p["State"].(string); want != "" && string(rule.State) != want {
		t.Errorf("%s: state %s, the template says %s", where, rule.State, want)
	}
	targets, err := c.ListTargetsByRule(t.Context(), &eventbridge.ListTargetsByRuleInput{Rule: aws.String(name)})
	if err != nil {
		t.Errorf("%s: ListTargetsByRule: %v", where, err)
		return
	}
	var got, want []string
	for _, tg := range targets.Targets {
		got = append(got, aws.ToString(tg.Arn))
	}
	list, _ := p["Targets"].([]any)
	for i, tg := range list {
		want = append(want, r.resolvedText(t, fmt.Sprintf("%s Targets[%d].Arn", where, i), tg.(map[string]any)["Arn"]))
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: targets %v, the template's are %v", where, got, want)
	}
}

// sameSetting compares a registry-wide setting the account holds, as
// the SDK returns it, with the template's properties: the SDK's Go field
// names are CloudFormation's property names, so both are compared as JSON
// after dropping what is empty.
func sameSetting(t *testing.T, where string, got any, r resolver, want any) {
	t.Helper()
	data, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var g any
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	w, err := r.resolve(want)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if m, ok := g.(map[string]any); ok {
		delete(m, "RegistryId") // the account's ID, which the template doesn't repeat
	}
	if g, w = dropEmpty(g), dropEmpty(w); !reflect.DeepEqual(g, w) {
		gs, _ := json.Marshal(g)
		ws, _ := json.Marshal(w)
		t.Errorf("%s: the account holds\n%s\nthe template declares\n%s", where, gs, ws)
	}
}

// dropEmpty removes nulls, empty strings, lists and objects, deeply.
func dropEmpty(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			if x = dropEmpty(x); x != nil {
				out[k] = x
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		var out []any
		for _, x := range v {
			if x = dropEmpty(x); x != nil {
				out = append(out, x)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case string:
		if v == "" {
			return nil
		}
	}
	return v
}
