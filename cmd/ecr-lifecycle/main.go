// Command ecr-lifecycle validates Amazon ECR lifecycle policies and previews
// what a policy would do to a repository's images, offline from files or
// live from the registry (docs/live.md).
//
//	go install github.com/secure-ecr/ecr-cdk-go/cmd/ecr-lifecycle@latest
//
//	aws ecr get-lifecycle-policy --repository-name shop/web > policy.json
//	aws ecr describe-images --repository-name shop/web > images.json
//	ecr-lifecycle preview --policy policy.json --images images.json [--manifests manifests.json]
//	ecr-lifecycle validate --policy policy.json
//	ecr-lifecycle validate --template cdk.out/MyStack.template.json
//	ecr-lifecycle preview --repository-name shop/web [--in-use ecs,lambda]
//	ecr-lifecycle preview --repository-prefix team/ [--policy policy.json]
//	ecr-lifecycle diff --policy new.json --repository-name shop/web
//
// Exit status: 0 success, 1 invalid policy, template or inventory, a
// registry that can't be read or an in-use image the policy would expire, 2
// wrong usage. See the README for --manifests, --template and --repository.
package main

import (
	"os"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/lifecyclecli"
)

func main() {
	os.Exit(lifecyclecli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
