package lifecyclecli

import "testing"

// The static analysis's findings, as validate prints them: a protection that
// protects nothing fails, warnings pass unless --strict.
func TestValidatePrintsTheAnalysis(t *testing.T) {
	const expireAll = `{"rulePriority":1,"description":"expire all","selection":{"tagStatus":"tagged","tagPatternList":["*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}`
	const protectProd = `{"rulePriority":2,"description":"keep prod","selection":{"tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":2147483647},"action":{"type":"expire"}}`
	const keepV = `{"rulePriority":1,"description":"keep v","selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}`
	const keepV1 = `{"rulePriority":2,"description":"keep v1","selection":{"tagStatus":"tagged","tagPrefixList":["v1"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}`
	tests := []struct {
		name   string
		policy string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{
			"protection that protects nothing", `{"rules":[` + expireAll + `,` + protectProd + `]}`, nil, ExitInvalid, "",
			`<stdin>: rules[1] ("keep prod"): selection.tagPrefixList ["prod"]: protects nothing: rules[0] ("expire all") comes first and acts on the images it selects; put the protecting rules before the rules that expire or archive` + "\n",
		},
		{
			"dead rule", `{"rules":[` + keepV + `,` + keepV1 + `]}`, nil, ExitOK, "<stdin>: valid, 2 rules, 1 warning\n",
			`<stdin>: warning: rules[1] ("keep v1"): selection.tagPrefixList ["v1"]: can never act: every image it selects is taken first by rules[0] ("keep v")` + "\n",
		},
		{
			"dead rule, strict", `{"rules":[` + keepV + `,` + keepV1 + `]}`, []string{"--strict"}, ExitInvalid, "",
			`<stdin>: warning: rules[1] ("keep v1"): selection.tagPrefixList ["v1"]: can never act: every image it selects is taken first by rules[0] ("keep v")` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.policy, append([]string{"validate", "--policy", "-"}, tt.args...)...)
			if code != tt.code || out != tt.stdout || errOut != tt.stderr {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q", code, out, errOut, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}
