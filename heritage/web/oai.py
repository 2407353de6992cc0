"""OAI-PMH 2.0 at /oai: the published sites and restoration records for harvesters, in
Dublin Core (oai_dc), with sets, datestamps to the second and resumable lists.

The protocol's own errors (badVerb, badArgument, …) are answers, sent with status 200 as
the specification asks; the archive's own trouble (a busy database) stays a 503.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from xml.etree import ElementTree as ET

from flask import Blueprint, current_app, request, url_for
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, URLSafeSerializer

from heritage.extensions import csrf
from heritage.models import HarvestRecord
from heritage.services import harvest
from heritage.vocab import LANGUAGES

bp = Blueprint("oai", __name__)
# Harvesters POST their arguments with no session: nothing here reads or writes one.
csrf.exempt(bp)

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in (("", OAI), ("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
FORMATS = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        OAI_DC,
    )
}
# The arguments each verb takes: required, optional, and exclusive (alone, or with the verb).
VERBS = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
}
# What XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF); dropped when writing.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_IDENTIFIER = re.compile(r"oai:(?P<repository>[^:]+):(?P<kind>[a-z]+)/(?P<id>[1-9]\d{0,17})")


class ProtocolError(Exception):
    """An OAI-PMH error: its code and a message for the harvester's operator."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@bp.route("/oai", methods=["GET", "POST"])
def endpoint():
    """Answer one OAI-PMH request (GET, or POST with form-encoded arguments)."""
    arguments = request.values if request.method == "POST" else request.args
    root, echo = _envelope()
    try:
        verb, args = _arguments(arguments)
        echo.attrib.update(args)
        echo.set("verb", verb)
        root.append(_VERBS[verb](args))
    except ProtocolError as error:
        if error.code in ("badVerb", "badArgument"):
            echo.attrib.clear()  # the protocol forbids echoing arguments it refuses
        _sub(root, "error", error.message, code=error.code)
    body = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body,
        200,
        {"Content-Type": "text/xml; charset=utf-8", "Cache-Control": "no-cache"},
    )


def _envelope() -> tuple[ET.Element, ET.Element]:
    root = ET.Element(f"{{{OAI}}}OAI-PMH")
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    _sub(root, "responseDate", _stamp(datetime.now(UTC)))
    echo = _sub(root, "request", _base_url())
    return root, echo


