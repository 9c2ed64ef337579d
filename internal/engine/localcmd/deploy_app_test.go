package localcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/secure-ecr/ecr-cdk-go/examples/organization"
	"github.com/secure-ecr/ecr-cdk-go/examples/replication"
	"github.com/secure-ecr/ecr-cdk-go/examples/service"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/auditcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/localaws"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/cfn"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
)

// deployAccount is one account and Region of the composed app, with the
// account's own credentials.
type deployAccount struct {
	id, region string
	cfg        aws.Config
	// env is the credentials and Region as environment variables, for
	// the CDK CLI and the commands run in-process.
	env map[string]string
}

// environment is the account's aws://ACCOUNT/REGION.
func (a deployAccount) environment() string { return "aws://" + a.id + "/" + a.region }

// defaultAccount is moto's default account, the credentials' account of
// deploySetup, in Region.
func (e deployEnv) defaultAccount(region string) deployAccount {
	cfg := e.cfg.Copy()
	cfg.Region = region
	return deployAccount{id: "123456789012", region: region, cfg: cfg, env: map[string]string{
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "", "AWS_REGION": region,
	}}
}

// assume returns account id's credentials in region: a role of that
// account assumed through STS from the default account's credentials, as a
// platform team reaches its other accounts (moto lets any role be assumed
// and keeps each account's resources apart).
func (e deployEnv) assume(t *testing.T, id, region string) deployAccount {
	t.Helper()
	out, err := sts.NewFromConfig(e.cfg).AssumeRole(t.Context(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + id + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("ecr-cdk-round-trip"),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	creds := aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken)}
	cfg := e.cfg.Copy()
	cfg.Region = region
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Account) != id {
		t.Fatalf("the assumed role's credentials are for %v (%v), want account %s", who, err, id)
	}
	return deployAccount{id: id, region: region, cfg: cfg, env: map[string]string{
		"AWS_ACCESS_KEY_ID": creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY": creds.SecretAccessKey, "AWS_SESSION_TOKEN": creds.SessionToken, "AWS_REGION": region,
	}}
}

// use points the process's environment (the AWS SDK's default chain, which
// the commands run in-process read) at the account; deploySetup's
// motoserver.SetEnv restores it at the test's end.
func (a deployAccount) use(t *testing.T) {
	t.Helper()
	for k, v := range a.env {
		t.Setenv(k, v)
	}
}

// resolver resolves the CloudFormation functions of a deployed stack's
// template the way CloudFormation did, for the few the example templates
// use in the properties read back: Ref (pseudo parameters, resources'
// physical IDs), Fn::GetAtt Arn, Fn::Join, Fn::Sub's one-string form and
// Fn::GetStackOutput within the account and Region. Written here because no Go
// library evaluates CloudFormation functions against a deployed stack.
type resolver struct {
	account, region string
	physical        map[string]string // logical id → physical id
	types           map[string]string // logical id → type
	cfn             *cloudformation.Client
	ctx             context.Context
}

// newResolver reads the physical IDs and types of a deployed stack's
// resources.
func newResolver(t *testing.T, a deployAccount, stack string) resolver {
	t.Helper()
	r := resolver{account: a.id, region: a.region, physical: map[string]string{}, types: map[string]string{}, cfn: cloudformation.NewFromConfig(a.cfg), ctx: t.Context()}
	out, err := r.cfn.DescribeStackResources(t.Context(), &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stack)})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range out.StackResources {
		r.physical[aws.ToString(res.LogicalResourceId)] = aws.ToString(res.PhysicalResourceId)
		r.types[aws.ToString(res.LogicalResourceId)] = aws.ToString(res.ResourceType)
	}
	return r
}

func (r resolver) resolve(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				switch k {
				case "Ref":
					return r.ref(arg.(string))
				case "Fn::GetAtt":
					return r.getAtt(arg)
				case "Fn::Join":
					return r.join(arg)
				case "Fn::Sub":
					return r.sub(arg)
				case "Fn::GetStackOutput":
					return r.stackOutput(arg)
				}
				if strings.HasPrefix(k, "Fn::") {
					return nil, fmt.Errorf("%s is not resolved here", k)
				}
			}
		}
		out := map[string]any{}
		for k, x := range v {
			y, err := r.resolve(x)
			if err != nil {
				return nil, err
			}
			out[k] = y
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			y, err := r.resolve(x)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	}
	return v, nil
}

