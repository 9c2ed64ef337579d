package registry

import "github.com/secure-ecr/ecr-cdk-go/helpers/validation"

// oneOf returns the ARN of a resource that props give either as an ARN
// (arnField, arn) or as a CDK object (objField; given says whether it is
// set, and objArn reads its ARN), with the name of the field that gave it
// for messages. Both given is recorded under prefix+objField; the object
// wins, so its ARN is still checked. For a stack set (see
// [Props.CheckStackSet]), an object is recorded, and its ARN not read.
func oneOf(prefix, arnField string, arn *string, objField string, given bool, objArn func() *string, pl place, p *validation.Collector) (*string, string) {
	if !given {
		return arn, arnField
	}
	if pl.stackSet != nil {
		pl.stackSet.checkObject(prefix+objField, arnField, p)
		return arn, arnField
	}
	if arn != nil {
		p.Add(prefix+objField, nil, "can't be combined with "+arnField+"; give one of them")
	}
	return objArn(), objField
}
