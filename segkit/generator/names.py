"""Name vocabularies: first names by origin and gender, last names by origin, nicknames.

Lists are ordered roughly by popularity; the generator draws with a Zipf-like skew so
the first entries (common surnames like Smith, Müller, García) repeat often, which makes
"same last name + same city, different person" hard negatives appear naturally.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ORIGINS = ("en", "de", "fr", "nl", "es", "it", "intl")


def _split(text: str) -> list[str]:
    """Split a comma-separated block into stripped, non-empty names."""
    return [x.strip() for x in text.replace("\n", ",").split(",") if x.strip()]


FEMALE = {
    "en": _split("""Mary, Elizabeth, Jennifer, Linda, Patricia, Susan, Jessica, Sarah, Karen,
        Nancy, Lisa, Margaret, Emily, Michelle, Amanda, Melissa, Deborah, Stephanie, Rebecca,
        Laura, Sharon, Cynthia, Kathleen, Amy, Angela, Anna, Emma, Olivia, Sophie, Charlotte,
        Abigail, Victoria, Catherine, Christine, Samantha, Rachel, Hannah, Megan, Lauren, Ann,
        Alexandra, Kimberly, Jacqueline, Theresa, Dorothy, Judith, Natalie, Chloe"""),
    "de": _split("""Anna, Maria, Ursula, Monika, Petra, Sabine, Renate, Claudia, Andrea,
        Susanne, Birgit, Stefanie, Julia, Katharina, Lea, Lena, Hannah, Mia, Sophie, Jana,
        Jutta, Gisela, Ingrid, Helga, Anke, Heike, Nicole, Franziska, Käthe, Marie-Luise,
        Lieselotte, Annegret, Brigitte, Dörte, Svenja, Antje, Greta, Frieda"""),
    "fr": _split("""Marie, Camille, Léa, Chloé, Manon, Inès, Émilie, Céline, Nathalie, Isabelle,
        Sylvie, Sophie, Aurélie, Élodie, Hélène, Françoise, Anaïs, Océane, Clémence, Margaux,
        Zoë, Noémie, Agnès, Béatrice, Geneviève, Marie-Claire, Anne-Sophie, Juliette"""),
    "nl": _split("""Sanne, Femke, Anouk, Lotte, Fleur, Iris, Eva, Lieke, Maartje, Marieke,
        Willemijn, Annelies, Ineke, Joke, Mieke, Saskia, Ilse, Noor, Roos, Esmée"""),
    "es": _split("""María, Carmen, Lucía, Sofía, Isabel, Ana, Laura, Paula, Marta, Elena,
        Cristina, Pilar, Dolores, Mercedes, Rocío, Inés, Begoña, Nuria, Ainhoa, Alba, Irene,
        Concepción, Guadalupe, Ximena, Valentina, Camila"""),
    "it": _split("""Giulia, Francesca, Chiara, Federica, Sara, Valentina, Alessandra, Martina,
        Elisa, Silvia, Paola, Giovanna, Rosa, Lucia, Anna, Beatrice, Ginevra, Aurora, Noemi,
        Serena, Raffaella, Antonella, Donatella"""),
    "intl": _split("""Ingrid, Astrid, Sigrid, Åsa, Ylva, Małgorzata, Agnieszka, Katarzyna,
        Zofia, Olga, Natasha, Svetlana, Priya, Ananya, Deepika, Fatima, Aisha, Leila, Yasmin,
        Mei, Xiu, Yuki, Sakura, Hana, Ji-woo, Seo-yeon, Ayşe, Elif, Zeynep, Eleni, Ioanna,
        Nadia, Amara, Chidi, Ngozi, Siobhán, Aoife, Niamh, Saoirse, Zsófia"""),
}

MALE = {
    "en": _split("""James, John, Robert, Michael, William, David, Richard, Joseph, Thomas,
        Charles, Christopher, Daniel, Matthew, Anthony, Mark, Donald, Steven, Paul, Andrew,
        Joshua, Kenneth, Kevin, Brian, George, Timothy, Ronald, Edward, Jason, Jeffrey, Ryan,
        Jacob, Gary, Nicholas, Eric, Jonathan, Stephen, Benjamin, Samuel, Patrick, Alexander,
        Peter, Henry, Frederick, Theodore, Nathaniel, Zachary, Oliver, Harry"""),
    "de": _split("""Michael, Thomas, Andreas, Stefan, Peter, Klaus, Wolfgang, Jürgen, Uwe,
        Hans, Günter, Dieter, Horst, Manfred, Frank, Bernd, Matthias, Markus, Tobias, Florian,
        Lukas, Jonas, Leon, Felix, Maximilian, Johann, Friedrich, Sebastian, Björn, Jörg,
        Heinz, Karl-Heinz, Ulrich, Rüdiger, Götz, Konstantin, Moritz, Niklas"""),
    "fr": _split("""Jean, Pierre, Michel, Philippe, Alain, Nicolas, François, Laurent, Julien,
        Sébastien, Stéphane, Frédéric, Jérôme, Olivier, Thierry, Benoît, Hugo, Louis, Gabriel,
        Raphaël, Théo, Mathéo, Noël, Jean-Luc, Jean-Pierre, Gaël, Loïc, Aurélien, Rémi"""),
    "nl": _split("""Jan, Pieter, Willem, Hendrik, Johannes, Cornelis, Dirk, Bram, Daan, Sem,
        Lucas, Thijs, Joost, Ruud, Sjoerd, Maarten, Gert-Jan, Wouter, Bas, Koen"""),
    "es": _split("""José, Antonio, Manuel, Francisco, Juan, David, Javier, Carlos, Jesús,
        Miguel, Rafael, Pedro, Ángel, Alejandro, Fernando, Pablo, Sergio, Jorge, Alberto,
        Álvaro, Diego, Adrián, Raúl, Iñaki, Joaquín, Ramón, Andrés, Santiago, Matías"""),
    "it": _split("""Giuseppe, Giovanni, Antonio, Mario, Luigi, Francesco, Angelo, Vincenzo,
        Pietro, Salvatore, Carlo, Franco, Domenico, Bruno, Paolo, Michele, Marco, Alessandro,
        Lorenzo, Matteo, Leonardo, Riccardo, Niccolò, Gianluca, Pasquale, Tommaso"""),
    "intl": _split("""Lars, Erik, Søren, Bjørn, Nils, Ólafur, Piotr, Krzysztof, Paweł, Tomasz,
        Dmitri, Sergei, Vladimir, Raj, Arjun, Vikram, Rahul, Mohammed, Ahmed, Omar, Youssef,
        Wei, Jun, Hiroshi, Kenji, Takashi, Min-jun, Ji-ho, Mehmet, Mustafa, Emre, Nikos,
        Giorgos, Kwame, Chukwuemeka, Seán, Ciarán, Oisín, Zoltán, Dávid"""),
}

LAST = {
    "en": _split("""Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson,
        Taylor, Thomas, Moore, Martin, Jackson, Thompson, White, Harris, Clark, Lewis,
        Robinson, Walker, Young, Allen, King, Wright, Scott, Hill, Green, Adams, Baker, Nelson,
        Carter, Mitchell, Roberts, Turner, Phillips, Campbell, Parker, Evans, Edwards, Collins,
        Stewart, Morris, Murphy, Cook, Rogers, Morgan, Cooper, Peterson, Reed, Lee, O'Brien,
        O'Connor, McDonald, MacLeod, Fitzgerald, Sullivan, Hughes, Bennett, Wood, Hall, Ward,
        Price, Barnes, Fisher, Henderson, Coleman, Jenkins, Perry, Powell, Long, Patterson"""),
    "de": _split("""Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz,
        Hoffmann, Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz,
        Zimmermann, Braun, Krüger, Hofmann, Hartmann, Lange, Schmitt, Werner, Schmitz, Krause,
        Meier, Lehmann, Schmid, Schulze, Maier, Köhler, Herrmann, König, Walter, Mayer, Huber,
        Kaiser, Fuchs, Peters, Lang, Scholz, Möller, Weiß, Jung, Hahn, Vogel, Friedrich,
        Keller, Günther, Frank, Berger, Winkler, Roth, Beck, Lorenz, Baumann, Franke, Albrecht,
        Schuster, Simon, Ludwig, Böhm, Winter, Kraus, Martin, Schumacher, Krämer, Vogt, Stein,
        Jäger, Otto, Sommer, Groß, Seidel, Heinrich, Brandt, Haas, Schreiber, Graf, Dietrich,
        Ziegler, Kuhn, Kühn, Pohl, Engel, Horn, Busch, Bergmann, Thomas, Voigt, Sauer, Arnold,
        Wolff, Pfeiffer, von Bülow, Heß"""),
    "fr": _split("""Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy,
        Moreau, Simon, Laurent, Lefèbvre, Michel, Garcia, David, Bertrand, Roux, Vincent,
        Fournier, Morel, Girard, André, Lefèvre, Mercier, Dupont, Lambert, Bonnet, François,
        Martinez, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin, Muller, Henry, Roussel,
        Nicolas, Perrin, Morin, Mathieu, Clément, Gauthier, Dumont, Lopez, Fontaine, Chevalier,
        Robin, Masson, Sánchez, Gérard, Nguyen, Boyer, Denis, Lemaire, Duval, Joly, Gautier,
        Roger, Roche, Roy, Noël, Meyer, Lucas, Meunier, Jean, Perez, Marchand, Dufour,
        Blanchard, Brunet, Rivière, Lucas, de la Fontaine"""),
    "nl": _split("""de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser,
        Smit, Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen,
        Dekker, Brouwer, de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden,
        Kok, Jacobs, de Haan, Vermeulen, van den Heuvel, van der Veen, van den Broek,
        de Bruijn, de Bruin, van der Heijden, Schouten, van Beek, Willems, van Vliet,
        Ødegaard, IJzerman"""),
    "es": _split("""García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez,
        Gómez, Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso,
        Gutiérrez, Navarro, Torres, Domínguez, Vázquez, Ramos, Gil, Ramírez, Serrano, Blanco,
        Molina, Morales, Suárez, Ortega, Delgado, Castro, Ortiz, Rubio, Marín, Sanz, Núñez,
        Iglesias, Medina, Garrido, Cortés, Castillo, Santos, Lozano, Guerrero, Cano, Prieto,
        Méndez, Cruz, Calvo, Gallego, Vidal, León, Márquez, Herrera, Peña, Flores, Cabrera,
        Campos, Vega, Fuentes, Carrasco, Diez, Caballero, Reyes, Nieto, Aguilar, Pascual,
        Santana, Herrero, Lorenzo, Montero, Hidalgo, Giménez, Ibáñez, Ferrer, Durán, Santiago,
        Benítez, Mora, Vicente, Vargas, Arias, Carmona, Crespo, Román, Pastor, Soto, Sáez,
        Velasco, Moya, Soler, Parra, Esteban, Bravo, Gallardo, Rojas, de la Cruz"""),
    "it": _split("""Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino,
        Greco, Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi,
        Moretti, Barbieri, Fontana, Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli,
        Martini, Leone, Longo, Gentile, Martinelli, Vitale, Lombardo, Serra, Coppola,
        De Santis, D'Angelo, Marchetti, Parisi, Villa, Conte, Ferraro, Ferri, Fabbri,
        Bianco, Marini, Grasso, Valentini, Messina, Sala, De Angelis, Gatti, Pellegrini,
        Palumbo, Sanna, Farina, Rizzi, Monti, Cattaneo, Morelli, Amato, Silvestri, Mazza,
        Testa, Grassi, Pellegrino, Carbone, Giuliani, Benedetti, Barone, Rossetti, Caputo,
        Montanari, Guerra, Palmieri, Bernardi, Martino, Fiore, De Rosa, Ferretti, Bellini,
        Basile, Riva, Donati, Piras, Vitali, Battaglia, Sartori, Neri, Costantini, Milani,
        Pagano, Ruggiero, Sorrentino, D'Amico, Orlando, Damico, Negri, Nicolò"""),
    "intl": _split("""Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsen, Hansen,
        Jørgensen, Sørensen, Kowalski, Nowak, Wiśniewski, Wójcik, Lewandowski, Dąbrowski,
        Ivanov, Smirnov, Kuznetsov, Popov, Petrov, Novák, Dvořák, Horváth, Nagy, Kovács,
        Yılmaz, Kaya, Demir, Şahin, Çelik, Papadopoulos, Georgiou, Patel, Sharma, Singh,
        Kumar, Gupta, Khan, Ali, Hassan, Hussein, Rahman, Chen, Wang, Li, Zhang, Liu, Yang,
        Huang, Nguyen, Tran, Pham, Kim, Park, Choi, Tanaka, Suzuki, Takahashi, Watanabe,
        Sato, Okafor, Adeyemi, Mensah, Cohen, Levi, Mizrahi, Murphy, Kelly, Byrne, Ó Briain"""),
}

