package localaws_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/localaws"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/motoserver"
)

// The two servers every test of the package shares: the launcher and stock
// moto_server. Each test uses its own stack names.
var servers struct{ local, stock *motoserver.Server }

func TestMain(m *testing.M) {
	local, err := localaws.Start(localaws.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	stock, err := motoserver.Start()
	if err != nil {
		local.Stop()
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	servers.local, servers.stock = local, stock
	code := m.Run()
	local.Stop()
	stock.Stop()
	os.Exit(code)
}

type clients struct {
	cfn    *cloudformation.Client
	ecr    *ecr.Client
	kms    *kms.Client
	lambda *lambda.Client
}

// clientsFor talks to s through the endpoint the CDK CLI is given
// (localhost, not 127.0.0.1), without retries, so a 500 answers at once.
func clientsFor(s *motoserver.Server) clients {
	cfg := aws.Config{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}, nil
		}),
		BaseEndpoint:     aws.String(localaws.Endpoint(s.Port)),
		RetryMaxAttempts: 1,
	}
	return clients{cfn: cloudformation.NewFromConfig(cfg), ecr: ecr.NewFromConfig(cfg), kms: kms.NewFromConfig(cfg), lambda: lambda.NewFromConfig(cfg)}
}

func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

func createStack(t *testing.T, c clients, name, template string) error {
	t.Helper()
	_, err := c.cfn.CreateStack(t.Context(), &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(template)})
	return err
}

