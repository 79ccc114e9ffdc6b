#!/usr/bin/env python3
"""Writes a synthetic, realistic AAF feed (ficAlimMENESR) for import benchmarks.

Files written in --out (default: ./aaf-synthetique), named like a real
complete feed so that the date and the kind come from the name:

  ENT_Complet_<date>_EtabEducNat_0000.xml   one school
  ENT_Complet_<date>_Eleve_0000.xml         N pupils (default 100000)
  ENT_Complet_<date>_PersRelEleve_0000.xml  their guardians (unless --no-guardians)

Pupils have accented names, a birth date, an INE, a MEF, a class
(ENTEleveClasses `struct$code`), zero to two groups (ENTEleveGroupes) and
two guardians (ENTElevePersRelEleve `id$lien$financier$legal$contact$paiement`).

Deterministic (seeded), streaming (each record is written as it is made:
constant memory whatever N), standard library only.

  python3 bench/gen_aaf.py --pupils 100000 --out /tmp/aaf
"""

import argparse
import os
import random
from xml.sax.saxutils import escape

LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèbvre",
    "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
    "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel",
    "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez",
    "Fontaine", "Chevalier", "Robin", "Masson", "Sánchez", "Gérard", "Nguyen", "Boyer",
    "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël",
    "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard",
    "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin",
    "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud",
    "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard",
    "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodríguez",
    "Da Silva", "Hubert", "Louis", "Charles", "Guillot", "Rivière", "Le Gall", "Guillaume",
    "Adam", "Rey", "Moulin", "Gonçalves", "Besnard", "Kœnig", "Ménard", "Étienne",
]
FIRST_NAMES = [
    "Léa", "Chloé", "Manon", "Inès", "Jade", "Zoé", "Louise", "Camille", "Lola", "Éléonore",
    "Anaïs", "Maëlle", "Noémie", "Clémence", "Héloïse", "Maïwenn", "Agathe", "Célia",
    "Océane", "Sélène", "Lucas", "Hugo", "Théo", "Nathan", "Enzo", "Louis", "Raphaël",
    "Jules", "Gabriel", "Timothée", "Noé", "Mathéo", "Gaël", "Loïc", "Anaël", "Jérémy",
    "Clément", "Benoît", "Rémi", "Félix", "Kù", "Zoë", "Joël", "Maëva", "Aurélien",
    "Sébastien", "Hélène", "Françoise", "Thaïs", "Ysé",
]
# (level code, MEF code, MEF label)
LEVELS = [
    ("6E", "10010012110", "6EME"),
    ("5E", "10110001110", "5EME"),
    ("4E", "10210001110", "4EME"),
    ("3E", "10310019110", "3EME"),
    ("2ND", "20010018110", "2NDE GENERALE ET TECHNOLOGIQUE"),
    ("1G", "20111010110", "PREMIERE GENERALE"),
    ("TG", "20211010110", "TERMINALE GENERALE"),
]
GROUP_KINDS = ["LATIN", "GREC", "ESP", "ALL", "ITA", "CHINOIS", "EURO", "THEATRE"]

SCHOOL_ID = "52999"
SCHOOL_UAI = "0141234X"
DOCTYPE = '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n'


def attr(name, *values):
    vals = "".join(
        "<value>%s</value>" % escape(v) if v else "<value/>" for v in (values or ("",))
    )
    return '<attr name="%s">%s</attr>\n' % (name, vals)


def header(out):
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(DOCTYPE)
    out.write("<ficAlimMENESR>\n")


def write_school(path, uai=SCHOOL_UAI):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        header(out)
        out.write("<addRequest>\n")
        out.write(
            '<operationalAttributes><attr name="categorieStructure">'
            "<value>EtabEducNat</value></attr></operationalAttributes>\n"
        )
        out.write("<identifier><id>%s</id></identifier>\n<attributes>\n" % SCHOOL_ID)
        out.write(attr("ENTStructureJointure", SCHOOL_ID))
        out.write(attr("ENTStructureUAI", uai))
        out.write(attr("ENTEtablissementUAI", uai))
        out.write(attr("ENTStructureNomCourant", "CITÉ SCOLAIRE SYNTHÉTIQUE"))
        out.write(attr("ENTStructureTypeStruct", "LPO"))
        out.write(attr("l", "CAEN"))
        out.write(attr("postalCode", "14000"))
        out.write(attr("ENTServAcAcademie", "NORMANDIE"))
        out.write("</attributes>\n</addRequest>\n</ficAlimMENESR>\n")


