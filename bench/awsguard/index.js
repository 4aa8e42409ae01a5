// @pulumi/awsguard (Pulumi's AWS pack) with every policy mandatory, as a pack directory for `airlock plan
// --policy-pack bench/awsguard` (the AWS row of npm run bench). Plain JavaScript: the npm package ships compiled.
/* eslint-disable @typescript-eslint/no-require-imports */
const { AwsGuard } = require("@pulumi/awsguard");

new AwsGuard({ all: "mandatory" });