func stackResource(t *testing.T, c clients, stack, logicalID string) string {
	t.Helper()
	out, err := c.cfn.DescribeStackResource(t.Context(), &cloudformation.DescribeStackResourceInput{StackName: aws.String(stack), LogicalResourceId: aws.String(logicalID)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.StackResourceDetail.PhysicalResourceId)
}

func describeRepository(t *testing.T, c clients, name string) ecrtypes.Repository {
	t.Helper()
	out, err := c.ecr.DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Repositories[0]
}

const unnamedRepository = `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"Tags": [{"Key": "v", "Value": "%s"}]}}}}`

// (a) An unnamed repository gets a lowercase name, kept on update.
func TestGeneratedRepositoryName(t *testing.T) {
	c := clientsFor(servers.local)
	if err := createStack(t, c, "Gen-Name", fmt.Sprintf(unnamedRepository, "1")); err != nil {
		t.Fatal(err)
	}
	name := stackResource(t, c, "Gen-Name", "Repo")
	if !regexp.MustCompile(`^gen-name-repo-[a-z0-9]+$`).MatchString(name) {
		t.Fatalf("generated name %q, want gen-name-repo-SUFFIX, lowercase", name)
	}
	before := describeRepository(t, c, name)
	if _, err := c.cfn.UpdateStack(t.Context(), &cloudformation.UpdateStackInput{StackName: aws.String("Gen-Name"), TemplateBody: aws.String(fmt.Sprintf(unnamedRepository, "2"))}); err != nil {
		t.Fatal(err)
	}
	if got := stackResource(t, c, "Gen-Name", "Repo"); got != name {
		t.Errorf("after an in-place update the repository is %q, want %q kept", got, name)
	}
	after := describeRepository(t, c, name)
	if !after.CreatedAt.Equal(*before.CreatedAt) {
		t.Errorf("the repository was replaced by an in-place update: createdAt %v, was %v", after.CreatedAt, before.CreatedAt)
	}
}

// Stock moto generates Stack-Logical-SUFFIX, which its own ECR refuses.
func TestStockGeneratedRepositoryName(t *testing.T) {
	c := clientsFor(servers.stock)
	err := createStack(t, c, "Gen-Name", fmt.Sprintf(unnamedRepository, "1"))
	if err == nil {
		t.Fatal("stock moto now creates an unnamed repository: correction (a) of launcher.py may be obsolete")
	}
	if code := errorCode(err); code != "InvalidParameterException" || !strings.Contains(err.Error(), "'repositoryName' failed to satisfy constraint") {
		t.Errorf("stock moto's CreateStack of an unnamed repository: %v, was ECR's InvalidParameterException on repositoryName", err)
	}
}

const withOutput = `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "%s"}}},
 "Outputs": {"Uri": {"Value": {"Fn::GetAtt": ["Repo", "RepositoryUri"]}}, "Version": {"Value": "%s"}}}`

func executeChangeSet(t *testing.T, c clients, stack, template string, typ cfntypes.ChangeSetType) {
	t.Helper()
	cs, err := c.cfn.CreateChangeSet(t.Context(), &cloudformation.CreateChangeSetInput{
		StackName: aws.String(stack), ChangeSetName: aws.String("cdk-deploy-change-set"), TemplateBody: aws.String(template), ChangeSetType: typ,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.cfn.ExecuteChangeSet(t.Context(), &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id, StackName: aws.String(stack)}); err != nil {
		t.Fatal(err)
	}
}

func outputs(t *testing.T, c clients, stack string) map[string]string {
	t.Helper()
	out, err := c.cfn.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, o := range out.Stacks[0].Outputs {
		got[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return got
}

// missingChangeSet asks for a change set that was never created on an
// existing stack, as the CDK CLI does before every update.
func missingChangeSet(t *testing.T, c clients, stack string) (describeErr, deleteErr error) {
	t.Helper()
	name, st := aws.String("never-created"), aws.String(stack)
	_, deleteErr = c.cfn.DeleteChangeSet(t.Context(), &cloudformation.DeleteChangeSetInput{ChangeSetName: name, StackName: st})
	_, describeErr = c.cfn.DescribeChangeSet(t.Context(), &cloudformation.DescribeChangeSetInput{ChangeSetName: name, StackName: st})
	return describeErr, deleteErr
}

// (b) The CLI's change-set flow: a missing change set is ChangeSetNotFound
// to DescribeChangeSet and nothing to delete to DeleteChangeSet; a stack
// created or updated through a change set has its outputs.
func TestChangeSets(t *testing.T) {
	c := clientsFor(servers.local)
	executeChangeSet(t, c, "Change-Sets", fmt.Sprintf(withOutput, "change-sets", "1"), cfntypes.ChangeSetTypeCreate)
	got := outputs(t, c, "Change-Sets")
	if got["Version"] != "1" || !strings.HasSuffix(got["Uri"], ".amazonaws.com/change-sets") {
		t.Errorf("outputs after a CREATE change set: %v", got)
	}

	describeErr, deleteErr := missingChangeSet(t, c, "Change-Sets")
	if deleteErr != nil {
		t.Errorf("DeleteChangeSet of a change set that doesn't exist: %v, want success", deleteErr)
	}
	var notFound *cfntypes.ChangeSetNotFoundException
	if !errors.As(describeErr, &notFound) || notFound.ErrorMessage() != "ChangeSet [never-created] does not exist" {
		t.Errorf("DescribeChangeSet of a change set that doesn't exist: %v, want ChangeSetNotFound", describeErr)
	}

	executeChangeSet(t, c, "Change-Sets", fmt.Sprintf(withOutput, "change-sets", "2"), cfntypes.ChangeSetTypeUpdate)
	if got := outputs(t, c, "Change-Sets"); got["Version"] != "2" {
		t.Errorf("outputs after an UPDATE change set: %v", got)
	}
	_, err := c.cfn.DescribeChangeSet(t.Context(), &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String("cdk-deploy-change-set"), StackName: aws.String("Change-Sets")})
	if !errors.As(err, &notFound) {
		t.Errorf("DescribeChangeSet of the executed change set: %v, want ChangeSetNotFound (executing removes the stack's change sets)", err)
	}
	_, err = c.cfn.DeleteChangeSet(t.Context(), &cloudformation.DeleteChangeSetInput{ChangeSetName: aws.String("x"), StackName: aws.String("No-Such-Stack")})
	if code := errorCode(err); code != "ValidationError" {
		t.Errorf("DeleteChangeSet on a stack that doesn't exist: %v, want ValidationError", err)
	}
}

// Stock moto answers a missing change set with ValidationError and a 500,
// and a stack created through a change set has no outputs.
func TestStockChangeSets(t *testing.T) {
	c := clientsFor(servers.stock)
	executeChangeSet(t, c, "Change-Sets", fmt.Sprintf(withOutput, "change-sets", "1"), cfntypes.ChangeSetTypeCreate)
	if got := outputs(t, c, "Change-Sets"); len(got) != 0 {
		t.Errorf("stock moto now has outputs after a change set (%v): correction (b) of launcher.py may be obsolete", got)
	}
	describeErr, deleteErr := missingChangeSet(t, c, "Change-Sets")
	if code := errorCode(describeErr); code != "ValidationError" {
		t.Errorf("stock moto's DescribeChangeSet of a missing change set: %v, was ValidationError: correction (b) may be obsolete", describeErr)
	}
	if deleteErr == nil || !strings.Contains(deleteErr.Error(), "StatusCode: 500") {
		t.Errorf("stock moto's DeleteChangeSet of a missing change set: %v, was a 500: correction (b) may be obsolete", deleteErr)
	}
}

const withParameter = `{"Parameters": {"Name": {"Type": "String", "Default": "%s"}},
 "Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": {"Ref": "Name"}, "Tags": [{"Key": "v", "Value": "%s"}]}}}}`

func updateWithPreviousValue(t *testing.T, c clients, stack string) error {
	t.Helper()
	_, err := c.cfn.UpdateStack(t.Context(), &cloudformation.UpdateStackInput{
		StackName:    aws.String(stack),
		TemplateBody: aws.String(fmt.Sprintf(withParameter, "previous-value", "2")),
		Parameters:   []cfntypes.Parameter{{ParameterKey: aws.String("Name"), UsePreviousValue: aws.Bool(true)}},
	})
	return err
}

// (c) UsePreviousValue on a parameter that took its default keeps that value.
func TestUsePreviousValueOfDefault(t *testing.T) {
	c := clientsFor(servers.local)
	if err := createStack(t, c, "Previous-Value", fmt.Sprintf(withParameter, "previous-value", "1")); err != nil {
		t.Fatal(err)
	}
	if err := updateWithPreviousValue(t, c, "Previous-Value"); err != nil {
		t.Fatal(err)
	}
	if got := stackResource(t, c, "Previous-Value", "Repo"); got != "previous-value" {
		t.Errorf("repository after the update: %q, want previous-value", got)
	}
}

// Stock moto answers it with a 500 (KeyError).
func TestStockUsePreviousValueOfDefault(t *testing.T) {
	c := clientsFor(servers.stock)
	if err := createStack(t, c, "Previous-Value", fmt.Sprintf(withParameter, "previous-value", "1")); err != nil {
		t.Fatal(err)
	}
	if err := updateWithPreviousValue(t, c, "Previous-Value"); err == nil || !strings.Contains(err.Error(), "StatusCode: 500") {
		t.Errorf("stock moto's UsePreviousValue of a defaulted parameter: %v, was a 500: correction (c) of launcher.py may be obsolete", err)
	}
}

const (
	lifecycleText = `{"rules":[{"rulePriority":1,"description":"expire untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}`
	keyARN        = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
	settings      = `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "settings",
  "ImageScanningConfiguration": {"ScanOnPush": true},
  "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": "` + keyARN + `"},
  "ImageTagMutability": "IMMUTABLE",
  "LifecyclePolicy": {"LifecyclePolicyText": %q},
  %s}}}}`
	policy = `"RepositoryPolicyText": {"Version": "2012-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": ["ecr:BatchGetImage"]}]}`
)

// (d) EMULATION: scanning, encryption, lifecycle policy and repository
// policy reach moto's ECR backend, on create and on update.
func TestRepositorySettingsEmulation(t *testing.T) {
	c := clientsFor(servers.local)
	if err := createStack(t, c, "Settings", fmt.Sprintf(settings, lifecycleText, policy)); err != nil {
		t.Fatal(err)
	}
	repo := describeRepository(t, c, "settings")
	if !repo.ImageScanningConfiguration.ScanOnPush {
		t.Error("scanOnPush is false, want true")
	}
	if repo.EncryptionConfiguration.EncryptionType != ecrtypes.EncryptionTypeKms || aws.ToString(repo.EncryptionConfiguration.KmsKey) != keyARN {
		t.Errorf("encryption %+v, want KMS with %s", *repo.EncryptionConfiguration, keyARN)
	}
	lc, err := c.ecr.GetLifecyclePolicy(t.Context(), &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("settings")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(lc.LifecyclePolicyText); got != lifecycleText {
		t.Errorf("lifecycle policy %s, want %s", got, lifecycleText)
	}
	pol, err := c.ecr.GetRepositoryPolicy(t.Context(), &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("settings")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(aws.ToString(pol.PolicyText), `"Sid": "Pull"`) {
		t.Errorf("repository policy %s, want the template's", aws.ToString(pol.PolicyText))
	}

	changed := strings.Replace(lifecycleText, "14", "7", 1)
	if _, err := c.cfn.UpdateStack(t.Context(), &cloudformation.UpdateStackInput{StackName: aws.String("Settings"), TemplateBody: aws.String(fmt.Sprintf(settings, changed, `"Tags": []`))}); err != nil {
		t.Fatal(err)
	}
	after := describeRepository(t, c, "settings")
	if !after.CreatedAt.Equal(*repo.CreatedAt) {
		t.Error("an update of the lifecycle policy replaced the repository")
	}
	lc, err = c.ecr.GetLifecyclePolicy(t.Context(), &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("settings")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(lc.LifecyclePolicyText); got != changed {
		t.Errorf("lifecycle policy after the update %s, want %s", got, changed)
	}
	_, err = c.ecr.GetRepositoryPolicy(t.Context(), &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("settings")})
	if code := errorCode(err); code != "RepositoryPolicyNotFoundException" {
		t.Errorf("repository policy after the template dropped it: %v, want RepositoryPolicyNotFoundException", err)
	}
}

// Stock moto keeps scanning and encryption in a shape DescribeRepositories
// drops, and ignores both policies.
func TestStockRepositorySettings(t *testing.T) {
	c := clientsFor(servers.stock)
	if err := createStack(t, c, "Settings", fmt.Sprintf(settings, lifecycleText, policy)); err != nil {
		t.Fatal(err)
	}
	repo := describeRepository(t, c, "settings")
	if repo.ImageScanningConfiguration != nil && repo.ImageScanningConfiguration.ScanOnPush {
		t.Error("stock moto now shows scanOnPush from a template: correction (d) of launcher.py may be obsolete")
	}
	if repo.EncryptionConfiguration != nil && repo.EncryptionConfiguration.EncryptionType != "" {
		t.Errorf("stock moto now shows the encryption of a template (%+v): correction (d) may be obsolete", *repo.EncryptionConfiguration)
	}
	_, err := c.ecr.GetLifecyclePolicy(t.Context(), &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("settings")})
	if code := errorCode(err); code != "LifecyclePolicyNotFoundException" {
		t.Errorf("stock moto's lifecycle policy from a template: %v, was none: correction (d) may be obsolete", err)
	}
	_, err = c.ecr.GetRepositoryPolicy(t.Context(), &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("settings")})
	if code := errorCode(err); code != "RepositoryPolicyNotFoundException" {
		t.Errorf("stock moto's repository policy from a template: %v, was none: correction (d) may be obsolete", err)
	}
}

const emptyOnDelete = `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "%s", "EmptyOnDelete": true}}}}`

// deleteNonEmpty creates a stack of a repository with EmptyOnDelete, pushes
// an image to it, deletes the stack and returns whether the repository is
// gone.
func deleteNonEmpty(t *testing.T, c clients, stack, name string) bool {
	t.Helper()
	if err := createStack(t, c, stack, fmt.Sprintf(emptyOnDelete, name)); err != nil {
		t.Fatal(err)
	}
	manifest := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:` + strings.Repeat("a", 64) + `","size":10},"layers":[]}`
	if _, err := c.ecr.PutImage(t.Context(), &ecr.PutImageInput{RepositoryName: aws.String(name), ImageManifest: aws.String(manifest), ImageTag: aws.String("v1")}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.cfn.DeleteStack(t.Context(), &cloudformation.DeleteStackInput{StackName: aws.String(stack)})
	_, err := c.ecr.DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	switch code := errorCode(err); {
	case err == nil:
		return false
	case code == "RepositoryNotFoundException":
		return true
	default:
		t.Fatalf("describe %s after DeleteStack: %v", name, err)
		return false
	}
}

// (e) EMULATION: deleting a stack deletes its repository with EmptyOnDelete,
// images and all.
func TestEmptyOnDeleteEmulation(t *testing.T) {
	if !deleteNonEmpty(t, clientsFor(servers.local), "Empty-On-Delete", "empty-on-delete") {
		t.Error("after DeleteStack, the repository with EmptyOnDelete and an image is still there")
	}
}

// Stock moto ignores EmptyOnDelete: the repository, holding an image,
// outlives its stack's deletion.
func TestStockEmptyOnDelete(t *testing.T) {
	if deleteNonEmpty(t, clientsFor(servers.stock), "Empty-On-Delete", "empty-on-delete") {
		t.Error("stock moto now deletes a non-empty repository with EmptyOnDelete: correction (e) of launcher.py may be obsolete")
	}
}

const registrySettings = `{"Resources": {
 "Scanning": {"Type": "AWS::ECR::RegistryScanningConfiguration", "Properties": {"ScanType": "%s",
   "Rules": [{"ScanFrequency": "SCAN_ON_PUSH", "RepositoryFilters": [{"Filter": "*", "FilterType": "WILDCARD"}]}]}},
 "Policy": {"Type": "AWS::ECR::RegistryPolicy", "Properties": {"PolicyText": {"Version": "2012-10-17",
   "Statement": [{"Sid": "Replicate", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
   "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"], "Resource": "arn:aws:ecr:us-east-1:123456789012:repository/*"}]}}},
 "Replication": {"Type": "AWS::ECR::ReplicationConfiguration", "Properties": {"ReplicationConfiguration": {"Rules": [
   {"Destinations": [{"Region": "us-west-2", "RegistryId": "123456789012"}], "RepositoryFilters": [{"Filter": "prod", "FilterType": "PREFIX_MATCH"}]}]}}}}
 %s}`

const registryOutputs = `, "Outputs": {"Ref": {"Value": {"Ref": "Scanning"}}, "RegistryId": {"Value": {"Fn::GetAtt": ["Policy", "RegistryId"]}}}`

// registryState reads the registry's scanning type and rule count, its
// policy (empty when there is none) and its replication rules.
func registryState(t *testing.T, c clients) (scanType string, scanRules int, policy string, replication []ecrtypes.ReplicationRule) {
	t.Helper()
	sc, err := c.ecr.GetRegistryScanningConfiguration(t.Context(), &ecr.GetRegistryScanningConfigurationInput{})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := c.ecr.GetRegistryPolicy(t.Context(), &ecr.GetRegistryPolicyInput{})
	switch code := errorCode(err); {
	case err == nil:
		policy = aws.ToString(pol.PolicyText)
	case code != "RegistryPolicyNotFoundException":
		t.Fatal(err)
	}
	reg, err := c.ecr.DescribeRegistry(t.Context(), &ecr.DescribeRegistryInput{})
	if err != nil {
		t.Fatal(err)
	}
	return string(sc.ScanningConfiguration.ScanType), len(sc.ScanningConfiguration.Rules), policy, reg.ReplicationConfiguration.Rules
}

// (f) EMULATION: the registry's scanning configuration, policy and
// replication reach moto's ECR on create and update, Ref and GetAtt answer
// the registry ID, and deleting the stack restores the registry's defaults.
func TestRegistrySettingsEmulation(t *testing.T) {
	c := clientsFor(servers.local)
	if err := createStack(t, c, "Registry-Settings", fmt.Sprintf(registrySettings, "ENHANCED", registryOutputs)); err != nil {
		t.Fatal(err)
	}
	scanType, rules, policy, replication := registryState(t, c)
	if scanType != "ENHANCED" || rules != 1 {
		t.Errorf("registry scanning %s with %d rules, want ENHANCED with 1", scanType, rules)
	}
	if !strings.Contains(policy, `"Sid": "Replicate"`) {
		t.Errorf("registry policy %q, want the template's", policy)
	}
	if len(replication) != 1 || len(replication[0].Destinations) != 1 || aws.ToString(replication[0].Destinations[0].Region) != "us-west-2" ||
		len(replication[0].RepositoryFilters) != 1 || aws.ToString(replication[0].RepositoryFilters[0].Filter) != "prod" {
		t.Errorf("replication rules %+v, want one to us-west-2 for prefix prod", replication)
	}
	if got := outputs(t, c, "Registry-Settings"); got["Ref"] != "123456789012" || got["RegistryId"] != "123456789012" {
		t.Errorf("outputs %v, want Ref and GetAtt RegistryId 123456789012", got)
	}

	if _, err := c.cfn.UpdateStack(t.Context(), &cloudformation.UpdateStackInput{StackName: aws.String("Registry-Settings"), TemplateBody: aws.String(fmt.Sprintf(registrySettings, "BASIC", ""))}); err != nil {
		t.Fatal(err)
	}
	if scanType, _, _, _ := registryState(t, c); scanType != "BASIC" {
		t.Errorf("registry scanning after the update %s, want BASIC", scanType)
	}

	if _, err := c.cfn.DeleteStack(t.Context(), &cloudformation.DeleteStackInput{StackName: aws.String("Registry-Settings")}); err != nil {
		t.Fatal(err)
	}
	scanType, rules, policy, replication = registryState(t, c)
	if scanType != "BASIC" || rules != 0 || policy != "" || len(replication) != 0 {
		t.Errorf("after DeleteStack: scanning %s with %d rules, policy %q, replication %+v; want BASIC without rules, none, none", scanType, rules, policy, replication)
	}
}

// Stock moto skips the three types: the stack completes, the registry
// keeps its defaults.
func TestStockRegistrySettings(t *testing.T) {
	c := clientsFor(servers.stock)
	if err := createStack(t, c, "Registry-Settings", fmt.Sprintf(registrySettings, "ENHANCED", "")); err != nil {
		t.Fatal(err)
	}
	scanType, rules, policy, replication := registryState(t, c)
	if scanType != "BASIC" || rules != 0 || policy != "" || len(replication) != 0 {
		t.Errorf("stock moto now applies registry settings from a template (scanning %s, %d rules, policy %q, replication %+v): correction (f) of launcher.py may be obsolete", scanType, rules, policy, replication)
	}
}

const stubs = `{"Resources": {
 "Public": {"Type": "AWS::ECR::PublicRepository", "Properties": {"RepositoryName": "cli"}},
 "Profile": {"Type": "AWS::Signer::SigningProfile", "Properties": {"PlatformId": "Notation-OCI-SHA384-ECDSA"}},
 "Provider": {"Type": "AWS::IAM::OIDCProvider", "Properties": {"Url": "https://token.actions.githubusercontent.com", "ClientIdList": ["sts.amazonaws.com"]}},
 "Topic": {"Type": "AWS::SNS::Topic"},
 "TopicPolicy": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": [{"Ref": "Topic"}], "PolicyDocument": {"Version": "2012-10-17", "Statement": []}}},
 "Template": {"Type": "AWS::ECR::RepositoryCreationTemplate", "Properties": {"Prefix": "ROOT", "AppliedFor": ["PULL_THROUGH_CACHE"]}},
 "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
   "Statement": [{"Effect": "Allow", "Principal": {"Federated": {"Ref": "Provider"}}, "Action": "sts:AssumeRoleWithWebIdentity"}]}}}},
 "Outputs": {
  "PublicRef": {"Value": {"Ref": "Public"}}, "PublicArn": {"Value": {"Fn::GetAtt": ["Public", "Arn"]}},
  "ProfileArn": {"Value": {"Fn::GetAtt": ["Profile", "Arn"]}}, "ProfileVersion": {"Value": {"Fn::GetAtt": ["Profile", "ProfileVersion"]}},
  "ProviderRef": {"Value": {"Ref": "Provider"}}, "TemplateRef": {"Value": {"Ref": "Template"}},
  "RoleArn": {"Value": {"Fn::GetAtt": ["Role", "Arn"]}}}}`

// (g) STUBS: a stack referencing types moto doesn't model deploys; Ref
// answers a physical ID, GetAtt a placeholder, and nothing is created.
func TestStubs(t *testing.T) {
	c := clientsFor(servers.local)
	if err := createStack(t, c, "Stubs", stubs); err != nil {
		t.Fatal(err)
	}
	got := outputs(t, c, "Stubs")
	want := map[string]string{
		"PublicRef":      "cli",
		"PublicArn":      "arn:aws:ecr-public:us-east-1:123456789012:stub/cli",
		"ProfileVersion": "stub:Profile:ProfileVersion",
		"TemplateRef":    "ROOT",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("output %s = %q, want %q", k, got[k], v)
		}
	}
	if !regexp.MustCompile(`^arn:aws:signer:us-east-1:123456789012:stub/Stubs-Profile-\w+$`).MatchString(got["ProfileArn"]) {
		t.Errorf("output ProfileArn = %q, want an ARN-shaped placeholder", got["ProfileArn"])
	}
	if !regexp.MustCompile(`^arn:aws:iam::123456789012:stub/Stubs-Provider-\w+$`).MatchString(got["ProviderRef"]) {
		t.Errorf("output ProviderRef = %q, want an ARN-shaped placeholder", got["ProviderRef"])
	}
	if !strings.HasPrefix(got["RoleArn"], "arn:aws:iam::123456789012:role/") {
		t.Errorf("output RoleArn = %q: the role that trusts the stub provider wasn't created", got["RoleArn"])
	}
	if _, err := c.cfn.DeleteStack(t.Context(), &cloudformation.DeleteStackInput{StackName: aws.String("Stubs")}); err != nil {
		t.Fatal(err)
	}
}

// Stock moto fails the stack with a 500: a Ref or GetAtt to a type it
// doesn't model.
func TestStockStubs(t *testing.T) {
	err := createStack(t, clientsFor(servers.stock), "Stubs", stubs)
	if err == nil || !strings.Contains(err.Error(), "StatusCode: 500") {
		t.Errorf("stock moto's CreateStack of a stack referencing types it doesn't model: %v, was a 500: stubs (g) of launcher.py may be obsolete", err)
	}
}

const keyPolicy = `{"Version": "2012-10-17", "Statement": [{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}`

// keyWithPolicy creates a stack with a key whose KeyPolicy is a JSON
// object, as CDK writes it, and returns the key's ID.
func keyWithPolicy(t *testing.T, c clients, stack string) string {
	t.Helper()
	if err := createStack(t, c, stack, `{"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": true, "KeyPolicy": `+keyPolicy+`}}}}`); err != nil {
		t.Fatal(err)
	}
	return stackResource(t, c, stack, "Key")
}

// (h) A key created with a key policy can be described, and its policy
// reads back as the JSON text of the template's.
func TestKeyPolicy(t *testing.T) {
	c := clientsFor(servers.local)
	id := keyWithPolicy(t, c, "Key-Policy")
	key, err := c.kms.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeKey of a key created with a key policy: %v", err)
	}
	if !key.KeyMetadata.Enabled {
		t.Error("the key is disabled")
	}
	pol, err := c.kms.GetKeyPolicy(t.Context(), &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String("default")})
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "key policy", aws.ToString(pol.Policy), keyPolicy)
}

