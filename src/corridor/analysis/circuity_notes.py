"""Why some pairs of the circuity audit exceed the limit: real detours and known road gaps.

Each :class:`~corridor.analysis.circuity.CircuityNote` covers the pairs between two groups
of places (recipe keys, or ISO country codes for every place of a country). ``geography``
notes are real detours and pass the audit; ``gap`` notes name roads that exist but are not
yet in the embedded network: they pass too, but ``corridor data check`` reports them as a
warning until the road is added and the note removed (a note that explains no pair is
reported as stale).
"""

from __future__ import annotations

from corridor.analysis.circuity import CircuityNote

__all__ = ["CN_GAP_PLACES", "NOTES"]

CN_GAP_PLACES: tuple[str, ...] = (
    "Hohhot/CN",
    "Jiujiang/CN",
    "Suzhou (Anhui)/CN",
    "Taiyuan/CN",
    "Wanzhou/CN",
    "Dazhou/CN",
    "Datong/CN",
    "Shiyan/CN",
    "Tianshui/CN",
    "Chongqing/CN",
    "Lianyungang/CN",
    "Nanchong/CN",
    "Yichang/CN",
    "Yinchuan/CN",
    "Shangqiu/CN",
    "Zhongwei/CN",
    "Nanchang/CN",
    "Xuzhou/CN",
    "Yongzhou/CN",
    "Jinan/CN",
    "Kaifeng/CN",
    "Liuzhou/CN",
    "Luoyang/CN",
    "Shangrao/CN",
    "Daqing/CN",
    "Guilin/CN",
    "Hengyang/CN",
    "Huzhou/CN",
    "Xiangyang/CN",
    "Baoding/CN",
    "Jingzhou/CN",
    "Jinhua/CN",
    "Kunming/CN",
    "Nanning/CN",
    "Ordos/CN",
)
"""Chinese places with audited pairs over the limit because the Chinese expressway grid is
modelled along the corridors only: a greedy cover of those pairs (each place, in this
order, explains at least one pair the places before it do not), one note per place so that
a place whose gaps are closed shows up as a stale note. To refresh it after adding roads:
take the pairs that ``audit_circuity(net.as_of(CHECK_DATE), notes=_FIXED_NOTES).failures``
reports and repeatedly pick the place in most of the remaining pairs (ties by key)."""

_FIXED_NOTES: tuple[CircuityNote, ...] = (
    CircuityNote(
        ("Pyongyang/KP",),
        ("CN",),
        "sea: Korea Bay and the Yellow Sea lie between the Korean peninsula and China south "
        "of the Bohai; the DPRK's roads to China cross the Yalu at Sinuiju-Dandong (and the "
        "Tumen), so every road to central and southern China runs round the Bohai Gulf",
    ),
    CircuityNote(
        ("Novosibirsk/RU", "Krasnoyarsk/RU", "Omsk/RU"),
        ("CN", "VN"),
        "border without a road crossing: the 55 km Russia-China border in the Altai has no "
        "road crossing, and the Altai and Sayan ranges and the Mongolian steppe lie between "
        "southern Siberia and China (and Vietnam beyond it); roads go via Kazakhstan "
        "(Semey, Khorgos) or Mongolia (Kyakhta-Ulaanbaatar-Erenhot)",
    ),
    CircuityNote(
        ("KZ",),
        ("Kunming/CN",),
        "mountains: the Tibetan plateau and the Kunlun lie between Yunnan and Kazakhstan; "
        "roads run north through Sichuan and the Hexi corridor (G30)",
    ),
    CircuityNote(
        ("Hanoi/VN",),
        ("Guiyang/CN", "Zunyi/CN", "Wanzhou/CN", "Neijiang/CN", "Bijie/CN"),
        "mountains: the Hoang Lien range and the Yunnan-Guizhou plateau lie between Hanoi and "
        "Guizhou/Sichuan; roads run round by Nanning or Kunming",
    ),
    CircuityNote(
        ("Shymkent/KZ",),
        ("Astana/KZ", "Yekaterinburg/RU", "Chelyabinsk/RU", "Omsk/RU"),
        "network gap: the Kazakh 'Center-South' road Astana-Karaganda-Zhezkazgan-Kyzylorda "
        "and Kostanay-Arkalyk-Zhezkazgan are not modelled",
        "gap",
    ),
    CircuityNote(
        ("Astana/KZ",),
        ("Omsk/RU", "Novosibirsk/RU"),
        "network gap: the roads Astana-Pavlodar-Omsk and Pavlodar-Novosibirsk are not modelled",
        "gap",
    ),
    CircuityNote(
        ("Yekaterinburg/RU",),
        ("Ufa/RU",),
        "network gap: the Ufa-Krasnoufimsk-Yekaterinburg road (R-242/regional) is not modelled",
        "gap",
    ),
    CircuityNote(
        ("Saint Petersburg/RU",),
        ("DE",),
        "outside the network: the direct road runs through Estonia, Latvia and Lithuania, "
        "which the network does not cover",
        "gap",
    ),
)

NOTES: tuple[CircuityNote, ...] = _FIXED_NOTES + tuple(
    CircuityNote(
        (place,),
        ("CN",),
        "network gap: China's expressway grid is modelled along the corridors only; "
        f"expressways joining {place.partition('/')[0]} to neighbouring prefecture seats "
        "are missing",
        "gap",
    )
    for place in CN_GAP_PLACES
)
"""The shipped notes, first match wins: real detours and named gaps, then one gap note per
place of :data:`CN_GAP_PLACES`."""
