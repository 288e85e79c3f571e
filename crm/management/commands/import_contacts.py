"""manage.py import_contacts FILE... — the contact import from the command line (same service as
the admin wizard and the API, run in this process)."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from crm.models import ImportStatus, LegalBasis
from crm.services import imports


class Command(BaseCommand):
    help = "Import contacts from CSV/TSV, XLSX or vCard files (dry run with --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")
        parser.add_argument("--policy", choices=["strict", "lenient"], default="strict")
        parser.add_argument(
            "--mode", choices=["create", "update", "fill", "skip"], default="create"
        )
        parser.add_argument("--default-region", default="CN", help="ISO code for national phones")
        parser.add_argument("--mapping", default="", help="name of a saved column mapping")
        parser.add_argument("--encoding", default="", help="override the detected encoding")
        parser.add_argument(
            "--sheet", default="", help="a workbook's sheet by name; '*' for every sheet"
        )
        parser.add_argument("--source", default="", help="where the contacts come from")
        parser.add_argument(
            "--legal-basis", choices=list(LegalBasis.values), default="legitimate_interest"
        )
        parser.add_argument("--user", default="", help="staff user the import is recorded for")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        reports = []
        failed = False
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            with path.open("rb") as handle:
                try:
                    contact_import = imports.create_import(
                        File(handle, name=path.name),
                        acting_user=user,
                        source=options["source"] or f"command line: {path.name}",
                        legal_basis=options["legal_basis"],
                        policy=options["policy"],
                        mode=options["mode"],
                        default_region=options["default_region"],
                        encoding=options["encoding"],
                        mapping_name=options["mapping"],
                        sheet=options["sheet"],
                    )
                except imports.ImportError_ as exc:
                    raise CommandError(f"{name}: {exc.message}") from exc
            if contact_import.status != ImportStatus.FAILED:
                if options["dry_run"]:
                    imports.dry_run_now(contact_import, acting_user=user)
                else:
                    imports.run_now(contact_import, acting_user=user)
            failed = failed or contact_import.status == ImportStatus.FAILED
            report = imports.report(contact_import)
            report["dry_run_only"] = bool(options["dry_run"])
            reports.append(report)
            if not options["json"]:
                self._print(report, options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps({"files": reports}, ensure_ascii=False, indent=2))
        if failed:
            raise CommandError("Some files could not be read (see above).")

    def _print(self, report: dict, dry_run: bool) -> None:
        self.stdout.write(
            f"{report['file']}: {report['format'] or '?'}, {report['encoding'] or '-'}"
        )
        if report.get("error"):
            self.stdout.write(f"  error ({report['error']['code']}): {report['error']['message']}")
            return
        counts = report["dry_run"] if dry_run else report["counts"]
        self.stdout.write("  " + ", ".join(f"{k} {v}" for k, v in (counts or {}).items()))
        for item in report["rejections"]:
            self.stdout.write(
                f"  row {item['row']}: {item['reason']}"
                + (f" [{item['column']}]" if item["column"] else "")
                + (f" {item['value']!r}" if item["value"] else "")
            )
