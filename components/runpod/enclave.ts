/**
 * Enclave (RunPod): how RunPod reaches the private registry, and the account secrets templates reference. There is
 * no network to seal on RunPod serverless: the workers have no inbound port (queue endpoints expose none) and RunPod
 * authenticates every request; what the enclave controls is pull access and secret delivery.
 *  - ECR images: one ECR delegation per repository (RunPod pulls with its own AWS identity; no password is stored).
 *    Grant the delegation's `awsUser` pull access in the repository policy (the AWS stack's job).
 *  - Other private registries: one registry credential; the password comes from a secret config key at run time.
 *  - Secrets: one RunPod account secret per secret config key a server's `secretEnv` names, referenced in env as
 *    `{{ RUNPOD_SECRET_<name> }}` and substituted by RunPod when a worker boots.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { RUNPOD_SECRET_NAME, runpodSecretReference } from "@airlock/baseline";
import { childName } from "../shared/naming";
import { collect, matches, throwIfInvalid } from "../shared/validation";
import { RunPodEcrDelegation, RunPodRegistryAuth, RunPodSecret } from "./resources";

/** Arguments for {@link Enclave}. */
export interface EnclaveArgs {
    /** Prefix of the RunPod object names, e.g. `airlock-prod` → `airlock-prod-registry`. */
    readonly namePrefix: string;
    /** ECR delegation: the repository ARNs of the images served. Credentials: username and the password secret. */
    readonly registryAuth:
        | { readonly kind: "ecr-delegation"; readonly repositoryArns: readonly string[] }
        | { readonly kind: "credentials"; readonly username: string; readonly passwordConfigKey: string; readonly password: pulumi.Input<string> };
    /** Secret config key → its value (a Pulumi secret), for every key a server's `secretEnv` names. */
    readonly secrets: ReadonlyMap<string, pulumi.Input<string>>;
}

/** SHA-256 hex of a secret value, kept a secret. */
const digest = (value: pulumi.Input<string>): pulumi.Output<string> =>
    pulumi.secret(pulumi.output(value).apply((v) => createHash("sha256").update(v).digest("hex")));

export class Enclave extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:runpod:Enclave";

    /** The registry credential id templates reference (credentials), or undefined (ECR delegation). */
    public readonly registryId?: pulumi.Output<string>;
    /** ECR repository ARN → delegation (ECR). */
    public readonly delegations: ReadonlyMap<string, RunPodEcrDelegation>;
    /** Secret config key → the RunPod secret resource. */
    public readonly secrets: ReadonlyMap<string, RunPodSecret>;

    constructor(name: string, args: EnclaveArgs, opts?: pulumi.ComponentResourceOptions) {
        super(Enclave.TYPE, name, {}, opts);
        throwIfInvalid(this, "Invalid arguments for Enclave", collect(
            matches("namePrefix", args.namePrefix, /^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and '-'"),
            ...[...args.secrets.keys()].map((k) => matches(`secrets.${k}`, this.secretName(args.namePrefix, k), RUNPOD_SECRET_NAME, "a RunPod secret name")),
        ));

        const delegations = new Map<string, RunPodEcrDelegation>();
        if (args.registryAuth.kind === "ecr-delegation") {
            [...new Set(args.registryAuth.repositoryArns)].sort().forEach((arn, i) => {
                const short = createHash("sha256").update(arn).digest("hex").slice(0, 8);
                delegations.set(arn, new RunPodEcrDelegation(childName(name, `ecr-${i}`), {
                    name: `${args.namePrefix}-ecr-${short}`, repositoryArn: arn,
                }, { parent: this }));
            });
        } else {
            const registry = new RunPodRegistryAuth(childName(name, "registry"), {
                name: `${args.namePrefix}-registry`,
                username: args.registryAuth.username,
                passwordConfigKey: args.registryAuth.passwordConfigKey,
                passwordSha256: digest(args.registryAuth.password),
            }, { parent: this });
            this.registryId = registry.registryId;
        }

        const secrets = new Map<string, RunPodSecret>();
        for (const [key, value] of [...args.secrets].sort(([a], [b]) => a.localeCompare(b))) {
            secrets.set(key, new RunPodSecret(childName(name, `secret-${key}`), {
                name: this.secretName(args.namePrefix, key),
                description: `Airlock secret config key ${key}`,
                valueConfigKey: key,
                valueSha256: digest(value),
            }, { parent: this }));
        }
        this.delegations = delegations;
        this.secrets = secrets;
        this.registerOutputs({ registryId: this.registryId, delegations: [...delegations.keys()], secrets: [...secrets.keys()] });
    }

    /** The RunPod secret name of a secret config key. */
    public secretName(namePrefix: string, key: string): string {
        return `${namePrefix}-${key}`;
    }

    /** The env value that references the RunPod secret of `key` (`{{ RUNPOD_SECRET_<name> }}`). */
    public secretReference(namePrefix: string, key: string): string {
        return runpodSecretReference(this.secretName(namePrefix, key));
    }
}
