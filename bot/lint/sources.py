"""What the loaders hand on: a CloudFormation-shaped template (SAM, plain CloudFormation, a CDK
stack, a Serverless Framework stack) or a Terraform plan, each with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"


@dataclass
class LineMap:
    """Where each key of each mapping was written: id(mapping) -> key -> 1-based line."""

    lines: dict[int, dict[str, int]] = field(default_factory=dict)
    keep: list[Any] = field(default_factory=list)  # the mappings themselves, so their ids stay theirs

    def line(self, mapping: Any, key: str) -> int | None:
        return self.lines.get(id(mapping), {}).get(key)

    def record(self, mapping: Any, key: str, line: int) -> None:
        if id(mapping) not in self.lines:
            self.keep.append(mapping)
        self.lines.setdefault(id(mapping), {})[key] = line


@dataclass
class Template:
    path: str  # as shown in findings
    kind: str  # sam | cloudformation | cdk | serverless
    data: dict[str, Any]
    lines: LineMap
    base_dir: str  # where relative code paths (CodeUri, DefinitionUri) start
    display_names: dict[str, str] = field(default_factory=dict)  # logical id -> CDK construct path
    local_code: dict[str, str] = field(default_factory=dict)  # logical id -> local folder or zip
    build_methods: dict[str, str] = field(default_factory=dict)  # SAM Metadata.BuildMethod by logical id
    origins: dict[str, str] = field(default_factory=dict)  # generated logical id -> the one written

    @property
    def resources(self) -> dict[str, Any]:
        resources = self.data.get("Resources")
        return resources if isinstance(resources, dict) else {}

    @property
    def is_sam(self) -> bool:
        transform = self.data.get("Transform")
        names = transform if isinstance(transform, list) else [transform]
        return SAM_TRANSFORM in names or any(
            isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::Serverless::")
            for r in self.resources.values()
        )

    def written_id(self, logical_id: str) -> str:
        """The resource the user wrote that `logical_id` comes from (SAM generates resources)."""
        return self.origins.get(logical_id, logical_id)

    def line_of(self, logical_id: str) -> int:
        written = self.written_id(logical_id)
        resources = self.data.get("Resources")
        return self.lines.line(resources, written) or 1

    def label(self, logical_id: str) -> str:
        written = self.written_id(logical_id)
        return self.display_names.get(written, written)


@dataclass
class TerraformPlan:
    path: str
    data: dict[str, Any]
    base_dir: str
    kind: str = "terraform"


Source = Template | TerraformPlan


def is_template(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    resources = data.get("Resources")
    return isinstance(resources, dict) and bool(resources) and all(
        isinstance(r, dict) and isinstance(r.get("Type"), str) for r in resources.values()
    )


def is_terraform_plan(data: Any) -> bool:
    return isinstance(data, dict) and "format_version" in data and any(
        key in data for key in ("planned_values", "resource_changes", "configuration")
    )
