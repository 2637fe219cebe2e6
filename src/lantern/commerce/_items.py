"""The generator's vocabulary: items per subcategory (Chinese name, English and German name,
price range in yuan, party sizes), shop-name parts, opening hours and location hubs.

Pure data; :mod:`lantern.commerce._generate` draws from it with a seeded generator.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["HOURS", "HUBS", "ITEMS", "NAME_PARTS", "SHOP_COUNTS", "TRAITS", "Item"]


class Item(NamedTuple):
    zh: str
    en: str
    de: str
    yuan_lo: int
    yuan_hi: int
    party_min: int = 1
    party_max: int = 10


ITEMS: dict[str, tuple[Item, ...]] = {
    "milk_tea": (
        Item("珍珠奶茶", "Pearl milk tea", "Perlen-Milchtee", 10, 22),
        Item("龙井奶茶", "Longjing milk tea", "Longjing-Milchtee", 14, 26),
        Item("杨枝甘露", "Mango pomelo sago", "Mango-Pomelo-Sago", 15, 28),
        Item("芝士葡萄", "Cheese foam grape tea", "Trauben-Tee mit Käseschaum", 16, 29),
        Item("柠檬茶", "Hand-pounded lemon tea", "Handgestampfter Zitronentee", 9, 19),
        Item("黑糖波波鲜奶", "Brown sugar boba milk", "Braunzucker-Boba-Milch", 13, 24),
        Item("桂花乌龙", "Osmanthus oolong tea", "Osmanthus-Oolong-Tee", 12, 22),
    ),
    "coffee": (
        Item("拿铁", "Caffè latte", "Milchkaffee (Latte)", 15, 36),
        Item("美式咖啡", "Americano", "Americano", 12, 30),
        Item("生椰拿铁", "Coconut latte", "Kokos-Latte", 16, 35),
        Item("卡布奇诺", "Cappuccino", "Cappuccino", 15, 34),
        Item("桂花拿铁", "Osmanthus latte", "Osmanthus-Latte", 18, 38),
        Item("冷萃咖啡", "Cold brew", "Cold Brew", 18, 38),
    ),
    "hotpot": (
        Item("双人火锅套餐", "Hotpot set for two", "Feuertopf-Menü für zwei", 128, 268, 2, 2),
        Item("四人火锅套餐", "Hotpot set for four", "Feuertopf-Menü für vier", 238, 458, 3, 4),
        Item("六人火锅套餐", "Hotpot set for six", "Feuertopf-Menü für sechs", 358, 688, 5, 6),
        Item("单人小火锅", "Individual hotpot", "Einzel-Feuertopf", 48, 98, 1, 1),
        Item("鸳鸯锅牛肉套餐", "Yin-yang pot with beef", "Yin-Yang-Topf mit Rind", 158, 328, 2, 4),
    ),
    "dumplings": (
        Item(
            "鲜肉小笼包",
            "Pork soup dumplings (xiaolongbao)",
            "Suppen-Teigtaschen mit Schwein",
            15,
            32,
        ),
        Item("虾仁馄饨", "Shrimp wontons", "Garnelen-Wantans", 16, 30),
        Item("生煎包", "Pan-fried buns (shengjian)", "Gebratene Teigtaschen (Shengjian)", 12, 26),
        Item("三鲜水饺", "Three-treasure dumplings", "Drei-Köstlichkeiten-Teigtaschen", 18, 36),
        Item(
            "荠菜猪肉饺子",
            "Shepherd's purse and pork dumplings",
            "Teigtaschen mit Hirtentäschel und Schwein",
            18,
            34,
        ),
    ),
    "noodles": (
        Item("片儿川", "Pian'erchuan noodles (Hangzhou)", "Pian'erchuan-Nudeln (Hangzhou)", 18, 38),
        Item("红烧牛肉面", "Braised beef noodles", "Nudeln mit geschmortem Rind", 22, 42),
        Item("葱油拌面", "Scallion oil noodles", "Frühlingszwiebelöl-Nudeln", 12, 24),
        Item("虾爆鳝面", "Shrimp and eel noodles", "Nudeln mit Garnelen und Aal", 32, 58),
        Item("豚骨拉面", "Tonkotsu ramen", "Tonkotsu-Ramen", 28, 52),
    ),
    "bakery": (
        Item("可颂", "Butter croissant", "Buttercroissant", 10, 22),
        Item("生日蛋糕", "Birthday cake (6 inch)", "Geburtstagstorte (6 Zoll)", 128, 268),
        Item("定胜糕", "Dingsheng rice cakes", "Dingsheng-Reiskuchen", 12, 26),
        Item("芝士蛋糕", "Cheesecake slice", "Käsekuchen, ein Stück", 22, 42),
        Item("全麦面包", "Whole-wheat loaf", "Vollkornbrot", 14, 30),
    ),
    "hangzhou_cuisine": (
        Item(
            "西湖醋鱼套餐", "West Lake vinegar fish set", "Westsee-Essigfisch-Menü", 128, 268, 2, 4
        ),
        Item(
            "东坡肉双人餐",
            "Dongpo pork dinner for two",
            "Dongpo-Schweinebauch für zwei",
            138,
            258,
            2,
            2,
        ),
        Item(
            "龙井虾仁套餐", "Longjing tea shrimp set", "Longjing-Tee-Garnelen-Menü", 158, 328, 2, 4
        ),
        Item(
            "叫化鸡家庭餐",
            "Beggar's chicken family dinner",
            "Bettlerhuhn-Familienessen",
            298,
            588,
            4,
            8,
        ),
        Item(
            "杭帮菜十人宴",
            "Hangzhou banquet for ten",
            "Hangzhou-Bankett für zehn",
            1288,
            2688,
            8,
            10,
        ),
    ),
    "bbq": (
        Item("羊肉串20串", "Lamb skewers x20", "20 Lammspieße", 48, 88),
        Item("烧烤双人套餐", "BBQ set for two", "Grillmenü für zwei", 88, 168),
        Item("烤鸡翅", "Grilled chicken wings", "Gegrillte Hähnchenflügel", 22, 42),
        Item("烤茄子", "Grilled eggplant", "Gegrillte Aubergine", 12, 24),
    ),
    "cinema": (
        Item("2D电影票", "2D movie ticket", "2D-Kinokarte", 35, 59, 1, 8),
        Item("IMAX电影票", "IMAX movie ticket", "IMAX-Kinokarte", 69, 119, 1, 8),
        Item(
            "双人观影套餐", "Movie for two with popcorn", "Kino für zwei mit Popcorn", 99, 169, 2, 2
        ),
        Item(
            "春节贺岁片", "New Year blockbuster ticket", "Neujahrs-Blockbuster-Karte", 45, 79, 1, 8
        ),
    ),
    "ktv": (
        Item("小包3小时", "Small room, 3 hours", "Kleiner Raum, 3 Stunden", 68, 168, 1, 4),
        Item("中包3小时", "Medium room, 3 hours", "Mittlerer Raum, 3 Stunden", 128, 268, 4, 8),
        Item("大包3小时", "Large room, 3 hours", "Großer Raum, 3 Stunden", 198, 498, 8, 15),
        Item("欢唱夜场套餐", "Late-night singing package", "Nacht-Karaoke-Paket", 98, 238, 2, 8),
    ),
    "concert": (
        Item("新春音乐会门票", "New Year concert ticket", "Neujahrskonzert-Karte", 180, 680, 1, 6),
        Item(
            "流行演唱会看台票",
            "Pop concert, stand seat",
            "Popkonzert, Tribünenplatz",
            280,
            880,
            1,
            6,
        ),
        Item("爵士现场", "Live jazz night", "Live-Jazz-Abend", 120, 280, 1, 6),
        Item(
            "民乐专场",
            "Chinese folk music concert",
            "Konzert chinesischer Volksmusik",
            100,
            380,
            1,
            6,
        ),
    ),
    "escape_room": (
        Item("恐怖密室", "Horror escape room", "Horror-Escape-Room", 98, 198, 2, 8),
        Item("古风剧本杀", "Historical murder mystery", "Historisches Krimidinner", 88, 168, 4, 8),
        Item("机关解谜密室", "Mechanical puzzle room", "Mechanischer Rätselraum", 88, 178, 2, 6),
    ),
    "arcade": (
        Item("游戏币100枚", "100 game tokens", "100 Spielmünzen", 68, 128, 1, 6),
        Item("保龄球两局", "Two games of bowling", "Zwei Runden Bowling", 58, 118, 1, 6),
        Item("台球一小时", "One hour of billiards", "Eine Stunde Billard", 38, 88, 1, 4),
    ),
    "theatre": (
        Item("越剧专场", "Yue opera performance", "Yue-Oper-Vorstellung", 80, 380, 1, 6),
        Item("话剧门票", "Stage play ticket", "Theaterkarte", 100, 480, 1, 6),
        Item("杂技表演", "Acrobatics show", "Akrobatik-Show", 120, 320, 1, 6),
    ),
    "spa": (
        Item("60分钟足疗", "60-minute foot massage", "60 Minuten Fußmassage", 98, 198, 1, 4),
        Item(
            "90分钟全身按摩",
            "90-minute full-body massage",
            "90 Minuten Ganzkörpermassage",
            168,
            398,
            1,
            4,
        ),
        Item("中式推拿", "Chinese tuina massage", "Chinesische Tuina-Massage", 128, 298, 1, 4),
        Item("双人SPA套餐", "Spa package for two", "Spa-Paket für zwei", 398, 888, 2, 2),
    ),
    "hot_spring": (
        Item("温泉门票", "Hot spring day ticket", "Thermen-Tageskarte", 128, 298, 1, 6),
        Item("温泉双人票", "Hot spring ticket for two", "Thermenkarte für zwei", 238, 528, 2, 2),
        Item("汤泉自助套餐", "Bathhouse with buffet", "Badehaus mit Buffet", 158, 358, 1, 6),
    ),
    "park": (
        Item("公园门票", "Park admission", "Parkeintritt", 10, 40, 1, 10),
        Item(
            "湿地游船联票",
            "Wetland boat combo ticket",
            "Feuchtgebiet-Boot-Kombiticket",
            80,
            160,
            1,
            10,
        ),
        Item("茶园采茶体验", "Tea-picking experience", "Teepflück-Erlebnis", 68, 158, 1, 6),
    ),
    "boat": (
        Item("西湖游船票", "West Lake cruise ticket", "Westsee-Rundfahrtkarte", 55, 70, 1, 10),
        Item(
            "手划船一小时",
            "Hand-rowed boat, 1 hour",
            "Ruderboot mit Bootsmann, 1 Stunde",
            150,
            300,
            1,
            6,
        ),
        Item("画舫夜游", "Painted boat night tour", "Nachtfahrt im bemalten Boot", 120, 260, 1, 10),
    ),
    "zoo": (
        Item("动物园门票", "Zoo admission", "Zoo-Eintritt", 20, 40, 1, 10),
        Item("熊猫馆联票", "Zoo and panda house ticket", "Zoo- und Pandahaus-Karte", 40, 80, 1, 10),
        Item("海洋馆门票", "Aquarium ticket", "Aquarium-Eintritt", 120, 220, 1, 10),
    ),
    "museum": (
        Item("特展门票", "Special exhibition ticket", "Sonderausstellungskarte", 30, 120, 1, 10),
        Item("茶文化体验", "Tea culture workshop", "Teekultur-Workshop", 68, 168, 1, 8),
        Item("讲解导览", "Guided tour", "Führung", 20, 80, 1, 10),
    ),
}

NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "milk_tea": (
        ("一点", "茶语", "甜心", "满杯", "山野", "桂香", "西子", "茶见"),
        ("奶茶", "茶饮", "茶铺", "鲜果茶"),
    ),
    "coffee": (
        ("街角", "湖畔", "慢时光", "木子", "晨光", "白塔", "熊猫"),
        ("咖啡", "咖啡馆", "咖啡工坊"),
    ),
    "hotpot": (("蜀香", "老灶", "川味", "渝乡", "牛大", "红运"), ("火锅", "老火锅", "火锅城")),
    "dumplings": (("知味", "老张", "江南", "小巷", "胖子"), ("小笼", "饺子馆", "生煎", "馄饨铺")),
    "noodles": (("奎元", "老街", "阿宝", "兰州", "面道"), ("面馆", "面庄", "拉面")),
    "bakery": (("麦香", "甜蜜", "法式", "小熊", "云朵"), ("面包房", "烘焙", "蛋糕店")),
    "hangzhou_cuisine": (
        ("楼外", "湖边", "西湖", "钱塘", "杭州"),
        ("酒家", "餐厅", "饭店", "人家"),
    ),
    "bbq": (("老王", "东北", "新疆", "夜宵", "炭火"), ("烧烤", "烤串", "烧烤屋")),
    "cinema": (("星光", "万达", "银河", "湖滨", "钱江"), ("影城", "国际影城", "电影院")),
    "ktv": (("麦乐", "好声音", "星聚", "纯K", "欢唱"), ("KTV", "量贩KTV")),
    "concert": (("杭州", "钱江", "黄龙", "西湖"), ("大剧院", "音乐厅", "Livehouse", "演艺中心")),
    "escape_room": (("迷城", "暗号", "X", "谜境"), ("密室", "剧本杀", "密室逃脱")),
    "arcade": (("超乐", "星际", "大玩家"), ("电玩城", "保龄球馆", "台球俱乐部")),
    "theatre": (("杭州", "红星", "胜利", "蝴蝶"), ("剧院", "越剧院", "大剧场")),
    "spa": (("静心", "御足", "泰式", "禅意", "舒心"), ("足道", "按摩馆", "SPA会所", "养生馆")),
    "hot_spring": (("云水", "汤山", "和风", "暖泉"), ("汤泉", "温泉会馆", "洗浴中心")),
    "park": (("太子湾", "花港", "植物", "西溪", "龙井"), ("公园", "观鱼", "园", "湿地", "茶园")),
    "boat": (("西湖", "湖滨", "断桥", "苏堤"), ("游船", "船坞", "码头")),
    "zoo": (("杭州", "西湖"), ("动物园", "海洋馆")),
    "museum": (("中国茶叶", "浙江", "丝绸", "运河"), ("博物馆", "美术馆", "展览馆")),
}

HOURS: dict[str, tuple[tuple[int, int], ...]] = {
    "milk_tea": ((600, 1320), (570, 1380), (660, 1410)),
    "coffee": ((450, 1200), (480, 1260), (420, 1140)),
    "hotpot": ((660, 1560), (660, 1440), (1020, 1620)),
    "dumplings": ((360, 1200), (390, 1320), (0, 1440)),
    "noodles": ((360, 1260), (420, 1380), (0, 1440)),
    "bakery": ((450, 1260), (480, 1320)),
    "hangzhou_cuisine": ((630, 1260), (660, 1290)),
    "bbq": ((1020, 1620), (1080, 1680)),
    "cinema": ((540, 1440), (570, 1500)),
    "ktv": ((720, 1560), (600, 1800)),
    "concert": ((1080, 1350), (1110, 1380)),
    "escape_room": ((600, 1440), (660, 1500)),
    "arcade": ((600, 1320), (600, 1380)),
    "theatre": ((840, 1320), (1080, 1350)),
    "spa": ((660, 1560), (600, 1440)),
    "hot_spring": ((540, 1440), (600, 1500)),
    "park": ((360, 1080), (0, 1440)),
    "boat": ((450, 1050), (480, 1260)),
    "zoo": ((450, 1050),),
    "museum": ((540, 1020),),
}

# (landmark key, weight): shop hubs per group; spread about 0.6-1.2 km around each.
HUBS: dict[str, tuple[tuple[str, float], ...]] = {
    "city": (
        ("hubin", 3.0),
        ("wulin_square", 3.0),
        ("qianjiang_new_city", 2.5),
        ("east_station", 2.0),
        ("huanglong", 1.5),
        ("hefang_street", 1.5),
        ("city_station", 1.5),
        ("zhejiang_university", 1.5),
        ("grand_canal", 1.5),
        ("xixi_wetland", 1.0),
    ),
    "lake": (("broken_bridge", 2.0), ("hubin", 2.0), ("west_lake", 1.5), ("leifeng_pagoda", 1.0)),
    "green": (
        ("west_lake", 2.0),
        ("xixi_wetland", 2.0),
        ("lingyin_temple", 1.5),
        ("leifeng_pagoda", 1.0),
        ("grand_canal", 1.0),
    ),
    "zoo": (("hangzhou_zoo", 1.0),),
}

# shops per subcategory, and which hub group they cluster in
SHOP_COUNTS: dict[str, tuple[int, str]] = {
    "milk_tea": (160, "city"),
    "coffee": (110, "city"),
    "hotpot": (60, "city"),
    "dumplings": (70, "city"),
    "noodles": (75, "city"),
    "bakery": (45, "city"),
    "hangzhou_cuisine": (45, "city"),
    "bbq": (45, "city"),
    "cinema": (28, "city"),
    "ktv": (32, "city"),
    "concert": (12, "city"),
    "escape_room": (26, "city"),
    "arcade": (18, "city"),
    "theatre": (10, "city"),
    "spa": (55, "city"),
    "hot_spring": (14, "green"),
    "park": (18, "green"),
    "boat": (12, "lake"),
    "zoo": (3, "zoo"),
    "museum": (12, "green"),
}

TRAITS: dict[str, tuple[tuple[str, str], ...]] = {
    "gastronomy": (
        ("Freshly made to order.", "Frisch auf Bestellung zubereitet."),
        ("A local favourite for years.", "Seit Jahren ein Liebling der Nachbarschaft."),
        ("Generous portions.", "Großzügige Portionen."),
        ("Delivered hot, packed to travel.", "Heiß geliefert, gut verpackt."),
        ("Made with seasonal Zhejiang produce.", "Mit saisonalen Zutaten aus Zhejiang."),
        ("Spring Festival special.", "Frühlingsfest-Spezialität."),
    ),
    "entertainment": (
        ("Great for groups of friends.", "Ideal für Freundesgruppen."),
        ("Holiday programme during the Spring Festival.", "Feiertagsprogramm zum Frühlingsfest."),
        ("Book ahead on weekends.", "Am Wochenende bitte vorher buchen."),
        ("Show the ticket code at the entrance.", "Den Ticketcode am Eingang vorzeigen."),
    ),
    "leisure": (
        ("A calm break from the city.", "Eine ruhige Pause von der Stadt."),
        ("Lovely in the late afternoon light.", "Besonders schön im Licht des Nachmittags."),
        ("Family friendly.", "Familienfreundlich."),
        ("Show the ticket code at the entrance.", "Den Ticketcode am Eingang vorzeigen."),
    ),
}