def pupils(n, rng):
    """Yields one pupil at a time (constant memory)."""
    per_class = 30
    for i in range(n):
        level_index = i % len(LEVELS)
        level, mef, mef_label = LEVELS[level_index]
        class_no = (i // len(LEVELS)) // per_class + 1
        klass = "%s%d" % (level, class_no)
        groups = []
        for _ in range(rng.choice((0, 1, 1, 2))):
            g = "%s-%s%d" % (rng.choice(GROUP_KINDS), level, 1 + class_no // 4)
            if g not in groups:
                groups.append(g)
        # In 2025-2026, pupils of 6e are born in 2014, of terminale in 2008.
        year = 2014 - level_index
        yield {
            "id": str(3_000_000 + i),
            "ine": "%09d%s" % (100_000_000 + i, "ABCDEFGHJK"[i % 10] + "X"),
            "last": rng.choice(LAST_NAMES),
            "first": rng.choice(FIRST_NAMES),
            "others": [rng.choice(FIRST_NAMES) for _ in range(rng.choice((0, 1, 2)))],
            "title": rng.choice(("M.", "Mlle")),
            "birth": "%02d/%02d/%04d" % (rng.randint(1, 28), rng.randint(1, 12), year),
            "mef": mef,
            "mef_label": mef_label,
            "class": klass,
            "groups": groups,
            "father": str(6_000_000 + 2 * i),
            "mother": str(6_000_000 + 2 * i + 1),
        }


def write_pupil(out, p):
    out.write("<addRequest>\n")
    out.write(
        '<operationalAttributes><attr name="categoriePersonne">'
        "<value>Eleve</value></attr></operationalAttributes>\n"
    )
    out.write("<identifier><id>%s</id></identifier>\n<attributes>\n" % p["id"])
    out.write(attr("ENTPersonJointure", p["id"]))
    out.write(attr("ENTEleveINE", p["ine"]))
    out.write(attr("ENTEleveStructRattachId", SCHOOL_ID))
    out.write(attr("ENTPersonDateNaissance", p["birth"]))
    out.write(attr("ENTPersonNomPatro", p["last"].upper()))
    out.write(attr("sn", p["last"]))
    out.write(attr("givenName", p["first"]))
    out.write(attr("ENTPersonAutresPrenoms", *([p["first"]] + p["others"])))
    out.write(attr("personalTitle", p["title"]))
    out.write(attr("ENTEleveParents", p["father"], p["mother"]))
    out.write(attr("ENTElevePere", p["father"]))
    out.write(attr("ENTEleveMere", p["mother"]))
    out.write(attr("ENTEleveAutoriteParentale", p["father"], p["mother"]))
    out.write(
        attr(
            "ENTElevePersRelEleve",
            "%s$10$1$1$0$0" % p["father"],
            "%s$20$0$2$0$0" % p["mother"],
        )
    )
    out.write(attr("ENTEleveBoursier", "N"))
    out.write(attr("ENTEleveRegime", "DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT"))
    out.write(attr("ENTEleveStatutEleve", "SCOLAIRE"))
    out.write(attr("ENTEleveMEF", p["mef"]))
    out.write(attr("ENTEleveLibelleMEF", p["mef_label"]))
    out.write(attr("ENTPersonStructRattach", SCHOOL_ID))
    out.write(attr("ENTEleveClasses", "%s$%s" % (SCHOOL_ID, p["class"])))
    out.write(attr("ENTEleveGroupes", *["%s$%s" % (SCHOOL_ID, g) for g in p["groups"]]))
    out.write("</attributes>\n</addRequest>\n")


def write_guardian(out, gid, last, first, title):
    out.write("<addRequest>\n")
    out.write(
        '<operationalAttributes><attr name="categoriePersonne">'
        "<value>PersRelEleve</value></attr></operationalAttributes>\n"
    )
    out.write("<identifier><id>%s</id></identifier>\n<attributes>\n" % gid)
    out.write(attr("ENTPersonJointure", gid))
    out.write(attr("ENTPersonDateNaissance"))
    out.write(attr("ENTPersonNomPatro", last.upper()))
    out.write(attr("sn", last))
    out.write(attr("givenName", first))
    out.write(attr("personalTitle", title))
    out.write("</attributes>\n</addRequest>\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pupils", "-n", type=int, default=100_000)
    ap.add_argument("--out", default="aaf-synthetique")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--date", default="20250901", help="export date in the file names (YYYYMMDD)")
    ap.add_argument("--no-guardians", action="store_true", help="do not write PersRelEleve")
    ap.add_argument("--uai", default=SCHOOL_UAI,
                    help="the school's UAI (e.g. 0140013N, the demo's Lycée Malherbe)")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    prefix = os.path.join(args.out, "ENT_Complet_%s_" % args.date)
    write_school(prefix + "EtabEducNat_0000.xml", args.uai.upper())

    rng = random.Random(args.seed)
    guardian_rng = random.Random(args.seed + 1)
    eleves = open(prefix + "Eleve_0000.xml", "w", encoding="utf-8", newline="\n")
    guardians = None
    if not args.no_guardians:
        guardians = open(prefix + "PersRelEleve_0000.xml", "w", encoding="utf-8", newline="\n")
        header(guardians)
    header(eleves)
    for p in pupils(args.pupils, rng):
        write_pupil(eleves, p)
        if guardians is not None:
            write_guardian(guardians, p["father"], p["last"], guardian_rng.choice(FIRST_NAMES), "M.")
            mother_last = guardian_rng.choice((p["last"], guardian_rng.choice(LAST_NAMES)))
            write_guardian(guardians, p["mother"], mother_last, guardian_rng.choice(FIRST_NAMES), "Mme")
    eleves.write("</ficAlimMENESR>\n")
    eleves.close()
    if guardians is not None:
        guardians.write("</ficAlimMENESR>\n")
        guardians.close()
    print("written: %s{EtabEducNat,Eleve%s}_0000.xml (%d pupils)"
          % (prefix, "" if args.no_guardians else ",PersRelEleve", args.pupils))


if __name__ == "__main__":
    main()