def _arguments(arguments) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, checked as the protocol requires."""
    verbs = arguments.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise ProtocolError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    args: dict[str, str] = {}
    for name in arguments:
        if name == "verb":
            continue
        values = arguments.getlist(name)
        if name not in (*required, *optional, exclusive) or len(values) != 1:
            raise ProtocolError("badArgument", f"{verb} does not take {name!r} (once at most).")
        args[name] = values[0]
    if exclusive in args:
        if len(args) > 1:
            raise ProtocolError("badArgument", f"{exclusive} must be the only argument.")
        return verb, args
    missing = [name for name in required if name not in args]
    if missing:
        raise ProtocolError("badArgument", f"{verb} needs {', '.join(missing)}.")
    return verb, args


# --- the verbs ------------------------------------------------------------------------------


def identify(_args) -> ET.Element:
    element = ET.Element(f"{{{OAI}}}Identify")
    _sub(element, "repositoryName", _publisher("en"))
    _sub(element, "baseURL", _base_url())
    _sub(element, "protocolVersion", "2.0")
    _sub(element, "adminEmail", _admin_email())
    _sub(element, "earliestDatestamp", _stamp(harvest.earliest_datestamp()))
    _sub(element, "deletedRecord", "persistent")
    _sub(element, "granularity", GRANULARITY)
    return element


def list_metadata_formats(args) -> ET.Element:
    if "identifier" in args:
        _row_for(args["identifier"])
    element = ET.Element(f"{{{OAI}}}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        entry = _sub(element, "metadataFormat")
        _sub(entry, "metadataPrefix", prefix)
        _sub(entry, "schema", schema)
        _sub(entry, "metadataNamespace", namespace)
    return element


def list_sets(args) -> ET.Element:
    if "resumptionToken" in args:
        raise ProtocolError("badResumptionToken", "The list of sets is sent whole.")
    element = ET.Element(f"{{{OAI}}}ListSets")
    for info in harvest.sets():
        entry = _sub(element, "set")
        _sub(entry, "setSpec", info.spec)
        _sub(entry, "setName", info.names["en"])
        description = _sub(entry, "setDescription")
        _dublin_core(
            description, [harvest.Element("title", info.names[lang], lang) for lang in LANGUAGES]
        )
    return element


def get_record(args) -> ET.Element:
    _format(args["metadataPrefix"])
    row = _row_for(args["identifier"])
    element = ET.Element(f"{{{OAI}}}GetRecord")
    _record(element, row, harvest.entries([row]).get((row.entity_type, row.entity_id)))
    return element


def list_identifiers(args) -> ET.Element:
    return _list(args, "ListIdentifiers", with_metadata=False)


def list_records(args) -> ET.Element:
    return _list(args, "ListRecords", with_metadata=True)


_VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


def _list(args, name: str, *, with_metadata: bool) -> ET.Element:
    if "resumptionToken" in args:
        selection = _resume(args["resumptionToken"], name)
    else:
        _format(args["metadataPrefix"])
        selection = _selection(args)
    query = harvest.select_rows(
        after=selection["after"],
        start=_moment(selection["from"]),
        end=_moment(selection["end"]),
        set_spec=selection["set"],
    )
    rows, more = harvest.page(query, current_app.config["OAI_PAGE_SIZE"])
    if not rows:
        raise ProtocolError("noRecordsMatch", "No record matches these arguments.")
    element = ET.Element(f"{{{OAI}}}{name}")
    found = harvest.entries(rows) if with_metadata else {}
    for row in rows:
        if with_metadata:
            _record(element, row, found.get((row.entity_type, row.entity_id)))
        else:
            _header(element, row, deleted=row.deleted)
    resumed = selection["cursor"] > 0
    if more or resumed:
        whole = harvest.select_rows(
            start=_moment(selection["from"]),
            end=_moment(selection["end"]),
            set_spec=selection["set"],
        )
        token = ""
        if more:
            following = {
                **selection,
                "after": rows[-1].id,
                "cursor": selection["cursor"] + len(rows),
            }
            token = _serializer().dumps({"verb": name, **following})
        _sub(
            element,
            "resumptionToken",
            token,
            completeListSize=str(harvest.count(whole)),
            cursor=str(selection["cursor"]),
        )
    return element


def _selection(args) -> dict:
    """What a first list request asks for, checked: its dates, its set."""
    start = _date_argument(args, "from")
    until = _date_argument(args, "until")
    if start and until:
        if len(args["from"]) != len(args["until"]):
            raise ProtocolError("badArgument", "from and until must have the same granularity.")
        if start[0] > until[0]:
            raise ProtocolError("badArgument", "from is later than until.")
    set_spec = args.get("set")
    if set_spec is not None and not harvest.known_set(set_spec):
        raise ProtocolError("badArgument", f"There is no set {set_spec!r}: see ListSets.")
    return {
        "after": 0,
        "cursor": 0,
        "from": start[0].isoformat() if start else None,
        # A day includes all of it; a second includes that second.
        "end": (until[0] + until[1]).isoformat() if until else None,
        "set": set_spec,
    }


def _date_argument(args, name: str) -> tuple[datetime, timedelta] | None:
    value = args.get(name)
    if value is None:
        return None
    try:
        if _DAY.fullmatch(value):
            return datetime.combine(date.fromisoformat(value), time(), UTC), timedelta(days=1)
        if _SECOND.fullmatch(value):
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return moment, timedelta(seconds=1)
    except ValueError:
        pass
    raise ProtocolError(
        "badArgument", f"{name} must be a date (YYYY-MM-DD) or a UTC time ({GRANULARITY})."
    )


def _resume(token: str, verb: str) -> dict:
    try:
        selection = _serializer().loads(token)
    except BadSignature:
        selection = None
    if not isinstance(selection, dict) or selection.pop("verb", None) != verb:
        raise ProtocolError("badResumptionToken", "This resumption token is not one of ours.")
    return selection


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="oai-pmh resumption")


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _format(prefix: str) -> None:
    if prefix not in FORMATS:
        raise ProtocolError(
            "cannotDisseminateFormat", f"Records are offered as {', '.join(FORMATS)} only."
        )


def _row_for(identifier: str) -> HarvestRecord:
    found = _IDENTIFIER.fullmatch(identifier)
    row = None
    if found and found["repository"] == _repository() and found["kind"] in harvest.KINDS:
        row = harvest.find(found["kind"], int(found["id"]))
    if row is None:
        raise ProtocolError("idDoesNotExist", f"No record is known as {identifier!r}.")
    return row


# --- writing records -----------------------------------------------------------------------


def _record(parent: ET.Element, row: HarvestRecord, entry: harvest.Entry | None) -> None:
    record = _sub(parent, "record")
    # A row whose record the public gate no longer lets through is sent as deleted.
    _header(record, row, deleted=row.deleted or entry is None)
    if entry is None or row.deleted:
        return
    metadata = _sub(record, "metadata")
    url = url_for("public.show_site", slug=entry.site_slug, _external=True)
    if entry.kind == harvest.RESTORATION:
        url = f"{url}#work-{entry.id}"
        manifest = url_for("iiif.record_manifest", record_id=entry.id, _external=True)
    else:
        manifest = url_for("iiif.site_manifest", slug=entry.site_slug, _external=True)
    elements = [
        *entry.elements,
        harvest.Element("identifier", url),
        harvest.Element("identifier", manifest),
        *(harvest.Element("publisher", _publisher(lang), lang) for lang in LANGUAGES),
    ]
    if current_app.config["METADATA_RIGHTS"]:
        elements.append(harvest.Element("rights", current_app.config["METADATA_RIGHTS"]))
    _dublin_core(metadata, elements)


def _header(parent: ET.Element, row: HarvestRecord, *, deleted: bool) -> None:
    header = _sub(parent, "header", status="deleted") if deleted else _sub(parent, "header")
    _sub(header, "identifier", f"oai:{_repository()}:{row.entity_type}/{row.entity_id}")
    _sub(header, "datestamp", _stamp(row.datestamp))
    for spec in harvest.set_specs(row):
        _sub(header, "setSpec", spec)


def _dublin_core(parent: ET.Element, elements) -> None:
    dc = ET.SubElement(parent, f"{{{OAI_DC}}}dc")
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {FORMATS['oai_dc'][0]}")
    for element in elements:
        node = ET.SubElement(dc, f"{{{DC}}}{element.name}")
        node.text = _NOT_XML.sub("", element.value)
        if element.lang:
            node.set(XML_LANG, element.lang)


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{OAI}}}{name}", attributes)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _base_url() -> str:
    return url_for("oai.endpoint", _external=True)


def _repository() -> str:
    """The namespace of our OAI identifiers: configured, else this host's name."""
    return current_app.config["OAI_REPOSITORY_ID"] or request.host.split(":")[0].lower()


def _admin_email() -> str:
    """The configured address; unset, one at this host that says so (a name without a dot
    gets the reserved `.invalid`, as the protocol wants a domain)."""
    configured = current_app.config["OAI_ADMIN_EMAIL"]
    if configured:
        return configured
    host = _repository()
    return f"archive@{host}" if "." in host else f"archive@{host}.invalid"


def _publisher(lang: str) -> str:
    with force_locale(lang):
        return gettext("Heritage of Karabakh and East Zangezur")
