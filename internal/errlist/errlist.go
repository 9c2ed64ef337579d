// Package errlist holds what the public error lists of package ecr and
// package lifecycle share: one line for the whole list, and its errors for
// errors.As and errors.Is.
package errlist

import "strings"

// Join returns the errors' messages on one line, separated by "; ".
func Join[E error](list []E) string {
	msgs := make([]string, len(list))
	for i, e := range list {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the list as plain errors.
func Unwrap[E error](list []E) []error {
	out := make([]error, len(list))
	for i, e := range list {
		out[i] = e
	}
	return out
}
