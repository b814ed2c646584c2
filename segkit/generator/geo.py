"""Geography vocabularies: countries and their written aliases, phone numbering plans,
cities (with state and postcode pools), street names and e-mail domains."""

from __future__ import annotations

COUNTRIES = ("US", "GB", "DE", "FR", "NL", "ES", "IT", "CA", "AU")
COUNTRY_WEIGHTS = (0.30, 0.12, 0.14, 0.10, 0.06, 0.07, 0.07, 0.07, 0.07)
# first-name / last-name origin used for 70% of the persons of a country
COUNTRY_ORIGIN = {"US": "en", "GB": "en", "DE": "de", "FR": "fr", "NL": "nl", "ES": "es",
                  "IT": "it", "CA": "en", "AU": "en"}
CURRENCY = {"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR", "NL": "EUR", "ES": "EUR",
            "IT": "EUR", "CA": "CAD", "AU": "AUD"}
EU_STYLE = {"DE", "FR", "NL", "ES", "IT"}

# Written forms of each country. First entry = most frequent. All aliases are seeded
# upper-cased and trimmed into seeds/country_aliases.csv.
COUNTRY_ALIASES = {
    "US": ["US", "USA", "United States", "U.S.A.", "U.S.", "United States of America",
           "Estados Unidos", "Vereinigte Staaten", "États-Unis", "America"],
    "GB": ["GB", "UK", "United Kingdom", "GBR", "Great Britain", "England", "Scotland",
           "Wales", "Royaume-Uni", "Vereinigtes Königreich", "Reino Unido", "U.K."],
    "DE": ["DE", "Germany", "Deutschland", "DEU", "Allemagne", "Alemania", "Germania",
           "Duitsland", "BRD", "GER"],
    "FR": ["FR", "France", "FRA", "Frankreich", "Francia", "Frankrijk", "République française"],
    "NL": ["NL", "Netherlands", "Nederland", "NLD", "Holland", "The Netherlands",
           "Niederlande", "Pays-Bas", "Países Bajos", "Paesi Bassi"],
    "ES": ["ES", "Spain", "España", "ESP", "Spanien", "Espagne", "Spagna", "Espana", "Spanje"],
    "IT": ["IT", "Italy", "Italia", "ITA", "Italien", "Italie", "Italië"],
    "CA": ["CA", "Canada", "CAN", "Kanada", "Canadá"],
    "AU": ["AU", "Australia", "AUS", "Australien", "Australie"],
}
ALIAS_WEIGHTS = (0.45, 0.2, 0.12, 0.08, 0.05, 0.04, 0.02, 0.02, 0.01, 0.01, 0.005, 0.005)

# calling code, trunk prefix ('' = none), NSN min/max length, [(area code, subscriber digits)]
PHONE_PLAN = {
    "US": ("1", "1", 10, 10, [(a, 7) for a in "212 415 312 617 305 206 713 404 303 702 646 310"
                                               " 202 512 615 718 801 919".split()]),
    "CA": ("1", "1", 10, 10, [(a, 7) for a in "416 604 514 403 613 905 780 902".split()]),
    "GB": ("44", "0", 10, 10, [("20", 8), ("121", 7), ("161", 7), ("131", 7), ("113", 7),
                               ("7700", 6), ("7911", 6), ("7400", 6)]),
    "DE": ("49", "0", 10, 11, [("30", 8), ("40", 8), ("89", 8), ("69", 8), ("221", 7),
                               ("211", 7), ("151", 8), ("160", 8), ("170", 8), ("176", 8)]),
    "FR": ("33", "0", 9, 9, [(a, 8) for a in "1 2 3 4 5 6 7 9".split()]),
    "NL": ("31", "0", 9, 9, [("20", 7), ("10", 7), ("30", 7), ("70", 7), ("6", 8)]),
    "ES": ("34", "", 9, 9, [("91", 7), ("93", 7), ("95", 7), ("96", 7), ("6", 8), ("7", 8)]),
    "IT": ("39", "", 9, 11, [("06", 8), ("02", 8), ("011", 7), ("055", 7), ("347", 7),
                             ("333", 7), ("320", 7)]),
    "AU": ("61", "0", 9, 9, [(a, 8) for a in "2 3 7 8 4".split()]),
}

