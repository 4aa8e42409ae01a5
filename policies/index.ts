/**
 * The policy pack entry point: constructing a PolicyPack starts the analyzer gRPC server and prints its
 * port (the CLI's handshake). Never import this module from tests or tools; import `./all` instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME, allPolicies } from "./all";
import { memoizeDeserialization } from "./lib/memoize-deserialize";

memoizeDeserialization();

new PolicyPack(PACK_NAME, {
    policies: allPolicies,
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    description: PACK_DESCRIPTION,
});
