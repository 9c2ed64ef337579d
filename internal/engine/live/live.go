// Package live reads an account's Amazon ECR registry, and the images its
// ECS services and Lambda functions use, with the AWS SDK for Go v2. It is
// the commands' only door to AWS (ecr-lifecycle's live modes, ecr-cdk audit,
// and the --live modes of ecr-cdk adopt and diff); the constructs never
// import it, so a user of the constructs gets no SDK in their go.mod
// (internal/testsupport/consumergraph proves it).
//
// Clients come from the SDK's default chain: credentials from the
// environment, the shared files (with --profile), SSO, web identity or a
// container or instance role; the Region from --region, AWS_REGION or the
// profile; and the endpoint from AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_ECR
// (…_ECS, …_LAMBDA), which the SDK honours itself. Requests use the SDK's
// adaptive retry mode (exponential backoff with jitter, and a client-side
// rate that drops on throttling), a per-attempt timeout, and readers follow
// every nextToken to the end. Work across repositories runs at most
// Options.Concurrency at a time; every reader stops when its context is
// cancelled (the commands cancel it on Ctrl-C).
package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go/middleware"

	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// Defaults of [Options].
const (
	// DefaultConcurrency is how many repositories are read at a time. ECR's
	// API quotas for the read calls are in the tens of requests per second
	// per account and Region; eight readers stay below them while keeping a
	// large registry's read bounded by the server rather than by latency.
	DefaultConcurrency = 8
	// DefaultTimeout bounds one attempt of one request.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxAttempts is how many times a request is tried (throttling,
	// 5xx, timeouts) before its error is returned.
	DefaultMaxAttempts = 5
)

// Options configures [Load].
type Options struct {
	// Profile is a profile of the shared config and credentials files
	// (--profile); "" for the SDK's default (AWS_PROFILE, else "default").
	Profile string
	// Region is the Region (--region); "" for the SDK's default chain.
	Region string
	// Concurrency bounds how many repositories are read at a time.
	// Default: DefaultConcurrency.
	Concurrency int
	// Timeout bounds one attempt of one request. Default: DefaultTimeout.
	Timeout time.Duration
	// MaxAttempts is how many times a request is tried.
	// Default: DefaultMaxAttempts.
	MaxAttempts int
	// MaxBackoff bounds the wait between attempts. Default: the
	// environment variable ECR_CDK_MAX_BACKOFF (a duration such as "100ms",
	// for tests and for CI that would rather fail fast), else the SDK's,
	// 20 s.
	MaxBackoff time.Duration
	// Progress, when not nil and a terminal, shows a progress line for long
	// reads. Commands pass os.Stderr; anything but a terminal stays quiet.
	Progress io.Writer
}

// Clients are the SDK clients of one account and Region.
type Clients struct {
	ECR            *ecr.Client
	ECS            *ecs.Client
	Lambda         *lambda.Client
	CloudFormation *cloudformation.Client
	KMS            *kms.Client
	// Region is the Region the clients were made for.
	Region string
	// Concurrency is Options.Concurrency, defaulted.
	Concurrency int

	progress io.Writer
	requests *atomic.Int64
}

// Requests returns how many HTTP requests (attempts included) the clients
// have sent.
func (c *Clients) Requests() int64 { return c.requests.Load() }

// countAttempts counts every attempt of every request: a middleware of the
// finalize step after the retry loop's.
func countAttempts(n *atomic.Int64) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("liveCountAttempts",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				n.Add(1)
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	}
}

// credentialChain names the SDK's default credential chain in messages.
const credentialChain = "the SDK's default chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
	"the shared credentials and config files (--profile or AWS_PROFILE; SSO with aws sso login), " +
	"web identity (AWS_WEB_IDENTITY_TOKEN_FILE), the container endpoint, then the EC2 instance role"

// MaxBackoffEnv is the environment variable that bounds the wait between
// attempts when Options.MaxBackoff doesn't (see there).
const MaxBackoffEnv = "ECR_CDK_MAX_BACKOFF"

// Load makes the clients from the SDK's default chain, checking the Region
// and resolving the credentials first, so that a missing Region or missing
// credentials is one clear error before any request.
func Load(ctx context.Context, opts Options) (*Clients, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if v := os.Getenv(MaxBackoffEnv); opts.MaxBackoff <= 0 && v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%s %q: must be a positive duration such as 100ms", MaxBackoffEnv, v)
		}
		opts.MaxBackoff = d
	}
	if opts.Region != "" {
		if err := checkRegion(opts.Region, "--region"); err != nil {
			return nil, err
		}
	}
	requests := &atomic.Int64{}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(opts.Timeout)),
		config.WithAPIOptions([]func(*middleware.Stack) error{countAttempts(requests)}),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
					so.MaxAttempts = opts.MaxAttempts
					if opts.MaxBackoff > 0 {
						so.MaxBackoff = opts.MaxBackoff
					}
				})
			})
		}),
	}
	if opts.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(opts.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %s", oneLine(err.Error()))
	}
	if cfg.Region == "" {
		return nil, errors.New("no Region: give --region, set AWS_REGION, or set region in the profile")
	}
	if err := checkRegion(cfg.Region, "Region"); err != nil {
		return nil, err
	}
	credCtx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	if cfg.Credentials == nil {
		return nil, errors.New("no AWS credentials found by " + credentialChain)
	}
	if _, err := cfg.Credentials.Retrieve(credCtx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("no AWS credentials found by %s (%s)", credentialChain, oneLine(lastPart(err.Error())))
	}
	return &Clients{
		ECR:            ecr.NewFromConfig(cfg),
		ECS:            ecs.NewFromConfig(cfg),
		Lambda:         lambda.NewFromConfig(cfg),
		CloudFormation: cloudformation.NewFromConfig(cfg),
		KMS:            kms.NewFromConfig(cfg),
		Region:         cfg.Region,
		Concurrency:    opts.Concurrency,
		progress:       opts.Progress,
		requests:       requests,
	}, nil
}

// checkRegion refuses a Region that CDK's table (the one the constructs
// check Regions against) doesn't know: a mistyped Region would otherwise
// send requests to a host that doesn't exist.
func checkRegion(region, what string) error {
	if _, known := check.RegionPartition(region); known {
		return nil
	}
	if !check.WellFormedRegion(region) {
		return fmt.Errorf("%s %q: not a Region name, such as us-east-1", what, region)
	}
	return fmt.Errorf("%s %q: unknown Region (not in the table of aws-cdk-go %s)", what, region, check.RegionTableCDKVersion)
}

// lastPart keeps the end of the SDK's chained credential error, which
// names the last provider tried.
func lastPart(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}

// oneLine folds an error's text onto one line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const max = 300
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