# city, state ('' when the country has none in addresses), postcode prefix
CITIES = {
    "US": [("New York", "NY", "100"), ("Los Angeles", "CA", "900"), ("Chicago", "IL", "606"),
           ("Houston", "TX", "770"), ("Phoenix", "AZ", "850"), ("Philadelphia", "PA", "191"),
           ("San Antonio", "TX", "782"), ("San Diego", "CA", "921"), ("Dallas", "TX", "752"),
           ("Austin", "TX", "787"), ("Seattle", "WA", "981"), ("Boston", "MA", "021"),
           ("Denver", "CO", "802"), ("Portland", "OR", "972"), ("Miami", "FL", "331"),
           ("Springfield", "IL", "627"), ("Springfield", "MA", "011"), ("Atlanta", "GA", "303")],
    "GB": [("London", "", "SW1"), ("Manchester", "", "M1"), ("Birmingham", "", "B1"),
           ("Leeds", "", "LS1"), ("Glasgow", "", "G1"), ("Liverpool", "", "L1"),
           ("Bristol", "", "BS1"), ("Edinburgh", "", "EH1"), ("Cardiff", "", "CF1")],
    "DE": [("Berlin", "", "10"), ("Hamburg", "", "20"), ("München", "", "80"),
           ("Köln", "", "50"), ("Frankfurt am Main", "", "60"), ("Stuttgart", "", "70"),
           ("Düsseldorf", "", "40"), ("Leipzig", "", "04"), ("Dortmund", "", "44"),
           ("Nürnberg", "", "90")],
    "FR": [("Paris", "", "750"), ("Marseille", "", "130"), ("Lyon", "", "690"),
           ("Toulouse", "", "310"), ("Nice", "", "060"), ("Nantes", "", "440"),
           ("Strasbourg", "", "670"), ("Bordeaux", "", "330"), ("Lille", "", "590")],
    "NL": [("Amsterdam", "", "10"), ("Rotterdam", "", "30"), ("Den Haag", "", "25"),
           ("Utrecht", "", "35"), ("Eindhoven", "", "56"), ("Groningen", "", "97")],
    "ES": [("Madrid", "", "280"), ("Barcelona", "", "080"), ("Valencia", "", "460"),
           ("Sevilla", "", "410"), ("Zaragoza", "", "500"), ("Málaga", "", "290"),
           ("Bilbao", "", "480")],
    "IT": [("Roma", "", "001"), ("Milano", "", "201"), ("Napoli", "", "801"),
           ("Torino", "", "101"), ("Palermo", "", "901"), ("Firenze", "", "501"),
           ("Bologna", "", "401")],
    "CA": [("Toronto", "ON", "M5V"), ("Montréal", "QC", "H2X"), ("Vancouver", "BC", "V6B"),
           ("Calgary", "AB", "T2P"), ("Ottawa", "ON", "K1P"), ("Edmonton", "AB", "T5J")],
    "AU": [("Sydney", "NSW", "20"), ("Melbourne", "VIC", "30"), ("Brisbane", "QLD", "40"),
           ("Perth", "WA", "60"), ("Adelaide", "SA", "50")],
}
STATE_NAMES = {"NY": "New York", "CA": "California", "TX": "Texas", "IL": "Illinois",
               "WA": "Washington", "MA": "Massachusetts", "FL": "Florida", "ON": "Ontario",
               "QC": "Québec", "NSW": "New South Wales", "VIC": "Victoria"}

STREETS = {
    "en": ["Main Street", "Oak Avenue", "Maple Street", "Park Road", "High Street",
           "Church Lane", "Elm Street", "Washington Avenue", "Station Road", "Mill Lane",
           "King Street", "Queen Street", "Victoria Road", "Lake Drive", "Cedar Court",
           "Sunset Boulevard", "Pine Street", "River Road", "Hillcrest Drive", "5th Avenue"],
    "de": ["Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße",
           "Bergstraße", "Birkenweg", "Lindenstraße", "Kirchstraße", "Waldstraße",
           "Ringstraße", "Schillerstraße", "Goethestraße", "Am Markt", "Mühlenweg"],
    "fr": ["Rue de la Paix", "Rue Victor Hugo", "Avenue des Champs-Élysées", "Rue du Moulin",
           "Rue de l'Église", "Boulevard Voltaire", "Rue Pasteur", "Place de la République"],
    "nl": ["Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Schoolstraat",
           "Prinsengracht", "Herengracht", "Julianalaan"],
    "es": ["Calle Mayor", "Calle Real", "Avenida de la Constitución", "Calle del Sol",
           "Plaza de España", "Calle de Alcalá", "Gran Vía"],
    "it": ["Via Roma", "Via Garibaldi", "Via Mazzini", "Corso Italia", "Via Dante",
           "Piazza del Duomo", "Via Verdi", "Via Marconi"],
}
STREET_ORIGIN = {"US": "en", "GB": "en", "CA": "en", "AU": "en", "DE": "de", "FR": "fr",
                 "NL": "nl", "ES": "es", "IT": "it"}
# (long form, abbreviation) pairs used as address noise
STREET_ABBREV = [("Street", "St."), ("Avenue", "Ave"), ("Road", "Rd"), ("straße", "str."),
                 ("Boulevard", "Blvd"), ("Drive", "Dr.")]

EMAIL_DOMAINS = {
    "US": ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"],
    "GB": ["gmail.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk", "outlook.com"],
    "DE": ["gmail.com", "gmx.de", "web.de", "t-online.de", "outlook.de"],
    "FR": ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr"],
    "NL": ["gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl"],
    "ES": ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"],
    "IT": ["gmail.com", "libero.it", "virgilio.it", "alice.it"],
    "CA": ["gmail.com", "shaw.ca", "rogers.com", "hotmail.com"],
    "AU": ["gmail.com", "bigpond.com", "optusnet.com.au", "outlook.com"],
}


def postcode(country: str, prefix: str, k: int) -> str:
    """The k-th postcode of a city pool (deterministic, realistic shape)."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    if country in ("US", "FR", "ES", "IT"):
        return f"{prefix}{(k * 7 + 1) % 100:02d}"
    if country == "DE":
        return f"{prefix}{(k * 37 + 115) % 1000:03d}"
    if country == "GB":
        return f"{prefix} {k % 9 + 1}{letters[k % 20]}{letters[(k * 7) % 20]}"
    if country == "NL":
        return f"{prefix}{(k * 13 + 11) % 90 + 10} {letters[k % 20]}{letters[(k * 3) % 20]}"
    if country == "CA":
        return f"{prefix} {k % 9 + 1}{letters[(k * 5) % 20]}{(k * 3) % 10}"
    return f"{prefix}{k % 90 + 10:02d}"  # AU
