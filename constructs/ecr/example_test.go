package ecr_test

import (
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// One line gives a repository with every secure default.
func ExampleNewRepository() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Images"), nil)

	repo := ecr.NewRepository(stack, jsii.String("Web"), nil)

	fmt.Println(repo.LifecyclePolicy())
	// Output:
	// {"rules":[{"rulePriority":1,"description":"Expire untagged images 14 days after push","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}
}

// Lifecycle rules come from package lifecycle; priorities follow the order
// given, and the rule that selects any tag status always comes last.
func ExampleNewRepository_lifecycleRules() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Images"), nil)

	repo := ecr.NewRepository(stack, jsii.String("Web"), &ecr.RepositoryProps{
		RepositoryName: jsii.String("team/web"),
		LifecycleRules: append(lifecycle.StandardProdRules(),
			lifecycle.DeleteTaggedAfterDays("pr-", 7)),
	})

	for _, r := range repo.LifecyclePolicy().Rules() {
		fmt.Println(r.Priority, r.Description)
	}
	// Output:
	// 1 Expire untagged images 14 days after push
	// 2 Expire images tagged pr-* 7 days after push
	// 3 Keep the 30 most recent images
}

// The repository is an awsecr.Repository: hand it to ECS, Lambda or
// CodeBuild, and use CDK's grants.
func ExampleRepository() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Service"), nil)
	repo := ecr.NewRepository(stack, jsii.String("Web"), nil)

	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	task.AddContainer(jsii.String("web"), &awsecs.ContainerDefinitionOptions{
		Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String("1.4.2")),
	})

	ci := awsiam.NewRole(stack, jsii.String("CI"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil),
	})
	repo.GrantPullPush(ci)
	fmt.Println(*repo.Node().Path())
	// Output: Service/Web
}

// Rules can be added after the repository is created; the first rules added
// replace the default one.
func ExampleRepository_AddLifecycleRules() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Images"), nil)
	repo := ecr.NewRepository(stack, jsii.String("Web"), nil)

	repo.AddLifecycleRules(lifecycle.Protect("release-")...)
	repo.AddLifecycleRules(lifecycle.DeleteUntaggedAfterDays(3), lifecycle.KeepLastNImages(100))

	for _, r := range repo.LifecyclePolicy().Rules() {
		fmt.Println(r.Priority, r.Description)
	}
	// Output:
	// 1 Protect release-* images from the rules after this one (never fires)
	// 2 Protect archived release-* images from the rules after this one (never fires)
	// 3 Expire untagged images 3 days after push
	// 4 Keep the 100 most recent images
}

// The development preset is opt-in: mutable tags, images deleted with the
// stack, and the development lifecycle rules.
func ExampleDevelopmentProps() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Sandbox"), nil)

	props := ecr.DevelopmentProps()
	props.RepositoryName = jsii.String("sandbox/web")
	repo := ecr.NewRepository(stack, jsii.String("Web"), props)

	fmt.Println(props.TagMutability, props.RemovalPolicy, len(repo.LifecyclePolicy().Rules()))
	// Output: MUTABLE DESTROY 2
}

// Invalid props are refused before anything reaches the construct tree, with
// a one-line message that names the construct, the field, the value and the
// rule it broke: a validation.Error, the library's one error type.
func ExampleNewRepository_invalidProps() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Images"), nil)

	defer func() {
		err, _ := recover().(error)
		var invalid *validation.Error
		if errors.As(err, &invalid) {
			fmt.Println(invalid.Field)
			fmt.Println(err)
		}
	}()
	ecr.NewRepository(stack, jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String("Web_App")})
	// Output:
	// RepositoryName
	// ecr: Images/Web: RepositoryName "Web_App": must be lowercase letters and digits in groups separated by one of . _ - or /, matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$
}
