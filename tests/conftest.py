import os

# python-escpos writes a capabilities pickle into a new temp folder per import otherwise.
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", "/tmp/contoso-escpos-cache")
