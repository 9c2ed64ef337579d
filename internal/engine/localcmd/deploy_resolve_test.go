package localcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

// What a deployed stack's template means in its account: the functions
// resolved as CloudFormation resolved them, and the comparisons of texts.

// resolver resolves the CloudFormation functions of a deployed stack's
// template the way CloudFormation did, for the few the example templates
// use in the properties read back: Ref (pseudo parameters, resources'
// physical IDs), Fn::GetAtt Arn, Fn::Join, Fn::Sub's one-string form and
// Fn::GetStackOutput within the account and Region. Written here because
// no Go library evaluates CloudFormation functions against a deployed
// stack.
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
