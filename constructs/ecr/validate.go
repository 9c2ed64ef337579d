package ecr

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// Validate checks the props the way NewRepository does, without building
// anything, and returns every problem found as [Errors] (nil when the props
// are valid), for programs that prefer an error to a panic. nil props are
// valid. NewRepository also checks what depends on where the repository
// goes: the scope, the id, and an EncryptionKey in another Region than the
// stack's.
func (props *RepositoryProps) Validate() error {
	if props == nil {
		return nil
	}
	p := newProblems("RepositoryProps")
	checkProps(props, p)
	return p.Err()
}

// checkProps records every problem with props and returns the settings they
// imply. The settings a repository shares with creation templates are
// checked by check.CheckSettings; what follows is the repository's own.
func checkProps(props *RepositoryProps, p *problems) check.Settings {
	if props.RepositoryName != nil {
		check.RepositoryName("RepositoryName", *props.RepositoryName, check.MaxNameLength, p)
	}
	in := settingsInput(props)
	in.Between = func() {
		if props.EncryptionKey != nil && in.CreateKey {
			p.Add("CreateEncryptionKey", true, "can't be combined with EncryptionKey: give a key or ask for one, not both")
		}

		removal := props.RemovalPolicy
		switch removal {
		case "", awscdk.RemovalPolicy_RETAIN, awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE, awscdk.RemovalPolicy_DESTROY:
		default:
			p.Add("RemovalPolicy", string(removal), "must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY; ECR repositories have no snapshots")
		}
		if props.EmptyOnDelete != nil && *props.EmptyOnDelete && removal != awscdk.RemovalPolicy_DESTROY {
			if removal == "" {
				removal = awscdk.RemovalPolicy_RETAIN
			}
			p.Add("EmptyOnDelete", true, fmt.Sprintf("only applies with RemovalPolicy DESTROY, not %s", removal))
		}
	}
	for i, a := range props.Acknowledgments {
		field := fmt.Sprintf("Acknowledgments[%d]", i)
		switch {
		case a == nil:
			p.Add(field, nil, "must not be nil")
		case a.Id == nil || strings.TrimSpace(*a.Id) == "":
			p.Add(field+".Id", a.Id, "must name the rule, such as compliance.Acknowledgment builds")
		case a.Reason == nil || strings.TrimSpace(*a.Reason) == "":
			p.Add(field+".Reason", a.Reason, "must say why "+*a.Id+" is broken on purpose")
		}
	}
	return check.CheckSettings(in, p)
}

// checkKeyRegion records a customer-managed key whose Region is known and
// differs from the stack's known Region: ECR only uses a key of the
// repository's own Region.
func checkKeyRegion(scope constructs.Construct, key awskms.IKey, p *problems) {
	if key == nil {
		return
	}
	keyRegion, stackRegion := *key.Env().Region, *awscdk.Stack_Of(scope).Region()
	if !check.IsToken(keyRegion) && !check.IsToken(stackRegion) && keyRegion != stackRegion {
		p.Add("EncryptionKey", *key.KeyArn(), fmt.Sprintf("is in Region %s, but the repository's stack is in %s; ECR needs a key of the repository's own Region", keyRegion, stackRegion))
	}
}
