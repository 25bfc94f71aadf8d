"""The demo's vaults: papers for every demo citizen, the signed results of returned demo
dossiers, and a few demo dossiers that reuse a vault document."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.catalog import demo as catalog_demo
from motcua.dossiers import demo as dossiers_demo
from motcua.dossiers.models import DossierComponent
from motcua.vault import demo
from motcua.vault.models import SignedResult, Source, VaultDocument

pytestmark = pytest.mark.django_db


def test_demo_vaults_hold_papers_signed_results_and_reuses(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(dossiers_demo, "TOTAL", 30)
    monkeypatch.setattr(dossiers_demo, "RECENT", 8)
    settings.SIGNING_KEYS_DIR = str(tmp_path)
    call_command("make_demo_certificates", "--demo")
    catalog_demo.seed()
    now = timezone.now()
    dossiers_demo.seed(now)
    demo.seed(now)
    assert VaultDocument.objects.filter(source=Source.UPLOAD, kind="identity").count() > 3
    results = VaultDocument.objects.filter(source=Source.RESULT)
    assert results.exists()
    assert SignedResult.objects.filter(dossier__in=results.values("dossier")).exists()
    reused = DossierComponent.objects.filter(reused=True)
    assert reused.exists()
    assert reused.filter(file__in=results.values("file")).exists()  # a signed result reused
    counts = (VaultDocument.objects.count(), reused.count())
    assert demo.seed(now) == {}
    assert (VaultDocument.objects.count(), reused.count()) == counts
