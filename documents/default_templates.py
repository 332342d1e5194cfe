"""The notices as shipped (Regulation on Petition Work, 2022); admins edit them afterwards."""

from __future__ import annotations

from typing import Any

_HEAD = "{{ petitioner }}：\n"
_MATTER = "信访事项（查询码：{{ code }}，“{{ title }}”）"

TEMPLATES: list[tuple[str, str, str, str]] = [
    ("acceptance", "受理告知书", "受", _HEAD
     + "您于{{ registered }}提出的" + _MATTER + "已收悉。经审查，该事项属于本机关职责范围，依据《信访工作条例》"
     "第二十二条、第二十三条，决定予以受理。\n"
     "本机关将在受理之日起60日内书面答复您；情况复杂的，可以适当延长办理期限，延长期限不超过30日，并告知您延期理由。\n"
     "您可以凭查询码和手机号码后四位，在网上信访平台查询办理进展。"),
    ("non_acceptance", "不予受理告知书", "不受", _HEAD
     + "您于{{ registered }}提出的" + _MATTER + "已收悉。经审查，决定不予受理。\n理由：{{ reason }}\n"
     "{% if legal_route %}依据《信访工作条例》第二十八条、第三十一条，请您通过{{ legal_route }}途径依法解决。{% endif %}"),
    ("forward", "转送告知书", "转", _HEAD
     + "您于{{ registered }}提出的" + _MATTER + "已收悉。依据《信访工作条例》第二十二条，按照属地管理、分级负责，"
     "谁主管、谁负责的原则，已转送{{ to_unit }}办理。{{ to_unit }}将在收到之日起15日内决定是否受理，并告知您。"),
    ("extension", "延期办理告知书", "延", _HEAD
     + "您的" + _MATTER + "因{{ reason }}，依据《信访工作条例》第三十四条，办理期限延长{{ days }}日，"
     "书面答复期限延至{{ due }}。"),
    ("reply", "信访事项答复意见书", "答", _HEAD
     + "您的" + _MATTER + "，本机关已依法办理，现答复如下：\n{{ reply_text }}\n"
     "如对本答复意见不服，您可以自收到本答复意见书之日起30日内（至{{ review_due }}），"
     "向{{ review_body }}请求复查。（《信访工作条例》第三十五条）"),
    ("review_decision", "信访事项复查意见书", "复查", _HEAD
     + "您对" + _MATTER + "的答复意见不服，请求复查。本机关依据《信访工作条例》第三十五条进行了复查，复查意见如下：\n"
     "{{ decision_text }}\n"
     "如对本复查意见不服，您可以自收到本复查意见书之日起30日内（至{{ review_due }}），"
     "向{{ review_body }}请求复核。（《信访工作条例》第三十六条）"),
    ("re_review_decision", "信访事项复核意见书", "复核", _HEAD
     + "您对" + _MATTER + "的复查意见不服，请求复核。本机关依据《信访工作条例》第三十六条进行了复核，复核意见如下：\n"
     "{{ decision_text }}\n"
     "本复核意见为终结意见。您对复核意见不服，仍以同一事实和理由提出信访请求的，不再受理。"),
]


def create_default_templates(DocumentTemplate: Any) -> None:  # noqa: N803 - a model class, historical or real
    for kind, title, code, body in TEMPLATES:
        DocumentTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "code": code, "body": body})
