// Package adoptcmd is ecr-cdk adopt: the Go code that declares existing
// repositories with the library, for cdk import, from the AWS CLI's exports
// or read live from the account (package internal/engine/adopt generates
// it).
package adoptcmd

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/adopt"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
)

// Usage is ecr-cdk adopt's help text, printed by --help.
const Usage = `ecr-cdk adopt writes the Go code that declares existing ECR repositories
with the library, for cdk import, from what the AWS CLI prints about them.

Usage:
  ecr-cdk adopt --repositories DESCRIBE.json [--lifecycle-policies DIR] [--repository-policies DIR]
                [--prefix P] --package NAME --out DIR [--stack NAME] [--account ID] [--region REGION]
                [--aws-managed-key ARN] [--format table|json]
  ecr-cdk adopt --live [--profile PROFILE] [--region REGION] [--concurrency N] [--timeout DURATION]
                [--prefix P] --package NAME --out DIR [--stack NAME] [--account ID]
                [--aws-managed-key ARN] [--format table|json]

  --repositories         the output of aws ecr describe-repositories (each repository may also
                         carry "tags": [{"Key": ..., "Value": ...}], from list-tags-for-resource)
  --lifecycle-policies   a folder of aws ecr get-lifecycle-policy outputs, one per repository
  --repository-policies  a folder of aws ecr get-repository-policy outputs, one per repository
                         (each file names its repository in repositoryName; file names don't matter)
  --prefix               adopt only the repositories whose name starts with P
  --package              the package name of the generated file
  --out                  the folder to write adopted.go and resource-mapping.json to (created if needed)
  --stack                the stack the repositories are imported into (default ` + adopt.DefaultStack + `)
  --account, --region    the stack's account and Region (default: the first repository's);
                         repositories elsewhere are refused
  --aws-managed-key      the ARN of the AWS-managed key aws/ecr, when describe-repositories names it
                         as a repository's kmsKey: such repositories are declared with KMS alone
                         (with --live, kms:DescribeKey tells that key apart without it)
  --format               the report on standard output: table (default) or json
  --live                 read the repositories, their tags and both policies from the account
                         (the AWS SDK's default credential chain, --profile, --region,
                         AWS_ENDPOINT_URL) instead of files; see docs/live.md

It writes DIR/adopted.go, with func Repositories(scope constructs.Construct, upgrade bool)
map[string]ecr.Repository, and DIR/resource-mapping.json for cdk import --resource-mapping,
then prints, per repository, the Security Hub controls it fails today, which upgrade fixes
in place and which need a migration. See docs/adoption.md.

Exit status: 0 written, 1 refused input (one line per problem, nothing written), 2 wrong usage.
`

