package cdktest

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/secure-ecr/ecr-cdk-go/internal/cdkreport"
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
	read, err := cdkreport.Read(filepath.Join(dir, "validation-report.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("CDK's CloudFormation validation did not run (is CDK_VALIDATION=false set and no plugin registered?): %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("validation report: %w", err)
	}
	findings := make([]Finding, len(read))
	for i, f := range read {
		findings[i] = Finding(f)
	}
	return findings, nil
}
