/**
 * Enclave (Docker): the internal serving network (no route out, `internal: true`) and a separate staging
 * network with egress that only the one-shot staging containers join.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { STACK_LABEL } from "@airlock/baseline";
import { childName } from "../shared/naming";
import { collect, matches, throwIfInvalid } from "../shared/validation";

/** Arguments for {@link Enclave}. */
export interface EnclaveArgs {
    /** Prefix of the Docker object names, e.g. `airlock-dev` → `airlock-dev-serving`. */
    readonly namePrefix: string;
    /** Stack name recorded in labels. */
    readonly stack: string;
}

export class Enclave extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:docker:Enclave";

    /** Name of the internal network inference servers sit on (a valid `networkMode`). */
    public readonly servingNetworkName: pulumi.Output<string>;
    /** Name of the egress network used only by model staging. */
    public readonly stagingNetworkName: pulumi.Output<string>;
    public readonly servingNetwork: docker.Network;
    public readonly stagingNetwork: docker.Network;

    constructor(name: string, args: EnclaveArgs, opts?: pulumi.ComponentResourceOptions) {
        super(Enclave.TYPE, name, {}, opts);
        throwIfInvalid(this, "Invalid arguments for Enclave", collect(
            matches("namePrefix", args.namePrefix, /^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and '-'"),
            matches("stack", args.stack, /^[A-Za-z0-9._-]{1,100}$/, "a Pulumi stack name"),
        ));
        const labels = (purpose: string) => [
            { label: STACK_LABEL, value: args.stack },
            { label: "airlock.dev/network", value: purpose },
        ];

        this.servingNetwork = new docker.Network(childName(name), {
            name: `${args.namePrefix}-serving`,
            driver: "bridge",
            internal: true,
            attachable: false,
            ipv6: false,
            labels: labels("serving"),
        }, { parent: this });

        this.stagingNetwork = new docker.Network(childName(name, "staging"), {
            name: `${args.namePrefix}-staging`,
            driver: "bridge",
            internal: false,
            attachable: false,
            ipv6: false,
            labels: labels("staging"),
        }, { parent: this });

        this.servingNetworkName = this.servingNetwork.name;
        this.stagingNetworkName = this.stagingNetwork.name;
        this.registerOutputs({ servingNetworkName: this.servingNetworkName, stagingNetworkName: this.stagingNetworkName });
    }
}
