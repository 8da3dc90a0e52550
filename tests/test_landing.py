"""The landing page a physician opens from the QR code or a link, read as parsed HTML."""

from __future__ import annotations

import json

import pytest
from conftest import PRACTICE, make_project
from htmlpage import NS, Page, text

from kitgen.pipeline.pipeline import build

URL = "https://secure.harborlight.example/refer?src=kit&ref=jane-smith"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("landing") / "kit")
    build(project.root, jobs=1)
    return project


def test_manifest_lists_every_file_and_the_referral_url(built):
    manifest = json.loads((built.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["generator"].startswith("kitgen ")
    assert (manifest["base_url"], manifest["paper"], manifest["card_stock"], manifest["site_dir"]) == \
        ("https://refer.example.org/", "letter", "avery-5371", "site")
    (partner,) = manifest["partners"]
    assert partner["slug"] == "jane-smith"
    assert partner["name"] == "Dr. Jane Smith"
    assert partner["specialty"] == "ob-gyn"
    assert partner["path"] == "jane-smith/"
    assert partner["page_url"] == "https://refer.example.org/jane-smith/"
    assert partner["referral_url"] == URL  # the form's own query is kept, ref= is added
    assert partner["files"] == {
        "landing": "site/jane-smith/index.html", "qr": "site/jane-smith/qr.svg",
        "qr_print": "site/jane-smith/qr-print.svg",
        "patient_qr_print": "site/jane-smith/patient-qr.svg",
        "one_pager": "site/jane-smith/one-pager.pdf", "cards": "site/jane-smith/cards.pdf",
        "patient_leaflet": "site/jane-smith/patient-leaflet.pdf",
        "handout": "site/jane-smith/lunch-and-learn.pdf", "fax_form": "site/jane-smith/fax-referral-form.pdf",
        "intro_letter": "desk/jane-smith/intro-letter.pdf", "intro_email": "desk/jane-smith/intro-email.eml",
        "thank_you": "desk/jane-smith/thank-you-cards.pdf", "report_back": "desk/jane-smith/report-back.pdf"}
    for rel in partner["files"].values():
        assert (built.out / rel).is_file()
    assert not list((built.out / "site").rglob("manifest.json")), "the manifest is never deployed"


def test_page_head_is_private_and_mobile_ready(built):
    page = Page(built.out / "site/jane-smith/index.html")
    assert page.lang == "en"
    assert "Dr. Jane Smith" in page.title
    assert "width=device-width" in page.meta("viewport")
    assert "noindex" in page.meta("robots")
    assert not page.all("form"), "patient data never goes through the static site"
    loaded = [el.get("src") or el.get("href") for el in page.all("img") + page.all("script") + page.all("link")]
    assert loaded and all(not u.startswith(("http:", "https:", "//")) for u in loaded if u)


def test_page_leads_with_the_physician_and_what_we_offer(built):
    page = Page(built.out / "site/jane-smith/index.html")
    hero = page.one("section", class_="hero")
    assert text(hero).startswith("For Dr. Jane Smith and the team at Lakeside Women's Health")
    services = [text(li.find(NS + "h3")) for li in page.section("What we offer your patients").iter(NS + "li")]
    assert services == ["Perinatal mental health", "Anxiety and panic"], "the ob-gyn's services come first"
    assert "Thank you for meeting with us." in text(hero)


def test_page_says_how_to_refer_and_links_the_referral_url(built):
    page = Page(built.out / "site/jane-smith/index.html")
    hrefs = page.hrefs()
    assert URL in hrefs
    assert "tel:+15035550100" in hrefs and "tel:+15035550101" in hrefs
    how = text(page.section("How to refer"))
    for item in ("Hand your patient our card.", "Patient name and phone", "Insurance plan"):
        assert item in how
    assert "within 48 hours" in text(page.section("What you can expect from us")), "voice: we (the default)"
    notfit = page.section("Who we are not the right fit for")
    assert [text(dt) for dt in notfit.iter(NS + "dt")] == ["Patients at imminent risk of harm"]
    assert [text(li) for li in page.section("Insurance we accept").iter(NS + "li")] == ["Aetna", "Cigna", "Medicare"]
    when = text(page.section("Availability"))
    assert "first appointment usually within 7 days" in when and "November 15, 2026" in when
    assert "telehealth" in when.lower()
    team = text(page.section("About us"))
    assert "Ana Ruiz, LCSW" in team and "Spanish" in team


def test_page_shows_the_qr_with_its_url_and_links_the_pdfs(built):
    page = Page(built.out / "site/jane-smith/index.html")
    scan = page.section("Scan to refer")
    img = scan.find(f".//{NS}img")
    assert img.get("src") == "qr.svg" and URL in img.get("alt")
    assert URL in text(scan)
    assert {"one-pager.pdf", "lunch-and-learn.pdf"} <= set(page.hrefs())
    svg = (built.out / "site/jane-smith/qr.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<title>" in svg and 'width="' not in svg.split(">")[0]


def test_optional_fields_can_be_left_out(project):
    project.write("content/partners/sam-lee.yaml", """\
        name: Sam Lee
        credentials: NP
        specialty: pediatrics
        practice: Kids First Clinic
        """)
    build(project.root, jobs=1)
    page = Page(project.out / "site/sam-lee/index.html")
    assert text(page.one("section", class_="hero")).startswith("For Sam Lee and the team at Kids First Clinic")
    assert not page.all("p", class_="note")


def test_especially_relevant_singles_out_some_services_never_all(project):
    """On every service the tag says nothing (a pediatrician whose specialty every service of a child practice
    lists): it marks the ones that match only when others do not."""
    from kitgen.content.load import load_kit
    from kitgen.render.html import render_partner
    from kitgen.render.themes import Theme

    def tags() -> int:
        kit, _ = load_kit(project.root)
        return render_partner(kit, Theme(project.root, kit.config.theme), "landing", kit.partners[0]).count(
            "Especially relevant to your practice")

    assert tags() == 1  # the OB-GYN: perinatal care, not anxiety and panic
    project.write("content/practice.yaml", PRACTICE.replace("specialties: [family-medicine]",
                                                            "specialties: [family-medicine, ob-gyn]"))
    assert tags() == 0
