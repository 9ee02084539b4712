"""An illustrative history of the dialogue for the demo data set, written through the dialogue services.

About a dozen past events and a few upcoming ones across regions, thematic areas and every event kind, with
agendas, balance targets, participants who went through the nomination chain, travel support decided by
the fund (one facilitator override), payments and receipts, outcomes, recommendations, concept notes (some
of them converted into needs) and follow-up actions in every status.

Everything here is invented: event descriptions say they are illustrative, people have
@demo.pux.invalid addresses, and every write goes through ``pux.dialogues.service`` so it is checked and
audited like real use. Dates are relative to ``today``; the random choices come from ``rng``.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from pux.accounts import repository as accounts_repository
from pux.accounts.models import Organisation, User
from pux.accounts.permissions import Actor
from pux.accounts.service import actor_for
from pux.dialogues import service
from pux.dialogues import vocabulary as v
from pux.dialogues.models import DialogueEvent, Participant, TravelApplication
from pux.dialogues.schemas import (
    ActionFields,
    ActionProgress,
    ConceptNoteCreate,
    ConceptNoteUpdate,
    DisbursementFields,
    EventCreate,
    EventUpdate,
    GrantOverride,
    OutcomeFields,
    ParticipantFields,
    RecommendationFields,
    SessionFields,
    TargetFields,
    TravelApplicationFields,
)

DEMO_EVENT_NOTE = "Illustrative demonstration record: invented for the PUX demo, not a real event."
DEMO_NEED_NOTE = "Illustrative demonstration record: invented for the PUX demo, not a real request."
EMAIL_DOMAIN = "demo.pux.invalid"

FACILITATOR_EMAIL = "facilitator@demo.pux.invalid"
FOCAL_KENYA = "focal.kenya@demo.pux.invalid"
FOCAL_UGANDA = "focal.uganda@demo.pux.invalid"
COUNTERPART_KENYA = "counterpart.kenya@demo.pux.invalid"
DONOR = "donor@demo.pux.invalid"
PROGRAMME_OFFICER = "programme.officer@demo.pux.invalid"
EXPERT = "expert@demo.pux.invalid"

# How the demo accounts appear on an event's list: country and stakeholder type when their account has
# no organisation to tell.
ACCOUNT_DETAILS = {
    FOCAL_KENYA: ("KEN", "ministry"),
    FOCAL_UGANDA: ("UGA", "ministry"),
    COUNTERPART_KENYA: (None, None),
    DONOR: ("SWE", None),
    PROGRAMME_OFFICER: ("JPN", None),
    EXPERT: ("PRT", "university_research"),
}

# --- Invented people: names by country (women's first names | men's first names | family names) ---------
NAMES = {
    "KEN": "Achieng Wanjiku Faith Mercy Njeri Chebet Esther|Brian Dennis Samuel Kevin Peter Collins Joseph|"
    "Odhiambo Kamau Mwangi Kiptoo Wambua Onyango Njoroge Cheruiyot",
    "UGA": "Sarah Nakato Harriet Prossy Agnes Juliet|Moses Ronald Isaac Godfrey Patrick Emmanuel|"
    "Namubiru Okello Mugisha Akello Ssempala Byaruhanga Atwine Nsubuga",
    "TZA": "Neema Rehema Zawadi Upendo Mwanaisha|Baraka Juma Hamisi Emmanuel Godfrey|"
    "Mushi Mollel Massawe Mrema Kimaro Shirima",
    "ETH": "Tigist Hana Meron Selam Bethlehem|Dawit Yonas Abebe Tesfaye Solomon|"
    "Bekele Tadesse Alemu Girma Haile Mekonnen",
    "RWA": "Aline Claudine Josiane Diane|Eric Jean-Claude Olivier Innocent|"
    "Uwimana Mukamana Habimana Niyonzima Nsengiyumva",
    "ZMB": "Chanda Mwansa Bwalya Mutinta|Chola Kelvin Bupe Mwila|Phiri Banda Mulenga Tembo Zulu",
    "MWI": "Chikondi Thoko Tiyamike Mphatso|Kondwani Chisomo Limbani Yamikani|Banda Chirwa Mwale Kaunda",
    "GHA": "Akosua Abena Ama Efua Adwoa|Kwame Kofi Yaw Kwabena Kwesi|Mensah Boateng Owusu Asante Darko Osei",
    "SEN": "Awa Fatou Aminata Mariama Khady|Moussa Cheikh Mamadou Ibrahima Ousmane|Diop Ndiaye Sarr Fall Sow",
    "NGA": "Ngozi Aisha Funmilayo Chiamaka Amina|Chinedu Emeka Oluwaseun Ibrahim Tunde|"
    "Okafor Eze Bello Nwosu Adeyemi Abubakar",
    "CMR": "Nadege Estelle Brigitte Clarisse|Serge Herve Blaise Alain|Mbarga Ndongo Fotso Tchoua Ekane",
    "NER": "Hadiza Mariama Zeinabou Rakia|Issoufou Moussa Abdou Salissou|Maiga Harouna Souley Moumouni",
    "MAR": "Salma Khadija Imane Nadia|Youssef Mehdi Hamza Rachid|Benali El-Idrissi Alaoui Bennani Tazi",
    "EGY": "Mona Nour Heba Yasmin Dina|Ahmed Mohamed Karim Tarek Amr|Hassan Fathy Mostafa Abdelaziz Salem",
    "TUN": "Amel Sonia Ines Rim|Sami Anis Walid Hatem|Trabelsi Ben-Salah Jebali Gharbi Mejri",
    "JOR": "Rania Lina Dana Hala Ruba|Omar Zaid Khaled Ahmad Yousef|Haddad Khalil Al-Masri Nasser Obeidat",
    "LBN": "Nour Maya Rita Carla|Karim Georges Ali Walid|Khoury Saad Hamdan Nassar",
    "SDN": "Amna Sara Hiba Nafisa|Hamid Mohamed Osman Hassan|Abdelrahman Elamin Babiker Idris",
    "THA": "Siriporn Kanya Napat Ploy|Somchai Anan Kittisak Wichai|Chaiyasit Wongsa Srisuk Boonmee",
    "VNM": "Lan Thu Huong Mai Linh|Minh Hung Tuan Duc Quang|Nguyen Tran Pham Le Hoang Vu",
    "LAO": "Vanh Somsanouk Malaythong Noy|Somphone Khamphet Bounmy Sengdeuane|"
    "Phommachanh Vongsa Sihavong Keomany",
    "KHM": "Sokha Channary Sreymom Dary|Dara Vibol Sokhom Rithy|Chea Sok Heng Lim Chan",
    "PHL": "Maria Kristine Jocelyn Rowena|Jose Mark Ramon Paolo|Santos Reyes Cruz Bautista Mendoza",
    "BGD": "Nusrat Farhana Sharmin Tahmina Ruma|Rafiq Tanvir Mahmud Shahidul Kamrul|"
    "Islam Hossain Rahman Chowdhury Ahmed Sarker",
    "IDN": "Siti Dewi Rina Wulan|Budi Agus Hendra Eko|Rahayu Santoso Lestari Wibowo Susanto",
    "NPL": "Sita Anjali Sunita Pramila|Bikash Ramesh Suman Prakash|Gurung Shrestha Thapa Adhikari Karki",
    "MNG": "Oyuntsetseg Enkhjargal Sarantuya Nomin|Ganbold Batbayar Erdene Tsogt|Dorj Ganbaatar Tserendorj",
    "PAK": "Ayesha Sana Hira Maryam|Imran Bilal Usman Asif|Khan Qureshi Malik Siddiqui",
    "FJI": "Mere Litia Salote Ana|Josaia Semi Viliame Jone|Vakaloloma Raduva Tuivaga Naivalu Waqa",
    "PNG": "Grace Dorothy Ruth Lucy|John Peter Michael Paul|Tamarua Wari Aihi Kapi Kuman",
    "WSM": "Litia Sina Malia Tasi|Tavita Sione Filipo Losa|Tuilagi Faleolo Leota Sapolu",
    "PER": "Rosa Carmen Lucia Milagros Patricia|Luis Jorge Carlos Miguel Juan|"
    "Quispe Huaman Mamani Flores Rojas Vargas Chavez",
    "BOL": "Gabriela Mariela Daniela Ana|Marco Alvaro Rodrigo Fernando|Choque Condori Gutierrez Vargas",
    "GTM": "Lucia Andrea Gabriela Sofia|Carlos Jose Luis Mario|Lopez Perez Garcia Xol Morales Ramirez",
    "HND": "Maria Karla Daniela Iris|Jose Oscar Marvin Wilmer|Mejia Rivera Zelaya Castillo Flores",
    "PRY": "Laura Liz Mirian Rocio|Diego Hugo Osvaldo Derlis|Benitez Gimenez Ayala Duarte Nunez",
    "HTI": "Nadege Guerline Roseline Marie|Jean Pierre Wilner Frantz|Joseph Jean-Baptiste Dorval Charles",
    "JAM": "Shanice Kimberley Tamara Camille|Andre Dwayne Marlon Omar|Campbell Williams Brown Thompson Reid",
    "CUB": "Yanet Dayana Mayelin Yamile|Alexis Yoandry Reinier Osmany|Rodriguez Hernandez Gonzalez Diaz",
    "DOM": "Yudelka Carolina Massiel Wendy|Rafael Manuel Francisco Luis|Peralta Batista Almonte Reyes",
    "MEX": "Gabriela Fernanda Mariana Alejandra|Alejandro Ricardo Eduardo Jorge|Ramirez Torres Morales",
    "ARG": "Valentina Florencia Carolina Paula|Martin Santiago Pablo Federico|Gomez Fernandez Lopez Sosa",
    "ALB": "Elira Ermira Blerta Anila|Arben Ilir Gentian Erion|Hoxha Krasniqi Shehu Dervishi Leka",
    "MDA": "Elena Natalia Tatiana Ana|Ion Vasile Andrei Sergiu|Rusu Ceban Popa Munteanu Cojocaru",
    "UZB": "Dilnoza Nodira Gulnora Malika|Aziz Jasur Bekzod Sherzod|Tursunov Rakhimov Karimov Yusupov",
    "GEO": "Nino Tamar Mariam Ana|Giorgi Levan David Irakli|Beridze Kapanadze Gelashvili Lomidze",
    "ARM": "Ani Lilit Anahit Mariam|Aram Armen Davit Tigran|Petrosyan Grigoryan Hovhannisyan Sargsyan",
    "AUT": "Katharina Anna Julia Sabine|Lukas Thomas Stefan Markus|Huber Gruber Wagner Bauer Pichler",
    "FRA": "Claire Camille Sophie Elise|Julien Nicolas Antoine Pierre|Dubois Martin Lefevre Bernard Girard",
    "SWE": "Emma Ingrid Karin Linnea|Erik Johan Anders Oskar|Johansson Lindberg Andersson Nilsson Berg",
    "JPN": "Yuki Aiko Haruka Naomi|Hiroshi Takashi Kenta Daisuke|Tanaka Yamamoto Suzuki Watanabe Ito",
    "USA": "Jennifer Rachel Megan Laura|Michael David Brian Kevin|Miller Johnson Davis Carter Brooks",
    "CHE": "Anna Celine Laura Nadine|Marco Lukas Reto Daniel|Keller Brunner Meier Favre Rochat",
    "KWT": "Noura Dalal Maryam Hessa|Khaled Fahad Abdullah Yousef|Al-Mutairi Al-Rashidi Al-Enezi Al-Ajmi",
    "CAN": "Sarah Emilie Jessica Megan|David Mathieu Ryan Alexandre|Tremblay Roy Gagnon Wilson MacDonald",
    "KOR": "Ji-woo Seo-yeon Min-ji Hye-jin|Min-jun Seung-ho Jae-won Dong-hyun|Kim Park Lee Choi Jung",
    "DEU": "Julia Katrin Susanne Lena|Thomas Jan Florian Matthias|Schneider Becker Fischer Hoffmann Wolf",
}
# Family names that take a feminine ending.
FEMININE_ENDING = frozenset({"UZB"})

# Stakeholder types of people from recipient countries, by the event's first thematic area.
RECIPIENT_TYPES = {
    "health": (
        "hospital",
        "ministry",
        "regulator",
        "university_research",
        "national_nuclear_authority",
        "ngo",
    ),
    "food": ("university_research", "ministry", "national_nuclear_authority", "ngo", "regulator"),
    "water": ("ministry", "university_research", "national_nuclear_authority", "ngo", "regulator"),
    "energy": (
        "ministry",
        "national_nuclear_authority",
        "regulator",
        "university_research",
        "industry_operator",
    ),
}

# Partner organisations of the demo set, and where their people come from when the organisation has no
# country of its own.
PARTNER_HOMES = {
    "International Atomic Cooperation Agency (demo)": ("AUT", "FRA", "JPN", "CAN", "DEU", "KOR"),
    "Global Cancer Access Foundation (demo)": ("CHE", "USA"),
    "Harvest Futures Foundation (demo)": ("USA", "CAN"),
    "Blue Water Trust (demo)": ("CAN", "DEU"),
    "Regional Development Bank for Africa (demo)": ("GHA", "SEN", "NGA"),
    "Medical Physics Without Borders (demo)": ("FRA", "CHE", "CAN"),
    "Society for Radiation Oncology (demo)": ("USA", "DEU"),
}
HEALTH_PARTNERS = (
    "International Atomic Cooperation Agency (demo)",
    "Global Cancer Access Foundation (demo)",
    "Society for Radiation Oncology (demo)",
    "Medical Physics Without Borders (demo)",
    "Accelerator Systems Group (demo)",
    "Nordic Development Cooperation Agency (demo)",
    "Institute of Tropical Radiology (demo)",
)
FOOD_PARTNERS = (
    "International Atomic Cooperation Agency (demo)",
    "Harvest Futures Foundation (demo)",
    "Pacific Rim Development Agency (demo)",
    "Atlantic Development Fund (demo)",
    "Institute of Tropical Radiology (demo)",
    "Isotope Solutions Ltd (demo)",
)
WATER_PARTNERS = (
    "International Atomic Cooperation Agency (demo)",
    "Blue Water Trust (demo)",
    "Gulf Development Fund (demo)",
    "Alpine Cooperation Office (demo)",
    "Institute of Tropical Radiology (demo)",
)
ENERGY_PARTNERS = (
    "International Atomic Cooperation Agency (demo)",
    "Regional Development Bank for Africa (demo)",
    "Nordic Development Cooperation Agency (demo)",
    "Alpine Cooperation Office (demo)",
    "Isotope Solutions Ltd (demo)",
)
# Recipient-side organisations of the demo set, by country (their people sometimes come from them).
HOME_ORGANISATIONS = {
    "KEN": (
        "Kenya National Cancer Hospital (demo)",
        "Kenya Ministry of Health (demo)",
        "Kenya Radiation Protection Board (demo)",
    ),
    "UGA": ("Uganda Atomic Energy Council (demo)",),
    "ETH": ("Ethiopian Agricultural Research Institute (demo)",),
    "GHA": ("Ghana Nuclear Applications Institute (demo)",),
    "BGD": ("Bangladesh Institute of Nuclear Agriculture (demo)",),
    "PER": ("Peru Nuclear Energy Institute (demo)",),
    "ARG": ("Polytechnic University of Applied Isotopes (demo)",),
}

TRAVEL_REASONS = (
    "My institution has no budget for international travel this year.",
    "Nominated by our national focal point; the ministry covers local costs only.",
    "I present our national plan in the working group; travel is not covered by my employer.",
    "Early-career staff member: first regional meeting, and the department has no travel budget.",
    "Our programme's travel funds were frozen after the budget revision this year.",
    "Speaker in one of the sessions; my organisation can cover the visa but not the flight.",
)
DECLINE_REASONS = (
    "Could not obtain a visa in time.",
    "Clashes with the national budget hearings.",
    "Replaced by a colleague from the same institution.",
    "Unable to travel for family reasons.",
)

Target = tuple[str, str, str, float]  # dimension, category, bound, share in percent
Agenda = tuple[tuple[str, str], ...]  # session title, speakers


@dataclass(frozen=True)
class ConceptPlan:
    title: str
    problem: str
    objective: str
    outputs: str = ""
    activities: str = ""
    indicators: str = ""
    assumptions: str = ""
    cost: int | None = None
    status: str = v.CONCEPT_DRAFT  # the status the note ends in (converted: it became a need)
    organisation: str | None = None


@dataclass(frozen=True)
class RecommendationPlan:
    text: str
    country: str | None
    area: str
    techniques: tuple[str, ...]
    goals: tuple[str, ...]
    concept: ConceptPlan | None = None


@dataclass(frozen=True)
class ActionPlan:
    title: str
    owner: str  # an account's email, or an organisation's name
    due_in_days: int  # relative to today (negative: due in the past)
    status: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutcomePlan:
    summary: str
    challenges: str
    goals: tuple[str, ...]
    recommendations: tuple[RecommendationPlan, ...]
    actions: tuple[ActionPlan, ...]


@dataclass(frozen=True)
class EventPlan:
    kind: str
    title: str
    about: str
    starts_in_days: int  # relative to today; moved to the week day below
    weekday: int  # 0 = Monday
    days: int  # 0 = a few hours on one day
    host: str | None
    city: str | None
    zone: str
    languages: tuple[str, ...]
    areas: tuple[str, ...]
    techniques: tuple[str, ...]
    focus: tuple[str, ...]
    size: int
    capacity: int
    pool: tuple[str, ...]  # countries of the recipient-side participants
    partners: tuple[str, ...]  # partner organisations
    agenda: Agenda
    targets: tuple[Target, ...] = ()
    recipient_share: float = 0.7
    women_share: float = 0.5
    budget: int | None = None
    currency: str = "USD"
    fares: tuple[int, int] = (400, 1200)
    allowance: int = 200
    is_public: bool = True
    max_per_country: int | None = None
    start_hour: int = 9
    hours: float = 3.0  # length of an event of a few hours
    accounts: tuple[tuple[str, str], ...] = ()  # account email, status it ends in
    override: bool = False  # the facilitator overrides one of the fund's decisions
    outcome: OutcomePlan | None = None


BALANCED: tuple[Target, ...] = (
    ("gender", "female", "at_least", 40),
    ("country_side", "recipient", "at_least", 60),
    ("stakeholder_type", "*", "at_most", 30),
)


@dataclass
class DialogueSummary:
    events: int = 0
    past_events: int = 0
    upcoming_events: int = 0
    sessions: int = 0
    participants: int = 0
    travel_applications: int = 0
    travel_grants: int = 0
    disbursements: int = 0
    short_payments: int = 0  # paid less than awarded
    outcomes: int = 0
    recommendations: int = 0
    concept_notes: int = 0
    needs_from_concept_notes: int = 0
    actions: int = 0
    event_ids: list[int] = field(default_factory=list)


# --- The events ---------------------------------------------------------------------------------------

EVENTS: tuple[EventPlan, ...] = (
    EventPlan(
        kind=v.REGIONAL_WORKSHOP,
        title="Regional workshop on expanding radiotherapy access in East Africa",
        about="Ministries, cancer hospitals and regulators of East Africa compare their radiotherapy "
        "plans, the staffing each new machine needs, and how partners can support the next five years.",
        starts_in_days=-880,
        weekday=0,
        days=5,
        host="KEN",
        city="Nairobi",
        zone="Africa/Nairobi",
        languages=("en",),
        areas=("health",),
        techniques=("brachytherapy", "medical_physics", "radiotherapy"),
        focus=("ETH", "KEN", "TZA", "UGA"),
        size=30,
        capacity=40,
        pool=("KEN", "UGA", "TZA", "ETH", "RWA", "ZMB", "MWI"),
        partners=HEALTH_PARTNERS,
        targets=(*BALANCED, ("country_group", "ldc", "at_least", 20), ("region", "002", "at_least", 50)),
        budget=45_000,
        fares=(350, 1100),
        allowance=240,
        max_per_country=4,
        accounts=((COUNTERPART_KENYA, v.ATTENDED), (FOCAL_KENYA, v.ATTENDED), (FOCAL_UGANDA, v.ATTENDED)),
        override=True,
        agenda=(
            ("Opening and the regional picture of cancer care", "Esther Kamau; Lucas Moreau"),
            ("Radiotherapy capacity per million people: where each country stands", "Dawit Bekele"),
            ("Brachytherapy for cervical cancer: starting a service", "Faith Njoroge; Claire Dubois"),
            ("Medical physicists: training, certification and retention", "Mariana Costa; Moses Okello"),
            ("Regulatory authorisation of new radiotherapy facilities", "Isaac Mugisha"),
            ("Partners' round table and next steps", "Sofia Lindqvist; Kenji Sato"),
        ),
        outcome=OutcomePlan(
            summary="Participants agreed that staffing, not machines, limits radiotherapy access most in the "
            "region: three of the seven countries have fewer than two clinical medical physicists per "
            "machine. Kenya and Uganda presented plans for new public centres, and partners offered "
            "fellowships tied to a national commitment to create posts.",
            challenges="Long procurement cycles for linear accelerators; loss of trained staff to the "
            "private sector; unreliable power supply at two regional hospitals.",
            goals=("3", "4"),
            recommendations=(
                RecommendationPlan(
                    "Kenya should add a brachytherapy unit and a second linear accelerator at the national "
                    "cancer hospital, with a staffing plan agreed before procurement.",
                    "KEN",
                    "health",
                    ("brachytherapy", "radiotherapy"),
                    ("3",),
                    ConceptPlan(
                        title="Brachytherapy and a second linear accelerator at the national cancer hospital",
                        problem="Women with cervical cancer wait more than four months for brachytherapy; "
                        "the single machine treats 120 patients a day.",
                        objective="Cut the waiting time for cervical cancer treatment to under six weeks.",
                        outputs="A high-dose-rate brachytherapy unit in service; a second linear "
                        "accelerator commissioned; six radiation therapists trained.",
                        activities="Site planning and shielding design; procurement; commissioning with an "
                        "expert mission; fellowships for two medical physicists.",
                        indicators="Waiting time to brachytherapy; patients treated per year.",
                        assumptions="The ministry funds the new posts from the next budget year.",
                        cost=2_400_000,
                        status=v.CONCEPT_CONVERTED,
                        organisation="Kenya National Cancer Hospital (demo)",
                    ),
                ),
                RecommendationPlan(
                    "Uganda should set up a national medical physics residency with the main university "
                    "hospital, so that new radiotherapy centres can be staffed.",
                    "UGA",
                    "health",
                    ("medical_physics",),
                    ("3", "4"),
                    ConceptPlan(
                        title="A national clinical medical physics residency in Uganda",
                        problem="Uganda has four clinical medical physicists for a growing cancer service.",
                        objective="Train eight clinical medical physicists in the next four years.",
                        outputs="A two-year residency curriculum; a certification board; eight residents.",
                        activities="Curriculum design with the university; clinical supervisors trained; "
                        "residents placed at the cancer institute.",
                        cost=650_000,
                        status=v.CONCEPT_READY,
                        organisation="Uganda Atomic Energy Council (demo)",
                    ),
                ),
                RecommendationPlan(
                    "Partners should link equipment support to staffing commitments and publish a shared "
                    "calendar of fellowships for the region.",
                    None,
                    "health",
                    ("radiotherapy",),
                    ("3", "17"),
                ),
            ),
            actions=(
                ActionPlan(
                    "Circulate the regional staffing survey results to all ministries",
                    FACILITATOR_EMAIL,
                    -800,
                    v.ACTION_DONE,
                    ("Survey tables cleaned and sent to the ministries.", "All seven ministries confirmed."),
                ),
                ActionPlan(
                    "Draft the concept note for brachytherapy at the national cancer hospital",
                    COUNTERPART_KENYA,
                    -760,
                    v.ACTION_DONE,
                    ("First draft shared with the focal point.", "Concept note converted into a need."),
                ),
                ActionPlan(
                    "Publish a regional calendar of medical physics fellowships",
                    "Medical Physics Without Borders (demo)",
                    -120,
                    v.ACTION_IN_PROGRESS,
                    ("Calendar template agreed; waiting for two partners' dates.",),
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.REGIONAL_WORKSHOP,
        title="Regional workshop on area-wide fruit fly control with the sterile insect technique",
        about="Plant protection services of South-East and South Asia review fruit fly surveillance, "
        "sterile male release and the trade rules that decide access to export markets for mangoes and "
        "citrus.",
        starts_in_days=-790,
        weekday=0,
        days=5,
        host="THA",
        city="Bangkok",
        zone="Asia/Bangkok",
        languages=("en",),
        areas=("food",),
        techniques=("sterile_insect",),
        focus=("BGD", "KHM", "LAO", "PHL", "VNM"),
        size=26,
        capacity=35,
        pool=("THA", "VNM", "LAO", "KHM", "PHL", "BGD", "IDN", "NPL"),
        partners=FOOD_PARTNERS,
        targets=(*BALANCED, ("country_group", "ldc", "at_least", 20)),
        budget=38_000,
        fares=(300, 900),
        allowance=180,
        max_per_country=3,
        agenda=(
            ("Fruit fly pressure on horticultural exports in the region", "Siriporn Chaiyasit"),
            ("Trapping networks and surveillance data", "Minh Nguyen; Julien Lefevre"),
            ("Rearing and sterilising males: what a small facility can do", "Yuki Tanaka"),
            ("Field visit: release site and quality control laboratory", "Somchai Wongsa"),
            ("Trade requirements and pest-free areas", "Maria Santos; Erik Lindberg"),
        ),
        outcome=OutcomePlan(
            summary="Countries mapped where fruit flies cost them export markets and agreed on a common "
            "surveillance protocol. Viet Nam and the Philippines asked for support to pilot sterile male "
            "releases in mango areas; Lao PDR and Cambodia will first build their trapping networks.",
            challenges="Few countries have a rearing facility; sterile flies must be shipped across borders "
            "under permits that take months.",
            goals=("2", "15", "17"),
            recommendations=(
                RecommendationPlan(
                    "Viet Nam should pilot sterile male releases against the oriental fruit fly in one "
                    "Mekong delta province before scaling up.",
                    "VNM",
                    "food",
                    ("sterile_insect",),
                    ("2", "15"),
                    ConceptPlan(
                        title="Pilot suppression of the oriental fruit fly in a Mekong delta province",
                        problem="Fruit fly damage and quarantine rules close export markets to mangoes.",
                        objective="Keep fruit fly infestation below the export threshold on 2,000 ha.",
                        outputs="A trapping network; an emergence and release centre; trained field teams.",
                        activities="Baseline trapping; import of sterile pupae; weekly releases; monitoring.",
                        indicators="Flies per trap per day; share of fruit rejected at inspection.",
                        cost=900_000,
                        status=v.CONCEPT_CONVERTED,
                    ),
                ),
                RecommendationPlan(
                    "Countries should share trapping data monthly in a common format.",
                    None,
                    "food",
                    ("sterile_insect",),
                    ("2", "17"),
                ),
            ),
            actions=(
                ActionPlan(
                    "Agree a common format for trapping data",
                    "International Atomic Cooperation Agency (demo)",
                    -700,
                    v.ACTION_DONE,
                    ("Draft format circulated.", "Format adopted by five countries."),
                ),
                ActionPlan(
                    "Set up a regional permit checklist for shipping sterile pupae",
                    PROGRAMME_OFFICER,
                    -400,
                    v.ACTION_DROPPED,
                    ("Dropped: the regional plant protection commission has taken this on.",),
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.TRILATERAL_MEETING,
        title="Trilateral meeting on groundwater for Kenya's arid counties",
        about="Kenya's water and health authorities, a donor and the technical agency agree on an isotope "
        "study of groundwater recharge in the north-eastern aquifers, and on who pays for what.",
        starts_in_days=-670,
        weekday=1,
        days=2,
        host="KEN",
        city="Nairobi",
        zone="Africa/Nairobi",
        languages=("en",),
        areas=("water",),
        techniques=("isotope_hydrology",),
        focus=("KEN",),
        size=16,
        capacity=20,
        pool=("KEN",),
        partners=(
            "Alpine Cooperation Office (demo)",
            "International Atomic Cooperation Agency (demo)",
            "Blue Water Trust (demo)",
        ),
        targets=(("gender", "female", "at_least", 40), ("country_side", "recipient", "at_least", 50)),
        recipient_share=0.65,
        budget=8_000,
        fares=(300, 450),
        allowance=200,
        is_public=False,
        accounts=((FOCAL_KENYA, v.ATTENDED), (COUNTERPART_KENYA, v.ATTENDED)),
        agenda=(
            ("What is known of recharge in the north-eastern aquifers", "Samuel Wambua"),
            ("Isotope sampling campaign: design and costs", "Lukas Gruber"),
            ("Roles of the ministry, the donor and the agency", "Grace Wanjiru; Marco Keller"),
        ),
        outcome=OutcomePlan(
            summary="The three parties agreed on a two-season sampling campaign of 60 boreholes, with the "
            "donor funding field work and the agency the laboratory analyses.",
            challenges="Security restrictions in parts of the study area; no national laboratory for "
            "tritium yet.",
            goals=("6", "13"),
            recommendations=(
                RecommendationPlan(
                    "Kenya should run an isotope survey of groundwater recharge in the north-eastern "
                    "aquifers before licensing new large abstractions.",
                    "KEN",
                    "water",
                    ("isotope_hydrology",),
                    ("6",),
                    ConceptPlan(
                        title="Isotope survey of groundwater recharge in Kenya's north-eastern aquifers",
                        problem="Boreholes in the arid counties are drying up and abstraction licences are "
                        "issued without knowing how much water is recharged.",
                        objective="Estimate recharge and groundwater age to set safe abstraction limits.",
                        outputs="A sampling network of 60 boreholes; an isotope data set; a recharge map.",
                        activities="Two sampling seasons; laboratory analyses; training of county staff.",
                        indicators="Boreholes sampled; abstraction rules revised using the results.",
                        cost=420_000,
                        status=v.CONCEPT_CONVERTED,
                        organisation="Kenya Ministry of Health (demo)",
                    ),
                ),
                RecommendationPlan(
                    "The partners should equip a national laboratory for stable isotope analysis of water.",
                    "KEN",
                    "water",
                    ("isotope_hydrology",),
                    ("6", "9"),
                ),
            ),
            actions=(
                ActionPlan(
                    "Obtain county permits for the sampling campaign",
                    "Kenya Ministry of Health (demo)",
                    -560,
                    v.ACTION_DONE,
                    ("Permits requested from six counties.", "All permits received."),
                ),
                ActionPlan(
                    "Send the laboratory specifications to the donor",
                    COUNTERPART_KENYA,
                    -60,
                    v.ACTION_OPEN,
                    ("Specifications drafted; waiting for the supplier's quote.",),
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.CONSULTATIVE_VISIT,
        title="Consultative visit on cancer care planning in Peru",
        about="A small team visits cancer centres in Lima and Arequipa to review the national radiotherapy "
        "network plan and where new equipment and staff would help most.",
        starts_in_days=-610,
        weekday=0,
        days=4,
        host="PER",
        city="Lima",
        zone="America/Lima",
        languages=("es", "en"),
        areas=("health",),
        techniques=("nuclear_medicine", "radiotherapy"),
        focus=("PER",),
        size=15,
        capacity=18,
        pool=("PER",),
        partners=(
            "International Atomic Cooperation Agency (demo)",
            "Society for Radiation Oncology (demo)",
            "Medical Physics Without Borders (demo)",
        ),
        targets=(("gender", "female", "at_least", 40),),
        recipient_share=0.75,
        budget=6_000,
        fares=(300, 600),
        allowance=180,
        accounts=((EXPERT, v.ATTENDED),),
        agenda=(
            ("Meeting with the national cancer institute", "Carmen Quispe"),
            ("Visit to the radiotherapy department in Arequipa", "Jorge Flores"),
            ("Nuclear medicine services and radiopharmacy", "Mariana Costa"),
            ("Debriefing with the ministry of health", "Rosa Huaman; Katharina Huber"),
        ),
        outcome=OutcomePlan(
            summary="The team found that patients outside Lima travel more than 800 km for radiotherapy, "
            "and recommended two regional centres with shared medical physics support.",
            challenges="Specialists are concentrated in Lima; maintenance contracts lapse after warranty.",
            goals=("3",),
            recommendations=(
                RecommendationPlan(
                    "Peru should plan two regional radiotherapy centres in the south and north, with "
                    "maintenance budgets from the start.",
                    "PER",
                    "health",
                    ("radiotherapy",),
                    ("3",),
                    ConceptPlan(
                        title="Two regional radiotherapy centres for southern and northern Peru",
                        problem="Cancer patients outside Lima travel far for treatment and many abandon it.",
                        objective="Bring radiotherapy within 300 km of 80% of the population.",
                        outputs="Two bunkers built; two linear accelerators in service; staff trained.",
                        activities="Feasibility study; procurement; training; commissioning.",
                        indicators="Share of patients completing treatment; travel distance to treatment.",
                        cost=5_800_000,
                        status=v.CONCEPT_CONVERTED,
                        organisation="Peru Nuclear Energy Institute (demo)",
                    ),
                ),
                RecommendationPlan(
                    "The ministry should include multi-year maintenance in every equipment purchase.",
                    "PER",
                    "health",
                    ("radiotherapy", "nuclear_medicine"),
                    ("3",),
                ),
            ),
            actions=(
                ActionPlan(
                    "Share the visit report with the ministry of health",
                    EXPERT,
                    -560,
                    v.ACTION_DONE,
                    ("Report drafted in Spanish and English.", "Report sent and acknowledged."),
                ),
                ActionPlan(
                    "Propose a maintenance clause for equipment tenders",
                    "Peru Nuclear Energy Institute (demo)",
                    -200,
                    v.ACTION_IN_PROGRESS,
                    ("Draft clause discussed with the procurement office.",),
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.WEBINAR,
        title="Webinar: climate-resilient crops through mutation breeding",
        about="Plant breeders from Asia, Africa and Latin America show drought- and salt-tolerant varieties "
        "obtained by mutation breeding, and how they reached farmers.",
        starts_in_days=-545,
        weekday=2,
        days=0,
        host=None,
        city=None,
        zone="Europe/Vienna",
        languages=("en", "fr"),
        areas=("food",),
        techniques=("mutation_breeding",),
        focus=(),
        size=30,
        capacity=300,
        pool=("BGD", "ETH", "GHA", "PER", "VNM", "IDN", "PAK", "NPL", "SEN", "BOL", "MNG", "KEN"),
        partners=FOOD_PARTNERS,
        targets=(("gender", "female", "at_least", 40), ("country_side", "recipient", "at_least", 60)),
        recipient_share=0.75,
        start_hour=13,
        hours=2.5,
        agenda=(
            ("Why mutation breeding, and what it is not", "Anna Keller"),
            ("Salt-tolerant rice for coastal Bangladesh", "Shahidul Islam"),
            ("Drought-tolerant barley in the Ethiopian highlands", "Tigist Alemu"),
            ("Questions and answers", "Kenji Sato"),
        ),
        outcome=OutcomePlan(
            summary="Over 200 people followed the webinar. Speakers stressed that seed systems, not the "
            "breeding itself, decide how fast new varieties reach farmers.",
            challenges="Variety release procedures take three to five years in most countries.",
            goals=("2", "13"),
            recommendations=(
                RecommendationPlan(
                    "Breeding programmes should plan seed multiplication with farmer groups from the start.",
                    None,
                    "food",
                    ("mutation_breeding",),
                    ("2",),
                ),
                RecommendationPlan(
                    "Partners should fund regional variety trials so that release data can be shared.",
                    None,
                    "food",
                    ("mutation_breeding",),
                    ("2", "17"),
                ),
            ),
            actions=(
                ActionPlan(
                    "Publish the webinar recording and slides",
                    FACILITATOR_EMAIL,
                    -530,
                    v.ACTION_DONE,
                    ("Recording edited.", "Recording and slides published."),
                ),
                ActionPlan(
                    "Compile a list of regional variety trial sites",
                    "Harvest Futures Foundation (demo)",
                    -90,
                    v.ACTION_OPEN,
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.REGIONAL_WORKSHOP,
        title="Regional workshop on isotope techniques for groundwater management in the Arab region",
        about="Water authorities of the Arab region learn to use isotopes to date groundwater, trace "
        "recharge and detect salinisation in over-pumped aquifers.",
        starts_in_days=-480,
        weekday=6,
        days=4,
        host="JOR",
        city="Amman",
        zone="Asia/Amman",
        languages=("ar", "en"),
        areas=("water",),
        techniques=("environmental_radiotracers", "isotope_hydrology"),
        focus=("EGY", "JOR", "LBN", "MAR", "SDN", "TUN"),
        size=24,
        capacity=30,
        pool=("JOR", "EGY", "MAR", "TUN", "LBN", "SDN"),
        partners=WATER_PARTNERS,
        targets=BALANCED,
        women_share=0.42,
        budget=30_000,
        currency="EUR",
        fares=(300, 900),
        allowance=220,
        max_per_country=3,
        agenda=(
            ("Groundwater depletion in the region: the numbers", "Omar Haddad"),
            ("Stable isotopes and groundwater age: principles", "Claire Martin"),
            ("Case study: the Azraq basin", "Rania Khalil"),
            ("Salinisation of coastal aquifers in North Africa", "Salma Bennani; Sami Trabelsi"),
            ("Laboratory practice and quality control", "Marco Brunner"),
        ),
        outcome=OutcomePlan(
            summary="Participants agreed that isotope data should inform abstraction permits in the most "
            "stressed basins. Jordan offered its laboratory for regional proficiency tests.",
            challenges="Data on abstraction are incomplete; few laboratories are accredited.",
            goals=("6",),
            recommendations=(
                RecommendationPlan(
                    "Jordan should set up an isotope monitoring network for the Azraq basin.",
                    "JOR",
                    "water",
                    ("isotope_hydrology",),
                    ("6",),
                    ConceptPlan(
                        title="Isotope monitoring network for the Azraq basin",
                        problem="Water levels in the Azraq basin fall by more than a metre a year.",
                        objective="Use isotope data to set sustainable pumping limits.",
                        cost=350_000,
                        status=v.CONCEPT_DRAFT,
                    ),
                ),
                RecommendationPlan(
                    "Laboratories of the region should join a yearly proficiency test.",
                    None,
                    "water",
                    ("isotope_hydrology",),
                    ("6", "17"),
                ),
            ),
            actions=(
                ActionPlan(
                    "Organise the first regional proficiency test",
                    "Blue Water Trust (demo)",
                    -30,
                    v.ACTION_IN_PROGRESS,
                    ("Samples prepared; four laboratories registered.",),
                ),
                ActionPlan(
                    "Translate the sampling manual into Arabic",
                    "International Atomic Cooperation Agency (demo)",
                    -300,
                    v.ACTION_DONE,
                    ("Translation commissioned.", "Arabic manual published."),
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.SIDE_EVENT,
        title="Side event: partnerships for cancer care in low- and middle-income countries",
        about="Held on the margins of a ministerial meeting in Vienna: health ministries, donors and "
        "industry discuss financing models that keep radiotherapy machines running after they are bought.",
        starts_in_days=-425,
        weekday=1,
        days=0,
        host="AUT",
        city="Vienna",
        zone="Europe/Vienna",
        languages=("en",),
        areas=("health",),
        techniques=("radiotherapy",),
        focus=("BGD", "GHA", "KEN", "ZMB"),
        size=24,
        capacity=120,
        pool=("KEN", "GHA", "BGD", "ZMB", "NPL", "SEN", "PER"),
        partners=HEALTH_PARTNERS,
        targets=(("gender", "female", "at_least", 50), ("country_side", "recipient", "at_least", 50)),
        recipient_share=0.55,
        budget=12_000,
        currency="EUR",
        fares=(700, 1500),
        allowance=260,
        start_hour=13,
        hours=3.0,
        accounts=((COUNTERPART_KENYA, v.ATTENDED), (DONOR, v.ATTENDED), (PROGRAMME_OFFICER, v.ATTENDED)),
        agenda=(
            ("Opening remarks", "Sofia Lindqvist"),
            ("Keeping machines running: a hospital's view", "Daniel Otieno"),
            ("Blended finance for cancer centres", "Michael Carter; Kwame Mensah"),
            ("Panel: what partners can commit to", "Kenji Sato; Ji-woo Kim; Nusrat Rahman"),
        ),
        outcome=OutcomePlan(
            summary="Speakers agreed that service contracts and spare parts should be financed with the "
            "equipment. Two foundations announced a joint facility for maintenance costs.",
            challenges="Ministries budget for capital, not for running costs.",
            goals=("3", "17"),
            recommendations=(
                RecommendationPlan(
                    "Partners should finance ten years of maintenance with each machine they fund.",
                    None,
                    "health",
                    ("radiotherapy",),
                    ("3", "17"),
                ),
                RecommendationPlan(
                    "Ghana should prepare a maintenance financing plan for its radiotherapy centres.",
                    "GHA",
                    "health",
                    ("radiotherapy",),
                    ("3",),
                ),
            ),
            actions=(
                ActionPlan(
                    "Draft terms of reference for the maintenance facility",
                    DONOR,
                    -200,
                    v.ACTION_IN_PROGRESS,
                    ("Terms of reference under review by the second foundation.",),
                ),
                ActionPlan(
                    "Share the side event summary with ministries",
                    FACILITATOR_EMAIL,
                    -400,
                    v.ACTION_DONE,
                    ("Summary drafted.", "Summary sent."),
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.REGIONAL_WORKSHOP,
        title="Regional workshop on national energy planning and low-carbon scenarios",
        about="Energy planners of South-Eastern Europe, the Caucasus and Central Asia build long-term "
        "scenarios for electricity supply with open energy models, and compare the role of each "
        "low-carbon option.",
        starts_in_days=-365,
        weekday=0,
        days=4,
        host="ALB",
        city="Tirana",
        zone="Europe/Tirane",
        languages=("en", "ru"),
        areas=("energy",),
        techniques=("energy_planning",),
        focus=("ALB", "ARM", "GEO", "MDA", "UZB"),
        size=22,
        capacity=30,
        pool=("ALB", "MDA", "UZB", "GEO", "ARM"),
        partners=ENERGY_PARTNERS,
        targets=BALANCED,
        women_share=0.45,
        budget=25_000,
        currency="EUR",
        fares=(300, 800),
        allowance=190,
        max_per_country=3,
        agenda=(
            ("Energy demand projections", "Elira Hoxha"),
            ("Building a least-cost supply model", "Thomas Becker"),
            ("Hands-on: scenarios for each country", "Nino Beridze; Aziz Rakhimov"),
            ("Presenting scenarios to decision makers", "Anna Meier"),
        ),
        outcome=OutcomePlan(
            summary="Each country team left with a first reference scenario to 2050. Albania and Moldova "
            "will set up permanent energy planning units.",
            challenges="Planners move between ministries often; data on demand by sector are thin.",
            goals=("7", "13"),
            recommendations=(
                RecommendationPlan(
                    "Albania should set up a permanent energy planning unit in the ministry.",
                    "ALB",
                    "energy",
                    ("energy_planning",),
                    ("7",),
                    ConceptPlan(
                        title="A permanent energy planning unit for Albania",
                        problem="Energy scenarios are prepared by consultants and lost between strategies.",
                        objective="Keep national energy scenarios up to date within the ministry.",
                        outputs="A unit of four planners; a national model kept up to date.",
                        activities="Training courses; a twinning with a European planning agency.",
                        cost=280_000,
                        status=v.CONCEPT_READY,
                    ),
                ),
                RecommendationPlan(
                    "Countries should publish their demand data annually.",
                    None,
                    "energy",
                    ("energy_planning",),
                    ("7",),
                ),
            ),
            actions=(
                ActionPlan(
                    "Organise a follow-up course on demand modelling",
                    "Nordic Development Cooperation Agency (demo)",
                    -45,
                    v.ACTION_OPEN,
                    ("Venue found; dates still to be set with the trainers.",),
                ),
                ActionPlan(
                    "Collect the country scenarios in one report",
                    PROGRAMME_OFFICER,
                    -250,
                    v.ACTION_DONE,
                    ("Four of five scenarios received.", "Report published."),
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.CONSULTATIVE_VISIT,
        title="Consultative visit on tsetse suppression in the Lake Victoria islands",
        about="A visit to the island districts of Lake Victoria to assess whether the sterile insect "
        "technique could suppress tsetse flies after the current trapping campaign.",
        starts_in_days=-300,
        weekday=1,
        days=3,
        host="UGA",
        city="Kampala",
        zone="Africa/Kampala",
        languages=("en",),
        areas=("food",),
        techniques=("sterile_insect",),
        focus=("UGA",),
        size=15,
        capacity=18,
        pool=("UGA",),
        partners=("International Atomic Cooperation Agency (demo)", "Harvest Futures Foundation (demo)"),
        targets=(("gender", "female", "at_least", 40),),
        recipient_share=0.75,
        budget=5_000,
        fares=(300, 400),
        allowance=160,
        is_public=False,
        accounts=((FOCAL_UGANDA, v.ATTENDED),),
        agenda=(
            ("Briefing at the veterinary services", "Ruth Nakato"),
            ("Field visit to the island districts", "Godfrey Okello"),
            ("Feasibility of an isolated target area", "Kenta Suzuki"),
        ),
        outcome=OutcomePlan(
            summary="The islands are isolated enough for an area-wide campaign. The team recommended a "
            "feasibility study with baseline entomological surveys.",
            challenges="Boat transport for monitoring teams; cattle movement between islands.",
            goals=("2", "3", "15"),
            recommendations=(
                RecommendationPlan(
                    "Uganda should run a feasibility study for tsetse suppression on the Lake Victoria "
                    "islands.",
                    "UGA",
                    "food",
                    ("sterile_insect",),
                    ("2", "15"),
                    ConceptPlan(
                        title="Feasibility study for tsetse suppression on the Lake Victoria islands",
                        problem="Tsetse flies transmit trypanosomosis to cattle and people on the islands.",
                        objective="Decide whether an area-wide campaign can free the islands of tsetse.",
                        outputs="Baseline surveys; a population genetics study; a costed plan.",
                        activities="Entomological surveys in two seasons; genetic sampling; cost analysis.",
                        indicators="Apparent density of flies; cases of trypanosomosis in cattle.",
                        cost=310_000,
                        status=v.CONCEPT_CONVERTED,
                        organisation="Uganda Atomic Energy Council (demo)",
                    ),
                ),
            ),
            actions=(
                ActionPlan(
                    "Start the baseline entomological survey",
                    FOCAL_UGANDA,
                    -20,
                    v.ACTION_IN_PROGRESS,
                    ("Traps deployed on three islands.",),
                ),
                ActionPlan(
                    "Agree boat transport with the district offices",
                    "Uganda Atomic Energy Council (demo)",
                    40,
                    v.ACTION_OPEN,
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.VIRTUAL_SYMPOSIUM,
        title="Virtual symposium: tracing coastal pollution with isotopes in the Caribbean",
        about="Over three days of online sessions, marine laboratories of the Caribbean explain how "
        "isotopes and radiotracers reveal where nutrients and sediments that damage reefs come from.",
        starts_in_days=-235,
        weekday=1,
        days=3,
        host=None,
        city=None,
        zone="America/Jamaica",
        languages=("en", "es"),
        areas=("water",),
        techniques=("environmental_radiotracers", "marine_isotopes"),
        focus=(),
        size=22,
        capacity=250,
        pool=("JAM", "HTI", "CUB", "DOM"),
        partners=WATER_PARTNERS,
        recipient_share=0.75,
        start_hour=10,
        hours=2.0,
        agenda=(
            ("Reefs under pressure", "Shanice Campbell"),
            ("Nitrogen isotopes as a fingerprint of sewage", "Yanet Rodriguez"),
            ("Dating sediments with lead-210", "Rafael Peralta; Sarah Tremblay"),
        ),
        outcome=OutcomePlan(
            summary="Laboratories agreed to compare methods for nitrogen isotopes in seagrass and to share "
            "sediment cores.",
            challenges="Shipping samples between islands is slow and costly.",
            goals=("14",),
            recommendations=(
                RecommendationPlan(
                    "Jamaica should monitor nitrogen isotopes in seagrass near sewage outfalls.",
                    "JAM",
                    "water",
                    ("marine_isotopes",),
                    ("14",),
                ),
                RecommendationPlan(
                    "Marine laboratories should share sediment cores through a regional archive.",
                    None,
                    "water",
                    ("environmental_radiotracers",),
                    ("14", "17"),
                ),
            ),
            actions=(
                ActionPlan(
                    "Set up the regional sediment core archive",
                    "Blue Water Trust (demo)",
                    -10,
                    v.ACTION_OPEN,
                ),
                ActionPlan(
                    "Circulate a method comparison protocol",
                    EXPERT,
                    -150,
                    v.ACTION_DROPPED,
                    ("Dropped: an existing regional protocol will be used.",),
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.TRILATERAL_MEETING,
        title="Trilateral meeting on salt-tolerant rice for coastal Bangladesh",
        about="Bangladesh's nuclear agriculture institute, a donor and the technical agency plan the next "
        "phase of breeding and seed multiplication of salt-tolerant rice.",
        starts_in_days=-170,
        weekday=6,
        days=2,
        host="BGD",
        city="Dhaka",
        zone="Asia/Dhaka",
        languages=("en",),
        areas=("food",),
        techniques=("mutation_breeding",),
        focus=("BGD",),
        size=16,
        capacity=20,
        pool=("BGD",),
        partners=(
            "Pacific Rim Development Agency (demo)",
            "International Atomic Cooperation Agency (demo)",
            "Harvest Futures Foundation (demo)",
        ),
        targets=(("gender", "female", "at_least", 40), ("country_side", "recipient", "at_least", 50)),
        recipient_share=0.65,
        budget=7_000,
        fares=(300, 450),
        allowance=150,
        agenda=(
            ("Results of the first breeding phase", "Shahidul Islam"),
            ("Seed multiplication with farmer groups", "Farhana Akter"),
            ("Financing the next phase", "Hiroshi Watanabe; Kevin Brooks"),
        ),
        outcome=OutcomePlan(
            summary="Two mutant lines passed multi-location trials. The parties agreed to fund seed "
            "multiplication in three coastal districts.",
            challenges="Salinity varies strongly between seasons; seed storage facilities are lacking.",
            goals=("2", "13"),
            recommendations=(
                RecommendationPlan(
                    "Bangladesh should multiply seed of the two salt-tolerant lines with farmer groups in "
                    "three coastal districts.",
                    "BGD",
                    "food",
                    ("mutation_breeding",),
                    ("2", "13"),
                    ConceptPlan(
                        title="Seed multiplication of salt-tolerant rice in three coastal districts",
                        problem="Salinity makes rice fields unproductive for half the year in coastal areas.",
                        objective="Put salt-tolerant seed in the hands of 5,000 farmers within three years.",
                        outputs="Two varieties released; 40 farmer seed groups; seed stores built.",
                        activities="Variety release dossier; farmer field schools; storage construction.",
                        indicators="Farmers using the new seed; yield on saline fields.",
                        cost=760_000,
                        status=v.CONCEPT_CONVERTED,
                        organisation="Bangladesh Institute of Nuclear Agriculture (demo)",
                    ),
                ),
            ),
            actions=(
                ActionPlan(
                    "Submit the variety release dossier",
                    "Bangladesh Institute of Nuclear Agriculture (demo)",
                    -15,
                    v.ACTION_IN_PROGRESS,
                    ("Trial data compiled; dossier in review at the seed board.",),
                ),
                ActionPlan(
                    "Confirm co-financing for seed stores",
                    "Pacific Rim Development Agency (demo)",
                    30,
                    v.ACTION_OPEN,
                ),
            ),
        ),
    ),
    EventPlan(
        kind=v.REGIONAL_WORKSHOP,
        title="Regional workshop on sterile insect technique and phytosanitary irradiation for fruit exports",
        about="Plant protection and food safety authorities of Latin America and the Caribbean review "
        "the medfly programme, fruit fly-free areas and irradiation as a quarantine treatment for "
        "fresh fruit exports.",
        starts_in_days=-115,
        weekday=0,
        days=4,
        host="GTM",
        city="Guatemala City",
        zone="America/Guatemala",
        languages=("es", "en"),
        areas=("food",),
        techniques=("food_irradiation", "sterile_insect"),
        focus=("BOL", "GTM", "HND", "HTI", "PER", "PRY"),
        size=28,
        capacity=35,
        pool=("GTM", "HTI", "HND", "PER", "BOL", "PRY", "HTI", "MEX", "ARG"),
        partners=FOOD_PARTNERS,
        targets=(*BALANCED, ("country_group", "ldc", "at_least", 10)),
        budget=32_000,
        fares=(350, 1100),
        allowance=170,
        max_per_country=3,
        accounts=((EXPERT, v.ATTENDED),),
        agenda=(
            ("The medfly barrier: three decades of sterile insect releases", "Carlos Morales"),
            ("Fruit fly-free areas and trade", "Lucia Lopez; Alejandro Torres"),
            ("Irradiation as a phytosanitary treatment", "Mariana Costa"),
            ("Visit to a sterile fly production plant", "Jose Ramirez"),
            ("Country action plans", "Laura Benitez; Luis Mamani"),
        ),
        outcome=OutcomePlan(
            summary="Countries agreed on a regional approach to fruit fly-free areas and asked for "
            "feasibility studies of irradiation facilities close to export hubs.",
            challenges="Trading partners accept irradiation only under bilateral work plans.",
            goals=("2", "8"),
            recommendations=(
                RecommendationPlan(
                    "Guatemala should study an irradiation facility for fruit near its main export hub.",
                    "GTM",
                    "food",
                    ("food_irradiation",),
                    ("2", "8"),
                    ConceptPlan(
                        title="Feasibility of a phytosanitary irradiation facility for fresh fruit exports",
                        problem="Fruit exports are limited by quarantine treatments that damage the fruit.",
                        objective="Decide whether an irradiation facility would pay for itself.",
                        cost=180_000,
                        status=v.CONCEPT_DRAFT,
                    ),
                ),
                RecommendationPlan(
                    "Honduras should extend fruit fly trapping to its southern export valleys.",
                    "HND",
                    "food",
                    ("sterile_insect",),
                    ("2",),
                ),
                RecommendationPlan(
                    "Partners should support bilateral work plans for irradiated fruit.",
                    None,
                    "food",
                    ("food_irradiation",),
                    ("2", "17"),
                ),
            ),
            actions=(
                ActionPlan(
                    "Send the draft regional fruit fly-free area guidelines for comment",
                    FACILITATOR_EMAIL,
                    -60,
                    v.ACTION_OPEN,
                ),
                ActionPlan(
                    "Prepare terms of reference for the irradiation feasibility study",
                    "Atlantic Development Fund (demo)",
                    20,
                    v.ACTION_IN_PROGRESS,
                    ("Draft terms shared with Guatemala's plant protection service.",),
                ),
                ActionPlan(
                    "Hold a virtual follow-up with the country teams",
                    "Harvest Futures Foundation (demo)",
                    -5,
                    v.ACTION_DROPPED,
                    ("Dropped: merged into the next regional coordination call.",),
                ),
            ),
        ),
    ),
    # --- Upcoming ---------------------------------------------------------------------------------
    EventPlan(
        kind=v.SIDE_EVENT,
        title="Side event: isotopes for ocean and coastal health in the Pacific",
        about="On the margins of a regional ocean conference, Pacific island states present their ocean "
        "acidification and coastal pollution monitoring, and partners their support.",
        starts_in_days=35,
        weekday=2,
        days=0,
        host="FJI",
        city="Suva",
        zone="Pacific/Fiji",
        languages=("en",),
        areas=("water",),
        techniques=("marine_isotopes",),
        focus=("FJI", "PNG", "WSM"),
        size=18,
        capacity=60,
        pool=("FJI", "PNG", "WSM"),
        partners=WATER_PARTNERS,
        targets=(
            ("gender", "female", "at_least", 40),
            ("country_side", "recipient", "at_least", 60),
            ("country_group", "sids", "at_least", 40),
        ),
        budget=10_000,
        fares=(400, 1400),
        allowance=210,
        start_hour=14,
        hours=2.5,
        agenda=(
            ("Welcome", "Mere Vuniwai"),
            ("Ocean acidification in Pacific lagoons", "Tavita Leota"),
            ("Monitoring coastal pollution with isotopes", "John Tamarua; Emma Berg"),
        ),
    ),
    EventPlan(
        kind=v.CONFERENCE,
        title="Conference on nuclear medicine and cancer diagnosis in West Africa",
        about="A regional conference: nuclear medicine physicians, radiopharmacists and regulators of West "
        "and Central Africa plan how to bring imaging for cancer diagnosis and staging to more patients.",
        starts_in_days=65,
        weekday=0,
        days=5,
        host="GHA",
        city="Accra",
        zone="Africa/Accra",
        languages=("en", "fr"),
        areas=("health",),
        techniques=("nuclear_medicine", "pet_ct"),
        focus=("CMR", "GHA", "NER", "NGA", "SEN"),
        size=32,
        capacity=40,
        pool=("GHA", "SEN", "NER", "NGA", "SEN", "CMR", "NER"),
        partners=HEALTH_PARTNERS,
        targets=(*BALANCED, ("country_group", "ldc", "at_least", 20), ("region", "002", "at_least", 50)),
        budget=40_000,
        fares=(350, 1200),
        allowance=230,
        max_per_country=4,
        accounts=((COUNTERPART_KENYA, v.CONFIRMED),),
        agenda=(
            ("Nuclear medicine services in the region", "Kwame Boateng"),
            ("Radiopharmacy and the supply of isotopes", "Ngozi Okafor; Julien Martin"),
            ("PET-CT: when it is worth it", "Awa Diop"),
            ("Regulation of nuclear medicine departments", "Serge Mbarga"),
            ("Sharing experience from East Africa", "Daniel Otieno"),
            ("Country plans and partners' support", "Kenji Sato"),
        ),
    ),
    EventPlan(
        kind=v.TRILATERAL_MEETING,
        title="Trilateral meeting on radiotherapy services in Uganda",
        about="Uganda's cancer institute and regulator, a donor and the technical agency agree on the "
        "timeline for a second radiotherapy centre and the training of its staff.",
        starts_in_days=105,
        weekday=1,
        days=2,
        host="UGA",
        city="Kampala",
        zone="Africa/Kampala",
        languages=("en",),
        areas=("health",),
        techniques=("medical_physics", "radiotherapy"),
        focus=("UGA",),
        size=15,
        capacity=20,
        pool=("UGA",),
        partners=(
            "Global Cancer Access Foundation (demo)",
            "International Atomic Cooperation Agency (demo)",
            "Nordic Development Cooperation Agency (demo)",
        ),
        targets=(
            ("gender", "female", "at_least", 40),
            ("country_side", "recipient", "at_least", 50),
            ("country_group", "ldc", "at_least", 30),
        ),
        recipient_share=0.65,
        budget=6_000,
        fares=(300, 600),
        allowance=170,
        accounts=((FOCAL_UGANDA, v.ENDORSED), (COUNTERPART_KENYA, v.NOMINATED)),
        agenda=(
            ("Progress of the cancer control programme", "Ruth Nakato"),
            ("The second radiotherapy centre: site and timeline", "Patrick Ssempala"),
            ("Staff training and the medical physics residency", "Harriet Namubiru; Anna Favre"),
            ("Agreements and next steps", "Sofia Lindqvist"),
        ),
    ),
)


# --- Who acts ---------------------------------------------------------------------------------------


@dataclass
class _Cast:
    facilitator: Actor
    actors: dict[str, Actor]  # by email
    users: dict[str, User]  # by email
    organisations: dict[str, Organisation]  # by name
    organisation_actors: dict[int, Actor]  # an account that speaks for an organisation

    @classmethod
    def build(cls, session: Session) -> _Cast:
        users: dict[str, User] = {}
        for email in (
            FACILITATOR_EMAIL,
            FOCAL_KENYA,
            FOCAL_UGANDA,
            COUNTERPART_KENYA,
            DONOR,
            PROGRAMME_OFFICER,
            EXPERT,
        ):
            user = accounts_repository.get_user_by_email(session, email)
            if user is None:
                raise LookupError(f"the demo account {email} is missing; load the demo people first")
            users[email] = user
        actors = {email: actor_for(user) for email, user in users.items()}
        names = {name for name in PARTNER_HOMES} | {
            name for names in HOME_ORGANISATIONS.values() for name in names
        }
        for plan in EVENTS:
            names.update(plan.partners)
        organisations: dict[str, Organisation] = {}
        for name in sorted(names):
            organisation = accounts_repository.get_organisation_by_name(session, name)
            if organisation is None:
                raise LookupError(f"the demo organisation {name} is missing")
            organisations[name] = organisation
        organisation_actors = {
            user.organisation_id: actors[email]
            for email, user in users.items()
            if user.organisation_id is not None
        }
        # The facilitator's work is done by the demo loader, as in ``pux.demo``.
        return cls(Actor.system("demo-loader"), actors, users, organisations, organisation_actors)

    def focal_point(self, country: str | None) -> Actor | None:
        return {"KEN": self.actors[FOCAL_KENYA], "UGA": self.actors[FOCAL_UGANDA]}.get(country or "")

    def refiner(self, country: str) -> Actor:
        """Who shapes a country's concept notes and turns them into needs."""
        return {"KEN": self.actors[COUNTERPART_KENYA], "UGA": self.actors[FOCAL_UGANDA]}.get(
            country, self.facilitator
        )


