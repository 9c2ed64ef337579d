// Package eventpatterns tests the EventBridge rules of package ecr against
// AWS's sample events with quamina (quamina.net/go/quamina), an
// event-pattern matcher.
//
// It is a module of its own so that quamina stays out of the library's
// go.mod: quamina v1.5.1 declares the path quamina.net/go/quamina while the
// module proxy serves it under github.com/timbray/quamina, which only a
// replace directive reconciles, and replace directives don't reach the
// library's users. `make test` runs these tests with the rest.
package eventpatterns
