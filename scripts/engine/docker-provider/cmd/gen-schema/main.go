// gen-schema writes, from the ProviderInfo in ../../provider (the bridge's tfgen, schema only, TF-schema docs):
//
//	<out>/schema.json    the Pulumi package schema the provider serves (embedded by ../pulumi-resource-docker)
//	<out>/defaults.json  per resource/function token: `defaults`, the Terraform schema default of every input under
//	                     its Pulumi property path (`ports[].ip`, `healthcheck.interval`), the values the bridge's Check
//	                     fills into a resource's inputs when the program leaves them unset; and `blocks`, the paths of
//	                     nested blocks (objects the bridge's Check annotates with a `__defaults` list of the keys it
//	                     filled). airlock plan reads this file to hand a policy pack the inputs the engine hands it.
//
// Usage: go run ./cmd/gen-schema <out dir>
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"
	shim "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"

	"airlock.local/engine/docker-provider/provider"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen-schema <out dir>")
		os.Exit(2)
	}
	out := os.Args[1]
	info := provider.Provider()
	if err := info.P.InternalValidate(); err != nil {
		fail("the upstream provider failed its internal validation: %v", err)
	}
	sink := diag.DefaultSink(os.Stderr, os.Stderr, diag.FormatOptions{Color: colors.Never})
	res, err := tfgen.GenerateSchemaWithOptions(tfgen.GenerateSchemaOptions{ProviderInfo: info, DiagnosticsSink: sink, XInMemoryDocs: true})
	if err != nil {
		fail("tfgen: %v", err)
	}
	spec := res.PackageSpec
	spec.Version = provider.Version
	write(filepath.Join(out, "schema.json"), spec)

	defaults := map[string]interface{}{}
	collect := func(tok string, sch shim.SchemaMap, fields map[string]*tfbridge.SchemaInfo) {
		m := map[string]interface{}{}
		blocks := []string{}
		walk(sch, fields, "", m, &blocks)
		sort.Strings(blocks)
		defaults[tok] = map[string]interface{}{"defaults": m, "blocks": blocks}
	}
	info.P.ResourcesMap().Range(func(key string, r shim.Resource) bool {
		if ri, ok := info.Resources[key]; ok {
			collect(string(ri.Tok), r.Schema(), ri.Fields)
		}
		return true
	})
	info.P.DataSourcesMap().Range(func(key string, r shim.Resource) bool {
		if di, ok := info.DataSources[key]; ok {
			collect(string(di.Tok), r.Schema(), di.Fields)
		}
		return true
	})
	collect("pulumi:providers:docker", info.P.Schema(), info.Config)
	write(filepath.Join(out, "defaults.json"), defaults)
}

// walk records the TF default of every attribute under its Pulumi path (lists and sets of blocks as `name[]`;
// MaxItems=1 blocks, which the bridge flattens into one object, as `name`).
func walk(sch shim.SchemaMap, fields map[string]*tfbridge.SchemaInfo, prefix string, out map[string]interface{}, blocks *[]string) {
	keys := []string{}
	sch.Range(func(k string, _ shim.Schema) bool { keys = append(keys, k); return true })
	sort.Strings(keys)
	for _, k := range keys {
		s := sch.Get(k)
		name := tfbridge.TerraformToPulumiNameV2(k, sch, fields)
		var fi *tfbridge.SchemaInfo
		if fields != nil {
			fi = fields[k]
		}
		if d := s.Default(); d != nil {
			out[prefix+name] = d
		}
		if r, ok := s.Elem().(shim.Resource); ok {
			var nested map[string]*tfbridge.SchemaInfo
			if fi != nil && fi.Elem != nil {
				nested = fi.Elem.Fields
			}
			p := prefix + name
			if !tfbridge.IsMaxItemsOne(s, fi) {
				p += "[]"
			}
			*blocks = append(*blocks, p)
			walk(r.Schema(), nested, p+".", out, blocks)
		}
	}
}

func write(path string, v interface{}) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fail("marshal %s: %v", path, err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		fail("write %s: %v", path, err)
	}
}

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "gen-schema: "+format+"\n", a...)
	os.Exit(1)
}