# --- Invented people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    full_name: str
    email: str
    gender: str | None
    country: str
    stakeholder_type: str | None
    organisation_id: int | None


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == "-").strip("-")


class _People:
    """Invented people, kept per country so that some of them come back to later events."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.by_country: dict[str, list[_Person]] = {}
        self.count = 0

    def person(
        self,
        country: str,
        *,
        gender: str | None,
        stakeholder_type: str | None,
        organisation_id: int | None,
        taken: set[str],
    ) -> _Person:
        known = [
            p
            for p in self.by_country.get(country, [])
            if p.email not in taken
            and p.organisation_id == organisation_id
            and (organisation_id is not None or p.stakeholder_type == stakeholder_type)
            and p.gender == gender
        ]
        if known and self.rng.random() < 0.4:
            return self.rng.choice(known)
        women, men, families = (part.split() for part in NAMES[country].split("|"))
        first = self.rng.choice(women if gender == "female" else men)
        family = self.rng.choice(families)
        if gender == "female" and country in FEMININE_ENDING:
            family += "a"
        self.count += 1
        person = _Person(
            full_name=f"{first} {family}",
            email=f"{_ascii(first)}.{_ascii(family)}.{self.count}@{EMAIL_DOMAIN}",
            gender=gender,
            country=country,
            stakeholder_type=stakeholder_type,
            organisation_id=organisation_id,
        )
        self.by_country.setdefault(country, []).append(person)
        return person


# --- Loading ----------------------------------------------------------------------------------------


def load_dialogue_history(session: Session, *, rng: random.Random, today: date) -> DialogueSummary:
    """Write the illustrative dialogue history through the dialogue services; returns what was written."""
    cast = _Cast.build(session)
    people = _People(rng)
    summary = DialogueSummary()
    facts = service.country_facts(session)
    for plan in EVENTS:
        _load_event(session, cast, people, facts, plan, rng, today, summary)
    return summary


def _event_days(plan: EventPlan, today: date) -> tuple[datetime, datetime]:
    day = today + timedelta(days=plan.starts_in_days)
    day += timedelta(days=(plan.weekday - day.weekday()) % 7)
    if plan.days == 0:
        starts = datetime.combine(day, time(plan.start_hour))
        return starts, starts + timedelta(hours=plan.hours)
    return datetime.combine(day, time(9)), datetime.combine(day + timedelta(days=plan.days - 1), time(17))


def _load_event(
    session: Session,
    cast: _Cast,
    people: _People,
    facts: service.CountryFacts,
    plan: EventPlan,
    rng: random.Random,
    today: date,
    summary: DialogueSummary,
) -> None:
    facilitator = cast.facilitator
    starts, ends = _event_days(plan, today)
    past = starts.date() < today
    data = EventCreate(
        kind=plan.kind,
        title=plan.title,
        description=f"{plan.about}\n\n{DEMO_EVENT_NOTE}",
        is_public=plan.is_public,
        host_country_iso3=plan.host,
        city=plan.city,
        is_online=plan.host is None,
        starts_at=starts,
        ends_at=ends,
        time_zone=plan.zone,
        working_languages=list(plan.languages),
        capacity=plan.capacity,
        thematic_area_codes=list(plan.areas),
        technique_codes=list(plan.techniques),
        focus_country_codes=list(plan.focus),
        travel_budget=Decimal(plan.budget) if plan.budget is not None else None,
        budget_currency=plan.currency,
        max_supported_per_country=plan.max_per_country,
    )
    # The capacity is set once the list is drawn up: the service recounts the whole list on every
    # addition to an event with a capacity, which would make loading the demo slow.
    event = service.create_event(session, actor=facilitator, data=data.model_copy(update={"capacity": None}))
    summary.events += 1
    summary.event_ids.append(event.id)
    if past:
        summary.past_events += 1
    else:
        summary.upcoming_events += 1
    for (title, speakers), (session_start, session_end) in zip(
        plan.agenda, _slots(plan, starts, len(plan.agenda)), strict=True
    ):
        service.add_session(
            session,
            actor=facilitator,
            event_id=event.id,
            data=SessionFields(
                starts_at=session_start,
                ends_at=session_end,
                title=title,
                speakers=speakers,
                language=plan.languages[0],
            ),
        )
        summary.sessions += 1
    for dimension, category, bound, share in plan.targets:
        service.add_target(
            session,
            actor=facilitator,
            event_id=event.id,
            data=TargetFields(
                dimension=dimension,
                category=category,
                bound=bound,
                share_percent=Decimal(str(share)),
            ),
        )
    listed = _list_participants(session, cast, people, facts, plan, event, rng, past)
    summary.participants += len(listed)
    event = service.update_event(
        session,
        actor=facilitator,
        event_id=event.id,
        data=EventUpdate(**data.model_dump(), version=event.version),
    )
    applications: list[TravelApplication] = []
    if plan.budget is not None:
        applications = _apply_for_travel(session, cast, plan, event, listed, facts, rng, starts)
        summary.travel_applications += len(applications)
        service.run_fund(session, actor=facilitator, event_id=event.id)
        if plan.override:
            _override_one(session, cast, event, applications)
        summary.travel_grants += sum(1 for a in applications if a.grant is not None and a.grant.amount > 0)
    if past:
        _record_attendance(session, cast, listed, rng)
        if plan.budget is not None:
            _record_payments(session, cast, applications, rng, starts, summary)
        if plan.outcome is not None:
            _record_outcome(session, cast, plan, event, plan.outcome, today, summary)


def _slots(plan: EventPlan, starts: datetime, count: int) -> list[tuple[datetime, datetime]]:
    """Times for ``count`` agenda items: spread over the days of a long event, back to back in a short one."""
    if plan.days == 0:
        length = timedelta(minutes=int(plan.hours * 60) // count)
        return [(starts + length * i, starts + length * (i + 1)) for i in range(count)]
    day_slots = ((time(9, 30), time(11)), (time(11, 30), time(13)), (time(14, 30), time(16, 30)))
    slots = [
        (
            datetime.combine(starts.date() + timedelta(days=d), a),
            datetime.combine(starts.date() + timedelta(days=d), b),
        )
        for d in range(plan.days)
        for a, b in day_slots
    ]
    return [slots[(i * len(slots)) // count] for i in range(count)]


@dataclass
class _Listed:
    participant: Participant
    fate: str  # the status the person ends in
    recipient: bool
    account: str | None = None  # the demo account's email, when it is one


def _list_participants(
    session: Session,
    cast: _Cast,
    people: _People,
    facts: service.CountryFacts,
    plan: EventPlan,
    event: DialogueEvent,
    rng: random.Random,
    past: bool,
) -> list[_Listed]:
    listed: list[_Listed] = []
    taken: set[str] = set()
    for email, fate in plan.accounts:
        country, kind = ACCOUNT_DETAILS[email]
        user = cast.users[email]
        data = ParticipantFields(user_id=user.id, country_iso3=country, stakeholder_type=kind)
        adder = cast.focal_point(country) if email in (FOCAL_KENYA, FOCAL_UGANDA) else None
        if email == COUNTERPART_KENYA:
            adder = cast.focal_point("KEN")
        participant = service.add_participant(
            session, actor=adder or cast.facilitator, event_id=event.id, data=data
        )
        taken.add(participant.email)
        listed.append(_Listed(participant, fate, service.is_recipient(participant, facts), email))
    remaining = plan.size - len(listed)
    recipients = round(remaining * plan.recipient_share)
    area = plan.areas[0]
    kinds = list(RECIPIENT_TYPES[area])
    rng.shuffle(kinds)
    # The facilitator invites with the balance in mind: the share of women is drawn up front.
    women = round(remaining * plan.women_share)
    genders: list[str | None] = [*(["female"] * women), *(["male"] * (remaining - women))]
    rng.shuffle(genders)
    genders = [None if g == "male" and rng.random() < 0.06 else g for g in genders]
    for index in range(remaining):
        if index < recipients:
            country = plan.pool[index % len(plan.pool)] if index < len(plan.pool) else rng.choice(plan.pool)
            homes = HOME_ORGANISATIONS.get(country, ())
            organisation = cast.organisations[rng.choice(homes)] if homes and rng.random() < 0.35 else None
            kind = None if organisation else kinds[index % len(kinds)]
        else:
            organisation = cast.organisations[plan.partners[index % len(plan.partners)]]
            country = organisation.country_iso3 or rng.choice(PARTNER_HOMES[organisation.name])
            kind = None
        person = people.person(
            country,
            gender=genders[index],
            stakeholder_type=kind,
            organisation_id=organisation.id if organisation else None,
            taken=taken,
        )
        taken.add(person.email)
        focal = cast.focal_point(person.country)
        adder = focal if focal is not None and (plan.is_public or person.country in plan.focus) else None
        participant = service.add_participant(
            session,
            actor=adder or cast.facilitator,
            event_id=event.id,
            data=ParticipantFields(
                full_name=person.full_name,
                email=person.email,
                organisation_id=person.organisation_id,
                stakeholder_type=person.stakeholder_type,
                country_iso3=person.country,
                gender=person.gender,
            ),
        )
        recipient = service.is_recipient(participant, facts)
        listed.append(_Listed(participant, _fate(rng, recipient, past, adder is not None), recipient))
    for item in listed:
        _advance_before_event(session, cast, item, past, rng)
    return listed


def _fate(rng: random.Random, recipient: bool, past: bool, nominated: bool) -> str:
    if past:
        weights = (82, 10, 8) if recipient else (88, 8, 4)
        return rng.choices((v.ATTENDED, v.DECLINED, v.NO_SHOW), weights=weights)[0]
    if not recipient:
        return rng.choices((v.INVITED, v.CONFIRMED, v.DECLINED), weights=(35, 60, 5))[0]
    fate = rng.choices(
        (v.INVITED, v.NOMINATED, v.ENDORSED, v.CONFIRMED, v.DECLINED), weights=(20, 20, 25, 30, 5)
    )[0]
    return v.NOMINATED if fate == v.INVITED and nominated else fate


CHAIN = (v.INVITED, v.NOMINATED, v.ENDORSED, v.CONFIRMED)


def _move(
    session: Session, actor: Actor, participant: Participant, target: str, comment: str | None = None
) -> None:
    service.move_participant(
        session,
        actor=actor,
        participant_id=participant.id,
        target=target,
        version=participant.version,
        comment=comment,
    )


def _chain_actor(cast: _Cast, item: _Listed, target: str) -> Actor:
    """The focal point nominates and endorses their country's people; the facilitator confirms."""
    focal = cast.focal_point(item.participant.country_iso3)
    if target in (v.NOMINATED, v.ENDORSED) and focal is not None:
        return focal
    return cast.facilitator


