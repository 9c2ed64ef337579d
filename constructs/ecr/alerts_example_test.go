package ecr_test

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
)

// One rule per alert for the whole registry, instead of one per repository
// and alert: here critical findings of Inspector's enhanced scanning in the
// repositories of two teams, and every release pushed anywhere in the
// account.
func ExampleOnRegistryScanFindings() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Alerts"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")},
	})
	topic := awssns.NewTopic(stack, jsii.String("Security"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})

	ecr.OnRegistryScanFindings(stack, jsii.String("CriticalFindings"), &ecr.RegistryScanFindingsOptions{
		RepositoryPrefixes: []string{"team-a/", "team-b/"},
		MinimumSeverity:    ecr.SeverityCritical,
		Enhanced:           jsii.Bool(true),
		OnEventOptions:     awsevents.OnEventOptions{Target: awseventstargets.NewSnsTopic(topic, nil)},
	})
	ecr.OnRegistryImagePushed(stack, jsii.String("Releases"), &ecr.RegistryImageActionOptions{
		ImageTags: []string{"release-*"},
	})

	rules := assertions.Template_FromStack(stack, nil).FindResources(jsii.String("AWS::Events::Rule"), nil)
	for _, id := range []string{"CriticalFindings", "Releases"} {
		for logical, r := range *rules {
			if logical[:len(logical)-8] == id {
				props := (*r)["Properties"].(map[string]any)
				fmt.Println(props["Description"])
				pattern := json.NewEncoder(os.Stdout)
				pattern.SetEscapeHTML(false)
				pattern.Encode(props["EventPattern"])
			}
		}
	}
	// Output:
	// Any repository named team-a/*, team-b/*: enhanced scanning finds vulnerabilities of severity CRITICAL or higher
	// {"account":["111122223333"],"detail":{"finding-severity-counts":{"CRITICAL":[{"numeric":[">",0]}]},"repository-name":[{"prefix":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":ecr:eu-west-1:111122223333:repository/team-a/"]]}},{"prefix":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":ecr:eu-west-1:111122223333:repository/team-b/"]]}}]},"detail-type":["Inspector2 Scan"],"source":["aws.inspector2"]}
	// Fires when an image is pushed to a repository of the account
	// {"account":["111122223333"],"detail":{"action-type":["PUSH"],"image-tag":[{"prefix":"release-"}],"result":["SUCCESS"]},"detail-type":["ECR Image Action"],"source":["aws.ecr"]}
}

// The repository alerts work on any awsecr.IRepository, such as a
// repository another stack or team owns, imported by name.
func ExampleOnScanFindings() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Alerts"), nil)
	base := ecr.FromRepositoryName(stack, jsii.String("Base"), jsii.String("platform/base"))

	rule := ecr.OnScanFindings(base, jsii.String("Vulnerable"), &ecr.ScanFindingsOptions{
		MinimumSeverity: ecr.SeverityMedium,
	})
	ecr.OnImageDeleted(base, jsii.String("Deleted"), nil)

	fmt.Println(*rule.Node().Path())
	// Output: Alerts/Base/Vulnerable
}
