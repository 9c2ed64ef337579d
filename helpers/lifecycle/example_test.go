package lifecycle_test

import (
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"

	"fmt"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// Rules are applied in the order given, except that a rule selecting any tag
// status always comes last in its storage class.
func ExampleNewPolicy() {
	policy, err := lifecycle.NewPolicy(
		lifecycle.KeepLastNImages(30),
		lifecycle.DeleteUntaggedAfterDays(14),
		lifecycle.DeleteTaggedAfterDays("pr-", 7),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range policy.Rules() {
		fmt.Println(r.Priority, r.Description)
	}
	// Output:
	// 1 Expire untagged images 14 days after push
	// 2 Expire images tagged pr-* 7 days after push
	// 3 Keep the 30 most recent images
}

// Every problem is reported, each naming the rule, the field, the value and
// the constraint.
func ExampleNewPolicy_invalid() {
	_, err := lifecycle.NewPolicy(
		lifecycle.DeleteUntaggedAfterDays(0),
		lifecycle.DeleteArchivedAfterDays(30),
	)
	for _, problem := range validation.List(err) {
		fmt.Println(problem)
	}
	// Output:
	// lifecycle: rules[0] ("Expire untagged images 0 days after push"): selection.countNumber 0: must be a positive integer
	// lifecycle: rules[1] ("Expire images archived for 30 days"): selection.countNumber 30: must be at least 90: archived images have a 90-day minimum storage duration
}

// Archive rules, which CDK's awsecr.LifecycleRule can't express, render to
// the policy text ECR takes.
func ExampleNewPolicy_archive() {
	policy, _ := lifecycle.NewPolicy(
		lifecycle.ArchiveNotPulledForDays(90),
		lifecycle.DeleteArchivedAfterDays(365),
	)
	fmt.Println(policy.Indented())
	// Output:
	// {
	//   "rules": [
	//     {
	//       "rulePriority": 1,
	//       "description": "Archive images not pulled for 90 days",
	//       "selection": {
	//         "tagStatus": "any",
	//         "countType": "sinceImagePulled",
	//         "countUnit": "days",
	//         "countNumber": 90
	//       },
	//       "action": {
	//         "type": "transition",
	//         "targetStorageClass": "archive"
	//       }
	//     },
	//     {
	//       "rulePriority": 2,
	//       "description": "Expire images archived for 365 days",
	//       "selection": {
	//         "tagStatus": "any",
	//         "storageClass": "archive",
	//         "countType": "sinceImageTransitioned",
	//         "countUnit": "days",
	//         "countNumber": 365
	//       },
	//       "action": {
	//         "type": "expire"
	//       }
	//     }
	//   ]
	// }
}

// An existing policy, as `aws ecr get-lifecycle-policy` returns it, is read
// with the same checks.
func ExampleParse() {
	policy, err := lifecycle.Parse([]byte(`{"rules":[{"rulePriority":1,"description":"keep 5",
		"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(policy.Rules()[0].CountType, policy.Rules()[0].CountNumber)
	// Output: imageCountMoreThan 5
}

// ReadTemplate finds the lifecycle policies of a synthesized template, each
// named by its logical id.
func ExampleReadTemplate() {
	template := []byte(`{"Resources": {
	  "ImagesRepo1234": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText":
	    "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":0},\"action\":{\"type\":\"expire\"}}]}"}}},
	  "JoinedRepo5678": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": {"Fn::Join": ["", ["{", "}"]]}}}}
	}}`)
	policies, err := lifecycle.ReadTemplate(template)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, tp := range policies {
		if _, err := tp.Parse(); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// lifecycle: ImagesRepo1234: rules[0]: selection.countNumber 0: must be a positive integer
	// lifecycle: JoinedRepo5678: Properties.LifecyclePolicy.LifecyclePolicyText: is an unresolved CloudFormation function (Fn::Join): its value is only known at deployment, so it can't be checked here
}

// A protection placed after a rule that expires the same images protects
// nothing: NewPolicy refuses it. Rules that can never act, and patterns
// without a wildcard, are the policy's warnings.
func ExamplePolicy_Findings() {
	_, err := lifecycle.NewPolicy(lifecycle.Concat(
		lifecycle.DeleteMatchingAfterDays("*", 30),
		lifecycle.Protect("prod"),
	)...)
	fmt.Println(err)

	policy, _ := lifecycle.NewPolicy(lifecycle.Concat(
		lifecycle.Protect("prod"),
		lifecycle.KeepLastNTagged(5, "v", "v1"),
		lifecycle.DeleteUntaggedAfterDays(14),
	)...)
	for _, f := range policy.Findings() {
		fmt.Println(f.Check)
	}
	// Output:
	// lifecycle: rules[1] ("Protect prod* images from the rules after this one (never fires)"): selection.tagPrefixList ["prod"]: protects nothing: rules[0] ("Expire images tagged * 30 days after push") comes first and acts on the images it selects; put the protecting rules before the rules that expire or archive
	// deadRule
}
