package cdktest

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/cdkreport"
)

// Finding is one violation in CDK's validation report, for one construct:
// Plugin (the validation plugin that reported it), Rule (such as
// "SECURITYHUB_ECR_1"), Severity ("error", "warning", or the plugin's own
// word), Description (the rule's message) and Path (the violating
// construct's path). It is the type exit.OnError reads the report into too.
type Finding = cdkreport.Finding

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
	return read, nil
}
