"""Badge and receipt rendering (Pillow) and output to ESC/POS printers (python-escpos).

- fonts: font chains with per-character fallback (DejaVu, a CJK font, Pillow's own).
- badge: BadgeContent and render_badge(content, width) -> 1-bit image.
- receipt: ReceiptContent and render_receipt(receipt, width) -> 1-bit image.
- output: the BadgePrinter port, EscposPrinter, FilePrinter, DummyPrinter,
  PrinterUnavailable, PrinterStatus and printer_from_config(config).

Imports only shared_domain of this project; never Flask.
"""