def _advance_before_event(
    session: Session, cast: _Cast, item: _Listed, past: bool, rng: random.Random
) -> None:
    """Move a person along the chain as far as they got before the event (past events: confirmed, unless
    they declined on the way; some decline only after the fund decided)."""
    participant = item.participant
    if item.fate == v.DECLINED:
        stop = rng.choice(CHAIN[CHAIN.index(participant.status) :]) if item.recipient else participant.status
        if past and stop == v.CONFIRMED:
            item.fate = "late_decline"
    elif item.fate in CHAIN:
        stop = item.fate
    else:
        stop = v.CONFIRMED
    if item.fate == "late_decline":
        stop = v.CONFIRMED
    if not item.recipient and stop in (v.NOMINATED, v.ENDORSED):
        stop = v.INVITED
    # Most invitations are endorsed by the focal point straight away; some are nominated first.
    direct = rng.random() < 0.75
    while CHAIN.index(participant.status) < CHAIN.index(stop):
        target = CHAIN[CHAIN.index(participant.status) + 1]
        if participant.status == v.INVITED and not item.recipient:
            target = v.CONFIRMED  # partners need no endorsement
        elif participant.status == v.INVITED and direct and stop != v.NOMINATED:
            target = v.ENDORSED
        _move(session, _chain_actor(cast, item, target), participant, target)
    if item.fate == v.DECLINED:
        _decline(session, cast, item, rng)


