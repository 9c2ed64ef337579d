"""Start moto's server (moto 5.2.1) with corrections for the AWS CDK deploy path.

Usage: python3 launcher.py --host 127.0.0.1 --port N   (moto_server's own flags)

moto has no plugin hook, so this program imports moto, replaces a few of its
functions in memory, and calls moto.server.main(); the installed package is
left untouched. Each correction below names the moto source it changes (paths
relative to the moto package) and the AWS behaviour it restores. Corrections
marked EMULATION apply what moto's CloudFormation drops through moto's own ECR
backend, as CloudFormation would; they show the settings in the ECR API, not
that AWS would accept them. Those marked STUBS let a stack reference a type
moto doesn't model and create nothing.

It refuses, in one line on standard error and exit status 3, a moto version
other than the one it was written for: the functions it replaces are read from
that version's source.
"""

import json
import re
import sys

EXPECTED_MOTO = "5.2.1"
EXIT_REFUSED = 3


def refuse(msg):
    sys.stderr.write(msg + "\n")
    sys.exit(EXIT_REFUSED)


try:
    import moto
except ImportError:
    refuse(
        "moto is not installed for %s: pip install 'moto[server]==%s'"
        % (sys.executable, EXPECTED_MOTO)
    )

if getattr(moto, "__version__", "unknown") != EXPECTED_MOTO:
    refuse(
        "moto %s found for %s, this launcher is written for moto %s: pip install 'moto[server]==%s'"
        % (getattr(moto, "__version__", "unknown"), sys.executable, EXPECTED_MOTO, EXPECTED_MOTO)
    )

try:
    import moto.server
    from moto.cloudformation import models as cfn_models
    from moto.cloudformation import parsing as cfn_parsing
    from moto.cloudformation import responses as cfn_responses
    from moto.cloudformation.exceptions import CloudFormationError, UnformattedGetAttTemplateException, ValidationError
    from moto.core.responses import ActionResult, EmptyResult
    from moto.awslambda import models as lambda_models
    from moto.ecr import models as ecr_models
    from moto.kms import models as kms_models
    from moto.logs import models as logs_models
except ImportError as e:  # moto without its server extras
    refuse(
        "moto %s lacks its server extras (%s): pip install 'moto[server]==%s'"
        % (EXPECTED_MOTO, e, EXPECTED_MOTO)
    )


# (a) Generated names of AWS::ECR::Repository.
#
# moto: cloudformation/parsing.py generate_resource_name returns
# "{stack}-{logicalId}-{SUFFIX}" for every type but S3 buckets, with capitals,
# which ecr/models.py create_repository then refuses (ECR names are lowercase).
# CloudFormation generates a lowercase name for an unnamed repository
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html#cfn-ecr-repository-repositoryname:
# "If you don't specify a name, AWS CloudFormation generates a unique physical
# ID"), and an update keeps the physical ID unless the name changes; moto's
# ResourceMap.update generates a new random name on every update, which
# ecr/models.py Repository.update_from_cloudformation_json takes as a rename
# and replaces the repository.
def correct_generated_repository_names():
    original = cfn_parsing.generate_resource_name

    def generate_resource_name(resource_type, stack_name, logical_id):
        name = original(resource_type, stack_name, logical_id)
        if resource_type == "AWS::ECR::Repository":
            return name.lower()
        return name

    cfn_parsing.generate_resource_name = generate_resource_name

    repo_cls = ecr_models.Repository
    update = repo_cls.update_from_cloudformation_json

    def update_from_cloudformation_json(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        if "RepositoryName" not in cloudformation_json.get("Properties", {}):
            new_resource_name = original_resource.name
        return update(
            original_resource=original_resource,
            new_resource_name=new_resource_name,
            cloudformation_json=cloudformation_json,
            account_id=account_id,
            region_name=region_name,
        )

    repo_cls.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)


