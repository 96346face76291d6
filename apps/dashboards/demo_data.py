"""Fixed lists the demo seed draws from (names, units, work places). Data, not logic."""

from __future__ import annotations

# Common surnames, Shandong-weighted: earlier ones are drawn more often.
SURNAMES = (
    "王王王张张张李李李刘刘孙孙赵赵杨陈高徐马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
    "潘于蒋蔡杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟秦邱江尹薛闫段雷侯"
    "史陶贺顾毛郝邵万钱严武戴孔汤宫鲁房柳亓"
)
GIVEN_MALE = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林国建志文海东峰晓振新庆兴"
    "德宏昌晨博彬立成祥瑞阳永进光忠良春秋"
)
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲燕红梅琳莉婷雪慧颖洁佳倩萍琴云莹晶蕾媛瑶月欣怡宁馨雅晓春兰凤"
ETHNICITIES = ("汉族",) * 38 + ("回族", "回族", "满族", "蒙古族")

# Jinan districts: (委员小组 name, ID-number region code). A member's group follows where they live.
CITY_DISTRICTS = (
    ("历下区委员小组", "370102"),
    ("市中区委员小组", "370103"),
    ("槐荫区委员小组", "370104"),
    ("天桥区委员小组", "370105"),
    ("历城区委员小组", "370112"),
    ("长清区委员小组", "370113"),
    ("章丘区委员小组", "370114"),
    ("济阳区委员小组", "370115"),
    ("莱芜区委员小组", "370116"),
    ("钢城区委员小组", "370117"),
)
CITY_ACTIVITY_GROUPS = ("书香政协读书活动组", "委员工作室活动组")
DISTRICT_GROUPS = ("第一委员小组", "第二委员小组", "第三委员小组", "第四委员小组")

CITY_SPECIAL_COMMITTEES = (
    "提案委员会",
    "经济委员会",
    "人口资源环境委员会",
    "教科卫体委员会",
    "社会和法制委员会",
    "文化文史和学习委员会",
    "港澳台侨和外事委员会",
    "农业和农村委员会",
)
DISTRICT_SPECIAL_COMMITTEES = (
    "提案委员会",
    "经济委员会",
    "社会和法制委员会",
    "文化文史和学习委员会",
)

# Local names for the national people's organisations (a city committee edits its list).
CITY_SECTOR_RENAMES = {
    "中国共产主义青年团": "共青团",
    "中华全国总工会": "总工会",
    "中华全国妇女联合会": "妇联",
    "中华全国青年联合会": "青联",
    "中华全国工商业联合会": "工商联",
    "中国科学技术协会": "科协",
    "中华全国台湾同胞联谊会": "台联",
    "中华全国归国华侨联合会": "侨联",
}
CITY_SECTORS_UNUSED = ("特邀香港人士", "特邀澳门人士")
DISTRICT_SECTORS_UNUSED = (
    "台湾民主自治同盟",
    "中华全国台湾同胞联谊会",
    "对外友好界",
    "宗教界",
    "特邀香港人士",
    "特邀澳门人士",
)

# Party value (apps.members.models.Party) → that party's sector in the national list.
PARTY_SECTORS = {
    "cpc": "中国共产党",
    "rcckmt": "中国国民党革命委员会",
    "cdl": "中国民主同盟",
    "cdnca": "中国民主建国会",
    "capd": "中国民主促进会",
    "cpwdp": "中国农工民主党",
    "czgp": "中国致公党",
    "jiusan": "九三学社",
    "tdsl": "台湾民主自治同盟",
    "nonparty": "无党派人士",
}

# Exact party counts (about 37% 中共, the 民主党派 spread, 无党派, a few 群众).
CITY_PARTY_COUNTS = {
    "cpc": 75,
    "rcckmt": 10,
    "cdl": 16,
    "cdnca": 14,
    "capd": 12,
    "cpwdp": 10,
    "czgp": 6,
    "jiusan": 12,
    "tdsl": 2,
    "nonparty": 35,
    "masses": 8,
}
DISTRICT_PARTY_COUNTS = {
    "cpc": 15,
    "rcckmt": 1,
    "cdl": 3,
    "cdnca": 3,
    "capd": 2,
    "cpwdp": 2,
    "czgp": 1,
    "jiusan": 2,
    "nonparty": 8,
    "masses": 3,
}

