"""BRO's assessment files for the example data (bedomningar/2025.md and 2026-08.md).

Made-up text in the form analysts write it. A number in a section is one of that
key result's values for the period (value, previous, target or forecast), so that
no number is stale on the example data.
"""

from __future__ import annotations

from pathlib import Path

from bro_analysis.input.assessments import FOLDER

_MARK = "<!-- Exempeldata: en påhittad bedömning som visar filens form. Skapas av bro-analysis exempeldata. -->"
_HANDLER = "Analytiker Exempel, analys@example.se"
_DECISION = "Regionala tillväxtnämnden godkänner uppföljningen och lägger den till handlingarna."
_APPROVER = "BRO:s ledningsgrupp (exempel)"
_SERVICE = "Samordnare näringslivsservice"
_INVEST = "Investeringsfrämjare"
_MARKETING = "Marknadschef"

YEAR_2025 = f"""\
# Uppföljning av verksamhetsplanen 2025 (exempel)
{_MARK}
Diarienummer: RUN 2026/0031
Sammanträde: 2026-02-12
Handläggare: {_HANDLER}
Förslag till beslut: {_DECISION}
Sammanfattning: Fem av tolv nyckelresultat nåddes 2025.
Företagens nöjdhet med kommunernas service ökar, men för långsamt för målet.
Investeringarna minskade eftersom ett mycket stort projekt ingick året innan.
Fastställd av: {_APPROVER}
Fastställd datum: 2026-01-29

## S1 – NKI, länets genomsnitt
Bedömning: Målet nås troligen 2027 om takten håller.
Orsak: NKI steg från 76,8 till 77,4. Ökningen är jämn men behöver vara snabbare för att nå 80.
Åtgärd: BRO fortsätter servicedialogerna med kommunerna, med fokus på bygglov och miljö.
Ansvarig: {_SERVICE}

## S2 – NKI i varje myndighetsområde
Bedömning: Målet är nått; även det svagaste området ligger över 70.
Orsak: Lägsta området har 72,6, något över fjolårets 72,3.
Fem kommunala resultat ligger fortfarande under 70.
Åtgärd: BRO går igenom Insikts fritextsvar med de kommuner som har svaga resultat.
Ansvarig: {_SERVICE}

## S3 – Samverkansprojekt mellan kommuner
Bedömning: Målet är nått med marginal.
Orsak: 4 samverkansprojekt pågick 2025, mot 2 året innan. Flera kommuner delar nu kompetens inom tillstånd.
Åtgärd: BRO dokumenterar projekten så att fler kommuner kan ansluta.
Ansvarig: {_SERVICE}

## S4 – Gemensamma verktyg i alla kommuner
Bedömning: Nästan alla kommuner använder verktygen; två saknas.
Orsak: Laxå och Ljusnarsberg har inte kommit i gång med alla verktyg, främst av resursskäl.
Åtgärd: BRO erbjuder båda kommunerna en gemensam introduktion under våren 2026.
Ansvarig: {_SERVICE}

## S5 – Gemensamma workshops
Bedömning: Målet är nått.
Orsak: 5 workshops genomfördes mot målet 4. De mindre kommunerna deltog i högre grad än tidigare.
Åtgärd: BRO behåller formen och låter kommunerna föreslå teman för 2026.
Ansvarig: {_SERVICE}

## I1 – Investeringsvärde, prioriterade målområden
Bedömning: Lägre än 2024, men jämförelsen avgörs av ett enda projekt.
Orsak: Året innan ingick ett datacenterprojekt som stod för nästan hela värdet.
Utan det största projektet ökade investeringarna.
Åtgärd: BRO följer upp pågående dialoger i de prioriterade målområdena.
Ansvarig: {_INVEST}

## I2 – Utbildningsinsatser om investeringar
Bedömning: Målet är nått.
Orsak: 6 insatser genomfördes, mot 5 året innan.
Åtgärd: BRO fortsätter med etableringsutbildningar för kommunernas tjänstepersoner.
Ansvarig: {_INVEST}

## I3 – Strategiska företag i samarbete
Bedömning: Nära målet, men färre företag än året innan.
Orsak: 14 företag hade ett fördjupat samarbete, mot målet 15. Några samarbeten avslutades när projekten var klara.
Åtgärd: BRO prioriterar företag inom logistik och industri för nya samarbeten.
Ansvarig: {_INVEST}

## I4 – Etableringsberedskap i alla kommuner
Bedömning: Nästan alla kommuner har beredskap; Hällefors återstår.
Orsak: Hällefors saknar en utsedd kontaktperson för etableringsärenden.
Åtgärd: BRO hjälper Hällefors att ta fram en rutin för etableringsförfrågningar.
Ansvarig: {_INVEST}

## M1 – Arenor med mål och uppföljning
Bedömning: Målet är nått.
Orsak: 4 arenor hade tydliga mål och uppföljning, vilket är målnivån. På övriga arenor saknades uppföljning.
Åtgärd: BRO sätter mål före varje arena och följer upp leads efteråt.
Ansvarig: {_MARKETING}

## M2 – Konverteringsgrad för leads
Bedömning: Målet nås inte; konverteringen är i stort sett oförändrad.
Orsak: Konverteringen var 13,4 % mot 13,3 % året innan. Målet kräver en förbättring med 20 %.
Åtgärd: BRO flyttar resurser från breda kampanjer till partnerförmedlade leads, som konverterar bäst.
Ansvarig: {_MARKETING}

## M3 – Marknadsföringsstöd till alla kommuner
Bedömning: Nästan alla kommuner fick stöd; Lekeberg återstår.
Orsak: Lekeberg hade inga aktuella investeringsärenden att marknadsföra under året.
Åtgärd: BRO planerar en gemensam kampanj med Lekeberg under 2026.
Ansvarig: {_MARKETING}
"""

