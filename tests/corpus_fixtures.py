"""Small corpora written for the streaming, cache and Dask tests (texts composed for these tests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

NOTICE = (
    "某市人民政府办公厅关于深化一网通办改革的通知\n"
    "一、总体要求\n"
    "（一）推进政务服务一网通办，让数据多跑路、群众少跑腿。\n"
    "（二）建设统一的数据共享交换平台，打破信息孤岛。\n"
    "二、保障措施\n"
    "各部门要加强组织领导，由市政府牵头建立协调机制。\n"
)
RULES = "某省公共数据条例\n第一条 为了规范公共数据管理，促进数据开放共享，制定本条例。\n第二条 本条例适用于本省。\n"
REPORT = "政府工作报告\n加快建设数字政府，推行最多跑一次改革。\n\n推动互联网+政务服务向基层延伸。\n"

ROWS = [
    ("加快数字政府建设，完善电子证照共享。", 2019, "national"),
    ("推进12345政务服务便民热线归并。", 2020, "provincial"),
    ("开展跨省通办试点，总结经验后在全国推广。", 2021, "national"),
    ("严禁以任何形式强制群众重复提交材料。\n依法保护个人信息。", 2022, "municipal"),
    ("政务数据资源目录按季度更新。", 2018, "provincial"),
    ("由省政府牵头制定数据安全标准。", 2022, "provincial"),
    ("鼓励企业参与公共数据开发利用。", 2021, "municipal"),
]


def write_folder(root: Path) -> Path:
    """A folder of three documents with a side metadata table, a small Parquet table and one unsupported file."""
    docs = root / "docs"
    (docs / "local").mkdir(parents=True)
    (docs / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (docs / "local" / "rules(2021-11-25).txt").write_text(RULES, encoding="utf-8")
    (docs / "local" / "report_2020.txt").write_text(REPORT, encoding="utf-8")
    (docs / "local" / "scan.bin").write_bytes(b"\x00\x01binary")
    write_table(docs / "rows.parquet", row_group_size=3)
    pd.DataFrame({"path": ["notice.txt", "local/rules(2021-11-25).txt"], "year": [2019, None],
                  "level": ["municipal", "provincial"]}).to_csv(docs / "metadata.csv", index=False)
    return docs


def table_frame() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=["content", "year", "level"])


def write_table(path: Path, row_group_size: int = 3) -> Path:
    """The ROWS as a Parquet table with several row groups (so readers must stitch ids across them)."""
    pq.write_table(pa.Table.from_pandas(table_frame(), preserve_index=False), path, row_group_size=row_group_size)
    return path


def labelled_texts() -> tuple[list[str], list[str]]:
    """Tiny training set for a character n-gram classifier fixture."""
    texts = [t for t, _, _ in ROWS] + ["建设数据共享平台", "热线电话接诉即办", "数据开放平台建设", "便民热线服务"]
    labels = ["data", "service", "service", "service", "data", "data", "data", "data", "service", "data", "service"]
    return texts, labels
