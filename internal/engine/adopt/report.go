package adopt

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// ReportControl is one control of one repository in the report.
type ReportControl struct {
	ID          string `json:"id"`
	Requirement string `json:"requirement"`
	// Today is "passes", "fails", or "unknown" when what ECR describes
	// can't tell (ECR.5 of a KMS key other than aws/ecr: ecr-cdk audit says
	// UNKNOWN too).
	Today string `json:"today"`
	// Upgrade is "kept" (passes or unknown today), "fixed in place" or
	// "migration".
	Upgrade string `json:"upgrade"`
	// How says what upgrade changes, or how to migrate.
	How string `json:"how,omitempty"`
}

// ReportRepository is one repository of the report.
type ReportRepository struct {
	Name      string          `json:"name"`
	LogicalID string          `json:"logicalId"`
	Controls  []ReportControl `json:"controls"`
}

// Report lists, per repository, the Security Hub controls it fails today,
// which upgrade == true fixes in place, and which need a migration.
func (res *Result) Report() []ReportRepository {
	out := make([]ReportRepository, len(res.Repositories))
	for i, r := range res.Repositories {
		out[i] = ReportRepository{Name: r.Name, LogicalID: r.LogicalID}
		for _, c := range controls(r) {
			rc := ReportControl{ID: c.ID, Requirement: c.Requirement, Today: "passes", Upgrade: "kept"}
			switch {
			case c.Passes:
			case c.Unknown:
				rc.Today, rc.How = "unknown", c.Detail
			case c.Migration != "":
				rc.Today, rc.Upgrade, rc.How = "fails", "migration", c.Migration
			default:
				rc.Today, rc.Upgrade, rc.How = "fails", "fixed in place", c.Fix
			}
			out[i].Controls = append(out[i].Controls, rc)
		}
	}
	return out
}

// WriteTable writes the report as a table per repository, then the next
// steps.
func (res *Result) WriteTable(w io.Writer, dir string) error {
	for _, r := range res.Report() {
		fmt.Fprintf(w, "%s (logical ID %s)\n", r.Name, r.LogicalID)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  control\ttoday\tupgrade\thow")
		for _, c := range r.Controls {
			how := c.How
			if how == "" {
				how = "-"
			}
			fmt.Fprintf(tw, "  %s %s\t%s\t%s\t%s\n", c.ID, c.Requirement, c.Today, c.Upgrade, how)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintf(w, "Wrote %s/adopted.go and %s/resource-mapping.json for stack %s (account %s, %s).\n"+
		"Next: cdk import %s --resource-mapping %s/resource-mapping.json with Repositories(stack, false),\n"+
		"then cdk deploy %s with Repositories(stack, true) (docs/adoption.md).\n",
		dir, dir, res.Stack, res.Account, res.Region, res.Stack, dir, res.Stack)
	return err
}

// WriteJSON writes the report as JSON: {"stack", "account", "region",
// "repositories": [...]}.
func (res *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]any{
		"stack": res.Stack, "account": res.Account, "region": res.Region,
		"repositories": res.Report(),
	})
}
