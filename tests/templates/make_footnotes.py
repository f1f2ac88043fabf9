"""Writes footnotes.pdf: page 1 whose affiliations are only its numbered footnotes, as ICML sets
them, in the two ways icml.pdf does not show: two on one line with no full stop between them, and
one wrapped onto the next line; a correspondence line after them. Built with PyMuPDF's base-14
fonts, superscripts as smaller raised text. Run from this folder: python make_footnotes.py"""
import pymupdf

doc = pymupdf.open()
page = doc.new_page()


def put(x: float, y: float, text: str, size: float, font: str = "helv") -> float:
    page.insert_text((x, y), text, fontname=font, fontsize=size)
    return x + pymupdf.get_text_length(text, fontname=font, fontsize=size)


put(120, 90, "Learning From Noisy Labels With Confidence Weighted Distillation", 15, "hebo")
x = 150
for name, mark in (("Adaeze Okafor", "1"), ("Kwame Mensah", "2"), ("Gunnar Sigurdsson", "3")):
    x = put(x, 125, name, 11)
    x = put(x, 121, mark, 7) + 14
put(280, 160, "Abstract", 11, "hebo")
y = 180
for text in ("Deep networks memorise noisy labels. We propose confidence weighted distillation, which trains",
             "a student on the teacher's soft predictions weighted by the teacher's confidence, and gains on",
             "two benchmarks with real label noise."):
    put(72, y, text, 10)
    y += 13
put(72, 240, "1 Introduction", 12, "hebo")
y = 260
for _ in range(20):
    put(72, y, "Learning from data with noisy annotations is a recurring problem in practice, and we study it.", 10)
    y += 13
# the footnotes, in smaller type at the foot of the page
x = put(72, 740, "1", 6)
x = put(x, 744, "Department of Computer Science, University of Ibadan, Nigeria  ", 8)
x = put(x, 740, "2", 6)
put(x, 744, "Google Research, Accra, Ghana", 8)
x = put(72, 752, "3", 6)
put(x, 756, "Department of Computer Science, University of Iceland, Menntavegur 1,", 8)
put(72, 766, "Reykjavik, Iceland", 8)
put(72, 778, "Correspondence to: Adaeze Okafor <adaeze@ui.edu.ng>.", 8)
doc.save("footnotes.pdf", garbage=3, deflate=True)
