package changes

import (
	"strings"
	"sync"
)

// schemaRow is one resource type's line of the schema table.
type schemaRow struct {
	createOnly []string // property paths, "*" for any list element
	primary    []string // the primaryIdentifier's property paths
}

var (
	schemaOnce sync.Once
	schemas    map[string]schemaRow
)

// schema returns the table row of a resource type, and whether the schema
// set knows the type.
func schema(resourceType string) (schemaRow, bool) {
	schemaOnce.Do(func() {
		schemas = make(map[string]schemaRow, 1600)
		for line := range strings.Lines(schemaText) {
			typ, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "|")
			createOnly, primary, _ := strings.Cut(rest, "|")
			schemas[typ] = schemaRow{createOnly: strings.Fields(createOnly), primary: strings.Fields(primary)}
		}
	})
	row, ok := schemas[resourceType]
	return row, ok
}

// CreateOnlyProperties returns the property paths of a resource type that
// CloudFormation can only set at creation (EncryptionConfiguration,
// ReplicationInfoList.*.SourceKafkaClusterArn: "*" is any element of a
// list), and whether the schema set knows the type. A path under one listed
// is left out.
func CreateOnlyProperties(resourceType string) ([]string, bool) {
	row, ok := schema(resourceType)
	return row.createOnly, ok
}

// PrimaryIdentifier returns the property paths that identify a resource of
// the type, such as RepositoryName; they are often read-only (Arn, KeyId).
func PrimaryIdentifier(resourceType string) []string {
	row, _ := schema(resourceType)
	return row.primary
}

// statefulTypes are the resource types whose replacement or removal loses
// data (images, objects, items, logs, keys, databases, files): findings about
// them are errors, about other types notes.
var statefulTypes = map[string]bool{
	"AWS::ECR::Repository":                 true,
	"AWS::ECR::PublicRepository":           true,
	"AWS::KMS::Key":                        true,
	"AWS::KMS::ReplicaKey":                 true,
	"AWS::S3::Bucket":                      true,
	"AWS::S3Express::DirectoryBucket":      true,
	"AWS::DynamoDB::Table":                 true,
	"AWS::DynamoDB::GlobalTable":           true,
	"AWS::Logs::LogGroup":                  true,
	"AWS::RDS::DBInstance":                 true,
	"AWS::RDS::DBCluster":                  true,
	"AWS::DocDB::DBCluster":                true,
	"AWS::Neptune::DBCluster":              true,
	"AWS::Redshift::Cluster":               true,
	"AWS::EFS::FileSystem":                 true,
	"AWS::FSx::FileSystem":                 true,
	"AWS::EC2::Volume":                     true,
	"AWS::Kinesis::Stream":                 true,
	"AWS::SQS::Queue":                      true,
	"AWS::SecretsManager::Secret":          true,
	"AWS::Cognito::UserPool":               true,
	"AWS::OpenSearchService::Domain":       true,
	"AWS::Elasticsearch::Domain":           true,
	"AWS::ElastiCache::ReplicationGroup":   true,
	"AWS::Backup::BackupVault":             true,
	"AWS::Timestream::Table":               true,
	"AWS::CodeCommit::Repository":          true,
	"AWS::CloudFormation::StackSet":        true,
	"AWS::KinesisFirehose::DeliveryStream": true,
}

// IsStateful reports whether a resource type holds data that its
// replacement or removal loses.
func IsStateful(resourceType string) bool { return statefulTypes[resourceType] }

// registryTypes are the ECR registry-wide settings: one per account and
// Region, each written by a single Put, so a second stack's resource
// overwrites the first's and deleting either empties the setting
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutReplicationConfiguration.html,
// PutRegistryPolicy, PutRegistryScanningConfiguration, PutSigningConfiguration).
var registryTypes = map[string]string{
	"AWS::ECR::RegistryScanningConfiguration": "scanning configuration",
	"AWS::ECR::ReplicationConfiguration":      "replication configuration",
	"AWS::ECR::SigningConfiguration":          "signing configuration",
	"AWS::ECR::RegistryPolicy":                "registry policy",
}
