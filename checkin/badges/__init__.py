"""Name badges rendered to PDF with reportlab. No Qt here; printing lives in ui/."""