func (r resolver) ref(name string) (any, error) {
	switch name {
	case "AWS::Partition":
		return "aws", nil
	case "AWS::AccountId":
		return r.account, nil
	case "AWS::Region":
		return r.region, nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	}
	if id, ok := r.physical[name]; ok {
		return id, nil
	}
	return nil, fmt.Errorf("Ref %s: no such resource", name)
}

func (r resolver) getAtt(arg any) (any, error) {
	parts, ok := arg.([]any)
	if !ok || len(parts) != 2 || parts[1] != "Arn" {
		return nil, fmt.Errorf("Fn::GetAtt %v is not resolved here", arg)
	}
	id := parts[0].(string)
	phys, ok := r.physical[id]
	if !ok {
		return nil, fmt.Errorf("Fn::GetAtt %s: no such resource", id)
	}
	prefix := "arn:aws:"
	switch r.types[id] {
	case "AWS::ECR::Repository":
		return prefix + "ecr:" + r.region + ":" + r.account + ":repository/" + phys, nil
	case "AWS::KMS::Key":
		return prefix + "kms:" + r.region + ":" + r.account + ":key/" + phys, nil
	case "AWS::IAM::Role":
		return prefix + "iam::" + r.account + ":role/" + phys, nil
	case "AWS::Lambda::Function":
		return prefix + "lambda:" + r.region + ":" + r.account + ":function:" + phys, nil
	case "AWS::SNS::Topic":
		return phys, nil // its physical ID is its ARN
	case "AWS::Logs::LogGroup":
		return prefix + "logs:" + r.region + ":" + r.account + ":log-group:" + phys + ":*", nil
	}
	if stubbed[r.types[id]] {
		return nil, fmt.Errorf("Fn::GetAtt %s.Arn: %w (%s)", id, errStub, r.types[id])
	}
	return nil, fmt.Errorf("Fn::GetAtt %s.Arn of a %s is not resolved here", id, r.types[id])
}

// errStub is the attribute of a type the local API stubs (launcher.py's
// STUB_TYPES): it answers a placeholder AWS wouldn't, so what names it
// isn't compared.
var errStub = errors.New("a stubbed resource's attribute")

// stubbed are the types whose attributes the local API stubs.
var stubbed = map[string]bool{
	"AWS::ECR::PublicRepository": true, "AWS::Signer::SigningProfile": true, "AWS::IAM::OIDCProvider": true,
	"AWS::ECR::RepositoryCreationTemplate": true, "AWS::ECR::PullThroughCacheRule": true, "AWS::ECR::SigningConfiguration": true,
	"AWS::ECR::PullTimeUpdateExclusion": true, "AWS::CloudFormation::StackSet": true, "AWS::SNS::TopicPolicy": true,
}

func (r resolver) join(arg any) (any, error) {
	parts, ok := arg.([]any)
	if !ok || len(parts) != 2 {
		return nil, fmt.Errorf("Fn::Join %v: not [separator, list]", arg)
	}
	list, err := r.resolve(parts[1])
	if err != nil {
		return nil, err
	}
	var s []string
	for _, x := range list.([]any) {
		str, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("Fn::Join of %v", x)
		}
		s = append(s, str)
	}
	return strings.Join(s, parts[0].(string)), nil
}

// stackOutput resolves Fn::GetStackOutput of a stack of the same account
// and Region: the output's value, as DescribeStacks gives it.
func (r resolver) stackOutput(arg any) (any, error) {
	x, err := r.resolve(arg)
	if err != nil {
		return nil, err
	}
	args, _ := x.(map[string]any)
	if region, _ := args["Region"].(string); (region != "" && region != r.region) || args["RoleArn"] != nil {
		return nil, fmt.Errorf("Fn::GetStackOutput %v: only a stack of the same account and Region is resolved here", args)
	}
	name, _ := args["StackName"].(string)
	out, err := r.cfn.DescribeStacks(r.ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		return nil, err
	}
	for _, o := range out.Stacks[0].Outputs {
		if aws.ToString(o.OutputKey) == args["OutputName"] {
			return aws.ToString(o.OutputValue), nil
		}
	}
	return nil, fmt.Errorf("Fn::GetStackOutput: stack %s has no output %v", name, args["OutputName"])
}

