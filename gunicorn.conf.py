"""gunicorn settings, read by gunicorn from the directory it starts in (the image's /app).

The command line (zhengxie/deploy/Dockerfile) sets the bind address, workers and timeout.
gunicorn has no setting for its `Server: gunicorn` response header; emptying the name it
writes there drops the header's value, so responses do not advertise the server software.
"""

import gunicorn
import gunicorn.http.wsgi

gunicorn.SERVER = ""
gunicorn.http.wsgi.SERVER = ""
