"""The demo site's editorial pages: a home page in place of Wagtail's welcome page, and guides,
each in English and in Spanish."""

from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from portal.pages.models import HomePage, StandardPage

HOME_SLUG = "home"
SPANISH_LANGUAGE_CODE = "es"


@dataclass(frozen=True)
class PageSpec:
    slug: str
    title: str
    introduction: str
    body: tuple[tuple[str, str], ...]  # ("heading", text) or ("paragraph", HTML)


HOME = PageSpec(
    slug=HOME_SLUG,
    title="Surveillance technology in the City of Alameda Bay",
    introduction=(
        "<p>Before any city department buys or uses a technology that can watch, track or "
        "identify people, the city's <b>surveillance technology ordinance</b> requires it to "
        "say so in public: what the technology does, what data it gathers, who may see the "
        "data and what it costs. The Privacy Advisory Commission reviews every proposal and "
        "advises the City Council, and each department reports every year on how it used "
        "what was approved.</p>"
        "<p>This portal publishes those filings. <i>Alameda Bay is a fictional city: everything "
        "on this site is demonstration data.</i></p>"
    ),
    body=(
        ("heading", "What you can find here"),
        (
            "paragraph",
            "<ul>"
            "<li>Acquisition notices, filed before a department seeks money for a technology.</li>"
            "<li>Surveillance impact reports, which weigh a technology's benefits against its "
            "risks to privacy and civil liberties.</li>"
            "<li>Use policies: the binding rules for each technology.</li>"
            "<li>Annual reports, with figures on use, data sharing, complaints and cost.</li>"
            "<li>Contracts, audits, the Commission's recommendations, and reports of emergency "
            "use without approval.</li>"
            "</ul>",
        ),
        ("heading", "Where deadlines stand"),
        (
            "paragraph",
            "<p>Annual reports for each technology in use are due on March 15 for the year "
            "before. An impact report and a use policy are due before a department starts "
            "using a technology. Oversight staff track every deadline; overdue filings are "
            "shown as overdue.</p>",
        ),
    ),
)

