"""Default wording of the notices served on applicants, one per NoticeKind.

An agency may override any of them (NoticeTemplate rows, edited by its disclosure officers). A
template is plain text with ``${placeholder}`` fields (string.Template: no code runs); paragraphs
are separated by a blank line. PLACEHOLDERS lists every field a template may use.
"""

from __future__ import annotations

import string

from django.utils.translation import gettext_lazy as _

from gongkai.applications.choices import NoticeKind, Outcome

PLACEHOLDERS = {
    "applicant_name": _("Applicant's name"),
    "number": _("Application number"),
    "received_on": _("Receipt date"),
    "info_title": _("Title of the information"),
    "agency_name": _("This agency's name"),
    "disclosure_office": _("Disclosure office"),
    "office_address": _("Office address"),
    "office_phone": _("Phone"),
    "due_on": _("Reply due on"),
    "period_end": _("Correction period ends on"),
    "note": _("Details entered when serving (what to correct, why more time, what is asked)"),
    "extension_days": _("Working days of the extension"),
    "third_party_deadline": _("The consulted party's deadline"),
    "fee_amount": _("Fee (yuan)"),
    "fee_basis": _("Basis and rate of the fee"),
    "payment_deadline": _("Payment deadline"),
    "payment_method": _("How to pay (the agency's payee account or payment code)"),
    "reasons": _("Reasons"),
    "outcome": _("Outcome"),
    "remedies": _("Remedies (reconsideration and lawsuit)"),
    "how_to_obtain": _("Where, how and when the applicant gets the information"),
    "search_description": _("Where and how the information was searched for"),
    "responsible_agency": _("The agency responsible for the information"),
    "responsible_contact": _("That agency's contact"),
    "previous_reply": _("The earlier reply to the same request"),
    "applicant_reasons": _("The applicant's reasons for the volume or frequency"),
    "served_on": _("Date of the notice"),
}

TIAOLI = "《中华人民共和国政府信息公开条例》"

# The ground of each reply that does not give the information, as the applicant reads it: what
# the information is, the article, what follows (条例 arts. 14–16, 30, 35, 36, 38, 39). Never
# the annual report's row code. It fills ``${outcome}``.
GROUNDS: dict[str, str] = {
    Outcome.WITHHELD_STATE_SECRET: (
        f"您申请公开的信息属于依法确定为国家秘密的政府信息，根据{TIAOLI}第十四条的规定，不予公开"
    ),
    Outcome.WITHHELD_LAW_FORBIDS: (
        f"您申请公开的信息属于法律、行政法规禁止公开的政府信息，根据{TIAOLI}第十四条的规定，不予公开"
    ),
    Outcome.WITHHELD_SECURITY: (
        f"您申请公开的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，根据{TIAOLI}第十四条的规定，不予公开"
    ),
    Outcome.WITHHELD_THIRD_PARTY: (
        f"您申请公开的信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，根据{TIAOLI}第十五条的规定，不予公开"
    ),
    Outcome.WITHHELD_INTERNAL: (
        f"您申请公开的信息属于行政机关的内部事务信息，根据{TIAOLI}第十六条第一款的规定，不予公开"
    ),
    Outcome.WITHHELD_PROCESS: (
        f"您申请公开的信息属于行政机关在履行行政管理职能过程中形成的过程性信息，根据{TIAOLI}第十六条第二款的规定，不予公开"
    ),
    Outcome.WITHHELD_ENFORCEMENT_FILE: (
        f"您申请公开的信息属于行政执法案卷信息，根据{TIAOLI}第十六条第二款的规定，不予公开"
    ),
    Outcome.WITHHELD_INQUIRY: (
        f"您申请获取的信息属于行政查询事项，有关法律、行政法规对信息的获取有特别规定，根据{TIAOLI}"
        "第三十六条第七项的规定，请您依照有关法律、行政法规的规定办理"
    ),
    Outcome.UNAVAILABLE_NOT_HELD: (
        "经检索（${search_description}），本机关未制作、获取您申请公开的政府信息，该政府信息不存在，"
        f"根据{TIAOLI}第三十六条第四项的规定告知您"
    ),
    Outcome.UNAVAILABLE_OTHER_AGENCY: (
        f"您申请公开的信息不属于本机关负责公开，根据{TIAOLI}第三十六条第五项的规定告知您："
        "负责公开该政府信息的行政机关为${responsible_agency}，联系方式：${responsible_contact}"
    ),
    Outcome.UNAVAILABLE_NEEDS_PRODUCTION: (
        f"您申请的信息需要本机关对现有政府信息进行加工、分析才能形成，根据{TIAOLI}第三十八条的规定，不予提供"
    ),
    Outcome.UNAVAILABLE_STILL_UNCLEAR: (
        f"您的申请经补正后内容仍不明确，本机关无法确定您所需的政府信息，根据{TIAOLI}第三十条的规定，无法向您提供"
    ),
    Outcome.NOT_PROCESSED_PETITION: (
        f"您以政府信息公开申请的形式进行信访、投诉、举报等活动，根据{TIAOLI}第三十九条第一款的规定，"
        "本机关不作为政府信息公开申请处理，您可以通过信访、投诉、举报等相应渠道提出"
    ),
    Outcome.NOT_PROCESSED_REPEAT: (
        "本机关已就您申请公开的相同政府信息作出答复（${previous_reply}），您的申请属于重复申请，"
        f"根据{TIAOLI}第三十六条第六项的规定，本机关不予重复处理"
    ),
    Outcome.NOT_PROCESSED_PUBLICATION: (
        f"您申请获取的是政府公报、报刊、书籍等公开出版物，根据{TIAOLI}第三十九条第二款的规定，请您通过公开发行渠道获取"
    ),
    Outcome.NOT_PROCESSED_EXCESSIVE: (
        "您申请公开政府信息的数量、频次明显超过合理范围，经本机关要求，您说明的理由为：${applicant_reasons}。"
        f"本机关认为该理由不合理，根据{TIAOLI}第三十五条的规定，不予处理"
    ),
    Outcome.NOT_PROCESSED_CONFIRMATION: (
        f"您的申请是要求本机关确认或者重新出具您已获取的信息，不属于{TIAOLI}所规定的政府信息公开申请，本机关不予处理"
    ),
}

