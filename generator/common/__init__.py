"""Small helpers several domains share, standard library only (they run in Pyodide too):
text into spreadsheet cells never as a formula (:mod:`.celltext`), telling GBK from UTF-8
(:mod:`.textcodec`), writes that cannot hurt (:mod:`.safefiles`), the bounded .xlsx reader
(:mod:`.xlsx_rows`) and reproducible timestamps and zip files (:mod:`.reproducible`).
"""
