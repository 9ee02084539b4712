#!/usr/bin/env python3
"""Build the labelled SDG development / holdout sets for the PUX SDG tagger.

All texts below were written originally for the PUX project (they are not
taken from any public SDG benchmark).  Each entry is

    (language, positive_goals, negative_goals, text)

and produces one CSV row per goal: label True for every goal the text
directly addresses, label False for the listed "hard negative" goals (goals
that are topically close but that the text does not address).  Goals not
listed for a text are simply not annotated for it.

Run:  python tests/data/sdg/build_dev_set.py
It rewrites dev.csv and holdout.csv next to this script deterministically,
prints a summary and checks the structural requirements.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------
# DEVELOPMENT SET
# ---------------------------------------------------------------------------
DEV = [
    # ----------------------------------------------------------- SDG 1 ----
    (
        "en",
        (1,),
        (8,),
        "The expanded child grant now reaches 2.3 million households in the poorest "
        "districts, paying a monthly transfer to the caregivers of children under five. "
        "An impact evaluation found that the share of recipient families living below "
        "the national poverty line fell by eleven percentage points within two years, "
        "and the ministry intends to index the benefit to inflation so that its value "
        "is not eroded.",
    ),
    (
        "en",
        (1,),
        (2,),
        "Nearly one in three rural households in the province has no formal document "
        "for the land it occupies, which leaves poor families unable to use their plots "
        "as collateral or to resist eviction. The land administration programme will "
        "survey parcels and issue ownership certificates free of charge to households "
        "below the poverty line, with the goal of securing tenure for 180,000 families "
        "by 2027.",
    ),
    (
        "en",
        (1, 13),
        (8, 14),
        "After three consecutive cyclone seasons wiped out the savings of fishing and "
        "farming families, the government redesigned its safety net so that cash "
        "payments scale up automatically when early-warning triggers for extreme "
        "weather are reached. The mechanism targets the poorest households, who lose "
        "the most in climate-related disasters and are least able to recover without "
        "selling livestock or pulling children out of school.",
    ),
    (
        "en",
        (1,),
        (17,),
        "The statistics office has published the country's first multidimensional "
        "poverty index, combining deprivations in schooling, health, housing, drinking "
        "water and electricity. It shows that 38 percent of people are "
        "multidimensionally poor, far more than the 21 percent counted by income "
        "alone. Line ministries will use the district-level results to direct "
        "anti-poverty spending to the places where deprivations overlap most.",
    ),
    (
        "en",
        (1,),
        (8,),
        "Only a quarter of people above retirement age receive any pension, and most "
        "of them are former civil servants. The new universal social pension pays a "
        "flat monthly amount to every resident aged 70 and over, financed from general "
        "taxation. Early monitoring suggests that poverty among older people living "
        "alone has dropped sharply, and that grandparents are sharing the benefit with "
        "the grandchildren they care for.",
    ),
    (
        "en",
        (1,),
        (8,),
        "The graduation programme gives ultra-poor households a productive asset such "
        "as goats or a small shop inventory, a consumption stipend for twelve months, "
        "access to a savings group and weekly coaching visits. Seven years after "
        "enrolment, participants' consumption remained 15 percent higher than in the "
        "comparison group, suggesting that a one-off push can move families "
        "permanently out of extreme poverty.",
    ),
    (
        "en",
        (1,),
        (17,),
        "The finance ministry's medium-term budget ring-fences the equivalent of 2.1 "
        "percent of GDP for pro-poor programmes, including cash transfers, fee "
        "waivers and public works for households in the lowest income decile. A "
        "tracking system tags every budget line that benefits the poor, so that "
        "parliament can check whether allocations to poverty reduction are protected "
        "when revenues fall short.",
    ),
    (
        "en",
        (1,),
        (2,),
        "Index-based livestock insurance now covers 40,000 pastoralist households in "
        "the arid north. When satellite data show that pasture has fallen below a "
        "threshold, payouts arrive before animals die, so families do not have to "
        "sell their herds at distress prices. The premium is fully subsidised for the "
        "poorest herders, who previously lost everything in a single bad season.",
    ),
    (
        "en",
        (1,),
        (8,),
        "According to the latest household survey, the share of the population living "
        "on less than $2.15 a day fell from 18 to 9 percent over the decade. Most of "
        "the decline came from higher farm wages and remittances, but extreme poverty "
        "remains concentrated in remote upland villages, where more than a third of "
        "residents still cannot meet basic consumption needs.",
    ),
    (
        "en",
        (1,),
        (16,),
        "The unified social registry now holds socio-economic data on 62 percent of "
        "households. By using one eligibility score, the government can enrol poor "
        "families in cash transfers, health fee exemptions and school grants at the "
        "same time instead of asking them to apply separately for each programme. "
        "Registry teams visit remote communities so that the poorest are not left out "
        "for lack of documents or transport.",
    ),
    (
        "en",
        (1,),
        (8,),
        "Five fragmented assistance schemes will be merged into a single guaranteed "
        "minimum income, topping up the earnings of any household whose income is "
        "below a basic threshold. For the first time, the families of informal "
        "workers and seasonal labourers will be covered. Analysts estimate that the "
        "reform could reduce the national poverty rate by three points at a cost of "
        "0.6 percent of GDP.",
    ),
    (
        "zh",
        (1,),
        (10,),
        "为巩固脱贫攻坚成果，该省建立了防止返贫动态监测机制，对脱贫不稳定户和边缘易致贫户"
        "每季度进行走访排查。一旦发现因病、因灾或因失业导致收入骤降的家庭，村干部须在十五天内"
        "上报并落实帮扶措施，包括临时救助、产业补贴和公益岗位。去年全省共识别监测对象三万余户，"
        "其中九成以上已消除返贫风险。",
    ),
    # ----------------------------------------------------------- SDG 2 ----
    (
        "en",
        (2,),
        (15, 17),
        "Weekly aerial releases of sterile male Mediterranean fruit flies over 20,000 "
        "hectares of citrus and mango orchards have pushed infestation below the "
        "level tolerated by importing countries. Growers have cut insecticide "
        "applications by two thirds, and packing houses report that fruit rejected "
        "for larvae has almost disappeared, raising the income that smallholder "
        "orchard owners earn per hectare.",
    ),
    (
        "en",
        (2,),
        (3, 15),
        "Using the sterile insect technique, the veterinary services removed an "
        "isolated tsetse fly population from a 1,000 square kilometre coastal zone. "
        "With animal trypanosomosis gone, farmers are replacing low-yielding "
        "trypanotolerant breeds with improved dairy and beef cattle, and milk "
        "deliveries to local cooperatives have tripled. Livestock keepers also save "
        "the money they previously spent on trypanocidal drugs.",
    ),
    (
        "en",
        (2,),
        (3, 15),
        "The New World screwworm has spread again through Central America, with "
        "thousands of infested cattle reported this year and sporadic cases in pets "
        "and people. Millions of sterile flies produced at the regional plant are "
        "being dispersed along the advancing front, while animal health inspectors "
        "treat wounds and control cattle movements to protect livestock herds and "
        "ranchers' livelihoods.",
    ),
    (
        "en",
        (2, 13),
        (15,),
        "Plant breeders irradiated seeds of a popular sorghum variety with gamma rays "
        "and screened the progeny under managed drought. Three mutant lines yield 25 "
        "to 30 percent more grain when rains fail and mature two weeks earlier, "
        "helping farmers cope with the shorter and more erratic rainy seasons "
        "projected for the region. The lines are now in national variety trials.",
    ),
    (
        "en",
        (2,),
        (13,),
        "A barley mutant developed through induced mutagenesis combines resistance to "
        "leaf rust with a 12 percent higher yield than the parent variety. Released "
        "last year, it has been adopted on 35,000 hectares of highland farms, where "
        "barley is both a staple food and an important source of household income. "
        "Seed multiplication by farmer cooperatives aims to meet growing demand.",
    ),
    (
        "en",
        (2,),
        (15,),
        "Field trials with fertilizer labelled with nitrogen-15 showed that maize "
        "plants recovered only 30 percent of the nitrogen applied at planting. "
        "Splitting the dose and placing it close to the roots raised fertilizer "
        "recovery to 55 percent and increased grain yields by 18 percent, allowing "
        "smallholders to harvest more food from the same input budget.",
    ),
    (
        "en",
        (2, 3),
        (5,),
        "The deuterium oxide dose-to-mother technique was used to measure how much "
        "breast milk 300 infants actually consumed. Although most mothers reported "
        "exclusive breastfeeding, only 45 percent of infants received no other fluids "
        "at four months. The findings are being used to strengthen breastfeeding "
        "counselling in primary health centres to prevent early growth faltering and "
        "infant illness.",
    ),
    (
        "en",
        (2,),
        (6,),
        "Cosmic-ray neutron sensors installed in wheat fields give a continuous "
        "estimate of soil moisture over several hectares. Farmers who scheduled "
        "irrigation based on the readings obtained yields 14 percent higher than "
        "neighbours who irrigated on a fixed calendar, mainly because water stress "
        "at flowering was avoided. Extension officers plan to share the data through "
        "a mobile advisory service.",
    ),
    (
        "en",
        (2,),
        (3,),
        "Stunting among children under five in the target districts fell from 38 to 29 "
        "percent over five years. The nutrition programme combined micronutrient "
        "powders, counselling on complementary feeding from six months, growth "
        "monitoring and support for home gardens producing vegetables and eggs. "
        "Wasting, however, remains above emergency thresholds during the lean season.",
    ),
    (
        "en",
        (2,),
        (1, 9),
        "Cassava farmers who received planting advice and disease alerts by text "
        "message harvested almost twice as much per hectare as those relying on "
        "occasional visits by extension agents. The service also links growers to "
        "processing firms, which now buy fresh roots at agreed prices, giving "
        "smallholder families a more reliable income from their fields.",
    ),
    (
        "en",
        (2,),
        (17,),
        "Member states agreed to double the regional emergency grain reserve and to "
        "publish weekly market price data for maize, rice and sorghum. The measures "
        "are meant to dampen the price spikes that push poor consumers into hunger "
        "when harvests fail, and to stop governments from imposing sudden export bans "
        "that disrupt food supplies across borders.",
    ),
    (
        "en",
        (2,),
        (15,),
        "Farmers in the semi-arid zone who adopted minimum tillage, permanent soil "
        "cover and crop rotation with legumes harvested more stable maize yields over "
        "eight seasons than those using conventional ploughing. The programme now "
        "supports local manufacture of direct seeders so that sustainable production "
        "practices can spread beyond demonstration plots.",
    ),
    (
        "en",
        (2,),
        (5, 15),
        "Community seed banks in 60 villages now conserve more than 400 local varieties "
        "of millet, sorghum and cowpea that had disappeared from markets. Women and "
        "men farmers exchange and multiply seed each season, and the national gene "
        "bank keeps duplicate samples, safeguarding the genetic diversity that "
        "breeders will need to develop future food crops.",
    ),
    (
        "en",
        (2,),
        (14,),
        "Fish ponds dug beside irrigated rice paddies produce up to 1.5 tonnes of "
        "tilapia per hectare each year while fish waste fertilises the rice. The "
        "integrated system has improved the diets of farm households, which now eat "
        "fish several times a week, and surplus sales at inland markets provide "
        "cash during the months before the rice harvest.",
    ),
    (
        "fr",
        (2,),
        (15,),
        "En Casamance, la mouche des fruits Bactrocera dorsalis peut détruire jusqu'à "
        "la moitié de la récolte de mangues. Depuis trois ans, les producteurs "
        "associent le ramassage des fruits tombés, des pièges à phéromones et des "
        "lâchers de mâles stériles élevés au laboratoire national. Les pertes ont "
        "nettement reculé et les coopératives ont pu livrer davantage de mangues aux "
        "marchés urbains et à l'exportation.",
    ),
    (
        "ar",
        (2,),
        (15,),
        "يهدد مرض البيوض واحات النخيل في شمال أفريقيا منذ عقود، إذ أتلف ملايين الأشجار "
        "وأفقد المزارعين مصدر رزقهم الرئيسي. ولجأ باحثون إلى تشعيع فسائل أصناف تمور "
        "جيدة بأشعة غاما، ثم انتخاب الطفرات التي تقاوم الفطر المسبب للمرض. وتُزرع "
        "السلالات الواعدة حالياً في حقول تجريبية لتقييم إنتاجيتها وجودة ثمارها قبل "
        "توزيعها على المزارعين.",
    ),
    # ----------------------------------------------------------- SDG 3 ----
    (
        "en",
        (3,),
        (9,),
        "The regional hospital has opened its first radiotherapy bunker, equipped "
        "with a linear accelerator and a CT simulator. Until now, women with cervical "
        "cancer had to travel 600 kilometres to the capital and wait up to five "
        "months for treatment, by which time many tumours had progressed. The "
        "oncology team expects to treat 900 patients a year once the service is "
        "fully staffed.",
    ),
    (
        "en",
        (3,),
        (4,),
        "Only eleven clinically qualified medical physicists serve the country's "
        "seven radiotherapy centres. A two-year residency programme, combining "
        "supervised clinical work with training in dosimetry, treatment planning and "
        "quality assurance, will certify twelve more by 2026, allowing hospitals to "
        "run linear accelerators on two shifts and shorten waiting lists for cancer "
        "patients.",
    ),
    (
        "en",
        (3,),
        (9,),
        "A new PET-CT scanner and a cyclotron producing fluorine-18 have transformed "
        "cancer staging at the national oncology institute. Oncologists can now "
        "detect metastases that conventional imaging missed, sparing some patients "
        "unnecessary surgery and changing the treatment plan for one in four "
        "lymphoma patients. Nuclear cardiology studies are also available for the "
        "first time.",
    ),
    (
        "en",
        (3,),
        (15,),
        "A pilot release of sterile male Aedes aegypti mosquitoes in two urban "
        "neighbourhoods reduced the wild population by more than 80 percent during "
        "the rainy season. Health authorities will now test whether the suppression "
        "lowers dengue and chikungunya cases, comparing treated areas with similar "
        "neighbourhoods that receive only routine vector control.",
    ),
    (
        "en",
        (3,),
        (9, 16),
        "The secondary standards dosimetry laboratory calibrates the ionization "
        "chambers that hospitals use to measure the output of their radiotherapy "
        "machines. An audit with mailed dosimeters found that two centres were "
        "delivering doses 7 percent higher than prescribed; both corrected their "
        "calibration, protecting patients from avoidable complications and "
        "improving the quality of cancer treatment.",
    ),
    (
        "es",
        (3,),
        (10,),
        "El servicio de radioterapia del hospital público atiende a pacientes de todo "
        "el país, pero hasta hace poco la lista de espera superaba los cuatro meses. "
        "Con la instalación de un segundo acelerador lineal y la incorporación de "
        "braquiterapia de alta tasa de dosis, el tiempo de espera se redujo a tres "
        "semanas y las mujeres con cáncer de cuello uterino reciben ahora el "
        "tratamiento completo sin viajar al extranjero.",
    ),
    (
        "zh",
        (3,),
        (9,),
        "分化型甲状腺癌患者术后通常需要接受放射性碘-131治疗，但该省过去只有一家医院具备"
        "核素治疗病房，患者往往要排队数月。新建的核医学科配备了十二张屏蔽病床和SPECT/CT，"
        "投入使用后，平均等待时间从九十天缩短到二十天，复查显像也可以在当地完成。",
    ),
    (
        "en",
        (3,),
        (15,),
        "Serological tests and nuclear-derived PCR assays allowed the national "
        "veterinary and public health laboratories to confirm an outbreak of Rift "
        "Valley fever within 48 hours. Joint teams vaccinated livestock, warned "
        "slaughterhouse workers and set up surveillance of febrile patients in "
        "district hospitals, limiting human cases to a handful of infections.",
    ),
    (
        "en",
        (3,),
        (5,),
        "Maternal deaths in the province have fallen by a third since midwife-led "
        "birth units were opened in every sub-district and ambulances were linked to "
        "a referral hotline. Obstetric emergencies such as haemorrhage and eclampsia "
        "are now managed within the critical first hour, and blood banks have been "
        "stocked at all hospitals offering caesarean sections.",
    ),
    (
        "en",
        (3,),
        (6,),
        "An oral cholera vaccination campaign reached 1.2 million people in districts "
        "hit by last year's outbreak. Coverage of the second dose was 87 percent, and "
        "surveillance data show that suspected cholera cases in vaccinated areas were "
        "70 percent lower than in comparable districts during the following rainy "
        "season.",
    ),
    (
        "en",
        (3,),
        (9,),
        "Mobile X-ray vans equipped with computer-aided reading software screened "
        "160,000 people in prisons, mines and informal settlements for tuberculosis. "
        "Those with abnormal images were tested with rapid molecular assays on the "
        "spot, and 2,300 new cases were started on treatment, many of whom had never "
        "reported symptoms to a clinic.",
    ),
    (
        "en",
        (3,),
        (16,),
        "Deaths of motorcycle riders fell by 24 percent in the two years after the "
        "mandatory helmet law was enforced with roadside checks. Trauma surgeons "
        "report fewer severe head injuries, and the health ministry has trained "
        "first responders in every district to stabilise crash victims before "
        "transfer to hospital.",
    ),
    (
        "en",
        (3,),
        (17,),
        "Raising the excise on cigarettes by 50 percent cut sales by a fifth within a "
        "year, with the largest drop among young smokers. Health economists project "
        "that the increase will avert about 40,000 premature deaths from cancer, "
        "heart and lung disease over the lifetime of current smokers, and recommend "
        "automatic adjustment of the tax for inflation.",
    ),
    (
        "en",
        (3,),
        (10,),
        "Depression and anxiety often go untreated because specialist care is "
        "available only in the capital. Primary care nurses in four provinces have "
        "been trained to screen for common mental disorders and deliver brief "
        "psychological therapy, with psychiatrists supervising by video link. Early "
        "results show that half of treated patients recovered within three months.",
    ),
    (
        "en",
        (3,),
        (1,),
        "The national health insurance scheme now covers 86 percent of the population, "
        "up from 52 percent five years ago. Members can use a defined package of "
        "primary care, maternity services, essential medicines and hospital care, "
        "and the share of outpatient visits paid directly at the point of service "
        "has fallen below one fifth.",
    ),
    (
        "en",
        (3,),
        (4, 5),
        "Nurses visited 4,000 schools to give the single-dose HPV vaccine to girls "
        "aged nine to fourteen. Coverage reached 82 percent nationally, and the "
        "ministry of health expects the programme to prevent thousands of cervical "
        "cancer deaths over coming decades. Parents received information sheets "
        "explaining the vaccine's safety record to counter rumours on social media.",
    ),
    (
        "en",
        (3,),
        (5, 7),
        "A cohort study of 5,000 women who cook over open fires found higher rates "
        "of chronic obstructive lung disease, low birth weight and childhood "
        "pneumonia in households with the highest exposure to fine particles. The "
        "authors estimate that household air pollution causes about 3,000 premature "
        "deaths a year in the study region.",
    ),
    # ----------------------------------------------------------- SDG 4 ----
    (
        "en",
        (4,),
        (8,),
        "Enrolment in pre-primary education has climbed from 31 to 64 percent since "
        "the state began funding one year of free kindergarten in community centres. "
        "Children who attended arrive in first grade with better early literacy and "
        "social skills, and primary teachers report fewer repeaters. The next phase "
        "will train 5,000 early childhood educators.",
    ),
    (
        "en",
        (4,),
        (10,),
        "Only one in five third-graders could read a simple paragraph with "
        "understanding when the assessment was first conducted. After teachers "
        "received structured lesson plans, decodable readers in the home language "
        "and monthly coaching, the share of fluent readers doubled in two years. The "
        "ministry is scaling the approach to all public primary schools.",
    ),
    (
        "en",
        (4, 5),
        (8,),
        "Girls in rural districts drop out of lower secondary school at twice the "
        "rate of boys. The programme pays school fees, provides bicycles and sanitary "
        "supplies, and runs mentoring clubs where girls discuss early marriage and "
        "career plans. Completion rates among participating girls rose from 48 to 71 "
        "percent, closing most of the gender gap.",
    ),
    (
        "en",
        (4,),
        (8,),
        "The technical and vocational training authority has rewritten 40 curricula "
        "for welding, electrical installation and agro-processing with input from "
        "industry associations. Instructors must now spend two weeks a year in "
        "enterprises to update their skills, and all colleges will be accredited "
        "against a common quality standard by 2026.",
    ),
    (
        "en",
        (4,),
        (6,),
        "Under the school rehabilitation programme, 1,100 classrooms damaged by "
        "storms have been rebuilt with ramps, separate toilets for girls and boys, "
        "handwashing points and electricity. Head teachers report that attendance "
        "improves once pupils no longer learn under trees, and that girls miss fewer "
        "days after facilities were added.",
    ),
    (
        "en",
        (4,),
        (17,),
        "The government scholarship fund will finance 600 students from the least "
        "developed partner countries to pursue engineering, agriculture and public "
        "health degrees at its universities over the next five years. Awards cover "
        "tuition, living costs and a preparatory language year, and candidates are "
        "selected through an open competition.",
    ),
    (
        "en",
        (4,),
        (8,),
        "Almost 30 percent of secondary teachers in the remote provinces lack the "
        "minimum qualification. A blended in-service degree, with online modules and "
        "school-based mentoring during holidays, allows them to qualify without "
        "leaving their classrooms. Graduates of the first cohort showed clear gains "
        "in subject knowledge and lesson planning.",
    ),
    (
        "en",
        (4,),
        (7,),
        "The university's new master's programme in nuclear engineering enrolled its "
        "first 24 students this autumn. The curriculum covers reactor physics, "
        "thermal hydraulics, radiation protection and safety culture, with laboratory "
        "work on a research reactor simulator. Lecturers were trained abroad and the "
        "programme was designed with a partner university to ensure international "
        "recognition of the degree.",
    ),
    (
        "en",
        (4, 13),
        (7,),
        "From next year, climate change will be taught across science, geography and "
        "civic education from grade five onwards. Teachers are being trained to run "
        "projects in which pupils measure rainfall, map local flood risks and propose "
        "adaptation measures for their communities, and textbook publishers have been "
        "asked to revise outdated content.",
    ),
    (
        "en",
        (4,),
        (8,),
        "Children with visual, hearing or learning disabilities are now enrolled in "
        "their neighbourhood schools instead of distant special institutions. Each "
        "cluster of schools has a resource teacher, braille and sign-language "
        "materials, and an individual education plan for every learner with "
        "additional needs. Enrolment of children with disabilities has risen by 40 "
        "percent.",
    ),
    (
        "en",
        (4,),
        (8,),
        "Evening literacy circles run by trained volunteers have helped 85,000 adults, "
        "most of them over 35, to read, write and handle basic arithmetic. "
        "Participants learn with materials based on everyday tasks such as reading "
        "medicine labels and checking receipts, and those who pass the final test "
        "receive a certificate equivalent to third grade.",
    ),
    (
        "en",
        (4,),
        (10,),
        "Tertiary enrolment has doubled since public universities abolished tuition "
        "fees and introduced income-contingent loans for living costs. However, "
        "drop-out in the first year remains high, and the ministry is funding "
        "tutoring centres and bridging courses in mathematics for students from "
        "under-resourced secondary schools.",
    ),
    (
        "en",
        (5, 4),
        (17,),
        "The fellowship programme for women in nuclear science awarded 150 "
        "scholarships this year to female students pursuing master's degrees in "
        "nuclear physics, radiochemistry and radiation protection, followed by an "
        "internship in a national laboratory. The initiative aims to break the "
        "barriers that keep women at fewer than a quarter of the nuclear workforce "
        "and to build a pipeline of female leaders in the field.",
    ),
    (
        "fr",
        (4, 5),
        (8,),
        "Au Niger, moins d'une fille sur trois achève le cycle primaire dans les "
        "zones rurales. Le projet finance des cantines scolaires, des internats "
        "sécurisés pour les collégiennes et des bourses conditionnées à "
        "l'assiduité. Dans les communes concernées, le taux de maintien des filles "
        "au collège a progressé de vingt points en trois ans, et les mariages "
        "précoces ont reculé parmi les bénéficiaires.",
    ),
    (
        "ar",
        (4,),
        (16,),
        "يعيش في المخيمات والمدن المضيفة أكثر من مئتي ألف طفل لاجئ في سن الدراسة، "
        "نصفهم تقريباً خارج المدرسة. ويعتمد البرنامج نظام الفترتين في المدارس الحكومية "
        "ويوفر صفوفاً استدراكية لمن انقطعوا عن التعليم سنوات عدة، إلى جانب تدريب "
        "المعلمين على الدعم النفسي والاجتماعي. وقد التحق هذا العام أربعون ألف طفل "
        "إضافي بالتعليم النظامي.",
    ),
    # ----------------------------------------------------------- SDG 5 ----
    (
        "en",
        (5,),
        (10,),
        "One in four women in the country has experienced physical or sexual "
        "violence by a partner. The national action plan funds 30 new shelters, a "
        "free 24-hour hotline and specialised police units trained to take statements "
        "from survivors, and it requires courts to issue protection orders within 48 "
        "hours. Community radio campaigns challenge the belief that violence at home "
        "is a private matter.",
    ),
    (
        "en",
        (5,),
        (4,),
        "Parliament has raised the minimum legal age of marriage to 18 for both sexes "
        "and removed the exception that allowed parents to consent on behalf of "
        "younger girls. Religious leaders, local registrars and community groups "
        "will be involved in enforcing the law, and marriages involving minors can "
        "now be annulled at the request of the girl.",
    ),
    (
        "en",
        (5,),
        (3,),
        "In the 120 villages where community dialogue sessions were held, families "
        "publicly declared their abandonment of female genital mutilation. Surveys "
        "show that the share of girls aged 0 to 14 who have been cut dropped from 46 "
        "to 19 percent, and former practitioners have been offered alternative "
        "sources of income.",
    ),
    (
        "en",
        (5,),
        (8,),
        "The first national time-use survey found that women spend on average 4.6 "
        "hours a day on unpaid cooking, cleaning, fetching water and caring for "
        "children and older relatives, compared with 1.2 hours for men. The "
        "government has responded with a plan to expand public childcare and to "
        "introduce paid paternity leave to share care responsibilities more fairly.",
    ),
    (
        "en",
        (5,),
        (10,),
        "Since the electoral law introduced a 40 percent gender quota with zipper "
        "lists, the share of women in the national assembly has risen from 14 to 37 "
        "percent. Women now chair five of the twelve parliamentary committees, "
        "including finance, and a cross-party women's caucus has tabled legislation "
        "on equal pay and maternity protection.",
    ),
    (
        "en",
        (5,),
        (2,),
        "Under customary rules, widows often lost access to the family land to their "
        "late husband's relatives. The amended land act recognises women's equal "
        "right to own and inherit land, and village land committees must now include "
        "at least two women. Paralegals help widows and divorced women register their "
        "claims.",
    ),
    (
        "en",
        (5,),
        (9,),
        "Women in the country are 27 percent less likely than men to own a mobile "
        "phone and far less likely to use mobile internet. The digital inclusion "
        "programme offers women low-cost handsets in instalments, trains women "
        "digital ambassadors in every district and teaches skills such as mobile "
        "money, online safety and searching for market prices.",
    ),
    (
        "en",
        (5,),
        (4,),
        "The demographic and health survey asks married women whether they make "
        "their own decisions about sexual relations, contraceptive use and their own "
        "health care. Only 41 percent do so in all three areas, with the lowest "
        "levels among adolescent wives. Women's rights organisations are using the "
        "findings to campaign for reforms in family law and counselling services.",
    ),
    (
        "en",
        (5,),
        (17,),
        "The finance ministry has introduced gender budget tagging, requiring every "
        "ministry to report how much of its spending advances gender equality and "
        "women's empowerment. In the first year, only 4 percent of the budget was "
        "tagged, prompting parliament to demand specific allocations for women's "
        "economic empowerment and services for survivors of violence.",
    ),
    (
        "ar",
        (5,),
        (8,),
        "لا تتجاوز نسبة النساء في مجالس إدارة الشركات المدرجة في البورصة تسعة في المئة. "
        "ولذلك أصدرت هيئة السوق المالية قراراً يُلزم الشركات بتعيين امرأة واحدة على "
        "الأقل في مجلس الإدارة، والإفصاح سنوياً عن نسبة النساء في المناصب القيادية. "
        "وتنظم الهيئة بالتعاون مع الجامعات برنامجاً لإعداد القيادات النسائية "
        "لتولي هذه المناصب.",
    ),
    # ----------------------------------------------------------- SDG 6 ----
    (
        "en",
        (6,),
        (13,),
        "Hydrologists sampled 140 wells across the Sahelian basin and measured stable "
        "isotopes of oxygen and hydrogen, tritium and carbon-14. The results show that "
        "most of the deep aquifer was recharged thousands of years ago and receives "
        "little modern rainfall, so current pumping for town water supplies is "
        "mining a non-renewable resource. The basin authority will use the findings "
        "to set sustainable abstraction limits.",
    ),
    (
        "en",
        (6,),
        (11,),
        "Isotope and chemical analysis of the city's boreholes revealed that a third "
        "of the water pumped in the southern wellfield comes from a leaking sewer "
        "network rather than natural recharge. The utility has sealed the worst "
        "sections and moved two production wells upstream, and nitrate levels in the "
        "drinking water now meet national standards.",
    ),
    (
        "en",
        (6, 13),
        (15,),
        "Tropical glaciers in the Andes have lost more than 30 percent of their area "
        "since the 1980s. By analysing isotopes in meltwater, rain and springs, "
        "researchers estimated that glacier melt contributes up to half of river "
        "flow in the dry season. Water utilities are using the results to plan "
        "storage and adapt supply for downstream cities as glaciers continue to "
        "retreat with rising temperatures.",
    ),
    (
        "en",
        (6,),
        (12,),
        "A pilot plant uses an electron beam accelerator to break down dyes and "
        "pharmaceutical residues in textile effluent before it enters the municipal "
        "treatment works. Combined with conventional biological treatment, the "
        "process removes 90 percent of colour and allows 40 percent of the treated "
        "water to be reused in the dye house, reducing the volume of wastewater "
        "released to the river.",
    ),
    (
        "es",
        (6,),
        (3,),
        "En las comunidades rurales del altiplano, solo la mitad de los hogares "
        "tenía acceso a agua potable segura. El programa construyó sistemas por "
        "gravedad con captación de vertientes, tanques y piletas domiciliarias, y "
        "capacitó a comités de agua para cobrar una tarifa, cloración y "
        "mantenimiento. Hoy más de 90.000 personas reciben agua tratada en su "
        "propia casa.",
    ),
    (
        "ar",
        (6,),
        (2,),
        "تعاني البلاد من شح شديد في المياه، إذ لا تتجاوز حصة الفرد مئة متر مكعب سنوياً. "
        "ولذلك توسّع الحكومة في إعادة استخدام مياه الصرف الصحي المعالجة، حيث تنتج محطات "
        "المعالجة الحديثة مياهاً مطابقة للمواصفات تُضخ إلى السدود وتُخلط بمياه الأمطار. "
        "وتُعالَج اليوم أكثر من تسعين في المئة من مياه الصرف المجمعة، ويخفف ذلك الضغط "
        "على المياه الجوفية المستنزفة.",
    ),
    (
        "en",
        (6,),
        (3,),
        "Open defecation has ended in 2,400 villages after community-led sanitation "
        "triggering and a subsidy for the poorest households to build improved "
        "latrines. Local masons were trained to sell affordable pour-flush toilets, "
        "and districts now run faecal sludge collection services so that pits are "
        "emptied safely rather than into drainage channels.",
    ),
    (
        "en",
        (6,),
        (4,),
        "Handwashing stations with soap and water have been installed at 900 markets, "
        "bus stations and community centres, and householders were shown how to "
        "build low-cost tippy-taps. Spot checks found that the share of households "
        "with a handwashing facility with soap rose from 22 to 58 percent in two "
        "years.",
    ),
    (
        "en",
        (6,),
        (17,),
        "The four riparian states signed a water-sharing agreement for the river "
        "basin, establishing a joint commission, common monitoring stations and "
        "rules for allocating flows in dry years. The commission will publish flow "
        "and water quality data in real time and must be notified before any new "
        "dam or large irrigation scheme is approved.",
    ),
    (
        "en",
        (6, 15),
        (13,),
        "Restoring 5,000 hectares of drained peat swamps in the upper catchment has "
        "raised water tables and revived wetland vegetation. Springs that dried up "
        "two decades ago are flowing again, and the water utility reports lower "
        "sediment loads at its intake. Migratory waterbirds have returned to the "
        "marshes, which are now protected by law.",
    ),
    (
        "en",
        (6,),
        (9,),
        "Almost half of the water produced by the utility never reached a paying "
        "customer. By dividing the network into metered zones, repairing leaks and "
        "replacing old pipes, the utility reduced non-revenue water from 47 to 29 "
        "percent, enough to supply 200,000 more people without developing a new "
        "source.",
    ),
    (
        "en",
        (6,),
        (3,),
        "Testing of 30,000 tube wells found arsenic above the national limit in one "
        "in five. Contaminated wells were painted red, and villagers were given "
        "access to deep community wells and arsenic removal filters. A water quality "
        "laboratory network now re-tests public wells every year.",
    ),
    # ----------------------------------------------------------- SDG 7 ----
    (
        "en",
        (7,),
        (13,),
        "The energy ministry's pre-feasibility study concludes that two small modular "
        "reactors of 300 megawatts each could supply stable baseload electricity to "
        "the northern grid by the late 2030s. The study compares their generation "
        "cost with gas and large hydropower, assesses candidate sites and grid "
        "connection needs, and sets out the legal and human resource infrastructure "
        "the country would need before construction.",
    ),
    (
        "en",
        (7,),
        (17,),
        "Using long-term energy planning models, analysts from the utility and the "
        "planning agency built scenarios of electricity demand and supply to 2050. "
        "The least-cost pathway combines solar, wind, hydropower and storage with a "
        "firm low-carbon source, and would allow every household to be connected to "
        "modern electricity by 2030 while keeping tariffs affordable.",
    ),
    (
        "ru",
        (7,),
        (9,),
        "Строительство первой атомной электростанции в стране вышло на этап монтажа "
        "корпуса реактора. Два энергоблока общей мощностью 2,4 гигаватта должны "
        "обеспечить около трети потребностей страны в электроэнергии и снизить "
        "зависимость от импорта газа. Параллельно в национальном университете "
        "готовят операторов и инженеров для будущей станции.",
    ),
    (
        "ar",
        (7,),
        (13,),
        "يضم المجمع الشمسي في جنوب البلاد محطات تعمل بتقنية الطاقة الشمسية المركزة "
        "مع تخزين حراري يتيح توليد الكهرباء بعد غروب الشمس. وبفضل هذا المشروع ومشاريع "
        "الرياح الساحلية، ارتفعت حصة الطاقات المتجددة في القدرة الكهربائية المركبة "
        "إلى نحو أربعين في المئة، وتخطط الحكومة لتجاوز نصف القدرة بحلول عام 2030.",
    ),
    (
        "en",
        (7,),
        (3, 5),
        "Only 28 percent of households cook with clean fuels, while the rest rely on "
        "charcoal and firewood. A pay-as-you-go scheme lets families buy liquefied "
        "petroleum gas in small amounts through smart meters, and a one-off subsidy "
        "covers the cost of the cylinder and stove. Uptake has been strongest in "
        "peri-urban areas where charcoal prices have risen.",
    ),
    (
        "en",
        (7,),
        (1, 9),
        "Solar mini-grids now supply 140 off-grid villages with electricity 24 hours "
        "a day. Operators receive a results-based subsidy for each connection, and "
        "households pay through mobile money. Grain mills, welding shops and health "
        "posts were among the first customers, and the regulator has set rules for "
        "what happens when the main grid arrives.",
    ),
    (
        "en",
        (7,),
        (11, 12),
        "The revised building energy code requires insulation, efficient lighting and "
        "high-performance air conditioners in all new commercial buildings above "
        "1,000 square metres. Compliance will be checked at the design and occupancy "
        "stages, and the code is expected to cut electricity consumption in new "
        "buildings by 25 to 30 percent.",
    ),
    (
        "en",
        (7,),
        (13,),
        "The third renewable energy auction awarded 1.2 gigawatts of wind and solar "
        "capacity at an average tariff below that of new gas plants. Bidders were "
        "offered standardised power purchase agreements and grid connection "
        "guarantees, which reduced perceived risk and attracted eleven international "
        "developers.",
    ),
    (
        "en",
        (7,),
        (12,),
        "Utility staff distributed 3 million LED bulbs to households in exchange for "
        "old incandescent lamps, and new appliance standards ban the sale of the "
        "least efficient refrigerators. Together the measures have lowered evening "
        "peak demand by 180 megawatts and cut the average household electricity bill "
        "by 9 percent.",
    ),
    (
        "en",
        (7,),
        (13,),
        "A new 400-kilovolt interconnector will let the two neighbouring countries "
        "trade up to 800 megawatts of electricity. Hydropower surpluses in the wet "
        "season can flow south, while thermal capacity in the south will support the "
        "north during dry months, improving the reliability of supply on both "
        "systems.",
    ),
    # ----------------------------------------------------------- SDG 8 ----
    (
        "es",
        (8,),
        (4,),
        "Casi uno de cada cuatro jóvenes de entre 15 y 24 años no estudia ni trabaja. "
        "El nuevo programa de primer empleo subsidia durante doce meses parte del "
        "salario de los jóvenes contratados con contrato formal y seguridad social, "
        "y las oficinas de empleo ofrecen orientación laboral y bolsas de trabajo. "
        "En su primer año se firmaron 45.000 contratos.",
    ),
    (
        "en",
        (8,),
        (4,),
        "A survey of cocoa-growing communities found that more than a million "
        "children were engaged in hazardous work such as carrying heavy loads and "
        "using machetes. Companies that buy cocoa have agreed to monitoring and "
        "remediation systems in every supplying cooperative, and labour inspectors "
        "can now sanction middlemen who employ children.",
    ),
    (
        "en",
        (8,),
        (14,),
        "Investigators found migrant crew members on distant-water fishing vessels "
        "working 20-hour days, with passports confiscated and wages withheld for "
        "months. The new regulations require written contracts, direct wage payment "
        "and port inspections of living and working conditions, and vessel owners "
        "found using forced labour will lose their licences.",
    ),
    (
        "en",
        (8,),
        (3,),
        "After the collapse of a garment factory killed more than a hundred workers, "
        "brands, unions and the government signed a binding safety accord. Engineers "
        "have since inspected 1,600 factories for structural, fire and electrical "
        "hazards, and worker safety committees can report risks without fear of "
        "dismissal.",
    ),
    (
        "en",
        (8,),
        (1,),
        "Registering a small business used to take 19 procedures and six weeks. A "
        "one-stop online portal now issues a business number and tax registration in "
        "a day, and micro-enterprises pay a simplified turnover tax. Within two years, "
        "38,000 informal traders and workshops had formalised, gaining access to bank "
        "credit and public contracts.",
    ),
    (
        "en",
        (8,),
        (12, 14),
        "The tourism master plan aims to double visitor arrivals while spreading "
        "spending beyond the capital. Guesthouses run by local families, guided "
        "hiking routes and craft markets in the highlands have created 6,000 jobs, "
        "and hotels are required to source a share of food and furnishings from "
        "local producers.",
    ),
    (
        "en",
        (8,),
        (1,),
        "Real GDP grew by 5.8 percent last year, driven by manufacturing exports and "
        "services. Labour productivity rose 3 percent, the fastest pace in a decade, "
        "as firms invested in machinery and digital systems. The central bank expects "
        "growth to moderate next year because of weaker demand in major trading "
        "partners.",
    ),
    (
        "en",
        (8,),
        (16,),
        "Domestic workers, most of them migrants, were excluded from the labour code "
        "until this year. They are now entitled to a minimum wage, a weekly rest day, "
        "paid annual leave and social security, and employers must register contracts "
        "online. Labour inspectors have been authorised to visit households after a "
        "complaint.",
    ),
    (
        "en",
        (8,),
        (17,),
        "The quarterly labour force survey shows unemployment at 7.2 percent, with "
        "youth unemployment at 19 percent. The share of workers in informal "
        "employment fell slightly to 61 percent, and average real wages grew by 2 "
        "percent, the first increase in three years.",
    ),
    (
        "en",
        (8,),
        (1,),
        "Inspectors found that a third of workers in the sample of small shops and "
        "restaurants earned less than the legal minimum wage. The labour ministry has "
        "hired 300 additional inspectors, introduced fines per underpaid worker and "
        "launched a text message service that lets employees check the rate that "
        "applies to them.",
    ),
    (
        "en",
        (8,),
        (3, 16),
        "The national dosimetry service now monitors 12,000 workers in hospitals, "
        "industrial radiography firms and mines. Each worker wears a personal "
        "dosimeter read every month, and employers receive alerts when doses approach "
        "investigation levels. Inspectors from the labour and radiation protection "
        "authorities jointly audit workplaces with the highest exposures.",
    ),
    # ----------------------------------------------------------- SDG 9 ----
    (
        "en",
        (9,),
        (11,),
        "Inspectors used gamma radiography and ultrasonic testing to examine the "
        "welds and post-tensioning cables of 60 highway bridges built in the 1970s. "
        "Corrosion was detected in eight structures, which were strengthened before "
        "any visible damage appeared. The roads authority now includes "
        "non-destructive testing in its regular maintenance programme for major "
        "infrastructure.",
    ),
    (
        "en",
        (9,),
        (5, 8),
        "The national non-destructive testing centre certified 210 new technicians "
        "in radiographic, ultrasonic and magnetic particle testing this year, 40 "
        "percent of them women. Certified inspectors are required for pressure "
        "vessels, pipelines and aircraft components, and the shortage of qualified "
        "staff had been delaying commissioning of new plants in the oil, gas and "
        "power sectors.",
    ),
    (
        "en",
        (9,),
        (7,),
        "The refurbished research reactor now operates 200 days a year, providing "
        "neutron beams for materials science, irradiation of silicon for the "
        "semiconductor industry and neutron activation analysis for geological "
        "surveys. A user office helps universities and companies apply for beam time, "
        "and the number of peer-reviewed publications from the facility has tripled.",
    ),
    (
        "en",
        (9,),
        (7, 12),
        "An electron beam installation at a coal-fired power plant removes sulphur "
        "and nitrogen oxides from flue gas and converts them into a by-product that "
        "can be sold as fertilizer. The demonstration showed that the technology can "
        "be retrofitted to existing industrial boilers, and two chemical plants have "
        "signed up to adopt it.",
    ),
    (
        "en",
        (9,),
        (4,),
        "Gross spending on research and development has risen to 0.9 percent of GDP, "
        "and the number of full-time researchers per million inhabitants has "
        "doubled since 2015. A competitive fund co-finances joint projects between "
        "universities and companies, and a new patent support office helps "
        "researchers commercialise their inventions.",
    ),
    (
        "en",
        (9,),
        (11,),
        "The rural roads programme has upgraded 4,500 kilometres of earth tracks to "
        "all-season gravel roads with drainage and small bridges. The share of the "
        "rural population living within two kilometres of an all-season road rose "
        "from 54 to 72 percent, and travel times to district markets fell by half.",
    ),
    (
        "en",
        (9,),
        (17,),
        "Fourth-generation mobile broadband now covers 91 percent of the population, "
        "up from 46 percent three years ago. A universal service fund financed towers "
        "in sparsely populated areas, and spectrum auctions required operators to "
        "meet rural coverage obligations within two years.",
    ),
    (
        "en",
        (9,),
        (7, 8),
        "Manufacturing value added has grown to 14 percent of GDP as three new "
        "industrial parks attracted firms producing garments, pharmaceuticals and "
        "processed foods. The parks offer reliable power, water treatment and a "
        "customs office on site, and the government is preparing a fourth park "
        "specialised in vehicle components.",
    ),
    (
        "en",
        (9,),
        (1,),
        "Small manufacturers such as furniture workshops and metal fabricators "
        "struggle to borrow because banks demand collateral they do not have. A "
        "partial credit guarantee scheme now covers 60 percent of loans to small "
        "industrial enterprises, and a movable-asset registry allows machinery to be "
        "pledged as security.",
    ),
    (
        "en",
        (9,),
        (11,),
        "The cement plant has replaced its wet-process kiln with a dry-process line "
        "equipped with a preheater, a waste-heat recovery unit and modern dust "
        "filters. The upgrade cuts energy use per tonne of clinker by 40 percent, and "
        "the company plans to substitute part of the coal with biomass residues.",
    ),
    (
        "en",
        (9,),
        (14,),
        "The expanded container terminal has doubled the port's handling capacity and "
        "cut average vessel waiting times from four days to less than one. A new rail "
        "link to the inland dry port allows containers to be cleared at the border "
        "of landlocked neighbours, lowering freight costs for importers.",
    ),
    # ----------------------------------------------------------- SDG 10 ---
    (
        "ru",
        (10,),
        (4,),
        "Новый закон о доступной среде обязывает владельцев общественных зданий, "
        "транспорта и цифровых сервисов обеспечить доступ для людей с инвалидностью. "
        "Работодатели с численностью персонала более ста человек должны выделять не "
        "менее трёх процентов рабочих мест для людей с инвалидностью, а дискриминация "
        "при найме влечёт штраф. Контроль возложен на уполномоченного по правам "
        "человека.",
    ),
    (
        "en",
        (10,),
        (17,),
        "Sending $200 home through a bank still costs migrants more than 9 percent on "
        "average, three times the international target. Central banks in the "
        "corridor have agreed to let licensed mobile money providers handle "
        "cross-border transfers, and the cost of digital remittances has already "
        "fallen below 4 percent.",
    ),
    (
        "en",
        (10,),
        (1,),
        "Over the past five years, the income of the poorest 40 percent of households "
        "grew by 4.1 percent a year, faster than the national average of 2.6 "
        "percent. The narrowing of the gap reflects higher minimum wages and "
        "expanded social transfers, but the top decile still receives a third of "
        "total income.",
    ),
    (
        "en",
        (10,),
        (5,),
        "The anti-discrimination act prohibits discrimination on the grounds of "
        "ethnicity, religion, language, disability and sexual orientation in "
        "employment, housing and access to services. An equality body can "
        "investigate complaints, and a first ruling ordered a landlord to compensate "
        "a family refused an apartment because of their ethnic origin.",
    ),
    (
        "en",
        (10,),
        (17,),
        "The tax reform raises the top rate of personal income tax, taxes dividends "
        "and capital gains at the same rate as wages, and uses the revenue to "
        "increase child benefits. Simulations show that it would reduce the Gini "
        "coefficient of disposable income by two points, mainly by redistributing "
        "from the top decile to families in the bottom half.",
    ),
    (
        "en",
        (10,),
        (8,),
        "The government has opened new legal pathways for seasonal and long-term "
        "migration, including a points-based visa and recognition of foreign "
        "qualifications. Migrants receive pre-departure orientation and can change "
        "employers without losing their status, measures meant to make migration "
        "safe, orderly and regular.",
    ),
    (
        "en",
        (10, 16),
        (17,),
        "Developing countries hold less than 40 percent of the votes on the executive "
        "boards of the major international financial institutions, although they "
        "account for most of the world's population. The reform proposal would "
        "shift quota shares toward emerging and low-income economies and add a third "
        "board chair for sub-Saharan Africa.",
    ),
    (
        "en",
        (10,),
        (1,),
        "The statistics office's new inequality report shows that the Gini "
        "coefficient of household consumption fell from 0.44 to 0.39 over a decade. "
        "The gap between urban and rural areas narrowed, but inequality between "
        "regions widened, with the capital region now earning more than three times "
        "the average of the poorest province.",
    ),
    (
        "en",
        (10,),
        (8,),
        "After the banking crisis, regulators introduced higher capital buffers for "
        "systemically important banks, limits on foreign-currency lending to "
        "households and a resolution regime that protects depositors. Stress tests "
        "are now published every year to strengthen confidence in the financial "
        "system.",
    ),
    (
        "en",
        (10,),
        (4,),
        "The affirmative action policy reserves a share of public university places "
        "and civil service posts for Afro-descendant and indigenous applicants. A "
        "decade after its introduction, the share of these groups among graduates "
        "and senior civil servants has more than doubled, although gaps in earnings "
        "persist.",
    ),
    # ----------------------------------------------------------- SDG 11 ---
    (
        "zh",
        (11,),
        (9,),
        "该市新开通的快速公交线路全长二十八公里，设有专用道和平台式车站，高峰期每两分钟"
        "一班。线路串联了城北的保障性住房片区和市中心，沿线居民的通勤时间平均缩短了"
        "三十五分钟。市政府还计划把公交站点与共享单车和步行道衔接起来，方便老人和"
        "残障人士出行。",
    ),
    (
        "en",
        (11,),
        (9,),
        "The slum upgrading programme has paved alleys, installed street lighting and "
        "drainage, and given 14,000 families in informal settlements secure occupancy "
        "rights. Households that received titles have invested in replacing "
        "corrugated iron shacks with brick houses, and the city is piloting "
        "affordable rental housing for tenants who cannot buy.",
    ),
    (
        "en",
        (11,),
        (16,),
        "The city's new master plan was drafted after two years of neighbourhood "
        "forums, in which residents mapped flood-prone land, informal markets and "
        "missing public services. It channels growth into compact, mixed-use "
        "corridors along transit lines and protects farmland at the urban edge from "
        "uncontrolled sprawl.",
    ),
    (
        "en",
        (11,),
        (4,),
        "Radiocarbon dating of wooden beams and charcoal showed that the mud-brick "
        "mosque was built two centuries earlier than believed. The results, together "
        "with X-ray fluorescence analysis of the original plasters, guided the "
        "conservation team in choosing compatible materials for the restoration of "
        "the historic town centre.",
    ),
    (
        "en",
        (11,),
        (9,),
        "The national museum used gamma irradiation to treat 3,000 wooden sculptures "
        "and manuscripts infested by wood-boring beetles and fungi. Unlike chemical "
        "fumigation, the treatment leaves no toxic residue and can be applied to "
        "large collections at once, helping to preserve cultural heritage that "
        "could not otherwise be saved.",
    ),
    (
        "en",
        (11,),
        (3, 7),
        "The city has installed 40 low-cost sensors and four reference stations to "
        "monitor fine particulate matter, publishing readings online every hour. The "
        "data revealed that annual PM2.5 levels are three times the guideline, "
        "leading the council to create a low-emission zone, ban open waste burning "
        "and electrify the municipal bus fleet.",
    ),
    (
        "en",
        (11,),
        (6, 12),
        "Only 40 percent of household waste in the city was collected before the "
        "new contracts with private operators. Collection now covers 85 percent of "
        "neighbourhoods, including informal areas served by handcarts, and the "
        "overflowing open dump near the river has been replaced by a sanitary "
        "landfill with leachate control.",
    ),
    (
        "en",
        (11,),
        (5, 15),
        "A disused railway yard has been transformed into a 12-hectare public park "
        "with playgrounds, sports fields and shaded paths. Surveys show that the "
        "number of residents living within ten minutes' walk of a green space has "
        "risen by 60,000, and the park is used heavily by women and older people "
        "thanks to good lighting and security.",
    ),
    (
        "en",
        (11,),
        (13,),
        "After the earthquake destroyed 40,000 homes, the reconstruction agency "
        "introduced a seismic building code for houses and trained 9,000 masons in "
        "earthquake-resistant techniques. Engineers inspect every rebuilt house, "
        "and owners receive grant instalments only after each stage passes "
        "inspection. Schools and clinics are being retrofitted first.",
    ),
    (
        "en",
        (11,),
        (2,),
        "The regional development plan invests in secondary towns that link farming "
        "districts with the metropolitan area: market halls, bus terminals, "
        "cold storage and roads to surrounding villages. The aim is to balance urban "
        "growth and keep young people in medium-sized towns rather than in the "
        "capital's informal settlements.",
    ),
    (
        "en",
        (11,),
        (1,),
        "The housing finance company offers mortgages of up to 25 years to "
        "households with informal incomes, using savings records instead of "
        "payslips. Combined with a subsidised starter-home programme, it has helped "
        "22,000 families move out of overcrowded rented rooms into affordable homes "
        "with water and sanitation.",
    ),
    # ----------------------------------------------------------- SDG 12 ---
    (
        "es",
        (12,),
        (14,),
        "La nueva ley de responsabilidad extendida del productor obliga a las "
        "empresas que venden envases a financiar su recolección y reciclaje. Las "
        "metas empiezan en un 15 % y llegarán al 60 % en diez años, y los "
        "recicladores de base podrán ser contratados por los sistemas de gestión. "
        "Se espera reducir a la mitad los residuos de envases que terminan en "
        "rellenos sanitarios.",
    ),
    (
        "en",
        (12, 2),
        (3,),
        "Up to 40 percent of mangoes and papayas are lost between harvest and "
        "market because of fruit fly larvae and rapid ripening. Low-dose gamma "
        "irradiation at the new commercial facility disinfests fruit and extends "
        "shelf life without chemical fumigants, cutting post-harvest losses and "
        "allowing smallholders to sell more of what they grow.",
    ),
    (
        "en",
        (12,),
        (7,),
        "The near-surface disposal facility for low and intermediate level "
        "radioactive waste has received its operating licence. Disused sealed "
        "sources from hospitals and industry, which had been stored in temporary "
        "locations, will be conditioned and emplaced in engineered concrete vaults "
        "designed to isolate them until their radioactivity decays.",
    ),
    (
        "en",
        (12,),
        (2,),
        "Households in the city throw away an average of 74 kilograms of edible food "
        "per person each year. The municipal campaign teaches residents to plan "
        "meals, store food properly and understand date labels, while supermarkets "
        "must donate unsold food to charities instead of discarding it.",
    ),
    (
        "en",
        (12,),
        (3,),
        "Artisanal gold miners in the district use mercury to amalgamate gold and "
        "burn it off in the open, releasing tonnes of the metal each year. The "
        "project introduces gravity concentration tables and cyanide-free leaching, "
        "and retorts capture mercury vapour so it can be reused. A national plan "
        "sets a deadline for phasing out whole-ore amalgamation.",
    ),
    (
        "en",
        (12,),
        (16,),
        "Government agencies will have to apply environmental and life-cycle cost "
        "criteria in tenders for vehicles, office equipment, furniture and "
        "construction. The sustainable public procurement guidelines include model "
        "clauses on energy efficiency, recycled content and take-back of used "
        "products, and a central unit will report annually on the share of "
        "spending that met the criteria.",
    ),
    (
        "en",
        (12,),
        (8,),
        "The stock exchange now requires listed companies to publish an annual "
        "sustainability report covering energy and water use, waste, emissions and "
        "supply chain impacts. In the first year, 180 of 210 companies complied, "
        "although only a minority had their data externally assured.",
    ),
    (
        "en",
        (12,),
        (7,),
        "Subsidies kept petrol and diesel prices at half the international level, "
        "costing the budget 3 percent of GDP and encouraging wasteful consumption. "
        "The government will phase them out over three years and compensate "
        "low-income households through cash transfers. Part of the savings will "
        "be spent on public transport.",
    ),
    (
        "en",
        (12,),
        (8,),
        "The tourism board now tracks water use, waste generation and energy "
        "consumption per visitor night in all registered hotels. Islands that exceed "
        "agreed thresholds will face limits on new room permits, and a certification "
        "label rewards resorts that reduce their footprint.",
    ),
    (
        "en",
        (12,),
        (4,),
        "An eco-label for household appliances and detergents gives consumers "
        "simple information on energy use, durability and hazardous substances. "
        "Media campaigns and school visits encourage families to repair products, "
        "buy second-hand and choose items with less packaging. Retailers must "
        "display the label on shelves and online.",
    ),
    (
        "en",
        (12,),
        (9,),
        "The country generated 65,000 tonnes of electronic waste last year, but only "
        "8 percent was collected through formal channels. Informal recyclers burn "
        "cables and leach circuit boards with acid in backyards. The new e-waste "
        "regulation creates licensed collection points and dismantling facilities "
        "that recover metals safely.",
    ),
    (
        "en",
        (12,),
        (17,),
        "The national action plan on sustainable consumption and production sets "
        "targets for resource efficiency in construction, food systems and textiles. "
        "Material consumption per unit of GDP should fall by a quarter by 2035, and "
        "an interministerial committee will monitor progress.",
    ),
    # ----------------------------------------------------------- SDG 13 ---
    (
        "zh",
        (13,),
        (7,),
        "全国碳排放权交易市场第二个履约周期已经结束，覆盖发电行业两千多家重点排放单位，"
        "年排放量约五十亿吨二氧化碳。主管部门将逐步纳入钢铁、水泥和电解铝等行业，并收紧"
        "配额分配基准。专家认为，稳定的碳价信号有助于推动企业减排，实现碳达峰、碳中和目标。",
    ),
    (
        "en",
        (13,),
        (11, 14),
        "The national adaptation plan identifies water, agriculture, health and coastal "
        "zones as the sectors most exposed to rising temperatures, longer droughts "
        "and sea-level rise. Each ministry must integrate climate risk into its "
        "sector strategy, and a climate change unit in the finance ministry will "
        "track adaptation spending in the budget.",
    ),
    (
        "en",
        (13,),
        (7,),
        "The updated nationally determined contribution commits the country to cut "
        "greenhouse gas emissions by 35 percent below business-as-usual by 2030, up "
        "from 20 percent in the previous pledge. Half of the target is conditional "
        "on international support, and the document for the first time includes "
        "methane from livestock and rice paddies.",
    ),
    (
        "en",
        (13,),
        (4,),
        "A nationwide public awareness campaign explains in local languages how "
        "climate change is affecting rainfall, heatwaves and coastal flooding, and "
        "what households and farmers can do to prepare. Surveys show that the share "
        "of adults who could name a local climate risk rose from 35 to 62 percent.",
    ),
    (
        "en",
        (13,),
        (7, 14),
        "The Green Climate Fund approved a $95 million grant to help three coastal "
        "provinces protect communities from storm surges and saltwater intrusion. "
        "The project combines mangrove belts, raised embankments and salt-tolerant "
        "rice, and it will be implemented by the national disaster agency with "
        "community committees.",
    ),
    (
        "en",
        (13,),
        (6,),
        "The meteorological service now issues seasonal forecasts and impact-based "
        "warnings for droughts, floods and heatwaves, delivered by radio and text "
        "message to 1.5 million farmers and local officials. Districts with early "
        "action plans were able to move livestock and stock fodder weeks before the "
        "last drought peaked.",
    ),
    (
        "en",
        (13,),
        (5, 14),
        "Climate planning units have been set up in the environment ministries of "
        "five small island states, with staff trained to model climate risks, "
        "prepare adaptation project proposals and report emissions. Women and youth "
        "representatives sit on the national climate councils that review the "
        "plans.",
    ),
    (
        "en",
        (13,),
        (9,),
        "All public investment projects above $5 million must now undergo climate "
        "risk screening. Roads, bridges and water schemes in flood-prone areas "
        "have to be designed for the rainfall intensities projected for 2050, and "
        "the planning ministry can reject proposals that ignore future climate "
        "conditions.",
    ),
    (
        "fr",
        (13,),
        (14,),
        "Sur le littoral ouest-africain, la mer avance de plusieurs mètres par an "
        "sous l'effet de l'élévation du niveau marin et des tempêtes plus "
        "fréquentes. Le plan d'adaptation prévoit des digues et des épis sur les "
        "tronçons urbains, la relocalisation de quartiers trop exposés et des "
        "règles d'urbanisme interdisant de construire dans la bande côtière.",
    ),
    (
        "en",
        (13,),
        (17,),
        "The country submitted its first biennial transparency report, with a "
        "greenhouse gas inventory for 1990 to 2022 and an account of progress on "
        "mitigation and adaptation commitments. Energy accounts for 62 percent of "
        "emissions, agriculture 24 percent and waste 8 percent.",
    ),
    (
        "ru",
        (15,),
        (13,),
        "Авиалесоохрана в этом году обнаружила более восьми тысяч лесных пожаров, "
        "значительная часть которых возникла из-за неосторожного обращения с огнём "
        "и весенних палов травы. Региональные службы получили новые самолёты и "
        "дроны для раннего обнаружения возгораний, а на восстановление гарей "
        "выделены средства для посадки сосны и лиственницы на ста тысячах гектаров.",
    ),
    # ----------------------------------------------------------- SDG 14 ---
    (
        "en",
        (14,),
        (13,),
        "Scientists are using carbon and boron isotopes together with calcium-45 "
        "tracers to study how increasingly acidic seawater affects the shell growth "
        "of oysters and corals. A network of coastal monitoring stations in the "
        "region measures pH and carbonate chemistry, and the data will show which "
        "shellfish farms and reefs face the greatest risk.",
    ),
    (
        "en",
        (14,),
        (12,),
        "Researchers labelled polystyrene microplastics with a radiotracer to follow "
        "their uptake by mussels and fish larvae under laboratory conditions. Even "
        "small particles were absorbed into the gut tissue within hours, and some "
        "carried adsorbed pollutants with them. The results inform a regional "
        "assessment of marine plastic pollution.",
    ),
    (
        "en",
        (14,),
        (2,),
        "A receptor binding assay using a radiolabelled toxin allows the fisheries "
        "laboratory to detect harmful algal bloom toxins in shellfish in a few hours. "
        "Monitoring along 300 kilometres of coast now triggers closures of "
        "harvesting areas only when toxins exceed safe levels, protecting the "
        "marine environment and the shellfish sector.",
    ),
    (
        "en",
        (14,),
        (6, 12),
        "Volunteers collected 28 tonnes of litter from 90 beaches in a single "
        "weekend, three quarters of it plastic bottles, bags and fishing gear. A "
        "breakdown of the items is being fed into the national marine litter "
        "monitoring programme, and the coastal municipalities will install barriers at river "
        "mouths to catch floating debris before it reaches the sea.",
    ),
    (
        "en",
        (14,),
        (2,),
        "The latest stock assessment shows that the spawning biomass of hake has "
        "fallen below the safe biological limit. The fisheries ministry has cut the "
        "total allowable catch by 30 percent, closed nursery grounds during the "
        "spawning season and required vessel monitoring systems on all trawlers.",
    ),
    (
        "en",
        (14,),
        (15,),
        "The government has declared a marine protected area of 60,000 square "
        "kilometres around the archipelago, a fifth of which is fully closed to "
        "fishing. Coral cover inside the no-take zones has increased, and reef fish "
        "biomass is now three times higher than in fished areas nearby.",
    ),
    (
        "en",
        (14,),
        (17,),
        "Trade negotiators reached agreement on disciplines that prohibit subsidies "
        "to vessels engaged in illegal, unreported and unregulated fishing and to "
        "fishing of stocks that are already overfished. Developing countries will "
        "receive a transition period and technical assistance to implement the "
        "rules.",
    ),
    (
        "en",
        (14,),
        (1,),
        "Small-scale fishers in the lagoon were being pushed out by industrial "
        "trawlers operating illegally close to shore. The new fisheries law reserves "
        "the first five nautical miles for artisanal fishing, recognises community "
        "fishing rights and supports cooperatives to build landing sites and ice "
        "plants.",
    ),
    (
        "en",
        (14,),
        (8,),
        "The island state's blue economy strategy aims to earn more from its tuna "
        "resources by requiring a share of catches to be landed and processed "
        "locally and by selling fishing days to foreign fleets under a regional "
        "scheme. Revenue from fishing licences now exceeds that of tourism.",
    ),
    (
        "en",
        (14,),
        (9,),
        "A new oceanographic research vessel and a national marine science "
        "institute will allow the country to survey its exclusive economic zone for "
        "the first time. Young scientists from neighbouring coastal states will "
        "train aboard, mapping seabed habitats and measuring temperature, oxygen "
        "and nutrients.",
    ),
    (
        "en",
        (14,),
        (6,),
        "Fertilizer runoff from upstream farms is feeding algal blooms in the gulf, "
        "creating a low-oxygen dead zone that covers 8,000 square kilometres each "
        "summer. Fishers report mass die-offs of crabs and bottom fish, and the "
        "coastal states have agreed a plan to cut nitrogen loads reaching the sea "
        "by 40 percent.",
    ),
    (
        "en",
        (14,),
        (13,),
        "Communities have replanted 1,200 hectares of mangroves along the estuary, "
        "where shrimp ponds had cleared much of the original forest. The restored "
        "stands serve as nurseries for fish and crabs, and fishers report higher "
        "catches in channels next to the new mangroves.",
    ),
    # ----------------------------------------------------------- SDG 15 ---
    (
        "en",
        (15, 2),
        (13,),
        "Using caesium-137 and beryllium-7 fallout radionuclides, soil scientists "
        "measured erosion rates on hillside farms over the past 60 years. Fields "
        "without terraces lost up to 45 tonnes of soil per hectare each year, while "
        "those with contour hedgerows lost less than 10. The ministry will scale up "
        "soil conservation to halt land degradation and protect crop yields.",
    ),
    (
        "zh",
        (15,),
        (13,),
        "该湿地自然保护区位于黄河三角洲，是东亚—澳大利西亚候鸟迁飞通道上的重要停歇地。"
        "近年来，保护区清除了入侵植物互花米草，恢复了二十多平方公里的盐沼和芦苇湿地，"
        "东方白鹳等珍稀鸟类的繁殖数量明显增加。",
    ),
    (
        "en",
        (15,),
        (13,),
        "Satellite alerts now detect forest clearing within days, and environmental "
        "police have used them to stop illegal logging and cattle ranching in "
        "protected reserves. Annual deforestation in the region has fallen by 45 "
        "percent, and land registries will reject titles for plots cleared after "
        "the cut-off date.",
    ),
    (
        "en",
        (15,),
        (2,),
        "Communities in the drylands have restored 120,000 hectares of degraded land "
        "by building stone bunds, planting native trees and managing grazing. "
        "Vegetation cover has returned on slopes that were bare a decade ago, and "
        "the national land degradation neutrality target has been written into "
        "district development plans.",
    ),
    (
        "en",
        (15,),
        (14,),
        "Rangers in the national park arrested 40 suspected poachers last year and "
        "seized ivory and pangolin scales destined for international markets. "
        "Intelligence sharing with customs has closed several smuggling routes, and "
        "elephant numbers in the park have stabilised for the first time in two "
        "decades.",
    ),
    (
        "en",
        (15,),
        (14,),
        "Invasive rats had driven two species of ground-nesting seabird to the brink "
        "of extinction on the island. After an eradication operation and strict "
        "biosecurity checks on visiting boats, the island has been rat-free for three "
        "years and chicks of both species are fledging again.",
    ),
    (
        "en",
        (15,),
        (6,),
        "Overgrazing and fires had stripped the upper slopes of the mountain range "
        "of vegetation. The restoration programme fenced off high pastures, "
        "replanted native shrubs and grasses, and pays herders to move their flocks "
        "on a rotational schedule. Mountain green cover has increased by 12 percent.",
    ),
    (
        "en",
        (15,),
        (17,),
        "The country's access and benefit-sharing law requires researchers and "
        "companies collecting medicinal plants to obtain prior informed consent and "
        "to agree to share royalties with the communities whose traditional "
        "knowledge guided the collection. The first agreement covers a plant extract "
        "used in cosmetics.",
    ),
    (
        "en",
        (15,),
        (11,),
        "Natural capital accounts compiled by the statistics office value the "
        "pollination, erosion control and timber provided by the country's forests "
        "and grasslands. The planning ministry now requires district development "
        "plans to show how projects will affect biodiversity and ecosystem "
        "services.",
    ),
    (
        "en",
        (15,),
        (14,),
        "The updated national red list classifies 312 plant and animal species as "
        "threatened, 48 more than a decade ago. Amphibians and freshwater fish are "
        "declining fastest because of habitat loss, and the ministry has drawn up "
        "recovery plans for the 20 most critically endangered species.",
    ),
    (
        "en",
        (15,),
        (2,),
        "The cactus moth, whose larvae destroy prickly pear cacti, has reached "
        "islands off the coast and threatens native Opuntia species in arid "
        "ecosystems. Environmental agencies released sterile moths and removed "
        "infested plants along the invasion front, and no new outbreaks have been "
        "found on the mainland for two years.",
    ),
    # ----------------------------------------------------------- SDG 16 ---
    (
        "en",
        (16,),
        (11,),
        "The homicide rate in the city has fallen by 40 percent since the violence "
        "prevention programme began. Outreach workers, many of them former gang "
        "members, mediate disputes before they turn lethal, and the police focus on "
        "a small number of repeat offenders. Street lighting and youth programmes "
        "were expanded in the neighbourhoods with most shootings.",
    ),
    (
        "en",
        (16,),
        (4,),
        "Police and social services rescued 230 children from trafficking networks "
        "last year, most of them recruited with false promises of schooling or work "
        "in the city. A specialised prosecution unit has secured 45 convictions, and "
        "child-friendly interview rooms allow victims to testify without facing "
        "their abusers.",
    ),
    (
        "en",
        (16,),
        (10,),
        "Almost 60 percent of prisoners in the country have not yet been tried. A "
        "public legal aid service now assigns a lawyer to every detainee within 48 "
        "hours, and mobile courts hold hearings inside prisons. The number of "
        "pretrial detainees held longer than the legal maximum has fallen by half.",
    ),
    (
        "fr",
        (16,),
        (12,),
        "Un audit de la Cour des comptes a révélé que près d'un quart des marchés "
        "publics de travaux avaient été attribués sans mise en concurrence, souvent "
        "à des entreprises liées à des responsables locaux. Le gouvernement a "
        "créé une autorité indépendante de lutte contre la corruption, rendu "
        "obligatoire la déclaration de patrimoine des élus et publié en ligne "
        "tous les contrats signés.",
    ),
    (
        "ru",
        (16,),
        (10,),
        "Судебная реформа предусматривает случайное распределение дел между "
        "судьями, видеозапись всех заседаний и публикацию решений в открытом "
        "доступе. Квалификационная коллегия, в которую впервые вошли представители "
        "адвокатуры и научного сообщества, будет отбирать судей на конкурсной "
        "основе, чтобы укрепить независимость судебной власти и доверие граждан.",
    ),
    (
        "en",
        (16,),
        (3,),
        "Only 56 percent of children under five had their birth registered when the "
        "campaign began. Registration is now free, health workers notify registrars "
        "of every birth in a clinic, and mobile teams visit remote villages. Within "
        "three years, registration of newborns reached 89 percent, giving children "
        "a legal identity needed for school enrolment and inheritance.",
    ),
    (
        "en",
        (16,),
        (9,),
        "Under the new access to information law, any person can request documents "
        "held by public bodies, which must respond within 20 days. An information "
        "commissioner hears appeals against refusals, and ministries must "
        "proactively publish budgets, contracts and audit reports on their "
        "websites.",
    ),
    (
        "en",
        (16,),
        (10,),
        "The national human rights commission regained full compliance with the "
        "international standards for independent institutions after parliament "
        "guaranteed its budget and gave it power to visit places of detention "
        "without notice. The commission's annual report documents complaints of "
        "torture and arbitrary arrest.",
    ),
    (
        "en",
        (16,),
        (7,),
        "The amended nuclear law establishes the regulatory authority as a body "
        "separate from the ministry that promotes nuclear power, with its own budget "
        "and the power to issue, suspend and revoke licences. Board members are "
        "appointed for fixed terms and cannot be dismissed for political reasons, "
        "and the regulator must publish its inspection findings.",
    ),
    (
        "en",
        (16,),
        (3, 17),
        "With legislative assistance from international experts, the government "
        "drafted a comprehensive law on nuclear safety, security, safeguards and "
        "liability. The bill assigns clear responsibilities to licensees and state "
        "bodies, creates offences for the illicit possession of radioactive material "
        "and was discussed in public hearings before being sent to parliament.",
    ),
    (
        "en",
        (16,),
        (17,),
        "A financial intelligence unit traced $120 million embezzled by a former "
        "minister through shell companies in three jurisdictions. Using mutual legal "
        "assistance and asset forfeiture laws, prosecutors have recovered a third "
        "of the funds, which will be returned to the national treasury.",
    ),
    (
        "en",
        (16,),
        (11,),
        "Police collected and destroyed 18,000 illegal firearms during the amnesty "
        "period, and all legally held weapons must now be marked and recorded in a "
        "national electronic registry. Border agencies have received scanners to "
        "detect weapons smuggled in vehicles and cargo.",
    ),
    (
        "en",
        (16,),
        (11,),
        "In the municipalities that adopted participatory budgeting, residents vote "
        "each year on how to spend 15 percent of the investment budget. Attendance "
        "at assemblies has grown to 60,000 people, and audits found that projects "
        "chosen this way were completed faster and with fewer cost overruns.",
    ),
    (
        "en",
        (16,),
        (17,),
        "Ministries spent on average only 71 percent of their approved capital "
        "budgets last year, and arrears to suppliers accumulated. The public "
        "financial management reform introduces a single treasury account, "
        "commitment controls and quarterly publication of budget execution reports "
        "to make institutions more effective and accountable.",
    ),
    # ----------------------------------------------------------- SDG 17 ---
    (
        "en",
        (17,),
        (3,),
        "The technical cooperation programme approved 180 new national and regional "
        "projects for the next cycle, funded through voluntary contributions from "
        "member states, extrabudgetary donations and cost-sharing by recipient "
        "governments. Partnerships with development banks and foundations will "
        "mobilise additional resources for equipment, expert missions and "
        "training.",
    ),
    (
        "ru",
        (17,),
        (9,),
        "Национальное статистическое ведомство впервые провело перепись населения "
        "с использованием планшетов и онлайн-анкет. Перепись финансировалась из "
        "государственного бюджета при технической поддержке международных "
        "партнёров, а её данные будут доступны в разбивке по полу, возрасту, "
        "инвалидности и муниципалитетам, что необходимо для мониторинга целей "
        "устойчивого развития.",
    ),
    (
        "en",
        (17,),
        (1,),
        "Official development assistance from the committee's members rose to 0.37 "
        "percent of their combined gross national income, still far below the "
        "0.7 percent commitment. Only five donors met or exceeded the target, and "
        "aid to the least developed countries fell for the second consecutive "
        "year.",
    ),
    (
        "en",
        (17,),
        (16,),
        "Tax revenue has risen from 11 to 16 percent of GDP in six years after the "
        "revenue authority introduced electronic invoicing, risk-based audits and a "
        "register of large taxpayers. The additional domestic resources now fund "
        "most of the capital budget, reducing dependence on external grants.",
    ),
    (
        "en",
        (17,),
        (8,),
        "Under the common framework, official creditors agreed to reschedule $6 "
        "billion of the country's external debt and to cut interest rates, reducing "
        "debt service from 38 to 18 percent of government revenue over the next "
        "five years. Private bondholders are expected to offer comparable terms.",
    ),
    (
        "en",
        (17,),
        (9,),
        "The technology bank for the least developed countries helps governments "
        "assess their technology needs and negotiate access to patented "
        "innovations on favourable terms. Its first projects link research "
        "institutes in five countries with partners abroad to adapt technologies "
        "for solar drying and vaccine cold chains.",
    ),
    (
        "en",
        (17,),
        (4,),
        "Under a South-South cooperation agreement, experts from the national "
        "agricultural research institute are helping three partner countries build "
        "their capacity to design and monitor national development plans. Civil "
        "servants from the partners spend secondments in the host ministries, and a "
        "joint fund finances the exchanges.",
    ),
    (
        "en",
        (17,),
        (8,),
        "Least developed countries now enjoy duty-free, quota-free access for 97 "
        "percent of their tariff lines in the main import markets. Simplified "
        "rules of origin adopted this year will make it easier for garment and food "
        "processing exporters to qualify for preferences and increase their share "
        "of world exports.",
    ),
    (
        "en",
        (17,),
        (9,),
        "The national partnership platform brings together government, businesses, "
        "foundations and civil society to co-finance projects on the development "
        "agenda. Partners agree on shared targets and report results in a common "
        "online dashboard, and a secretariat matches private funding offers with "
        "public priorities.",
    ),
    (
        "en",
        (17,),
        (8,),
        "The investment promotion agency offers guarantees and one-stop services to "
        "foreign investors considering projects in the least developed countries of "
        "the region. A bilateral treaty signed this year protects investors while "
        "allowing host states to regulate in the public interest.",
    ),
    (
        "en",
        (17,),
        (9,),
        "The regional cooperative agreement for nuclear science and technology pools "
        "expertise among 22 member states. Countries with advanced laboratories host "
        "training courses and proficiency tests for their neighbours, and joint "
        "projects are designed and co-funded by the members themselves rather than "
        "by outside donors.",
    ),
    (
        "en",
        (17,),
        (16,),
        "The government has set up a policy coherence unit that screens new trade, "
        "tax and agricultural policies for their effects on developing countries and "
        "on the national sustainable development strategy. Its first report found "
        "that export subsidies for dairy products undermined farmers in partner "
        "countries.",
    ),
    (
        "en",
        (17,),
        (4,),
        "Under the partnership, manufacturers of wind turbine components agreed to "
        "transfer design and production know-how to a joint venture in the partner "
        "country on concessional terms. Engineers from the recipient firm will train "
        "at the licensors' plants, and local content will rise to 60 percent.",
    ),
    # ------------------------------------------------------- no SDG ------
    (
        "en",
        (),
        (3, 8),
        "The home side came from behind to win 3-2 in a thrilling derby on Saturday. "
        "The visitors led twice through a header and a deflected free kick, but a "
        "late penalty and a stoppage-time volley from the substitute striker sent "
        "the crowd into raptures. The win lifts the club to fourth place, two points "
        "off the qualification spots.",
    ),
    (
        "en",
        (),
        (2, 12),
        "For the lemon tart, blind-bake the pastry case for 15 minutes, then whisk "
        "four eggs with 150 grams of sugar, the zest and juice of three lemons and "
        "150 millilitres of cream. Pour the filling into the warm case and bake at "
        "150 degrees until just set with a slight wobble. Dust with icing sugar "
        "before serving.",
    ),
    (
        "en",
        (),
        (9, 17),
        "Version 4.2 adds a dark theme, keyboard shortcuts for the export dialog and "
        "support for importing files in the newer spreadsheet format. It fixes a "
        "crash when opening projects with very long file names and a bug that "
        "duplicated tags after undo. Users on the older operating system should "
        "remain on version 4.1.",
    ),
    (
        "en",
        (),
        (5, 16),
        "The director's second feature is a slow-burning thriller about a piano "
        "teacher who begins to suspect her neighbour. The lead performance is "
        "magnetic and the cinematography of rain-soaked streets is gorgeous, but the "
        "final act relies on an implausible twist that undoes much of the tension "
        "built up over two hours.",
    ),
]

# Second batch of development texts (added to balance goals and languages).
DEV += [
    (
        "en",
        (1,),
        (8, 10),
        "During the lean season, the rural public works programme offers up to 60 "
        "days of paid labour to households below the poverty line, building "
        "terraces, feeder roads and water ponds. Wages are set slightly below the "
        "market rate so that only the poorest self-select, and payments are made "
        "within a week to mobile accounts.",
    ),
    (
        "en",
        (1,),
        (8, 10),
        "Most farmers, street vendors and domestic workers have no protection when "
        "illness, old age or a bad harvest strikes. The new voluntary social "
        "security scheme matches each contribution made by an informal worker with "
        "an equal government contribution, and members from households on the "
        "poverty register pay nothing at all. Enrolment reached 1.4 million in the "
        "first year.",
    ),
    (
        "fr",
        (1,),
        (5, 8),
        "Le programme de filets sociaux verse chaque trimestre une allocation de "
        "30 000 francs CFA aux ménages les plus pauvres identifiés par le registre "
        "social unifié. Les bénéficiaires, à 80 % des femmes, participent aussi à "
        "des séances sur l'épargne et reçoivent un petit capital pour lancer une "
        "activité génératrice de revenus. L'évaluation montre une baisse de la "
        "pauvreté extrême de neuf points parmi les ménages suivis.",
    ),
    (
        "en",
        (5,),
        (3, 10),
        "Police in the border region dismantled a network that recruited young women "
        "with offers of jobs as waitresses abroad and then forced them into "
        "prostitution. Survivors are receiving shelter, medical and legal "
        "assistance, and the government has launched an awareness campaign in "
        "villages where traffickers were most active.",
    ),
    (
        "es",
        (5,),
        (8, 10),
        "Desde que la ley exige paridad en las listas electorales municipales, las "
        "mujeres ocupan el 46 % de las concejalías, frente al 22 % hace diez años. "
        "Sin embargo, solo una de cada cinco alcaldías está encabezada por una "
        "mujer, y muchas concejalas denuncian acoso político. El tribunal electoral "
        "abrió una unidad para recibir y sancionar estas denuncias.",
    ),
    (
        "en",
        (5,),
        (4, 9),
        "Women hold only 18 percent of senior technical and management posts in the "
        "country's nuclear institutions. The regulator and the atomic energy agency "
        "have adopted gender action plans with targets for women in leadership "
        "roles, a mentoring network pairs early-career women with senior managers, "
        "and selection panels must now include at least one woman.",
    ),
    (
        "zh",
        (5,),
        (10,),
        "反家庭暴力法实施以来，全国法院共签发人身安全保护令一万余份，但不少受害妇女仍"
        "因担心报复或经济依赖而不敢求助。该市在社区设立了妇女维权站，联合公安、民政和"
        "妇联为受害者提供临时庇护、心理疏导和法律援助，并要求接警民警在二十四小时内"
        "上门核查。",
    ),
    (
        "fr",
        (6,),
        (3, 11),
        "Dans les quartiers périphériques de la ville, la majorité des ménages "
        "utilisent des fosses septiques vidangées manuellement, et les boues étaient "
        "souvent déversées dans les rues. Une station de traitement des boues de "
        "vidange a été construite et les vidangeurs mécaniques sont désormais "
        "agréés. Les boues séchées sont transformées en compost et vendues aux "
        "maraîchers.",
    ),
    (
        "en",
        (6,),
        (2, 15),
        "Nitrogen and oxygen isotopes in nitrate showed that most of the pollution "
        "in the shallow aquifer comes from septic tanks rather than fertilizer, "
        "contrary to what the water authority had assumed. Wellhead protection zones "
        "and a sewerage extension are now planned to restore drinking water quality "
        "for 300,000 residents.",
    ),
    (
        "en",
        (6,),
        (2, 13),
        "Water allocations in the over-committed river basin have been capped at "
        "the average sustainable yield. Irrigators who convert to drip or sprinkler "
        "systems receive a subsidy but may not expand their irrigated area, and part "
        "of the water saved is returned to the river to restore minimum flows.",
    ),
    (
        "en",
        (7,),
        (9, 13),
        "The operator has received approval to run the two oldest units of the "
        "nuclear power plant for another 20 years after replacing steam generators "
        "and upgrading safety systems. The plant supplies a third of the country's "
        "electricity, and the extension avoids the need to build new capacity "
        "before the end of the decade.",
    ),
    (
        "en",
        (7,),
        (6, 13),
        "The 120-megawatt run-of-river hydropower plant has started feeding the "
        "national grid, raising installed generating capacity by 15 percent. The "
        "project also includes a transmission line to three districts that were "
        "previously supplied by expensive diesel generators. A second plant "
        "upstream is in the tendering stage.",
    ),
    (
        "es",
        (7,),
        (1, 11),
        "En las comunidades dispersas de la Amazonía, donde la red eléctrica nunca "
        "llegará, el programa instaló 28.000 sistemas solares domiciliarios con "
        "batería. Cada familia paga una tarifa mensual subsidiada que cubre el "
        "mantenimiento, y las escuelas y postas de salud recibieron sistemas más "
        "grandes. La cobertura eléctrica rural subió del 72 % al 88 %.",
    ),
    (
        "en",
        (7,),
        (12, 13),
        "Energy audits at 400 small and medium-sized factories identified savings "
        "of 20 percent on average, mainly from efficient motors, variable-speed "
        "drives and better steam systems. A credit line with a partial guarantee "
        "finances the investments, which typically pay back in under three years.",
    ),
    (
        "en",
        (7,),
        (13, 15),
        "Exploration drilling has confirmed a high-temperature geothermal reservoir "
        "in the rift valley capable of supporting a 70-megawatt power plant. "
        "Geothermal power would provide round-the-clock renewable electricity and "
        "reduce the country's reliance on imported heavy fuel oil for power "
        "generation. A tender for the steam field and turbine will follow.",
    ),
    (
        "en",
        (8,),
        (1, 10),
        "Delivery riders and drivers working through digital platforms have no "
        "sick pay, no accident insurance and can be deactivated without "
        "explanation. The new law presumes an employment relationship unless the "
        "platform proves otherwise, guarantees a minimum hourly income and allows "
        "workers to bargain collectively.",
    ),
    (
        "en",
        (8,),
        (4,),
        "The youth enterprise fund has lent to 12,000 young entrepreneurs since 2020, "
        "with loans of up to $5,000 at low interest and no collateral. Business "
        "incubators in six cities provide mentoring and shared workspace, and "
        "surviving firms created an average of three jobs each.",
    ),
    (
        "fr",
        (8,),
        (3, 11),
        "Le secteur du bâtiment concentre près de la moitié des accidents du travail "
        "mortels déclarés dans le pays. L'inspection du travail a doublé ses "
        "contrôles sur les chantiers, imposé le port du harnais pour les travaux en "
        "hauteur et suspendu une trentaine de chantiers non conformes. Les "
        "entreprises doivent désormais désigner un référent sécurité formé.",
    ),
    (
        "en",
        (8,),
        (9,),
        "Oil still accounts for 80 percent of exports, but its share of GDP has "
        "fallen as business services, tourism and agribusiness expanded. The "
        "diversification strategy has lifted non-oil growth to 4.5 percent a year "
        "and created 90,000 formal jobs, although productivity in the new sectors "
        "remains low.",
    ),
    (
        "en",
        (9,),
        (4, 8),
        "Radiotracer studies allowed engineers to locate a damaged tray in a "
        "refinery distillation column without shutting down the unit. Industries "
        "that use the national radiotracer service save millions in lost "
        "production, and 30 engineers from petrochemical, mining and cement "
        "companies were trained in the technique this year.",
    ),
    (
        "en",
        (9,),
        (11, 17),
        "The national fibre optic backbone now connects all 120 district capitals, "
        "and an open-access wholesale operator leases capacity to mobile and "
        "internet providers on equal terms. Wholesale bandwidth prices have fallen "
        "by 70 percent, and universities and hospitals were connected first.",
    ),
    (
        "zh",
        (9,),
        (8,),
        "近年来，该省推动传统制造企业数字化转型，已建成智能工厂一百二十家。通过引入工业"
        "互联网平台和自动化生产线，企业平均生产效率提高三成，产品不良率下降近一半。"
        "省里还设立专项资金，支持中小企业上云用数，并建设区域工业技术研究院。",
    ),
    (
        "en",
        (9,),
        (2,),
        "The food technology institute has built a pilot plant where small "
        "processors can test new products such as fortified flours and fruit "
        "purees before investing in equipment. Engineers help companies scale up "
        "processes and meet standards, and twelve firms have upgraded their lines "
        "after trials.",
    ),
    (
        "en",
        (10,),
        (1, 17),
        "Fiscal equalisation transfers from the central government now account for "
        "half of the revenue of the poorest provinces. A new formula allocates funds "
        "according to population, poverty and the cost of delivering services, "
        "narrowing the gap in per capita public spending between rich and poor "
        "regions from 4:1 to 2:1.",
    ),
    (
        "es",
        (10,),
        (5,),
        "Un estudio de auditoría envió miles de currículos idénticos a ofertas de "
        "empleo, cambiando solo el apellido o la foto del candidato. Las personas "
        "afrodescendientes e indígenas recibieron un 40 % menos de llamadas. Con "
        "base en estos resultados, el gobierno presentó una ley contra la "
        "discriminación racial que incluye sanciones y una defensoría especializada.",
    ),
    (
        "en",
        (10,),
        (4, 11),
        "Persons with disabilities were often unable to vote because polling "
        "stations were up steps and ballots were available only in print. The "
        "electoral reform introduces accessible polling stations, braille ballot "
        "guides, sign-language information and assisted voting, and it removes the "
        "legal provision that disqualified people under guardianship.",
    ),
    (
        "en",
        (10,),
        (1,),
        "The share of national income going to wages has fallen by seven points "
        "since 2000 while profits and rents rose. The government has responded with "
        "wage-setting councils, extension of collective agreements to whole sectors "
        "and a higher minimum wage, aiming to reverse the widening gap between "
        "labour and capital incomes.",
    ),
    (
        "en",
        (10,),
        (1, 17),
        "The richest one percent of adults now own 42 percent of household wealth, "
        "up from 31 percent two decades ago, while the bottom half own less than 3 "
        "percent. The report recommends an annual tax on fortunes above $10 million "
        "and stronger inheritance taxes to reduce the concentration of wealth.",
    ),
    (
        "en",
        (3,),
        (10,),
        "Fewer than one in ten low-income countries has enough radiotherapy machines "
        "to treat its cancer patients, and some have none at all. A global "
        "initiative aims to install linear accelerators, train radiation oncologists "
        "and medical physicists, and set up referral networks so that more patients "
        "can receive curative treatment.",
    ),
    (
        "fr",
        (11,),
        (6, 13),
        "Chaque saison des pluies, les quartiers bâtis dans les bas-fonds de la "
        "ville sont inondés, faisant des morts et des milliers de sinistrés. La "
        "municipalité a curé les canaux de drainage, construit des bassins de "
        "rétention et relogé 2 000 familles dans des logements sociaux situés hors "
        "des zones à risque, tout en interdisant toute nouvelle construction dans "
        "ces secteurs.",
    ),
    (
        "en",
        (11,),
        (9,),
        "The city's first metro line, 22 kilometres long with 18 stations, carried "
        "300,000 passengers a day in its first month. Fares are integrated with the "
        "bus network, stations are accessible to wheelchair users, and journey "
        "times from the eastern suburbs to the centre have fallen from 90 to 35 "
        "minutes.",
    ),
    (
        "en",
        (11,),
        (8,),
        "The revitalisation plan for the old medina restores historic facades, "
        "fountains and caravanserais while keeping residents and artisans in their "
        "homes and workshops. New rules forbid demolition of listed buildings, and a "
        "heritage fund offers grants to owners who repair traditional roofs and "
        "woodwork.",
    ),
    (
        "ar",
        (11,),
        (1,),
        "أطلقت الحكومة برنامجاً للإسكان الاجتماعي يوفر مئتي ألف وحدة سكنية بأسعار "
        "ميسرة لسكان المناطق غير الآمنة والعشوائية، مع تمويل عقاري مدعوم يُسدَّد على "
        "عشرين عاماً. وتضم المدن الجديدة مدارس ووحدات صحية ومواصلات عامة، كما تُطوَّر "
        "بعض المناطق القديمة في موقعها بدلاً من نقل سكانها إلى أطراف المدينة.",
    ),
    (
        "en",
        (12,),
        (7, 9),
        "Fish and vegetables lose up to a third of their value between landing sites "
        "and retail markets because they are not kept cool. Solar-powered cold rooms "
        "at twelve wholesale markets, insulated crates and better handling have "
        "reduced spoilage by half, and traders now sell produce that would "
        "previously have been thrown away.",
    ),
    (
        "en",
        (12,),
        (7, 16),
        "More than 400 disused radioactive sources from hospitals, oil wells and "
        "factories have been recovered, characterised and placed in a centralised "
        "storage facility. Sources that can still be used were returned to their "
        "manufacturers, and the national inventory now tracks every source from "
        "import to final disposal.",
    ),
    (
        "zh",
        (12, 11),
        (14,),
        "该市全面推行生活垃圾分类，居民需将垃圾分为厨余垃圾、可回收物、有害垃圾和其他"
        "垃圾四类。两年来，可回收物回收量增长了一倍，进入焚烧厂和填埋场的垃圾减少了"
        "百分之二十五。社区志愿者在投放点进行引导，物业企业未落实分类将被处罚。",
    ),
    (
        "en",
        (12,),
        (8, 9),
        "Several fashion brands have launched take-back schemes for used clothing "
        "and committed to using 30 percent recycled fibres by 2030. A new sorting "
        "plant separates garments by material so that cotton and polyester can be "
        "recycled into new yarn rather than landfilled or incinerated.",
    ),
    (
        "en",
        (13,),
        (2, 15),
        "Nitrogen-15 techniques helped researchers measure nitrous oxide emissions "
        "from fertilised rice and maize fields and identify management practices "
        "that cut them. The results were used to refine the agriculture section of "
        "the national greenhouse gas inventory and to design a mitigation action "
        "included in the country's climate pledge.",
    ),
    (
        "ar",
        (13,),
        (6, 7),
        "اعتمدت الحكومة استراتيجية وطنية لتغير المناخ تدمج المخاطر المناخية في خطط "
        "القطاعات المختلفة، وتنشئ نظاماً للإنذار المبكر بالسيول وموجات الحر يرسل "
        "تنبيهات إلى الهواتف المحمولة. كما تُلزم الاستراتيجية الوزارات بإعداد "
        "تقارير سنوية عن تقدمها في خفض الانبعاثات وفي تعزيز قدرة المجتمعات على "
        "التكيف.",
    ),
    (
        "en",
        (14,),
        (3, 6),
        "The marine radioactivity laboratory measures caesium, tritium and natural "
        "radionuclides in seawater, sediments and fish along the coast. Its "
        "long-term records show that levels remain far below those of concern, and "
        "the data are shared with neighbouring states to assess the condition of "
        "the regional sea.",
    ),
    (
        "es",
        (14,),
        (8, 2),
        "La autoridad marítima detectó, mediante el seguimiento satelital de buques, "
        "a más de 300 embarcaciones pesqueras extranjeras que apagaban sus "
        "transpondedores al acercarse al límite de la zona económica exclusiva. Se "
        "reforzaron las patrullas y los puertos ya no permiten desembarcar capturas "
        "de buques sin registro, para frenar la pesca ilegal de pota y atún.",
    ),
    (
        "en",
        (14,),
        (15,),
        "After a marine heatwave bleached much of the reef, scientists began growing "
        "heat-tolerant coral fragments in underwater nurseries and transplanting "
        "them to damaged sites. Local dive operators help maintain the nurseries, "
        "and anchoring on the reef has been banned to protect the recovering "
        "colonies.",
    ),
    (
        "en",
        (14,),
        (6, 12),
        "A tanker collision released 2,000 tonnes of heavy fuel oil near the "
        "coast, contaminating 50 kilometres of beaches, seagrass beds and fishing "
        "grounds. Response teams deployed booms and skimmers, and the maritime "
        "authority has updated its oil spill contingency plan and required "
        "pilots for tankers in the strait.",
    ),
    (
        "en",
        (15,),
        (2, 6),
        "Compound-specific stable isotope analysis of soil and river sediment showed "
        "that most of the silt filling the reservoir comes from degraded forest on "
        "steep slopes rather than from cropland. The forestry department is "
        "reforesting the worst affected sub-catchments and restricting logging on "
        "slopes above 30 degrees.",
    ),
    (
        "es",
        (15,),
        (13,),
        "En el Gran Chaco se perdieron más de 200.000 hectáreas de bosque nativo el "
        "año pasado, en gran parte por desmontes ilegales para ganadería. La ley de "
        "bosques establece zonas rojas donde no se puede desmontar, pero los "
        "controles son escasos. Las organizaciones ambientales piden sanciones "
        "efectivas y el uso de alertas satelitales para detener a los infractores.",
    ),
    (
        "en",
        (15,),
        (11,),
        "Forest fragments in the valley were isolated by farms and roads, cutting "
        "off populations of monkeys and jaguars. Landowners have agreed to replant "
        "strips of native forest along streams to create wildlife corridors, and "
        "road crossings for animals will be built under the highway.",
    ),
    (
        "en",
        (16,),
        (10,),
        "A household survey found that 28 percent of people who had contact with a "
        "public official in the past year paid a bribe, most often to traffic "
        "police and land registry clerks. The anti-corruption agency has digitised "
        "land transactions and installed body cameras for traffic officers.",
    ),
    (
        "ar",
        (16,),
        (10,),
        "يُولد آلاف الأطفال في مخيمات اللاجئين كل عام دون أن تُسجَّل ولادتهم، مما "
        "يعرضهم لخطر انعدام الجنسية ويحرمهم لاحقاً من إثبات هويتهم. وتعمل فرق متنقلة "
        "من دوائر الأحوال المدنية مع المحاكم الشرعية على تسجيل الولادات وتوثيق "
        "عقود الزواج بأثر رجعي، وقد حصل خمسة عشر ألف طفل على شهادات ميلاد هذا العام.",
    ),
    (
        "en",
        (4,),
        (16,),
        "A national survey found that one in three pupils had been bullied at school "
        "in the past month. Schools must now adopt anti-bullying policies, teachers "
        "are trained to respond to incidents, and counsellors have been posted to "
        "large secondary schools, so that classrooms become safe and inclusive "
        "learning environments.",
    ),
    (
        "en",
        (17,),
        (16,),
        "The revised statistics law guarantees the professional independence of the "
        "national statistics office and requires ministries to share administrative "
        "data. With support from international partners, the office will produce "
        "disaggregated data for 150 indicators of the development agenda and "
        "publish a release calendar.",
    ),
    (
        "fr",
        (17,),
        (9,),
        "Le gouvernement a signé un partenariat public-privé pour financer, "
        "construire et exploiter une centrale de dessalement, avec le soutien "
        "d'une garantie de la banque régionale de développement. Ce montage "
        "mobilise 400 millions de dollars de capitaux privés et constitue le "
        "premier projet d'une plateforme nationale de partenariats multipartites "
        "pour les objectifs de développement.",
    ),
    (
        "en",
        (17,),
        (3, 4),
        "Donor countries pledged additional extrabudgetary contributions to fund "
        "unfunded technical cooperation projects in nuclear medicine, water "
        "resources and food safety. A new partnership framework allows development "
        "banks, foundations and the private sector to co-finance projects, and a "
        "results dashboard reports how each contribution was used.",
    ),
    (
        "en",
        (17,),
        (10,),
        "Under a triangular cooperation arrangement, a European donor finances and "
        "a Latin American country provides the expertise to help two Caribbean "
        "states set up school meal procurement from family farms. The partners "
        "share costs and meet twice a year to review progress.",
    ),
    (
        "en",
        (3,),
        (2,),
        "A tax on sugar-sweetened beverages, introduced to curb rising obesity and "
        "type 2 diabetes, has reduced purchases of sugary drinks by 12 percent. "
        "Revenue is earmarked for diabetes screening in primary care and for "
        "drinking fountains in schools. Manufacturers have reformulated several "
        "brands to fall below the taxed threshold.",
    ),
    (
        "en",
        (2,),
        (5, 6),
        "More than half of the 3,000 farmers in the new irrigation scheme are women, "
        "who grow onions, tomatoes and rice on plots of half a hectare. Reliable "
        "water and improved seed have allowed two harvests a year, and yields of "
        "rice have risen from 2 to 5 tonnes per hectare.",
    ),
    (
        "en",
        (3,),
        (5,),
        "Rapid HIV testing at the first antenatal visit and lifelong treatment for "
        "pregnant women living with HIV have reduced mother-to-child transmission "
        "from 14 to 3 percent. Babies born to mothers with HIV are now tested at six "
        "weeks with point-of-care devices.",
    ),
    (
        "en",
        (),
        (16, 9),
        "The defence ministry signed a contract for twelve multi-role fighter jets "
        "and a package of spare parts and pilot training worth $3 billion. The first "
        "aircraft will arrive in 2027, replacing a fleet that has been in service "
        "for more than forty years.",
    ),
    (
        "en",
        (),
        (5, 3),
        "The national women's cricket team reached the world cup semi-final for the "
        "first time after a dramatic last-ball victory. The captain scored an "
        "unbeaten 87, and the young leg-spinner took four wickets to restrict the "
        "opponents to 221. The team will play the defending champions on Thursday.",
    ),
]

# Third batch: additional hard negatives for under-covered goals.
DEV += [
    (
        "en",
        (2,),
        (1, 12),
        "The city's food bank network distributed 9,000 tonnes of food last year to "
        "families who regularly skip meals, twice as much as before the price "
        "crisis. Most recipients are working parents and pensioners, and the "
        "network now runs mobile pantries in outlying districts where hunger is "
        "most widespread.",
    ),
    (
        "en",
        (2,),
        (4,),
        "The national school meals programme buys at least 30 percent of its beans, "
        "maize and vegetables from nearby family farms. Smallholders receive a "
        "guaranteed market and advance contracts, which has encouraged them to "
        "invest in improved seed, while children get a hot, varied meal every "
        "school day.",
    ),
    (
        "en",
        (3,),
        (5, 8),
        "Community health workers, nine in ten of them women, now test and treat "
        "malaria, pneumonia and diarrhoea in children at village level. Deaths of "
        "children under five in the programme districts have fallen by a quarter, "
        "and stock-outs of medicines have dropped since workers started reporting "
        "supplies by phone.",
    ),
    (
        "en",
        (3,),
        (6,),
        "Hospital-acquired infections affect one in ten patients admitted to the "
        "country's referral hospitals. An infection prevention programme trained "
        "staff in hand hygiene at the bedside, introduced alcohol-based hand rub "
        "produced locally and audits compliance monthly, and bloodstream infections "
        "in intensive care units have fallen by 40 percent.",
    ),
    (
        "en",
        (6,),
        (14,),
        "Pumping from coastal wells has drawn seawater into the aquifer that "
        "supplies the town. Isotope and salinity surveys mapped the advance of the "
        "saline front, and the water utility has relocated boreholes inland, "
        "reduced abstraction in summer and started injecting treated stormwater to "
        "protect the freshwater reserve.",
    ),
]

# Fourth batch: extra hard negatives after label review.
DEV += [
    (
        "en",
        (6,),
        (9, 12),
        "A brewery and two textile mills in the drought-prone valley now treat and "
        "reuse most of their process water instead of drawing it from the river. "
        "Together they have cut freshwater withdrawals by 40 percent, and the basin "
        "agency has made water reuse a condition for any new industrial "
        "abstraction permit.",
    ),
    (
        "en",
        (13,),
        (12,),
        "Methane escaping from the country's three largest landfills accounts for "
        "a tenth of national greenhouse gas emissions. Under the new mitigation "
        "action, operators must cap closed cells and capture and flare landfill "
        "gas, and the reductions will be counted towards the climate pledge.",
    ),
]

# ---------------------------------------------------------------------------
# HOLDOUT SET (disjoint texts, used only for the final check)
# ---------------------------------------------------------------------------
HOLDOUT = [
    # ----------------------------------------------------------- SDG 1 ----
    (
        "en",
        (1,),
        (5, 8, 10),
        "The family allowance now pays a fixed monthly amount for every child in "
        "households whose income falls below the national poverty line, with no "
        "conditions attached. Payments go directly to mothers' bank cards. Two "
        "years after the launch, child poverty has fallen from 31 to 22 percent, "
        "and the government has committed to keep the programme in next year's "
        "budget despite fiscal pressures.",
    ),
    (
        "es",
        (1,),
        (10,),
        "En los distritos andinos más pobres, el programa de apoyo directo entrega "
        "cada dos meses una transferencia a los hogares en situación de pobreza "
        "extrema, acompañada de visitas de promotores que ayudan a las familias a "
        "tramitar su documento de identidad y acceder a los servicios públicos. La "
        "pobreza extrema en las zonas atendidas bajó del 24 % al 13 % en seis años.",
    ),
    (
        "en",
        (1,),
        (5,),
        "Savings groups of 20 to 25 members, most of them women from the poorest "
        "households, meet weekly to pool small deposits and lend to each other. "
        "After two cycles, members had accumulated enough to pay for seed, school "
        "uniforms and emergencies without turning to moneylenders, and fewer "
        "households reported going without food in the lean months.",
    ),
    (
        "ru",
        (1,),
        (8, 10),
        "Малоимущие семьи в регионе могут заключить социальный контракт с органами "
        "соцзащиты: государство выплачивает единовременную помощь на открытие "
        "собственного дела, обучение или ведение личного подсобного хозяйства, а "
        "семья берёт на себя обязательство повысить свой доход. По итогам года "
        "более шестидесяти процентов участников вышли из бедности.",
    ),
    (
        "en",
        (1,),
        (17,),
        "Combining census data with the household survey, statisticians produced a "
        "poverty map estimating the poverty rate for each of the country's 1,200 "
        "municipalities. The map reveals pockets of deep poverty hidden in "
        "provinces that look well-off on average, and the social ministry will use "
        "it to reallocate anti-poverty funds.",
    ),
    (
        "en",
        (1,),
        (2, 13),
        "After the drought killed most of their animals, thousands of pastoralist "
        "families were left destitute and moved to camps near towns. A restocking "
        "programme gives each of the poorest households a starter herd of goats and "
        "sheep, together with veterinary care and cash support for six months, so "
        "that they can rebuild their livelihoods.",
    ),
    # ----------------------------------------------------------- SDG 2 ----
    (
        "en",
        (2,),
        (13,),
        "Rice growers in the delta have lost yields to salt-affected soils for "
        "decades. Breeders exposed seeds to gamma rays and selected a mutant that "
        "tolerates moderate salinity and yields 4.5 tonnes per hectare where the "
        "old variety gave barely two. Farmers' associations are multiplying seed "
        "for distribution across 60,000 hectares.",
    ),
    (
        "en",
        (2,),
        (3,),
        "A network of veterinary laboratories equipped with real-time PCR, a "
        "nuclear-derived technique, can now confirm foot-and-mouth disease and "
        "African swine fever within a day. Rapid diagnosis allowed authorities to "
        "contain an outbreak to three farms, protecting the herds and incomes of "
        "thousands of smallholder pig and cattle keepers.",
    ),
    (
        "zh",
        (2,),
        (15,),
        "利用辐射诱变技术，该农科院培育出一批抗倒伏、抗赤霉病的小麦新品种。新品种平均"
        "亩产比对照品种高出百分之八，已在黄淮麦区推广种植两千多万亩，为保障国家粮食"
        "安全和增加农民收入作出了贡献。",
    ),
    (
        "en",
        (2,),
        (3,),
        "With the harvest failing for a third year, the number of children admitted "
        "for severe acute malnutrition has doubled. Outpatient feeding sites are "
        "distributing ready-to-use therapeutic food, and mobile teams screen "
        "children's mid-upper arm circumference in remote villages so that cases "
        "of wasting are detected before they become life-threatening.",
    ),
    (
        "en",
        (2,),
        (9,),
        "Public spending on agricultural research and extension has fallen to 0.2 "
        "percent of agricultural GDP, one of the lowest levels in the region. The "
        "new agriculture investment plan triples the research budget, rehabilitates "
        "seed multiplication farms and hires 1,500 extension officers to help "
        "smallholders raise productivity.",
    ),
    (
        "fr",
        (2,),
        (6,),
        "Dans la vallée du fleuve Sénégal, les périmètres irrigués permettent "
        "désormais deux campagnes de riz par an. Grâce à des semences certifiées, "
        "au planage des parcelles et à un meilleur calendrier cultural, les "
        "rendements moyens ont atteint 6 tonnes à l'hectare, et la production "
        "locale couvre une part croissante de la consommation nationale de riz.",
    ),
    # ----------------------------------------------------------- SDG 3 ----
    (
        "en",
        (3,),
        (9,),
        "A high-dose-rate brachytherapy unit has been installed at the cancer centre, "
        "allowing women with cervical cancer to complete their treatment locally. "
        "Previously, patients who had received external beam radiotherapy often "
        "could not afford to travel for brachytherapy, which sharply reduced their "
        "chances of cure.",
    ),
    (
        "ar",
        (3,),
        (5,),
        "يُعدّ سرطان الثدي أكثر أنواع السرطان شيوعاً بين النساء في البلاد، وتُكتشف "
        "معظم الحالات في مراحل متأخرة. وقد زُوّدت المستشفيات الإقليمية بأجهزة تصوير "
        "الثدي الشعاعي وبوحدة للعلاج الإشعاعي، مع تدريب أطباء الأشعة والفيزيائيين "
        "الطبيين، مما يسمح بالكشف المبكر وعلاج المريضات دون السفر إلى العاصمة.",
    ),
    (
        "en",
        (3,),
        (15,),
        "Indoor residual spraying and the distribution of long-lasting insecticidal "
        "nets to every household cut malaria cases in the highland districts by 60 "
        "percent. Community health workers now test every fever case with a rapid "
        "diagnostic test, and the country aims to eliminate local transmission by "
        "2030.",
    ),
    (
        "en",
        (3,),
        (16,),
        "The harm reduction programme provides opioid substitution therapy, clean "
        "needles and counselling to people who inject drugs. Since it began, new "
        "HIV infections among participants have fallen sharply and overdose deaths "
        "in the city have declined by a third. The city now plans to open two "
        "more treatment centres.",
    ),
    (
        "en",
        (3,),
        (8, 10),
        "Rural clinics lose half of their doctors and nurses within three years. The "
        "health workforce strategy offers rural allowances, housing and priority "
        "access to specialist training, and medical schools now reserve places for "
        "students from remote districts, who are more likely to return.",
    ),
    (
        "en",
        (3,),
        (2,),
        "Sleeping sickness has been eliminated as a public health problem in the "
        "focus after screening of villagers, treatment with new oral drugs and "
        "control of tsetse flies with insecticide-impregnated targets and sterile "
        "male releases. No new human cases have been reported for three years.",
    ),
    # ----------------------------------------------------------- SDG 4 ----
    (
        "en",
        (4,),
        (3, 8),
        "School closures during the pandemic left many children two years behind in "
        "reading and mathematics. Catch-up classes grouping pupils by learning level "
        "rather than age, delivered by trained volunteers for one hour a day, "
        "helped most participants reach grade-level competencies within a school "
        "year.",
    ),
    (
        "es",
        (4,),
        (10,),
        "En las escuelas de comunidades indígenas, los niños aprenden a leer primero "
        "en su lengua materna y luego en castellano. El modelo de educación "
        "intercultural bilingüe cuenta con docentes formados en ambas lenguas y "
        "materiales elaborados con las propias comunidades, y los resultados en "
        "comprensión lectora de tercer grado han mejorado de forma notable.",
    ),
    (
        "en",
        (4,),
        (9,),
        "Computer labs with internet access have been installed in 800 secondary "
        "schools, and teachers have been trained to run coding clubs and teach "
        "basic digital skills. Students now learn to use spreadsheets, build simple "
        "websites and evaluate information online as part of the national "
        "curriculum.",
    ),
    (
        "en",
        (4, 5),
        (7,),
        "Forty secondary school girls took part in a two-week summer school on "
        "nuclear science, visiting a research reactor, a radiotherapy department "
        "and an isotope hydrology laboratory. The programme, led by women "
        "scientists, aims to encourage girls to choose physics and engineering at "
        "university, where they remain a small minority.",
    ),
    (
        "en",
        (4,),
        (8,),
        "The education ministry will recruit 20,000 primary teachers over three "
        "years to bring the pupil-teacher ratio below 40 in every district. Newly "
        "qualified teachers posted to remote schools will receive housing and a "
        "hardship allowance, and a national induction programme supports them in "
        "their first year.",
    ),
    (
        "en",
        (4,),
        (16,),
        "The revised curriculum introduces human rights, peace and global "
        "citizenship education in all grades. Pupils discuss conflict resolution, "
        "cultural diversity and the rights of others through projects and debates, "
        "and teacher training colleges have added a compulsory module on these "
        "subjects.",
    ),
    # ----------------------------------------------------------- SDG 5 ----
    (
        "fr",
        (5,),
        (3,),
        "Le nombre de femmes tuées par leur conjoint ou ex-conjoint reste "
        "préoccupant. Le gouvernement généralise le bracelet anti-rapprochement, "
        "crée des juridictions spécialisées dans les violences intrafamiliales et "
        "finance 3 000 places d'hébergement d'urgence supplémentaires pour les "
        "victimes et leurs enfants.",
    ),
    (
        "en",
        (5,),
        (8,),
        "Fathers will be entitled to ten weeks of paid, non-transferable parental "
        "leave, and public crèches will be expanded to cover 60 percent of children "
        "under three. The reform seeks to redistribute childcare between women and "
        "men and to end the penalty that mothers face in their careers.",
    ),
    (
        "en",
        (5,),
        (2,),
        "Only 12 percent of registered agricultural land belongs to women. Under the "
        "land certification drive, surveyors now record the names of both spouses, "
        "and widows and single women can register plots in their own name. In the "
        "pilot districts, the share of parcels held by women rose to 41 percent.",
    ),
    (
        "ru",
        (5,),
        (8,),
        "С нового года утратил силу перечень профессий, запрещённых для женщин, в "
        "который входили более четырёхсот специальностей. Теперь женщины могут "
        "работать машинистами, водолазами и на других должностях, ранее доступных "
        "только мужчинам, а работодатели не вправе отказать им в приёме на "
        "работу по признаку пола. Правозащитники считают это важным шагом к устранению "
        "дискриминации женщин.",
    ),
    (
        "en",
        (5,),
        (4,),
        "One in four young women in the region was married before the age of 18, "
        "according to the new survey. Community programmes that engage parents and "
        "religious leaders, combined with birth registration and enforcement of the "
        "legal minimum age, have reduced child marriage in the pilot districts by a "
        "third.",
    ),
    # ----------------------------------------------------------- SDG 6 ----
    (
        "en",
        (6,),
        (17,),
        "Four countries share a vast fossil aquifer beneath the desert. Isotope "
        "dating showed that the groundwater is up to 40,000 years old and is barely "
        "replenished today. On the basis of these findings, the countries set up a "
        "joint authority to exchange data and agree limits on abstraction from "
        "the shared resource.",
    ),
    (
        "zh",
        (6,),
        (3,),
        "为解决山区农村饮水难问题，该县实施农村供水保障工程，新建集中供水站四十座，配备"
        "净化消毒设备和水质在线监测系统。目前全县农村自来水普及率达到百分之九十二，"
        "二十多万群众喝上了安全放心的自来水。",
    ),
    (
        "en",
        (6,),
        (11, 12, 14),
        "The city's new wastewater treatment plant can treat 250,000 cubic metres "
        "per day, raising the share of safely treated sewage from 30 to 75 percent. "
        "Sludge is digested to produce biogas for the plant's own use, and the "
        "treated effluent meets standards for reuse in parks and industry.",
    ),
    (
        "en",
        (6,),
        (5,),
        "Women and girls in the district used to spend up to three hours a day "
        "collecting water from distant rivers. Solar-powered boreholes with "
        "distribution networks and public taps now bring safe water within 200 "
        "metres of 85 percent of households, and water user committees collect "
        "fees for repairs.",
    ),
    (
        "en",
        (6,),
        (13,),
        "Using stable isotopes, hydrologists showed that the reservoir loses a "
        "quarter of its inflow to evaporation in the dry season. The water authority "
        "is now testing floating covers on the smaller basins and revising the "
        "allocation rules so that drinking water needs are met first.",
    ),
    (
        "en",
        (6,),
        (15,),
        "Monitoring of 40 sites around the lake showed phosphorus and E. coli levels "
        "above standards near untreated outflows from towns. The lake basin "
        "authority has drawn up a water quality plan that requires sewage treatment "
        "in lakeside towns and buffer strips along tributaries.",
    ),
    # ----------------------------------------------------------- SDG 7 ----
    (
        "en",
        (7,),
        (13,),
        "The newcomer country has completed the first phase of its nuclear power "
        "programme, assessing electricity demand, grid capacity and candidate sites "
        "for a 1,200-megawatt plant. The energy ministry is now preparing the "
        "tender, and the plant would diversify a power system that depends heavily "
        "on imported oil.",
    ),
    (
        "ar",
        (7,),
        (3,),
        "في المناطق الريفية النائية، كانت المراكز الصحية تعمل دون كهرباء أو تعتمد على "
        "مولدات الديزل المكلفة. وقد رُكّبت أنظمة طاقة شمسية مع بطاريات تخزين في "
        "ثلاثمئة مركز صحي ومدرسة، وأصبحت هذه المرافق تحصل على كهرباء مستقرة على "
        "مدار الساعة لأول مرة.",
    ),
    (
        "es",
        (7,),
        (13,),
        "El parque eólico de 300 megavatios en la costa norte entró en operación "
        "comercial, y con él las energías renovables no convencionales ya "
        "representan el 30 % de la generación eléctrica del país. El regulador "
        "prepara una nueva subasta que incluirá almacenamiento en baterías para "
        "integrar mejor la producción variable.",
    ),
    (
        "en",
        (7,),
        (15,),
        "Sales of efficient biomass cookstoves have passed one million units, "
        "supported by carbon finance and a network of local retailers. The stoves "
        "use 40 percent less charcoal than traditional models, saving households "
        "money, and a new line burns ethanol for urban customers.",
    ),
    (
        "en",
        (7,),
        (11, 12),
        "The municipality replaced 45,000 sodium street lamps with LED fixtures "
        "controlled by a central management system that dims lighting late at "
        "night. Electricity consumption for public lighting has fallen by 60 "
        "percent, and savings repay the investment within five years.",
    ),
    (
        "en",
        (7,),
        (9,),
        "A 200-megawatt battery storage system has been connected to the grid to "
        "absorb surplus solar power at midday and release it during the evening "
        "peak. Grid operators report fewer curtailments of solar plants and more "
        "stable frequency, and two more storage projects have been tendered.",
    ),
    # ----------------------------------------------------------- SDG 8 ----
    (
        "en",
        (8,),
        (4,),
        "Under the youth guarantee, every young person who has been unemployed or "
        "out of education for four months is offered a job, a traineeship or a "
        "place in further training. Public employment services have hired "
        "specialised counsellors, and the share of young people not in employment, "
        "education or training has fallen to 11 percent.",
    ),
    (
        "zh",
        (8,),
        (1, 10),
        "近年来，网约车司机、外卖骑手等灵活就业人员快速增加，但不少人缺乏工伤保障。"
        "该省开展新就业形态人员职业伤害保障试点，平台企业按单缴费，劳动者在工作中受伤"
        "可获得医疗费和伤残补助。同时，人社部门督促平台公开计酬规则，保障劳动者获得"
        "合理报酬。",
    ),
    (
        "en",
        (8,),
        (1,),
        "Families working in brick kilns often borrow advances from kiln owners that "
        "they can never repay, binding them to years of unpaid labour. Labour "
        "inspectors and police freed 600 bonded workers in a series of raids, and "
        "courts have begun prosecuting owners under the law abolishing debt "
        "bondage.",
    ),
    (
        "en",
        (8,),
        (1,),
        "The economy has expanded by more than 7 percent a year for five years, one "
        "of the fastest rates among least developed countries. Growth has been led "
        "by construction, manufacturing and services, but economists warn that it "
        "depends on public investment financed by borrowing.",
    ),
    (
        "en",
        (8,),
        (13,),
        "New regulations require employers to provide shade, water and rest breaks "
        "for outdoor workers when temperatures exceed 32 degrees, and to stop work "
        "in the hottest hours. Construction and farm workers can report violations "
        "anonymously to the labour inspectorate, which can fine employers and "
        "suspend work on site.",
    ),
    # ----------------------------------------------------------- SDG 9 ----
    (
        "en",
        (9,),
        (11,),
        "The railway company uses ultrasonic and eddy current testing to inspect "
        "every wheel axle and a sample of rail welds each month. Since the "
        "programme was introduced, no derailments have been caused by axle "
        "failures, and the inspection unit has been accredited to international "
        "standards.",
    ),
    (
        "en",
        (9,),
        (3,),
        "The country's first commercial gamma irradiation plant sterilises syringes, "
        "surgical gloves and other single-use medical devices for local "
        "manufacturers, who previously shipped their products abroad for "
        "sterilisation. The plant also serves exporters of spices and cosmetics, "
        "and two more companies have set up production lines nearby.",
    ),
    (
        "fr",
        (9,),
        (2,),
        "La nouvelle zone agro-industrielle accueille des usines de transformation "
        "de la noix de cajou, du karité et du soja. Alors que le pays exportait "
        "jusqu'ici la quasi-totalité de sa récolte de cajou à l'état brut, "
        "près d'un quart est désormais décortiqué localement, ce qui augmente la "
        "valeur ajoutée industrielle.",
    ),
    (
        "en",
        (9,),
        (8, 17),
        "Patent applications by resident inventors have tripled since the "
        "government introduced a 150 percent tax deduction for research spending "
        "and opened innovation hubs at four universities. Start-ups working on "
        "medical devices and agricultural sensors have attracted venture capital "
        "for the first time.",
    ),
    (
        "en",
        (9,),
        (11,),
        "The new 1.5-kilometre bridge across the river completes the regional "
        "highway corridor linking the port to three landlocked neighbours. Trucks "
        "no longer wait hours for the ferry, and transport operators estimate that "
        "freight costs along the corridor will fall by a fifth.",
    ),
    (
        "ru",
        (9,),
        (7,),
        "После модернизации исследовательский ядерный реактор университета вновь "
        "введён в эксплуатацию. На нём будут облучать кремний для электронной "
        "промышленности, проводить нейтронно-активационный анализ и исследования "
        "новых материалов, а также обучать студентов. Доступ к установке получат "
        "научные группы из других вузов и промышленные компании.",
    ),
    # ----------------------------------------------------------- SDG 10 ---
    (
        "en",
        (10,),
        (16,),
        "Workers recruited for jobs abroad often pay agents fees equal to several "
        "months of wages. The bilateral agreement makes employers bear all "
        "recruitment costs, licenses agencies and creates a complaints mechanism, "
        "with the aim of making labour migration safe and affordable.",
    ),
    (
        "ar",
        (10,),
        (4,),
        "يواجه الأشخاص ذوو الإعاقة صعوبات كبيرة في الوصول إلى العمل والخدمات العامة. "
        "ويُلزم القانون الجديد المؤسسات الحكومية والخاصة بتوظيف نسبة لا تقل عن أربعة "
        "في المئة منهم، ويفرض معايير الوصول في المباني ووسائل النقل، ويُنشئ مجلساً "
        "وطنياً لمتابعة تطبيق حقوقهم ومكافحة التمييز ضدهم.",
    ),
    (
        "en",
        (10,),
        (17,),
        "After taxes and transfers, the Gini coefficient falls by only three points, "
        "compared with fifteen points in countries with more developed welfare "
        "states. The fiscal incidence study recommends shifting spending from "
        "energy subsidies that mostly benefit the rich to targeted transfers and "
        "more progressive income tax.",
    ),
    (
        "en",
        (10,),
        (5,),
        "A survey found that one in four lesbian, gay, bisexual and transgender "
        "employees had been harassed or passed over for promotion because of their "
        "identity. The amended equality law now explicitly covers sexual "
        "orientation and gender identity, and employers must have procedures to "
        "address complaints.",
    ),
    (
        "zh",
        (10,),
        (1,),
        "该省城乡居民收入比已由十年前的二点八降至二点二，农村居民收入增速连续多年快于"
        "城镇居民。省政府提出，将继续推进基本公共服务均等化，扩大农村社会保障覆盖面，"
        "缩小地区之间和城乡之间的收入差距。",
    ),
    # ----------------------------------------------------------- SDG 11 ---
    (
        "es",
        (11,),
        (9,),
        "El sistema de teleférico urbano conecta los barrios de ladera con el "
        "centro de la ciudad en quince minutos, un trayecto que antes tomaba más de "
        "una hora en varios buses. El pasaje está integrado con el metro y tiene "
        "tarifa social, y alrededor de las estaciones se construyeron bibliotecas y "
        "plazas.",
    ),
    (
        "en",
        (11,),
        (9,),
        "Neutron and X-ray imaging revealed the internal structure and ancient "
        "repairs of a bronze statue recovered from the sea, guiding conservators "
        "in removing corrosion without damaging the metal. The statue is now "
        "displayed in the archaeological museum of the old city.",
    ),
    (
        "en",
        (11,),
        (13,),
        "After the volcanic eruption forced 30,000 people to flee, the city adopted "
        "an evacuation plan with marked routes, sirens and shelters, and rehearses "
        "it twice a year. Building in the highest-hazard zone on the volcano's "
        "flank is no longer permitted.",
    ),
    (
        "en",
        (11,),
        (15,),
        "The city has planted 80,000 street trees over five years and opened 20 "
        "pocket parks in dense neighbourhoods that had no green space. Residents "
        "help maintain the parks, which are now the main places for children to "
        "play and for older people to meet.",
    ),
    (
        "en",
        (11,),
        (7,),
        "The city replaced 600 old diesel buses with electric ones and introduced "
        "dedicated bus lanes on its busiest roads. Average commuting times have "
        "fallen, ridership has grown by 18 percent and roadside nitrogen dioxide "
        "levels along the main corridors have dropped.",
    ),
    # ----------------------------------------------------------- SDG 12 ---
    (
        "en",
        (12, 2),
        (9,),
        "Insects destroy up to a fifth of stored maize and pulses in the region. "
        "Irradiation of grain at the new facility, followed by storage in hermetic "
        "bags, has cut storage losses to under 2 percent, and cooperatives can now "
        "hold stocks longer and sell when prices are better.",
    ),
    (
        "fr",
        (12,),
        (11, 14),
        "Depuis l'entrée en vigueur de l'interdiction des sacs plastiques à usage "
        "unique, la consommation de sacs a chuté de 80 %. Les commerçants proposent "
        "des sacs réutilisables en tissu, et la loi s'étend désormais aux gobelets, "
        "pailles et couverts jetables. Les contrevenants s'exposent à des amendes.",
    ),
    (
        "en",
        (12,),
        (2,),
        "More than 3,000 tonnes of obsolete pesticides, some banned decades ago, "
        "were found in leaking drums at rural warehouses. Teams have repackaged the "
        "stocks and shipped them abroad for high-temperature incineration, and "
        "contaminated soil at the sites is being cleaned up.",
    ),
    (
        "en",
        (12,),
        (9,),
        "A remanufacturing company restores used engines, gearboxes and printer "
        "cartridges to as-new condition and sells them with a full warranty. The "
        "business model uses 80 percent less material than new production, and "
        "the company is working with car makers to design parts that are easier to "
        "disassemble.",
    ),
    (
        "en",
        (12,),
        (8, 14),
        "The island has capped cruise ship visitors at 8,000 a day and introduced a "
        "tourism sustainability observatory that monitors water consumption, waste "
        "and crowding at heritage sites. Hotels must report indicators each year to "
        "keep their operating licences. Revenue from a new visitor levy funds "
        "the observatory and waste management.",
    ),
    # ----------------------------------------------------------- SDG 13 ---
    (
        "en",
        (13,),
        (7,),
        "The climate law makes the 2050 net-zero target legally binding and sets "
        "five-year carbon budgets. An independent climate council will assess "
        "progress each year, and ministers must present corrective plans to "
        "parliament if emissions exceed the budget. Every new law and public "
        "investment must be checked for consistency with the target.",
    ),
    (
        "ru",
        (13,),
        (9,),
        "Из-за потепления климата вечная мерзлота на севере страны оттаивает, и "
        "всё больше зданий, трубопроводов и дорог получают деформации. "
        "Правительство утвердило программу адаптации, которая включает мониторинг "
        "состояния мерзлых грунтов, новые строительные нормы и оценку "
        "климатических рисков для каждого крупного объекта инфраструктуры в "
        "арктических регионах.",
    ),
    (
        "en",
        (13,),
        (6, 14),
        "Pacific island communities now receive early warnings of cyclones, coastal "
        "inundation and drought through a regional climate service. Village "
        "committees have drawn up action plans that specify evacuation sites and "
        "measures to secure water and food before a climate-related disaster "
        "strikes.",
    ),
    (
        "en",
        (13,),
        (7,),
        "Developed countries reported climate finance flows of $115 billion last "
        "year, with adaptation receiving about a quarter. The report notes that "
        "most finance is provided as loans and that small island states and least "
        "developed countries still find it difficult to access funds.",
    ),
    (
        "en",
        (13,),
        (15,),
        "Isotope records from tree rings and lake sediments have been used to "
        "reconstruct rainfall in the region over the past 800 years. The long "
        "record shows that droughts more severe than any in the instrumental "
        "period have occurred, and the climate service is incorporating this "
        "information into adaptation planning.",
    ),
    # ----------------------------------------------------------- SDG 14 ---
    (
        "en",
        (14,),
        (3, 6),
        "Lead and mercury isotopes in sediments and fish from the bay revealed that "
        "most of the contamination comes from a former smelter and untreated "
        "industrial discharges rather than from natural sources. The findings "
        "support a clean-up plan to reduce pollution of the marine environment.",
    ),
    (
        "ar",
        (14,),
        (15,),
        "أُعلنت منطقة من الشعاب المرجانية في البحر الأحمر محمية بحرية يُمنع فيها "
        "الصيد والرسو العشوائي للقوارب. وتراقب فرق من الغواصين والعلماء حالة "
        "المرجان وأعداد الأسماك بشكل دوري، بينما يشارك الصيادون المحليون في "
        "دوريات الحراسة ويحصلون على دخل بديل من السياحة البيئية.",
    ),
    (
        "en",
        (14,),
        (2,),
        "Villages along the coast close octopus fishing grounds for three months at "
        "a time and then reopen them. Catches after each reopening are larger and "
        "the animals heavier, and the community rules are now recognised in the "
        "national fisheries regulations.",
    ),
    (
        "en",
        (14,),
        (12,),
        "Divers and fishers retrieved 40 tonnes of abandoned nets, lines and traps "
        "from the reefs last year. Lost gear continues to trap turtles, fish and "
        "seabirds, so the fisheries agency now requires gear marking and offers a "
        "payment for old nets returned to port.",
    ),
    (
        "en",
        (14,),
        (9,),
        "Several governments are calling for a moratorium on deep-sea mining until "
        "scientists better understand the ecosystems of the abyssal plains. "
        "Research cruises have found dozens of unknown species on nodule fields, "
        "and sediment plumes from mining could smother life over wide areas of "
        "the seabed.",
    ),
    # ----------------------------------------------------------- SDG 15 ---
    (
        "en",
        (15,),
        (12, 16),
        "Stable isotope and trace element analysis can show where a log was grown, "
        "allowing customs to check whether timber labelled as legally harvested "
        "really comes from the declared concession. The method is helping forest "
        "authorities combat illegal logging in protected forests.",
    ),
    (
        "fr",
        (15,),
        (13,),
        "Au Sahel, des communautés restaurent des terres dégradées en creusant des "
        "demi-lunes et des zaï, en plantant des espèces locales et en protégeant "
        "la régénération naturelle des arbres dans les champs. Plus de 200 000 "
        "hectares ont retrouvé un couvert végétal, freinant la désertification.",
    ),
    (
        "en",
        (15,),
        (1,),
        "In villages where communities received legal rights to manage their "
        "forests, deforestation rates were half those in comparable state-managed "
        "forests. Forest user groups patrol the woods, regulate firewood "
        "collection and replant cleared areas. The ministry plans to hand over a "
        "further 500,000 hectares to community management.",
    ),
    (
        "en",
        (15,),
        (2,),
        "Wild bee populations have declined sharply across farmland because of "
        "habitat loss and pesticide use. The biodiversity strategy protects "
        "hedgerows and flower-rich grasslands, restricts the most toxic "
        "insecticides and funds monitoring of pollinator species. Farmers are paid "
        "to sow wildflower margins around their fields.",
    ),
    (
        "en",
        (15,),
        (14,),
        "The government has extended protected areas to cover 22 percent of its "
        "land, including montane forests and grasslands identified as key "
        "biodiversity areas. Rangers have been recruited in the new reserves, and "
        "neighbouring communities share revenue from park entry fees.",
    ),
    # ----------------------------------------------------------- SDG 16 ---
    (
        "en",
        (16,),
        (4,),
        "Parliament has banned all corporal punishment of children, including in the "
        "home. The law is accompanied by a positive parenting campaign and a "
        "helpline for children, and social workers can intervene when a child is at "
        "risk of violence or abuse.",
    ),
    (
        "es",
        (16,),
        (9,),
        "Desde la entrada en vigor de la ley de acceso a la información pública, "
        "los ciudadanos presentaron más de 80.000 solicitudes. Sin embargo, el "
        "informe del órgano garante señala que un tercio de las respuestas llegan "
        "fuera de plazo y que varios periodistas que investigaban contratos públicos "
        "han sido amenazados.",
    ),
    (
        "en",
        (16,),
        (7, 17),
        "An international peer review of the nuclear regulatory body recommended "
        "that its independence be guaranteed in law, that it be given its own "
        "budget line and that it recruit 40 more inspectors. The government has "
        "agreed an action plan to implement the recommendations within three "
        "years.",
    ),
    (
        "en",
        (16,),
        (8, 17),
        "The country has been removed from the list of jurisdictions under increased "
        "monitoring for money laundering after adopting a beneficial ownership "
        "register, prosecuting major laundering cases and strengthening supervision "
        "of banks and real estate agents. Suspicious transaction reports have "
        "tripled, and two former officials have been convicted.",
    ),
    (
        "en",
        (16,),
        (9,),
        "A national digital ID has been issued to 92 percent of adults, and newborns "
        "are registered at birth in hospitals. The ID gives people proof of legal "
        "identity to open bank accounts, register land and vote, and a data "
        "protection authority oversees the system.",
    ),
    (
        "en",
        (16,),
        (10,),
        "The peace agreement ended a ten-year armed conflict that killed more than "
        "20,000 people. Former combatants are handing in weapons under "
        "international supervision, a truth commission will investigate abuses, "
        "and a special tribunal will try those responsible for the most serious "
        "crimes.",
    ),
    # ----------------------------------------------------------- SDG 17 ---
    (
        "en",
        (17,),
        (3,),
        "The government and the international agency signed a country programme "
        "framework for 2025 to 2030, identifying priorities for technical "
        "cooperation and the resources each partner will mobilise. National "
        "institutions will co-finance projects, and the framework commits partners "
        "to joint monitoring of results.",
    ),
    (
        "ar",
        (17,),
        (8, 16),
        "تسعى الحكومة إلى رفع الإيرادات الضريبية من اثني عشر إلى ستة عشر في المئة من "
        "الناتج المحلي الإجمالي خلال أربع سنوات، عبر الفوترة الإلكترونية وتوسيع القاعدة "
        "الضريبية لتشمل الشركات الرقمية ومكافحة التهرب الضريبي، بهدف تمويل التنمية من "
        "الموارد المحلية وتقليل الاعتماد على القروض الخارجية.",
    ),
    (
        "en",
        (17,),
        (9, 16),
        "The national data portal now publishes statistics for 180 indicators of "
        "the development goals, disaggregated by sex, age and region where "
        "available. It was built through a partnership between the statistics "
        "office, a mobile phone operator and an international foundation.",
    ),
    (
        "en",
        (17,),
        (9,),
        "Aid for trade funded a single electronic window where exporters submit all "
        "customs, health and standards documents online. Clearance times for "
        "exports have fallen from nine days to two, and the country's share of "
        "regional exports has grown. Donors will now finance a second phase "
        "covering imports and transit.",
    ),
    (
        "en",
        (17,),
        (4,),
        "Statisticians from the national office spent three months with "
        "counterparts in a partner country learning to run a labour force survey "
        "on tablets. The South-South exchange, funded by both governments, will "
        "continue with joint training on census methods and a visit by the "
        "partner's experts to review the new survey data.",
    ),
    (
        "fr",
        (17,),
        (8,),
        "Le pays a conclu un accord de restructuration de sa dette avec ses "
        "créanciers bilatéraux et les porteurs d'obligations, qui allonge les "
        "échéances et réduit de 30 % la valeur actuelle des remboursements. Le FMI "
        "estime que la dette publique redeviendra soutenable d'ici 2028.",
    ),
    # ------------------------------------------------ extra hard negatives
    (
        "en",
        (2,),
        (1, 5, 6),
        "Women's vegetable groups that switched to low-pressure drip kits and "
        "improved tomato and onion varieties have doubled their marketable harvest. "
        "The kits are sold on credit through an agro-dealer network, and extension "
        "agents teach fertigation and pest scouting so that yields stay high "
        "through the dry season.",
    ),
    (
        "en",
        (3,),
        (6,),
        "Diarrhoea remains a leading cause of death among young children in the "
        "province. Health workers now give oral rehydration salts together with "
        "zinc tablets for every episode, and rotavirus vaccine has been added to "
        "the routine immunisation schedule. Hospital admissions for severe "
        "dehydration have fallen by half.",
    ),
    (
        "en",
        (14,),
        (12,),
        "A study of the country's ten largest rivers estimated that they carry "
        "about 20,000 tonnes of plastic into the sea each year, mainly bags, "
        "bottles and food wrappers. Floating booms at river mouths and regular "
        "beach clean-ups are being used to intercept debris before it damages "
        "coastal reefs and wildlife.",
    ),
    (
        "en",
        (11,),
        (12,),
        "A fire at the city's overflowing dump burned for two weeks, covering "
        "nearby neighbourhoods in smoke. The council has extended daily waste "
        "collection to all districts, closed the dump and opened an engineered "
        "landfill with gas flaring and a fenced perimeter.",
    ),
    (
        "en",
        (8,),
        (5, 14),
        "The new tuna cannery in the port town employs 1,800 workers, most of them "
        "women, on permanent contracts with social security and a workplace "
        "crèche. The plant has become the largest private employer in the "
        "province, and suppliers of cans, cartons and transport services have "
        "added several hundred more jobs.",
    ),
    (
        "en",
        (2,),
        (14,),
        "Fish farmers on the lake now raise tilapia in floating cages using "
        "improved fingerlings and locally made feed. Production has reached 15,000 "
        "tonnes a year, making affordable fish available in inland markets and "
        "improving the diets of families who rarely ate animal protein.",
    ),
    # ------------------------------------------------------- no SDG ------
    (
        "en",
        (),
        (4, 11),
        "The orchestra opened the season with a fiery performance of the Fifth "
        "Symphony, taking the finale at a breathless tempo. The young soloist in "
        "the concerto dazzled with her cadenza, although the brass occasionally "
        "overpowered the strings in the hall's dry acoustics. The concert will be "
        "repeated on Sunday afternoon.",
    ),
    (
        "en",
        (),
        (9, 12),
        "The new phone's camera is excellent in daylight and its night mode is a "
        "clear improvement on last year's model. Battery life easily lasts a full "
        "day, but the device is heavy and the charger is sold separately. At its "
        "launch price, it faces strong competition from cheaper rivals.",
    ),
]

# ---------------------------------------------------------------------------
# Building, summary and checks
# ---------------------------------------------------------------------------
HEADER = ["id", "text", "sdg", "label"]
LANGS = ["en", "fr", "es", "ar", "zh", "ru"]


def build_rows(entries, prefix):
    """Turn (lang, pos, neg, text) entries into CSV rows and a per-id language map."""
    rows, langs = [], {}
    for n, (lang, pos, neg, text) in enumerate(entries, start=1):
        tid = f"{prefix}{n:04d}"
        langs[tid] = lang
        labels = {g: True for g in pos}
        for g in neg:
            if g in labels:
                raise ValueError(f"{tid}: goal {g} is both positive and negative")
            labels[g] = False
        for g in sorted(labels):
            rows.append(
                {
                    "id": tid,
                    "text": " ".join(text.split()),
                    "sdg": g,
                    "label": "True" if labels[g] else "False",
                }
            )
    return rows, langs


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(rows)


def summarise(name, rows, langs):
    print(f"\n=== {name}: {len(rows)} rows, {len(langs)} texts ===")
    per_goal = defaultdict(Counter)
    for r in rows:
        per_goal[r["sdg"]][r["label"]] += 1
    print(f"{'SDG':>4} {'rows':>5} {'pos':>4} {'neg':>4}")
    for g in range(1, 18):
        c = per_goal[g]
        print(f"{g:>4} {c['True'] + c['False']:>5} {c['True']:>4} {c['False']:>4}")
    texts_without_pos = {r["id"] for r in rows} - {r["id"] for r in rows if r["label"] == "True"}
    lang_counts = Counter(langs.values())
    print("texts per language: " + ", ".join(f"{code}={lang_counts[code]}" for code in LANGS))
    print(f"texts addressing no SDG (all rows False): {len(texts_without_pos)}")
    return per_goal, lang_counts


def check(dev_rows, dev_langs, hold_rows, hold_langs):
    problems = []
    for name, rows, minimum, langs, min_lang in (
        ("dev", dev_rows, 30, dev_langs, 4),
        ("holdout", hold_rows, 10, hold_langs, 2),
    ):
        per_goal = Counter(r["sdg"] for r in rows)
        for g in range(1, 18):
            if per_goal[g] < minimum:
                problems.append(f"{name}: SDG {g} has {per_goal[g]} rows (< {minimum})")
        pairs = Counter((r["id"], r["sdg"]) for r in rows)
        dups = [p for p, c in pairs.items() if c > 1]
        if dups:
            problems.append(f"{name}: duplicate (id, sdg) pairs {dups[:5]}")
        lang_counts = Counter(langs.values())
        for lang in LANGS[1:]:
            if lang_counts[lang] < min_lang:
                problems.append(f"{name}: only {lang_counts[lang]} texts in {lang}")
        texts_per_id = defaultdict(set)
        for r in rows:
            texts_per_id[r["id"]].add(r["text"])
            if not 1 <= r["sdg"] <= 17:
                problems.append(f"{name}: bad sdg {r['sdg']} for {r['id']}")
        if any(len(t) != 1 for t in texts_per_id.values()):
            problems.append(f"{name}: an id maps to more than one text")
        all_texts = [next(iter(t)) for t in texts_per_id.values()]
        if len(set(all_texts)) != len(all_texts):
            problems.append(f"{name}: duplicate texts under different ids")
    dev_ids = {r["id"] for r in dev_rows}
    hold_ids = {r["id"] for r in hold_rows}
    if dev_ids & hold_ids:
        problems.append(f"ids shared between files: {sorted(dev_ids & hold_ids)[:5]}")
    if {r["text"] for r in dev_rows} & {r["text"] for r in hold_rows}:
        problems.append("texts shared between dev and holdout")
    return problems


def main():
    dev_rows, dev_langs = build_rows(DEV, "d")
    hold_rows, hold_langs = build_rows(HOLDOUT, "h")
    write_csv(HERE / "dev.csv", dev_rows)
    write_csv(HERE / "holdout.csv", hold_rows)
    summarise("dev.csv", dev_rows, dev_langs)
    summarise("holdout.csv", hold_rows, hold_langs)
    total = len(dev_rows) + len(hold_rows)
    print(f"\nholdout share of all rows: {len(hold_rows) / total:.1%}")
    problems = check(dev_rows, dev_langs, hold_rows, hold_langs)
    if problems:
        print("\nCHECKS FAILED:")
        for p in problems:
            print("  -", p)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
