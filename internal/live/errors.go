package live

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// Message returns an error of a reader as one line for the commands: the
// service and operation, then the API's error code and message, or what
// went wrong on the way (a timeout, a refused connection, an answer that
// isn't the API's JSON). It never includes a stack or the SDK's request
// details beyond the code.
func Message(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	var where string
	var op *smithy.OperationError
	if errors.As(err, &op) {
		where = op.ServiceID + " " + op.OperationName + ": "
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
		return where + "no answer within the timeout (--timeout), after every retry; is the endpoint (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR) reachable?"
	case isDeserialization(err):
		return where + "the server's answer is not the API's JSON: " + oneLine(innermost(err))
	}
	var quota *retry.MaxAttemptsError
	if errors.As(err, &quota) {
		return where + "gave up after " + itoa(quota.Attempt) + " attempts: " + oneLine(innermost(err))
	}
	return where + oneLine(innermost(err))
}

// IsAccessDenied reports whether err is an access denial, which the
// commands report for the one repository and go on with the others.
func IsAccessDenied(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnrecognizedClientException":
			return true
		}
	}
	return false
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
