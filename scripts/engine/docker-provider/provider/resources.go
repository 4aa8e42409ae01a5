// Package provider maps the Terraform Docker provider (kreuzwerker/terraform-provider-docker, SDKv2 half) onto the
// Pulumi package `docker` with the tokens and property names that @pulumi/docker 5.2.0 uses.
//
// Written for Airlock's engine tests (scripts/engine/build.sh docker-provider): the Go module of Pulumi's own
// provider (github.com/pulumi/pulumi-docker/provider/v4) is not served by the Go module proxy here, so this module
// rebuilds the bridged part the way that provider is built: pulumi-terraform-bridge's tfbridge over the upstream
// Terraform provider. NOT Pulumi's published binary: see docs/fidelity.md for what differs (no native
// `docker:index/image:Image`, which @pulumi/docker 5.x serves from Go code of its own).
package provider

import (
	"unicode"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/terraform-providers/terraform-provider-docker/shim"
)

// Version is the Pulumi package version this provider announces: the engine's default provider for a program
// using @pulumi/docker 5.2.0 asks for exactly this plugin version (default_5_2_0).
const Version = "5.2.0"

const (
	pkg = "docker"
	mod = "index"
)

func lowerFirst(s string) string { return string(unicode.ToLower(rune(s[0]))) + s[1:] }

// resource: docker:index/<lowerCamel>:<Name>, as @pulumi/docker names its resource modules.
func resource(name string) tokens.Type {
	return tokens.Type(pkg + ":" + mod + "/" + lowerFirst(name) + ":" + name)
}

// function: docker:index/<name>:<name> for a data source.
func function(name string) tokens.ModuleMember {
	return tokens.ModuleMember(pkg + ":" + mod + "/" + name + ":" + name)
}

// Resources maps each Terraform resource type to its Pulumi token (the SDK's file names: container.ts, …).
var Resources = map[string]string{
	"docker_container":      "Container",
	"docker_image":          "RemoteImage",
	"docker_registry_image": "RegistryImage",
	"docker_network":        "Network",
	"docker_volume":         "Volume",
	"docker_config":         "ServiceConfig",
	"docker_secret":         "Secret",
	"docker_service":        "Service",
	"docker_plugin":         "Plugin",
	"docker_tag":            "Tag",
	"docker_buildx_builder": "BuildxBuilder",
}

// DataSources maps each Terraform data source to its Pulumi function.
var DataSources = map[string]string{
	"docker_network":                  "getNetwork",
	"docker_registry_image":           "getRegistryImage",
	"docker_registry_image_manifests": "getRegistryImageManifests",
	"docker_plugin":                   "getPlugin",
	"docker_image":                    "getRemoteImage",
	"docker_logs":                     "getLogs",
}

// Provider is the bridge's ProviderInfo over the upstream provider's SDKv2 `provider.New` (exposed by the shim
// package that scripts/engine/build.sh adds to the local copy of the upstream module).
func Provider() tfbridge.ProviderInfo {
	p := shimv2.NewProvider(shim.NewProvider(Version))
	info := tfbridge.ProviderInfo{
		P:           p,
		Name:        pkg,
		Version:     Version,
		GitHubOrg:   "kreuzwerker",
		Description: "A Pulumi package for interacting with Docker in Pulumi programs (Airlock engine-test build over kreuzwerker/terraform-provider-docker)",
		Keywords:    []string{"pulumi", "docker"},
		License:     "Apache-2.0",
		Homepage:    "https://pulumi.io",
		Repository:  "https://github.com/pulumi/pulumi-docker",
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {
				Default: &tfbridge.DefaultInfo{
					Value:   "unix:///var/run/docker.sock",
					EnvVars: []string{"DOCKER_HOST"},
				},
			},
			// A list in Terraform whose Pulumi name is not pluralised.
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources:   map[string]*tfbridge.ResourceInfo{},
		DataSources: map[string]*tfbridge.DataSourceInfo{},
	}
	for tf, name := range Resources {
		info.Resources[tf] = &tfbridge.ResourceInfo{Tok: resource(name)}
	}
	for tf, name := range DataSources {
		info.DataSources[tf] = &tfbridge.DataSourceInfo{Tok: function(name)}
	}
	// Container names are unique per Docker host: replace by deleting first (as @pulumi/docker does).
	info.Resources["docker_container"].DeleteBeforeReplace = true
	info.Resources["docker_container"].Fields = map[string]*tfbridge.SchemaInfo{
		"command":           {Name: "command"},          // one argv, not "commands"
		"networks_advanced": {Name: "networksAdvanced"}, // not "networksAdvanceds"
	}
	info.Resources["docker_image"].Fields = map[string]*tfbridge.SchemaInfo{
		"name": {Name: "name"},
	}
	info.SetAutonaming(255, "-")
	return info
}
