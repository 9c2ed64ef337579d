package registry

import "github.com/secure-ecr/ecr-cdk-go/helpers/validation"

// Validate checks the props the way NewRepositoryCreationTemplate does,
// without building anything, and returns every problem found as
// [validation.Errors] (nil when the props are valid). nil props are valid
// (the ROOT template). The constructor also checks what depends on where the
// template goes: the scope, the id, and a key or role of another Region or
// partition than the stack's.
func (props *RepositoryCreationTemplateProps) Validate() error {
	p := &validation.Collector{Package: "registry", Path: "RepositoryCreationTemplateProps"}
	checkTemplateProps(props, place{}, p)
	return p.Err()
}

// Validate checks the props the way NewPullThroughCacheRule does, without
// building anything, and returns every problem found as [validation.Errors]
// (nil when the props are valid). The constructor also checks what depends on
// where the rule goes: the scope, the id, a secret of another Region or
// account, and a partition without pull-through cache.
func (props *PullThroughCacheRuleProps) Validate() error {
	p := &validation.Collector{Package: "registry", Path: "PullThroughCacheRuleProps"}
	checkCacheRule(props, "", place{}, p)
	return p.Err()
}

// Validate checks the statements the way NewPolicy does, without building
// anything, and returns every problem found as [validation.Errors] (nil when
// they are valid). nil props are valid.
func (props *PolicyProps) Validate() error {
	if props == nil {
		return nil
	}
	p := &validation.Collector{Package: "registry", Path: "PolicyProps"}
	checkRegistryStatements("Statements", 0, props.Statements, p)
	return p.Err()
}