# (b) The CDK CLI's change-set flow.
#
# Before every update the CLI deletes the change set it is about to create
# ("cdk-deploy-change-set") and polls DescribeChangeSet until it answers
# ChangeSetNotFound. On AWS, DeleteChangeSet of a change set that doesn't exist
# succeeds (its API reference lists only InvalidChangeSetStatus:
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteChangeSet.html)
# and DescribeChangeSet answers ChangeSetNotFound (HTTP 404,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html).
# moto: cloudformation/models.py CloudFormationBackend.delete_change_set raises
# UnboundLocalError (a 500) for a missing name, describe_change_set raises
# ValidationError "Stack with id ... does not exist", and both find a change
# set by name in every stack, not in the stack named.
#
# And: ChangeSet.apply (cloudformation/models.py) updates the resources but not
# the stack's template or outputs, so a stack created or updated through an
# executed change set has no Outputs (Stack.update rebuilds output_map; apply
# doesn't). AWS also removes a stack's change sets once one is executed
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets-execute.html).
class ChangeSetNotFound(CloudFormationError):
    code = "ChangeSetNotFoundException"  # the query protocol answers ChangeSetNotFound, 404

    def __init__(self, name):
        super().__init__("ChangeSet [%s] does not exist" % name)


def _stack_matches(change_set, stack_name):
    return not stack_name or stack_name in (change_set.stack_name, change_set.stack_id)


def _find_change_set(backend, change_set_name, stack_name):
    cs = backend.change_sets.get(change_set_name)  # an ARN
    if cs is not None:
        return cs
    for cs in backend.change_sets.values():
        if cs.change_set_name == change_set_name and _stack_matches(cs, stack_name):
            return cs
    return None


def correct_change_sets():
    resp = cfn_responses.CloudFormationResponse

    def describe_change_set(self):
        name = self._get_param("ChangeSetName")
        cs = _find_change_set(self.cloudformation_backend, name, self._get_param("StackName"))
        if cs is None:
            raise ChangeSetNotFound(name)
        return ActionResult(cs)

    def delete_change_set(self):
        name = self._get_param("ChangeSetName")
        stack_name = self._get_param("StackName")
        backend = self.cloudformation_backend
        if stack_name:
            backend.get_stack(stack_name)  # ValidationError for a stack that doesn't exist, as AWS
        cs = _find_change_set(backend, name, stack_name)
        if cs is not None:
            del backend.change_sets[cs.change_set_id]
        return EmptyResult()

    resp.describe_change_set = describe_change_set
    resp.delete_change_set = delete_change_set

    apply = cfn_models.ChangeSet.apply

    def apply_with_outputs(self):
        apply(self)
        stack = self.stack
        stack.template = self.template
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        if self.parameters:
            stack.parameters = self.parameters
        stack.output_map = stack._create_output_map()

    cfn_models.ChangeSet.apply = apply_with_outputs

    execute = cfn_models.CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        execute(self, change_set_name, stack_name)
        cs = _find_change_set(self, change_set_name, stack_name)
        if cs is None:
            return
        for cs_id in [i for i, c in self.change_sets.items() if c.stack_id == cs.stack_id]:
            del self.change_sets[cs_id]

    cfn_models.CloudFormationBackend.execute_change_set = execute_change_set