GUIDES = (
    PageSpec(
        slug="about-the-ordinance",
        title="About the ordinance",
        introduction=(
            "<p>Chapter 9.64 of the Alameda Bay Municipal Code sets the rules for how city "
            "departments acquire and use surveillance technology. It is modelled on Oakland's "
            "surveillance ordinance (Oakland Municipal Code Chapter 9.64).</p>"
        ),
        body=(
            ("heading", "What counts as surveillance technology"),
            (
                "paragraph",
                "<p>Any electronic device, system or software that collects, keeps, analyses "
                "or shares information that can be linked to a person or group: audio, video, "
                "images, location, biometric or online data. License plate readers, body-worn "
                "cameras, drones, gunshot detection and face recognition are all covered. "
                "Ordinary office equipment, and cameras that record no one, are not.</p>",
            ),
            ("heading", "What departments must do"),
            (
                "paragraph",
                "<ol>"
                "<li>Notify the Privacy Advisory Commission before seeking funds for, "
                "acquiring or using a new technology.</li>"
                "<li>Submit a surveillance impact report and a proposed use policy for the "
                "Commission to review in a public meeting.</li>"
                "<li>Obtain the City Council's approval, which may come with conditions.</li>"
                "<li>Report every year on how each technology was used, what it gathered, "
                "who received the data, what complaints came in and what it cost.</li>"
                "</ol>",
            ),
            ("heading", "Emergencies"),
            (
                "paragraph",
                "<p>A department may use a technology without approval only in an emergency "
                "involving imminent danger of death or serious injury. It must stop when the "
                "emergency ends, keep only the data the emergency required, and file an "
                "exigent-use report.</p>",
            ),
        ),
    ),
    PageSpec(
        slug="take-part",
        title="Take part in the Privacy Advisory Commission",
        introduction=(
            "<p>The Privacy Advisory Commission is nine residents appointed by the City "
            "Council. It meets in public on the first Thursday of each month, and every "
            "meeting has time for public comment.</p>"
        ),
        body=(
            ("heading", "Speak at a meeting"),
            (
                "paragraph",
                "<p>Meetings start at 5:00 p.m. in Hearing Room 1 of City Hall and online. "
                "Fill in a speaker card, or raise your hand online, before the item is "
                "called. Each speaker has two minutes; you do not have to give your name.</p>",
            ),
            ("heading", "Comment in writing"),
            (
                "paragraph",
                "<p>Email the Commission's clerk at least two days before the meeting. Written "
                "comments are shared with commissioners and summarised in the Commission's "
                "recommendation, which is published on this portal.</p>",
            ),
            ("heading", "Read before you comment"),
            (
                "paragraph",
                "<p>Every proposal on an agenda has its acquisition notice, impact report and "
                "draft use policy published here at least ten days before the meeting. "
                "Annual reports show how approved technologies were used in practice.</p>",
            ),
        ),
    ),
    PageSpec(
        slug="reading-a-filing",
        title="How to read a filing",
        introduction=(
            "<p>Each filing shows its kind, the department that filed it, the technologies it "
            "concerns and where it stands in review.</p>"
        ),
        body=(
            ("heading", "Where a filing stands"),
            (
                "paragraph",
                "<ul>"
                "<li><b>Submitted</b>: the department has formally filed it.</li>"
                "<li><b>In review</b>: oversight staff are checking it against the ordinance.</li>"
                "<li><b>Changes requested</b>: staff have asked the department to correct or "
                "complete it.</li>"
                "<li><b>Accepted</b>: complete, and scheduled for the Commission.</li>"
                "<li><b>Published</b>: part of the public record.</li>"
                "<li><b>Withdrawn</b>: the department took it back; it stays on the record.</li>"
                "</ul>",
            ),
            ("heading", "Versions"),
            (
                "paragraph",
                "<p>When a filing is submitted or published, the portal freezes a version of "
                "it, with a fingerprint of every attached document. Later corrections become "
                "new versions; nothing filed is ever silently changed.</p>",
            ),
        ),
    ),
)
# The same pages in Spanish, matched to the English ones by slug. A translation keeps its
# page's slug, so the language switcher's /es/ address of an English page is its Spanish page.
SPANISH = (
    PageSpec(
        slug=HOME_SLUG,
        title="La tecnología de vigilancia en la ciudad de Alameda Bay",
        introduction=(
            "<p>Antes de que cualquier departamento municipal compre o use una tecnología que "
            "pueda observar, rastrear o identificar a las personas, la <b>ordenanza sobre "
            "tecnología de vigilancia</b> de la ciudad le exige decirlo en público: qué hace la "
            "tecnología, qué datos recopila, quién puede ver esos datos y cuánto cuesta. La "
            "Comisión Asesora de Privacidad examina cada propuesta y asesora al Concejo "
            "Municipal, y cada departamento informa todos los años de cómo usó lo que se "
            "aprobó.</p>"
            "<p>Este portal publica esos expedientes. <i>Alameda Bay es una ciudad ficticia: "
            "todo lo que hay en este sitio son datos de demostración.</i></p>"
        ),
        body=(
            ("heading", "Qué puede encontrar aquí"),
            (
                "paragraph",
                "<ul>"
                "<li>Avisos de adquisición, presentados antes de que un departamento solicite "
                "fondos para una tecnología.</li>"
                "<li>Informes de impacto de vigilancia, que sopesan los beneficios de una "
                "tecnología frente a sus riesgos para la privacidad y las libertades "
                "civiles.</li>"
                "<li>Políticas de uso: las normas obligatorias para cada tecnología.</li>"
                "<li>Informes anuales, con cifras sobre el uso, el intercambio de datos, las "
                "quejas y el costo.</li>"
                "<li>Contratos, auditorías, las recomendaciones de la Comisión e informes de uso "
                "de emergencia sin aprobación.</li>"
                "</ul>",
            ),
            ("heading", "En qué punto están los plazos"),
            (
                "paragraph",
                "<p>Los informes anuales de cada tecnología en uso tienen como fecha límite el "
                "15 de marzo para el año anterior. El informe de impacto y la política de uso "
                "deben presentarse antes de que un departamento empiece a usar una tecnología. "
                "El personal de supervisión sigue cada plazo; los expedientes vencidos se "
                "muestran como vencidos.</p>",
            ),
        ),
    ),
    PageSpec(
        slug="about-the-ordinance",
        title="Acerca de la ordenanza",
        introduction=(
            "<p>El capítulo 9.64 del Código Municipal de Alameda Bay establece las normas sobre "
            "cómo los departamentos municipales adquieren y usan tecnología de vigilancia. "
            "Sigue el modelo de la ordenanza de vigilancia de Oakland (capítulo 9.64 del "
            "Código Municipal de Oakland).</p>"
        ),
        body=(
            ("heading", "Qué se considera tecnología de vigilancia"),
            (
                "paragraph",
                "<p>Cualquier dispositivo, sistema o programa electrónico que recopile, guarde, "
                "analice o comparta información que pueda vincularse a una persona o a un "
                "grupo: audio, video, imágenes, ubicación, datos biométricos o datos en línea. "
                "Los lectores de matrículas, las cámaras corporales, los drones, la detección de "
                "disparos y el reconocimiento facial están incluidos. El equipo de oficina "
                "corriente y las cámaras que no graban a nadie no lo están.</p>",
            ),
            ("heading", "Qué deben hacer los departamentos"),
            (
                "paragraph",
                "<ol>"
                "<li>Notificar a la Comisión Asesora de Privacidad antes de solicitar fondos "
                "para una tecnología nueva, adquirirla o usarla.</li>"
                "<li>Presentar un informe de impacto de vigilancia y una propuesta de política "
                "de uso para que la Comisión los examine en una reunión pública.</li>"
                "<li>Obtener la aprobación del Concejo Municipal, que puede imponer "
                "condiciones.</li>"
                "<li>Informar cada año de cómo se usó cada tecnología, qué recopiló, quién "
                "recibió los datos, qué quejas se recibieron y cuánto costó.</li>"
                "</ol>",
            ),
            ("heading", "Emergencias"),
            (
                "paragraph",
                "<p>Un departamento puede usar una tecnología sin aprobación solo en una "
                "emergencia con peligro inminente de muerte o de lesiones graves. Debe dejar de "
                "usarla cuando termine la emergencia, conservar solo los datos que la "
                "emergencia requirió y presentar un informe de uso urgente.</p>",
            ),
        ),
    ),
    PageSpec(
        slug="take-part",
        title="Participe en la Comisión Asesora de Privacidad",
        introduction=(
            "<p>La Comisión Asesora de Privacidad está formada por nueve residentes nombrados "
            "por el Concejo Municipal. Se reúne en público el primer jueves de cada mes, y "
            "cada reunión reserva tiempo para comentarios del público.</p>"
        ),
        body=(
            ("heading", "Hable en una reunión"),
            (
                "paragraph",
                "<p>Las reuniones empiezan a las 5:00 p. m. en la Sala de Audiencias 1 del "
                "Ayuntamiento y en línea. Llene una tarjeta de orador, o levante la mano en "
                "línea, antes de que se anuncie el punto. Cada orador dispone de dos minutos; "
                "no tiene que dar su nombre.</p>",
            ),
            ("heading", "Comente por escrito"),
            (
                "paragraph",
                "<p>Envíe un correo electrónico a la secretaría de la Comisión al menos dos "
                "días antes de la reunión. Los comentarios escritos se comparten con los "
                "comisionados y se resumen en la recomendación de la Comisión, que se publica "
                "en este portal.</p>",
            ),
            ("heading", "Lea antes de comentar"),
            (
                "paragraph",
                "<p>Cada propuesta del orden del día tiene su aviso de adquisición, su informe "
                "de impacto y su borrador de política de uso publicados aquí al menos diez días "
                "antes de la reunión. Los informes anuales muestran cómo se usaron en la "
                "práctica las tecnologías aprobadas.</p>",
            ),
        ),
    ),
    PageSpec(
        slug="reading-a-filing",
        title="Cómo leer un expediente",
        introduction=(
            "<p>Cada expediente muestra su tipo, el departamento que lo presentó, las "
            "tecnologías a las que se refiere y en qué punto de la revisión se encuentra.</p>"
        ),
        body=(
            ("heading", "En qué punto está un expediente"),
            (
                "paragraph",
                "<ul>"
                "<li><b>Presentado</b>: el departamento lo ha presentado formalmente.</li>"
                "<li><b>En revisión</b>: el personal de supervisión comprueba que cumple la "
                "ordenanza.</li>"
                "<li><b>Cambios solicitados</b>: el personal ha pedido al departamento que lo "
                "corrija o lo complete.</li>"
                "<li><b>Aceptado</b>: está completo y programado para la Comisión.</li>"
                "<li><b>Publicado</b>: forma parte del registro público.</li>"
                "<li><b>Retirado</b>: el departamento lo retiró; sigue constando en el "
                "registro.</li>"
                "</ul>",
            ),
            ("heading", "Versiones"),
            (
                "paragraph",
                "<p>Cuando un expediente se presenta o se publica, el portal congela una versión "
                "de él, con una huella digital de cada documento adjunto. Las correcciones "
                "posteriores se convierten en versiones nuevas; nada de lo presentado se cambia "
                "nunca en silencio.</p>",
            ),
        ),
    ),
)


