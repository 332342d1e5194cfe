"""The taxonomy (问题分类) from fixtures/taxonomy.csv, and how a demo text gets its category."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from matters.models import Category

from .texts import TEDDY_LABELS


def load_taxonomy(path: Path) -> dict[str, Category]:
    """Three levels from level1,level2,level3 rows; nodes are created in file order, so ids are stable."""
    nodes = {c.path: c for c in Category.objects.all()}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names = [row["level1"].strip(), row["level2"].strip(), row["level3"].strip()]
            parent: Category | None = None
            for level in range(1, 4):
                cat_path = "/".join(names[:level])
                node = nodes.get(cat_path)
                if node is None:
                    node = Category.objects.create(
                        name=names[level - 1], level=level, parent=parent, path=cat_path
                    )
                    nodes[cat_path] = node
                parent = node
    return nodes


# Common topics → a level-3 category, tried after the level-3 names themselves (a demo heuristic, not the
# classifier). Order matters: the first match wins.
TOPICS: list[tuple[str, str]] = [
    ("物业", "城乡建设/住房保障与房地产/物业服务"),
    ("房产证", "城乡建设/住房保障与房地产/房产证登记、办理"),
    ("公积金", "城乡建设/住房保障与房地产/住房公积金"),
    ("拆迁|征收", "城乡建设/国有土地上房屋征收与补偿/房屋拆迁"),
    ("安置|补偿款", "城乡建设/国有土地上房屋征收与补偿/安置补偿"),
    ("违建|违章建|私搭乱建|加层", "城乡建设/城乡规划/违章建筑"),
    ("燃气|天然气", "城乡建设/城市建设和市政管理/燃气供应"),
    ("停水|供水|自来水", "城乡建设/城市建设和市政管理/自来水供应"),
    ("停电|供电", "城乡建设/城市建设和市政管理/电力供应"),
    ("路灯|井盖|人行道", "城乡建设/城市建设和市政管理/城市公共设施"),
    ("垃圾|环卫", "城乡建设/城市建设和市政管理/环境卫生"),
    ("公交", "城乡建设/城市建设和市政管理/公共汽车"),
    ("地铁|城铁", "城乡建设/城市建设和市政管理/地铁城铁"),
    ("施工|工地", "城乡建设/工程质量/施工安全"),
    ("拖欠工程款", "城乡建设/建筑市场/拖欠工程款"),
    ("欠薪|拖欠工资|工资", "劳动和社会保障/工资福利/工资发放"),
    ("劳动合同|辞退|解除劳动", "劳动和社会保障/劳动关系/劳动合同纠纷"),
    ("农民工", "劳动和社会保障/劳动关系/农民工权益"),
    ("养老保险|养老金", "劳动和社会保障/城镇职工社会保险/职工养老保险"),
    ("医保|医疗保险", "劳动和社会保障/城镇职工社会保险/职工医疗保险"),
    ("工伤", "劳动和社会保障/城镇职工社会保险/职工工伤保险"),
    ("社保", "劳动和社会保障/社保基金管理/社保基金管理"),
    ("退休", "劳动和社会保障/退休政策及待遇/退休人员待遇"),
    ("就业|招聘", "劳动和社会保障/就业培训/就业和再就业"),
    ("招生|入学|学位", "教育文体/考试招生/招生录取"),
    ("补课|收费|学费", "教育文体/教育收费/乱收费"),
    ("教师|老师", "教育文体/教师队伍和待遇/师资力量"),
    ("幼儿园|培训机构|校外", "教育文体/教育行政管理/校外机构管理"),
    ("校园|学生安全", "教育文体/教育行政管理/校园安全"),
    ("传销", "商贸旅游/市场监管/传销"),
    ("价格|涨价|收费", "商贸旅游/市场监管/物价监督"),
    ("质量|假货|以次充好", "商贸旅游/市场监管/商品质量"),
    ("景区|旅游|导游", "商贸旅游/旅游管理/旅游市场管理"),
    ("电梯|锅炉", "商贸旅游/质监检验检疫/特种设备管理"),
    ("噪音|噪声|扰民", "环境保护/环境污染/噪音污染"),
    ("油烟|废气|扬尘|粉尘|异味|臭味", "环境保护/环境污染/大气污染"),
    ("污水|排污|河道|水质", "环境保护/环境污染/水污染"),
    ("环评", "环境保护/建设项目审批/环评报告不实"),
    ("食品|餐饮", "卫生计生/食品药品监管/食品安全"),
    ("药店|药品|疫苗", "卫生计生/食品药品监管/药品和医疗器械管理"),
    ("医疗事故|误诊", "卫生计生/医患纠纷/医疗事故争议"),
    ("医院|诊所|医生", "卫生计生/医政监管/医疗技术和服务"),
    ("独生子女|计生|二胎|准生", "卫生计生/人口计生/计划生育服务管理"),
    ("网约车", "交通运输/出租车管理/网约车问题"),
    ("出租车|的士", "交通运输/出租车管理/行业监管"),
    ("快递", "交通运输/邮政管理/快递市场管理"),
    ("客运|班车|大巴", "交通运输/客货运输/旅客运输"),
    ("收费站|过路费", "交通运输/建设管理/公路收费"),
    ("公路|道路", "交通运输/建设管理/设施维护"),
]


class CategoryPicker:
    """Picks a category by label: a level-3 named in the text, else one for a common topic, else level 1."""

    def __init__(self, nodes: dict[str, Category]) -> None:
        self.nodes = nodes
        self.level1 = {c.name: c for c in nodes.values() if c.level == 1}
        self.leaves: dict[str, list[Category]] = {}
        for c in nodes.values():
            if c.level == 3 and c.name != "其他" and len(c.name) >= 2:
                self.leaves.setdefault(c.path.split("/", 1)[0], []).append(c)
        for leaves in self.leaves.values():
            leaves.sort(key=lambda c: (-len(c.name), c.pk))
        self.topics = [(re.compile(pattern), nodes[path]) for pattern, path in TOPICS if path in nodes]

    def _named(self, label: str, text: str) -> Category | None:
        return next((c for c in self.leaves.get(label, []) if c.name in text), None)

    def _topic(self, labels: Iterable[str], text: str) -> Category | None:
        wanted = set(labels)
        return next(
            (c for pattern, c in self.topics if c.path.split("/", 1)[0] in wanted and pattern.search(text)),
            None,
        )

    def pick(self, label: str, subject: str, text: str) -> Category | None:
        if label:
            return (
                self._named(label, subject)
                or self._topic([label], subject)
                or self._named(label, text)
                or self._topic([label], text)
                or self.level1.get(label)
            )
        # No label: only the subject counts.
        for guess in TEDDY_LABELS:
            found = self._named(guess, subject)
            if found is not None:
                return found
        return self._topic(TEDDY_LABELS, subject)
