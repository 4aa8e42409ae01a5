// pulumi-resource-docker: the Docker resource provider for Airlock's engine tests, built by
// scripts/engine/build.sh docker-provider (tfbridge over kreuzwerker/terraform-provider-docker; see
// ../../provider/resources.go). The Pulumi schema is generated at build time by ../gen-schema from the same
// ProviderInfo and embedded here.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	"airlock.local/engine/docker-provider/provider"
)

//go:embed schema.json
var schema []byte

func main() {
	tfbridge.Main("docker", provider.Version, provider.Provider(), schema)
}