// Stock moto keeps the policy as an object: DescribeKey answers a 500.
func TestStockKeyPolicy(t *testing.T) {
	c := clientsFor(servers.stock)
	id := keyWithPolicy(t, c, "Key-Policy")
	if _, err := c.kms.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(id)}); err == nil || !strings.Contains(err.Error(), "StatusCode: 500") {
		t.Errorf("stock moto's DescribeKey of a key created with a key policy: %v, was a 500: correction (h) of launcher.py may be obsolete", err)
	}
}

// assertSameJSON fails when got and want are not the same JSON value.
func assertSameJSON(t *testing.T, what, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s %q: %v", what, got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s\n%s\nwant\n%s", what, got, want)
	}
}

const imageFunction = `{"Resources": {
 "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17",
   "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
 "Worker": {"Type": "AWS::Lambda::Function", "Properties": {"PackageType": "Image",
   "Code": {"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/worker:1.0"},
   "ImageConfig": {"Command": ["serve"]}, "Role": {"Fn::GetAtt": ["Role", "Arn"]}}}}}`

// functionPackage pushes the image of imageFunction, creates a stack with
// the function and returns what GetFunction says of it.
func functionPackage(t *testing.T, s *motoserver.Server, stack string) *lambda.GetFunctionOutput {
	t.Helper()
	c := clientsFor(s)
	seed := livetest.New(t, localaws.Endpoint(s.Port))
	seed.Repo("shop/worker", nil)
	seed.Put("shop/worker", "1.0", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "worker", 10))
	if err := createStack(t, c, stack, imageFunction); err != nil {
		t.Fatal(err)
	}
	out, err := c.lambda.GetFunction(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String(stackResource(t, c, stack, "Worker"))})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// (i) A function deployed from an image reads back as one: PackageType