def _decline(session: Session, cast: _Cast, item: _Listed, rng: random.Random) -> None:
    if item.account is not None:
        actor = cast.actors[item.account]
    else:
        actor = cast.focal_point(item.participant.country_iso3) or cast.facilitator
    _move(session, actor, item.participant, v.DECLINED, rng.choice(DECLINE_REASONS))


def _apply_for_travel(
    session: Session,
    cast: _Cast,
    plan: EventPlan,
    event: DialogueEvent,
    listed: list[_Listed],
    facts: service.CountryFacts,
    rng: random.Random,
    starts: datetime,
) -> list[TravelApplication]:
    """Applications from 30–60% of the recipient-side people (those still expected)."""
    recipients = [item for item in listed if item.recipient]
    expected = [item for item in recipients if item.participant.status in v.FUNDABLE_STATUSES]
    wanted = min(len(expected), max(1, round(len(recipients) * rng.uniform(0.3, 0.6))))
    # People who travel from abroad ask first; accounts apply for themselves.
    expected.sort(key=lambda item: (item.participant.country_iso3 == plan.host, rng.random()))
    nights = max(2, min(6, plan.days + 1))
    applications = []
    for item in expected[:wanted]:
        participant = item.participant
        domestic = participant.country_iso3 == plan.host
        fare = (
            rng.randint(30, 45) * 10
            if domestic
            else rng.randint(plan.fares[0] // 10, plan.fares[1] // 10) * 10
        )
        actor = cast.actors[item.account] if item.account else cast.facilitator
        application = service.apply_for_travel(
            session,
            actor=actor,
            participant_id=participant.id,
            data=TravelApplicationFields(
                fare=Decimal(min(2500, max(300, fare))),
                daily_allowance=Decimal(min(300, max(120, plan.allowance + rng.randint(-3, 3) * 10))),
                nights=nights,
                reason=rng.choice(TRAVEL_REASONS),
            ),
        )
        applications.append(application)
    return applications


def _override_one(
    session: Session, cast: _Cast, event: DialogueEvent, applications: Sequence[TravelApplication]
) -> None:
    """The facilitator supports one person the fund left out (within what is left of the budget), or
    else trims one award; the reason is recorded."""
    budget = event.travel_budget or Decimal(0)
    awarded = sum((a.grant.amount for a in applications if a.grant is not None), Decimal(0))
    left = budget - awarded
    refused = sorted(
        (a for a in applications if a.grant is not None and a.grant.amount == 0 and a.requested <= left),
        key=lambda a: a.requested,
    )
    if refused:
        chosen, amount = refused[0], refused[0].requested
        reason = (
            "Speaker in the brachytherapy session; her ministry withdrew its travel support at short notice."
        )
    else:
        supported = [a for a in applications if a.grant is not None and a.grant.amount > 0]
        if not supported:
            return
        chosen = max(supported, key=lambda a: a.requested)
        amount = (chosen.fare + chosen.daily_allowance * max(0, chosen.nights - 1)).quantize(Decimal("0.01"))
        reason = "Arrives a day later than planned: one night's allowance less than the fund awarded."
    grant = chosen.grant
    service.override_grant(
        session,
        actor=cast.facilitator,
        application_id=chosen.id,
        data=GrantOverride(amount=amount, reason=reason, version=grant.version if grant else 0),
    )


def _record_attendance(session: Session, cast: _Cast, listed: list[_Listed], rng: random.Random) -> None:
    for item in listed:
        participant = item.participant
        if item.fate == "late_decline":
            _decline(session, cast, item, rng)
        elif participant.status == v.CONFIRMED and item.fate in (v.ATTENDED, v.NO_SHOW):
            comment = "Did not arrive; no message received." if item.fate == v.NO_SHOW else None
            _move(session, cast.facilitator, participant, item.fate, comment)


def _record_payments(
    session: Session,
    cast: _Cast,
    applications: Sequence[TravelApplication],
    rng: random.Random,
    starts: datetime,
    summary: DialogueSummary,
) -> None:
    """Payments to the supported people who came: most with receipts, some still missing one, and one paid
    less than awarded (the person left early) in the whole history."""
    for application in applications:
        grant = application.grant
        if grant is None or grant.amount <= 0 or application.participant.status != v.ATTENDED:
            continue
        amount = grant.amount
        note = "Paid by bank transfer before travel."
        if not summary.short_payments and application.nights > 2 and rng.random() < 0.3:
            amount = grant.amount - application.daily_allowance
            note = "Left one day early: one night's allowance not paid."
            summary.short_payments += 1
        receipt = None if rng.random() < 0.15 else amount
        if receipt is None:
            note += " Boarding passes and hotel receipt still missing."
        service.record_disbursement(
            session,
            actor=cast.facilitator,
            grant_id=grant.id,
            data=DisbursementFields(
                amount=amount,
                paid_on=starts.date() - timedelta(days=rng.randint(5, 14)),
                receipt_amount=receipt,
                note=note,
            ),
        )
        summary.disbursements += 1


def _record_outcome(
    session: Session,
    cast: _Cast,
    plan: EventPlan,
    event: DialogueEvent,
    outcome: OutcomePlan,
    today: date,
    summary: DialogueSummary,
) -> None:
    facilitator = cast.facilitator
    service.save_outcome(
        session,
        actor=facilitator,
        event_id=event.id,
        data=OutcomeFields(
            summary=f"{outcome.summary}\n\n{DEMO_EVENT_NOTE}",
            challenges=outcome.challenges,
            language="en",
            thematic_area_codes=list(plan.areas),
            technique_codes=list(plan.techniques),
            sdg_goal_codes=list(outcome.goals),
        ),
    )
    summary.outcomes += 1
    for recommendation_plan in outcome.recommendations:
        recommendation = service.add_recommendation(
            session,
            actor=facilitator,
            event_id=event.id,
            data=RecommendationFields(
                text=recommendation_plan.text,
                country_iso3=recommendation_plan.country,
                thematic_area_code=recommendation_plan.area,
                technique_codes=list(recommendation_plan.techniques),
                sdg_goal_codes=list(recommendation_plan.goals),
            ),
        )
        summary.recommendations += 1
        concept = recommendation_plan.concept
        if concept is not None and recommendation_plan.country is not None:
            converted = _concept_note(session, cast, recommendation.id, recommendation_plan, concept)
            summary.concept_notes += 1
            summary.needs_from_concept_notes += int(converted)
    for action_plan in outcome.actions:
        _action(session, cast, event, action_plan, today)
        summary.actions += 1


def _concept_note(
    session: Session, cast: _Cast, recommendation_id: int, plan: RecommendationPlan, concept: ConceptPlan
) -> bool:
    """The facilitator opens the note; the country's counterpart (or the facilitator) completes it and,
    when it is ready, converts it into a need."""
    country = plan.country or ""
    organisation = cast.organisations[concept.organisation].id if concept.organisation else None
    fields = {
        "title": concept.title,
        "thematic_area_code": plan.area,
        "technique_codes": list(plan.techniques),
        "counterpart_organisation_id": organisation,
        "estimated_cost": Decimal(concept.cost) if concept.cost is not None else None,
        "currency": "USD",
    }
    note = service.create_concept_note(
        session,
        actor=cast.facilitator,
        recommendation_id=recommendation_id,
        data=ConceptNoteCreate(
            country_iso3=country,
            problem=f"{DEMO_NEED_NOTE}\n{concept.problem}",
            objective=concept.objective,
            **fields,
        ),
    )
    if concept.status == v.CONCEPT_DRAFT:
        return False
    refiner = cast.refiner(country)
    note = service.update_concept_note(
        session,
        actor=refiner,
        note_id=note.id,
        data=ConceptNoteUpdate(
            problem=f"{DEMO_NEED_NOTE}\n{concept.problem}",
            objective=concept.objective,
            outputs=concept.outputs,
            activities=concept.activities,
            indicators=concept.indicators,
            assumptions=concept.assumptions,
            version=note.version,
            **fields,
        ),
    )
    if concept.status != v.CONCEPT_CONVERTED:
        return False
    service.convert_concept_note(session, actor=refiner, note_id=note.id, version=note.version)
    return True


def _action(session: Session, cast: _Cast, event: DialogueEvent, plan: ActionPlan, today: date) -> None:
    owner_user = cast.users.get(plan.owner)
    owner_organisation = None if owner_user else cast.organisations[plan.owner]
    action = service.create_action(
        session,
        actor=cast.facilitator,
        event_id=event.id,
        data=ActionFields(
            title=plan.title,
            owner_user_id=owner_user.id if owner_user else None,
            owner_organisation_id=owner_organisation.id if owner_organisation else None,
            due_on=today + timedelta(days=plan.due_in_days),
        ),
    )
    if owner_user is not None:
        reporter = cast.actors[plan.owner]
    else:
        assert owner_organisation is not None
        reporter = cast.organisation_actors.get(owner_organisation.id, cast.facilitator)
    steps: list[str]
    if plan.status == v.ACTION_DONE:
        steps = [v.ACTION_IN_PROGRESS, v.ACTION_DONE]
    elif plan.status == v.ACTION_OPEN:
        steps = [v.ACTION_OPEN] * len(plan.notes)
    else:
        steps = [plan.status]
    notes = list(plan.notes) + [""] * (len(steps) - len(plan.notes))
    for status, note in zip(steps, notes, strict=True):
        action = service.progress_action(
            session,
            actor=reporter,
            action_id=action.id,
            data=ActionProgress(status=status, note=note, version=action.version),
        )
