"""The Serverless Framework packages committed under tests/lint/fixtures, built from the service
files beside them (what `serverless package` zips: everything but serverless.yml and .serverless/).
Byte for byte the same on every run: fixed dates and modes, stored (deflate output varies with
the zlib build). test_loaders checks that the committed zips are these bytes;
`python -m tests.lint.packages` writes them again after the service's files change."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SERVICE = FIXTURES / "patterns" / "serverless-quotes"
PACKAGE_NAME = "quotes-api.zip"
# the service's package, and the broken variant's copy of it
PACKAGES = (SERVICE / ".serverless" / PACKAGE_NAME,
            FIXTURES / "broken" / "serverless-no-permission" / ".serverless" / PACKAGE_NAME)
PACKAGED = ("handler.js", "package.json")
_DATE = (2024, 6, 10, 6, 0, 0)


def package_bytes(service: Path = SERVICE) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in PACKAGED:
            info = zipfile.ZipInfo(name, _DATE)
            info.create_system = 3  # Unix, so the modes below are read
            info.external_attr = 0o100644 << 16
            archive.writestr(info, (service / name).read_bytes())
    return buffer.getvalue()


if __name__ == "__main__":
    data = package_bytes()
    for path in PACKAGES:
        path.write_bytes(data)
        print(f"wrote {path.relative_to(FIXTURES)} ({len(data)} bytes)")