# (c) UsePreviousValue on a parameter that took its default.
#
# moto: cloudformation/models.py CloudFormationBackend._resolve_update_parameters
# reads instance.parameters[key], the parameters passed at creation, so a
# parameter that took its default (CDK's BootstrapVersion) raises KeyError, a
# 500. On AWS the previous value of such a parameter is the default it took
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html,
# UsePreviousValue). Its default is given back as the value, unresolved, so an
# SSM parameter type is read from Parameter Store again, as AWS does.
def correct_use_previous_value():
    backend_cls = cfn_models.CloudFormationBackend
    resolve = backend_cls._resolve_update_parameters

    def _resolve_update_parameters(self, instance, incoming_params):
        if isinstance(instance, cfn_models.Stack):
            slots = (instance.template_dict or {}).get("Parameters", {})
            filled = []
            for p in incoming_params:
                key = p.get("ParameterKey")
                if p.get("UsePreviousValue", False) and key not in instance.parameters:
                    default = slots.get(key, {}).get("Default")
                    if default is None:
                        raise ValidationError(message="Parameter %s has no previous value" % key)
                    p = {"ParameterKey": key, "ParameterValue": default}
                filled.append(p)
            incoming_params = filled
        return resolve(self, instance, incoming_params)

    backend_cls._resolve_update_parameters = _resolve_update_parameters

    # The same through a change set (the CDK CLI's default): moto's
    # cloudformation/responses.py CloudFormationResponse.create_change_set
    # takes stack.stack_parameters[key], the resolved value, so an SSM
    # parameter's value ("30" for BootstrapVersion) is then read as a
    # Parameter Store name and ChangeSet.apply fails with AttributeError. This
    # is that method with the previous value read as above.
    def _previous_value(stack, key):
        if key in stack.parameters:
            return stack.parameters[key]
        default = (stack.template_dict or {}).get("Parameters", {}).get(key, {}).get("Default")
        if default is None:
            raise ValidationError(message="Parameter %s has no previous value" % key)
        return default

    def create_change_set(self):
        stack_name = self._get_param("StackName")
        change_set_name = self._get_param("ChangeSetName")
        stack_body = self._get_param("TemplateBody")
        template_url = self._get_param("TemplateURL")
        update_or_create = self._get_param("ChangeSetType", "CREATE")
        use_previous_template = self._get_bool_param("UsePreviousTemplate", False)
        stack = None
        if update_or_create == "UPDATE":
            stack = self.cloudformation_backend.get_stack(stack_name)
            self.validate_template_and_stack_body()
            if use_previous_template:
                stack_body = stack.template
        description = self._get_param("Description")
        role_arn = self._get_param("RoleARN")
        parameters_list = self._get_param("Parameters", [])
        tags = {item["Key"]: item["Value"] for item in self._get_param("Tags", [])}
        parameters = {}
        for param in parameters_list:
            key = param["ParameterKey"]
            if param.get("UsePreviousValue", False) and stack is not None:
                parameters[key] = _previous_value(stack, key)
            else:
                parameters[key] = param["ParameterValue"]
        if update_or_create == "UPDATE":
            self._validate_different_update(parameters_list, stack_body, stack)
        if template_url:
            stack_body = self._get_stack_from_s3_url(template_url)
        change_set_id, stack_id = self.cloudformation_backend.create_change_set(
            stack_name=stack_name,
            change_set_name=change_set_name,
            template=stack_body,
            parameters=parameters,
            description=description,
            notification_arns=self._get_param("NotificationARNs", []),
            tags=tags,
            role_arn=role_arn,
            change_set_type=update_or_create,
        )
        return ActionResult({"Id": change_set_id, "StackId": stack_id})

    cfn_responses.CloudFormationResponse.create_change_set = create_change_set


# (d) EMULATION: AWS::ECR::Repository's ImageScanningConfiguration,
# EncryptionConfiguration, LifecyclePolicy and RepositoryPolicyText.
#
# moto: ecr/models.py Repository.create_from_cloudformation_json passes
# CloudFormation's PascalCase ImageScanningConfiguration ({"ScanOnPush": ...})
# and EncryptionConfiguration ({"EncryptionType", "KmsKey"}) to
# create_repository, which stores them as given; DescribeRepositories answers
# the API's camelCase keys (scanOnPush, encryptionType, kmsKey), so both read
# as {}. It ignores LifecyclePolicy and RepositoryPolicyText. Here the keys are
# translated as CloudFormation's handler does
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html)
# and the two policies are put through moto's ECR backend
# (put_lifecycle_policy, set_repository_policy), removed when the template
# drops them. moto's lifecycle validator (ecr/policy_validation.py) refuses
# archive rules ECR accepts; such a text is stored as given.
def _api_scanning(cfn):
    if not cfn:
        return cfn
    return {"scanOnPush": bool(cfn.get("ScanOnPush", cfn.get("scanOnPush", False)))}


def _api_encryption(cfn):
    if not cfn:
        return cfn
    out = {"encryptionType": cfn.get("EncryptionType", cfn.get("encryptionType", "AES256"))}
    key = cfn.get("KmsKey", cfn.get("kmsKey"))
    if key:
        out["kmsKey"] = key
    return out


def _with_api_keys(cloudformation_json):
    props = dict(cloudformation_json.get("Properties", {}))
    if "ImageScanningConfiguration" in props:
        props["ImageScanningConfiguration"] = _api_scanning(props["ImageScanningConfiguration"])
    if "EncryptionConfiguration" in props:
        props["EncryptionConfiguration"] = _api_encryption(props["EncryptionConfiguration"])
    out = dict(cloudformation_json)
    out["Properties"] = props
    return out


