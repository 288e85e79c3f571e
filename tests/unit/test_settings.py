import os
import subprocess
import sys

from django.utils.module_loading import import_string

from config.email import anymail_settings
from tests.support import ROOT

PRODUCTION = {
    "SECRET_KEY": "x" * 60 + "-not-a-real-secret-but-long-and-random-enough-for-the-check",
    "ALLOWED_HOSTS": "liaison.example.org",
    "DATABASE_URL": "postgres://liaison:pw@localhost:5432/liaison",
    "ANYMAIL_WEBHOOK_SECRET": "esp:a-long-random-webhook-password",
}
NOT_INHERITED = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "ESP", "ESP_WEBHOOK_SIGNING_KEY"}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return _run([sys.executable, "manage.py", *args], clean)


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", ALLOWED_HOSTS="a.example", DATABASE_URL=PRODUCTION["DATABASE_URL"])
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts_or_database():
    no_hosts = _manage(
        "check", SECRET_KEY=PRODUCTION["SECRET_KEY"], DATABASE_URL=PRODUCTION["DATABASE_URL"]
    )
    assert "ALLOWED_HOSTS must be set" in no_hosts.stderr
    no_db = _manage("check", SECRET_KEY=PRODUCTION["SECRET_KEY"], ALLOWED_HOSTS="a.example")
    assert "DATABASE_URL must be set" in no_db.stderr


def test_production_refuses_to_start_without_webhook_authentication():
    without = {k: v for k, v in PRODUCTION.items() if k != "ANYMAIL_WEBHOOK_SECRET"}
    result = _manage("check", **without)
    assert result.returncode != 0
    assert "ANYMAIL_WEBHOOK_SECRET must be set" in result.stderr
    # Postmark does not sign its webhooks: a signing key is no substitute there
    postmark = _manage("check", ESP="postmark", ESP_WEBHOOK_SIGNING_KEY="k", **without)
    assert "ANYMAIL_WEBHOOK_SECRET must be set" in postmark.stderr
    # Resend signs them: its signing key is enough
    resend = _manage("check", ESP="resend", ESP_WEBHOOK_SIGNING_KEY="whsec_k", **without)
    assert resend.returncode == 0, resend.stderr


def test_deploy_check_reports_unauthenticated_webhooks():
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    result = _run([sys.executable, "manage.py", "check", "--deploy"], clean)
    assert "outreach.E001" in result.stderr + result.stdout
    assert "ANYMAIL_WEBHOOK_SECRET" in result.stderr + result.stdout


def test_server_and_worker_entry_points_never_fall_back_to_development_settings():
    script = (
        "import sys, importlib; importlib.import_module(sys.argv[1]);"
        "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in NOT_INHERITED | {"DJANGO_SETTINGS_MODULE"}
    }
    for module in ("config.wsgi", "config.asgi", "config.celery"):
        bare = _run([sys.executable, "-c", script, module], clean)
        # no settings module named: production's, which refuses to start without its secrets
        assert bare.returncode != 0, module
        assert "SECRET_KEY must be set" in bare.stderr, module
        configured = _run([sys.executable, "-c", script, module], {**clean, **PRODUCTION})
        assert configured.stdout.split() == ["config.settings.production", "False"], (
            module + configured.stderr
        )


def test_production_passes_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_esp_is_chosen_by_environment_with_its_own_credential_names():
    backend, anymail = anymail_settings(
        {"ESP": "postmark", "ESP_API_KEY": "tok", "ESP_API_URL": "http://127.0.0.1:9/"}
    )
    assert backend == "anymail.backends.postmark.EmailBackend"
    assert anymail["POSTMARK_SERVER_TOKEN"] == "tok"
    assert anymail["POSTMARK_API_URL"] == "http://127.0.0.1:9/"

    # Resend: Liaison's subclass of anymail's backend, which sends the idempotency key
    backend, anymail = anymail_settings(
        {"ESP": "Resend", "ESP_API_KEY": "re_123", "ESP_TIMEOUT": "2.5"}
    )
    assert backend == "outreach.esp.resend.EmailBackend"
    assert import_string(backend).__mro__[1].__module__ == "anymail.backends.resend"
    assert anymail["RESEND_API_KEY"] == "re_123"
    assert anymail["REQUESTS_TIMEOUT"] == 2.5

    backend, anymail = anymail_settings({"ANYMAIL_WEBHOOK_SECRET": "u:p"})
    assert backend is None
    assert anymail == {"WEBHOOK_SECRET": "u:p"}


def test_webhook_signing_key_reaches_the_setting_the_esps_webhook_view_reads():
    _backend, anymail = anymail_settings({"ESP": "mailgun", "ESP_WEBHOOK_SIGNING_KEY": "k"})
    assert anymail["MAILGUN_WEBHOOK_SIGNING_KEY"] == "k"
    _backend, anymail = anymail_settings({"ESP": "resend", "ESP_WEBHOOK_SIGNING_KEY": "whsec"})
    assert anymail["RESEND_SIGNING_SECRET"] == "whsec"
    # Postmark does not sign its webhooks: basic auth only
    _backend, anymail = anymail_settings({"ESP": "postmark", "ESP_WEBHOOK_SIGNING_KEY": "k"})
    assert not [key for key in anymail if "SIGN" in key]


def test_compose_puts_the_page_cache_on_a_redis_with_a_memory_limit_apart_from_the_broker():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["x-app"]["environment"]
    cache_host = environment["PAGE_CACHE_URL"].split("//")[1].split(":")[0]
    broker_host = environment["REDIS_URL"].split("//")[1].split(":")[0]
    assert cache_host != broker_host
    command = compose["services"][cache_host]["command"]
    assert "--maxmemory" in command
    assert command[command.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert "--maxmemory" not in compose["services"][broker_host].get("command", [])
