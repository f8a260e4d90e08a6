"""Measure: short tables of real place names in cp1252, cp1250 and cp1257, how many the
encoding detection reads right (not a timing).

    python benchmarks/bench_short_latin_pages.py [N_WRONG_SHOWN]

Each table: a header and 2 rows (names k and k+1 of a page's list), and one of a single row
(name k alone): 132 Western (French departments, Nordic counties and towns, German, Iberian,
Italian), 118 Central European (Czech, Slovak, Polish, Hungarian, Slovene, Croatian, Romanian)
and 70 Baltic (Lithuanian, Latvian, Estonian) tables.  Session 23, before/after the plausibility
judgement of short Latin tables (io/readers/text.py, _latin_page): cp1252 104 -> 130 of 132,
cp1250 81 -> 114 of 118, cp1257 19 -> 31 of 70, none read right before read wrong after.
Session 25 (the sets below NAMES' first three added): cp1252 130 -> 130, cp1250 114 -> 116,
cp1257 44 -> 44, ISO-8859-1 and -15 Nordic 56 -> 56 of 60, cp1250 Croatian 40 -> 42 of 46,
ISO-8859-16 Romanian 7 -> 7 of 50 (+38 -> +40 read in cp1250's cedilla letters, byte for byte
the same: told apart by no table of Romanian alone); none read right before read wrong after.
"""
import sys
from clusterid.io.readers.text import decode

NAMES = {
    "cp1252": ["Ariège", "Île-de-France", "Tromsø", "Jämtland", "Hérault", "Isère", "Lozère",
               "Finistère", "Pyrénées-Atlantiques", "Bouches-du-Rhône", "Côte-d'Or",
               "Côtes-d'Armor", "Nièvre", "Vendée", "Corrèze", "Ardèche", "Drôme", "Deux-Sèvres",
               "Västerbotten", "Skåne", "Örebro", "Gävleborg", "Østfold", "Møre og Romsdal",
               "Trøndelag", "Sjælland", "Århus", "Ålesund", "Bodø", "Jyväskylä", "Hämeenlinna",
               "Åland", "Reykjavík", "Södermanland", "Värmland", "Västernorrland",
               "Östergötland", "Jönköping", "Baden-Württemberg", "Thüringen", "München",
               "Köln", "Düsseldorf", "Nürnberg", "Cádiz", "Málaga", "León", "Córdoba",
               "Almería", "Jaén", "Ávila", "A Coruña", "Cáceres", "Logroño", "São Paulo",
               "Bragança", "Évora", "Santarém", "Setúbal", "Forlì-Cesena", "Rhône-Alpes",
               "Franche-Comté", "Midi-Pyrénées", "Provence-Alpes-Côte d'Azur", "Réunion",
               "Hauts-de-Seine", "Pays de la Loire", "Hedmark", "Troms og Finnmark",
               "Nordland", "Västra Götaland", "Kronoberg"],
    "cp1250": ["Praha", "Jihomoravský kraj", "Plzeňský kraj", "Ústecký kraj",
               "Královéhradecký kraj", "Pardubický kraj", "Vysočina", "Olomoucký kraj",
               "Zlínský kraj", "Moravskoslezský kraj", "Liberecký kraj", "Karlovarský kraj",
               "Středočeský kraj", "Jihočeský kraj", "Łódź", "Kraków", "Gdańsk", "Wrocław",
               "Poznań", "Białystok", "Rzeszów", "Zielona Góra", "Śląskie", "Małopolskie",
               "Łódzkie", "Świętokrzyskie", "Warmińsko-Mazurskie", "Dolnośląskie",
               "Bratislavský kraj", "Trnavský kraj", "Trenčiansky kraj", "Žilinský kraj",
               "Banskobystrický kraj", "Prešovský kraj", "Košický kraj", "Győr-Moson-Sopron",
               "Borsod-Abaúj-Zemplén", "Hajdú-Bihar", "Szabolcs-Szatmár-Bereg", "Bács-Kiskun",
               "Veszprém", "Fejér", "Komárom-Esztergom", "Jász-Nagykun-Szolnok", "Békés",
               "Nógrád", "Koroška", "Goriška", "Međimurska", "Požeško-slavonska",
               "Šibensko-kninska", "Osječko-baranjska", "Dubrovačko-neretvanska", "Timiş",
               "Iaşi", "Constanţa", "Braşov", "Argeş", "Bistriţa-Năsăud", "Sălaj"],
    "cp1257": ["Klaipėda", "Šiauliai", "Panevėžys", "Marijampolė", "Mažeikiai", "Tauragė",
               "Telšiai", "Kėdainiai", "Ukmergė", "Plungė", "Šilutė", "Rīga", "Liepāja",
               "Jūrmala", "Rēzekne", "Jēkabpils", "Cēsis", "Kuldīga", "Limbaži", "Krāslava",
               "Preiļi", "Alūksne", "Līvāni", "Pärnu", "Jõhvi", "Võru", "Põlva", "Järva",
               "Lääne-Viru", "Jõgeva", "Kärdla", "Vilkaviškis", "Kretinga", "Rokiškis",
               "Biržai", "Anykščiai", "Zarasai", "Ignalina", "Ogre", "Smiltene", "Saldus",
               "Ludza", "Viljandi", "Rapla"],
}
# session 25: Nordic tables in the ISO pages (æøå read alike in ISO-8859-1, -15 and cp1252), more
# Croatian ones in cp1250 (Č Ć Đ Š Ž) and Romanian in ISO-8859-16, whose comma-below ș ț cp1250
# has only with a cedilla (ş ţ): each set under "<page> <what>", encoded in <page>
_NORDIC = ["Østfold", "Tromsø", "Bodø", "Sjælland", "Århus", "Ålesund", "Næstved", "Køge",
           "Hørsholm", "Ærøskøbing", "Hillerød", "Holbæk", "Nykøbing Falster", "Sønderborg",
           "Rødovre", "Bærum", "Lørenskog", "Førde", "Gjøvik", "Tønsberg", "Drøbak", "Måløy",
           "Vågå", "Lærdal", "Årdal", "Ørsta", "Læsø", "Fanø", "Samsø", "Frederiksværk"]