// sub resolves Fn::Sub's one-string form: ${Name} is Ref Name,
// ${Name.Arn} is Fn::GetAtt [Name, Arn].
func (r resolver) sub(arg any) (any, error) {
	text, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("Fn::Sub %v: only the one-string form is resolved here", arg)
	}
	var out strings.Builder
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			out.WriteString(text)
			return out.String(), nil
		}
		j := strings.Index(text[i:], "}")
		if j < 0 {
			return nil, fmt.Errorf("Fn::Sub %q: unclosed ${", arg)
		}
		name := text[i+2 : i+j]
		var v any
		var err error
		if id, ok := strings.CutSuffix(name, ".Arn"); ok {
			v, err = r.getAtt([]any{id, "Arn"})
		} else {
			v, err = r.ref(name)
		}
		if err != nil {
			return nil, err
		}
		out.WriteString(text[:i] + v.(string))
		text = text[i+j+1:]
	}
}

// text resolves v and returns it as text: a string as it is, anything
// else as JSON.
func (r resolver) text(v any) (string, error) {
	x, err := r.resolve(v)
	if err != nil {
		return "", err
	}
	if s, ok := x.(string); ok {
		return s, nil
	}
	data, err := json.Marshal(x)
	return string(data), err
}

// resolvedText is text, failing the test when v can't be resolved.
func (r resolver) resolvedText(t *testing.T, where string, v any) string {
	t.Helper()
	s, err := r.text(v)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return s
}

// textOf is the text an API call returned, or its error in brackets.
func textOf(err error, text func() *string) string {
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return aws.ToString(text())
}

// unescape undoes IAM's URL encoding of a policy document
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html:
// "The policy document returned in this structure is URL-encoded").
func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// sameJSON reports whether two texts are the same JSON value.
func sameJSON(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
}