def _stream(spec: PageSpec) -> list[tuple[str, object]]:
    return [
        (block_type, RichText(value) if block_type == "paragraph" else value)
        for block_type, value in spec.body
    ]


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _is_wagtail_welcome_page(page: Page) -> bool:
    """Wagtail's installer creates a plain Page at /home/ with nothing under it."""
    return page.specific_class is Page and not page.get_children().exists()


def _install_home_page(root: Page) -> tuple[HomePage, bool]:
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is not None:
        if home.slug != HOME_SLUG or home.get_parent().pk != root.pk:
            raise CommandError(
                f"A home page already exists ({home.title!r} at {home.url_path}); the demo "
                "data would replace it. Load the demo into a fresh database."
            )
        return home, False
    occupant = root.get_children().filter(slug=HOME_SLUG).first()
    if occupant is not None:
        if not _is_wagtail_welcome_page(occupant):
            raise CommandError(
                f"The page {occupant.title!r} at /{HOME_SLUG}/ is not Wagtail's default welcome "
                "page; move or delete it before loading the demo data."
            )
        # Deleting a page deletes the sites rooted at it: park them on the root first.
        Site.objects.filter(root_page=occupant).update(root_page=root)
        occupant.delete()
    home = _publish(
        root,
        HomePage(
            title=HOME.title, slug=HOME.slug, introduction=HOME.introduction, body=_stream(HOME)
        ),
    )
    return home, True


