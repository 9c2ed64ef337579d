// Package cfn is the one reader of synthesized CloudFormation templates and
// CDK cloud assemblies, and the one detector of CloudFormation intrinsic
// functions ({"Ref": ...}, {"Fn::...": ...}), for every part of the project
// that reads them: `ecr-cdk diff` and the testing kit's change checks
// (internal/library/changes, helpers/cdktest), `ecr-cdk audit --template`
// (cmd/ecr-cdk), and the lifecycle policies of a template
// (helpers/lifecycle's ReadTemplate and ReadTemplateWith, and
// `ecr-lifecycle --template`, internal/engine/lifecyclecli).
//
// It reads a template file, or a cloud assembly directory (cdk.out): the
// stack artifacts of its manifest.json with their names, environments and
// parameters, nested assemblies (stages) included ([Load], [Read]); what a
// resource includes, the template of an AWS::CloudFormation::StackSet
// (Properties.TemplateBody) and of an AWS::CloudFormation::Stack whose
// template is a file of the assembly ([TemplateBody], [NestedFile]); and
// every resource of a stack, those of its stack sets and nested stacks
// included ([Stack.Resources]). [Walk] is the one walk of stack sets and
// nested stacks: Stack.Resources and helpers/lifecycle's ReadTemplateWith
// both walk with it, lifecycle with a reader of its own, whose messages
// name a line and column, and its caller's way to open nested stacks.
//
// Why here: the package imports nothing of the module, so every user can
// import it without breaking the import direction (helpers/, the public
// library, never imports a command's engine; commands import helpers/).
// helpers/lifecycle is the lowest of its users that is public, but it is
// about lifecycle policies, and internal/library/changes and the audit would then
// reach a cloud-assembly reader through a public lifecycle API; internal/
// keeps the reader out of the public API, where it can change with its
// users.
//
// The package is plain Go: it does not start the jsii runtime.
package cfn