// Image, its image and image configuration.
func TestLambdaPackageType(t *testing.T) {
	fn := functionPackage(t, servers.local, "Image-Function")
	if got := fn.Configuration.PackageType; got != lambdatypes.PackageTypeImage {
		t.Errorf("package type %s, the template says Image", got)
	}
	if got := aws.ToString(fn.Code.ImageUri); got != "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/worker:1.0" {
		t.Errorf("image %q, want the template's", got)
	}
	if ic := fn.Configuration.ImageConfigResponse; ic == nil || ic.ImageConfig == nil || len(ic.ImageConfig.Command) != 1 || ic.ImageConfig.Command[0] != "serve" {
		t.Errorf("image configuration %+v, want the template's command [serve]", ic)
	}
}

// Stock moto records the function as a Zip function.
func TestStockLambdaPackageType(t *testing.T) {
	fn := functionPackage(t, servers.stock, "Image-Function")
	if got := fn.Configuration.PackageType; got != lambdatypes.PackageTypeZip {
		t.Errorf("stock moto's package type of an image function: %s, was Zip: correction (i) of launcher.py may be obsolete", got)
	}
}

// managedKeyOf creates a repository encrypted with KMS without naming a
// key and returns its key ARN and what DescribeKey says of the key.
func managedKeyOf(t *testing.T, c clients, name string) (string, *kms.DescribeKeyOutput, error) {
	t.Helper()
	out, err := c.ecr.CreateRepository(t.Context(), &ecr.CreateRepositoryInput{RepositoryName: aws.String(name),
		EncryptionConfiguration: &ecrtypes.EncryptionConfiguration{EncryptionType: ecrtypes.EncryptionTypeKms}})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.Repository.EncryptionConfiguration.KmsKey)
	key, err := c.kms.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(arn)})
	return arn, key, err
}

