/**
 * The pack writes AWS type tokens out (importing @pulumi/aws would add its typings to the pack's start-up type check);
 * this proves each token is exactly the `__pulumiType` of the @pulumi/aws class it names, so they cannot drift.
 */
import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { AWS_TYPES } from "../../policies/lib/aws";

const CLASSES: Record<keyof typeof AWS_TYPES, unknown> = {
    instance: aws.ec2.Instance, launchTemplate: aws.ec2.LaunchTemplate, autoscalingGroup: aws.autoscaling.Group, ebsVolume: aws.ebs.Volume,
    eip: aws.ec2.Eip, subnet: aws.ec2.Subnet, vpc: aws.ec2.Vpc, routeTable: aws.ec2.RouteTable, route: aws.ec2.Route,
    routeTableAssociation: aws.ec2.RouteTableAssociation, mainRouteTableAssociation: aws.ec2.MainRouteTableAssociation,
    defaultRouteTable: aws.ec2.DefaultRouteTable, internetGateway: aws.ec2.InternetGateway, egressOnlyInternetGateway: aws.ec2.EgressOnlyInternetGateway,
    natGateway: aws.ec2.NatGateway, vpnGateway: aws.ec2.VpnGateway, networkInterface: aws.ec2.NetworkInterface, vpcEndpoint: aws.ec2.VpcEndpoint,
    securityGroup: aws.ec2.SecurityGroup, defaultSecurityGroup: aws.ec2.DefaultSecurityGroup, securityGroupRule: aws.ec2.SecurityGroupRule,
    securityGroupIngressRule: aws.vpc.SecurityGroupIngressRule, securityGroupEgressRule: aws.vpc.SecurityGroupEgressRule,
    ecrRepository: aws.ecr.Repository, ecrRepositoryPolicy: aws.ecr.RepositoryPolicy, kmsKey: aws.kms.Key, secret: aws.secretsmanager.Secret,
    iamPolicy: aws.iam.Policy, iamRolePolicy: aws.iam.RolePolicy, iamUserPolicy: aws.iam.UserPolicy, iamGroupPolicy: aws.iam.GroupPolicy,
    iamRole: aws.iam.Role, iamRolePolicyAttachment: aws.iam.RolePolicyAttachment, iamUserPolicyAttachment: aws.iam.UserPolicyAttachment,
    iamGroupPolicyAttachment: aws.iam.GroupPolicyAttachment, iamPolicyAttachment: aws.iam.PolicyAttachment,
};

describe("AWS_TYPES", () => {
    it.each(Object.entries(CLASSES))("%s is the class's type token", (key, cls) => {
        expect(AWS_TYPES[key as keyof typeof AWS_TYPES]).toBe((cls as { __pulumiType: string }).__pulumiType);
    });
    it("lists every token once", () => {
        expect(new Set(Object.values(AWS_TYPES)).size).toBe(Object.keys(AWS_TYPES).length);
        expect(Object.keys(CLASSES).sort()).toEqual(Object.keys(AWS_TYPES).sort());
    });
});
