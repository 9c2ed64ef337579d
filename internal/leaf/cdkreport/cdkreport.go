// Package cdkreport reads the policy validation report CDK writes into a
// cloud assembly (validation-report.json), for the testing kit and for
// exit.OnError, which both report its findings one per line. The report's
// shape is aws-cdk-lib's PolicyValidationReportJson (core/lib/validation/
// private/report.ts).
package cdkreport

import (
	"encoding/json"
	"os"
)

// Finding is one violation of one construct.
type Finding struct {
	// Plugin is the validation plugin that reported it.
	Plugin string
	// Rule is the rule's name.
	Rule string
	// Severity is the rule's severity as the plugin says it ("error",
	// "warning", "info", or the plugin's own words).
	Severity string
	// Description says what is wrong.
	Description string
	// Path is the violating construct's path.
	Path string
}

// Read returns every finding of the report at path, in the report's order.
func Read(path string) ([]Finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
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
		return nil, err
	}
	var findings []Finding
	for _, p := range report.PluginReports {
		for _, v := range p.Violations {
			for _, c := range v.ViolatingConstructs {
				findings = append(findings, Finding{Plugin: p.PluginName, Rule: v.RuleName, Severity: v.Severity, Description: v.Description, Path: c.ConstructPath})
			}
		}
	}
	return findings, nil
}
