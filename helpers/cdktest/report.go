package cdktest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Finding is one violation in CDK's validation report, for one construct.
type Finding struct {
	// Plugin is the validation plugin that reported it.
	Plugin string
	// Rule is the rule's name, such as "SECURITYHUB_ECR_1".
	Rule string
	// Severity is "error" or "warning".
	Severity string
	// Description is the rule's message.
	Description string
	// Path is the construct path of the violating resource.
	Path string
}

// ValidationReport reads the validation report CDK writes into the cloud
// assembly at dir: one Finding per rule and violating construct. CDK leaves a
// plugin that found nothing out of the report, and writes no report when no
// plugin ran, so a missing report is an error. When findings fail synthesis,
// the report is written before the failure.
func ValidationReport(dir string) ([]Finding, error) {
	data, err := os.ReadFile(filepath.Join(dir, "validation-report.json"))
	if err != nil {
		return nil, fmt.Errorf("CDK's CloudFormation validation did not run (is CDK_VALIDATION=false set and no plugin registered?): %w", err)
	}
	var report struct {
		PluginReports []struct {
			PluginName string `json:"pluginName"`
			Violations []struct {
				RuleName            string `json:"ruleName"`
				Description         string `json:"description"`
				Severity            string `json:"severity"`
				ViolatingConstructs []struct {
					ConstructPath string `json:"constructPath"`
				} `json:"violatingConstructs"`
			} `json:"violations"`
		} `json:"pluginReports"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		return nil, fmt.Errorf("validation report: %w", err)
	}
	var findings []Finding
	for _, p := range report.PluginReports {
		for _, v := range p.Violations {
			for _, c := range v.ViolatingConstructs {
				findings = append(findings, Finding{p.PluginName, v.RuleName, v.Severity, v.Description, c.ConstructPath})
			}
		}
	}
	return findings, nil
}
