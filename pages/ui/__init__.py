"""What the pages share and are not pages themselves: the frame, the store, the session's
language, plain text, tables and charts (common.py), and the assessment wizard (wizard/).
Kept out of pages/ itself, where Streamlit would take every file for a page."""
