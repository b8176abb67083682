"""The aspect taxonomy data files: ``cxlib/data/aspects/service.yaml`` and ``restaurant.yaml``.

Checks the files themselves (ids, labels, every aspect in every language), the false friends of DOMAIN.md
section 5, a handful of ordinary sentences per aspect and language, and the recall of the sample mentions'
true aspect (the sample's phrase keywords must all be covered). The matching engine is ``cxlib.aspects``.
"""
from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest
import yaml

from cxlib import aspects, sample

SERVICE_ASPECTS = ["price", "staff", "waiting", "phone_access", "quality", "cleanliness", "delivery", "website_app",
                   "billing", "reliability"]
RESTAURANT_ASPECTS = ["food", "interior", "price", "service"]
LANGS = ["en", "ru", "ro", "bg", "hy"]
SAMPLE_ASPECT = {"staff_politeness": "staff"}  # sample.ASPECTS id -> taxonomy id (the others are the same)


def _raw(name: str) -> dict:
    return yaml.safe_load((resources.files("cxlib") / "data" / "aspects" / f"{name}.yaml").read_text("utf-8"))


def _found(text: str, lang: str, taxonomy: str = "service") -> set[str]:
    return set(aspects.find_aspects([text], lang, taxonomy)["aspect"])


# --- the files -----------------------------------------------------------------------------------------------

def test_service_file_has_the_fixed_aspects_in_every_language():
    raw = _raw("service")
    assert raw["name"] == "service"
    assert list(raw["aspects"]) == SERVICE_ASPECTS
    for aspect, body in raw["aspects"].items():
        assert body["label"] and body["description"], aspect
        assert sorted(body["patterns"]) == sorted(LANGS), aspect
        for lang, pats in body["patterns"].items():
            assert len(pats) >= 3, (aspect, lang)
    tax = aspects.load_taxonomy()
    assert tax.aspects == tuple(SERVICE_ASPECTS)
    assert tax.label("phone_access") == "Reaching us (phone, hours, first contact)"


def test_restaurant_file_has_the_sentirueval_categories_in_ru_and_en():
    raw = _raw("restaurant")
    assert raw["name"] == "restaurant"
    assert list(raw["aspects"]) == RESTAURANT_ASPECTS
    for aspect, body in raw["aspects"].items():
        assert body["label"], aspect
        assert {"ru", "en"} <= set(body["patterns"]), aspect
    assert aspects.load_taxonomy("restaurant").aspects == tuple(RESTAURANT_ASPECTS)


@pytest.mark.parametrize("name", ["service", "restaurant"])
def test_no_pattern_is_listed_twice_within_a_language(name):
    """One stem in two aspects would make the first-listed aspect win silently."""
    owner: dict[tuple[str, str], str] = {}
    for aspect, body in _raw(name)["aspects"].items():
        for lang, pats in body["patterns"].items():
            for p in {aspects.fold(str(x)) for x in pats}:
                assert (lang, p) not in owner or owner[(lang, p)] == aspect, (lang, p, owner.get((lang, p)), aspect)
                owner[(lang, p)] = aspect


# --- false friends (DOMAIN.md section 5) ------------------------------------------------------------------------

@pytest.mark.parametrize("text,lang", [
    ("Ожидания не оправдались", "ru"),
    ("Сервис полностью оправдал наши ожидания", "ru"),
    ("Всё было сверх ожиданий", "ru"),
    ("Am văzut reclama la televizor", "ro"),
    ("O reclamă nouă pe autobuz", "ro"),
    ("Am depus o reclamație", "ro"),  # a complaint, but about no particular part of the service
    ("Rezultatul a fost peste așteptări", "ro"),
    ("Няма такъв сервиз в града", "bg"),
    ("Հերթական անգամ գրում եմ", "hy"),  # "yet again", not a queue
    ("The company is worth a billion dollars", "en"),
    ("He is in charge of the team", "en"),
    ("В первую очередь хочу сказать спасибо", "ru"),
    ("Ценю ваше мнение", "ru"),
    ("За счёт этого всё и держится", "ru"),
])
def test_false_friends_are_not_aspects(text, lang):
    assert aspects.find_aspects([text], lang).empty, text


@pytest.mark.parametrize("text,lang,aspect", [
    ("Время ожидания 40 минут", "ru", "waiting"),
    ("Ждали ответа оператора в ожидании полчаса", "ru", "waiting"),
    ("Am depus o reclamație: livrarea a întârziat", "ro", "delivery"),  # the words around the complaint decide
    ("Timpul de așteptare a fost de o oră", "ro", "waiting"),
    ("Чакането на опашката беше дълго", "bg", "waiting"),
    ("Սպասեցի մեկ ժամ", "hy", "waiting"),
    ("Սպասարկումը շատ քաղաքավարի էր", "hy", "staff"),
    ("The bill was wrong again", "en", "billing"),
    ("Цените в ресторанта са високи", "bg", "price"),
])
def test_the_real_meaning_is_found(text, lang, aspect):
    assert aspect in _found(text, lang), text


