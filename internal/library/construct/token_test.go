package construct_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// check.IsToken reads CDK's token encoding without the jsii runtime: it
// must answer as awscdk.Token_IsUnresolved does, for every kind of string
// a user's props can hold. This test fails when CDK changes the encoding.
func TestIsTokenAgreesWithCDK(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Test"), nil)
	repo := awsecr.NewRepository(stack, jsii.String("Repo"), nil)
	param := awscdk.NewCfnParameter(stack, jsii.String("Name"), nil)
	list := awscdk.NewCfnParameter(stack, jsii.String("Names"), &awscdk.CfnParameterProps{Type: jsii.String("CommaDelimitedList")})
	count := awscdk.NewCfnParameter(stack, jsii.String("Count"), &awscdk.CfnParameterProps{Type: jsii.String("Number")})
	values := map[string]string{
		"plain":             "team/web",
		"empty":             "",
		"looks like a Ref":  "${Ref}",
		"stack Region":      *stack.Region(),
		"stack account":     *stack.Account(),
		"a Ref":             *repo.RepositoryName(),
		"an attribute":      *repo.RepositoryArn(),
		"a parameter":       *param.ValueAsString(),
		"a join":            *awscdk.Fn_Join(jsii.String("-"), jsii.Strings("a", *stack.Region())),
		"inside a string":   "prefix-" + *stack.Region() + "-suffix",
		"a list token":      *awscdk.Fn_Join(jsii.String(","), list.ValueAsList()),
		"a context value":   "${Token[not-a-token",
		"a number as token": *awscdk.Token_AsString(count.ValueAsNumber(), nil),
	}
	for name, v := range values {
		if got, want := check.IsToken(v), *awscdk.Token_IsUnresolved(jsii.String(v)); got != want {
			t.Errorf("%s %q: check.IsToken = %v, CDK says %v", name, v, got, want)
		}
	}
}
