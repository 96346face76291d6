"""Chinese text for the whole portal: jieba wrapped once, with a 政协 user dictionary.

- `tokenize(text)`: words for matching (lower-cased; stop words, punctuation, bare numbers and
  most single characters dropped).
- `search_text(text)`: the same tokens in search granularity ("新能源汽车" also yields "新能源",
  "汽车"), space-joined, to feed a PostgreSQL tsvector with the `simple` configuration.
- `keywords(text, k)`: TF-IDF keywords; `keyword_vector(text)` the L2-normalised sparse vector
  stored on rows; `cosine(a, b)` compares two such vectors.
- `count_chars(text)`: length as a Chinese reader counts it (see apps.core.text.counting).

Segmentation happens in services, never in templates or views; the dictionary loads lazily,
once per process.
"""

from .counting import count_chars
from .keywords import cosine, keyword_vector, keywords, l2_normalise
from .segmenter import search_text, search_tokens, tokenize

__all__ = [
    "cosine",
    "count_chars",
    "keyword_vector",
    "keywords",
    "l2_normalise",
    "search_text",
    "search_tokens",
    "tokenize",
]