def test_hy_service_word_is_never_waiting():
    assert "waiting" not in _found("Հաճախորդների սպասարկումը լավն է", "hy")


def test_late_delivery_is_delivery_not_reliability():
    for text, lang in [("Courier was late again.", "en"), ("Доставка опоздала на неделю", "ru"),
                       ("Livrarea a întârziat", "ro"), ("Доставката пак закъснява", "bg"),
                       ("Առաքումը նորից ուշանում է", "hy")]:
        assert _found(text, lang) == {"delivery"}, text
    assert _found("Flight delayed 3 hours", "en") == {"reliability"}


# --- ordinary sentences ------------------------------------------------------------------------------------------

SENTENCES = {
    "price": {
        "en": ["Way overpriced for a basic plan", "Good value for money overall", "They raised the monthly fee again"],
        "ru": ["Цены выросли вдвое", "Слишком дорого для такого качества", "Дали скидку постоянному клиенту"],
        "ro": ["Prețurile au crescut iar", "E prea scump pentru ce oferă", "Am primit o reducere de 10%"],
        "bg": ["Цените са прекалено високи", "Много скъпо за това качество", "Дадоха ми отстъпка"],
        "hy": ["Գները շատ բարձր են", "Չափազանց թանկ է", "Զեղչ տվեցին"],
    },
    "staff": {
        "en": ["The cashier was extremely rude", "Very knowledgeable consultant", "Incompetent manager, no help"],
        "ru": ["Продавец нахамил покупателю", "Очень вежливый консультант", "Некомпетентные сотрудники"],
        "ro": ["Vânzătoarea a fost foarte nepoliticoasă", "Personalul e amabil", "Angajații sunt incompetenți"],
        "bg": ["Служителят беше груб", "Много учтив персонал", "Продавачката беше любезна"],
        "hy": ["Վաճառողը կոպիտ էր", "Աշխատակիցները քաղաքավարի են", "Գանձապահը շատ անքաղաքավարի էր"],
    },
    "waiting": {
        "en": ["Stood in line for an hour", "The queue never moves", "We waited 40 minutes to be served"],
        "ru": ["Огромная очередь на кассе", "Прождали час", "Время ожидания больше часа"],
        "ro": ["Coadă uriașă la casă", "Am așteptat o oră", "Servire lentă"],
        "bg": ["Огромна опашка на касата", "Чакахме един час", "Много бавно обслужване"],
        "hy": ["Երկար հերթ կար", "Մեկ ժամ սպասեցինք", "Դանդաղ էին աշխատում"],
    },
    "phone_access": {
        "en": ["On hold for an hour", "Nobody answers the hotline", "Kept getting passed around between departments"],
        "ru": ["Невозможно дозвониться в колл-центр", "Никто не берёт трубку", "Горячая линия молчит"],
        "ro": ["Nu răspunde nimeni la telefon", "Am sunat de zece ori", "Call center-ul e închis în weekend"],
        "bg": ["Не мога да се свържа с тях", "Никой не вдига телефона", "Кол центърът не отговаря"],
        "hy": ["Զանգում եմ, ոչ ոք չի պատասխանում", "Թեժ գիծը չի աշխատում", "Հեռախոսով անհնար է կապվել"],
    },
    "quality": {
        "en": ["The quality has gone down", "Broke after two days", "Faulty product, second time"],
        "ru": ["Качество ужасное", "Сломался через неделю", "Бракованный товар"],
        "ro": ["Calitatea e slabă", "S-a stricat după o zi", "Produs defect"],
        "bg": ["Качеството е лошо", "Счупи се веднага", "Дефектен продукт"],
        "hy": ["Որակը վատն է", "Երկու օրում փչացավ", "Կոտրվեց առաջին օրը"],
    },
    "cleanliness": {
        "en": ["The toilets were filthy", "Dirty floors everywhere", "It smells awful inside"],
        "ru": ["Грязно и воняет", "Идеальная чистота в зале", "Мусор на полу"],
        "ro": ["Podeaua era murdară", "Magazinul e foarte curat", "Miroase urât în hol"],
        "bg": ["Мръсно и воня", "Всичко беше чисто", "Тоалетните бяха отвратителни"],
        "hy": ["Հատակը կեղտոտ էր", "Շատ մաքուր է", "Զուգարանը կեղտոտ էր"],
    },
    "delivery": {
        "en": ["The parcel never arrived", "Courier left it at the wrong door", "Shipping took two weeks"],
        "ru": ["Курьер не приехал", "Посылка пришла разбитой", "Доставка заняла месяц"],
        "ro": ["Coletul nu a ajuns", "Curierul a fost amabil", "Livrarea a durat două săptămâni"],
        "bg": ["Пратката не пристигна", "Куриерът закъсня", "Доставката беше бърза"],
        "hy": ["Ծանրոցը չհասավ", "Առաքիչը ուշացավ", "Առաքումը արագ էր"],
    },
    "website_app": {
        "en": ["The app crashes every time", "Can't log in to the website", "Online booking is broken"],
        "ru": ["Приложение постоянно вылетает", "Сайт не грузится", "Не могу войти в личный кабинет"],
        "ro": ["Aplicația se blochează mereu", "Site-ul nu merge", "Nu pot face rezervare online"],
        "bg": ["Приложението забива", "Сайтът е бавен", "Онлайн поръчката не минава"],
        "hy": ["Հավելվածը չի բացվում", "Կայքը չի աշխատում", "Առցանց ամրագրումը չի ստացվում"],
    },
    "billing": {
        "en": ["I was double charged", "Still waiting for my refund", "The invoice is wrong"],
        "ru": ["Деньги списали дважды", "Неправильный счёт за месяц", "Возврат так и не пришёл"],
        "ro": ["Factura e greșită", "Am fost taxat de două ori", "Rambursarea nu a venit"],
        "bg": ["Сметката е грешна", "Таксуваха ме два пъти", "Фактурата не е вярна"],
        "hy": ["Հաշիվը սխալ է", "Երկու անգամ գանձեցին", "Վճարը չեն վերադարձրել"],
    },
    "reliability": {
        "en": ["Another outage this week", "My flight was cancelled", "The internet is not working again"],
        "ru": ["Опять сбой в системе", "Рейс задержали на три часа", "Интернет не работает второй день"],
        "ro": ["Iar o întrerupere de curent", "Zborul a fost anulat", "Nu funcționează nimic"],
        "bg": ["Пак авария в мрежата", "Полетът беше отменен", "Интернетът не работи"],
        "hy": ["Ինտերնետը չի աշխատում", "Չվերթը չեղարկվեց", "Նորից վթար ցանցում"],
    },
}


