"""gunicorn for the benchmark: the project's gunicorn.conf.py, plus the text engine loaded in the
master before it forks (with --preload), so the workers share jieba's dictionary and the IDF
table copy-on-write instead of each loading its own (~150 MB) on its first Chinese text."""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))


def when_ready(server):  # gunicorn's hook signature
    from apps.core.text import keyword_vector, search_text

    # Both lazy loads: the tokenizer (segmenter) and jieba.analyse's IDF table (keywords).
    keyword_vector(search_text("预热：老旧小区改造与社区养老服务"))