// checkDeployed reads back, through the account's own APIs, what a
// deployed stack's template declares, resource by resource: each
// repository's tag mutability, scan on push, encryption and key, lifecycle
// policy text and repository policy; each key's state, rotation and policy;
// each event rule's pattern, state and targets. It returns how many
// resources it read back, and the types it can't (stubs, and types whose
// settings the round trip doesn't read).
func checkDeployed(t *testing.T, a deployAccount, st cfn.Stack) (read int, notRead []string) {
	t.Helper()
	resources, err := st.Resources()
	if err != nil {
		t.Fatal(err)
	}
	r := newResolver(t, a, st.Name)
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

// errNotFound reports whether err is one of the AWS APIs' "not found"
// errors for what was asked.
func errNotFound(err error) bool {
	var nf interface{ ErrorCode() string }
	if errors.As(err, &nf) {
		return strings.HasSuffix(nf.ErrorCode(), "NotFoundException") || nf.ErrorCode() == "ResourceNotFoundException"
	}
	return false
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

// TestDeployComposedApp deploys every stack of the examples' composed app
// (examples/main.go, the app of the repository's cdk.json) to the local AWS
// API the way a platform team deploys it: each account and Region the app
// names is bootstrapped with that account's credentials, trusting the
// deploying account (cdk bootstrap --trust), then a plain `cdk deploy --all`
// from the repository's root synthesizes the app with `go run ./examples`
// and deploys its stacks through change sets, assuming the bootstrap roles
// of the other accounts. Then, per stack, in its own account and Region,
// it reads back what the template declares (checkDeployed), and runs the
// library's tools on the accounts: ecr-cdk diff of each deployed template
// and the synthesized one, ecr-cdk audit at the strict level, and
// ecr-lifecycle preview --in-use ecs,lambda against the deployed service.
// Last, cdk destroy --all: RETAIN repositories and keys survive, the others
// are gone, and the registry settings are back to their defaults.
//
// What this shows and doesn't: see TestDeployDefaultsRoundTrip; the
// registry-wide settings are EMULATION (f), the organization's stack set,
// creation templates, pull-through cache, signing, the public repository,
// SNS topic policies and OIDC providers are STUBS (g): nothing of them is
// created, nothing about them is shown, and the stack set deploys nothing
// to member accounts. The composed app has no cross-stack reference (each
// example is self-contained), so no export is exercised.
func TestDeployComposedApp(t *testing.T) {
	start := time.Now()
	e := deploySetup(t)
	const deployer = "123456789012"
	accounts := map[string]deployAccount{}
	home := e.defaultAccount("us-east-1")
	accounts[home.environment()] = home
	for _, env := range [][2]string{
		{replication.SourceAccount, replication.SourceRegion},
		{replication.DestinationAccount, replication.DestinationRegion},
		{organization.CentralAccount, organization.CentralRegion},
	} {
		a := e.assume(t, env[0], env[1])
		accounts[a.environment()] = a
		deployRunEnv(t, e.server, e.work, a.env, e.cdk, "bootstrap", a.environment(), "--trust", deployer,
			"--cloudformation-execution-policies", "arn:aws:iam::aws:policy/AdministratorAccess", "--no-notices")
	}
	t.Logf("4 environments bootstrapped after %s", time.Since(start).Round(time.Second))

	// The service example's repository first, and its image pushed, as CI
	// would: Lambda refuses a function whose image isn't there yet
	// (correction (l)). cdk deploy of one stack synthesizes the whole app.
	assembly := t.TempDir()
	deployRun(t, e.server, e.root, e.cdk, "deploy", "EcrServiceImages", "--output", assembly, "--require-approval", "never", "--no-notices")
	livetest.New(t, localaws.Endpoint(e.server.Port)).Put("shop/orders", service.ImageTag, livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, service.ImageTag, 10))
	secret := "arn:aws:secretsmanager:us-east-1:" + deployer + ":secret:ecr-pullthroughcache/"
	deployRun(t, e.server, e.work, e.cdk, "deploy", "--app", assembly, "--all", "--require-approval", "never", "--no-notices",
		"--parameters", "EcrRegistry:DockerHubCredentialArn="+secret+"docker-hub-AbCdEf", "--parameters", "EcrRegistry:GitHubCredentialArn="+secret+"ghcr-AbCdEf")
	t.Logf("composed app deployed after %s", time.Since(start).Round(time.Second))

	stacks, err := cfn.Read(assembly)
	if err != nil {
		t.Fatal(err)
	}
	if len(stacks) != 12 {
		t.Fatalf("%d stacks in the composed app, want the 12 of examples/main.go", len(stacks))
	}
	accountOf := func(st cfn.Stack) deployAccount {
		env := strings.Replace(strings.Replace(st.Environment, "unknown-account", deployer, 1), "unknown-region", "us-east-1", 1)
		a, ok := accounts[env]
		if !ok {
			t.Fatalf("%s: environment %s was not bootstrapped", st.Name, st.Environment)
		}
		return a
	}
	for _, st := range stacks {
		a := accountOf(st)
		cfnc := cloudformation.NewFromConfig(a.cfg)
		out, err := cfnc.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String(st.Name)})
		if err != nil || string(out.Stacks[0].StackStatus) != "CREATE_COMPLETE" {
			t.Errorf("%s in %s: %v (%v), want CREATE_COMPLETE", st.Name, a.environment(), out, err)
			continue
		}
		read, notRead := checkDeployed(t, a, st)
		t.Logf("%s in %s: %d resources read back; not read: %v", st.Name, a.environment(), read, notRead)
		deployDiffClean(t, deployedTemplate(t, cfnc, st.Name), st.File)
	}
	t.Logf("read back and diffed after %s", time.Since(start).Round(time.Second))

	deployAppSpecifics(t, home)
	deployAuditApp(t, accounts, stacks, accountOf)
	deployInUse(t, e, home)
	t.Logf("tools after %s", time.Since(start).Round(time.Second))

	var kept []keptResource
	for _, st := range stacks {
		kept = append(kept, keptResources(t, accountOf(st), st)...)
	}
	deployRun(t, e.server, e.work, e.cdk, "destroy", "--app", assembly, "--all", "--force", "--no-notices")
	for _, st := range stacks {
		a := accountOf(st)
		if _, err := cloudformation.NewFromConfig(a.cfg).DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String(st.Name)}); err == nil {
			t.Errorf("after cdk destroy --all, %s is still in %s", st.Name, a.environment())
		}
	}
	for _, k := range kept {
		k.check(t)
	}
	// EcrRegistry's registry settings are back to the registry's defaults.
	sc, err := ecr.NewFromConfig(home.cfg).GetRegistryScanningConfiguration(t.Context(), &ecr.GetRegistryScanningConfigurationInput{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.ScanningConfiguration.ScanType != ecrtypes.ScanTypeBasic || len(sc.ScanningConfiguration.Rules) != 0 {
		t.Errorf("after cdk destroy, registry scanning %s with %d rules, want the default: BASIC, no rule", sc.ScanningConfiguration.ScanType, len(sc.ScanningConfiguration.Rules))
	}
	t.Logf("round trip in %s", time.Since(start).Round(time.Second))
}

// keptResource is a repository or key of a deployed stack, and whether its
// DeletionPolicy keeps it when the stack is deleted.
type keptResource struct {
	account        deployAccount
	where, typ, id string
	retain         bool
}

// keptResources lists the repositories and keys of a deployed stack.
func keptResources(t *testing.T, a deployAccount, st cfn.Stack) []keptResource {
	t.Helper()
	r := newResolver(t, a, st.Name)
	var out []keptResource
	resources, _ := st.Template["Resources"].(map[string]any)
	for id, v := range resources {
		res, _ := v.(map[string]any)
		typ, _ := res["Type"].(string)
		if typ != "AWS::ECR::Repository" && typ != "AWS::KMS::Key" {
			continue
		}
		out = append(out, keptResource{account: a, where: st.Name + "/" + id, typ: typ, id: r.physical[id], retain: res["DeletionPolicy"] == "Retain"})
	}
	return out
}

// check fails the test when the resource outlived its stack without a
// Retain policy, or didn't with one.
func (k keptResource) check(t *testing.T) {
	t.Helper()
	var err error
	gone := false
	switch k.typ {
	case "AWS::ECR::Repository":
		_, err = ecr.NewFromConfig(k.account.cfg).DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{RepositoryNames: []string{k.id}})
		gone = errNotFound(err)
	case "AWS::KMS::Key":
		var out *kms.DescribeKeyOutput
		out, err = kms.NewFromConfig(k.account.cfg).DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(k.id)})
		gone = errNotFound(err) || (err == nil && out.KeyMetadata.KeyState == kmstypes.KeyStatePendingDeletion)
	}
	switch {
	case err != nil && !gone:
		t.Errorf("%s (%s) after cdk destroy: %v", k.where, k.id, err)
	case k.retain && gone:
		t.Errorf("cdk destroy deleted %s (%s), whose DeletionPolicy is Retain", k.where, k.id)
	case !k.retain && !gone:
		t.Errorf("cdk destroy left %s (%s), whose DeletionPolicy is Delete", k.where, k.id)
	}
}