// (l) A function whose image isn't in its repository is refused, as
// Lambda refuses it; functionPackage shows one whose image is.
func TestFunctionImageMustExist(t *testing.T) {
	template := strings.Replace(imageFunction, "shop/worker:1.0", "shop/worker:9.9", 1)
	err := createStack(t, clientsFor(servers.local), "Missing-Image", template)
	want := "Source image 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/worker:9.9 does not exist. Provide a valid source image."
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("CreateStack of a function whose image is missing: %v, want %q", err, want)
	}
}

// Stock moto creates the function without its image.
func TestStockFunctionImageMustExist(t *testing.T) {
	template := strings.Replace(imageFunction, "shop/worker:1.0", "shop/worker:9.9", 1)
	if err := createStack(t, clientsFor(servers.stock), "Missing-Image", template); err != nil {
		t.Errorf("stock moto now refuses a function whose image is missing (%v): correction (l) of launcher.py may be obsolete", err)
	}
}

const logGroup = `{"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/round-trip/%s"}}},
 "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Logs", "Arn"]}}}}`

// (m) Fn::GetAtt of a log group's Arn ends in ":*", as CloudFormation's
// does.
func TestLogGroupArn(t *testing.T) {
	c := clientsFor(servers.local)
	if err := createStack(t, c, "Log-Group", fmt.Sprintf(logGroup, "local")); err != nil {
		t.Fatal(err)
	}
	if got, want := outputs(t, c, "Log-Group")["Arn"], "arn:aws:logs:us-east-1:123456789012:log-group:/round-trip/local:*"; got != want {
		t.Errorf("Fn::GetAtt Logs.Arn = %q, want %q", got, want)
	}
}