@pytest.mark.parametrize("aspect", SERVICE_ASPECTS)
@pytest.mark.parametrize("lang", LANGS)
def test_ordinary_sentences_are_found(aspect, lang):
    for text in SENTENCES[aspect][lang]:
        assert aspect in _found(text, lang), (aspect, lang, text, aspects.find_aspects([text], lang).values.tolist())


@pytest.mark.parametrize("text,expected", [
    ("Официант был очень вежлив, но горячее ждали час", {"service", "food"}),
    ("Очень вкусная паста и свежий салат", {"food"}),
    ("Уютный интерьер и живая музыка", {"interior"}),
    ("Цены выше среднего, счёт на двоих 3000 рублей", {"price"}),
    ("The waiter was rude and the steak was cold", {"service", "food"}),
])
def test_restaurant_sentences(text, expected):
    lang = "en" if text.isascii() else "ru"
    assert _found(text, lang, "restaurant") == expected, text


# --- the sample mentions ---------------------------------------------------------------------------------------

def test_every_sample_keyword_is_found_as_its_own_aspect():
    """Each keyword of cxlib/data/sample_phrases.yaml, inside its own aspect's phrases, gives that aspect."""
    phrases = sample.load_phrases()["languages"]
    for lang, spec in phrases.items():
        for key, body in spec["aspects"].items():
            aspect = SAMPLE_ASPECT.get(key, key)
            texts = [x.replace("{b}", "Velora").replace("{i}", "")
                     for s in ("positive", "negative", "neutral") for t in body[s] for x in sample.expand_all(t)]
            flags = aspects.aspect_flags(texts, lang)
            missed = [t for t, ok in zip(texts, flags[aspect]) if not ok]
            assert not missed, (lang, aspect, missed[:5])


@pytest.fixture(scope="module")
def sample_recall() -> tuple[pd.Series, pd.Series, pd.Series]:
    m = sample.make_mentions(20000, seed=42, truth=True)
    m = m[m["kind"] != "spam"].reset_index(drop=True)
    truth = m["aspect"].replace(SAMPLE_ASPECT)
    flags = aspects.aspect_flags(m["text"], m["language"])
    hit = pd.Series([bool(flags.at[i, a]) for i, a in enumerate(truth)])
    return hit, truth, m["language"]


def test_sample_recall_per_aspect(sample_recall):
    hit, truth, _ = sample_recall
    recall = hit.groupby(truth.values).mean()
    assert set(recall.index) == set(SERVICE_ASPECTS) - {"website_app", "reliability"}
    assert (recall >= 0.97).all(), recall.round(3).to_dict()


def test_sample_recall_per_language(sample_recall):
    hit, _, language = sample_recall
    recall = hit.groupby(language.values).mean()
    assert (recall >= 0.95).all(), recall.round(3).to_dict()
