package devprod_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/examples/devprod"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// ruleDescriptions returns the priorities and descriptions of a repository's
// lifecycle rules, in order.
func ruleDescriptions(t *testing.T, repo map[string]any) []string {
	t.Helper()
	text := repo["Properties"].(map[string]any)["LifecyclePolicy"].(map[string]any)["LifecyclePolicyText"].(string)
	var doc struct {
		Rules []struct {
			RulePriority int
			Description  string
		}
	}
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range doc.Rules {
		b, _ := json.Marshal(r.RulePriority)
		out = append(out, string(b)+" "+r.Description)
	}
	return out
}

func TestSnapshot(t *testing.T) {
	// The compliance pack holds both stacks to every control: the
	// development repository breaks Security Hub ECR.2 and Checkov
	// CKV_AWS_51 on purpose (mutable tags), and the preset acknowledges
	// those two for that repository alone.
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{
			devprod.NewDevStack(app, "EcrDev", nil),
			devprod.NewProdStack(app, "EcrProd", nil),
		}
	})

	dev := cdktest.Resource(t, templates["EcrDev"], "AWS::ECR::Repository")
	cdktest.JSONEqual(t, "dev rules", ruleDescriptions(t, dev), []string{
		"1 Expire untagged images 7 days after push",
		"2 Expire images tagged feature-* 14 days after push",
		"3 Expire images tagged pr-* 3 days after push",
		"4 Keep the 10 most recent images",
	})
	cdktest.JSONEqual(t, "dev removal", []any{dev["DeletionPolicy"], dev["Properties"].(map[string]any)["EmptyOnDelete"]}, []any{"Delete", true})

	prod := cdktest.Resource(t, templates["EcrProd"], "AWS::ECR::Repository")
	cdktest.JSONEqual(t, "prod rules", ruleDescriptions(t, prod), []string{
		"1 Expire untagged images 14 days after push",
		"2 Expire images tagged pr-* 7 days after push",
		"3 Keep the 30 most recent images",
	})
	key := cdktest.Resource(t, templates["EcrProd"], "AWS::KMS::Key")
	cdktest.JSONEqual(t, "prod key", []any{key["Properties"].(map[string]any)["EnableKeyRotation"], key["DeletionPolicy"]}, []any{true, "Retain"})
}