def _apply_policies(repo, properties, account_id, region_name):
    backend = ecr_models.ecr_backends[account_id][region_name]
    lifecycle = (properties.get("LifecyclePolicy") or {}).get("LifecyclePolicyText")
    if lifecycle is not None:
        if not isinstance(lifecycle, str):
            lifecycle = json.dumps(lifecycle)
        try:
            backend.put_lifecycle_policy(repo.registry_id, repo.name, lifecycle)
        except Exception:  # moto's validator refuses rules ECR accepts (archive)
            repo.lifecycle_policy = lifecycle
    else:
        repo.lifecycle_policy = None
    policy = properties.get("RepositoryPolicyText")
    if policy is not None:
        if not isinstance(policy, str):
            policy = json.dumps(policy)
        backend.set_repository_policy(repo.registry_id, repo.name, policy)
    else:
        repo.policy = None


def emulate_repository_settings():
    repo_cls = ecr_models.Repository
    create = repo_cls.create_from_cloudformation_json
    update = repo_cls.update_from_cloudformation_json  # after (a): keeps unnamed names

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        cfn = _with_api_keys(cloudformation_json)
        repo = create(resource_name, cfn, account_id, region_name, **kwargs)
        _apply_policies(repo, cfn["Properties"], account_id, region_name)
        return repo

    def update_from_cloudformation_json(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        cfn = _with_api_keys(cloudformation_json)
        enc = cfn["Properties"].get("EncryptionConfiguration")
        if enc == {"encryptionType": "KMS"} and original_resource.encryption_configuration.get("encryptionType") == "KMS":
            # The AWS managed key (j) the repository was created with: the
            # same setting, kept.
            cfn["Properties"]["EncryptionConfiguration"] = original_resource.encryption_configuration
        repo = update(
            original_resource=original_resource,
            new_resource_name=new_resource_name,
            cloudformation_json=cfn,
            account_id=account_id,
            region_name=region_name,
        )
        _apply_policies(repo, cfn["Properties"], account_id, region_name)
        return repo

    repo_cls.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)
    repo_cls.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)


# (e) EMULATION: AWS::ECR::Repository's EmptyOnDelete.
#
# CloudFormation deletes a repository whose EmptyOnDelete is true with its
# images ("If true, deleting the repository force deletes the contents of
# the repository":
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html#cfn-ecr-repository-emptyondelete);
# without it, deleting a repository that holds images fails.
# moto: ecr/models.py Repository.delete calls delete_repository without
# force, whatever the template says, so a stack whose repository holds
# images can't be deleted (RepositoryNotEmptyException). Here the setting
# is kept on the repository at create and update, and its delete forces.
def _truthy(value):
    return value is True or (isinstance(value, str) and value.lower() == "true")


def emulate_empty_on_delete():
    repo_cls = ecr_models.Repository
    create = repo_cls.create_from_cloudformation_json  # after (d)
    update = repo_cls.update_from_cloudformation_json
    delete = repo_cls.delete

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        repo = create(resource_name, cloudformation_json, account_id, region_name, **kwargs)
        repo.cfn_empty_on_delete = _truthy(cloudformation_json.get("Properties", {}).get("EmptyOnDelete"))
        return repo

    def update_from_cloudformation_json(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        repo = update(
            original_resource=original_resource,
            new_resource_name=new_resource_name,
            cloudformation_json=cloudformation_json,
            account_id=account_id,
            region_name=region_name,
        )
        repo.cfn_empty_on_delete = _truthy(cloudformation_json.get("Properties", {}).get("EmptyOnDelete"))
        return repo

    def delete_repository(self, account_id, region_name):
        if not getattr(self, "cfn_empty_on_delete", False):
            return delete(self, account_id, region_name)
        ecr_models.ecr_backends[account_id][region_name].delete_repository(self.name, self.registry_id, force=True)

    repo_cls.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)
    repo_cls.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)
    repo_cls.delete = delete_repository


# (h) AWS::KMS::Key's KeyPolicy.
#
# CloudFormation takes KeyPolicy as a JSON object (or a string) and KMS
# stores the policy as a JSON string
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html#cfn-kms-key-keypolicy).
# moto: kms/models.py Key.create_from_cloudformation_json passes the object
# itself to create_key, so every call that reads the policy back fails:
# DescribeKey (kms/responses.py _validate_key_policy → policy_validator.py
# json.loads) answers a 500, and GetKeyPolicy returns an object where AWS
# returns a string. Here the object is serialized first. moto also has no
# update_from_cloudformation_json for a key; a key whose properties change
# keeps its first ones (not corrected: the round trips don't change keys).
def correct_key_policy():
    key_cls = kms_models.Key
    create = key_cls.create_from_cloudformation_json

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json.get("Properties", {})
        policy = properties.get("KeyPolicy")
        if policy is not None and not isinstance(policy, str):
            cloudformation_json = dict(cloudformation_json)
            cloudformation_json["Properties"] = dict(properties, KeyPolicy=json.dumps(policy))
        return create(resource_name, cloudformation_json, account_id, region_name, **kwargs)

    key_cls.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)


