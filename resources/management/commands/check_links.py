from django.core.management.base import BaseCommand, CommandError

from resources.links import check_addresses, external_addresses


class Command(BaseCommand):
    help = (
        "Check every external address in the guide, the case studies and the resource "
        "library, and report the broken ones and the redirects. Changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=10.0, help="seconds to wait for each address"
        )
        parser.add_argument("--workers", type=int, default=8, help="addresses checked at once")

    def handle(self, *args, **options):
        addresses = external_addresses()
        if not addresses:
            self.stdout.write("No external addresses found: run load_content first.")
            return
        self.stdout.write(f"Checking {len(addresses)} external addresses …")
        results = check_addresses(addresses, timeout=options["timeout"], workers=options["workers"])
        broken = [r for r in results if r.broken]
        moved = [r for r in results if r.redirected]
        for result in broken:
            what = str(result.status) if result.status else result.error
            self.stdout.write(self.style.ERROR(f"BROKEN  {what}  {result.url}"))
            self.stdout.write(f"        in: {'; '.join(result.places)}")
        for result in moved:
            target = result.location or "(no Location header)"
            self.stdout.write(
                self.style.WARNING(f"MOVED   {result.status} → {target}  {result.url}")
            )
            self.stdout.write(f"        in: {'; '.join(result.places)}")
        fine = len(results) - len(broken) - len(moved)
        summary = (
            f"{len(results)} checked: {fine} fine, {len(moved)} redirected, {len(broken)} broken."
        )
        if broken:
            raise CommandError(
                f"{summary} Fix or replace the broken addresses in the content files "
                "(or the admin) and load them again."
            )
        self.stdout.write(self.style.SUCCESS(summary))
