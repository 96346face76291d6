"""The province-scale benchmark (issue 9): the data set (bench.generate), the production
configuration with a bare floor view (bench.settings, bench.urls) and the command that measures
it (bench/run). Not part of the product: nothing under apps/ or zhengxie/ imports it."""
