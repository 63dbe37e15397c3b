"""Realistic synthetic Chinese government text, for the demo catalog and the benchmark.

Titles and bodies are assembled from phrases typical of township and district documents, per
subject category, so that segmentation and search behave as on a real catalog.
"""

from __future__ import annotations

import random

from gongkai.catalog.choices import Category

PLACES = ["茅畲乡", "黄岩区", "宁溪镇", "北城街道", "院桥镇", "沙埠镇", "头陀镇", "屿头乡", "上郑乡", "富山乡"]
VILLAGES = ["茅畲村", "下屿村", "上垟村", "后岸村", "岙底村", "坑口村", "溪头村", "西岙村", "前洋村", "大坑村"]
KINDS = ["通知", "公告", "实施方案", "工作方案", "公示", "实施意见", "管理办法", "工作报告", "决定", "工作要点", "批复"]
TOPICS: dict[str, list[str]] = {  # keyed by Category; looked up with the stored value
    Category.NORMATIVE: ["规范性文件清理", "行政规范性文件备案审查", "村规民约修订", "合法性审核"],
    Category.ORGANISATION: ["机构职能调整", "领导班子分工", "内设机构设置", "办公地址变更"],
    Category.PLANNING: ["国民经济和社会发展计划", "乡村振兴规划", "国土空间规划", "产业发展专项规划"],
    Category.STATISTICS: ["统计数据发布", "农业生产统计", "人口抽样调查", "经济运行情况分析"],
    Category.LICENSING: ["行政许可事项清单", "便民服务事项办理指南", "营业执照办理", "建设工程规划许可"],
    Category.PENALTIES: ["行政处罚决定", "违法建设查处", "行政强制执行", "综合行政执法"],
    Category.BUDGET: ["部门预算", "部门决算", "三公经费", "财政预算执行情况"],
    Category.FEES: ["行政事业性收费目录", "收费标准", "涉企收费清单"],
    Category.PROCUREMENT: ["政府采购意向", "采购结果公告", "集中采购目录", "询价采购"],
    Category.MAJOR_PROJECTS: ["重大建设项目批准", "道路改造工程", "水库除险加固工程", "项目招标投标"],
    Category.LIVELIHOOD: ["城乡居民医疗保险", "义务教育招生", "就业创业补贴", "困难群众救助", "残疾人两项补贴"],
    Category.EMERGENCIES: ["防汛防台应急预案", "地质灾害预警", "森林防火", "突发事件应对"],
    Category.INSPECTIONS: ["食品安全监督检查", "安全生产检查", "生态环境保护督察", "产品质量抽检"],
    Category.RECRUITMENT: ["公务员招录", "事业单位公开招聘", "社区工作者招聘", "录用人员公示"],
    Category.OTHER_REQUIRED: ["政府信息公开工作年度报告", "政务公开工作要点", "信息公开指南"],
    Category.MUNICIPAL: ["集镇道路改造", "污水管网建设", "路灯亮化工程", "公厕改造"],
    Category.PUBLIC_SERVICES: ["便民服务中心", "政务服务事项", "公共文化服务", "养老服务设施"],
    Category.PUBLIC_WELFARE: ["公益性岗位", "慈善救助", "志愿服务活动", "公益事业建设"],
    Category.LAND_EXPROPRIATION: ["土地征收启动公告", "征地补偿安置方案", "土地征收成片开发方案"],
    Category.HOUSE_EXPROPRIATION: ["房屋征收决定", "房屋征收补偿方案", "征收评估机构选定"],
    Category.PUBLIC_SECURITY: ["社会治安综合治理", "平安创建", "矛盾纠纷排查化解", "反诈宣传"],
    Category.SOCIAL_ASSISTANCE: ["最低生活保障", "特困人员供养", "临时救助", "低保对象公示"],
    Category.RURAL_POLICY: ["强村富民", "农业农村政策落实", "粮食生产补贴", "耕地地力保护补贴"],
    Category.IRRIGATION: ["农田水利工程建设", "山塘水库运行管理", "高标准农田建设", "灌溉渠道维修"],
    Category.LAND_CONTRACT: ["农村土地承包经营权流转", "土地流转合同备案", "承包地确权"],
    Category.HOMESTEAD: ["宅基地使用审批", "农村宅基地资格权认定", "农村建房审批", "宅基地审批结果公示"],
    Category.FUNDS_LABOUR: ["一事一议筹资筹劳", "村级公益事业筹资", "财政奖补项目"],
}
SENTENCES = [
    "为进一步规范{topic}工作，根据有关法律法规和上级文件精神，结合{place}实际，现就有关事项{kind}如下。",
    "各村（社区）、乡属各单位要高度重视，明确责任人员，确保{topic}各项工作落到实处。",
    "本{kind}自发布之日起施行，由{place}人民政府负责解释。",
    "{village}等村申报的{topic}事项，经村民代表会议讨论、乡审核，现予以公示，公示期为五个工作日。",
    "如对公示内容有异议，请在公示期内向{place}党政办反映，联系电话0576-84711234。",
    "{place}坚持以人民为中心，扎实推进{topic}，切实保障群众合法权益。",
    "经研究，决定对{topic}相关工作作出如下安排：一是加强组织领导；二是强化督促检查；三是做好宣传引导。",
    "申请人应当提交申请表、身份证明及相关材料，{place}便民服务中心在法定期限内办结。",
    "本年度共完成{topic}相关事项{n}件，资金支出{m}万元，群众满意度进一步提升。",
    "对不符合条件的，说明理由并告知申请人依法享有的申请行政复议或者提起行政诉讼的权利。",
]


def title(rng: random.Random, category: str, year: int) -> str:
    topic = rng.choice(TOPICS[category])
    place = rng.choice(PLACES)
    kind = rng.choice(KINDS)
    forms = [
        f"{place}关于{topic}的{kind}",
        f"关于印发《{place}{year}年{topic}{kind}》的通知",
        f"{place}{year}年{topic}" if topic.endswith(("公示", "公告")) else f"{place}{year}年{topic}情况公示",
        f"{place}人民政府关于做好{topic}工作的{kind}",
    ]
    return rng.choice(forms)


def paragraph(rng: random.Random, category: str, sentences: int = 4) -> str:
    topic = rng.choice(TOPICS[category])
    return "".join(
        rng.choice(SENTENCES).format(
            topic=topic,
            place=rng.choice(PLACES),
            village=rng.choice(VILLAGES),
            kind=rng.choice(KINDS),
            n=rng.randint(3, 300),
            m=rng.randint(5, 900),
        )
        for _ in range(sentences)
    )


def body(rng: random.Random, category: str, paragraphs: int = 3) -> str:
    return "\n".join(paragraph(rng, category, rng.randint(3, 5)) for _ in range(paragraphs))
