"""The controlled vocabularies in the JSON API: codes with labels in az, en and ru."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from heritage import vocab
from heritage.api.common import documented
from heritage.api.errors import guard
from heritage.services.errors import NotFound

blp = Blueprint(
    "vocabularies_api", __name__, url_prefix="/api/v1", description="Controlled vocabularies."
)
guard(blp)


class TermOutput(Schema):
    code = fields.String(metadata={"description": "What the data and the API carry."})
    labels = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "az, en, ru"}
    )
    extra = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "Facts about the term (a site type's category, say)."},
    )


class VocabularyOutput(Schema):
    name = fields.String()
    terms = fields.List(fields.Nested(TermOutput))


def _dump(vocabulary: vocab.Vocabulary) -> dict:
    terms = [
        {"code": term.code, "labels": term.labels(), "extra": dict(term.extra)}
        for term in vocabulary
    ]
    return {"name": vocabulary.name, "terms": terms}


@blp.route("/vocabularies", methods=["GET"])
@blp.alt_response(200, schema=VocabularyOutput(many=True), success=True)
@documented(blp, {401: "The API token is not valid.", 429: "Too many requests."})
def list_vocabularies():
    """Every controlled list (categories, site types, districts, conditions, …)."""
    return [_dump(vocabulary) for vocabulary in vocab.ALL.values()]


@blp.route("/vocabularies/<name>", methods=["GET"])
@blp.alt_response(200, schema=VocabularyOutput, success=True)
@documented(
    blp, {401: "The API token is not valid.", 404: "No such vocabulary.", 429: "Too many requests."}
)
def get_vocabulary(name: str):
    """One controlled list, by name (e.g. `district`, `site_type`)."""
    vocabulary = vocab.ALL.get(name)
    if vocabulary is None:
        raise NotFound(f"No vocabulary called '{name}'; there are: {', '.join(vocab.ALL)}.")
    return _dump(vocabulary)
