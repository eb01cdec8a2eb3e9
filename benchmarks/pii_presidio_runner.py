"""Presidio side of benchmarks/pii_bench.py; runs inside a venv with presidio-analyzer.

Configured as a user without a language model would: the AnalyzerEngine with
Presidio's own pattern recognisers (credit card, e-mail, phone with region
ID) plus custom PatternRecognizers for NIK, No. KK, NPWP and NIP, and a blank
spaCy pipeline (tokenizer only, nothing downloaded) so that context words
still raise scores. Prints JSON: predictions per document and CPU-time MB/s.

    python pii_presidio_runner.py CORPUS_DIR
"""

from __future__ import annotations

import json
import socket
import sys
import time
from importlib.metadata import version
from pathlib import Path


def _no_network(*args: object, **kwargs: object) -> None:
    raise OSError("benchmark: network access is disabled")


# Presidio's e-mail recogniser uses tldextract, which would download the public suffix
# list; the benchmark must not touch the network. Use tldextract's bundled snapshot,
# and refuse any connection at all as a guard.
socket.getaddrinfo = _no_network  # type: ignore[assignment]
socket.create_connection = _no_network  # type: ignore[assignment]

import tldextract  # noqa: E402

tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())

import spacy  # noqa: E402
from presidio_analyzer import (  # noqa: E402
    AnalyzerEngine,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
)
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine  # noqa: E402
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    EmailRecognizer,
    PhoneRecognizer,
)

KINDS = {"ID_NIK": "nik", "ID_KK": "kk", "ID_NPWP": "npwp", "ID_NIP": "nip",
         "PHONE_NUMBER": "phone", "EMAIL_ADDRESS": "email", "CREDIT_CARD": "card"}
THRESHOLD = 0.4


class BlankSpacyEngine(NlpEngine):
    """Tokens and lower-case lemmas from spacy.blank: context without a model."""

    def __init__(self) -> None:
        self.nlp = spacy.blank("en")

    def load(self) -> None:
        pass

    def is_loaded(self) -> bool:
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        doc = self.nlp(text)
        return NlpArtifacts(entities=[], tokens=doc, tokens_indices=[t.idx for t in doc],
                            lemmas=[t.lower_ for t in doc], nlp_engine=self,
                            language=language)

    def process_batch(self, texts, language, batch_size=1, n_process=1, **kwargs):  # type: ignore[no-untyped-def]
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return False

    def is_punct(self, word: str, language: str) -> bool:
        return False

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return ["en"]


def engine() -> AnalyzerEngine:
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(CreditCardRecognizer())
    registry.add_recognizer(EmailRecognizer())
    registry.add_recognizer(PhoneRecognizer(supported_regions=("ID",)))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="ID_NIK", name="nik",
        patterns=[Pattern("nik", r"\b\d{16}\b", 0.5)],
        context=["nik", "ktp", "kependudukan"]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="ID_KK", name="kk",
        patterns=[Pattern("kk", r"\b\d{16}\b", 0.3)],
        context=["kk", "nkk", "keluarga"]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="ID_NPWP", name="npwp",
        patterns=[Pattern("npwp", r"\b\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}\b", 0.8)],
        context=["npwp"]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="ID_NIP", name="nip",
        patterns=[Pattern("nip", r"\b\d{8}\s?\d{6}\s?\d\s?\d{3}\b", 0.4)],
        context=["nip"]))
    return AnalyzerEngine(registry=registry, nlp_engine=BlankSpacyEngine(),
                          supported_languages=["en"])


def best_per_span(results: list) -> list:  # type: ignore[type-arg]
    """One entity per span: the highest score, as a user would keep."""
    best: dict[tuple[int, int], object] = {}
    for r in results:
        key = (r.start, r.end)
        if key not in best or r.score > best[key].score:  # type: ignore[attr-defined]
            best[key] = r
    return list(best.values())


def main() -> None:
    corpus = Path(sys.argv[1])
    analyzer = engine()
    docs = sorted(p for p in corpus.iterdir() if p.name != "labels.json")
    texts = {p.name: p.read_text(encoding="utf-8") for p in docs}
    analyzer.analyze("warm up NIK 1271014508900001", language="en")
    predictions: dict[str, list[tuple[str, str]]] = {}
    cpu: dict[str, float] = {}
    size: dict[str, int] = {}
    for name, text in texts.items():
        kind = {"csv": "csv", "html": "html", "json": "json", "txt": "text",
                "htm": "page"}[name.rsplit(".", 1)[1]]
        start = time.process_time()
        results = analyzer.analyze(text, language="en", score_threshold=THRESHOLD)
        cpu[kind] = cpu.get(kind, 0.0) + time.process_time() - start
        size[kind] = size.get(kind, 0) + len(text.encode())
        predictions[name] = [(KINDS[r.entity_type], text[r.start:r.end])
                             for r in best_per_span(results) if r.entity_type in KINDS]
    total = sum(size.values()) / 1e6 / sum(cpu.values())
    print(json.dumps({
        "version": version("presidio-analyzer"),
        "mb_s": round(total, 3),
        "mb_s_by_kind": {k: round(size[k] / 1e6 / cpu[k], 3) for k in size},
        "predictions": predictions,
    }))


if __name__ == "__main__":
    main()
