"""An input PDF's own text, as drawn: whether a page's text is only an invisible OCR layer
(render mode 3), and taking that layer out (``--redo-ocr``), with pikepdf's content-stream parser.

Visible text (a born-digital page, a typed heading) is never touched.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

_SHOW = {"Tj", "TJ", "'", '"'}


def _forms(obj: pikepdf.Object) -> list[pikepdf.Object]:
    xobjects = obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", pikepdf.Dictionary())
    return [x for _, x in xobjects.items() if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == "/Form"]


def _walk(instructions, on_show) -> list:
    """The instructions with each text-showing one replaced by ``on_show(instruction, render_mode)``
    (a list of instructions). The render mode is tracked through q/Q as the graphics state is."""
    mode, saved, out = 0, [], []
    for inst in instructions:
        op = str(inst.operator)
        if op == "q":
            saved.append(mode)
        elif op == "Q" and saved:
            mode = saved.pop()
        elif op == "Tr" and inst.operands:
            mode = int(inst.operands[0])
        if op in _SHOW:
            out.extend(on_show(inst, mode))
        else:
            out.append(inst)
    return out


def _text_modes(obj: pikepdf.Object, depth: int = 0) -> set[int]:
    """Render modes the text of a page or form is drawn with, forms it uses included."""
    modes: set[int] = set()

    def note(inst, mode):
        modes.add(mode)
        return [inst]

    try:
        _walk(pikepdf.parse_content_stream(obj), note)
    except pikepdf.PdfError:
        return {0}  # unparsable: treat as visible, so nothing is taken away
    if depth < 4:
        for form in _forms(obj):
            modes |= _text_modes(form, depth + 1)
    return modes


def invisible_text_pages(path: Path) -> set[int]:
    """1-based numbers of the pages whose text is all invisible (a former OCR layer)."""
    with pikepdf.open(path) as pdf:
        return {i for i, page in enumerate(pdf.pages, start=1) if only_invisible_text(page)}


def _drop_invisible(inst, mode):
    if mode != 3:
        return [inst]
    op = str(inst.operator)
    # ' and " also move to the next line (and " sets the spacings): keep that, drop the text.
    if op == "'":
        return [pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*"))]
    if op == '"':
        aw, ac = inst.operands[0], inst.operands[1]
        return [pikepdf.ContentStreamInstruction([aw], pikepdf.Operator("Tw")),
                pikepdf.ContentStreamInstruction([ac], pikepdf.Operator("Tc")),
                pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*"))]
    return []


def only_invisible_text(page: pikepdf.Page) -> bool:
    return _text_modes(page.obj) == {3}


def strip_invisible_text(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Take the invisible text out of a page and the forms it draws; everything else stays."""
    _strip(pdf, page.obj, 0)


def _strip(pdf: pikepdf.Pdf, obj: pikepdf.Object, depth: int) -> None:
    instructions = _walk(pikepdf.parse_content_stream(obj), _drop_invisible)
    data = pikepdf.unparse_content_stream(instructions)
    if isinstance(obj, pikepdf.Stream):
        obj.write(data)
    else:
        obj.Contents = pdf.make_stream(data)
    if depth < 4:
        for form in _forms(obj):
            _strip(pdf, form, depth + 1)
