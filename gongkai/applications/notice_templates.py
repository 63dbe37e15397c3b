"""Default wording of the notices served on applicants, one per NoticeKind.

An agency may override any of them (NoticeTemplate rows, edited by its disclosure officers). A
template is plain text with ``${placeholder}`` fields (string.Template: no code runs); paragraphs
are separated by a blank line. PLACEHOLDERS lists every field a template may use.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.applications.choices import NoticeKind

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
    "third_party_deadline": _("The third party's deadline"),
    "fee_amount": _("Fee (yuan)"),
    "fee_basis": _("Basis and rate of the fee"),
    "payment_deadline": _("Payment deadline"),
    "reasons": _("Reasons"),
    "outcome": _("Outcome"),
    "remedies": _("Remedies (reconsideration and lawsuit)"),
    "served_on": _("Date of the notice"),
}

REMEDIES = (
    "如对本答复不服，可以自收到本答复之日起六十日内向${reconsideration_body}申请行政复议，"
    "或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。"
)

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
        "本机关将不再处理该政府信息公开申请。缴费方式请联系：${office_phone}。",
    ),
    NoticeKind.REPLY_DISCLOSED: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "经审查，根据《中华人民共和国政府信息公开条例》第三十六条第一项、第二项的规定，答复如下：\n\n"
        "您申请的政府信息属于公开范围，本机关予以公开。${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_PARTLY: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "经审查，您申请的信息中含有不应当公开的内容，但能够作区分处理。根据《中华人民共和国政府信息公开条例》"
        "第三十七条的规定，本机关向您提供可以公开的部分，不予公开部分的理由如下：\n\n${reasons}\n\n${remedies}",
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
        "根据《中华人民共和国政府信息公开条例》第三十六条第四项、第五项的规定，答复如下：\n\n${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_CANNOT_PROVIDE: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "经审查，本机关无法向您提供该信息（${outcome}），理由如下：\n\n${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_REPEAT: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}）。本机关已就您的同一申请作出答复，"
        "根据《中华人民共和国政府信息公开条例》第三十六条第六项的规定，对您的重复申请不予重复处理。${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_NOT_PROCESSED: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}）。经审查，本机关对该申请不予处理"
        "（${outcome}），理由如下：\n\n${reasons}\n\n${remedies}",
    ),
    NoticeKind.REPLY_OTHER: (
        "政府信息公开申请答复书",
        "本机关于${received_on}收到您提出的政府信息公开申请（申请编号：${number}），所申请信息为：${info_title}。"
        "答复如下：\n\n${reasons}\n\n${remedies}",
    ),
}