# (i) AWS::Lambda::Function's PackageType and ImageConfig.
#
# A function deployed from a container image has PackageType "Image"
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html#cfn-lambda-function-packagetype),
# which ListFunctions and GetFunction report. moto:
# awslambda/models.py LambdaFunction.create_from_cloudformation_json copies
# a fixed list of properties that lacks PackageType and ImageConfig, so a
# DockerImageFunction reads back as a Zip function and tools that look for
# the images functions run (ecr-lifecycle --in-use lambda) see none. Here the
# function moto created gets the two, as LambdaFunction.__init__ sets them
# from CreateFunction's request. moto stubs the
# image's presence in ECR by default (settings.lambda_stub_ecr), where AWS
# refuses a function whose image doesn't exist: not corrected.
def correct_lambda_package_type():
    fn_cls = lambda_models.LambdaFunction
    create = fn_cls.create_from_cloudformation_json

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        fn = create(resource_name, cloudformation_json, account_id, region_name, **kwargs)
        properties = cloudformation_json.get("Properties", {})
        if "PackageType" in properties:
            fn.package_type = properties["PackageType"]
        if "ImageConfig" in properties:
            fn.image_config = lambda_models.ImageConfig(properties["ImageConfig"])
        return fn

    fn_cls.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)


# (j) EMULATION: the AWS managed key of ECR, aws/ecr.
#
# A repository whose encryption type is KMS and that names no key is
# encrypted with the account's AWS managed key for ECR, alias aws/ecr
# (https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html:
# "If you don't specify a key, Amazon ECR uses an AWS managed key with the
# alias aws/ecr"); kms:DescribeKey reports its KeyManager as AWS, which is how
# Security Hub's ECR.5 tells it from a customer managed key.
# moto: ecr/models.py Repository._determine_encryption_config puts a random
# key ARN that no KMS key answers to, and kms/models.py creates every key,
# the AWS managed ones of its reserved aliases included, with key_manager
# "CUSTOMER". Here the repository gets the account's and Region's aws/ecr key
# from moto's KMS backend, created on first use with KeyManager AWS, and the
# keys moto creates for its reserved aws/ aliases are marked AWS as well.
ECR_MANAGED_ALIAS = "alias/aws/ecr"


def _aws_managed_key(account_id, region_name):
    backend = kms_models.kms_backends[account_id][region_name]
    key_id = backend.get_key_id_from_alias(ECR_MANAGED_ALIAS)
    if key_id is None:
        key = backend.create_key(
            None, "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT", "Default key that protects my ECR data when no other key is defined", None
        )
        key.key_manager = "AWS"
        backend.create_alias(key.id, ECR_MANAGED_ALIAS)
        key_id = key.id
    return backend.keys[key_id]


def emulate_ecr_managed_key():
    repo_cls = ecr_models.Repository
    determine = repo_cls._determine_encryption_config

    def _determine_encryption_config(self, encryption_config):
        if encryption_config == {"encryptionType": "KMS"}:
            return {"encryptionType": "KMS", "kmsKey": _aws_managed_key(self.account_id, self.region_name).arn}
        return determine(self, encryption_config)

    repo_cls._determine_encryption_config = _determine_encryption_config

    kms_backend_cls = kms_models.KmsBackend
    generate = kms_backend_cls._generate_default_keys

    def _generate_default_keys(self, alias_name):
        key_id = generate(self, alias_name)
        if key_id is not None:
            self.keys[key_id].key_manager = "AWS"
        return key_id

    kms_backend_cls._generate_default_keys = _generate_default_keys


