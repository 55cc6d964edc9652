"""Find and read what `badgateway lint PATH...` is given, telling the kinds apart by content:
SAM and CloudFormation templates (YAML or JSON), a CDK `cdk.out` cloud assembly, a Serverless
Framework `.serverless/` folder, a Terraform plan as JSON. A folder is searched for them."""

from __future__ import annotations

import os

from bot.errors import UsageError
from bot.lint.loaders.cdk import is_cloud_assembly, load_cloud_assembly
from bot.lint.loaders.documents import parse, read_text
from bot.lint.loaders.serverless import SERVERLESS_TEMPLATE, load_serverless
from bot.lint.sources import Source, Template, TerraformPlan, is_template, is_terraform_plan

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_FOLDERS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".aws-sam", ".terraform",
                             ".tox", ".mypy_cache", ".pytest_cache", "dist", "build"})
MAX_FILES = 5000
_TEMPLATE_MARKS = ("AWSTemplateFormatVersion", "AWS::Serverless-2016-10-31", '"format_version"')  # files looked at in one folder search


def load_inputs(paths: list[str], *, other_files_are_errors: bool = True) -> list[Source]:
    """Every input under `paths`. A file named on its own that is no template nor plan is an
    error (exit 2), unless `other_files_are_errors` is False (pre-commit passes every YAML file)."""
    sources: list[Source] = []
    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"{path}: no such file or folder")
        if os.path.isdir(path):
            found = _search(path)
            if not found:
                raise UsageError(f"{path}: no SAM, CloudFormation, CDK, Serverless or Terraform plan input found in it")
            sources += found
        else:
            source = load_file(path, explicit=other_files_are_errors)
            if source is not None:
                sources.append(source)
    return sources


def load_file(path: str, *, explicit: bool) -> Source | None:
    """One file; None (when searching a folder) for a file that is none of the kinds."""
    text = read_text(path, explicit=explicit)
    if text is None:
        return None
    try:
        document = parse(path, text)
    except UsageError:
        if explicit and not path.lower().endswith(TEMPLATE_SUFFIXES) and not any(m in text for m in _TEMPLATE_MARKS):
            raise UsageError(f"{path}: not a SAM or CloudFormation template nor a Terraform plan") from None
        if explicit or any(mark in text for mark in _TEMPLATE_MARKS):
            raise  # a template that does not parse is an error, not something to skip
        return None
    base_dir = os.path.dirname(os.path.abspath(path))
    if is_terraform_plan(document.data):
        return TerraformPlan(path, document.data, base_dir)
    if is_template(document.data):
        template = Template(path, "cloudformation", document.data, document.lines, base_dir)
        if template.is_sam:
            template.kind = "sam"
        return template
    if explicit:
        raise UsageError(f"{path}: not a SAM or CloudFormation template (no Resources with a Type) "
                         "nor a Terraform plan (terraform show -json plan.out)")
    return None


def _search(folder: str) -> list[Source]:
    if is_cloud_assembly(folder):
        return list(load_cloud_assembly(folder))
    if os.path.basename(os.path.normpath(folder)) == ".serverless":
        return list(load_serverless(folder))
    sources: list[Source] = []
    seen = 0
    for root, folders, files in os.walk(folder):
        folders.sort()
        keep = []
        for name in folders:
            full = os.path.join(root, name)
            if name in SKIPPED_FOLDERS:
                continue
            if is_cloud_assembly(full):
                sources += load_cloud_assembly(full)
            elif name == ".serverless" and os.path.isfile(os.path.join(full, SERVERLESS_TEMPLATE)):
                sources += load_serverless(full)
            elif not name.startswith(".") or name == ".serverless":
                keep.append(name)
        folders[:] = [n for n in keep if n != ".serverless"]
        for name in sorted(files):
            seen += 1
            if seen > MAX_FILES:
                raise UsageError(f"{folder}: more than {MAX_FILES} files to look at; name the templates instead")
            if name.lower().endswith(TEMPLATE_SUFFIXES):
                source = load_file(os.path.join(root, name), explicit=False)
                if source is not None:
                    sources.append(source)
    return sources