# The two replies that give the information (art. 36(一)(二)): by how the office decided it.
DISCLOSURE_ROUTES = {
    "already_public": _("Already proactively disclosed: tell where and how to get it (art. 36(1))"),
    "provided": _("Can be disclosed: provide it, or tell how, where and when to get it (art. 36(2))"),
}
DISCLOSURE_GROUNDS = {
    "already_public": (
        f"您申请公开的信息本机关已经主动公开，根据{TIAOLI}第三十六条第一项的规定，"
        "告知您获取该政府信息的方式、途径：${how_to_obtain}"
    ),
    "provided": (
        f"您申请公开的信息属于可以公开的政府信息，根据{TIAOLI}第三十六条第二项的规定，"
        "本机关向您提供该政府信息：${how_to_obtain}"
    ),
}

# What each reply must state beyond its ground, entered with the draft (issue 10): the details
# its article asks for, from fields rather than free text.
REPLY_DETAILS: dict[str, tuple[str, ...]] = {
    Outcome.DISCLOSED: ("disclosure_route", "how_to_obtain"),  # art. 36(一)(二)
    Outcome.PARTLY_DISCLOSED: ("how_to_obtain",),  # art. 37: the part that is given
    Outcome.UNAVAILABLE_NOT_HELD: ("search_description",),  # art. 36(四): 经检索
    Outcome.UNAVAILABLE_OTHER_AGENCY: ("responsible_agency", "responsible_contact"),  # art. 36(五)
    Outcome.NOT_PROCESSED_REPEAT: ("previous_reply",),  # art. 36(六)
    Outcome.NOT_PROCESSED_EXCESSIVE: ("applicant_reasons",),  # art. 35
}


DETAIL_FIELDS = (
    "disclosure_route",
    *sorted({n for names in REPLY_DETAILS.values() for n in names} - {"disclosure_route"}),
)
DETAIL_LABELS = {
    **{n: PLACEHOLDERS[n] for n in DETAIL_FIELDS if n in PLACEHOLDERS},
    "disclosure_route": _("whether the information was already public or is provided now"),
}


def ground(outcome: str, details: dict[str, str]) -> tuple[str, list[str]]:
    """The ground sentence of a reply (it fills ``${outcome}``) and the details it lacks."""
    if outcome == Outcome.DISCLOSED:
        wording = DISCLOSURE_GROUNDS.get(details.get("disclosure_route", ""), "")
        if not wording:
            return "", ["disclosure_route"]
    else:
        wording = GROUNDS.get(outcome, "")
    names = {m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(wording)}
    missing = sorted(n for n in names if n and not details.get(n))
    return string.Template(wording).safe_substitute(details), missing


# Remedies (救济途径). A reply that does not give what was asked, wholly or partly, sends the
# applicant to reconsideration first: 行政复议法 (2023) art. 23 ¶1(四) "申请政府信息公开，行政机关不予
# 公开" — 60 days to apply (art. 20), then a lawsuit within 15 days of the decision (行政诉讼法 art.
# 45). We apply it to every reply that withholds, cannot provide or does not process (not only
# art. 36(三)): telling an applicant "reconsideration first" never closes a remedy, since the
# lawsuit follows it, while "sue within six months" where art. 23 applies ends in a dismissed
# suit (docs/decisions/0027-remedies.md). Every other reply keeps the choice: 60 days
# reconsideration or six months lawsuit (行政诉讼法 art. 46).
RECONSIDERATION_FIRST = frozenset({Outcome.PARTLY_DISCLOSED, *GROUNDS})

