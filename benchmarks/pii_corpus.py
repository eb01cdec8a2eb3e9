"""Generate a labelled corpus for the personal-data detector benchmark.

Documents imitate what government sites publish: recipient lists (CSV),
announcement pages (HTML with prose, menus, tables and scripts), resident
APIs (JSON) and decrees (plain text with officials' NIP). Every identifier is
synthetic (seeded) and labelled; near-misses are planted and *not* labelled:
NIK-like numbers with impossible dates, micro-second timestamps, order and
invoice numbers, payment cards in card context (labelled as cards, never as
NIK), masked values, placeholders, over-long digit runs, landlines and
institutional mailboxes; and typical news pages with none of it (dates, amounts, budget
codes), the common case a crawl meets.

    python benchmarks/pii_corpus.py --out benchmarks/.work/corpus --docs 400
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from egov_audit.pii.synthetic import Synthetic

PROSE = ("Pemerintah Kota Contoh melalui Dinas Sosial menyalurkan bantuan langsung tunai kepada "
         "warga yang memenuhi syarat. Penyaluran dilakukan bertahap di setiap kecamatan sesuai "
         "jadwal yang telah ditetapkan. Warga diminta membawa dokumen asli saat pengambilan. "
         "Informasi lebih lanjut dapat diperoleh di kantor kelurahan setempat pada jam kerja. ")
MENU = ('<nav><ul><li><a href="/">Beranda</a></li><li><a href="/profil">Profil</a></li>'
        '<li><a href="/berita">Berita</a></li><li><a href="/layanan">Layanan</a></li>'
        '<li><a href="/ppid">PPID</a></li><li><a href="/kontak">Kontak</a></li></ul></nav>')
SCRIPT = ('<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push('
          'arguments)}gtag("js",new Date());var cfg={"build":"2024.11.3","ts":1712345678901,'
          '"items":[12,34,56]};</script>')


@dataclass
class Doc:
    name: str
    kind: str  # csv | html | json | text | page (a typical page without personal data)
    text: str
    labels: list[tuple[str, str]] = field(default_factory=list)  # (kind, digits or value)


def _d(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum() or ch in "@._-").lower() \
        if "@" in value else "".join(ch for ch in value if ch.isalnum())


class Corpus:
    def __init__(self, seed: int) -> None:
        self.gen = Synthetic(seed)
        self.rng = random.Random(seed)

    # -- near misses (never labelled) ---------------------------------------------
    def bad_date_nik(self) -> str:
        nik = self.gen.nik()
        return nik[:6] + self.rng.choice(["32", "38", "75", "99"]) + nik[8:]

    def near_miss(self) -> str:
        r = self.rng
        return r.choice([
            lambda: f"No. Pesanan {self.gen.nik()}",
            lambda: f"INV{self.gen.nik()}",
            lambda: f"timestamp {r.randint(1_600_000_000_000_000, 1_760_000_000_000_000)}",
            lambda: f"created_at: {r.randint(1_600_000_000_000, 1_760_000_000_000)}",
            lambda: f"kode {self.bad_date_nik()}",
            lambda: f"NIK {self.gen.nik()[:4]}**********{r.randint(10, 99)}",
            lambda: f"NIK {self.gen.nik()[:6]}******{r.randint(1000, 9999)}",
            lambda: "NIK 1234567890123456",
            lambda: f"No. Registrasi {self.gen.nik()}{r.randint(0, 9)}",
            lambda: f"Telp. (061) {r.randint(4000000, 4999999)}",
            lambda: "surel humas@kota-contoh.go.id",
            lambda: f"No. Invoice {self.gen.digits(16)}",
            lambda: f"HP 0812****{r.randint(1000, 9999)}",
            lambda: f"Rp {r.randint(1, 999)}.{r.randint(100, 999)}.{r.randint(100, 999)}",
        ])()

    # -- documents ------------------------------------------------------------------
    def csv_list(self, i: int, rows: int) -> Doc:
        doc = Doc(f"penerima_{i}.csv", "csv", "")
        lines = ["no,nama,nik,no_kk,no_hp,alamat,keterangan"]
        for n in range(1, rows + 1):
            nik, kk, hp = self.gen.nik(), self.gen.kk(), self.gen.phone()
            doc.labels += [("nik", nik), ("kk", kk), ("phone", hp)]
            note = self.near_miss() if self.rng.random() < 0.15 else "layak"
            lines.append(f"{n},{self.gen.name()},{nik},{kk},{hp},Jl. Contoh No. {n},{note}")
        doc.text = "\n".join(lines) + "\n"
        return doc

    def html_page(self, i: int) -> Doc:
        r = self.rng
        doc = Doc(f"halaman_{i}.html", "html", "")
        parts = ["<!doctype html><html><head><title>Pengumuman</title>", SCRIPT, "</head><body>",
                 MENU, f"<h1>Pengumuman {i}</h1>"]
        for _ in range(r.randint(3, 8)):
            parts.append(f"<p>{PROSE}</p>")
            if r.random() < 0.5:
                parts.append(f"<p>{self.near_miss()}</p>")
        if r.random() < 0.6:
            parts.append("<table><tr><th>Nama</th><th>NIK</th><th>No. KK</th><th>HP</th></tr>")
            for _ in range(r.randint(2, 15)):
                nik, kk, hp = self.gen.nik(), self.gen.kk(), self.gen.phone()
                doc.labels += [("nik", nik), ("kk", kk), ("phone", hp)]
                parts.append(f"<tr><td>{self.gen.name()}</td><td>{nik}</td><td>{kk}</td>"
                             f"<td>{hp}</td></tr>")
            parts.append("</table>")
        if r.random() < 0.5:
            nik, hp = self.gen.nik(), self.gen.phone()
            email = self.gen.email(self.gen.name())
            doc.labels += [("nik", nik), ("phone", hp), ("email", email)]
            parts.append(f"<p>Pelapor: NIK {nik}, HP {hp[:4]}-{hp[4:8]}-{hp[8:]}, "
                         f"surel {email}</p>")
        if r.random() < 0.3:
            card = self.gen.card()
            doc.labels.append(("card", card))
            parts.append(f"<p>Pembayaran kartu kredit {card[:4]} {card[4:8]} {card[8:12]} "
                         f"{card[12:]}</p>")
        if r.random() < 0.3:
            npwp = self.gen.npwp15()
            doc.labels.append(("npwp", npwp))
            parts.append(f"<p>Rekanan CV Contoh Jaya, NPWP {npwp}</p>")
        parts.append("<footer>Dinas Komunikasi dan Informatika, Telp. (061) 4512345, "
                     "humas@kota-contoh.go.id</footer></body></html>")
        doc.text = "\n".join(parts)
        return doc

    def json_api(self, i: int) -> Doc:
        doc = Doc(f"api_{i}.json", "json", "")
        data = []
        for n in range(self.rng.randint(5, 40)):
            nik, kk, hp = self.gen.nik(), self.gen.kk(), self.gen.phone()
            email = self.gen.email(self.gen.name())
            doc.labels += [("nik", nik), ("kk", kk), ("phone", hp), ("email", email)]
            data.append({"id": n + 1, "nik": nik, "nkk": kk, "nama": self.gen.name(),
                         "telepon": "+62" + hp[1:], "email": email,
                         "created_at": self.rng.randint(1_600_000_000_000, 1_760_000_000_000),
                         "order_id": self.gen.nik()})
        doc.text = json.dumps({"status": "success", "data": data}, indent=1)
        return doc

    def news_page(self, i: int) -> Doc:
        """The common case: a page with no personal data, only dates, amounts,
        budget codes and the office's own contacts (near misses all)."""
        r = self.rng
        doc = Doc(f"berita_{i}.htm", "page", "")
        parts = ["<!doctype html><html><head><title>Berita</title>", SCRIPT, "</head><body>",
                 MENU, f"<h1>Berita {i}</h1>"]
        for _ in range(r.randint(6, 24)):
            parts.append(f"<p>{PROSE}</p><p>Tanggal 2024-{r.randint(1, 12):02d}-"
                         f"{r.randint(1, 28):02d}, anggaran Rp {r.randint(1, 999)}."
                         f"{r.randint(100, 999)}.{r.randint(100, 999)}, kode rekening "
                         f"5.1.02.{r.randint(1, 99):02d}.{r.randint(1, 999):03d}</p>")
        parts.append("<footer>Telp. (061) 4512345, humas@kota-contoh.go.id</footer>")
        doc.text = "\n".join(parts) + "</body></html>"
        return doc

    def decree(self, i: int) -> Doc:
        doc = Doc(f"sk_{i}.txt", "text", "")
        lines = [f"KEPUTUSAN KEPALA DINAS NOMOR 800/{i}/2024", PROSE * 2]
        for _ in range(self.rng.randint(1, 6)):
            nip = self.gen.nip()
            doc.labels.append(("nip", nip))
            lines.append(f"{self.gen.name()}\nNIP. {nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
        lines.append(self.near_miss())
        doc.text = "\n\n".join(lines)
        return doc


def generate(docs: int, seed: int = 42) -> list[Doc]:
    corpus = Corpus(seed)
    out: list[Doc] = []
    makers = (lambda i: corpus.csv_list(i, corpus.rng.randint(20, 200)), corpus.html_page,
              corpus.json_api, corpus.decree, corpus.news_page)
    for i in range(docs):
        out.append(makers[i % len(makers)](i))
    for doc in out:
        doc.labels = sorted({(k, _d(v)) for k, v in doc.labels})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/.work/corpus"))
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    docs = generate(args.docs, args.seed)
    for doc in docs:
        (args.out / doc.name).write_text(doc.text, encoding="utf-8")
    (args.out / "labels.json").write_text(json.dumps(
        {d.name: d.labels for d in docs}, indent=0), encoding="utf-8")
    size = sum(len(d.text.encode()) for d in docs)
    print(f"{len(docs)} documents, {size / 1e6:.1f} MB, "
          f"{sum(len(d.labels) for d in docs)} labelled identifiers -> {args.out}")


if __name__ == "__main__":
    main()
