"""Demo think tank: a realistic, finished needs-assessment workshop in Swedish.

Why this exists: a facilitator trying the app (and the sample guide that walks through it) needs
a workshop that looks like a real one rather than "test 1, test 2". The content follows the
think-tank method from the seed texts: twelve participants from different perspectives
(procurement officers, requesting departments, suppliers, a legal adviser, management and an end
user) submit challenges and success factors about needs assessment ("behovsarbete") before
procurement, the group sorts them into six themes, ten participants vote with dots, and eleven
end the day with one concrete piece of advice each.

The data is deliberately uneven, as real workshops are: about half the participants are
anonymous, two items were never placed in a theme, two participants did not vote and one gave no
advice. The votes give a clear winner, a clear second place and a tie for third.

Pure data: no imports, so it can be loaded by the app, by tests and by the guide builder alike.
"""
from __future__ import annotations

DEMO_WORKSHOP = {
    "question": "Hur kan vi stärka behovsarbetet inför upphandlingar?",
    "language": "sv",
    "organiser": "Exempelregionens upphandlingsenhet",
    "participants": [
        {"key": "p1", "name": "Anna", "perspective": "buyer"},
        {"key": "p2", "name": None, "perspective": "buyer"},
        {"key": "p3", "name": "Karim", "perspective": "requester"},
        {"key": "p4", "name": None, "perspective": "management"},
        {"key": "p5", "name": "Leila", "perspective": "supplier"},
        {"key": "p6", "name": None, "perspective": "requester"},
        {"key": "p7", "name": "Mikael", "perspective": "legal"},
        {"key": "p8", "name": None, "perspective": "buyer"},
        {"key": "p9", "name": "Sara", "perspective": "end_user"},
        {"key": "p10", "name": None, "perspective": "supplier"},
        {"key": "p11", "name": "Henrik", "perspective": "buyer"},
        {"key": "p12", "name": None, "perspective": "requester"},
    ],
    "themes": [
        {"key": "t1", "name": "Styrning och tydliga beslutsvägar"},
        {"key": "t2", "name": "Tid och kompetens"},
        {"key": "t3", "name": "Rätt personer och användarnas röst"},
        {"key": "t4", "name": "Koppling till mål och effekter"},
        {"key": "t5", "name": "Tidig dialog med marknaden"},
        {"key": "t6", "name": "Prioritera, testa och följa upp"},
    ],
    "items": [
        # --- Styrning och tydliga beslutsvägar ---
        {"participant": "p1", "lane": "challenge",
         "key": "rutin",
         "text": "Det finns ingen rutin för vem som avgör att ett behov är tillräckligt utrett "
                 "för att gå vidare till upphandling.",
         "theme": "t1"},
        {"participant": "p4", "lane": "challenge",
         "text": "Ledningen efterfrågar besparingar men sällan ett beskrivet behov, så uppdraget "
                 "till upphandlingsenheten blir otydligt från start.",
         "theme": "t1"},
        {"participant": "p6", "lane": "challenge",
         "text": "När flera förvaltningar vill ha samma avtal vet ingen vem som har mandat att "
                 "väga deras behov mot varandra.",
         "theme": "t1"},
        {"participant": "p4", "lane": "success_factor",
         "text": "En enkel beslutspunkt där ledningsgruppen godkänner behovsanalysen innan "
                 "upphandlingen får starta.",
         "theme": "t1"},
        {"participant": "p1", "lane": "success_factor",
         "key": "behovsagare",
         "text": "En utsedd behovsägare i verksamheten som ansvarar hela vägen från första idé "
                 "till avslutad uppföljning.",
         "theme": "t1"},
        # --- Tid och kompetens ---
        {"participant": "p2", "lane": "challenge",
         "key": "sexveckor",
         "text": "Upphandlingen ska annonseras inom sex veckor, och då hinner vi sällan göra "
                 "behovsarbetet på riktigt.",
         "theme": "t2"},
        {"participant": "p3", "lane": "challenge",
         "text": "Som beställare har jag aldrig fått lära mig att formulera ett behov utan att "
                 "beskriva en viss produkt.",
         "theme": "t2"},
        {"participant": "p11", "lane": "challenge",
         "text": "Vi är bara två upphandlare i hela kommunen.",
         "theme": "t2"},
        {"participant": "p12", "lane": "challenge",
         "text": "Behovsarbetet ses som något extra vid sidan av det ordinarie uppdraget och "
                 "prioriteras bort så fort det blir stressigt.",
         "theme": "t2"},
        {"participant": "p8", "lane": "success_factor",
         "text": "Fem fasta frågor som beställaren besvarar före första mötet.",
         "theme": "t2"},
        {"participant": "p11", "lane": "success_factor",
         "text": "Vi delar behovsanalyser med grannkommunerna vid liknande upphandlingar i "
                 "stället för att börja om från noll varje gång.",
         "theme": "t2"},
        # Said again in other words; the facilitator merged them into the statements above and below.
        {"participant": "p8", "lane": "challenge", "duplicate_of": "rutin",
         "text": "Ingen vet vem som bestämmer när behovet är färdigutrett.",
         "theme": "t1"},
        {"participant": "p4", "lane": "challenge", "duplicate_of": "rutin",
         "text": "Vem avgör egentligen att behovsanalysen är klar?",
         "theme": "t1"},
        # --- Rätt personer och användarnas röst ---
        {"participant": "p9", "lane": "challenge",
         "key": "hjalpmedel",
         "text": "Vi som använder hjälpmedlen varje dag får höra talas om upphandlingen först "
                 "när det nya avtalet redan gäller.",
         "theme": "t3"},
        {"participant": "p1", "lane": "challenge",
         "text": "Behoven kartläggs ofta av den som råkar ha tid, inte av dem som känner "
                 "verksamheten bäst.",
         "theme": "t3"},
        {"participant": "p6", "lane": "challenge",
         "text": "Personal som jobbar kvällar och helger kommer aldrig med i workshoppar som "
                 "hålls dagtid på kontoret.",
         "theme": "t3"},
        {"participant": "p2", "lane": "challenge",
         "text": "IT, ekonomi och verksamheten skriver var sin behovsbeskrivning utan att prata "
                 "med varandra.",
         "theme": "t3"},
        {"participant": "p9", "lane": "success_factor",
         "key": "rullatorer",
         "text": "När vi fick prova tre olika rullatorer på avdelningen i en vecka blev kraven "
                 "mycket mer träffsäkra.",
         "theme": "t3"},
        {"participant": "p2", "lane": "success_factor",
         "text": "En tvärfunktionell arbetsgrupp med upphandlare, verksamhet, IT och jurist "
                 "redan från första dagen.",
         "theme": "t3"},
        {"participant": "p6", "lane": "success_factor",
         "text": "Korta intervjuer ute på arbetsplatserna gav oss synpunkter från betydligt fler "
                 "medarbetare än långa möten.",
         "theme": "t3"},
        # --- Koppling till mål och effekter ---
        {"participant": "p4", "lane": "challenge",
         "text": "Kopplingen till kommunens mål för klimat och social hållbarhet syns inte i "
                 "förfrågningsunderlaget, så ingen kan förklara varför kraven finns med.",
         "theme": "t4"},
        {"participant": "p3", "lane": "challenge",
         "text": "Vi beskriver vad vi vill köpa men nästan aldrig vilken effekt vi vill uppnå "
                 "för invånarna.",
         "theme": "t4"},
        {"participant": "p12", "lane": "success_factor",
         "text": "Att först formulera ett effektmål, till exempel kortare väntetid för brukarna, "
                 "och sedan låta kraven utgå från det.",
         "theme": "t4"},
        {"participant": "p1", "lane": "success_factor",
         "text": "När vi visar hur upphandlingen bidrar till målen i upphandlingspolicyn blir "
                 "det lättare att få ledningens stöd.",
         "theme": "t4"},
        # --- Tidig dialog med marknaden ---
        {"participant": "p10", "lane": "challenge", "duplicate_of": "annonsen",
         "text": "Vi leverantörer får veta vad kunden behöver först när annonsen redan är publicerad.",
         "theme": "t5"},
        {"participant": "p5", "lane": "challenge",
         "key": "annonsen",
         "text": "Som leverantör ser vi behovet först i den färdiga annonsen, när det är för sent "
                 "att föreslå smartare lösningar.",
         "theme": "t5"},
        {"participant": "p7", "lane": "challenge",
         "text": "Oro för att bryta mot likabehandlingsprincipen gör att många avstår från "
                 "leverantörsmöten helt, trots att dialog är tillåten.",
         "theme": "t5"},
        {"participant": "p10", "lane": "challenge",
         "text": "Små lokala företag hittar ingen information om kommande upphandlingar och kan "
                 "därför inte bidra när behoven tas fram.",
         "theme": "t5"},
        {"participant": "p5", "lane": "success_factor",
         "key": "dialogmote",
         "text": "Ett öppet dialogmöte med tydlig agenda, där minnesanteckningarna publiceras så "
                 "att alla leverantörer kan ta del av dem.",
         "theme": "t5"},
        {"participant": "p10", "lane": "success_factor",
         "text": "En skriftlig förfrågan med konkreta frågor om behovet, inte om pris, ger svar "
                 "som faktiskt går att använda.",
         "theme": "t5"},
        {"participant": "p7", "lane": "success_factor",
         "text": "Att dokumentera all dialog och ge alla leverantörer samma information skapar "
                 "trygghet kring likabehandling.",
         "theme": "t5"},
        # --- Prioritera, testa och följa upp ---
        {"participant": "p8", "lane": "challenge",
         "text": "Beställningen kommer in som en färdig produkt, inte som ett problem att lösa.",
         "theme": "t6"},
        {"participant": "p8", "lane": "challenge",
         "text": "Kravlistan växer för varje remissrunda, och till slut går det inte att se vilka "
                 "krav som verkligen spelar roll.",
         "theme": "t6"},
        {"participant": "p11", "lane": "challenge",
         "text": "Efter avtalsstart följer ingen upp om behoven faktiskt blev tillgodosedda, så "
                 "vi lär oss ingenting till nästa gång.",
         "theme": "t6"},
        {"participant": "p8", "lane": "success_factor",
         "text": "Att sortera behoven i måste, bör och kan innan kraven skrivs minskar antalet "
                 "onödiga ska-krav.",
         "theme": "t6"},
        {"participant": "p3", "lane": "success_factor",
         "text": "Vi testade kravprofilen på två leverantörer och tre användare före annonsering "
                 "och hittade flera missförstånd i tid.",
         "theme": "t6"},
        {"participant": "p5", "lane": "success_factor",
         "text": "Återkommande uppföljningsmöten under avtalstiden där båda parter får säga vad "
                 "som fungerar och vad som bör ändras.",
         "theme": "t6"},
        # --- Not placed in any theme ---
        {"participant": "p10", "lane": "challenge",
         "text": "Upphandlingsdokumenten ser helt olika ut från kommun till kommun, vilket gör "
                 "varje anbud dyrt att ta fram.",
         "theme": None},
        {"participant": "p12", "lane": "success_factor",
         "text": "Att uppmärksamma en lyckad upphandling på arbetsplatsträffen gör att fler vill "
                 "vara med nästa gång.",
         "theme": None},
    ],
    # Ten of twelve voted (p7 and p11 did not). Totals: t1 14, t3 10, t2 6, t5 6, t4 5, t6 4.
    "ballots": {
        "p1": {"t1": 3, "t3": 2},
        "p2": {"t1": 2, "t5": 2, "t6": 1},
        "p3": {"t3": 3, "t2": 2},
        "p4": {"t1": 3, "t4": 1, "t6": 1},
        "p5": {"t5": 3, "t3": 1},
        "p6": {"t2": 2, "t4": 2, "t1": 1},
        "p8": {"t1": 3, "t3": 2},
        "p9": {"t6": 2, "t5": 1, "t4": 1},
        "p10": {"t2": 2, "t3": 1, "t4": 1},
        "p12": {"t1": 2, "t3": 1},
    },
    # Eleven of twelve gave advice (p10 did not).
    # Concretise: support the participants proposed for the top themes.
    "proposals": [
        {"participant": "p1", "theme": "t1", "type": "checklist",
         "description": "En checklista för när behovsanalysen är klar och vem som beslutar om den",
         "who_needs": "beställande verksamheter"},
        {"participant": "p3", "theme": "t1", "type": "template",
         "description": "En mall för uppdragsbeskrivning med mål, effekter och beslutspunkter",
         "who_needs": "projektledare"},
        {"participant": "p2", "theme": "t2", "type": "training",
         "description": "En halvdagsutbildning i behovsanalys för nya upphandlare", "who_needs": "nya upphandlare"},
        {"participant": "p4", "theme": "t3", "type": "network",
         "description": "Ett nätverk där slutanvändare kan bjudas in till behovsarbetet", "who_needs": ""},
    ],
    # The facilitator's own words (the editorial layer): the conclusion and next steps, and per theme
    # a synthesis, quotes (items by key) and the support decided, which may come from a proposal.
    "editorial": {
        "conclusion": "Behovsarbetet faller mellan stolarna: ingen äger behovet från första idé till "
                      "uppföljning, och de som ska använda det som köps kommer in för sent. Gruppen "
                      "prioriterade tydliga beslutsvägar och användarnas röst framför mer tid och "
                      "resurser.",
        "next_steps": "Ledningsgruppen beslutar om en beslutspunkt för behovsanalysen före 1 mars.\n"
                      "Upphandlingsenheten tar fram checklistan och mallen och testar dem i två "
                      "upphandlingar under våren.\n"
                      "Gruppen träffas igen i september för att följa upp.",
        "themes": {
            "t1": {"synthesis": "Ingen äger behovet: det saknas en punkt där någon med mandat "
                                "säger att behovet är tillräckligt utrett, och därför blir "
                                "uppdraget otydligt från start.",
                   "quotes": ["rutin", "behovsagare"],
                   "support": {"proposal": 0, "owner": "Upphandlingsenheten", "due": "2027-03-01"}},
            "t3": {"synthesis": "Användarna hörs för sent eller inte alls; där de fått prova och "
                                "tycka till har kraven blivit träffsäkra.",
                   "quotes": ["hjalpmedel", "rullatorer"],
                   "support": {"proposal": 3, "owner": "Verksamhetsutvecklingen", "due": "2027-05-31"}},
            "t2": {"synthesis": "Tidsplanen styr, inte behovet, och få beställare har lärt sig "
                                "beskriva ett behov utan att beskriva en produkt.",
                   "quotes": ["sexveckor"]},
        },
    },
    "advice": {
        "p1": "Utse en behovsägare i verksamheten innan ni bokar första mötet med "
              "upphandlingsenheten.",
        "p2": "Lägg hellre två veckor extra på behovsanalysen än två månader på att laga ett "
              "dåligt avtal.",
        "p3": "Beskriv problemet ni vill lösa och låt upphandlaren hjälpa er att hitta rätt sätt "
              "att köpa lösningen.",
        "p4": "Gör behovsanalysen till en beslutspunkt i ledningsgruppen, så får den både tid och "
              "tyngd.",
        "p5": "Bjud in leverantörerna medan underlaget fortfarande går att ändra, inte när det "
              "redan är låst.",
        "p6": "Gå ut till medarbetarna och fråga dem på plats i stället för att vänta på att de "
              "kommer till mötet.",
        "p7": "Dialog är tillåten så länge ni dokumenterar den och ger alla leverantörer samma "
              "information.",
        "p8": "Sortera alla krav i måste, bör och kan innan något skrivs in i "
              "förfrågningsunderlaget.",
        "p9": "Låt dem som ska använda produkten prova den innan ni bestämmer vad som är "
              "viktigast.",
        "p11": "Fråga grannkommunen först, för någon har nästan alltid gjort en liknande "
               "behovsanalys redan.",
        "p12": "Bestäm från start hur ni ska mäta att behovet blivit tillgodosett och vem som "
               "följer upp det.",
    },
}