# Persons drawn with an "exotic" writing system keep these verbatim (true names).
SPECIAL_NAMES = [
    ("雷", "李"), ("小明", "王"), ("美玲", "陈"), ("さくら", "山田"), ("민준", "김"),
    ("דוד", "כהן"), ("שרה", "לוי"), ("محمد", "العلي"), ("فاطمة", "حسن"),
    ("🦆 Duck", "McDuck"), ("Zoë", "Ødegaard"), ("José", "Müller-Lüdenscheidt"),
    ("Siân", "Ó Súilleabháin"), ("Ægir", "Þórsson"), ("Çağla", "Öztürk"),
]

# Values that only look dangerous; they must be stored verbatim (record-level injection).
LOOKALIKE_INJECTION = [
    "Robert'); DROP TABLE customers;--", "{{ var('x') }}", '=HYPERLINK("http://x")',
    "<script>alert(1)</script>", "${jndi:ldap://x}", "'; SELECT 1; --",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "{% raw %}x{% endraw %}", "Bobby\\Tables",
]

# (formal name, nickname) pairs; formal names are present in FEMALE/MALE above.
NICKNAMES = [
    ("Robert", "Bob"), ("Robert", "Rob"), ("William", "Bill"), ("William", "Will"),
    ("Elizabeth", "Liz"), ("Elizabeth", "Beth"), ("Elizabeth", "Betty"), ("Richard", "Dick"),
    ("Richard", "Rick"), ("James", "Jim"), ("James", "Jimmy"), ("John", "Jack"),
    ("John", "Johnny"), ("Michael", "Mike"), ("Michael", "Mick"), ("Joseph", "Joe"),
    ("Thomas", "Tom"), ("Charles", "Charlie"), ("Charles", "Chuck"), ("Christopher", "Chris"),
    ("Daniel", "Dan"), ("Matthew", "Matt"), ("Anthony", "Tony"), ("Steven", "Steve"),
    ("Andrew", "Andy"), ("Joshua", "Josh"), ("Kenneth", "Ken"), ("Timothy", "Tim"),
    ("Ronald", "Ron"), ("Edward", "Ed"), ("Edward", "Ted"), ("Jeffrey", "Jeff"),
    ("Nicholas", "Nick"), ("Jonathan", "Jon"), ("Benjamin", "Ben"), ("Samuel", "Sam"),
    ("Patrick", "Pat"), ("Alexander", "Alex"), ("Alexander", "Sasha"), ("Peter", "Pete"),
    ("Henry", "Hank"), ("Frederick", "Fred"), ("Theodore", "Teddy"), ("Nathaniel", "Nate"),
    ("Zachary", "Zach"), ("Patricia", "Patty"), ("Jennifer", "Jen"), ("Margaret", "Maggie"),
    ("Margaret", "Peggy"), ("Susan", "Sue"), ("Jessica", "Jess"), ("Deborah", "Debbie"),
    ("Rebecca", "Becky"), ("Kathleen", "Kathy"), ("Catherine", "Kate"), ("Christine", "Chris"),
    ("Samantha", "Sam"), ("Alexandra", "Alex"), ("Kimberly", "Kim"), ("Jacqueline", "Jackie"),
    ("Theresa", "Tess"), ("Dorothy", "Dot"), ("Judith", "Judy"), ("Victoria", "Vicky"),
    ("Abigail", "Abby"), ("Johann", "Hans"), ("Friedrich", "Fritz"), ("Wolfgang", "Wolf"),
    ("Maximilian", "Max"), ("Katharina", "Kathi"), ("Franziska", "Franzi"), ("Stefanie", "Steffi"),
    ("Francisco", "Paco"), ("José", "Pepe"), ("Dolores", "Lola"), ("Concepción", "Concha"),
    ("Giuseppe", "Beppe"), ("Giovanni", "Gianni"), ("Francesco", "Checco"),
    ("Alessandro", "Sandro"), ("Guadalupe", "Lupe"), ("Johannes", "Hannes"),
]


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters of *text* (accents stripped, other characters dropped)."""
    special = {"ß": "ss", "ø": "o", "æ": "ae", "þ": "th", "ð": "d", "ł": "l", "ı": "i"}
    out = []
    for ch in unicodedata.normalize("NFKD", text.lower()):
        ch = special.get(ch, ch)
        out.extend(c for c in ch if "a" <= c <= "z")
    return "".join(out)


@lru_cache(maxsize=1)
def first_name_table() -> tuple[list[str], dict[tuple[str, str], tuple[int, int]]]:
    """All first names in one list plus (origin, gender) -> (offset, size) ranges."""
    names: list[str] = []
    ranges: dict[tuple[str, str], tuple[int, int]] = {}
    for gender, table in (("F", FEMALE), ("M", MALE)):
        for origin in ORIGINS:
            ranges[(origin, gender)] = (len(names), len(table[origin]))
            names.extend(table[origin])
    ranges[("special", "X")] = (len(names), len(SPECIAL_NAMES))
    names.extend(first for first, _ in SPECIAL_NAMES)
    return names, ranges


@lru_cache(maxsize=1)
def last_name_table() -> tuple[list[str], dict[str, tuple[int, int]]]:
    """All last names in one list plus origin -> (offset, size) ranges."""
    names: list[str] = []
    ranges: dict[str, tuple[int, int]] = {}
    for origin in ORIGINS:
        ranges[origin] = (len(names), len(LAST[origin]))
        names.extend(LAST[origin])
    ranges["special"] = (len(names), len(SPECIAL_NAMES))
    names.extend(last for _, last in SPECIAL_NAMES)
    return names, ranges


@lru_cache(maxsize=1)
def nickname_lookup() -> list[list[str]]:
    """For every index of the first-name list, the nicknames of that name (maybe empty)."""
    names, _ = first_name_table()
    by_name: dict[str, list[str]] = {}
    for formal, nick in NICKNAMES:
        by_name.setdefault(formal, []).append(nick)
    return [by_name.get(n, []) for n in names]
