"""The catalog: the year-file format declared once (:mod:`.format`), the strict YAML loader
(:mod:`.loading`), the checks (:mod:`.field_checks`, :mod:`.year_checker`,
:mod:`.validating`), the model (:mod:`.model`, with the typed :mod:`.policy_model` read by
:mod:`.policy`), problems as data (:mod:`.problems`), the JSON Schema (:mod:`.schema`), the
YAML writer (:mod:`.writing`) and the Excel round trip (:mod:`.spreadsheets`).
"""