def _point_default_site(root: Page, home: HomePage) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        if site.root_page_id != root.pk:
            raise CommandError(
                f"The default site {site} serves {site.root_page.title!r}, not the demo home "
                "page; point it at the home page or load the demo into a fresh database."
            )
        site.root_page = home
        site.save()
    Site.objects.filter(root_page=root).update(root_page=home)


def _install_spanish_pages(home: HomePage) -> int:
    """Translate the home page, then each guide under it, unless already translated: Wagtail
    puts a translation under its parent's translation, so the home page must come first.
    Returns how many translations were created."""
    locale, _created = Locale.objects.get_or_create(language_code=SPANISH_LANGUAGE_CODE)
    guides = [StandardPage.objects.child_of(home).get(slug=spec.slug) for spec in GUIDES]
    spanish = {spec.slug: spec for spec in SPANISH}
    created = 0
    for page in [home, *guides]:
        if page.get_translation_or_none(locale) is not None:
            continue
        spec = spanish[page.slug]
        translation = page.copy_for_translation(locale)
        translation.title = spec.title
        translation.introduction = spec.introduction
        translation.body = _stream(spec)
        translation.save_revision().publish()
        created += 1
    return created


@transaction.atomic
def install_pages() -> tuple[int, int]:
    """Create the home page and guides, in English and Spanish, that do not exist yet:
    (created, already present)."""
    # Wagtail's migrations make the root page and the default locale; a database emptied
    # since (as tests that need a live server leave it) gets them back here.
    default_locale, _created = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=default_locale)
    )
    home, home_created = _install_home_page(root)
    _point_default_site(root, home)
    created = int(home_created)
    for spec in GUIDES:
        existing = home.get_children().filter(slug=spec.slug).first()
        if existing is not None:
            if existing.specific_class is not StandardPage:
                raise CommandError(
                    f"The page {existing.title!r} at {existing.url_path} is not a standard "
                    "page; the demo data needs that address for its guide "
                    f"{spec.title!r}."
                )
            continue
        _publish(
            home,
            StandardPage(
                title=spec.title,
                slug=spec.slug,
                introduction=spec.introduction,
                body=_stream(spec),
            ),
        )
        created += 1
    created += _install_spanish_pages(home)
    return created, 2 * (1 + len(GUIDES)) - created