# Fields of work: (occupational sectors, special committee, work places, titles, expertise).
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "education": {
        "sectors": ("教育界",),
        "special": ("教科卫体委员会",),
        "units": (
            "山东大学",
            "山东师范大学",
            "济南大学",
            "山东建筑大学",
            "济南市第一中学",
            "山东省实验中学",
            "济南外国语学校",
            "济南职业学院",
        ),
        "titles": ("教授", "副教授", "校长", "副校长", "高级教师", "院长"),
        "expertise": ("基础教育", "职业教育", "高等教育管理", "学前教育", "特殊教育"),
    },
    "health": {
        "sectors": ("医药卫生界",),
        "special": ("教科卫体委员会",),
        "units": (
            "山东省立医院",
            "山东大学齐鲁医院",
            "济南市中心医院",
            "济南市第四人民医院",
            "济南市妇幼保健院",
            "济南市中医医院",
        ),
        "titles": ("主任医师", "副主任医师", "院长", "副院长", "科主任"),
        "expertise": ("心血管内科", "儿科", "公共卫生", "中医药", "医院管理", "老年医学"),
    },
    "economy": {
        "sectors": ("经济界",),
        "special": ("经济委员会",),
        "units": (
            "济南高新控股集团有限公司",
            "济南城市建设集团有限公司",
            "山东重工集团有限公司",
            "济南二机床集团有限公司",
            "齐鲁银行股份有限公司",
            "浪潮集团有限公司",
            "济南轨道交通集团有限公司",
            "山东泉城律师事务所",
            "济南市民营企业家协会",
        ),
        "titles": ("董事长", "总经理", "副总经理", "总会计师", "首席经济师", "合伙人"),
        "expertise": ("金融", "企业管理", "数字经济", "国资国企改革", "财税", "营商环境"),
    },
    "science": {
        "sectors": ("科学技术界",),
        "special": ("人口资源环境委员会",),
        "units": (
            "山东省科学院",
            "齐鲁工业大学",
            "济南市农业科学研究院",
            "中国重汽集团技术发展中心",
            "山东省环境规划研究院",
        ),
        "titles": ("研究员", "副研究员", "高级工程师", "总工程师", "所长"),
        "expertise": ("新材料", "人工智能", "生态环境", "水资源保护", "新能源", "智能制造"),
    },
    "culture": {
        "sectors": ("文化艺术界", "新闻出版界", "社会科学界"),
        "special": ("文化文史和学习委员会",),
        "units": (
            "济南市文化馆",
            "山东省吕剧院",
            "济南日报报业集团",
            "济南市社会科学院",
            "济南市图书馆",
            "山东画院",
            "济南广播电视台",
        ),
        "titles": ("馆长", "国家一级演员", "主任记者", "研究员", "画家", "总编辑"),
        "expertise": ("非遗保护", "泉水文化", "戏曲", "新闻传播", "地方史", "书法"),
    },
    "agriculture": {
        "sectors": ("农业界",),
        "special": ("农业和农村委员会",),
        "units": (
            "章丘区明水街道三涧溪村",
            "济阳区农业农村局",
            "平阴县玫瑰产业发展中心",
            "商河县农业技术推广站",
            "济南市供销合作社",
        ),
        "titles": ("党支部书记", "高级农艺师", "理事长", "站长", "合作社负责人"),
        "expertise": ("乡村振兴", "农业技术推广", "农村集体经济", "特色农业", "农产品电商"),
    },
    "social": {
        "sectors": ("社会福利和社会保障界", "少数民族界", "宗教界"),
        "special": ("社会和法制委员会",),
        "units": (
            "济南市慈善总会",
            "济南市残疾人联合会",
            "济南市养老服务中心",
            "济南清真南大寺",
            "济南市民族宗教事务服务中心",
            "济南市社区服务中心",
        ),
        "titles": ("会长", "主任", "理事长", "阿訇", "社会工作师"),
        "expertise": ("养老服务", "社会救助", "社区治理", "民族团结", "公益慈善"),
    },
    "people": {
        "sectors": ("共青团", "总工会", "妇联", "青联", "工商联", "科协", "侨联", "台联"),
        "special": ("港澳台侨和外事委员会", "社会和法制委员会"),
        "units": (
            "济南市总工会",
            "共青团济南市委",
            "济南市妇女联合会",
            "济南市工商业联合会",
            "济南市科学技术协会",
            "济南市归国华侨联合会",
            "济南市台湾同胞联谊会",
        ),
        "titles": ("主席", "副主席", "书记", "副书记", "秘书长"),
        "expertise": ("青年发展", "职工权益", "妇女儿童权益", "侨务", "对台交流"),
    },
    "sports": {
        "sectors": ("体育界", "对外友好界"),
        "special": ("港澳台侨和外事委员会",),
        "units": ("济南市体育训练中心", "济南奥体中心", "济南市人民对外友好协会"),
        "titles": ("主任", "教练员", "秘书长", "国际级裁判"),
        "expertise": ("全民健身", "竞技体育", "对外交流", "体育产业"),
    },
}
# The field each occupational sector draws its people from.
SECTOR_FIELDS = {sector: name for name, field in FIELDS.items() for sector in field["sectors"]}

