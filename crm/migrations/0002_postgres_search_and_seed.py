"""PostgreSQL-only search indexes, and the seeded taxonomies.

On PostgreSQL: pg_trgm and trigram GIN indexes on the folded search columns, so that
`search_text LIKE '%term%'` (what crm.services.search issues) is an index scan. On SQLite the
same query is a scan of one narrow column: fine for an office's tens of thousands of contacts.
"""

from django.db import migrations

SECTORS = [
    ("Smart manufacturing", "智能制造", "smart-manufacturing"),
    ("Robotics", "机器人", "robotics"),
    ("Artificial intelligence", "人工智能", "artificial-intelligence"),
    ("Industrial internet", "工业互联网", "industrial-internet"),
    ("Internet of Things", "物联网", "internet-of-things"),
    ("Big data", "大数据", "big-data"),
    ("New materials", "新材料", "new-materials"),
    ("Smart cities", "智慧城市", "smart-cities"),
    ("Moulds", "模具", "moulds"),
    ("Stationery", "文具", "stationery"),
    ("Garments", "服装", "garments"),
    ("LED lighting", "LED照明", "led-lighting"),
    ("Polymer materials", "高分子材料", "polymer-materials"),
]

RELATIONSHIP_TYPES = [
    ("assistant", "assistant of", "has assistant", "people"),
    ("introduction", "introduced by", "introduced", "people"),
    ("reports_to", "reports to", "manages", "people"),
    ("colleague", "colleague of", "colleague of", "people"),
    ("family", "relative of", "relative of", "people"),
    ("member_of", "member of", "has member", "organizations"),
    ("partner", "partner of", "partner of", "organizations"),
    ("subsidiary", "subsidiary of", "parent company of", "organizations"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("crm", "Sector")
    RelationshipType = apps.get_model("crm", "RelationshipType")
    for order, (name, name_zh, slug) in enumerate(SECTORS):
        Sector.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_zh": name_zh, "sort_order": order}
        )
    for name, forward, reverse, scope in RELATIONSHIP_TYPES:
        RelationshipType.objects.get_or_create(
            name=name,
            defaults={"forward_label": forward, "reverse_label": reverse, "scope": scope},
        )


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS crm_person_search_trgm "
        "ON crm_person USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS crm_org_search_trgm "
        "ON crm_organization USING gin (search_text gin_trgm_ops)"
    )
    # Phone search by trailing digits ("138 0013 8000" typed without the country code).
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS crm_phone_number_trgm "
        "ON crm_personphone USING gin (number gin_trgm_ops)"
    )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("crm_person_search_trgm", "crm_org_search_trgm", "crm_phone_number_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
