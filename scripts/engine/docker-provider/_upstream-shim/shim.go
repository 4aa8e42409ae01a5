// Package shim exposes the upstream provider's internal SDKv2 constructor to the bridge.
//
// Written for Airlock (scripts/engine/build.sh copies this file to <local copy of
// github.com/kreuzwerker/terraform-provider-docker>/shim/shim.go): `internal/provider` can only be imported from
// inside the upstream module, so this package lives there. The directory name starts with "_" so that the Go tool
// ignores it in the wrapper module itself.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"

	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the SDKv2 provider (resources docker_container, docker_image, docker_network, …) that the
// upstream main() serves beside its plugin-framework half (compose, actions, list data sources).
func NewProvider(version string) *schema.Provider {
	return provider.New(version)()
}
