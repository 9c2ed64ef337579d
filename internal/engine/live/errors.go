package live

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// Message returns an error of a reader as one line for the commands: the
// service and operation, then the API's error code and message, or what
// went wrong on the way (a timeout, a refused connection, an answer that
// isn't the API's JSON). A timeout, a refused connection and a host that
// doesn't resolve name the endpoint (scheme and host) and the environment
// variables it comes from. It never includes a stack or the SDK's request
// details beyond the code and the endpoint.
func Message(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	var where string
	vars := "AWS_ENDPOINT_URL" // where the endpoint comes from, when not the Region's
	var op *smithy.OperationError
	if errors.As(err, &op) {
		where = op.ServiceID + " " + op.OperationName + ": "
		// The service's own variable: AWS_ENDPOINT_URL_ECR, …_ECS, …_LAMBDA
		// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
		vars += ", AWS_ENDPOINT_URL_" + strings.ToUpper(strings.ReplaceAll(op.ServiceID, " ", "_"))
	}
	var api smithy.APIError
	switch {
	case errors.As(err, &api):
		msg := api.ErrorMessage()
		if msg == "" {
			return where + api.ErrorCode()
		}
		return where + api.ErrorCode() + ": " + oneLine(msg)
	case isTimeout(err):
		endpoint := "the endpoint"
		if e := endpointOf(err); e != "" {
			endpoint += " " + e
		}
		return where + "no answer within the timeout (--timeout), after every retry; is " + endpoint + " (" + vars + ") reachable?"
	case isDeserialization(err):
		return where + "the server's answer is not the API's JSON: " + oneLine(innermost(err))
	}
	var attempts string
	var quota *retry.MaxAttemptsError
	if errors.As(err, &quota) {
		attempts = "gave up after " + itoa(quota.Attempt) + " attempts: "
	}
	if e := endpointOf(err); e != "" && isDial(err) {
		// A refused connection or a host that doesn't resolve: the one
		// thing to check is the endpoint, which the SDK's error leaves out.
		return where + attempts + "can't connect to the endpoint " + e + " (" + vars + ", else the Region's): " + oneLine(innermost(err))
	}
	return where + attempts + oneLine(innermost(err))
}

// endpointOf returns the scheme and host of the URL a request was sent to
// ("http://127.0.0.1:5000"), or "" when err names none.
func endpointOf(err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return ""
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// isDial reports whether err is a failure to open the connection: refused,
// unreachable, or a host name that doesn't resolve.
func isDial(err error) bool {
	var oe *net.OpError
	var de *net.DNSError
	return (errors.As(err, &oe) && oe.Op == "dial") || errors.As(err, &de)
}

// IsNotFound reports whether err is ECR's RepositoryNotFoundException.
func IsNotFound(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == "RepositoryNotFoundException"
}

func isTimeout(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout exceeded")
}

func isDeserialization(err error) bool {
	var de *smithy.DeserializationError
	return errors.As(err, &de) || strings.Contains(err.Error(), "deserialization failed")
}

// innermost returns the text of the innermost error of a chain, which is
// where the SDK's wrapped errors say what happened.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{digits[n%10]}, b...)
	}
	return string(b)
}