# (k) Fn::GetStackOutput.
#
# CDK writes a reference from one stack to another of the same app as
# Fn::GetStackOutput when the app's feature flag
# @aws-cdk/core:defaultCrossStackReferences is "weak" (this repository's
# cdk.json sets it): {"Fn::GetStackOutput": {"StackName", "OutputName",
# "Region", "RoleArn"}}, the value of another stack's output, in another
# Region or, through RoleArn, another account
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html).
# moto: cloudformation/parsing.py clean_json doesn't know the function and
# passes the object through as the value, so a resource gets a dict where a
# string belongs and the stack fails. Here clean_json resolves it from the
# named stack's outputs, in the Region and the account of RoleArn given
# (moto checks no role); a missing stack or output fails the stack, as on
# AWS.
def correct_get_stack_output():
    original = cfn_parsing.clean_json

    def clean_json(resource_json, resources_map):
        if isinstance(resource_json, dict) and "Fn::GetStackOutput" in resource_json:
            args = original(resource_json["Fn::GetStackOutput"], resources_map)
            account = resources_map._account_id
            if args.get("RoleArn"):
                account = args["RoleArn"].split(":")[4]
            region = args.get("Region") or resources_map._region_name
            backend = cfn_models.cloudformation_backends[account][region]
            stack = backend.get_stack(args["StackName"])  # ValidationError when missing
            for output in stack.output_map.values():
                if output.key == args["OutputName"]:
                    return output.value
            raise ValidationError(
                args["StackName"],
                message="Output %s of stack %s in %s/%s not found" % (args["OutputName"], args["StackName"], account, region),
            )
        return original(resource_json, resources_map)

    cfn_parsing.clean_json = clean_json  # clean_json recurses through this module global


# (l) A function's image must exist.
#
# Lambda refuses to create a function from an image that isn't in the
# repository ("Source image ... does not exist. Provide a valid source
# image.", InvalidParameterValueException: CreateFunction,
# https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html;
# https://github.com/aws/aws-cdk/issues/24648), so a stack that creates a
# repository and a function running an image of it can't be deployed
# before the image is pushed. moto: settings.lambda_stub_ecr is on by
# default and skips the check, and with it off,
# awslambda/models.py LambdaFunction._set_function_code looks the image up
# by the last segment of the repository's name ("orders" for
# "shop/orders"). Here the image URI is looked up in moto's ECR backend of
# its account and Region, by tag or digest, before the function is created;
# a missing one fails the request with Lambda's message (AWS fails the
# resource with it and rolls the stack back).
IMAGE_URI = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$")


def _image_exists(uri):
    m = IMAGE_URI.match(uri)
    if not m:
        return False
    account, region, name, tag, digest = m.groups()
    repo = ecr_models.ecr_backends[account][region].repositories.get(name)
    if repo is None:
        return False
    tag = tag or (None if digest else "latest")
    return any((tag is None or tag in image.image_tags) and (digest is None or image.get_image_digest() == digest) for image in repo.images)


def require_function_image():
    fn_cls = lambda_models.LambdaFunction
    create = fn_cls.create_from_cloudformation_json  # after (i)

    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        uri = (cloudformation_json.get("Properties", {}).get("Code") or {}).get("ImageUri")
        if isinstance(uri, str) and not _image_exists(uri):
            # A CloudFormation error, so the API answers in its own format;
            # AWS fails the stack's resource with this message.
            raise ValidationError(
                resource_name, message="Source image %s does not exist. Provide a valid source image." % uri
            )
        return create(resource_name, cloudformation_json, account_id, region_name, **kwargs)

    fn_cls.create_from_cloudformation_json = classmethod(create_from_cloudformation_json)


# (m) Fn::GetAtt of an AWS::Logs::LogGroup's Arn.
#
# CloudFormation answers the log group's ARN with ":*" at the end, the form
# IAM policies use for the group and its streams
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html#aws-resource-logs-loggroup-return-values:
# "arn:aws:logs:us-west-1:123456789012:log-group:/mystack-testgroup-12ABC1AB12A1:*").
# moto: logs/models.py LogGroup.get_cfn_attribute answers the ARN without
# it (the form DescribeLogGroups' logGroupArn has), so a role's policy that
# CDK writes from it differs from AWS's. Here Fn::GetAtt Arn ends in ":*".
def correct_log_group_arn():
    group_cls = logs_models.LogGroup
    get = group_cls.get_cfn_attribute

    def get_cfn_attribute(self, attribute_name):
        value = get(self, attribute_name)
        if attribute_name == "Arn" and not value.endswith(":*"):
            value += ":*"
        return value

    group_cls.get_cfn_attribute = get_cfn_attribute