AUGUST_2026 = f"""\
# Uppföljning januari–augusti 2026 (exempel)
{_MARK}
Diarienummer: RUN 2026/0123
Sammanträde: 2026-10-08
Handläggare: {_HANDLER}
Förslag till beslut: {_DECISION}
Sammanfattning: Efter åtta månader är de flesta nyckelresultat på väg eller i risk.
NKI för 2026 publiceras först nästa år och kan inte bedömas än.
Workshops, utbildningsinsatser och stöd till kommunerna behöver öka under hösten.
Fastställd av: {_APPROVER}
Fastställd datum: 2026-09-24

## S1 – NKI, länets genomsnitt
Bedömning: Kan inte bedömas förrän Insikt 2026 publiceras.
Orsak: Senaste resultatet är 77,4 för mätår 2025.
Prognosen för 2026 är 79,3, med osäkerhet mellan 77,7 och 80,9.
Åtgärd: BRO fortsätter servicedialogerna och följer särskilt upp bygglov och miljö.
Ansvarig: {_SERVICE}

## S2 – NKI i varje myndighetsområde
Bedömning: Kan inte bedömas förrän Insikt 2026 publiceras.
Orsak: Lägsta området låg på 72,6 för mätår 2025, över målet 70.
Åtgärd: BRO stöttar de kommuner som hade resultat under 70 i förra mätningen.
Ansvarig: {_SERVICE}

## S3 – Samverkansprojekt mellan kommuner
Bedömning: På väg; målet nås om planerade projekt startar i höst.
Orsak: 2 samverkansprojekt har startat. Prognosen är 3 vid årets slut, vilket är målet.
Åtgärd: BRO hjälper kommunerna att ta fram en projektplan för ytterligare ett projekt.
Ansvarig: {_SERVICE}

## S4 – Gemensamma verktyg i alla kommuner
Bedömning: Risk; Laxå har ännu inte infört verktygen.
Orsak: Ljusnarsberg har kommit i gång under året, men Laxå har inte haft tid för införandet.
Åtgärd: BRO erbjuder Laxå stöd på plats under hösten.
Ansvarig: {_SERVICE}

## S5 – Gemensamma workshops
Bedömning: Risk; målet nås inte om takten håller.
Orsak: 2 workshops har genomförts. Prognosen är 3 mot målet 4.
Åtgärd: BRO lägger till en workshop i november tillsammans med kommunerna.
Ansvarig: {_SERVICE}

## I1 – Investeringsvärde, prioriterade målområden
Bedömning: På väg, men osäkert eftersom enstaka projekt avgör.
Orsak: 165 MSEK mot 958 MSEK samma period 2025. Flera större beslut väntas under hösten.
Åtgärd: BRO prioriterar dialoger i beslutsfas inom logistik och industri.
Ansvarig: {_INVEST}

## I2 – Utbildningsinsatser om investeringar
Bedömning: Risk; för få insatser hittills i år.
Orsak: 2 insatser har genomförts. Prognosen är 4 mot målet 6.
Åtgärd: BRO genomför två extra utbildningar för kommunernas tjänstepersoner under hösten.
Ansvarig: {_INVEST}

## I3 – Strategiska företag i samarbete
Bedömning: Målet är redan nått.
Orsak: 16 företag har ett fördjupat samarbete, mot målet 15.
Åtgärd: BRO fördjupar samarbetet med befintliga företag snarare än att söka nya.
Ansvarig: {_INVEST}

## I4 – Etableringsberedskap i alla kommuner
Bedömning: Risk; två kommuner saknar beredskap.
Orsak: Hällefors och Ljusnarsberg saknar en utsedd kontaktperson för etableringsärenden.
Åtgärd: BRO stöttar båda kommunerna med en gemensam rutin under hösten.
Ansvarig: {_INVEST}

## M1 – Arenor med mål och uppföljning
Bedömning: På väg; prognosen når målet.
Orsak: 2 arenor har hittills haft mål och uppföljning. Prognosen är 4 arenor, vilket är målet.
Åtgärd: BRO sätter mål för höstens mässor redan vid anmälan.
Ansvarig: {_MARKETING}

## M2 – Konverteringsgrad för leads
Bedömning: Kan inte bedömas än; för få leads hittills.
Orsak: Konverteringen är 17,1 % mot 16,4 % samma period 2025, men underlaget är litet.
Åtgärd: BRO följer upp varje lead inom två veckor.
Ansvarig: {_MARKETING}

## M3 – Marknadsföringsstöd till alla kommuner
Bedömning: Risk; fem kommuner har inte fått stöd än.
Orsak: Askersund, Degerfors, Hällefors, Lindesberg och Örebro har ännu inte fått marknadsföringsstöd i år.
Åtgärd: BRO planerar kampanjer med de fem kommunerna under hösten.
Ansvarig: {_MARKETING}
"""

ASSESSMENTS = {"2025": YEAR_2025, "2026-08": AUGUST_2026}


def write_example_assessments(out_dir: Path) -> list[Path]:
    """Write bedomningar/<period>.md (UTF-8) for the example periods into `out_dir`."""
    folder = Path(out_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for period, text in ASSESSMENTS.items():
        path = folder / f"{period}.md"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths
