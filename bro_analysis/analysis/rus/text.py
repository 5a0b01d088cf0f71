"""Swedish sentences generated from the numbers."""

from __future__ import annotations

import pandas as pd

from bro_analysis.presentation.formatting import fmt_number, fmt_signed, join_sv

MISSING_TABLE_TEXT = (
    "Datamappen har ingen kontexttabell (kontext.csv), så avsnittet om RUS 2030 visar inga tal; "
    "`bro-analysis kolada hämta --kontext` och `bro-analysis kolada importera` skriver den."
)


def goal_label(goal: str) -> str:
    """The goal as a reader sees it: 'Talang', 'Fler arbetsställen och företag'."""
    return goal[:1].upper() + goal[1:]


def _value(value, decimals: int) -> str:
    return fmt_number(value, decimals)


def _known(value) -> bool:
    return value is not None and not pd.isna(value)


def change_text(row) -> str:
    """'+0,4 sedan 2020 (ökat)', '–' without a comparison."""
    if not _known(row["förändring"]):
        return "–"
    return (
        f"{fmt_signed(row['förändring'], int(row['decimaler']))} sedan {int(row['jämförelseår'])} ({row['riktning']})"
    )


def indicator_sentence(row) -> str:
    """One KPI in a sentence: the county's latest value, the country's, the members' range
    and the county's direction."""
    d = int(row["decimaler"])
    name = f"{row['namn']}, {row['enhet']}" if row["enhet"] else row["namn"]
    if not _known(row["år"]):
        return f"{name}: kontexttabellen har inga värden för perioden."
    year = int(row["år"])
    parts = []
    if _known(row["län"]):
        parts.append(f"länet {_value(row['län'], d)} år {year}")
    else:
        parts.append(f"länets värde saknas för {year}")
    if _known(row["riket"]):
        parts.append(f"riket {_value(row['riket'], d)}")
    if row["antal_kommuner"]:
        parts.append(
            f"medlemskommunerna från {_value(row['kommun_lägst'], d)} ({row['lägst_namn']}) "
            f"till {_value(row['kommun_högst'], d)} ({row['högst_namn']})"
        )
    text = f"{name}: {', '.join(parts)}."
    if _known(row["riktning"]) and _known(row["förändring"]):
        if row["riktning"] == "oförändrat":
            text += f" Länets värde är i stort sett oförändrat sedan {int(row['jämförelseår'])}."
        else:
            amount = fmt_number(abs(row["förändring"]), d)
            text += f" Länets värde har {row['riktning']} med {amount} sedan {int(row['jämförelseår'])}."
    return text


def no_indicator_text(goals: list[str]) -> str:
    """The goals that no verified KPI illuminates, said so rather than filled with a guess."""
    if not goals:
        return ""
    named = join_sv([f"”{goal_label(g)}”" for g in goals])
    noun = "målet" if len(goals) == 1 else "målen"
    return (
        f"För {noun} {named} har vi inte hittat något nyckeltal i Kolada som en publicerad källa bekräftar. "
        "Därför visas inget tal för dem."
    )


def unknown_kpis_text(kontext: pd.DataFrame, known: set[str]) -> str:
    """Rows of the table for KPIs that data/settings.toml does not list are not shown."""
    other = sorted(set(kontext["nyckeltal"].dropna()) - known)
    if not other:
        return ""
    return (
        f"Kontexttabellen har också {join_sv(other)}, som inte står i data/settings.toml "
        "([kolada.kontext]); de visas inte."
    )


def alt_text(row, plan_start: int) -> str:
    """The figure's alt text: what it shows and the county's direction."""
    return (
        f"Linjediagram: {row['namn']} per år för Örebro län, riket och varje medlemskommun. "
        + indicator_sentence(row)
        + f" En prickad lodrät linje markerar att planen började {plan_start}."
    )