# (f) EMULATION: the registry-level AWS::ECR::RegistryScanningConfiguration,
# AWS::ECR::RegistryPolicy and AWS::ECR::ReplicationConfiguration.
#
# moto: cloudformation/parsing.py resource_class_from_type skips a type no
# CloudFormationModel subclass declares (a log line, the stack still
# completes), and clean_json then fails a Ref or Fn::GetAtt to it. moto's
# ECR backend does have the three settings (ecr/models.py
# put_registry_scanning_configuration, put_registry_policy,
# put_replication_configuration). Here each type is a CloudFormationModel
# that applies its properties through that backend on create and update, as
# CloudFormation's handlers do, and on delete restores the registry's
# default (BASIC scanning without rules, no policy, no replication rule).
# Ref and Fn::GetAtt RegistryId answer the account ID
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-registryscanningconfiguration.html,
# aws-resource-ecr-registrypolicy.html, aws-resource-ecr-replicationconfiguration.html).
# moto refuses what ECR accepts in two places, and the setting is then
# stored as given: a registry policy with actions other than
# ecr:CreateRepository and ecr:ReplicateImage (_validate_registry_policy_action;
# ECR also allows ecr:BatchImportUpstreamImage, for pull-through caches) and
# more than one replication rule ("This feature is disabled"; ECR allows 10).
#
# moto finds CloudFormation types through CloudFormationModel.__subclasses__()
# (parsing.get_model_list, lru-cached): each class below subclasses it
# directly, is kept in REGISTERED (a strong reference), and the caches are
# cleared once all are defined.
REGISTERED = []


def _camel(value):
    """CloudFormation's PascalCase keys as the ECR API's camelCase, deeply."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _ecr_backend(account_id, region_name):
    return ecr_models.ecr_backends[account_id][region_name]


class _RegistrySetting:
    """A registry-wide ECR setting a stack declares: one per account and Region."""

    def __init__(self, account_id, region_name, properties):
        self.account_id = account_id
        self.region_name = region_name
        self.properties = properties

    @staticmethod
    def cloudformation_name_type():
        return ""

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "RegistryId"

    @property
    def physical_resource_id(self):
        return self.account_id

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "RegistryId":
            return self.account_id
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        setting = cls(account_id, region_name, cloudformation_json.get("Properties", {}))
        setting.apply(_ecr_backend(account_id, region_name))
        return setting

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        cls(account_id, region_name, {}).reset(_ecr_backend(account_id, region_name))

    def delete(self, account_id, region_name):
        self.reset(_ecr_backend(account_id, region_name))


def _registry_type(name, cfn_type, apply, reset):
    cls = type(
        name,
        (_RegistrySetting, cfn_parsing.CloudFormationModel),
        {
            "__module__": "localaws.registry",
            "cloudformation_type": staticmethod(lambda: cfn_type),
            "apply": apply,
            "reset": reset,
        },
    )
    REGISTERED.append(cls)
    return cls


def _apply_scanning(self, backend):
    rules = _camel(self.properties.get("Rules") or [])
    backend.put_registry_scanning_configuration(self.properties.get("ScanType", "BASIC"), rules)


def _reset_scanning(self, backend):
    backend.put_registry_scanning_configuration("BASIC", [])


def _apply_registry_policy(self, backend):
    text = self.properties.get("PolicyText")
    if not isinstance(text, str):
        text = json.dumps(text)
    try:
        backend.put_registry_policy(text)
    except ecr_models.InvalidParameterException:  # moto allows two actions, ECR more
        backend.registry_policy = text


def _reset_registry_policy(self, backend):
    backend.registry_policy = None


def _apply_replication(self, backend):
    config = _camel(self.properties.get("ReplicationConfiguration") or {"Rules": []})
    config.setdefault("rules", [])
    if len(config["rules"]) > 1:  # moto: "This feature is disabled"; ECR allows 10
        backend.replication_config = config
        return
    backend.put_replication_configuration(config)


def _reset_replication(self, backend):
    backend.replication_config = {"rules": []}


# (g) STUBS: AWS::ECR::RepositoryCreationTemplate, PullThroughCacheRule,
# SigningConfiguration, PullTimeUpdateExclusion, AWS::ECR::PublicRepository,
# AWS::CloudFormation::StackSet, AWS::Signer::SigningProfile,
# AWS::SNS::TopicPolicy and AWS::IAM::OIDCProvider.
#
# moto models none of these (see (f)), so a stack whose other resources
# reference one (an IAM policy naming a signing profile's or a public
# repository's ARN, a role trusting an OIDC provider) fails to deploy. Each
# is declared here as a STUB: NOTHING IS CREATED, in ECR or anywhere else.
# Ref answers a physical ID (the resource's name property where it has one,
# otherwise Stack-LogicalId-SUFFIX or an ARN of that name), Fn::GetAtt a
# placeholder (an ARN-shaped string for Arn, "stub:LogicalId:Attribute"
# otherwise), so the rest of the stack deploys. A deployment on this
# server shows nothing about these types.
STUB_TYPES = {
    # type: (property Ref answers, or None; ARN service for Ref/Arn, or None)
    "AWS::ECR::RepositoryCreationTemplate": ("Prefix", None),
    "AWS::ECR::PullThroughCacheRule": ("EcrRepositoryPrefix", None),
    "AWS::ECR::SigningConfiguration": (None, None),
    "AWS::ECR::PullTimeUpdateExclusion": ("PrincipalArn", None),
    "AWS::ECR::PublicRepository": ("RepositoryName", "ecr-public"),
    "AWS::CloudFormation::StackSet": ("StackSetName", None),
    "AWS::Signer::SigningProfile": (None, "signer"),
    "AWS::SNS::TopicPolicy": (None, None),
    "AWS::IAM::OIDCProvider": (None, "iam"),
}


class _Stub:
    """A resource of a type moto doesn't model: recorded, never created."""

    ref_property = None
    arn_service = None

    def __init__(self, physical_id, logical_id, arn):
        self.stub_physical_id = physical_id
        self.stub_logical_id = logical_id
        self.stub_arn = arn

    @staticmethod
    def cloudformation_name_type():
        return ""

    @classmethod
    def has_cfn_attr(cls, attr):
        return True

    @property
    def physical_resource_id(self):
        return self.stub_physical_id

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "Arn" and self.stub_arn:
            return self.stub_arn
        return "stub:%s:%s" % (self.stub_logical_id, attribute_name)

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        logical_id = kwargs.get("LogicalId", resource_name)
        name = cloudformation_json.get("Properties", {}).get(cls.ref_property) if cls.ref_property else None
        if not isinstance(name, str):
            name = resource_name  # parsing.generate_resource_name: Stack-LogicalId-SUFFIX
        arn = None
        if cls.arn_service:
            region = "" if cls.arn_service == "iam" else region_name
            arn = "arn:aws:%s:%s:%s:stub/%s" % (cls.arn_service, region, account_id, name)
        physical_id = arn if cls.arn_service and cls.ref_property is None else name
        return cls(physical_id, logical_id, arn)

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
    ):
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass

    def delete(self, account_id, region_name):
        pass