// Run is ecr-cdk adopt: args are its arguments, after "adopt"; it returns
// the exit status (package cli's).
func Run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("adopt", flag.ContinueOnError)
	var o adopt.Options
	fs.StringVar(&o.Repositories, "repositories", "", "")
	fs.StringVar(&o.LifecyclePolicies, "lifecycle-policies", "", "")
	fs.StringVar(&o.RepositoryPolicies, "repository-policies", "", "")
	fs.StringVar(&o.Prefix, "prefix", "", "")
	fs.StringVar(&o.Package, "package", "", "")
	fs.StringVar(&o.Stack, "stack", adopt.DefaultStack, "")
	fs.StringVar(&o.Account, "account", "", "")
	fs.StringVar(&o.AWSManagedKey, "aws-managed-key", "", "")
	out := fs.String("out", "", "")
	format := cli.AddFormat(fs)
	fromLive := fs.Bool("live", false, "")
	var lf live.Flags // --region is also the stack's Region, without --live
	lf.Register(fs)
	if code, ok := cli.Parse(fs, args, "ecr-cdk", Usage, stdout, stderr); !ok {
		return code
	}
	o.Region = lf.Region
	liveOnly := slices.DeleteFunc(lf.Given(fs), func(name string) bool { return name == "region" })
	switch {
	case *fromLive && (o.Repositories != "" || o.LifecyclePolicies != "" || o.RepositoryPolicies != ""):
		return cli.UsageError(stderr, "ecr-cdk", "adopt", "--live reads the account: it can't be combined with --repositories, --lifecycle-policies or --repository-policies")
	case !*fromLive && len(liveOnly) > 0:
		return cli.UsageError(stderr, "ecr-cdk", "adopt", "--profile, --concurrency and --timeout go with --live")
	case lf.Check() != "":
		return cli.UsageError(stderr, "ecr-cdk", "adopt", lf.Check())
	case o.Repositories == "" && !*fromLive:
		return cli.UsageError(stderr, "ecr-cdk", "adopt", "--repositories is required, or --live to read the account")
	case o.Package == "":
		return cli.UsageError(stderr, "ecr-cdk", "adopt", "--package is required")
	case *out == "":
		return cli.UsageError(stderr, "ecr-cdk", "adopt", "--out is required")
	case o.Stack == "":
		return cli.UsageError(stderr, "ecr-cdk", "adopt", "--stack must not be empty")
	case cli.CheckFormat(*format) != "":
		return cli.UsageError(stderr, "ecr-cdk", "adopt", cli.CheckFormat(*format))
	}

	var res *adopt.Result
	var err error
	if *fromLive {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		c, lerr := live.Load(ctx, lf.Options(stderr))
		if lerr != nil {
			fmt.Fprintf(stderr, "ecr-cdk adopt: %s\n", liveMessage(lerr))
			return cli.ExitRefused
		}
		in, rerr := readLive(ctx, c, o.Prefix)
		if rerr != nil {
			fmt.Fprintf(stderr, "ecr-cdk adopt: %s\n", liveMessage(rerr))
			return cli.ExitRefused
		}
		if o.Region == "" {
			o.Region = c.Region
		}
		o.Source = "the account's registry in " + c.Region + " (ecr-cdk adopt --live)"
		res, err = adopt.Build(o, in)
	} else {
		res, err = adopt.Generate(o)
	}
	if err != nil {
		for _, line := range problemLines(err) {
			fmt.Fprintf(stderr, "ecr-cdk adopt: %s\n", line)
		}
		return cli.ExitRefused
	}
	var report bytes.Buffer
	if *format == cli.FormatJSON {
		err = res.WriteJSON(&report)
	} else {
		err = res.WriteTable(&report, *out)
	}
	if err == nil {
		err = writeFiles(*out, map[string][]byte{"adopted.go": res.Source, "resource-mapping.json": res.Mapping})
	}
	if err != nil {
		fmt.Fprintf(stderr, "ecr-cdk adopt: %v\n", err)
		return cli.ExitRefused
	}
	if _, err := stdout.Write(report.Bytes()); err != nil {
		fmt.Fprintf(stderr, "ecr-cdk adopt: %v\n", err)
		return cli.ExitRefused
	}
	return cli.ExitOK
}

// problemLines splits the generator's problems into lines; Run
// prefixes each with "ecr-cdk adopt: ", as the other subcommands do
// ("ecr-cdk adopt: repos.json:2:22: repositories.repositoryName: must be a string").
func problemLines(err error) []string {
	var p adopt.Problems
	if errors.As(err, &p) {
		return p
	}
	return []string{err.Error()}
}

// writeFiles writes every file or none: each goes to a temporary file in
// dir first, and the files are renamed into place only when all are
// written.
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	temps := map[string]string{}
	defer func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}()
	for name, data := range files {
		f, err := os.CreateTemp(dir, "."+name+".*")
		if err != nil {
			return err
		}
		temps[name] = f.Name()
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(f.Name(), 0o644)
		}
		if err != nil {
			return err
		}
	}
	for name, t := range temps {
		if err := os.Rename(t, filepath.Join(dir, name)); err != nil {
			return err
		}
		delete(temps, name)
	}
	return nil
}