REMEDIES_FIRST = (
    "如对本答复不服，可以自收到本答复之日起六十日内向${organ}申请行政复议；"
    "根据《中华人民共和国行政复议法》第二十三条第一款第四项的规定，应当先申请行政复议。"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内${court}提起行政诉讼。"
)
REMEDIES_EITHER = (
    "如对本答复不服，可以自收到本答复之日起六十日内向${organ}申请行政复议，"
    "或者自收到本答复之日起六个月内${court}提起行政诉讼。"
)


def remedies(outcome: str, *, organ: str, court: str) -> str:
    """The remedies paragraph of a reply with ``outcome``; ``court`` empty: the people's court."""
    wording = REMEDIES_FIRST if outcome in RECONSIDERATION_FIRST else REMEDIES_EITHER
    where = f"向{court}" if court else "依法向人民法院"
    return string.Template(wording).substitute(organ=organ, court=where)


DEFAULTS: dict[str, tuple[str, str]] = {
    NoticeKind.RECEIPT: (
        "政府信息公开申请受理回执",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。\n\n"
        "本机关将依照《中华人民共和国政府信息公开条例》的规定，自收到申请之日起20个工作日内予以答复"
        "（答复期限至${due_on}，征求第三方和其他机关意见所需时间不计算在内）。\n\n"
        "您可以凭申请编号和查询码在本机关政府信息公开平台查询办理进度。联系电话：${office_phone}。",
    ),
    NoticeKind.CORRECTION: (
        "政府信息公开申请补正告知书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}）。经审查，您的申请内容不明确或者不完整，"
        "根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您需要补正的事项如下：\n\n${note}\n\n"
        "请您于${period_end}前补正。答复期限自本机关收到补正的申请之日起计算。"
        "您无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。\n\n"
        "联系地址：${office_address}；联系电话：${office_phone}。",
    ),
    NoticeKind.THIRD_PARTY: (
        "政府信息公开第三方意见征询函",
        "本机关收到一份政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "该信息的公开可能损害您的合法权益，根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求您的意见。\n\n"
        "${note}\n\n"
        "请您自收到本征询函之日起15个工作日内（即${third_party_deadline}前）提出书面意见。逾期未提出意见的，"
        "由本机关依照条例的规定决定是否公开。您不同意公开且有合理理由的，本机关不予公开；"
        "但本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知您。",
    ),
    NoticeKind.OTHER_AGENCY: (
        "政府信息公开征求意见函",
        "本机关收到一份政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "该信息由本机关与贵机关共同制作，根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关的意见。\n\n"
        "${note}\n\n"
        "请贵机关自收到本征求意见函之日起15个工作日内（即${third_party_deadline}前）提出书面意见。"
        "逾期未提出意见的，视为同意公开。\n\n联系人：${disclosure_office}；联系电话：${office_phone}。",
    ),
    NoticeKind.EXTENSION: (
        "政府信息公开申请延期答复告知书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}）。因${note}，"
        "不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，"
        "经本机关政府信息公开工作机构负责人同意，答复期限延长${extension_days}个工作日，至${due_on}前作出答复。",
    ),
    NoticeKind.FEE: (
        "政府信息公开信息处理费收费通知书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}）。根据《中华人民共和国政府信息公开条例》"
        "第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，您的申请需缴纳信息处理费。\n\n"
        "收费依据和标准：${fee_basis}\n\n收费金额：人民币${fee_amount}元。\n\n"
        "请您自收到本通知次日起20个工作日内（即${payment_deadline}前）缴纳。逾期未缴纳的，视为放弃申请，"
        "本机关将不再处理该政府信息公开申请。\n\n缴费方式：${payment_method}\n\n"
        "如有疑问，请联系：${office_phone}。",
    ),
    NoticeKind.REPLY_DISCLOSED: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "经审查，答复如下：\n\n${outcome}。${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_PARTLY: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "经审查，您申请的信息中含有不应当公开的内容，但能够作区分处理。根据《中华人民共和国政府信息公开条例》"
        "第三十七条的规定，本机关向您提供可以公开的部分（${how_to_obtain}），不予公开部分的理由如下：\n\n"
        "${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_WITHHELD: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "经审查，根据《中华人民共和国政府信息公开条例》第三十六条第三项的规定，本机关决定不予公开，理由如下：\n\n"
        "${outcome}。${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_NOT_HELD: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "答复如下：\n\n${outcome}。${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_CANNOT_PROVIDE: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "经审查，${outcome}。${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_REPEAT: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}）。经审查，${outcome}。"
        "${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_NOT_PROCESSED: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}）。经审查，${outcome}。"
        "${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_OTHER: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "答复如下：\n\n${reasons}\n\n${remedies}",
    ),
}