def _stub_type(cfn_type, ref_property, arn_service):
    cls = type(
        "Stub" + cfn_type.replace("::", ""),
        (_Stub, cfn_parsing.CloudFormationModel),
        {
            "__module__": "localaws.stubs",
            "cloudformation_type": staticmethod(lambda: cfn_type),
            "ref_property": ref_property,
            "arn_service": arn_service,
        },
    )
    REGISTERED.append(cls)
    return cls


def _clear_model_caches():
    cfn_parsing.get_model_list.cache_clear()
    cfn_parsing.get_model_map.cache_clear()
    cfn_parsing.get_name_type_map.cache_clear()


def emulate_registry_settings():
    _registry_type("RegistryScanningConfiguration", "AWS::ECR::RegistryScanningConfiguration", _apply_scanning, _reset_scanning)
    _registry_type("RegistryPolicy", "AWS::ECR::RegistryPolicy", _apply_registry_policy, _reset_registry_policy)
    _registry_type("ReplicationConfiguration", "AWS::ECR::ReplicationConfiguration", _apply_replication, _reset_replication)
    _clear_model_caches()


def stub_unmodeled_types():
    for cfn_type, (ref_property, arn_service) in STUB_TYPES.items():
        _stub_type(cfn_type, ref_property, arn_service)
    _clear_model_caches()


CORRECTIONS = [
    correct_generated_repository_names,
    correct_change_sets,
    correct_use_previous_value,
    emulate_repository_settings,
    emulate_empty_on_delete,
    emulate_registry_settings,
    stub_unmodeled_types,
    correct_key_policy,
    correct_lambda_package_type,
    emulate_ecr_managed_key,
    correct_get_stack_output,
    require_function_image,
    correct_log_group_arn,
]


def main():
    for correct in CORRECTIONS:
        correct()
    moto.server.main(sys.argv[1:])


if __name__ == "__main__":
    main()