// Stock moto answers the ARN without ":*".
func TestStockLogGroupArn(t *testing.T) {
	c := clientsFor(servers.stock)
	if err := createStack(t, c, "Log-Group", fmt.Sprintf(logGroup, "stock")); err != nil {
		t.Fatal(err)
	}
	if got := outputs(t, c, "Log-Group")["Arn"]; strings.HasSuffix(got, ":*") {
		t.Errorf("stock moto's Fn::GetAtt Logs.Arn = %q, now with :*: correction (m) of launcher.py may be obsolete", got)
	}
}

// (j) EMULATION: a KMS repository without a key is encrypted with the AWS
// managed key aws/ecr, one per account and Region, which DescribeKey
// reports as managed by AWS.
func TestECRManagedKeyEmulation(t *testing.T) {
	c := clientsFor(servers.local)
	arn, key, err := managedKeyOf(t, c, "managed-key-1")
	if err != nil {
		t.Fatalf("DescribeKey of the key of a KMS repository without one: %v", err)
	}
	if key.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeAws {
		t.Errorf("KeyManager %s, want AWS: the key is aws/ecr", key.KeyMetadata.KeyManager)
	}
	alias, err := c.kms.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ecr")})
	if err != nil || aws.ToString(alias.KeyMetadata.Arn) != arn {
		t.Errorf("alias/aws/ecr: %+v, %v; want the repository's key %s", alias, err, arn)
	}
	if again, _, err := managedKeyOf(t, c, "managed-key-2"); err != nil || again != arn {
		t.Errorf("a second repository's key %s (%v), want the same aws/ecr key %s", again, err, arn)
	}
}

