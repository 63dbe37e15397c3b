"""Audit the installed packages for known vulnerabilities (security.md SCA-01) with pip-audit.

Fails when any installed package has a known vulnerability. When the vulnerability service cannot
be reached (a machine that reaches the package index but not its JSON API), it says so plainly and
passes: the audit then has to run where the service is reachable."""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    result = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--local", "--vulnerability-service", "pypi", "--format", "json",
         "--progress-spinner", "off"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(result.stderr.strip() or "pip-audit gave no report", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
            print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    audited = len(dependencies) - len(skipped)
    if vulnerable:
        return 1
    if audited == 0:
        print(f"pip-audit: the vulnerability service was not reachable; {len(skipped)} packages NOT audited here")
    else:
        print(f"pip-audit: {audited} packages audited, no known vulnerabilities ({len(skipped)} skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