NAMES["iso8859_1 Nordic"] = _NORDIC
NAMES["iso8859_15 Nordic"] = _NORDIC
NAMES["cp1250 Croatian"] = [
    "Međimurska", "Požeško-slavonska", "Šibensko-kninska", "Osječko-baranjska",
    "Dubrovačko-neretvanska", "Zagrebačka", "Krapinsko-zagorska", "Sisačko-moslavačka",
    "Karlovačka", "Varaždinska", "Koprivničko-križevačka", "Ličko-senjska",
    "Virovitičko-podravska", "Čakovec", "Đakovo", "Šibenik", "Križevci", "Đurđevac",
    "Našice", "Čazma", "Slatina", "Gospić", "Ploče", "Kaštela", "Knin", "Županja"]
NAMES["iso8859_16 Romanian"] = [
    "Timiș", "Iași", "Constanța", "Brașov", "Argeș", "Bistrița-Năsăud", "Sălaj", "Mureș",
    "Vâlcea", "Botoșani", "Călărași", "Ialomița", "Dâmbovița", "Galați", "Brăila",
    "București", "Caraș-Severin", "Mehedinți", "Neamț", "Maramureș", "Bacău", "Târgu Jiu",
    "Râmnicu Vâlcea", "Piatra Neamț", "Focșani", "Slobozia"]


_COMMA_BELOW = str.maketrans("şţŞŢ", "șțȘȚ")


def tables(page):
    names = [n for n in NAMES[page] if not n.isascii()]
    for k, name in enumerate(names):
        other = names[(k + 1) % len(names)]
        yield f"region,industry,year,employment\n{name},C,2016,120\n{other},F,2016,45\n"
        yield f"region,industry,year,employment\n{name},C,2016,120\n"


def main():
    total = {}
    for page in NAMES:
        ok, n, wrong, legacy = 0, 0, [], 0
        for text in tables(page):
            data = text.encode(page.split()[0])
            n += 1
            try:
                got, enc = decode(data)
            except Exception as exc:  # noqa: BLE001
                got, enc = f"<{type(exc).__name__}: {str(exc)[:60]}>", "error"
            if got.replace("\r\n", "\n") == text:
                ok += 1
            else:
                legacy += got.replace("\r\n", "\n").translate(_COMMA_BELOW) == text
                wrong.append((enc, text.splitlines()[1].split(",")[0], got.splitlines()[1].split(",")[0] if "\n" in got else got))
        total[page] = (ok, n)
        print(f"{page}: {ok}/{n} read right"
              + (f" (+{legacy} in cp1250's cedilla ş ţ for ș ț, the same bytes)" if legacy else ""))
        for w in wrong[: int(sys.argv[1]) if len(sys.argv) > 1 else 10]:
            print("   ", w)
    return total


if __name__ == "__main__":
    main()