// deployAuditApp runs ecr-cdk audit at the strict level in every account
// and Region of the app, with that account's credentials, and holds each
// example repository's findings to what its example intends: every control
// passes except those auditExceptions lists.
func deployAuditApp(t *testing.T, accounts map[string]deployAccount, stacks []cfn.Stack, accountOf func(cfn.Stack) deployAccount) {
	t.Helper()
	owner := map[string]string{} // environment + repository name → stack
	for _, st := range stacks {
		a := accountOf(st)
		r := newResolver(t, a, st.Name)
		for id, typ := range r.types {
			if typ == "AWS::ECR::Repository" {
				owner[a.environment()+" "+r.physical[id]] = st.Name
			}
		}
	}
	envs := make([]string, 0, len(accounts))
	for env := range accounts {
		envs = append(envs, env)
	}
	sort.Strings(envs)
	seen := 0
	for _, env := range envs {
		a := accounts[env]
		a.use(t)
		var stdout, stderr bytes.Buffer
		code := auditcmd.Run([]string{"--level", "strict", "--format", "json"}, &stdout, &stderr)
		var report struct {
			Findings []auditcmd.Finding `json:"findings"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
			t.Fatalf("ecr-cdk audit in %s: exit %d, %v\n%s%s", env, code, err, stdout.String(), stderr.String())
		}
		for _, f := range report.Findings {
			stack, ours := owner[env+" "+f.Repository]
			if !ours {
				continue // the bootstrap's asset repository, registry findings
			}
			seen++
			want := auditcmd.Pass
			if r, ok := auditExceptions[stack][f.ID]; ok {
				want = r
			}
			if f.Result != want {
				t.Errorf("ecr-cdk audit in %s: %s (%s) %s %s: %s; want %s", env, f.Repository, stack, f.ID, f.Result, f.Detail, want)
			}
		}
	}
	if seen == 0 {
		t.Error("ecr-cdk audit reported no finding on the app's repositories")
	}
}

// auditExceptions is, per example stack, the controls of ecr-cdk audit's
// strict level its repositories are meant to fail. ECR.5 asks for a
// customer managed key: the library's default is KMS with the AWS managed
// key aws/ecr (the standard level), which only examples/devprod's EcrProd
// replaces with a key of its own; EcrDev is the development preset, whose
// tags are mutable.
var auditExceptions = map[string]map[string]string{
	"EcrAccess":            {"ECR.5": auditcmd.Fail},
	"EcrDefaults":          {"ECR.5": auditcmd.Fail},
	"EcrDev":               {"ECR.5": auditcmd.Fail, "ECR.2": auditcmd.Fail, "CKV_AWS_51": auditcmd.Fail},
	"EcrReplicationSource": {"ECR.5": auditcmd.Fail},
	"EcrServiceImages":     {"ECR.5": auditcmd.Fail},
}

// deployInUse pushes two more releases of the service example's image to
// its repository, after the one the app runs, and previews, live, a
// stricter policy (keep the newest image) with --in-use ecs,lambda:
// ecr-lifecycle finds the tag the deployed Lambda function runs and refuses
// the policy that would expire it, while the deployed policy, which
// protects it, passes.
func deployInUse(t *testing.T, e deployEnv, home deployAccount) {
	t.Helper()
	home.use(t)
	seed := livetest.New(t, localaws.Endpoint(e.server.Port))
	for _, tag := range []string{"1.4.1", "1.5.0"} { // after ImageTag, pushed before the deploy
		seed.Put("shop/orders", tag, livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, tag, 10))
	}
	strict := filepath.Join(t.TempDir(), "keep-newest.json")
	if err := os.WriteFile(strict, []byte(`{"rules": [{"rulePriority": 1, "description": "keep the newest image",
 "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	fn := physicalIDIn(t, home, "EcrService", "Worker11F36D0F")
	code, out, errOut := runLifecycle("preview", "--policy", strict, "--repository-name", "shop/orders", "--in-use", "ecs,lambda")
	want := "(" + service.ImageTag + "): in use by lambda:" + fn + " as " + service.ImageTag + "; rule 1 (keep the newest image) would expire it"
	if code != cli.ExitRefused || !strings.Contains(errOut, want) {
		t.Errorf("ecr-lifecycle preview --policy keep-newest --in-use ecs,lambda: exit %d\n%s%s\nwant exit 1 and a line with %q", code, out, errOut, want)
	}
	if code, out, errOut := runLifecycle("preview", "--repository-name", "shop/orders", "--in-use", "ecs,lambda"); code != cli.ExitOK {
		t.Errorf("ecr-lifecycle preview of the deployed policy --in-use ecs,lambda: exit %d\n%s%s\nwant 0: the deployed policy protects %s", code, out, errOut, service.ImageTag)
	}
}

// physicalIDIn is the physical ID of a stack's resource in an account.
func physicalIDIn(t *testing.T, a deployAccount, stack, logicalID string) string {
	t.Helper()
	return physicalID(t, cloudformation.NewFromConfig(a.cfg), stack, logicalID)
}
