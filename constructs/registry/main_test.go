package registry_test

import (
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }
