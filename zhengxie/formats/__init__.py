"""The portal's own date formats (FORMAT_MODULE_PATH = ["zhengxie.formats"])."""