FOCUS_AREAS = (
    "黄河流域生态保护和高质量发展",
    "强省会建设",
    "泉水保护",
    "城市更新",
    "教育均衡",
    "养老托育",
    "营商环境",
    "科技创新",
    "乡村振兴",
    "交通拥堵治理",
    "社区治理",
    "文旅融合",
    "就业创业",
    "食品安全",
)
STREETS = (
    "泉城路",
    "经十路",
    "解放路",
    "历山路",
    "和平路",
    "文化东路",
    "舜耕路",
    "二环南路",
    "工业南路",
    "花园路",
)
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "152", "158", "186", "187")

# (name, system, username, contact person, office phone). Every unit gets one user account.
CITY_UNITS = (
    ("中共济南市委宣传部", "party", "xuanchuanbu", "韩雪", "0531-66601201"),
    ("中共济南市委统战部", "party", "tongzhanbu", "吕志勇", "0531-66601302"),
    ("济南市总工会", "party", "zonggonghui", "姜宁", "0531-86101120"),
    ("共青团济南市委", "party", "tuanshiwei", "唐晓", "0531-86101216"),
    ("市教育局", "government", "jiaoyuju", "王建平", "0531-66608118"),
    ("市卫生健康委员会", "government", "weijianwei", "刘敏", "0531-79686001"),
    ("市发展和改革委员会", "government", "fagaiwei", "陈涛", "0531-66608201"),
    ("市住房和城乡建设局", "government", "zhujianju", "张立成", "0531-66608301"),
    ("市交通运输局", "government", "jiaotongju", "赵峰", "0531-66608401"),
    ("市生态环境局", "government", "shengtaiju", "周静", "0531-66608501"),
    ("市农业农村局", "government", "nongyeju", "孟庆祥", "0531-66608601"),
    ("市人力资源和社会保障局", "government", "renshe", "孔丽", "0531-66608701"),
    ("市民政局", "government", "minzhengju", "袁华", "0531-66608801"),
    ("市文化和旅游局", "government", "wenlvju", "宋琳", "0531-66608901"),
    ("市人大常委会办公厅", "congress", "renda", "曹永进", "0531-66605001"),
    ("市中级人民法院", "court", "zhongyuan", "邓博", "0531-88271001"),
    ("市人民检察院", "procuratorate", "jianchayuan", "彭洁", "0531-88272001"),
    ("国网济南供电公司", "other", "gongdian", "田斌", "0531-67901001"),
    ("济南公交集团", "other", "gongjiao", "董雅", "0531-96150001"),
)
DISTRICT_UNITS = (
    ("历下区教育和体育局", "government", "lixia_jiaoti", "胡晓春", "0531-86598001"),
    ("历下区卫生健康局", "government", "lixia_weijian", "林芳", "0531-86598101"),
    ("历下区城市管理局", "government", "lixia_chengguan", "罗海", "0531-86598201"),
    ("共青团历下区委", "party", "lixia_tuanwei", "郑佳", "0531-86598301"),
)
