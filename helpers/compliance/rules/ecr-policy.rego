package ecr_compliance.policy

import rego.v1

# Checkov CKV_AWS_32: no repository policy statement may allow the "*"
# principal unless an aws:PrincipalOrgID condition limits it. This control is
# Rego, not Guard, because the plugin's Guard engine can't query into policy
# statements: when probed (aws-cdk-lib 2.270, before the module moved to
# 2.277.0), every form tried (projections, indexes, filters, some, blocks)
# reported nothing. It runs in the same CloudFormationValidatePlugin and
# lands in the same report; TestStarPrincipalsNeedAnOrganizationCondition
# checks it with 2.277.0.
violation contains v if {
	some name in resources_of_type("AWS::ECR::Repository")
	policy := policy_document(resolve(name, "Properties.RepositoryPolicyText"))
	some i, statement in statements(policy)
	statement.Effect == "Allow"
	open_principal(statement.Principal)
	not org_condition(statement)
	v := make_diag_at(
		"CHECKOV_CKV_AWS_32", "ERROR", name,
		sprintf("Properties.RepositoryPolicyText.Statement.%d", [i]),
		"Checkov CKV_AWS_32: a repository policy statement allows the * principal without an aws:PrincipalOrgID condition",
	)
}

# A policy is an object in CDK's templates, or JSON text.
policy_document(p) := p if is_object(p)

policy_document(p) := json.unmarshal(p) if is_string(p)

statements(policy) := policy.Statement if is_array(policy.Statement)

statements(policy) := [policy.Statement] if is_object(policy.Statement)

open_principal(p) if p == "*"

open_principal(p) if p.AWS == "*"

open_principal(p) if {
	is_array(p.AWS)
	"*" in p.AWS
}

# Only operators that require the principal's organization to match count:
# negations, Null and the IfExists and ForAllValues forms also pass when the
# key is missing or different.
limiting_operators := {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ForAnyValue:StringEquals", "ForAnyValue:StringLike"}

org_condition(statement) if {
	some operator, conditions in statement.Condition
	operator in limiting_operators
	some key, _ in conditions
	lower(key) == "aws:principalorgid"
}
