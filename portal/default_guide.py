"""The default legal-route guide (依法信访导引图). Admins edit it afterwards as data."""

from __future__ import annotations

from typing import Any

ROUTES = [
    # (answer, route name, where, what to bring, legal basis)
    ("与用人单位之间的工资、工伤、劳动合同纠纷", "劳动人事争议仲裁",
     "向用人单位所在地的区劳动人事争议仲裁委员会申请仲裁；对仲裁裁决不服的，可向人民法院起诉。",
     "身份证；劳动合同、工资条或考勤记录等用工证明；证据材料；仲裁申请书。",
     "《劳动争议调解仲裁法》第五条"),
    ("对行政机关作出的处罚、征收补偿等决定不服", "行政复议或行政诉讼",
     "自知道该决定之日起六十日内向作出决定机关的同级人民政府申请行政复议，或六个月内向人民法院提起行政诉讼。",
     "身份证；行政决定书；证据材料；复议申请书或起诉状。",
     "《行政复议法》第二十条、《行政诉讼法》第四十六条"),
    ("与他人或企业之间的合同、借贷、邻里、婚姻家庭纠纷", "人民调解或民事诉讼",
     "可向所在社区（村）人民调解委员会申请调解，或向有管辖权的人民法院起诉。",
     "身份证；合同、借条、聊天记录等证据材料。",
     "《人民调解法》第十七条、《民事诉讼法》第一百二十二条"),
    ("已经起诉、仲裁，或者法院已经作出判决裁定", "诉讼程序内解决",
     "向作出判决裁定的人民法院或其上一级人民法院申请再审、申诉；已在诉讼、仲裁中的，依照相应程序处理。",
     "身份证；判决书、裁定书或仲裁裁决书；新的证据材料。",
     "《信访工作条例》第二十八条、第三十一条"),
]
PETITIONS = [
    # (answer, handling kind, kind of the competent unit: the highest such unit receives it)
    ("检举、控告公职人员的违纪违法行为", "accusation", "discipline"),
    ("对政府工作提出意见或建议", "suggestion", ""),
    ("住房、物业、环境、教育、医疗、交通等需要政府部门解决的诉求", "claim", ""),
]


def create_default_guide(GuideNode: Any) -> None:  # noqa: N803 - a model class, historical or real
    """The first question and its answers, unless a guide exists."""
    if GuideNode.objects.exists():
        return
    root = GuideNode.objects.create(question="您要反映的事情属于哪一类？")
    order = 0
    for answer, name, where, bring, basis in ROUTES:
        order += 1
        GuideNode.objects.create(parent=root, order=order, answer=answer, outcome="route", route_name=name,
                                 route_where=where, route_bring=bring, route_basis=basis)
    for answer, kind, unit_kind in PETITIONS:
        order += 1
        GuideNode.objects.create(parent=root, order=order, answer=answer, outcome="petition", handling_kind=kind,
                                 unit_kind=unit_kind)
