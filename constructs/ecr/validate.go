package ecr

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// Validate checks the props the way NewRepository does, without building
// anything, and returns every problem found as [validation.Errors] (nil when
// the props are valid), for programs that prefer an error to a panic. nil
// props are valid. NewRepository also checks what depends on where the
// repository goes: the scope, the id, and an EncryptionKey in another Region
// than the stack's.
func (props *RepositoryProps) Validate() error {
	if props == nil {
		return nil
	}
	p := &validation.Collector{Package: "ecr", Path: "RepositoryProps"}
	checkProps(props, p)
	return p.Err()
}

// checkProps records every problem with props and returns the settings they
// imply. The settings a repository shares with creation templates are
// checked by check.CheckSettings; what follows is the repository's own.
func checkProps(props *RepositoryProps, p *validation.Collector) check.Settings {
	if props.RepositoryName != nil {
		check.RepositoryName("RepositoryName", *props.RepositoryName, check.MaxNameLength, p)
	}
	in := settingsInput(props)
	in.Between = func() {
		if props.EncryptionKey != nil && in.Encryption != "AES256" {
			checkKey(props.EncryptionKey, props.RemovalPolicy, p)
		}
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

// checkPlace records what depends on where the repository goes: a
// customer-managed key whose Region is known and differs from the stack's
// known Region (ECR only uses a key of the repository's own Region), and
// KMS_DSSE encryption in a known Region outside the AWS GovCloud (US)
// partition. It reports whether KMS_DSSE is asked for in a stack whose
// Region is known only at deployment, which NewRepository warns about.
//
// "Dual-layer server-side encryption with AWS KMS (DSSE-KMS) is only
// available in the AWS GovCloud (US) Regions" (Amazon ECR User Guide,
// Encryption at rest,
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html).
func checkPlace(scope constructs.Construct, key awskms.IKey, encryption string, p *validation.Collector) (dsseUnknown bool) {
	if key == nil && encryption != dualLayer {
		return false
	}
	stackRegion := *awscdk.Stack_Of(scope).Region()
	if key != nil {
		keyArn, keyRegion := *key.KeyArn(), *key.Env().Region
		_, parsed := check.ParseKMSKeyARN(keyArn)
		literalInvalid := !check.IsToken(keyArn) && !parsed // refused by checkKey already
		if !literalInvalid && !check.IsToken(keyRegion) && !check.IsToken(stackRegion) && keyRegion != stackRegion {
			p.Add("EncryptionKey", keyArn, fmt.Sprintf("is in Region %s, but the repository's stack is in %s; ECR needs a key of the repository's own Region", keyRegion, stackRegion))
		}
	}
	if encryption != dualLayer {
		return false
	}
	if check.IsToken(stackRegion) {
		return true
	}
	if partition := check.PartitionOf(stackRegion); partition != check.PartitionGovCloud {
		p.Add("Encryption", dualLayer, fmt.Sprintf("dual-layer encryption is only available in the AWS GovCloud (US) Regions (partition %s), but the repository's stack is in %s (partition %s); use KMS", check.PartitionGovCloud, stackRegion, partition))
	}
	return false
}

// dualLayer is the encryption type of dual-layer server-side encryption.
const dualLayer = "KMS_DSSE"