// Stock moto gives the repository a key ARN no key answers to.
func TestStockECRManagedKey(t *testing.T) {
	_, _, err := managedKeyOf(t, clientsFor(servers.stock), "managed-key-1")
	if errorCode(err) != "NotFoundException" {
		t.Errorf("stock moto's DescribeKey of a KMS repository's generated key: %v, was NotFoundException: emulation (j) of launcher.py may be obsolete", err)
	}
}

const (
	// producer outputs a repository's name; consumer reads it with
	// Fn::GetStackOutput into a repository of its own's tag.
	producer = `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "produced/%s"}}},
 "Outputs": {"RepoName": {"Value": {"Ref": "Repo"}}}}`
	consumer = `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "consumed/%s",
   "Tags": [{"Key": "from", "Value": {"Fn::GetStackOutput": {"StackName": "%s", "OutputName": "RepoName", "Region": {"Ref": "AWS::Region"}}}}]}}}}`
)

// crossStack creates a producer stack and a consumer that reads its output,
// and returns the consumer's error.
func crossStack(t *testing.T, c clients, name string) error {
	t.Helper()
	if err := createStack(t, c, name+"-Producer", fmt.Sprintf(producer, strings.ToLower(name))); err != nil {
		t.Fatal(err)
	}
	return createStack(t, c, name+"-Consumer", fmt.Sprintf(consumer, strings.ToLower(name), name+"-Producer"))
}

// (k) Fn::GetStackOutput reads another stack's output; a missing output
// fails the stack.
func TestGetStackOutput(t *testing.T) {
	c := clientsFor(servers.local)
	if err := crossStack(t, c, "Weak-Ref"); err != nil {
		t.Fatal(err)
	}
	repo := describeRepository(t, c, "consumed/weak-ref")
	tags, err := c.ecr.ListTagsForResource(t.Context(), &ecr.ListTagsForResourceInput{ResourceArn: repo.RepositoryArn})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "produced/weak-ref" {
		t.Errorf("tags %+v, want from=produced/weak-ref, the producer's output", tags.Tags)
	}
	err = createStack(t, c, "Weak-Ref-Missing", fmt.Sprintf(strings.Replace(consumer, "RepoName", "NoSuchOutput", 1), "missing", "Weak-Ref-Producer"))
	if err == nil || !strings.Contains(err.Error(), "Output NoSuchOutput of stack Weak-Ref-Producer in 123456789012/us-east-1 not found") {
		t.Errorf("a stack reading a missing output: %v, want it refused, naming the output", err)
	}
}

// Stock moto passes the function through as the value: the tag holds
// the function, not the output.
func TestStockGetStackOutput(t *testing.T) {
	c := clientsFor(servers.stock)
	if err := crossStack(t, c, "Weak-Ref"); err != nil {
		return // refused outright: also not the output
	}
	repo := describeRepository(t, c, "consumed/weak-ref")
	tags, err := c.ecr.ListTagsForResource(t.Context(), &ecr.ListTagsForResourceInput{ResourceArn: repo.RepositoryArn})
	if err == nil && len(tags.Tags) == 1 && aws.ToString(tags.Tags[0].Value) == "produced/weak-ref" {
		t.Error("stock moto now resolves Fn::GetStackOutput: correction (k) of launcher.py may be obsolete")
	}
}

// The launcher refuses another moto version in one line, before it changes
// anything.
func TestRefusesAnotherMotoVersion(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(dir+"/moto", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/moto/__init__.py", []byte("__version__ = \"9.9.9\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PYTHONPATH", dir)
	s, err := localaws.Start(localaws.Options{})
	if err == nil {
		s.Stop()
		t.Fatal("the launcher started with moto 9.9.9")
	}
	want := regexp.MustCompile(`^moto 9\.9\.9 found for \S+, this launcher is written for moto 5\.2\.1: pip install 'moto\[server\]==5\.2\.1'$`)
	if !want.MatchString(err.Error()) {
		t.Errorf("error %q, want one line matching %s", err, want)
	}
}
